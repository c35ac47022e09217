// Email and password → a session cookie (HttpOnly, set by the server). Errors are the server's own, generic on
// purpose ("wrong e-mail or password"): the page adds nothing that would tell which part was wrong. An account with
// two-factor on gets a second step: the code from its authenticator app, or a recovery code.
// With single sign-on configured, a "Sign in with <name>" link starts it (a full page load: the server sends the
// browser to the provider); a refused single sign-on comes back here with a code (`?sso=`) the page puts in words.
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useDocumentTitle } from '../components/layout/PageHeader';
import { ThemeToggle } from '../components/layout/ThemeToggle';
import { Alert } from '../components/ui/Alert';
import { Button, buttonClass } from '../components/ui/Button';
import { Input } from '../components/ui/Input';
import { SundialMark } from '../components/ui/SundialMark';
import { graphql } from '../gql';
import { describeError } from '../lib/errors';
import { useSession } from '../lib/session';

const SignInPageQuery = graphql(`
  query SignInPageQuery {
    viewer {
      userId
    }
    signInOptions {
      localSignIn
      sso {
        name
        startPath
      }
    }
  }
`);

/** Why a single sign-on was refused, by the code the server sends back (never text from the address itself). */
const SSO_REFUSALS: Readonly<Record<string, string>> = {
  bad_state: 'The sign-in could not be matched to this browser (it expired, or was started elsewhere). Try again.',
  provider_error: 'The identity provider did not complete the sign-in. Try again, or ask your administrator.',
  unverified_email: 'Your identity provider has not verified your e-mail address, so it cannot be matched to an account.',
  no_account: 'There is no Sundial account for your e-mail address. Ask an administrator to create one.',
  inactive: 'Your Sundial account is deactivated. Ask an administrator.',
  no_role: 'None of your groups at the identity provider gives access to Sundial. Ask your administrator.',
  unavailable: 'The identity provider cannot be reached right now. Try again later.',
};

const SignInMutation = graphql(`
  mutation SignInMutation($email: String!, $password: String!) {
    signIn(email: $email, password: $password) {
      userId
    }
  }
`);

const SignInWithCodeMutation = graphql(`
  mutation SignInWithCodeMutation($challenge: String!, $code: String!) {
    signInWithCode(challenge: $challenge, oneTimeCode: $code) {
      userId
    }
  }
`);

/** Only a path inside this app: `?next=https://evil.example` must not become an open redirect. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function SignInPage() {
  useDocumentTitle('Sign in');
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const { resetSession } = useSession();
  const [{ data }] = useQuery({ query: SignInPageQuery });
  const [{ fetching }, signIn] = useMutation(SignInMutation);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [{ fetching: checkingCode }, signInWithCode] = useMutation(SignInWithCodeMutation);
  /** Set once the password was right for an account with two-factor on: the code step shows. */
  const [challenge, setChallenge] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const ssoCode = params.get('sso');
  const ssoProblem = ssoCode ? (SSO_REFUSALS[ssoCode] ?? 'Single sign-on did not complete. Try again.') : null;
  const options = data?.signInOptions;

  if (data?.viewer) return <Navigate to={next} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const result = await signIn({ email: email.trim(), password });
    const secondStep = result.error?.graphQLErrors.find((error) => error.extensions.code === 'TWO_FACTOR_REQUIRED');
    if (secondStep && typeof secondStep.extensions.challenge === 'string') {
      setChallenge(secondStep.extensions.challenge);
      setPassword('');
      return;
    }
    if (result.error || !result.data) {
      setProblem(describeError(result.error));
      return;
    }
    resetSession();
    navigate(next, { replace: true });
  };

  const submitCode = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const result = await signInWithCode({ challenge: challenge!, code: code.trim() });
    if (result.error || !result.data) {
      const expired = result.error?.graphQLErrors.some((error) =>
        (error.extensions.fieldErrors as { field: string }[] | undefined)?.some((fieldError) => fieldError.field === 'challenge'),
      );
      if (expired) setChallenge(null);
      setProblem(describeError(result.error));
      return;
    }
    resetSession();
    navigate(next, { replace: true });
  };

  return (
    <div className="relative flex min-h-screen items-center justify-center bg-gradient-to-b from-amber-50/60 to-stone-50 px-4 py-12 dark:from-stone-900 dark:to-stone-950">
      <div className="absolute top-4 right-4">
        <ThemeToggle />
      </div>
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <SundialMark className="size-12" />
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">Sign in to Sundial</h1>
          <p className="mt-1 text-sm text-stone-500 dark:text-stone-400">Schedule, run and watch your jobs.</p>
        </div>
        {ssoProblem && (
          <div className="mb-4">
            <Alert title="Could not sign you in">{ssoProblem}</Alert>
          </div>
        )}
        {options?.sso && (
          <a
            href={`${options.sso.startPath}?${new URLSearchParams({ next })}`}
            className={buttonClass(options.localSignIn ? 'secondary' : 'primary', 'md', 'mb-4 w-full')}
          >
            Sign in with {options.sso.name}
          </a>
        )}
        {options?.sso && options.localSignIn && (
          <p className="mb-4 text-center text-xs text-stone-500 dark:text-stone-400">or with your e-mail and password</p>
        )}
        {challenge ? (
          <form
            onSubmit={submitCode}
            aria-label="Two-factor code"
            className="flex flex-col gap-4 rounded-2xl border border-stone-200 bg-white p-6 shadow-sm dark:border-stone-800 dark:bg-stone-900"
          >
            {problem && <Alert title="Could not sign you in">{problem}</Alert>}
            <p className="text-sm text-stone-600 dark:text-stone-300">
              Enter the 6-digit code from your authenticator app, or one of your recovery codes.
            </p>
            <Input
              label="Code"
              name="code"
              autoComplete="one-time-code"
              autoFocus
              required
              value={code}
              onChange={(event) => setCode(event.target.value)}
            />
            <Button type="submit" variant="primary" loading={checkingCode} className="mt-2 w-full">
              {checkingCode ? 'Checking…' : 'Verify'}
            </Button>
            <Button type="button" variant="ghost" onClick={() => { setChallenge(null); setCode(''); setProblem(null); }}>
              Start over
            </Button>
          </form>
        ) : (
          options?.localSignIn !== false && (
          <>
            <form
              onSubmit={submit}
              aria-label="Sign in"
              className="flex flex-col gap-4 rounded-2xl border border-stone-200 bg-white p-6 shadow-sm dark:border-stone-800 dark:bg-stone-900"
            >
              {problem && <Alert title="Could not sign you in">{problem}</Alert>}
              <Input
                label="E-mail"
                type="email"
                name="email"
                autoComplete="username"
                autoFocus
                required
                value={email}
                onChange={(event) => setEmail(event.target.value)}
              />
              <Input
                label="Password"
                type="password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
              <Button type="submit" variant="primary" loading={fetching} className="mt-2 w-full">
                {fetching ? 'Signing in…' : 'Sign in'}
              </Button>
            </form>
            <p className="mt-6 text-center text-xs leading-relaxed text-stone-500 dark:text-stone-400">
              First start? The admin is <code className="font-mono">admin@localhost</code> and a generated password printed
              once on the server's console — unless <code className="font-mono">auth.admin_email</code> and{' '}
              <code className="font-mono">auth.admin_password</code> were set in its configuration before that start.
            </p>
          </>
          )
        )}
      </div>
    </div>
  );
}
