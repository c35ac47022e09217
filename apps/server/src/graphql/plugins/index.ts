// The hardened graphql-yoga options: CORS for configured origins only, GraphiQL and introspection off in production
// unless configured, limits on documents (GraphQL Armor) and variables, one password check per request, masked
// errors, and an audit event for every mutation. app.ts spreads these into createYoga.
import type { Plugin } from 'graphql-yoga';
import type pg from 'pg';
import type { ProcessEnvironment } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { corsFor } from '../../http/security.js';
import type { Logger } from '../../lib/logger.js';
import { useAnonymousMutationLimit } from './anonymous-limit.js';
import { useSundialArmor } from './armor.js';
import { useAudit } from './audit.js';
import { useOneCredentialCheckPerRequest } from './credential-guard.js';
import { useQueryCost } from './cost.js';
import { createMaskError } from './errors.js';
import { useDisableIntrospection } from './introspection.js';
import { useRefusalAudit, type RefusalRecorder } from './refusal-audit.js';
import { useRetryAfter } from './retry-after.js';
import { useVariablesLimits } from './variables.js';

/** `auto` settings are on, except when NODE_ENV=production. */
export function resolveAuto(value: 'auto' | boolean, environment: Pick<ProcessEnvironment, 'production'>): boolean {
  return value === 'auto' ? !environment.production : value;
}

/** The plugins: limits first (they refuse before anything runs), the audit last. */
export function graphqlSecurityPlugins(
  config: Config,
  logger: Logger,
  environment: Pick<ProcessEnvironment, 'production'>,
  refusals: RefusalRecorder,
  /** Where the rate limits are counted (shared by every process). */
  pool: pg.Pool,
): Plugin[] {
  const introspection = resolveAuto(config.graphql.introspection, environment);
  return [
    useRefusalAudit(refusals),
    useVariablesLimits({ maxBytes: config.graphql.max_variables_bytes, maxDepth: config.graphql.max_variables_depth }),
    useSundialArmor(config.graphql, { hideSuggestions: !introspection }) as Plugin,
    useQueryCost({ maxCost: config.graphql.max_cost }),
    useOneCredentialCheckPerRequest(),
    useAnonymousMutationLimit({ pool, perMinute: config.graphql.anonymous_mutations_per_minute }),
    useRetryAfter(),
    ...(introspection ? [] : [useDisableIntrospection()]),
    useAudit({ logger }),
  ];
}

/** createYoga options other than plugins. */
export function graphqlSecurityOptions(config: Config, logger: Logger, environment: Pick<ProcessEnvironment, 'production'>) {
  return {
    cors: corsFor(config.server.cors_origins),
    graphiql: resolveAuto(config.graphql.graphiql, environment),
    landingPage: false,
    // One operation per request: batches would multiply every per-request limit (and sign-in attempts).
    batching: false,
    maskedErrors: { maskError: createMaskError({ expose: config.graphql.expose_errors, logger }), isDev: false },
  };
}
