// The action the schedule-lag benchmark's jobs run: it returns the moment it started, in ms since the epoch at
// sub-millisecond precision (one clock for every process of the machine), so slot → action start is measured at the
// action itself, not at the run row's started_at.
import { performance } from 'node:perf_hooks';
import { defineAction, z } from '@sundial/actions';

export const slotStamp = defineAction({
  name: 'bench.slot-stamp',
  description: 'Returns the moment it started, for the schedule-lag benchmark.',
  args: z.object({}),
  run: () => ({ startedAtMs: performance.timeOrigin + performance.now() }),
});
