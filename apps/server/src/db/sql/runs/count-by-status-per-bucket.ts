// The dashboard's runs chart: top-level runs created in [from, to) counted by status per time bucket, in one
// GROUP BY over the created_at index, so the chart stays true (and the answer small) at millions of runs a day.
// Prisma's groupBy cannot bucket a timestamp, hence plain SQL.
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';

const Row = z.object({
  bucketStart: z.coerce.date(),
  status: z.string(),
  count: z.coerce.number().int(),
});

export type RunStatusBucketRow = z.infer<typeof Row>;

export async function countRunsByStatusPerBucket(
  sql: SqlClient,
  { from, to, bucketSeconds }: { from: Date; to: Date; bucketSeconds: number },
): Promise<RunStatusBucketRow[]> {
  const result = await sql.query(
    `SELECT date_bin(make_interval(secs => $3::int), r."created_at", $1::timestamptz) AS "bucketStart",
            r."status"::text AS "status",
            count(*)::int AS "count"
       FROM "runs" r
      WHERE r."created_at" >= $1::timestamptz AND r."created_at" < $2::timestamptz AND r."parent_run_id" IS NULL
      GROUP BY 1, 2
      ORDER BY 1, 2`,
    [from.toISOString(), to.toISOString(), bucketSeconds],
  );
  return parseRows(Row, result.rows);
}
