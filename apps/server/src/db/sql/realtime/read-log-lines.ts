// Stored log lines `from`..`to` of a run, for a receiver of a line too large to travel in a NOTIFY (realtime/postgres.ts).
import { z } from 'zod';
import { LogLevel } from '../../generated/prisma/enums.js';
import { parseRows, type SqlClient } from '../client.js';
import { json } from '../rows/columns.js';

const READ_LOG_LINES = `
  SELECT sequence, time, level, message, data, trace_id AS "traceId" FROM run_log_lines
  WHERE run_id = $1 AND sequence BETWEEN $2 AND $3 ORDER BY sequence`;

const logLineRow = z.object({
  sequence: z.number().int(),
  time: z.date(),
  level: z.enum(LogLevel),
  message: z.string(),
  data: json.nullable(),
  traceId: z.string().nullable(),
});

export async function selectLogLines(sql: SqlClient, runId: string, from: number, to: number) {
  const { rows } = await sql.query(READ_LOG_LINES, [runId, from, to]);
  return parseRows(logLineRow, rows);
}
