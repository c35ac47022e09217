// Two worker processes on one PostgreSQL share the work (issue T2). One API process (this one, jobs.enabled=false)
// and worker processes forked on the same database (workers-share-worker.ts), the no-op action writing two log
// lines. Measured:
// - run now in bursts: one worker; one worker holding both workers' slots; two workers. Runs/s from the first run
//   queued to the last one ended, and with two workers each one's share of the runs (target 35–65 % each);
// - 10 jobs every 2 s, scheduled, on two workers: each one's share of the occurrences (target 35–65 % each);
// - the CPU time of each process during each phase (this API process from process.cpuUsage, the workers and every
//   postgres process of the machine from /proc/<pid>/stat), and CPU per run with one worker and with two: on a
//   2-core machine the processes and PostgreSQL can fill both cores, so the second worker cannot add throughput, but
//   the work per run must not grow with it. PostgreSQL's CPU includes anything else on the same server meanwhile.
// The two-worker throughput target is 1.5 × one worker, or what the cores allow when that is lower: the cores ÷ CPU
// per run with one worker (every core busy with this work alone), printed as a figure of its own. Beside them, one
// worker holding both workers' slots: the claims, outcomes and log lines of twice as many runs share each
// statement, which shows how much of the CPU per run is per statement rather than per run.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startBenchApi, type BenchApi } from './api-setup.js';
import { TERMINAL_STATUSES } from '../apps/server/src/engine/transitions.js';
import type { Figure } from './report.js';
import type { ShareWorkerInput, ShareWorkerMessage } from './workers-share-worker.js';

export interface WorkersShareOptions {
  /** Runs queued by run now per phase. */
  burstRuns: number;
  /** Slots each of the 10 scheduled jobs runs (every 2 s). */
  scheduledSlots: number;
}

const CONCURRENCY = 10;
const SCHEDULED_JOBS = 10;
const INTERVAL_SECONDS = 2;
/** Run-now calls in flight at once while a burst is queued. */
const BURST_PARALLEL = 50;
const SHARE_TARGET = { low: 35, high: 65 };
const ACTIONS_DIR = fileURLToPath(new URL('./api-actions', import.meta.url));
const TICKS_PER_SECOND = 100;

interface ShareWorker {
  pid: number;
  stop(): Promise<void>;
}

async function startWorker(input: ShareWorkerInput): Promise<ShareWorker> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./workers-share-worker.ts', import.meta.url)), [JSON.stringify(input)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      child.on('message', (message: ShareWorkerMessage) => {
        if (message.type === 'started') resolve();
        else reject(new Error(`a worker process failed: ${message.message}`));
      });
      child.once('exit', (code) => reject(new Error(`a worker process exited (${code}) before it started`)));
    });
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.connected) child.send('stop');
      await exited;
    },
  };
}

/** Starts worker processes into `workers` (so that the caller's cleanup stops them too) and waits until each knows the others. */
async function startWorkers(api: BenchApi, workers: ShareWorker[], input: ShareWorkerInput, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) workers.push(await startWorker(input));
  await workersKnowEachOther(api, count);
}

async function stopWorkers(workers: ShareWorker[]): Promise<void> {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
}

/** utime + stime of a process in ms, from /proc (0 when it is gone). */
function procCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after its closing parenthesis; utime, stime are 14, 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The CPU time of every postgres process on this machine, by pid (processes come and go: one per connection). */
function postgresCpu(): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    cpu.set(Number(entry), procCpuMs(Number(entry)));
  }
  return cpu;
}

/** The whole machine's CPU time in ms, from /proc/stat: what every process and the kernel used, what sat idle, what the hypervisor took. */
interface MachineCpu {
  busy: number;
  idle: number;
  stolen: number;
}

function machineCpu(): MachineCpu {
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (in ticks): fields 0–9 after the label
  const ticks = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const ms = (...fields: number[]) => (fields.reduce((sum, field) => sum + (ticks[field] ?? 0), 0) * 1000) / TICKS_PER_SECOND;
  return { busy: ms(0, 1, 2, 5, 6), idle: ms(3, 4), stolen: ms(7) };
}

interface CpuSample {
  api: number;
  workers: number[];
  postgres: Map<number, number>;
  machine: MachineCpu;
}

