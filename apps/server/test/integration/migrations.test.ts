// The SQL migrations are written by hand (Prisma's schema engine cannot run here), so this file proves that a
// freshly migrated database is exactly what schema.prisma declares — read from the generated datamodel, never from
// a list kept here — and that the migration runner behaves like Prisma Migrate: in order, once, recorded the same
// way, all-or-nothing per migration, safe when several processes start at once.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, MigrationError, migrate, readMigrations } from '../../src/db/migrate.js';
import {
  readColumns,
  readEnums,
  readForeignKeys,
  readIndexes,
  readSchema,
  readTables,
  type CatalogColumn,
  type Queryable,
  type ReferentialAction,
} from '../support/catalog.js';
import { openTestDatabase } from '../support/database.js';
import {
  columnOf,
  enumTypeOf,
  fieldOf,
  readDatamodel,
  tableOf,
  type DatamodelField,
  type DatamodelModel,
} from '../support/datamodel.js';

type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;

const datamodel = readDatamodel();
const modelByName = new Map(datamodel.models.map((model) => [model.name, model]));
const enumByName = new Map(datamodel.enums.map((enumType) => [enumType.name, enumType]));
/** Tables the migrations make that schema.prisma does not declare, each proven elsewhere. */
const TABLES_OUTSIDE_SCHEMA = [
  '_prisma_migrations', // Prisma Migrate's own record; its format is checked below
  'agenda_jobs', // Agenda's queue; test/integration/agenda-schema.test.ts checks it against Agenda's own DDL
];

/**
 * Indexes the migrations make partial, which schema.prisma cannot say (its comment on the index says so): the
 * predicate PostgreSQL reports for each. Only these may have one.
 */
const PARTIAL_INDEXES: Record<string, string> = {
  // The claim's order: queued top-level runs only (migration 20261208020000_run_queues).
  runs_priority_created_at_id_idx: `((status = 'QUEUED'::"RunStatus") AND (parent_run_id IS NULL))`,
  // Running top-level runs per queue, for queue concurrency limits (same migration).
  runs_queue_idx: `((status = ANY (ARRAY['RUNNING'::"RunStatus", 'CANCELLING'::"RunStatus"])) AND (parent_run_id IS NULL))`,
  // The runs list by status over every job (migration 20261210010000_list_and_claim_indexes).
  runs_status_created_at_idx: '(parent_run_id IS NULL)',
  // Indexes only some runs need (same migration): top-level runs, backfill runs, follow-up runs.
  runs_job_id_parent_run_id_status_started_at_idx: '(parent_run_id IS NULL)',
  runs_backfill_id_idx: '(backfill_id IS NOT NULL)',
  runs_caused_by_run_id_follow_up_id_key: '(caused_by_run_id IS NOT NULL)',
};

// ---------------------------------------------------------------------------------------------------------------
// What schema.prisma means in PostgreSQL, following Prisma Migrate's mapping.

interface ExpectedType {
  dataType: string;
  udtName: string;
  datetimePrecision?: number;
  characterMaximumLength?: number;
}

/** Prisma's default column type for each scalar type (no @db attribute). */
const SCALAR_TYPES: Record<string, ExpectedType> = {
  String: { dataType: 'text', udtName: 'text' },
  Int: { dataType: 'integer', udtName: 'int4' },
  BigInt: { dataType: 'bigint', udtName: 'int8' },
  Boolean: { dataType: 'boolean', udtName: 'bool' },
  Float: { dataType: 'double precision', udtName: 'float8' },
  Json: { dataType: 'jsonb', udtName: 'jsonb' },
  Bytes: { dataType: 'bytea', udtName: 'bytea' },
  DateTime: { dataType: 'timestamp without time zone', udtName: 'timestamp', datetimePrecision: 3 },
};

