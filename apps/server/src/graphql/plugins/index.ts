// The hardened graphql-yoga options: CORS for configured origins only, GraphiQL and introspection off in production
// unless configured, limits on documents (GraphQL Armor) and variables, one password check per request, masked
// errors, and an audit event for every mutation. app.ts spreads these into createYoga.
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../../config/schema.js';
import { corsFor } from '../../http/security.js';
import type { Logger } from '../../lib/logger.js';
import { useSundialArmor } from './armor.js';
import { useAudit } from './audit.js';
import { useOneCredentialCheckPerRequest } from './credential-guard.js';
import { createMaskError } from './errors.js';
import { useDisableIntrospection } from './introspection.js';
import { useVariablesLimits } from './variables.js';

/** `auto` settings are on, except when NODE_ENV=production. */
export function resolveAuto(value: 'auto' | boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return value === 'auto' ? env.NODE_ENV !== 'production' : value;
}

/** The plugins: limits first (they refuse before anything runs), the audit last. */
export function graphqlSecurityPlugins(config: Config, logger: Logger, env: NodeJS.ProcessEnv = process.env): Plugin[] {
  const introspection = resolveAuto(config.graphql.introspection, env);
  return [
    useVariablesLimits({ maxBytes: config.graphql.max_variables_bytes, maxDepth: config.graphql.max_variables_depth }),
    useSundialArmor(config.graphql, { hideSuggestions: !introspection }) as Plugin,
    useOneCredentialCheckPerRequest(),
    ...(introspection ? [] : [useDisableIntrospection()]),
    useAudit({ logger }),
  ];
}

/** createYoga options other than plugins. */
export function graphqlSecurityOptions(config: Config, logger: Logger, env: NodeJS.ProcessEnv = process.env) {
  return {
    cors: corsFor(config.server.cors_origins),
    graphiql: resolveAuto(config.graphql.graphiql, env),
    landingPage: false,
    // One operation per request: batches would multiply every per-request limit (and sign-in attempts).
    batching: false,
    maskedErrors: { maskError: createMaskError({ expose: config.graphql.expose_errors, logger }), isDev: false },
  };
}
