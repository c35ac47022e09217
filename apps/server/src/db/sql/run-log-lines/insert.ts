// Stores log lines, of one run or of several (runs flushing at the same moment share it: bench/throughput.ts paid one
// statement per run otherwise), with one INSERT … SELECT FROM unnest(arrays): the same statement whatever the
// batch size, where Prisma's createMany is a new statement (and a new query plan) for every number of rows
// (bench/latency.ts's live-log figures). A line stored already (a retried write) is skipped.
import type { LogLevel } from '../../prisma.js';
import type { SqlClient } from '../client.js';

export interface LogLineRow {
  runId: string;
  sequence: number;
  time: Date;
  level: LogLevel;
  message: string;
  /** JSON text, or null. */
  data: string | null;
  /** The OpenTelemetry trace of the attempt that wrote the line, or null. */
  traceId: string | null;
}

export async function insertLogLines(client: SqlClient, lines: readonly LogLineRow[]): Promise<void> {
  await client.query(
    `INSERT INTO run_log_lines (run_id, sequence, time, level, message, data, trace_id)
     SELECT line.run_id, line.sequence, line.time, line.level::"LogLevel", line.message, line.data::jsonb, line.trace_id
     FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[])
       AS line(run_id, sequence, time, level, message, data, trace_id)
     ON CONFLICT (run_id, sequence) DO NOTHING`,
    [
      lines.map((line) => line.runId), lines.map((line) => line.sequence), lines.map((line) => line.time), lines.map((line) => line.level),
      lines.map((line) => line.message), lines.map((line) => line.data), lines.map((line) => line.traceId),
    ],
  );
}