/** @db.X attributes: name → the column type for its arguments. */
const NATIVE_TYPES: Record<string, (args: string[]) => ExpectedType> = {
  Uuid: () => ({ dataType: 'uuid', udtName: 'uuid' }),
  Text: () => ({ dataType: 'text', udtName: 'text' }),
  Integer: () => ({ dataType: 'integer', udtName: 'int4' }),
  BigInt: () => ({ dataType: 'bigint', udtName: 'int8' }),
  SmallInt: () => ({ dataType: 'smallint', udtName: 'int2' }),
  JsonB: () => ({ dataType: 'jsonb', udtName: 'jsonb' }),
  Timestamptz: ([precision]) => ({
    dataType: 'timestamp with time zone',
    udtName: 'timestamptz',
    datetimePrecision: precision === undefined ? 6 : Number(precision),
  }),
  Timestamp: ([precision]) => ({
    dataType: 'timestamp without time zone',
    udtName: 'timestamp',
    datetimePrecision: precision === undefined ? 6 : Number(precision),
  }),
  VarChar: ([length]) => ({
    dataType: 'character varying',
    udtName: 'varchar',
    ...(length === undefined ? {} : { characterMaximumLength: Number(length) }),
  }),
};

function expectedType(field: DatamodelField): ExpectedType {
  let base: ExpectedType | undefined;
  if (field.kind === 'enum') {
    const enumType = enumByName.get(field.type);
    if (!enumType) throw new Error(`field ${field.name} has the unknown enum ${field.type}`);
    base = { dataType: 'USER-DEFINED', udtName: enumTypeOf(enumType) };
  } else if (field.nativeType) {
    const [name, args] = field.nativeType;
    base = NATIVE_TYPES[name]?.(args);
    if (!base) throw new Error(`no PostgreSQL mapping for @db.${name} here yet: add it to NATIVE_TYPES`);
  } else {
    base = SCALAR_TYPES[field.type];
    if (!base) throw new Error(`no PostgreSQL mapping for ${field.type} here yet: add it to SCALAR_TYPES`);
  }
  // An array's udt is the element's with a leading underscore; its precision is not reported per element.
  return field.isList ? { dataType: 'ARRAY', udtName: `_${base.udtName}` } : base;
}

/** Prisma Migrate leaves scalar lists nullable even though the client always reads them as arrays. */
const expectedNullable = (field: DatamodelField): boolean => !field.isRequired || field.isList;

/** Defaults Prisma's client fills in itself: the column has none. */
const CLIENT_SIDE_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid']);

async function checkDefault(db: Queryable, table: string, field: DatamodelField, column: CatalogColumn): Promise<void> {
  const where = `${table}.${column.name}`;
  const declared = field.default;
  if (!field.hasDefaultValue || declared === undefined) {
    expect(column.default, `${where} has a default schema.prisma does not declare`).toBeNull();
    return;
  }
  if (typeof declared === 'object' && declared !== null && !Array.isArray(declared)) {
    if (CLIENT_SIDE_DEFAULTS.has(declared.name)) {
      expect(column.default, `${where}: @default(${declared.name}()) is made by the client`).toBeNull();
    } else if (declared.name === 'now') {
      expect(column.default, where).toBe('CURRENT_TIMESTAMP');
    } else if (declared.name === 'autoincrement') {
      expect(column.default, where).toBe(`nextval('${table}_${column.name}_seq'::regclass)`);
    } else if (declared.name === 'dbgenerated') {
      expect(column.default, where).toBe(String(declared.args[0]));
    } else {
      throw new Error(`${where}: no check for @default(${declared.name}()) here yet`);
    }
    return;
  }
  // A static value: evaluate the column's default expression and compare values, not spellings.
  expect(column.default, `${where} lacks its default`).not.toBeNull();
  const { rows } = await db.query<{ value: unknown }>(`SELECT to_jsonb(${column.default!}) AS value`);
  const expected = field.type === 'Json' && typeof declared === 'string' ? JSON.parse(declared) : declared;
  expect(rows[0]!.value, `${where} default`).toEqual(expected);
}

// Prisma's constraint names when schema.prisma gives none (map: "…").
const primaryKeyName = (table: string) => `${table}_pkey`;
const indexName = (table: string, columns: string[], unique: boolean) =>
  `${table}_${columns.join('_')}_${unique ? 'key' : 'idx'}`;
const foreignKeyName = (table: string, columns: string[]) => `${table}_${columns.join('_')}_fkey`;

