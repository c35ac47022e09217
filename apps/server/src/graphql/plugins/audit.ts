// An audit event for every mutation field that runs: who (e-mail, or the token's name), from which address, which
// mutation, its target when known, and the outcome — SUCCESS, FAILURE (an error, or an error returned as a typed
// result) or DENIED (not signed in / lacking the permission). Arguments go into the details with secrets redacted.
//
// It wraps the Mutation fields' resolvers, because only there are the arguments, the value the service returned
// (a typed error is data to the client, but a failure here) and the thrown error all visible. The wrapping is done
// once per schema object and finds this request's recorder through its context, so several servers in one process
// (tests) share the schema safely. A refused call's header values are all redacted: one may be the credential in
// clear it was refused for, under a name no pattern knows. The same wrapper refuses ill-formed text (well-formed.ts)
// before the mutation runs, so that refusal is audited like any other.
import type { GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { AuditOutcome } from '../../db/prisma.js';
import type { Logger } from '../../lib/logger.js';
import { AuditService, REDACTED } from '../../services/audit.js';
import type { ConflictError, NotFoundError, ValidationError } from '../../services/errors.js';
import type { GraphQLContext } from '../context.js';
import { graphql } from './graphql-runtime.js';
import { refuseIllFormedText } from './well-formed.js';

interface Recorder {
  audit: AuditService;
  logger: Logger;
}

const recorders = new WeakMap<object, Recorder>();
const WRAPPED = Symbol('sundial.audited');

/** Entities named in mutation names, longest first: `createApiToken` is about an api_token, not a token. */
const ENTITIES: readonly [word: string, type: string][] = [
  ['ApiToken', 'api_token'],
  ['Token', 'api_token'],
  ['JobCalendars', 'job'],
  ['Calendar', 'calendar'],
  ['Job', 'job'],
  ['Run', 'run'],
  ['User', 'user'],
  ['Role', 'role'],
  ['Password', 'user'],
  ['Session', 'session'],
];
const SPECIAL_TARGETS: Readonly<Record<string, string>> = { dispatch: 'job', signIn: 'session', signOut: 'session', signOutEverywhere: 'user' };

/** The target's type from the mutation's name: the first entity after the verb (`runJobNow` → job). */
export function targetTypeOf(fieldName: string): string | null {
  if (SPECIAL_TARGETS[fieldName]) return SPECIAL_TARGETS[fieldName];
  const afterVerb = fieldName.replace(/^[a-z]+/, '');
  let best: { at: number; type: string } | null = null;
  for (const [word, type] of ENTITIES) {
    const at = afterVerb.indexOf(word);
    if (at >= 0 && (best === null || at < best.at)) best = { at, type };
  }
  return best?.type ?? null;
}

function idIn(value: unknown, keys: readonly string[]): string | null {
  if (value === null || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  for (const key of keys) {
    const found = record[key];
    if (typeof found === 'string' || typeof found === 'number' || typeof found === 'bigint') return String(found);
  }
  return null;
}

/** The target's id: from the arguments (id, jobId, input.id…) or, for creations, from what the mutation returned. */
function targetIdOf(targetType: string | null, args: Record<string, unknown>, result: unknown): string | null {
  const camel = targetType?.replace(/_(\w)/g, (_match, letter: string) => letter.toUpperCase());
  const keys = ['id', ...(camel ? [`${camel}Id`] : []), ...(targetType === 'api_token' ? ['tokenId'] : [])];
  const fromArgs = idIn(args, keys) ?? idIn(args.input, keys);
  if (fromArgs) return fromArgs;
  if (failureIn(result)) return null;
  const nested = result && typeof result === 'object' && camel ? (result as Record<string, unknown>)[camel] : undefined;
  return idIn(result, ['id']) ?? idIn(nested, ['id']) ?? (targetType === 'api_token' ? idIn((result as { token?: unknown } | null)?.token, ['id']) : null);
}

const RETURNED_ERROR = Symbol.for('Pothos.unwrapErrors');

/**
 * The error a mutation failed with, thrown or returned as a typed result. The errors plugin returns typed errors
 * wrapped in a proxy that reports the result type's prototype, so `instanceof Error` does not see them.
 */
function failureIn(result: unknown): Error | null {
  if (result instanceof Error) return result;
  if (result && typeof result === 'object' && typeof (result as Record<symbol, unknown>)[RETURNED_ERROR] === 'function') return result as Error;
  return null;
}

function errorCode(error: unknown): unknown {
  return error instanceof graphql.GraphQLError ? error.extensions?.code : (error as { code?: unknown } | null)?.code;
}

/** Refusals of the caller (not signed in, lacking the permission, wrong password, rate limited), not failures. */
const DENIED_CODES = new Set(['FORBIDDEN', 'UNAUTHENTICATED', 'RATE_LIMITED']);

function outcomeOf(error: unknown): AuditOutcome {
  const code = errorCode(error);
  if ((error as Error | null)?.name === 'ForbiddenError' || DENIED_CODES.has(String(code))) return 'DENIED';
  return 'FAILURE';
}

/** A failure as it may be stored: messages of deliberate errors; never an unexpected error's text (it may hold SQL). */
function describeFailure(error: unknown): Record<string, unknown> {
  // By name: a returned (proxied) error is not an instance of its class any more.
  const name = (error as Error | null)?.name;
  if (name === 'ValidationError') return { error: (error as ValidationError).message, fieldErrors: (error as ValidationError).errors };
  if (name === 'NotFoundError' || name === 'ConflictError') return { error: (error as NotFoundError | ConflictError).message };
  if (error instanceof graphql.GraphQLError && error.originalError == null) return { error: error.message, code: error.extensions?.code };
  return { error: 'Unexpected error.' };
}

/** `args` with every value under a `headers` object (any depth, any spelling of the key) replaced. */
export function withHeaderValuesRedacted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withHeaderValuesRedacted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      const isHeaders = key.toLowerCase().replace(/[-_\s]/g, '') === 'headers' && inner !== null && typeof inner === 'object' && !Array.isArray(inner);
      return [key, isHeaders ? Object.fromEntries(Object.keys(inner as object).map((name) => [name, REDACTED])) : withHeaderValuesRedacted(inner)];
    }),
  );
}

