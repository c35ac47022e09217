// Runs per time bucket by status, for the dashboard: the window is checked (order, size, bucket count) so one
// request cannot ask the database for a million buckets, and empty buckets are filled in so the chart's axis is real.
import { RunStatus } from '../db/generated/prisma/enums.js';
import { prismaSql } from '../db/sql/client.js';
import { countRunsByStatusPerBucket } from '../db/sql/runs/count-by-status-per-bucket.js';
import type { DbClient } from './db-client.js';
import { ValidationError, type FieldError } from './errors.js';

export const MAX_BUCKETS = 500;
export const MIN_BUCKET_SECONDS = 60;

export interface RunHistogramBucket {
  start: Date;
  total: number;
  byStatus: { status: RunStatus; count: number }[];
}

export interface RunHistogram {
  from: Date;
  to: Date;
  bucketSeconds: number;
  total: number;
  buckets: RunHistogramBucket[];
}

function check({ from, to, bucketSeconds }: { from: Date; to: Date; bucketSeconds: number }): void {
  const errors: FieldError[] = [];
  if (!(to.getTime() > from.getTime())) errors.push({ field: 'to', message: `must be after from (${from.toISOString()})` });
  if (!Number.isInteger(bucketSeconds) || bucketSeconds < MIN_BUCKET_SECONDS) {
    errors.push({ field: 'bucketSeconds', message: `must be a whole number of seconds, at least ${MIN_BUCKET_SECONDS}; got ${bucketSeconds}` });
  } else if (errors.length === 0) {
    const buckets = Math.ceil((to.getTime() - from.getTime()) / (bucketSeconds * 1000));
    if (buckets > MAX_BUCKETS) {
      errors.push({ field: 'bucketSeconds', message: `gives ${buckets} buckets between from and to; at most ${MAX_BUCKETS} are allowed (use larger buckets)` });
    }
  }
  if (errors.length > 0) throw new ValidationError(errors);
}

const STATUSES: readonly string[] = Object.values(RunStatus);
const isRunStatus = (value: string): value is RunStatus => STATUSES.includes(value);

export async function runHistogram(db: DbClient, window: { from: Date; to: Date; bucketSeconds: number }): Promise<RunHistogram> {
  check(window);
  const rows = await countRunsByStatusPerBucket(prismaSql(db), window);
  const size = window.bucketSeconds * 1000;
  const count = Math.ceil((window.to.getTime() - window.from.getTime()) / size);
  const buckets: RunHistogramBucket[] = Array.from({ length: count }, (_, index) => ({
    start: new Date(window.from.getTime() + index * size),
    total: 0,
    byStatus: [],
  }));
  let total = 0;
  for (const row of rows) {
    const bucket = buckets[Math.floor((row.bucketStart.getTime() - window.from.getTime()) / size)];
    if (!bucket || !isRunStatus(row.status)) continue;
    bucket.byStatus.push({ status: row.status, count: row.count });
    bucket.total += row.count;
    total += row.count;
  }
  return { ...window, total, buckets };
}
