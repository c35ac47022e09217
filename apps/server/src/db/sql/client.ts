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
 * the text>`, so one name never stands for two texts. The engine's hot statements go this way on both databases:
 * planning the run-ending statement with its notification outbox tail cost as much as running it, on PostgreSQL's
 * server and in the embedded database's process alike (bench/throughput.ts).
 *
 * `sharedSession`: the embedded database serves every connection from one session, where preparing one name twice
 * is an error; there each connection prepares its own copy under its own name (`_<connection>` appended), so the
 * pool's connections must live as long as the pool (no idle timeout) for the copies to stay few.
 */
export function preparedStatements(pool: pg.Pool, prefix: string, { sharedSession = false }: { sharedSession?: boolean } = {}): SqlClient {
  const names = new Map<string, string>();
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (name === undefined) names.set(text, (name = `${prefix}${createHash('sha1').update(text).digest('hex').slice(0, 16)}`));
    return name;
  };
  if (!sharedSession) {
    return {
      query: <Row extends pg.QueryResultRow>(text: string, values: unknown[] = []) => pool.query<Row>({ name: nameOf(text), text, values }),
    };
  }
  const connections = new WeakMap<pg.PoolClient, number>();
  let nextConnection = 0;
  return {
    async query<Row extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
      const client = await pool.connect();
      let connection = connections.get(client);
      if (connection === undefined) connections.set(client, (connection = nextConnection++));
      try {
        const result = await client.query<Row>({ name: `${nameOf(text)}_${connection}`, text, values });
        client.release();
        return result;
      } catch (error) {
        // As pool.query does: a connection that failed a statement is not handed out again.
        client.release(error as Error);
        throw error;
      }
    },
  };
}

/**
 * Runs `fn` in one transaction on one connection of the pool, for plain-SQL work that spans statements with code in
 * between (a batch firing reads, decides, then writes). Rolled back when `fn` throws; a connection whose rollback
 * failed is not handed out again.
 */
export async function sqlTransaction<T>(pool: pg.Pool, fn: (client: SqlClient) => Promise<T>): Promise<T> {
  const connection = await pool.connect();
  try {
    await connection.query('BEGIN');
    const result = await fn(connection);
    await connection.query('COMMIT');
    connection.release();
    return result;
  } catch (error) {
    const rolledBack = await connection.query('ROLLBACK').then(
      () => true,
      () => false,
    );
    connection.release(!rolledBack);
    throw error;
  }
}
