// Sundial runs Agenda's PostgreSQL backend with ensureSchema: false, so the agenda_jobs table comes from our
// migration alone. This file lets the backend build its own table in a second, empty database and checks that
// the two are the same: columns, types, defaults, indexes, checks and the updated_at trigger.
import { PostgresBackend } from '@agendajs/postgres-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readChecks,
  readColumns,
  readIndexes,
  readSchema,
  readTables,
  readTriggers,
  type CatalogIndex,
} from '../support/catalog.js';
import { openTestDatabase } from '../support/database.js';

const TABLE = 'agenda_jobs';

type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;

let ours: TestDatabase;
let agendas: TestDatabase;

beforeAll(async () => {
  ours = await openTestDatabase();
  agendas = await openTestDatabase({ migrate: false });
  // The backend's own schema, made the way it makes it for an install that lets it (ensureSchema: true).
  await new PostgresBackend({ pool: agendas.pool, ensureSchema: true, disableNotifications: true }).connect();
});

afterAll(async () => {
  await ours?.drop();
  await agendas?.drop();
});

// Index names carry no meaning beyond the table's; partial-index predicates are compared as PostgreSQL prints them.
const normalise = (body: string) => body.replace(/\s+/g, ' ').trim();
const byName = (indexes: CatalogIndex[]) => [...indexes].sort((a, b) => a.name.localeCompare(b.name));

describe('agenda_jobs from our migration', () => {
  it('exists in both databases', async () => {
    expect(await readTables(ours.pool)).toContain(TABLE);
    expect(await readTables(agendas.pool)).toContain(TABLE);
  });

  it('has the same columns, in the same order, with the same types, nullability and defaults', async () => {
    const expected = await readColumns(agendas.pool, TABLE);
    expect(expected.length).toBeGreaterThan(10);
    expect(await readColumns(ours.pool, TABLE)).toEqual(expected);
  });

  it('has the same indexes: names, uniqueness, columns, sort order and partial predicates', async () => {
    const expected = byName(await readIndexes(agendas.pool, TABLE));
    expect(expected.some((index) => index.predicate !== null)).toBe(true);
    expect(byName(await readIndexes(ours.pool, TABLE))).toEqual(expected);
  });

  it('has the same CHECK constraints', async () => {
    const expected = await readChecks(agendas.pool, TABLE);
    expect(expected.length).toBeGreaterThan(0);
    expect(await readChecks(ours.pool, TABLE)).toEqual(expected);
  });

  it('has the same updated_at trigger and trigger function', async () => {
    const expected = (await readTriggers(agendas.pool, TABLE)).map((trigger) => ({
      ...trigger,
      functionBody: normalise(trigger.functionBody),
    }));
    expect(expected).toHaveLength(1);
    const actual = (await readTriggers(ours.pool, TABLE)).map((trigger) => ({
      ...trigger,
      functionBody: normalise(trigger.functionBody),
    }));
    expect(actual).toEqual(expected);
  });

  it('is left unchanged when the backend runs its own schema set-up on it', async () => {
    // What would happen if someone turned ensureSchema on: every statement is IF NOT EXISTS or a re-creation, and
    // nothing it makes may differ from what is there.
    const before = await readSchema(ours.pool);
    await new PostgresBackend({ pool: ours.pool, ensureSchema: true, disableNotifications: true }).connect();
    const after = await readSchema(ours.pool);
    // The function is re-created from the backend's text: only its indentation may differ.
    const agendaTable = (schema: typeof before) => {
      const table = schema.tables.find((candidate) => candidate.table === TABLE)!;
      return {
        ...table,
        triggers: table.triggers.map((trigger) => ({ ...trigger, functionBody: normalise(trigger.functionBody) })),
      };
    };
    expect(agendaTable(after)).toEqual(agendaTable(before));
  });
});
