// Runs the real server (apps/server/src/main.ts, as `npm start` does, compiled once per test run: children.ts) as
// a child process, with only the environment a test gives it, and watches its output: a test waits for the lines
// the server prints (its readiness line, a shutdown line), never for a fixed time.
import type { ChildProcess } from 'node:child_process';
import { spawnEntry } from './children.js';

const READY = /Sundial is ready at (http:\/\/\S+)/;

/**
 * A ceiling for a start on a loaded machine, not an expectation: a start takes seconds idle, but a fresh embedded
 * database took 75 s to create at a load average of 38 on two cores.
 */
export const READY_TIMEOUT_MS = 300_000;

/** Options of a describe whose tests start processes: a ceiling for a loaded machine, not an expectation. */
export const SPAWNING = { timeout: 600_000 } as const;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr as they came, for failure messages. */
  output(): string;
  alive(): boolean;
  /** Resolves with the URL the server printed; rejects with its output if it exits first or takes too long. */
  ready: Promise<string>;
  /** Resolves once the process exited and its output is all read. */
  exited: Promise<Exit>;
  /** Resolves once stdout matches; rejects if the process exits first or after timeoutMs. */
  printed(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Sends a signal (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

export function spawnServer({ cwd, env, name = 'server' }: { cwd: string; env: Record<string, string>; name?: string }): ServerProcess {
  const child = spawnEntry('main', [], { cwd, env });
  let stdout = '';
  let stderr = '';
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    output += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    output += chunk;
  });

  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      // Let the pipes drain so stdout()/stderr() hold everything the process wrote.
      let open = 2;
      const done = () => --open === 0 && resolve({ code, signal });
      if (child.stdout!.readableEnded) done();
      else child.stdout!.once('end', done);
      if (child.stderr!.readableEnded) done();
      else child.stderr!.once('end', done);
    });
  });

  const printed = (pattern: RegExp, timeoutMs = READY_TIMEOUT_MS) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const finish = (error: Error | null, match?: RegExpExecArray) => {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        if (error) reject(error);
        else resolve(match!);
      };
      const check = () => {
        const match = pattern.exec(stdout);
        if (match) finish(null, match);
      };
      const timer = setTimeout(() => finish(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      child.stdout!.on('data', check);
      void exited.then((exit) => finish(new Error(`${name} exited (${exit.code ?? exit.signal}) before it printed ${pattern}:\n${output}`)));
      check();
    });

  const ready = printed(READY).then((match) => match[1]!);
  // A test that expects a failed start never awaits ready.
  ready.catch(() => {});

  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    child,
    pid: child.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => output,
    alive,
    ready,
    exited,
    printed,
    async stop(signal = 'SIGTERM') {
      if (alive()) child.kill(signal);
      return exited;
    },
  };
}

/** Stops a server a test left running (after a failure), without waiting for a graceful shutdown. */
export async function killServer(server: ServerProcess | undefined): Promise<void> {
  if (!server?.alive()) return;
  server.child.kill('SIGKILL');
  await server.exited;
}

/** stderr as lines, without a trailing empty one. */
export const linesOf = (text: string): string[] => text.split('\n').filter((line) => line !== '');
