// Every process a test starts (servers, workers, the CLI, guide commands) goes through here, for two reasons:
// - they run the server's code as compiled once for the whole test run (build.ts, made by global-setup.ts), not
//   TypeScript transpiled again in each child;
// - a test that fails or times out must not leave them running: a CLI or server still holding an embedded data
//   folder, a port or a database poisons the next test. setup-children.ts kills what a test started after that
//   test (whatever its outcome), what a file's beforeAll started after the file, and this module kills whatever is
//   left if the test worker itself exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { inject } from 'vitest';
import { ENTRIES, type EntryName } from './build.js';

/** Variables the server reads; none may leak in from the test runner's own environment. */
const SERVER_VARIABLES = /^(SUNDIAL_|DATABASE_URL$|INIT_CWD$|TEST_DATABASE_URL$)/;

/** The environment of a child: the runner's, without the server's variables, plus exactly these. */
export function childEnv(env: Record<string, string>): Record<string, string> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !SERVER_VARIABLES.test(entry[0])),
  );
  return { ...inherited, ...env };
}

/** The compiled file of an entry (apps/server/src/main.ts, cli/sundial.ts, cli/migrate.ts) for this test run. */
export function builtEntry(entry: EntryName): string {
  const built = inject('sundialBuild');
  if (!built) {
    throw new Error(
      `no compiled ${ENTRIES[entry]}: process-spawning tests need vitest.config.ts's integration project (its globalSetup compiles the server once)`,
    );
  }
  return built[entry];
}

/**
 * Which processes were started and by whom: the running test, or the file (its beforeAll hooks). Kept on
 * globalThis so that one exit handler serves every test file this worker runs, whatever module instances they get.
 */
interface Children {
  owned: Map<ChildProcess, 'test' | 'file'>;
  inTest: boolean;
}
const CHILDREN = Symbol.for('sundial.test.children');
const state: Children = ((globalThis as { [CHILDREN]?: Children })[CHILDREN] ??= createChildren());
const owned = state.owned;

function createChildren(): Children {
  const children: Children = { owned: new Map(), inTest: false };
  // The test worker ending for any reason (a crash, vitest stopping it) takes its children with it.
  process.once('exit', () => {
    for (const child of children.owned.keys()) if (alive(child)) child.kill('SIGKILL');
  });
  return children;
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Remembers a child until it exits, as the running test's or (outside a test) the file's. */
export function track<T extends ChildProcess>(child: T): T {
  if (!alive(child)) return child;
  owned.set(child, state.inTest ? 'test' : 'file');
  const forget = () => owned.delete(child);
  child.once('exit', forget);
  child.once('error', forget);
  return child;
}

/** Starts a compiled entry with `args`, the given environment only (see childEnv), stdout and stderr piped. */
export function spawnEntry(entry: EntryName, args: string[], options: { cwd: string; env: Record<string, string> }): ChildProcess {
  const file = builtEntry(entry);
  return track(spawn(process.execPath, [file, ...args], { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** What a child printed and how it ended, once it closed its output. */
export function completion(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

export function testStarted(): void {
  state.inTest = true;
}

/** SIGKILLs the children a test (scope 'test') or anything (scope 'all') started, and waits until they are gone. */
export async function releaseChildren(scope: 'test' | 'all'): Promise<void> {
  if (scope === 'test') state.inTest = false;
  const doomed = [...owned].filter(([, owner]) => scope === 'all' || owner === 'test').map(([child]) => child);
  await Promise.all(
    doomed.map(async (child) => {
      owned.delete(child);
      if (!alive(child)) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await gone;
    }),
  );
}
