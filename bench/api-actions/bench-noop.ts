// The action the API-under-load benchmark runs now: two log lines and done, so the figures are the API's and the
// engine's, not an action's.
import { defineAction, z } from '@sundial/actions';

export const benchNoop = defineAction({
  name: 'bench.noop',
  description: 'Writes two log lines and returns, for the API-under-load benchmark.',
  args: z.object({}),
  run: ({ log }) => {
    log.info('started');
    log.info('done');
    return { ok: true };
  },
});
