// Stores a batch of a run's log lines with one INSERT … SELECT FROM unnest(arrays): the same statement whatever the
// batch size, where Prisma's createMany is a new statement (and a new query plan) for every number of rows
// (bench/latency.ts's live-log figures). A line stored already (a retried write) is skipped.
import type { LogLevel } from '../../prisma.js';
import type { SqlClient } from '../client.js';

export interface LogLineRow {
  sequence: number;
  time: Date;
  level: LogLevel;
  message: string;
  /** JSON text, or null. */
  data: string | null;
}

/** traceId: the OpenTelemetry trace of the attempt that wrote the batch (one attempt per batch), or null. */
export async function insertLogLines(client: SqlClient, runId: string, lines: readonly LogLineRow[], traceId: string | null): Promise<void> {
  await client.query(
    `INSERT INTO run_log_lines (run_id, sequence, time, level, message, data, trace_id)
     SELECT $1::uuid, line.sequence, line.time, line.level::"LogLevel", line.message, line.data::jsonb, $7::text
     FROM unnest($2::int[], $3::timestamptz[], $4::text[], $5::text[], $6::text[]) AS line(sequence, time, level, message, data)
     ON CONFLICT (run_id, sequence) DO NOTHING`,
    [runId, lines.map((line) => line.sequence), lines.map((line) => line.time), lines.map((line) => line.level), lines.map((line) => line.message), lines.map((line) => line.data), traceId],
  );
}
