// The signed-in identity, and signing in and out.
import { createGraphQLError } from 'graphql-yoga';
import { LocalSignInOffError, SecondFactorRequiredError, SignInError, SignInThrottledError } from '../../services/auth/auth-service.js';
import { ValidationError } from '../../services/errors.js';
import { clearedSessionCookie, sessionCookie } from '../../http/identity.js';
import { ALL_PERMISSIONS } from '../../services/auth/permissions.js';
import { identityFromSession, type Identity } from '../../services/auth/identity.js';
import { builder } from '../builder.js';

export const PermissionEnum = builder.enumType('Permission', {
  description: 'What a role lets its members do.',
  values: ALL_PERMISSIONS,
});

export const ViewerRef = builder.objectRef<Identity>('Viewer');

const Viewer = ViewerRef.implement({
  description: 'Who is calling: a signed-in user, through a session or an API token.',
  fields: (t) => ({
    userId: t.exposeID('userId'),
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    permissions: t.field({ type: [PermissionEnum], resolve: (identity) => [...identity.permissions].sort() }),
    via: t.string({ description: '"session" or "token".', resolve: (identity) => identity.via.kind }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: Viewer,
    nullable: true,
    description: 'The signed-in identity, or null. Does not require signing in.',
    resolve: (_root, _args, context) => context.identity,
  }),
);

builder.mutationType({});

builder.mutationField('signIn', (t) =>
  t.field({
    type: Viewer,
    description:
      'Starts a browser session (HttpOnly cookie) with a new id; a session the request came with ends. Wrong e-mail or password get one generic error.',
    args: { email: t.arg.string(), password: t.arg.string() },
    resolve: async (_root, { email, password }, context) => {
      try {
        const current = context.identity?.via.kind === 'session' ? context.identity.via.sessionId : null;
        const { session, secret } = await context.services.auth.signIn(email, password, { ...context.request, replacing: current });
        context.responseCookies.push(sessionCookie(secret, session.expiresAt, context.request.secure));
        return (await identityFromSession(context.prisma, secret, context.services.auth.sessionPolicy))!;
      } catch (error) {
        if (error instanceof SignInError) throw createGraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED' } });
        if (error instanceof SecondFactorRequiredError) {
          throw createGraphQLError(error.message, { extensions: { code: 'TWO_FACTOR_REQUIRED', challenge: error.challenge } });
        }
        if (error instanceof LocalSignInOffError) throw createGraphQLError(error.message, { extensions: { code: 'FORBIDDEN' } });
        if (error instanceof SignInThrottledError) {
          throw createGraphQLError(error.message, { extensions: { code: 'RATE_LIMITED', retryAfterSeconds: error.retryAfterSeconds } });
        }
        throw error;
      }
    },
  }),
);

builder.mutationField('signOut', (t) =>
  t.boolean({
    authScopes: { authenticated: true },
    description: 'Ends this browser session; its open subscriptions close within seconds.',
    resolve: async (_root, _args, context) => {
      await context.services.auth.signOut(context.identity!);
      context.responseCookies.push(clearedSessionCookie());
      return true;
    },
  }),
);

builder.mutationField('changePassword', (t) =>
  t.boolean({
    authScopes: { authenticated: true },
    description: "Changes the caller's password and signs out their other sessions.",
    args: { currentPassword: t.arg.string(), newPassword: t.arg.string() },
    resolve: async (_root, { currentPassword, newPassword }, context) => {
      try {
        await context.services.auth.changePassword(context.identity!, currentPassword, newPassword, context.request);
        return true;
      } catch (error) {
        if (error instanceof SignInThrottledError) {
          throw createGraphQLError(`too many password attempts; try again in ${error.retryAfterSeconds} s`, {
            extensions: { code: 'RATE_LIMITED', retryAfterSeconds: error.retryAfterSeconds },
          });
        }
        if (error instanceof ValidationError) {
          throw createGraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', fieldErrors: error.errors } });
        }
        throw error;
      }
    },
  }),
);
