// Deletes up to `limit` log lines of these runs; returns how many went.
import type { SqlClient } from '../client.js';

const DELETE_LOG_LINES = `
  DELETE FROM run_log_lines WHERE id IN (
    SELECT id FROM run_log_lines WHERE run_id = ANY($1::uuid[]) LIMIT $2
  )`;

export async function deleteLogLines(sql: SqlClient, runIds: readonly string[], limit: number): Promise<number> {
  const { rowCount } = await sql.query(DELETE_LOG_LINES, [runIds, limit]);
  return rowCount ?? 0;
}
