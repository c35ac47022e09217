// @sundial/builtin-actions: the actions every install has (see docs/built-in-actions.md).
//
// They need settings (the SSRF allow-list, where secrets live, the retention), so the package exports factories
// rather than ready-made actions: the server's loader calls createActions(host) with its configuration; embedders
// and tests call createBuiltinActions(settings) with explicit settings. The server's data (runs to delete, inboxes)
// they reach only through the context each run gets (context.sundial), never through its tables.
import type { ActionDefinition } from '@sundial/actions';
import { createCleanupAction, type CleanupSettings } from './cleanup/cleanup-action.js';
import { createHttpRequestAction, type HttpRequestSettings } from './http/request-action.js';
import { createNotifyUsersAction } from './notify/notify-action.js';

export { createHttpRequestAction, HTTP_METHODS } from './http/request-action.js';
export type { HttpRequestArgs, HttpRequestOutput, HttpRequestSettings } from './http/request-action.js';
export { createCleanupAction } from './cleanup/cleanup-action.js';
export type { CleanupOutput, CleanupSettings } from './cleanup/cleanup-action.js';
export { createNotifyUsersAction, NOTIFY_CHANNELS, NOTIFY_LIMITS } from './notify/notify-action.js';
export type { NotifyUsersArgs, NotifyUsersOutput, NotifyUsersSettings } from './notify/notify-action.js';
export type { WebhookPayload } from './notify/webhook.js';
export { classifyAddress, parseIp, parseCidr, type AddressKind } from './http/addresses.js';
export { createAddressPolicy, RequestRefusedError, allowListProblems } from './http/policy.js';
export type { ResolveHost } from './http/guarded-agent.js';
// The server's webhook notifications connect through the same guard as http.request.
export { createGuardedAgent, type GuardedAgent } from './http/guarded-agent.js';

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;
export const DEFAULT_SECRET_ENV_PREFIX = 'SUNDIAL_SECRET_';
export const DEFAULT_RETENTION_DAYS = 30;

export interface BuiltinSettings {
  http: Partial<HttpRequestSettings>;
  cleanup: CleanupSettings;
}

/**
 * The built-in actions with explicit settings; unset http settings take the defaults (nothing private allowed).
 * notify.users sends webhooks through the same guard and allow-list as http.request.
 */
export function createBuiltinActions(settings: BuiltinSettings): ActionDefinition[] {
  return [
    createHttpRequestAction({
      allowHosts: settings.http.allowHosts ?? [],
      allowPrivate: settings.http.allowPrivate ?? false,
      secretEnvPrefix: settings.http.secretEnvPrefix ?? DEFAULT_SECRET_ENV_PREFIX,
      secretHosts: settings.http.secretHosts ?? {},
      env: settings.http.env ?? {},
      maxResponseBytes: settings.http.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      ...(settings.http.resolve ? { resolve: settings.http.resolve } : {}),
    }),
    createCleanupAction(settings.cleanup),
    createNotifyUsersAction({
      allowHosts: settings.http.allowHosts ?? [],
      allowPrivate: settings.http.allowPrivate ?? false,
      ...(settings.http.resolve ? { resolve: settings.http.resolve } : {}),
    }),
  ] as ActionDefinition[];
}

/** The `builtin:` section of sundial.yaml, as the server parsed it. */
export interface BuiltinConfig {
  http: {
    allow_hosts: readonly string[];
    allow_private: boolean;
    secret_env_prefix: string;
    secret_hosts: Readonly<Record<string, readonly string[]>>;
    max_response_bytes: number;
  };
  cleanup: { retention_days: number };
}

/** What the server hands an action package that exports createActions (apps/server/src/actions/loader.ts). */
export interface BuiltinHost {
  config: { builtin: BuiltinConfig };
  /** The process environment, for {{secret:NAME}} header references. */
  env: Readonly<Record<string, string | undefined>>;
}

/** The loader's entry point. */
export function createActions(host: BuiltinHost): ActionDefinition[] {
  const { http, cleanup } = host.config.builtin;
  return createBuiltinActions({
    http: {
      allowHosts: http.allow_hosts,
      allowPrivate: http.allow_private,
      secretEnvPrefix: http.secret_env_prefix,
      secretHosts: http.secret_hosts,
      maxResponseBytes: http.max_response_bytes,
      env: host.env,
    },
    cleanup: { retentionDays: cleanup.retention_days },
  });
}