function sampleCpu(workers: ShareWorker[]): CpuSample {
  const usage = process.cpuUsage();
  return { api: (usage.user + usage.system) / 1000, workers: workers.map((worker) => procCpuMs(worker.pid)), postgres: postgresCpu(), machine: machineCpu() };
}

interface CpuSpent {
  api: number;
  workers: number[];
  postgres: number;
  machine: MachineCpu;
}

function cpuSince(before: CpuSample, after: CpuSample): CpuSpent {
  let postgres = 0;
  // A backend that ended meanwhile is lost (its last figures are gone); one that started counts from 0.
  for (const [pid, ms] of after.postgres) postgres += ms - (before.postgres.get(pid) ?? 0);
  const machine = {
    busy: after.machine.busy - before.machine.busy,
    idle: after.machine.idle - before.machine.idle,
    stolen: after.machine.stolen - before.machine.stolen,
  };
  return { api: after.api - before.api, workers: after.workers.map((ms, index) => ms - (before.workers[index] ?? 0)), postgres, machine };
}

interface Phase {
  runs: number;
  seconds: number;
  perWorker: number[];
  cpu: CpuSpent;
}

async function runsPerWorker(api: BenchApi, jobIds: string[], workers: ShareWorker[]): Promise<{ total: number; perWorker: number[]; ended: number }> {
  const rows = await api.app.database.pool.query<{ worker_id: string | null; status: string; n: string }>(
    `SELECT worker_id, status, count(*) AS n FROM runs WHERE job_id = ANY($1::uuid[]) AND parent_run_id IS NULL GROUP BY worker_id, status`,
    [jobIds],
  );
  const perWorker = workers.map(() => 0);
  let total = 0;
  let ended = 0;
  for (const row of rows.rows) {
    const count = Number(row.n);
    total += count;
    if (!['QUEUED', 'RUNNING', 'CANCELLING'].includes(row.status)) ended += count;
    // A worker id is "<host>:<pid>:<random>".
    const index = workers.findIndex((worker) => row.worker_id?.split(':')[1] === String(worker.pid));
    if (index >= 0) perWorker[index]! += count;
  }
  return { total, perWorker, ended };
}

/**
 * Resolves once `count` runs of the jobs have ended, as the workers' run changes reach this API process over the
 * bus: the database is read only once a second (in case a notification was lost), not in a tight loop whose reads
 * would count in PostgreSQL's CPU per run. Listening starts before the runs are queued.
 */
