// TOTP two-factor sign-in for the caller's own account: enrol (secret and otpauth:// URI, shown once), confirm with a
// code (recovery codes, shown once), turn off with password and code; the second step of a sign-in.
import { createGraphQLError } from 'graphql-yoga';
import { sessionCookie } from '../../http/identity.js';
import { SignInThrottledError } from '../../services/auth/auth-service.js';
import { identityFromSession } from '../../services/auth/identity.js';
import { ConflictError, ValidationError } from '../../services/errors.js';
import { builder } from '../builder.js';
import { ViewerRef } from './viewer.js';

builder.objectFields(ViewerRef, (t) => ({
  twoFactorEnabled: t.boolean({ description: 'Whether TOTP two-factor sign-in is on for this account.', resolve: (identity) => identity.twoFactor ?? false }),
  mustEnrolTwoFactor: t.boolean({
    description: 'An admin signed in without two-factor where auth.require_totp_for_admins is on: no permission until two-factor is on.',
    resolve: (identity) => identity.mustEnrolTwoFactor ?? false,
  }),
  recoveryCodesLeft: t.int({
    description: 'Unused two-factor recovery codes (0 when two-factor is off).',
    resolve: (identity, _args, context) => context.services.auth.twoFactor.recoveryCodesLeft(identity.userId),
  }),
}));

const TwoFactorEnrolment = builder.objectRef<{ secret: string; uri: string }>('TwoFactorEnrolment').implement({
  description: 'A new TOTP secret, shown only in this response; two-factor is on once a code confirms it.',
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'The secret in base32, to type into an authenticator app.' }),
    uri: t.exposeString('uri', { description: 'The otpauth:// URI an authenticator app reads from a QR code.' }),
  }),
});

function asGraphQLError(error: unknown): unknown {
  if (error instanceof ValidationError) return createGraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', fieldErrors: error.errors } });
  if (error instanceof ConflictError) return createGraphQLError(error.message, { extensions: { code: 'CONFLICT' } });
  if (error instanceof SignInThrottledError) {
    return createGraphQLError(`too many code attempts; try again in ${error.retryAfterSeconds} s`, {
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: error.retryAfterSeconds },
    });
  }
  return error;
}

builder.mutationField('signInWithCode', (t) =>
  t.field({
    type: ViewerRef,
    description:
      'The second step of signing in to an account with two-factor on: the challenge from signIn\'s TWO_FACTOR_REQUIRED error and a code from the authenticator app, or an unused recovery code (used up by this). Starts a browser session like signIn.',
    args: { challenge: t.arg.string(), oneTimeCode: t.arg.string() },
    resolve: async (_root, { challenge, oneTimeCode: code }, context) => {
      try {
        const current = context.identity?.via.kind === 'session' ? context.identity.via.sessionId : null;
        const { session, secret } = await context.services.auth.signInWithCode(challenge, code, { ...context.request, replacing: current });
        context.responseCookies.push(sessionCookie(secret, session.expiresAt, context.request.secure));
        return (await identityFromSession(context.prisma, secret, context.services.auth.sessionPolicy))!;
      } catch (error) {
        throw asGraphQLError(error);
      }
    },
  }),
);

builder.mutationField('beginTwoFactorEnrolment', (t) =>
  t.field({
    type: TwoFactorEnrolment,
    authScopes: { authenticated: true },
    description: "Starts TOTP enrolment for the caller's account (one that signs in with a password): a new secret, shown once.",
    resolve: async (_root, _args, context) => {
      try {
        return await context.services.auth.beginTwoFactor(context.identity!);
      } catch (error) {
        throw asGraphQLError(error);
      }
    },
  }),
);

builder.mutationField('confirmTwoFactorEnrolment', (t) =>
  t.field({
    type: ['String'],
    authScopes: { authenticated: true },
    description: 'Turns two-factor on with a current code from the app. Returns ten single-use recovery codes, shown only in this response.',
    args: { oneTimeCode: t.arg.string() },
    resolve: async (_root, { oneTimeCode: code }, context) => {
      try {
        return await context.services.auth.confirmTwoFactor(context.identity!, code, context.request);
      } catch (error) {
        throw asGraphQLError(error);
      }
    },
  }),
);

builder.mutationField('disableTwoFactor', (t) =>
  t.boolean({
    authScopes: { authenticated: true },
    description: "Turns two-factor off for the caller's account: needs the password and a current code (or a recovery code).",
    args: { password: t.arg.string(), oneTimeCode: t.arg.string() },
    resolve: async (_root, { password, oneTimeCode: code }, context) => {
      try {
        await context.services.auth.disableTwoFactor(context.identity!, password, code, context.request);
        return true;
      } catch (error) {
        throw asGraphQLError(error);
      }
    },
  }),
);
