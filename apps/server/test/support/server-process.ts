// Runs the real server (apps/server/src/main.ts, as `npm start` does) as a child process in a folder of its own,
// with only the environment a test gives it, and watches its output.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const READY = /Sundial is ready at (http:\/\/\S+)/;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the URL the server printed; rejects with its stderr if it exits first. */
  ready: Promise<string>;
  exited: Promise<Exit>;
  /** Sends a signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/** Variables the server reads; none may leak in from the test runner's own environment. */
const SERVER_VARIABLES = /^(SUNDIAL_|DATABASE_URL$|INIT_CWD$|TEST_DATABASE_URL$)/;

export function spawnServer({ cwd, env }: { cwd: string; env: Record<string, string> }): ServerProcess {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SERVER_VARIABLES.test(name)));
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
    cwd,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      // Let the pipes drain so stdout()/stderr() hold everything the process wrote.
      let open = 2;
      const done = () => --open === 0 && resolve({ code, signal });
      if (child.stdout.readableEnded) done();
      else child.stdout.once('end', done);
      if (child.stderr.readableEnded) done();
      else child.stderr.once('end', done);
    });
  });

  const ready = new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = READY.exec(stdout);
      if (match) {
        child.stdout.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', onData);
    void exited.then((exit) =>
      reject(new Error(`the server exited (${exit.code ?? exit.signal}) before it was ready:\n${stderr}${stdout}`)),
    );
  });
  // A test that expects a failed start never awaits ready.
  ready.catch(() => {});

  return {
    child,
    pid: child.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    ready,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Stops a server a test left running (after a failure), without waiting for a graceful shutdown. */
export async function killServer(server: ServerProcess | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGKILL');
  await server.exited;
}

/** stderr as lines, without a trailing empty one. */
export const linesOf = (text: string): string[] => text.split('\n').filter((line) => line !== '');
