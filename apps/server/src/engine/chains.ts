// Chains: a top-level run's ending starts the follow-ups its job lists. The follow-up runs are inserted by the
// statement or transaction that records the ending (db/sql/runs/follow-ups.ts), so they exist exactly once however
// the process dies; this module gives those statements the engine's rules (the retries default, the depth limit)
// and, after the commit, tells subscribers and hands the queued follow-ups to the queue. A process killed between
// the commit and the hand-over leaves queued runs without a queue entry: the repair pass dispatches them.
import type { ChainedRun, FollowUpSettings } from '../db/sql/runs/follow-ups.js';
import { ENGINE_DEFAULTS, type ActionCatalog } from './actions.js';
import { publishRun, type EngineResources } from './resources.js';

/**
 * How many follow-ups may lead to a run: cycles are refused when follow-ups are saved (services/chains.ts), so this
 * bounds only what that check cannot see (follow-ups changed while a chain is under way).
 */
export const CHAIN_DEPTH_LIMIT = 20;

export function followUpSettings(actions: ActionCatalog): FollowUpSettings {
  const actionRetries: Record<string, number> = {};
  for (const action of actions.list()) {
    if (action.defaults.retries !== undefined) actionRetries[action.name] = action.defaults.retries;
  }
  return { actionRetries, defaultRetries: ENGINE_DEFAULTS.retries, maxDepth: CHAIN_DEPTH_LIMIT };
}

/** After the commit that created them: every follow-up is published, the queued ones dispatched. */
export async function handOverFollowUps(resources: Pick<EngineResources, 'bus' | 'dispatcher' | 'logger'>, runs: readonly ChainedRun[]): Promise<void> {
  await Promise.all(
    runs.map(async (run) => {
      publishRun(resources, run);
      if (run.status !== 'QUEUED') return;
      try {
        await resources.dispatcher.dispatch(run, { priority: run.priority });
      } catch (error) {
        // The run is stored: the repair pass dispatches it.
        resources.logger.warn(`follow-up run ${run.id}: ${(error as Error).message}`);
      }
    }),
  );
}
