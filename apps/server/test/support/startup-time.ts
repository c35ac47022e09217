// How long a spawned server takes from `spawn` to "Sundial is ready", started the way the tests used to start it
// (tsx transpiling apps/server/src/main.ts), the bundle of build.ts under tsx's loader, and build.ts's launcher (the
// bundle, its packages loaded before tsx's hooks are registered), alternating,
// on an already migrated database so that the figure is the code's start-up, not the migrations'.
//   npx tsx apps/server/test/support/startup-time.ts [rounds] [postgres|embedded]
// PostgreSQL: a fresh database on TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), dropped after.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { createRequire } from 'node:module';
import { buildServerEntries } from './build.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SOURCE_MAIN = path.join(REPO_ROOT, 'apps/server/src/main.ts');
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const rounds = Number(process.argv[2] ?? 5);
const mode = process.argv[3] === 'embedded' ? 'embedded' : 'postgres';

interface Start {
  /** Milliseconds from spawn to the ready line. */
  wallMs: number;
  /** CPU the process used until then (user + system, from /proc): what a loaded machine has to find for it. */
  cpuMs: number;
}

/** user + system time of a live process, in ms (/proc/PID/stat fields 14 and 15, in clock ticks of 10 ms). */
function cpuOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function readyAfter(args: string[], env: Record<string, string>): Promise<Start> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let elapsed: Start | null = null;
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (elapsed === null && /Sundial is ready at/.test(output)) {
        elapsed = { wallMs: performance.now() - started, cpuMs: cpuOf(child.pid!) };
        child.kill('SIGTERM');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('exit', (code) => (elapsed === null ? reject(new Error(`exited (${code}) before it was ready:\n${output}`)) : resolve(elapsed)));
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const base = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const name = `sundial_startup_${crypto.randomBytes(6).toString('hex')}`;
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-startup-'));
let databaseEnv: Record<string, string>;
if (mode === 'postgres') {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  databaseEnv = { SUNDIAL_DATABASE__URL: Object.assign(new URL(base), { pathname: `/${name}` }).toString() };
} else {
  databaseEnv = { SUNDIAL_DATABASE__DATA_DIR: path.join(folder, 'data'), SUNDIAL_DATABASE__URL: '' };
}
const env = {
  ...databaseEnv,
  SUNDIAL_SERVER__PORT: '0',
  SUNDIAL_ACTIONS__DIR: 'apps/server/test/fixtures/actions',
  SUNDIAL_AUTH__ADMIN_PASSWORD: 'startup-time-password-1',
};

const built = await buildServerEntries();
try {
  const variants = {
    'node --import tsx apps/server/src/main.ts': ['--import', TSX_LOADER, SOURCE_MAIN],
    'node --import tsx <bundle>': ['--import', TSX_LOADER, path.join(built.dir, 'code/main.mjs')],
    'node <launcher> (bundle, packages, then tsx)': [built.entries.main],
  };
  // The first start migrates; not measured.
  await readyAfter([built.entries.main], env);
  const times = new Map<string, Start[]>(Object.keys(variants).map((key) => [key, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const [label, args] of Object.entries(variants)) times.get(label)!.push(await readyAfter(args, env));
  }
  console.log(`${mode}, ${rounds} rounds, load average ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  for (const [label, starts] of times) {
    const wall = starts.map((start) => start.wallMs);
    const cpu = starts.map((start) => start.cpuMs);
    console.log(`${label}: CPU median ${median(cpu).toFixed(0)} ms (${cpu.join(', ')}); wall median ${median(wall).toFixed(0)} ms (${wall.map((value) => value.toFixed(0)).join(', ')})`);
  }
} finally {
  fs.rmSync(built.dir, { recursive: true, force: true });
  fs.rmSync(folder, { recursive: true, force: true });
  if (mode === 'postgres') {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}
