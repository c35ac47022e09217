// One's own browser sessions and API tokens: listed, a session revoked, every session ended ("sign out everywhere").
// Any signed-in identity may do this for itself; nobody sees or ends another user's sessions here.
import { createGraphQLError } from 'graphql-yoga';
import { clearedSessionCookie } from '../../http/identity.js';
import { NotFoundError } from '../../services/errors.js';
import { builder } from '../builder.js';

builder.prismaObject('Session', {
  description: 'A browser session of the signed-in user. Its secret is in an HttpOnly cookie and never shown.',
  fields: (t) => ({
    id: t.exposeID('id'),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it signed in.' }),
    lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime', description: 'Its latest request (kept to the minute at most).' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'When it ends however busy it is (auth.session_absolute_timeout_seconds).' }),
    ip: t.exposeString('ip', { nullable: true, description: 'The client address it signed in from.' }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    current: t.boolean({
      description: 'Whether this is the session making the request.',
      resolve: (session, _args, context) => context.identity?.via.kind === 'session' && context.identity.via.sessionId === session.id,
    }),
  }),
});

const SignedOutEverywhere = builder.objectRef<{ sessions: number; apiTokens: number }>('SignedOutEverywhere').implement({
  fields: (t) => ({
    sessions: t.exposeInt('sessions', { description: 'Sessions ended, the calling one included.' }),
    apiTokens: t.exposeInt('apiTokens', { description: 'API tokens revoked: 0 unless revokeApiTokens was true.' }),
  }),
});

builder.queryField('mySessions', (t) =>
  t.prismaField({
    type: ['Session'],
    authScopes: { authenticated: true },
    description: "The caller's open browser sessions (not signed out, not timed out), most recently used first.",
    resolve: async (query, _root, _args, context) => {
      const open = await context.services.auth.sessions.open(context.identity!.userId);
      return context.prisma.session.findMany({ ...query, where: { id: { in: open.map((session) => session.id) } }, orderBy: { lastSeenAt: 'desc' } });
    },
  }),
);

builder.queryField('myApiTokens', (t) =>
  t.prismaField({
    type: ['ApiToken'],
    authScopes: { authenticated: true },
    description: "The caller's own API tokens, revoked and expired ones included, newest first.",
    resolve: (query, _root, _args, context) =>
      context.prisma.apiToken.findMany({ ...query, where: { userId: context.identity!.userId }, orderBy: { createdAt: 'desc' } }),
  }),
);

builder.mutationField('revokeSession', (t) =>
  t.prismaField({
    type: 'Session',
    authScopes: { authenticated: true },
    description: "Ends one of the caller's own sessions at once (its open subscriptions close within seconds).",
    args: { id: t.arg.id() },
    resolve: async (query, _root, { id }, context) => {
      try {
        const session = await context.services.auth.sessions.revoke(context.identity!.userId, String(id));
        const identity = context.identity!;
        if (identity.via.kind === 'session' && identity.via.sessionId === session.id) context.responseCookies.push(clearedSessionCookie());
        return await context.prisma.session.findUniqueOrThrow({ ...query, where: { id: session.id } });
      } catch (error) {
        if (error instanceof NotFoundError) throw createGraphQLError(error.message, { extensions: { code: 'NOT_FOUND' } });
        throw error;
      }
    },
  }),
);

builder.mutationField('signOutEverywhere', (t) =>
  t.field({
    type: SignedOutEverywhere,
    authScopes: { authenticated: true },
    description:
      "Ends every browser session of the caller, this one included. API tokens keep working unless revokeApiTokens is true (then every one of the caller's tokens is revoked too).",
    args: { revokeApiTokens: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: async (_root, { revokeApiTokens }, context) => {
      const ended = await context.services.auth.sessions.signOutEverywhere(context.identity!.userId, { revokeApiTokens: revokeApiTokens ?? false });
      if (context.identity!.via.kind === 'session') context.responseCookies.push(clearedSessionCookie());
      return ended;
    },
  }),
);
