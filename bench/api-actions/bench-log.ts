// The action the live-log benchmark runs: says "ready", waits for the benchmark's go, then writes log lines at a
// steady rate, each carrying the moment it was written (bench/api-live-log.ts), in ms since the epoch at
// sub-millisecond precision (performance.timeOrigin + now): the clock the subscribers read too, in another thread or
// another process.
import { performance } from 'node:perf_hooks';
import { defineAction, z } from '@sundial/actions';

/** Set by the benchmark in the process that runs the action: resolves when every subscriber is listening. */
export const benchGate: { go: Promise<void> | null } = { go: null };

export const benchLog = defineAction({
  name: 'bench.log',
  description: 'Writes log lines at a fixed rate for the live-log benchmark.',
  args: z.object({ linesPerSecond: z.number().int().positive(), seconds: z.number().positive() }),
  run: async ({ args, log, signal }) => {
    log.info('ready', { sentAt: 0 });
    await benchGate.go;
    const total = Math.round(args.linesPerSecond * args.seconds);
    const batch = Math.max(1, Math.round(args.linesPerSecond / 100)); // every 10 ms
    const nowMs = () => performance.timeOrigin + performance.now();
    const start = nowMs();
    for (let sent = 0; sent < total && !signal.aborted; ) {
      for (let index = 0; index < batch && sent < total; index++, sent++) {
        log.info(`line ${sent}`, { sentAt: nowMs() });
      }
      const due = start + (sent / args.linesPerSecond) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - nowMs())));
    }
    log.info('done', { sentAt: -1 });
    return { sent: total };
  },
});
