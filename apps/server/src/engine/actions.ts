// What the engine (and the services, through services/action-catalog.ts) need of actions: the registry built at
// start (actions/registry.ts) is the catalog.
import type { ActionRegistry, RegisteredAction } from '../actions/registry.js';

export type { ActionDefaults, ActionUser } from '@sundial/actions';

export type ActionCatalog = Pick<ActionRegistry, 'get' | 'list'>;
export type CatalogAction = RegisteredAction;

/** Defaults when neither the job nor the action says. */
export const ENGINE_DEFAULTS = {
  timeoutMs: 60 * 60 * 1000,
  retries: 0,
  retryBackoffMs: 10_000,
  concurrency: 10,
} as const;
