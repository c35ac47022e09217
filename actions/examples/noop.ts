/**
 * examples.noop — does nothing and returns null, as fast as it can.
 *
 * For benchmarks and smoke tests: it measures the engine, not the action. `logLines` makes it write that many
 * log lines first (the throughput benchmark uses 2), so log storage is part of what is measured.
 */
import { defineAction, z } from '@sundial/actions';

export default defineAction({
  name: 'examples.noop',
  description: 'Does nothing and returns null. For benchmarks; optionally writes a few log lines.',
  args: z.object({
    logLines: z.number().int().min(0).max(1000).default(0).describe('Log lines to write before returning'),
  }),
  run({ args, log }) {
    for (let line = 1; line <= args.logLines; line += 1) log.info(`noop line ${line}`);
    return null;
  },
});