/**
 * Who acted, as stored: kind and token id apart from the label. A token's name is its creator's choice, so in the
 * label it is JSON-quoted (quotes, newlines and control characters escaped) and cannot pass for another actor.
 */
export function actorOf(identity: GraphQLContext['identity']) {
  if (!identity) return { actorLabel: 'anonymous', actorKind: 'ANONYMOUS' as const, actorTokenId: null };
  if (identity.via.kind === 'token') {
    return { actorLabel: `${identity.email} (token ${JSON.stringify(identity.via.tokenName)})`, actorKind: 'TOKEN' as const, actorTokenId: identity.via.tokenId };
  }
  return { actorLabel: identity.email, actorKind: 'SESSION' as const, actorTokenId: null };
}

async function record(
  fieldName: string,
  args: Record<string, unknown>,
  context: GraphQLContext,
  info: GraphQLResolveInfo,
  outcome: { result: unknown } | { error: unknown },
): Promise<void> {
  const recorder = recorders.get(context);
  if (!recorder) return;
  const identity = context.identity;
  const failure = 'error' in outcome ? outcome.error : failureIn(outcome.result);
  const targetType = targetTypeOf(fieldName);
  try {
    await recorder.audit.record({
      actorId: identity?.userId ?? null,
      ...actorOf(identity),
      ip: context.request.ip,
      action: fieldName,
      targetType,
      targetId: targetIdOf(targetType, args, 'result' in outcome ? outcome.result : null),
      outcome: failure ? outcomeOf(failure) : 'SUCCESS',
      details: {
        args: failure ? withHeaderValuesRedacted(args) : args,
        ...(info.operation.name ? { operationName: info.operation.name.value } : {}),
        ...(failure ? describeFailure(failure) : {}),
      },
    });
  } catch (error) {
    // The mutation has happened; failing the response now would only hide that. The log says what was not audited.
    recorder.logger.error(`audit: could not record ${fieldName}: ${(error as Error).message.trim().split('\n').pop()}`, {
      action: fieldName,
      actor: identity?.email ?? 'anonymous',
    });
  }
}

const wrappedSchemas = new WeakSet<GraphQLSchema>();

function wrapMutations(schema: GraphQLSchema): void {
  if (wrappedSchemas.has(schema)) return;
  wrappedSchemas.add(schema);
  const mutation = schema.getMutationType();
  if (!mutation) return;
  for (const field of Object.values(mutation.getFields())) {
    const original = (field.resolve ?? graphql.defaultFieldResolver) as GraphQLFieldResolver<unknown, GraphQLContext, Record<string, unknown>> & {
      [WRAPPED]?: true;
    };
    if (original[WRAPPED]) continue;
    const audited: GraphQLFieldResolver<unknown, GraphQLContext, Record<string, unknown>> & { [WRAPPED]?: true } = async (root, args, context, info) => {
      let result: unknown;
      try {
        refuseIllFormedText(args);
        result = await original(root, args, context, info);
      } catch (error) {
        await record(field.name, args, context, info, { error });
        throw error;
      }
      await record(field.name, args, context, info, { result });
      return result;
    };
    audited[WRAPPED] = true;
    field.resolve = audited;
  }
}

export function useAudit({ logger }: { logger: Logger }): Plugin {
  return {
    onSchemaChange({ schema }) {
      // Envelop types the schema any; Yoga's is a GraphQLSchema.
      wrapMutations(schema as GraphQLSchema);
    },
    onExecute({ args }) {
      // Also here: the schema may have been set before this plugin was registered.
      wrapMutations(args.schema as GraphQLSchema);
      const context = args.contextValue as unknown as GraphQLContext;
      recorders.set(context, { audit: new AuditService(context.prisma), logger });
    },
  };
}
