// How one signs in to this server: with a password, with single sign-on (OpenID Connect), or both. Public: the
// sign-in page asks before anyone is signed in.
import type { SignInOptions } from '../../services/auth/oidc.js';
import { builder } from '../builder.js';

const SingleSignOnRef = builder.objectRef<NonNullable<SignInOptions['sso']>>('SingleSignOn').implement({
  description: 'Single sign-on with an OpenID Connect provider (auth.oidc).',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The provider as the sign-in button names it: "Sign in with <name>" (auth.oidc.name).' }),
    startPath: t.exposeString('startPath', { description: 'The address a browser opens to sign in (GET); `?next=/path` says where to land afterwards.' }),
  }),
});

const SignInOptionsRef = builder.objectRef<SignInOptions>('SignInOptions').implement({
  description: 'The ways to sign in this server offers.',
  fields: (t) => ({
    localSignIn: t.exposeBoolean('localSignIn', { description: 'Whether signIn (e-mail and password) works (auth.local_sign_in).' }),
    sso: t.field({ type: SingleSignOnRef, nullable: true, description: 'Single sign-on, or null when it is not configured.', resolve: (options) => options.sso }),
  }),
});

builder.queryField('signInOptions', (t) =>
  t.field({
    type: SignInOptionsRef,
    description: 'How to sign in: password, single sign-on, or both. Does not require signing in.',
    resolve: (_root, _args, context) => context.services.oidc.options(),
  }),
);
