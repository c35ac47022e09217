// What the domain type files share: typed errors the client can act on, the domain's enums, sorting, permission
// checks for viewer flags, and a per-request batch loader for computed fields (no N+1).
import type {
  LogLevel,
  MisfirePolicy,
  OverlapPolicy,
  Permission,
  RunTrigger,
  ScheduleKind,
} from '../../db/prisma.js';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../services/errors.js';
import { RUN_STATUSES } from '../../services/run-status.js';
import { createGraphQLError } from 'graphql-yoga';
import { builder, type GraphQLContext } from '../builder.js';

builder.subscriptionType({});

// ---- Errors as results ----------------------------------------------------------------------------------------

const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'A failure the caller can act on. Every error result has a message written for people.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

export const FieldErrorRef = builder.objectRef<FieldError>('FieldError').implement({
  description: 'One problem with one input field.',
  fields: (t) => ({
    field: t.exposeString('field', {
      description: 'Dotted path of the input field, as sent: `name`, `args.message`, `schedule.cron`, `targetUserIds`.',
    }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input is not valid; nothing was changed. Each field error names its field, for forms.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ fieldErrors: t.field({ type: [FieldErrorRef], resolve: (error) => error.errors }) }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'The thing named by an id does not exist (any more).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    entity: t.exposeString('entity', { description: 'job, run, user, role or action' }),
    id: t.exposeString('id'),
  }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The request is valid but the thing is not in a state that allows it (e.g. cancelling a finished run).',
  interfaces: [ErrorInterface],
});

/** The errors every mutation of the domain can return as results. */
export const DOMAIN_ERRORS = [ValidationError, NotFoundError, ConflictError];

// ---- Enums (the values of prisma/schema.prisma) -----------------------------------------------------------------

export const RunStatusEnum = builder.enumType('RunStatus', { values: RUN_STATUSES });

export const RunTriggerEnum = builder.enumType('RunTrigger', {
  values: ['SCHEDULE', 'MANUAL', 'API', 'RETRY', 'BACKFILL'] as const satisfies readonly RunTrigger[],
});

export const ScheduleKindEnum = builder.enumType('ScheduleKind', {
  description: 'MANUAL: only when started by hand or API; CRON; INTERVAL: every N seconds; ONCE: at runAt.',
  values: ['MANUAL', 'CRON', 'INTERVAL', 'ONCE'] as const satisfies readonly ScheduleKind[],
});

export const OverlapPolicyEnum = builder.enumType('OverlapPolicy', {
  description: 'When an occurrence comes while the previous run still runs: SKIP it (recorded), QUEUE it, or ALLOW both.',
  values: ['SKIP', 'QUEUE', 'ALLOW'] as const satisfies readonly OverlapPolicy[],
});

export const MisfirePolicyEnum = builder.enumType('MisfirePolicy', {
  description: 'Occurrences missed while no worker was up: run once to catch up, or skip them.',
  values: ['CATCH_UP_ONCE', 'SKIP'] as const satisfies readonly MisfirePolicy[],
});

export const LogLevelEnum = builder.enumType('LogLevel', {
  values: ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const satisfies readonly LogLevel[],
});

export const SortDirectionEnum = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });

export const direction = (value: 'ASC' | 'DESC' | null | undefined, fallback: 'asc' | 'desc'): 'asc' | 'desc' =>
  value ? (value === 'ASC' ? 'asc' : 'desc') : fallback;

// ---- Permissions ----------------------------------------------------------------------------------------------

/** Whether the caller holds the permission: for `viewerCan…` flags, so the UI does not re-derive permissions. */
export function can(context: GraphQLContext, permission: Permission): boolean {
  return context.identity?.permissions.has(permission) ?? false;
}

/** An authScopes function passing when the caller holds any of the permissions. */
export const anyPermission =
  (...permissions: Permission[]) =>
  (_parent: unknown, _args: unknown, context: GraphQLContext): boolean =>
    permissions.some((permission) => can(context, permission));

// ---- Batch loading ----------------------------------------------------------------------------------------------

/**
 * A loader scoped to this request: every key asked for in the same turn of the event loop is loaded with one
 * call of `load` (one SQL query for a whole page of jobs), and each key is loaded once per request.
 */
export function batchLoader<V>(
  context: GraphQLContext,
  name: string,
  load: (keys: string[]) => Promise<Map<string, V>>,
): (key: string) => Promise<V | undefined> {
  const existing = context.requestCache.get(name);
  if (existing) return existing as (key: string) => Promise<V | undefined>;

  const cache = new Map<string, Promise<V | undefined>>();
  let queue: { key: string; resolve: (value: V | undefined) => void; reject: (error: unknown) => void }[] = [];
  const dispatch = () => {
    const batch = queue;
    queue = [];
    load([...new Set(batch.map((item) => item.key))]).then(
      (values) => batch.forEach((item) => item.resolve(values.get(item.key))),
      (error: unknown) => batch.forEach((item) => item.reject(error)),
    );
  };
  const loader = (key: string): Promise<V | undefined> => {
    let promise = cache.get(key);
    if (!promise) {
      promise = new Promise<V | undefined>((resolve, reject) => {
        if (queue.length === 0) setImmediate(dispatch);
        queue.push({ key, resolve, reject });
      });
      cache.set(key, promise);
    }
    return promise;
  };
  context.requestCache.set(name, loader);
  return loader;
}

/**
 * `compute`'s value, worked out once per request under `key`: for what several fields need, such as a page's filter,
 * used by its page and by its totalCount. Kept in the request's cache, not in a WeakMap (see useRequestRelease).
 */
export function requestOnce<V>(context: GraphQLContext, key: string, compute: () => Promise<V>): Promise<V> {
  let value = context.requestCache.get(key) as Promise<V> | undefined;
  if (!value) context.requestCache.set(key, (value = compute()));
  return value;
}

export { isUuid } from '../../services/ids.js';

/** Clamps a client-chosen count to what the server is willing to compute. */
export function clamp(value: number | null | undefined, fallback: number, min: number, max: number): number {
  if (value === null || value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

/** For subscriptions, which have no result type to carry a NotFoundError: a GraphQL error the client can read. */
export function notFoundError(entity: 'job' | 'run', id: string) {
  return createGraphQLError(`no ${entity} with id ${id}`, { extensions: { code: 'NOT_FOUND', entity, id } });
}
