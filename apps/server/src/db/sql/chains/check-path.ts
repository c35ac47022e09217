// Whether a follow-up's path is valid SQL/JSON path syntax, judged by the database that will evaluate it
// (db/sql/runs/follow-ups.ts): a stored path that failed to parse would fail the statement ending a run. PostgreSQL
// 15 has no pg_input_is_valid, so the cast runs in a savepoint of the caller's transaction and a failure rolls just
// that back. One function per statement: the savepoint's three and the cast.
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';

/** Null when `path` parses as a jsonpath; else the database's message. Must run inside a transaction. */
export async function jsonPathProblem(client: SqlClient, path: string): Promise<string | null> {
  await client.query('SAVEPOINT follow_up_path');
  try {
    const { rows } = await client.query('SELECT $1::text::jsonpath::text AS parsed', [path]);
    parseRows(z.object({ parsed: z.string() }), rows);
    await client.query('RELEASE SAVEPOINT follow_up_path');
    return null;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT follow_up_path');
    await client.query('RELEASE SAVEPOINT follow_up_path');
    return (error as Error).message.replace(/^.*?(syntax error|invalid)/s, '$1');
  }
}
