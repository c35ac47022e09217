// Schedule lag (T3): N enabled jobs, each every 10 s with its slots spread evenly over the interval (job i's phase is
// i/N of it), on two worker processes and one API process (this one, jobs.enabled=false) sharing one PostgreSQL
// database. After a warm-up interval (its lag printed on its own), phase 1 counts the slots of a window: slot →
// action start (the action returns the moment it started, bench/api-actions/slot-stamp.ts) p50/p95/p99, slots missed
// (no run that executed: none made, skipped, or not finished), and duplicate runs per (job, slot). Phase 2, the next
// window of the same length: one worker is SIGKILLed half-way; the other takes over the slots placed on the dead
// worker (a poll after their time while the dead one still counts as live, at their time once its beat is older than
// jobs.stale_after_ms) and the sweeper retries its runs (once their two beats are missed: the killed worker's liveness
// lock went with its connection, engine/sweeper.ts). The gap is the largest slot → start lag of the slots due after
// the kill. The workers' settings are the defaults but for jobs.stale_after_ms, shortened so phase 2 fits its window
// (WORKER_SETTINGS). PostgreSQL only: the embedded database is one process.
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile, startBenchApi, type BenchApi } from './api-setup.js';
import type { Figure } from './report.js';
import type { ScheduleWorkerInput, ScheduleWorkerMessage } from './schedule-lag-worker.js';

export interface ScheduleLagOptions {
  jobs: number;
  /** Each phase's window. */
  seconds: number;
}

const INTERVAL_MS = 10_000;
const TARGET_P99_MS = 50;
/** Worker settings on top of the defaults: a worker is declared lost after 10 s without a heartbeat. */
const WORKER_SETTINGS: ScheduleWorkerInput['overrides'] = { jobs: { heartbeat_ms: 2000, stale_after_ms: 10_000 }, scheduler: {} };
const STALE_AFTER_MS = 10_000;
/** Time for the two workers to start (they make the jobs' Agenda timers as they start) before the first slot. */
const START_MARGIN_MS = 30_000;
const ACTIONS_DIR = fileURLToPath(new URL('./api-actions', import.meta.url));

interface Worker {
  pid: number;
  kill(): void;
  stop(): Promise<void>;
  /** The worker's event-loop delay since it started or was last asked: p99 and max, ms. */
  loopDelay(): Promise<{ p99Ms: number; maxMs: number }>;
}

