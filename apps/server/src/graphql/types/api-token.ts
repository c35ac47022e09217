// API tokens for integrators: created with the secret shown once, listed without it, revoked.
import { createGraphQLError } from 'graphql-yoga';
import { ConflictError, NotFoundError, ValidationError } from '../../services/errors.js';
import { builder } from '../builder.js';

const ApiToken = builder.prismaObject('ApiToken', {
  description: 'A credential for integrators; acts with its owner\'s permissions. The secret is never shown again.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters of the secret, to tell tokens apart.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    ownerEmail: t.string({ select: { user: { select: { email: true } } }, resolve: (token) => token.user.email }),
  }),
});

const CreatedApiToken = builder.objectRef<{ token: { id: string }; secret: string }>('CreatedApiToken').implement({
  fields: (t) => ({
    token: t.prismaField({ type: 'ApiToken', resolve: (query, created, _args, context) => context.prisma.apiToken.findUniqueOrThrow({ ...query, where: { id: created.token.id } }) }),
    secret: t.exposeString('secret', { description: 'Send it as `Authorization: Bearer <secret>`. Shown only in this response.' }),
  }),
});

builder.queryField('apiTokens', (t) =>
  t.prismaField({
    type: [ApiToken],
    authScopes: { permission: 'TOKENS_MANAGE' },
    description: 'All API tokens, newest first.',
    resolve: (query, _root, _args, context) => context.prisma.apiToken.findMany({ ...query, orderBy: { createdAt: 'desc' } }),
  }),
);

builder.mutationField('createApiToken', (t) =>
  t.field({
    type: CreatedApiToken,
    authScopes: { permission: 'TOKENS_MANAGE' },
    description: 'A new token for the caller (or for another user). The secret is in this response only.',
    args: {
      name: t.arg.string(),
      expiresAt: t.arg({ type: 'DateTime', required: false }),
      userId: t.arg.id({ required: false, description: 'Whose token it is; default: the caller.' }),
    },
    resolve: async (_root, args, context) => {
      try {
        return await context.services.auth.createApiToken(args.userId ? String(args.userId) : context.identity!.userId, {
          name: args.name,
          expiresAt: args.expiresAt ?? null,
        });
      } catch (error) {
        throw asGraphQLError(error);
      }
    },
  }),
);

builder.mutationField('revokeApiToken', (t) =>
  t.prismaField({
    type: ApiToken,
    authScopes: { permission: 'TOKENS_MANAGE' },
    description: 'Revokes a token at once; its open subscriptions close within seconds.',
    args: { id: t.arg.id() },
    resolve: async (query, _root, { id }, context) => {
      try {
        const token = await context.services.auth.revokeApiToken(String(id));
        return context.prisma.apiToken.findUniqueOrThrow({ ...query, where: { id: token.id } });
      } catch (error) {
        throw asGraphQLError(error);
      }
    },
  }),
);

function asGraphQLError(error: unknown): unknown {
  if (error instanceof ValidationError) return createGraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', fieldErrors: error.errors } });
  if (error instanceof NotFoundError) return createGraphQLError(error.message, { extensions: { code: 'NOT_FOUND' } });
  if (error instanceof ConflictError) return createGraphQLError(error.message, { extensions: { code: 'CONFLICT' } });
  return error;
}
