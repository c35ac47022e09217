// Every plain-SQL statement of the server is a function in db/sql/<area>/<operation>.ts that takes a SqlClient and
// returns checked rows; nothing outside db/ writes SQL text. Prisma's query builder stays the default for ordinary
// reads and writes; a statement lives here when Prisma cannot express it or its per-query cost was measured
// (the file's header names the benchmark).
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { z } from 'zod';
import type { Prisma } from '../prisma.js';

/** What a statement needs: a pg pool, a checked-out pg client, or a Prisma transaction seen through `prismaSql`. */
export interface SqlClient {
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: Row[]; rowCount: number | null }>;
}

/**
 * A Prisma client or interactive transaction as a SqlClient, so a statement joins the transaction it is called in.
 * Prisma parses column types its own way (bigint as BigInt, numeric as Decimal): row schemas coerce where it matters.
 */
export function prismaSql(client: Pick<Prisma.TransactionClient, '$queryRawUnsafe'>): SqlClient {
  return {
    async query<Row extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
      const rows = await client.$queryRawUnsafe<Row[]>(text, ...values);
      return { rows, rowCount: rows.length };
    },
  };
}

/** The rows of a result, each checked against its schema: a column renamed or retyped fails here, not downstream. */
export function parseRows<Schema extends z.ZodType>(schema: Schema, rows: unknown[]): z.infer<Schema>[] {
  return rows.map((row) => schema.parse(row));
}

/**
 * A pool whose statements are sent as named (prepared) statements, planned once per connection: `<prefix><hash of
 * the text>`, so one name never stands for two texts. Only where each pool connection is a session of its own: the
 * embedded database serves every connection from one session, where a second PREPARE of a name is an error.
 */
export function preparedStatements(pool: pg.Pool, prefix: string): SqlClient {
  const names = new Map<string, string>();
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (name === undefined) names.set(text, (name = `${prefix}${createHash('sha1').update(text).digest('hex').slice(0, 16)}`));
    return name;
  };
  return {
    query: <Row extends pg.QueryResultRow>(text: string, values: unknown[] = []) => pool.query<Row>({ name: nameOf(text), text, values }),
  };
}