async function startWorker(input: ScheduleWorkerInput): Promise<Worker> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./schedule-lag-worker.ts', import.meta.url)), [JSON.stringify(input)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let pid: number;
  try {
    pid = await new Promise<number>((resolve, reject) => {
      child.on('message', (message: ScheduleWorkerMessage) => {
        if (message.type === 'started') resolve(message.pid);
        else if (message.type === 'failed') reject(new Error(`a worker process failed: ${message.message}`));
      });
      child.once('exit', (code) => reject(new Error(`a worker process exited (${code}) before it started`)));
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    pid,
    kill: () => child.kill('SIGKILL'),
    loopDelay: () =>
      new Promise((resolve) => {
        const answer = (message: ScheduleWorkerMessage) => {
          if (message.type !== 'loop') return;
          child.off('message', answer);
          resolve(message);
        };
        child.on('message', answer);
        child.send('loop');
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send('stop');
      else child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * The jobs, inserted in SQL (a thousand through the services would take longer than the benchmark): job i's slots are
 * at anchor + i·interval/N + k·interval. Each has one retry: a run the kill interrupts can only run its slot again
 * as another attempt (a job without retries ends it interrupted).
 */
async function seed(api: BenchApi, jobs: number, anchor: number): Promise<void> {
  const step = INTERVAL_MS / jobs;
  await api.app.database.pool.query(
    `WITH j AS (
       INSERT INTO jobs (id, name, action, enabled, retries, retry_backoff_ms, next_run_at, updated_at)
       SELECT gen_random_uuid(), 'lag ' || g, 'bench.slot-stamp', true, 1, 0, $1::timestamptz + make_interval(secs => g * $2::float8 / 1000), now()
       FROM generate_series(0, $3::int - 1) AS g
       RETURNING id, next_run_at)
     INSERT INTO job_schedules (id, job_id, position, schedule_kind, interval_seconds, start_at, next_run_at, updated_at)
     SELECT gen_random_uuid(), j.id, 0, 'INTERVAL', $4::int, j.next_run_at, j.next_run_at, now() FROM j`,
    [new Date(anchor), step, jobs, INTERVAL_MS / 1000],
  );
}

interface SlotRun {
  job_id: string;
  scheduled_for: Date;
  status: string;
  late: boolean;
  attempt: number;
  worker_id: string | null;
  started_ms: number | null;
  created_ms: number;
  claimed_ms: number | null;
}

interface PhaseResult {
  expected: number;
  executed: number;
  missed: number;
  /** Of the missed: no run at all, a skipped run, a run not finished when counted. */
  missedBy: { noRun: number; skipped: number; unfinished: number };
  duplicates: number;
  late: number;
  reexecuted: number;
  lagMs: { p50: number; p95: number; p99: number; max: number };
  /**
   * Where the lag goes (p50 / p99, ms): slot → the firing's transaction (the run's created_at: Agenda's timer
   * delivered and the handler began), firing → claim (the run's started_at), claim → the action's first line.
   */
  stages: { toFiring: [number, number]; toClaim: [number, number]; toAction: [number, number] };
  /** Executed runs per worker process (by pid). */
  perWorker: Record<string, number>;
}

/** Every (job, slot) due in [from, to) against the runs made for them. */
async function collect(api: BenchApi, from: number, to: number, only?: (slot: number) => boolean): Promise<PhaseResult> {
  const pool = api.app.database.pool;
  const { rows: schedules } = await pool.query<{ job_id: string; start_at: Date }>(
    `SELECT s.job_id, s.start_at FROM job_schedules s JOIN jobs j ON j.id = s.job_id WHERE j.action = 'bench.slot-stamp'`,
  );
  const { rows: runs } = await pool.query<SlotRun>(
    `SELECT job_id, scheduled_for, status::text AS status, late, attempt, worker_id, (output->>'startedAtMs')::float8 AS started_ms,
       extract(epoch FROM created_at) * 1000 AS created_ms, extract(epoch FROM started_at) * 1000 AS claimed_ms
     FROM runs WHERE trigger = 'SCHEDULE' AND scheduled_for >= $1 AND scheduled_for < $2`,
    [new Date(from), new Date(to)],
  );
  const bySlot = new Map<string, SlotRun[]>();
  for (const run of runs) {
    const key = `${run.job_id}@${run.scheduled_for.getTime()}`;
    bySlot.set(key, [...(bySlot.get(key) ?? []), run]);
  }
  const result: PhaseResult = {
    expected: 0, executed: 0, missed: 0, missedBy: { noRun: 0, skipped: 0, unfinished: 0 }, duplicates: 0, late: 0, reexecuted: 0,
    lagMs: { p50: NaN, p95: NaN, p99: NaN, max: NaN }, stages: { toFiring: [NaN, NaN], toClaim: [NaN, NaN], toAction: [NaN, NaN] }, perWorker: {},
  };
  const lags: number[] = [];
  const stages = { toFiring: [] as number[], toClaim: [] as number[], toAction: [] as number[] };
  for (const { job_id, start_at } of schedules) {
    const first = start_at.getTime() + Math.max(0, Math.ceil((from - start_at.getTime()) / INTERVAL_MS)) * INTERVAL_MS;
    for (let slot = first; slot < to; slot += INTERVAL_MS) {
      if (only && !only(slot)) continue;
      result.expected += 1;
      const made = bySlot.get(`${job_id}@${slot}`) ?? [];
      if (made.length > 1) result.duplicates += made.length - 1;
      const executed = made.find((run) => run.started_ms !== null);
      if (!executed) {
        result.missed += 1;
        if (made.length === 0) result.missedBy.noRun += 1;
        else if (made.every((run) => run.status === 'SKIPPED')) result.missedBy.skipped += 1;
        else result.missedBy.unfinished += 1;
        continue;
      }
      result.executed += 1;
      if (executed.late) result.late += 1;
      if (executed.attempt > 1) result.reexecuted += 1;
      lags.push(executed.started_ms! - slot);
      // created_at is the firing transaction's now(); started_at is set by the claim.
      stages.toFiring.push(Number(executed.created_ms) - slot);
      if (executed.claimed_ms !== null) {
        stages.toClaim.push(Number(executed.claimed_ms) - Number(executed.created_ms));
        stages.toAction.push(executed.started_ms! - Number(executed.claimed_ms));
      }
      const pid = executed.worker_id?.split(':')[1] ?? 'unknown';
      result.perWorker[pid] = (result.perWorker[pid] ?? 0) + 1;
    }
  }
  lags.sort((a, b) => a - b);
  for (const key of ['toFiring', 'toClaim', 'toAction'] as const) {
    const sorted = stages[key].sort((a, b) => a - b);
    result.stages[key] = [percentile(sorted, 50), percentile(sorted, 99)];
  }
  result.lagMs = { p50: percentile(lags, 50), p95: percentile(lags, 95), p99: percentile(lags, 99), max: lags.at(-1) ?? NaN };
  return result;
}

/** Whether every slot due in [from, to) has a run that executed (or a deadline passed). */
async function waitForSlots(api: BenchApi, from: number, to: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const { missed } = await collect(api, from, to);
    if (missed === 0) return;
    await sleep(1000);
  }
}

const missedBy = ({ missedBy: by }: PhaseResult) => `${by.noRun} without a run, ${by.skipped} skipped, ${by.unfinished} never executed`;
const stage = ([p50, p99]: [number, number]) => `${p50.toFixed(0)}/${p99.toFixed(0)}`;

async function sleepUntil(at: number): Promise<void> {
  const ms = at - Date.now();
  if (ms > 0) await sleep(ms);
}

export async function benchScheduleLag({ jobs, seconds }: ScheduleLagOptions): Promise<{ figures: Figure[]; details: unknown }> {
  const api = await startBenchApi('postgres', { jobs: { enabled: false } });
  const workers: Worker[] = [];
  try {
    const anchor = Math.ceil((Date.now() + START_MARGIN_MS) / INTERVAL_MS) * INTERVAL_MS;
    await seed(api, jobs, anchor);
    const input: ScheduleWorkerInput = { databaseUrl: api.databaseUrl, actionsDir: ACTIONS_DIR, overrides: WORKER_SETTINGS };
    workers.push(...(await Promise.all([startWorker(input), startWorker(input)])));
    // The warm-up interval opens at the first whole interval after both workers are up (and not before the first
    // slot); the first window follows it. The warm-up takes two idle workers to 100 firings a second: their pools
    // open connections (each a new server process that prepares and plans every statement afresh) and V8 compiles
    // the firing path, and its first seconds queue behind that. Its lag is printed on its own, and its slots count
    // toward missed slots and duplicates.
    const ready = Date.now() + 1000;
    const windowMs = seconds * 1000;
    const warmFrom = anchor + Math.max(0, Math.ceil((ready - anchor) / INTERVAL_MS)) * INTERVAL_MS;
    const p1From = warmFrom + INTERVAL_MS;
    const p1To = p1From + windowMs;
    const loadPhase1 = os.loadavg();
    await sleepUntil(p1To);
    await waitForSlots(api, warmFrom, p1To, Date.now() + INTERVAL_MS);
    const warmUp = await collect(api, warmFrom, p1From);
    const phase1 = await collect(api, p1From, p1To);
    const loops = await Promise.all(workers.map((worker) => worker.loopDelay()));

    // Phase 2: the next window; the second worker is SIGKILLed half-way.
    const p2From = p1To;
    const p2To = p2From + windowMs;
    const killAt = p2From + windowMs / 2;
    const loadPhase2 = os.loadavg();
    await sleepUntil(killAt);
    const killed = workers[1]!;
    killed.kill();
    const killedAt = Date.now();
    await sleepUntil(p2To);
    // The dead worker's slots come back once its locks expire: wait for them past the window's end.
    await waitForSlots(api, p2From, p2To, Date.now() + STALE_AFTER_MS + 3 * INTERVAL_MS);
    const phase2 = await collect(api, p2From, p2To);
    const afterKill = await collect(api, p2From, p2To, (slot) => slot >= killedAt);

    const base = { benchmark: 'schedule lag', mode: 'postgres', agenda: null } as const;
    const at = `${jobs} jobs/10 s, 2 workers`;
    const figures: Figure[] = [
      { ...base, metric: `slot → start p99 (${at})`, unit: 'ms', better: 'lower', sundial: phase1.lagMs.p99, target: { kind: 'at most', value: TARGET_P99_MS }, note: `p50 ${phase1.lagMs.p50.toFixed(0)} ms, p95 ${phase1.lagMs.p95.toFixed(0)} ms, max ${phase1.lagMs.max.toFixed(0)} ms over ${phase1.executed} runs; per worker ${Object.values(phase1.perWorker).join('/')}; p50/p99 slot → firing ${stage(phase1.stages.toFiring)}, firing → claim ${stage(phase1.stages.toClaim)}, claim → action ${stage(phase1.stages.toAction)} ms; workers' event-loop delay p99/max ${loops.map((l) => `${l.p99Ms.toFixed(0)}/${l.maxMs.toFixed(0)}`).join(', ')} ms` },
      { ...base, metric: 'slot → start p95', unit: 'ms', better: 'lower', sundial: phase1.lagMs.p95 },
      { ...base, metric: 'slot → start p50', unit: 'ms', better: 'lower', sundial: phase1.lagMs.p50 },
      { ...base, metric: 'warm-up interval: slot → start p99', unit: 'ms', better: 'lower', sundial: warmUp.lagMs.p99, note: `the ${INTERVAL_MS / 1000} s before the window, from idle workers; p50 ${warmUp.lagMs.p50.toFixed(0)} ms, p95 ${warmUp.lagMs.p95.toFixed(0)} ms, max ${warmUp.lagMs.max.toFixed(0)} ms over ${warmUp.executed} runs` },
      { ...base, metric: 'missed slots', unit: 'slots', better: 'lower', sundial: warmUp.missed + phase1.missed, target: { kind: 'at most', value: 0 }, note: `of ${warmUp.expected + phase1.expected} (warm-up and window: ${missedBy(warmUp)}, ${missedBy(phase1)}); ${warmUp.late + phase1.late} late (catch-up)` },
      { ...base, metric: 'duplicate runs per slot', unit: 'runs', better: 'lower', sundial: warmUp.duplicates + phase1.duplicates, target: { kind: 'at most', value: 0 } },
      { ...base, metric: 'worker killed: gap', unit: 's', better: 'lower', sundial: afterKill.lagMs.max / 1000, target: { kind: 'at most', value: STALE_AFTER_MS / 1000 }, note: `largest slot → start lag of the ${afterKill.expected} slots due after the SIGKILL; p50 ${afterKill.lagMs.p50.toFixed(0)} ms; jobs.stale_after_ms ${STALE_AFTER_MS}` },
      { ...base, metric: 'worker killed: missed slots', unit: 'slots', better: 'lower', sundial: phase2.missed, target: { kind: 'at most', value: 0 }, note: `of ${phase2.expected} (${missedBy(phase2)}); ${phase2.reexecuted} re-executed (interrupted, retried)` },
      { ...base, metric: 'worker killed: duplicates', unit: 'runs', better: 'lower', sundial: phase2.duplicates, target: { kind: 'at most', value: 0 } },
    ];
    return { figures, details: { jobs, seconds, intervalMs: INTERVAL_MS, workerSettings: WORKER_SETTINGS, loadPhase1, loadPhase2, warmUp, phase1, loops, phase2, afterKill } };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await api.close();
  }
}