function runsEnded(api: BenchApi, jobIds: string[], workers: ShareWorker[], count: number, timeoutMs: number): Promise<void> {
  const ended = new Set<string>();
  let notify: () => void = () => {};
  const heard = new Promise<void>((resolve) => (notify = resolve));
  const stops = jobIds.map((jobId) =>
    api.app.bus.listen('jobRuns', jobId, (change) => {
      if (change.parentRunId !== null || !(TERMINAL_STATUSES as readonly string[]).includes(change.status)) return;
      ended.add(change.runId);
      if (ended.size >= count) notify();
    }),
  );
  const deadline = Date.now() + timeoutMs;
  return (async () => {
    try {
      for (;;) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([heard, new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
        clearTimeout(timer);
        if ((await runsPerWorker(api, jobIds, workers)).ended === count) return;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} runs to end`);
      }
    } finally {
      for (const stop of stops) stop();
    }
  })();
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until each worker has beaten since the last one registered: each knows the others (engine/share.ts). */
async function workersKnowEachOther(api: BenchApi, count: number): Promise<void> {
  await waitFor(
    `${count} workers to know each other`,
    async () => {
      const { rows } = await api.app.database.pool.query<{ n: string; known: boolean }>(
        `SELECT count(*) AS n, coalesce(min(heartbeat_at) > max(started_at), false) AS known FROM workers`,
      );
      return Number(rows[0]!.n) === count && rows[0]!.known;
    },
    60_000,
  );
}

async function burst(api: BenchApi, workers: ShareWorker[], runs: number): Promise<Phase> {
  const job = await api.app.engine.jobs.create({ name: `share burst ${workers.length} ${Date.now()}`, action: 'bench.noop', args: {}, retries: 0 });
  const ended = runsEnded(api, [job.id], workers, runs, 600_000);
  const before = sampleCpu(workers);
  const started = performance.now();
  for (let queued = 0; queued < runs; queued += BURST_PARALLEL) {
    const batch = Math.min(BURST_PARALLEL, runs - queued);
    await Promise.all(Array.from({ length: batch }, () => api.app.engine.runs.start(job.id, { trigger: 'API' })));
  }
  await ended;
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSince(before, sampleCpu(workers));
  const { perWorker } = await runsPerWorker(api, [job.id], workers);
  return { runs, seconds, perWorker, cpu };
}

async function scheduled(api: BenchApi, workers: ShareWorker[], slots: number): Promise<Phase> {
  const jobIds: string[] = [];
  const runs = SCHEDULED_JOBS * slots;
  const before = sampleCpu(workers);
  const started = performance.now();
  for (let index = 0; index < SCHEDULED_JOBS; index += 1) {
    const job = await api.app.engine.jobs.create({
      name: `share scheduled ${index} ${Date.now()}`,
      action: 'bench.noop',
      args: {},
      retries: 0,
      overlapPolicy: 'ALLOW',
      schedule: { scheduleKind: 'INTERVAL', intervalSeconds: INTERVAL_SECONDS, runLimit: slots },
    });
    jobIds.push(job.id);
  }
  await waitFor(`${runs} occurrences to end`, async () => (await runsPerWorker(api, jobIds, workers)).ended === runs, (slots * INTERVAL_SECONDS + 120) * 1000);
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSince(before, sampleCpu(workers));
  const { perWorker } = await runsPerWorker(api, jobIds, workers);
  return { runs, seconds, perWorker, cpu };
}

const share = (phase: Phase, index: number) => (100 * (phase.perWorker[index] ?? 0)) / phase.runs;
const cpuTotal = (phase: Phase) => phase.cpu.workers.reduce((a, b) => a + b, 0) + phase.cpu.postgres + phase.cpu.api;
const cpuPerRun = (phase: Phase) => cpuTotal(phase) / phase.runs;

function describeCpu(phase: Phase): string {
  const percent = (ms: number) => `${Math.round(ms / phase.seconds / 10)} %`;
  return `CPU (of one core): API ${percent(phase.cpu.api)}, ${phase.cpu.workers.map((ms, index) => `worker ${index + 1} ${percent(ms)}`).join(', ')}, PostgreSQL ${percent(phase.cpu.postgres)}`;
}

/** The machine as a whole in the phase: busy (every process and the kernel), stolen by the hypervisor, idle. */
function describeMachine(phase: Phase): string {
  const { busy, idle, stolen } = phase.cpu.machine;
  const total = busy + idle + stolen;
  const percent = (ms: number) => `${Math.round((100 * ms) / total)} %`;
  return `the machine (/proc/stat): ${percent(busy)} busy, ${percent(stolen)} stolen, ${percent(idle)} idle`;
}

export async function benchWorkersShare({ burstRuns, scheduledSlots }: WorkersShareOptions): Promise<{ figures: Figure[]; details: unknown }> {
  const api = await startBenchApi('postgres', { jobs: { enabled: false } });
  const workers: ShareWorker[] = [];
  try {
    const input: ShareWorkerInput = { databaseUrl: api.databaseUrl, actionsDir: ACTIONS_DIR, concurrency: CONCURRENCY };
    // Each phase starts with a warm-up burst as large as the measured one: a new process compiles its hot paths, and
    // each new connection prepares and plans its statements, over its first thousand runs or so.
    const measure = async () => {
      await burst(api, workers, burstRuns);
      return burst(api, workers, burstRuns);
    };
    await startWorkers(api, workers, input, 1);
    const one = await measure();
    console.log(`  one worker: ${one.runs} runs in ${one.seconds.toFixed(2)} s; ${describeCpu(one)}; ${describeMachine(one)}`);
    await stopWorkers(workers);

    await startWorkers(api, workers, { ...input, concurrency: 2 * CONCURRENCY }, 1);
    const pooled = await measure();
    console.log(`  one worker, ${2 * CONCURRENCY} slots: ${pooled.runs} runs in ${pooled.seconds.toFixed(2)} s; ${describeCpu(pooled)}; ${describeMachine(pooled)}`);
    await stopWorkers(workers);

    await startWorkers(api, workers, input, 2);
    const two = await measure();
    console.log(`  two workers: ${two.runs} runs in ${two.seconds.toFixed(2)} s (${two.perWorker.join(' / ')}); ${describeCpu(two)}; ${describeMachine(two)}`);
    const timed = await scheduled(api, workers, scheduledSlots);
    console.log(`  scheduled, two workers: ${timed.runs} occurrences (${timed.perWorker.join(' / ')}); ${describeCpu(timed)}`);

    const base = { benchmark: 'workers share', mode: 'postgres', agenda: null } as const;
    const loadNote = `load average ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} CPUs`;
    const smallerShare = (phase: Phase) => Math.min(share(phase, 0), share(phase, 1));
    const throughputOne = one.runs / one.seconds;
    const throughputPooled = pooled.runs / pooled.seconds;
    const throughputTwo = two.runs / two.seconds;
    // What the machine's cores can do at one worker's CPU per run, every core busy with nothing else: when it is
    // below 1.5 × one worker, the cores do not allow that much, and the ceiling is the target instead.
    const cores = os.cpus().length;
    const ceiling = (cores * 1000) / cpuPerRun(one);
    const machineBusy = (phase: Phase) => Math.round(cpuTotal(phase) / phase.seconds / cores / 10);
    const figures: Figure[] = [
      {
        ...base,
        metric: `run now: the smaller worker's share (${two.perWorker.join(' / ')} runs)`,
        unit: '%',
        sundial: smallerShare(two),
        better: 'higher',
        target: { kind: 'at least', value: SHARE_TARGET.low },
        note: `each worker ${SHARE_TARGET.low}–${SHARE_TARGET.high} %`,
      },
      {
        ...base,
        metric: `${SCHEDULED_JOBS} jobs every ${INTERVAL_SECONDS} s: the smaller worker's share (${timed.perWorker.join(' / ')} runs)`,
        unit: '%',
        sundial: smallerShare(timed),
        better: 'higher',
        target: { kind: 'at least', value: SHARE_TARGET.low },
        note: `each worker ${SHARE_TARGET.low}–${SHARE_TARGET.high} %`,
      },
      { ...base, metric: 'run now, one worker', unit: 'runs/s', sundial: throughputOne, better: 'higher', note: `${describeCpu(one)}; ${machineBusy(one)} % of ${cores} cores; ${describeMachine(one)}` },
      {
        ...base,
        metric: `run now, one worker with ${2 * CONCURRENCY} slots`,
        unit: 'runs/s',
        sundial: throughputPooled,
        better: 'higher',
        note: `both workers' slots in one process: twice the runs per statement; CPU per run ${cpuPerRun(pooled).toFixed(2)} ms; ${describeCpu(pooled)}; ${machineBusy(pooled)} % of ${cores} cores; ${describeMachine(pooled)}`,
      },
      {
        ...base,
        metric: `run now, what ${cores} cores allow`,
        unit: 'runs/s',
        sundial: ceiling,
        better: 'higher',
        note: `${cores} cores ÷ CPU per run with one worker: every core busy with this work and nothing else`,
      },
      {
        ...base,
        metric: 'run now, two workers',
        unit: 'runs/s',
        sundial: throughputTwo,
        better: 'higher',
        target: { kind: 'at least', value: Math.min(1.5 * throughputOne, ceiling) },
        note: `1.5 × one worker, or what the cores allow if that is less; ${describeCpu(two)}; ${machineBusy(two)} % of ${cores} cores; ${describeMachine(two)}; ${loadNote}`,
      },
      { ...base, metric: 'CPU per run, one worker (API + worker + PostgreSQL)', unit: 'ms', sundial: cpuPerRun(one), better: 'lower' },
      {
        ...base,
        metric: 'CPU per run, two workers (API + workers + PostgreSQL)',
        unit: 'ms',
        sundial: cpuPerRun(two),
        better: 'lower',
        // The second worker must not add work per run; 15 % for what else the machine does meanwhile.
        target: { kind: 'at most', value: 1.15 * cpuPerRun(one) },
        note: 'not more than with one worker (+15 % for noise)',
      },
    ];
    return { figures, details: { concurrency: CONCURRENCY, one, pooled, two, scheduled: timed, loadAverage: os.loadavg() } };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await api.close();
  }
}
