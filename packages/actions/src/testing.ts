// A test kit for action authors: run an action the way the engine does (validated args, a real context, the
// action's timeout on the signal) without a server, and get back what it returned, logged and reported.
import type { z } from 'zod';
import { ActionArgsError, validateActionArgs } from './args.js';
import {
  createActionContext,
  type ActionLogLevel,
  type ActionLogLine,
  type ActionUser,
  type RunInfo,
} from './context.js';
import type { ActionDefinition, ArgsSchema } from './define.js';
import { memorySundialData } from './memory-data.js';
import type { SundialData } from './sundial-data.js';

export { memorySundialData } from './memory-data.js';
export type { DeliveredMessage, MemoryRun, MemorySundialData } from './memory-data.js';

export interface TestLogLine {
  level: ActionLogLevel;
  message: string;
  data?: Record<string, unknown>;
}

export interface TestProgress {
  done: number;
  total: number;
}

export interface TestRunOptions {
  /** Args as a job would store them (JSON); validated and defaulted like the engine does. Default `{}`. */
  args?: unknown;
  /** The target user of a per-user run. */
  user?: ActionUser | null;
  /** All targeted users. Default: `[user]` when a user is given, else `[]`. */
  users?: readonly ActionUser[];
  since?: Date | null;
  /** Abort it to test cancellation. The action's defaults.timeoutMs is applied on top, as in the engine. */
  signal?: AbortSignal;
  run?: Partial<RunInfo>;
  /**
   * The server's data as the action sees it (`context.sundial`). Default: an empty memorySundialData() whose only
   * users are the run's; pass your own to seed runs or to look at what was delivered.
   */
  sundial?: SundialData;
  /** Called for each log line as it is written (e.g. to abort at a given point). */
  onLog?(line: TestLogLine): void;
  /** Called for each progress report as it is made. */
  onProgress?(done: number, total: number): void;
}

export interface TestRunResult<O> {
  output: O;
  logs: TestLogLine[];
  /** Every progress report, in order. */
  progress: TestProgress[];
}

let userCount = 0;

/** A user for tests: give what matters (e.g. attributes), the rest is filled in. */
export function testUser(user: Partial<ActionUser> = {}): ActionUser {
  userCount += 1;
  return {
    id: user.id ?? `user-${userCount}`,
    email: user.email ?? `user${userCount}@example.test`,
    name: user.name ?? `Test User ${userCount}`,
    attributes: user.attributes ?? {},
  };
}

/**
 * Runs the action once. Rejects with ActionArgsError when the args do not validate, with the action's own error
 * when it throws, and with a TypeError when its output could not be stored as JSON.
 */
export async function runActionForTest<A extends ArgsSchema, O>(
  action: ActionDefinition<A, O>,
  options: TestRunOptions = {},
): Promise<TestRunResult<Awaited<O>>> {
  const validation = validateActionArgs(action, options.args);
  if (!validation.ok) throw new ActionArgsError(action.name, validation.errors);

  const logs: TestLogLine[] = [];
  const progress: TestProgress[] = [];
  const signals = [options.signal ?? new AbortController().signal];
  if (action.defaults.timeoutMs !== undefined) signals.push(AbortSignal.timeout(action.defaults.timeoutMs));
  const user = options.user ?? null;

  const context = createActionContext<z.output<A>>({
    args: validation.args,
    user,
    users: options.users ?? (user ? [user] : []),
    since: options.since ?? null,
    signal: signals.length === 1 ? (signals[0] as AbortSignal) : AbortSignal.any(signals),
    run: { id: 'test-run', jobId: 'test-job', parentRunId: null, attempt: 1, trigger: 'MANUAL', scheduledFor: new Date(), ...options.run },
    sundial: options.sundial ?? memorySundialData({ userIds: [...(user ? [user.id] : []), ...(options.users ?? []).map((each) => each.id)] }),
    writeLog(line: ActionLogLine) {
      const captured: TestLogLine = { level: line.level, message: line.message };
      if (line.data !== undefined) captured.data = line.data;
      logs.push(captured);
      options.onLog?.(captured);
    },
    writeProgress(done, total) {
      progress.push({ done, total });
      options.onProgress?.(done, total);
    },
  });

  const output = await action.run(context);
  try {
    JSON.stringify(output);
  } catch (error) {
    // The engine stores the output as JSON: catch a BigInt or a cycle here rather than in production.
    throw new TypeError(`action "${action.name}" returned an output that is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return { output, logs, progress };
}