function expectedIndexes(model: DatamodelModel) {
  const table = tableOf(model);
  return datamodel.indexes
    .filter((index) => index.model === model.name)
    .map((index) => {
      if (index.type === 'fulltext') throw new Error(`${model.name}: full-text indexes are not checked here yet`);
      const columns = index.fields.map((part) => columnOf(fieldOf(model, part.name)));
      const unique = index.type !== 'normal';
      const primary = index.type === 'id';
      const name = index.dbName ?? (primary ? primaryKeyName(table) : indexName(table, columns, unique));
      return {
        table,
        name,
        unique,
        primary,
        columns,
        descending: index.fields.map((part) => part.sortOrder === 'desc'),
        predicate: PARTIAL_INDEXES[name] ?? null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function expectedForeignKeys(model: DatamodelModel) {
  const table = tableOf(model);
  return model.fields
    .filter((field) => field.kind === 'object' && (field.relationFromFields?.length ?? 0) > 0)
    .map((relation) => {
      const target = modelByName.get(relation.type)!;
      const from = relation.relationFromFields!.map((name) => fieldOf(model, name));
      const columns = from.map(columnOf);
      // Prisma's defaults: optional relations set null, required ones restrict; updates cascade.
      const onDelete = relation.relationOnDelete ?? (from.every((field) => field.isRequired) ? 'Restrict' : 'SetNull');
      return {
        table,
        name: foreignKeyName(table, columns),
        columns,
        referencedTable: tableOf(target),
        referencedColumns: relation.relationToFields!.map((name) => columnOf(fieldOf(target, name))),
        onDelete: onDelete as ReferentialAction,
        onUpdate: (relation.relationOnUpdate ?? 'Cascade') as ReferentialAction,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

// ---------------------------------------------------------------------------------------------------------------

describe('a freshly migrated database', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('has a table for every model, and no other tables but the known ones', async () => {
    const expected = [...datamodel.models.map(tableOf), ...TABLES_OUTSIDE_SCHEMA].sort();
    expect(datamodel.models.length).toBeGreaterThan(0);
    expect(await readTables(db.pool)).toEqual(expected);
  });

  it('has every enum type with exactly its values, in order', async () => {
    const expected = Object.fromEntries(
      datamodel.enums.map((enumType) => [
        enumTypeOf(enumType),
        enumType.values.map((value) => value.dbName ?? value.name),
      ]),
    );
    expect(await readEnums(db.pool)).toEqual(expected);
  });

  describe.each(datamodel.models.map((model) => [tableOf(model), model] as const))('table %s', (table, model) => {
    const scalars = model.fields.filter((field) => field.kind !== 'object');
    let columns: CatalogColumn[];

    beforeAll(async () => {
      columns = await readColumns(db.pool, table);
    });

    it('has exactly the columns of its scalar fields', () => {
      expect(columns.map((column) => column.name).sort()).toEqual(scalars.map(columnOf).sort());
    });

    it.each(scalars.map((field) => [columnOf(field), field] as const))(
      'column %s has the declared type, nullability and default',
      async (name, field) => {
        const column = columns.find((candidate) => candidate.name === name);
        expect(column, `${table}.${name} is missing`).toBeDefined();
        const type = expectedType(field);
        expect({ dataType: column!.dataType, udtName: column!.udtName }, `${table}.${name} type`).toEqual({
          dataType: type.dataType,
          udtName: type.udtName,
        });
        if (type.datetimePrecision !== undefined) {
          expect(column!.datetimePrecision, `${table}.${name} precision`).toBe(type.datetimePrecision);
        }
        if (type.characterMaximumLength !== undefined) {
          expect(column!.characterMaximumLength, `${table}.${name} length`).toBe(type.characterMaximumLength);
        }
        expect(column!.nullable, `${table}.${name} nullable`).toBe(expectedNullable(field));
        await checkDefault(db.pool, table, field, column!);
      },
    );

    it('has exactly the declared primary key and indexes (unique or not, columns in order, sort order)', async () => {
      const expected = expectedIndexes(model);
      expect(expected.filter((index) => index.primary)).toHaveLength(1);
      expect(await readIndexes(db.pool, table)).toEqual(expected);
    });

    it('has exactly the declared foreign keys (columns, referenced table and columns, ON DELETE, ON UPDATE)', async () => {
      expect(await readForeignKeys(db.pool, table)).toEqual(expectedForeignKeys(model));
    });
  });
});

describe('the migration record', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  const migrationRows = async (client: Queryable = db.pool) =>
    (
      await client.query<{
        id: string;
        checksum: string;
        finished_at: Date | null;
        migration_name: string;
        logs: string | null;
        rolled_back_at: Date | null;
        started_at: Date;
        applied_steps_count: number;
      }>('SELECT * FROM "_prisma_migrations" ORDER BY migration_name')
    ).rows;

  it('has one row per migration folder, in Prisma Migrate’s format', async () => {
    const folders = fs
      .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders.length).toBeGreaterThan(0);
    const rows = await migrationRows();
    expect(rows.map((row) => row.migration_name)).toEqual(folders);
    for (const row of rows) {
      const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(row.checksum).toBe(crypto.createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('has the columns Prisma Migrate creates', async () => {
    const columns = await readColumns(db.pool, '_prisma_migrations');
    expect(columns.map(({ name, udtName, nullable, characterMaximumLength }) => ({ name, udtName, nullable, characterMaximumLength }))).toEqual([
      { name: 'id', udtName: 'varchar', nullable: false, characterMaximumLength: 36 },
      { name: 'checksum', udtName: 'varchar', nullable: false, characterMaximumLength: 64 },
      { name: 'finished_at', udtName: 'timestamptz', nullable: true, characterMaximumLength: null },
      { name: 'migration_name', udtName: 'varchar', nullable: false, characterMaximumLength: 255 },
      { name: 'logs', udtName: 'text', nullable: true, characterMaximumLength: null },
      { name: 'rolled_back_at', udtName: 'timestamptz', nullable: true, characterMaximumLength: null },
      { name: 'started_at', udtName: 'timestamptz', nullable: false, characterMaximumLength: null },
      { name: 'applied_steps_count', udtName: 'int4', nullable: false, characterMaximumLength: null },
    ]);
  });

  it('is unchanged by a second run, which applies nothing', async () => {
    const before = await migrationRows();
    const schemaBefore = await readSchema(db.pool);
    const result = await db.migrate();
    expect(result).toEqual({ applied: [], alreadyApplied: readMigrations().length });
    expect(await migrationRows()).toEqual(before);
    expect(await readSchema(db.pool)).toEqual(schemaBefore);
  });
});

describe('a migration that fails', () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-migrations-'));
    fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    fs.mkdirSync(path.join(dir, '99991231000000_broken'));
    fs.writeFileSync(
      path.join(dir, '99991231000000_broken', 'migration.sql'),
      [
        '-- Creates a table, then fails: the table must not survive.',
        'CREATE TABLE "broken_probe" ("id" INTEGER PRIMARY KEY);',
        'INSERT INTO "broken_probe" VALUES (1);',
        'SELECT "no_such_column" FROM "broken_probe";',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const withClient = async <T>(run: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await db.pool.connect();
    try {
      return await run(client);
    } finally {
      client.release();
    }
  };

  it('leaves the database exactly as it was and names itself', async () => {
    const before = await readSchema(db.pool);
    const recordBefore = (await db.pool.query('SELECT * FROM "_prisma_migrations" ORDER BY migration_name')).rows;

    const failure = await withClient((client) => migrate(client, readMigrations(dir))).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(MigrationError);
    const message = (failure as Error).message;
    expect(message).toContain('migration 99991231000000_broken failed');
    expect(message).toContain('no_such_column');
    expect(message).toContain('at line 4');
    expect(message).toContain('the database was left as it was');

    expect(await readTables(db.pool)).not.toContain('broken_probe');
    expect(await readSchema(db.pool)).toEqual(before);
    expect((await db.pool.query('SELECT * FROM "_prisma_migrations" ORDER BY migration_name')).rows).toEqual(
      recordBefore,
    );
  });

  it('does not keep the migration lock: the next run goes ahead', async () => {
    const result = await db.migrate();
    expect(result.applied).toEqual([]);
  });

  it('stops at the failure on a fresh database: earlier migrations stay applied, later ones wait', async () => {
    const fresh = await openTestDatabase({ migrate: false });
    try {
      const names = readMigrations(dir).map((migration) => migration.name);
      const client = await fresh.pool.connect();
      try {
        await expect(migrate(client, readMigrations(dir))).rejects.toThrow(MigrationError);
      } finally {
        client.release();
      }
      const { rows } = await fresh.pool.query<{ migration_name: string }>(
        'SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows.map((row) => row.migration_name)).toEqual(names.filter((name) => name !== '99991231000000_broken'));
      expect(await readTables(fresh.pool)).not.toContain('broken_probe');
    } finally {
      await fresh.drop();
    }
  });
});

describe('a migration changed after it was applied', () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-migrations-'));
    fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  });

  afterAll(async () => {
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is refused, by name, and nothing is applied', async () => {
    const [first] = readMigrations();
    fs.appendFileSync(path.join(dir, first!.name, 'migration.sql'), '\n-- edited after the fact\n');
    const before = await readSchema(db.pool);
    const client = await db.pool.connect();
    try {
      await expect(migrate(client, readMigrations(dir))).rejects.toThrow(
        new MigrationError(
          `migration ${first!.name} was changed after it was applied (checksum differs); restore the original file`,
        ),
      );
    } finally {
      client.release();
    }
    expect(await readSchema(db.pool)).toEqual(before);
  });

  it('is refused when the database knows a migration this version does not (a newer Sundial migrated it)', async () => {
    const all = readMigrations();
    const client = await db.pool.connect();
    try {
      await expect(migrate(client, all.slice(0, -1))).rejects.toThrow(
        `the database has migrations this version does not know (${all.at(-1)!.name})`,
      );
    } finally {
      client.release();
    }
  });
});

describe('migrations started from two connections at once', () => {
  it('apply each migration once, and both runs succeed', async () => {
    const db = await openTestDatabase({ migrate: false });
    try {
      const [first, second] = await Promise.all([db.pool.connect(), db.pool.connect()]);
      try {
        const results = await Promise.all([migrate(first), migrate(second)]);
        const names = readMigrations().map((migration) => migration.name);
        // Between them they applied every migration exactly once; what one applied the other found done.
        expect([...results[0].applied, ...results[1].applied].sort()).toEqual(names);
        for (const result of results) expect(result.applied.length + result.alreadyApplied).toBe(names.length);
      } finally {
        first.release();
        second.release();
      }
      const { rows } = await db.pool.query<{ migration_name: string }>(
        'SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows.map((row) => row.migration_name)).toEqual(readMigrations().map((migration) => migration.name));
    } finally {
      await db.drop();
    }
  });
});

describe('audit_events', () => {
  let db: TestDatabase;
  let userId: string;
  let eventId: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    userId = crypto.randomUUID();
    await db.pool.query(`INSERT INTO users (id, email, name, updated_at) VALUES ($1, 'ada@example.com', 'Ada', now())`, [
      userId,
    ]);
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO audit_events (actor_id, actor_label, action, target_type, target_id, outcome, details)
       VALUES ($1, 'ada@example.com', 'job.create', 'job', 'j1', 'SUCCESS', '{"name":"nightly"}') RETURNING id`,
      [userId],
    );
    eventId = rows[0]!.id;
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('refuses an UPDATE', async () => {
    await expect(db.pool.query(`UPDATE audit_events SET action = 'job.delete' WHERE id = $1`, [eventId])).rejects.toThrow(
      'audit_events is append-only: UPDATE is not allowed',
    );
    await expect(
      db.pool.query(`UPDATE audit_events SET actor_id = NULL, outcome = 'DENIED' WHERE id = $1`, [eventId]),
    ).rejects.toThrow('append-only');
  });

  it('refuses a DELETE', async () => {
    await expect(db.pool.query('DELETE FROM audit_events WHERE id = $1', [eventId])).rejects.toThrow(
      'audit_events is append-only: DELETE is not allowed',
    );
  });

  it('keeps the event when its actor is deleted, with actor_id null and the label kept', async () => {
    await db.pool.query('DELETE FROM users WHERE id = $1', [userId]);
    const { rows } = await db.pool.query(
      'SELECT actor_id, actor_label, action, outcome, details FROM audit_events WHERE id = $1',
      [eventId],
    );
    expect(rows).toEqual([
      { actor_id: null, actor_label: 'ada@example.com', action: 'job.create', outcome: 'SUCCESS', details: { name: 'nightly' } },
    ]);
  });
});
