// The one way runs come to exist. Run now and the API (services/runs.ts), a retry, a schedule's occurrence
// (engine/occurrences.ts) and per-user children (engine/fan-out.ts) all insert through `insert` (children through
// `insertUnread`: the same statement, without reading the rows back), in one statement per group, inside the
// caller's transaction when it has one. Callers publish and dispatch after their commit.
// Follow-ups (a chain) are the one other insert, with the same columns, inside the statement that ends the run that
// starts them (db/sql/runs/follow-ups.ts, engine/chains.ts): that is what makes them exactly once.
import { v7 as uuidv7 } from 'uuid';
import type { Job, Prisma, PrismaClient, Run, RunTrigger } from '../db/prisma.js';
import type { SqlClient } from '../db/sql/client.js';
import { insertRuns, insertRunsUnread, type NewRunRow } from '../db/sql/runs/insert.js';
import { ENGINE_DEFAULTS, type ActionCatalog } from './actions.js';
import { INITIAL_STATUSES } from './transitions.js';

export interface NewRun {
  jobId: string;
  trigger: RunTrigger;
  /** The effective args, stored as JSON (checked again against the action's schema when the run starts). */
  args: Prisma.JsonValue | Record<string, unknown>;
  since: Date | null;
  maxAttempts: number;
  title?: string | null;
  parentRunId?: string | null;
  targetUserId?: string | null;
  /**
   * Unique: "<job>@<schedule>@<slot>" for a schedule's slot, "<backfill>@<schedule>@<slot>" for a backfill's,
   * "<parent>/<user>" for a child; a second insert adds nothing.
   */
  occurrenceKey?: string | null;
  scheduledFor?: Date | null;
  startedById?: string | null;
  /** QUEUED (default), or SKIPPED with its reason (a misfire or overlap policy). */
  status?: (typeof INITIAL_STATUSES)[number];
  statusReason?: string | null;
  late?: boolean;
  /** The schedule whose slot this is (SCHEDULE and BACKFILL runs). */
  scheduleId?: string | null;
  backfillId?: string | null;
}

export class RunCreation {
  constructor(private readonly resources: { sql: SqlClient; actions: ActionCatalog }) {}

  /**
   * Inserts the runs in one statement on `client` (a transaction's, or the pool). Resolves with one entry per run
   * given, in order: the inserted run, or null when its occurrence key existed already.
   */
  async insert(runs: readonly NewRun[], client: SqlClient = this.resources.sql): Promise<Array<Run | null>> {
    if (runs.length === 0) return [];
    const rows = newRunRows(runs);
    const inserted = await insertRuns(client, rows);
    const byId = new Map(inserted.map((run) => [run.id, run]));
    return rows.map((row) => byId.get(row.id) ?? null);
  }

  /** Inserts the runs in one statement, as `insert` does, without reading them back; resolves with how many were new. */
  async insertUnread(runs: readonly NewRun[], client: SqlClient = this.resources.sql): Promise<number> {
    return runs.length === 0 ? 0 : insertRunsUnread(client, newRunRows(runs));
  }

  /** Attempts a run of this job gets: the job's retries, else its action's, else the engine's default, plus one. */
  maxAttempts(job: Pick<Job, 'action' | 'retries'>): number {
    const retries = job.retries ?? this.resources.actions.get(job.action)?.defaults.retries ?? ENGINE_DEFAULTS.retries;
    return retries + 1;
  }
}

/** The rows of new runs: a fresh id (time-ordered), QUEUED unless given otherwise. */
function newRunRows(runs: readonly NewRun[]): NewRunRow[] {
  const now = new Date();
  return runs.map((run): NewRunRow => {
    const status = run.status ?? 'QUEUED';
    return {
      id: uuidv7(),
      jobId: run.jobId,
      parentRunId: run.parentRunId ?? null,
      targetUserId: run.targetUserId ?? null,
      occurrenceKey: run.occurrenceKey ?? null,
      trigger: run.trigger,
      title: run.title ?? null,
      args: JSON.stringify(run.args ?? {}),
      since: run.since,
      scheduledFor: run.scheduledFor ?? null,
      startedById: run.startedById ?? null,
      maxAttempts: run.maxAttempts,
      status,
      statusReason: run.statusReason ?? null,
      // A run created skipped or failed is over at once.
      finishedAt: status === 'QUEUED' ? null : now,
      late: run.late ?? false,
      scheduleId: run.scheduleId ?? null,
      backfillId: run.backfillId ?? null,
    };
  });
}

/** `since`: the start time of the job's last succeeded run (top-level), or null for the first. */
export async function lastSuccessStart(prisma: PrismaClient | Prisma.TransactionClient, jobId: string): Promise<Date | null> {
  const last = await prisma.run.findFirst({
    where: { jobId, parentRunId: null, status: 'SUCCEEDED' },
    orderBy: { startedAt: 'desc' },
    select: { startedAt: true },
  });
  return last?.startedAt ?? null;
}
