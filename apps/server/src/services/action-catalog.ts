// What the domain needs to know about actions. The registry (actions/) implements it from defineAction() modules.
import type { FieldError } from './errors.js';

export interface ActionDefaults {
  timeoutMs?: number;
  retries?: number;
  retryBackoffMs?: number;
  /** Per-user children running at once. */
  concurrency?: number;
}

export interface ActionUser {
  id: string;
  email: string;
  name: string;
  attributes: Record<string, unknown>;
}

export type ActionLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ActionRunContext {
  args: Record<string, unknown>;
  user: ActionUser | null;
  users: ActionUser[];
  log: Record<ActionLogLevel, (message: string, data?: Record<string, unknown>) => void>;
  signal: AbortSignal;
  since: Date | null;
  run: {
    id: string;
    jobId: string;
    parentRunId: string | null;
    attempt: number;
    trigger: 'SCHEDULE' | 'MANUAL' | 'API' | 'RETRY';
  };
  progress(done: number, total: number): void;
}

export interface CatalogAction {
  name: string;
  description: string;
  /** JSON Schema of the args (input side: fields with defaults are optional). */
  argsJsonSchema: Record<string, unknown>;
  defaults: ActionDefaults;
  validateArgs(args: unknown): { ok: true; args: Record<string, unknown> } | { ok: false; errors: FieldError[] };
  run(context: ActionRunContext): unknown;
}

export interface ActionCatalog {
  get(name: string): CatalogAction | undefined;
  list(): CatalogAction[];
}

/** Defaults when neither the job nor the action says. */
export const ENGINE_DEFAULTS = {
  timeoutMs: 60 * 60 * 1000,
  retries: 0,
  retryBackoffMs: 10_000,
  concurrency: 10,
} as const satisfies Required<ActionDefaults>;
