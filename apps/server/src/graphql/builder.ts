// Configures the schema builder only; graphql/schema.ts imports the type files and builds.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { JSONResolver } from 'graphql-scalars';
import type PrismaTypes from '../db/generated/pothos-types.js';
import { getDatamodel } from '../db/generated/pothos-types.js';
import type { Permission } from '../db/prisma.js';
import type { GraphQLContext } from './context.js';
import { DATE_TIME_INPUTS_PLUGIN, DateTimeScalar } from './date-time.js';

export type { GraphQLContext } from './context.js';

export const builder = new SchemaBuilder<{
  PrismaTypes: PrismaTypes;
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
  AuthScopes: {
    /** Any signed-in identity (session or API token). */
    authenticated: boolean;
    /** The identity's roles grant this permission. */
    permission: Permission;
  };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  // Scope auth first: it wraps every other plugin's resolvers. DateTime inputs inside errors: the ValidationError
  // they throw is answered as the field's error result (date-time.ts).
  plugins: [ScopeAuthPlugin, ErrorsPlugin, DATE_TIME_INPUTS_PLUGIN, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    // Check a subscription's scopes when it is opened, not only per event: otherwise anyone could open one (and
    // learn from its errors which ids exist). Found by test/integration/security-authz.test.ts.
    authorizeOnSubscribe: true,
    // A type's scopes are checked once per object, when a field returns it, instead of around every field of it:
    // a page of 50 jobs ran them (and allocated for them) for each of its ~1,000 fields.
    runScopesOnType: true,
    authScopes: (context) => ({
      authenticated: context.identity !== null,
      permission: (permission) => context.identity?.permissions.has(permission) ?? false,
    }),
  },
  errors: { defaultTypes: [] },
  relay: { clientMutationId: 'omit', cursorType: 'String' },
  prisma: {
    client: (context) => context.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
  },
});

builder.addScalarType('DateTime', DateTimeScalar);
builder.addScalarType('JSON', JSONResolver);

builder.queryType({});

/** The builder's resolved types, for helpers that take Pothos field builders. */
export type SchemaTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;
