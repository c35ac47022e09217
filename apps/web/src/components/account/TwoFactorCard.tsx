// Two-factor sign-in for the signed-in user's account: turn it on (a QR code and the secret for an authenticator
// app, confirmed with a code; the recovery codes shown once), or turn it off with password and code.
import QRCode from 'qrcode';
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import { describeError, fieldErrorMap, fieldErrorsOf } from '../../lib/errors';
import { Alert } from '../ui/Alert';
import { Badge } from '../ui/Badge';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { CopyButton } from '../ui/CopyButton';
import { Input } from '../ui/Input';
import { SkeletonRows } from '../ui/Skeleton';

const TwoFactorCardQuery = graphql(`
  query TwoFactorCardQuery {
    viewer {
      userId
      via
      twoFactorEnabled
      mustEnrolTwoFactor
      recoveryCodesLeft
    }
  }
`);

const BeginTwoFactorMutation = graphql(`
  mutation BeginTwoFactorMutation {
    beginTwoFactorEnrolment {
      secret
      uri
    }
  }
`);

const ConfirmTwoFactorMutation = graphql(`
  mutation ConfirmTwoFactorMutation($code: String!) {
    confirmTwoFactorEnrolment(oneTimeCode: $code)
  }
`);

const DisableTwoFactorMutation = graphql(`
  mutation DisableTwoFactorMutation($password: String!, $code: String!) {
    disableTwoFactor(password: $password, oneTimeCode: $code)
  }
`);

/** The otpauth:// URI as a QR code image (a data: URL, which the Content-Security-Policy allows for images). */
function useQrCode(uri: string | null): string | null {
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    if (uri) void QRCode.toDataURL(uri, { margin: 1, width: 200 }).then((url) => current && setImage(url));
    return () => {
      current = false;
    };
  }, [uri]);
  return uri ? image : null;
}

export function TwoFactorCard() {
  const [{ data, error }, reexecute] = useQuery({ query: TwoFactorCardQuery, requestPolicy: 'cache-and-network' });
  const [, begin] = useMutation(BeginTwoFactorMutation);
  const [{ fetching: confirming }, confirm] = useMutation(ConfirmTwoFactorMutation);
  const [{ fetching: disabling }, disable] = useMutation(DisableTwoFactorMutation);
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string } | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const qr = useQrCode(enrolment?.uri ?? null);
  const viewer = data?.viewer;

  const refresh = () => reexecute({ requestPolicy: 'network-only' });

  const start = async () => {
    setProblem(null);
    const result = await begin({});
    if (result.error || !result.data) return setProblem(describeError(result.error));
    setEnrolment(result.data.beginTwoFactorEnrolment);
  };

  const submitConfirm = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const result = await confirm({ code: code.trim() });
    if (result.error || !result.data) {
      setFieldErrors(fieldErrorMap(fieldErrorsOf(result.error)));
      return setProblem(describeError(result.error));
    }
    setRecoveryCodes(result.data.confirmTwoFactorEnrolment);
    setEnrolment(null);
    setCode('');
    setFieldErrors({});
  };

  const submitDisable = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const result = await disable({ password, code: code.trim() });
    if (result.error) {
      setFieldErrors(fieldErrorMap(fieldErrorsOf(result.error)));
      return setProblem(describeError(result.error));
    }
    setPassword('');
    setCode('');
    setFieldErrors({});
    refresh();
  };

  const status = viewer?.twoFactorEnabled ? <Badge tone="success">On</Badge> : <Badge tone="muted">Off</Badge>;

  return (
    <Card title="Two-factor sign-in" description="A code from an authenticator app, asked after your password." actions={viewer && status}>
      {error && !data ? (
        <Alert title="Could not load two-factor sign-in">{describeError(error)}</Alert>
      ) : !viewer ? (
        <SkeletonRows columns={2} label="Loading two-factor sign-in" />
      ) : viewer.via === 'token' ? (
        <p className="text-sm text-stone-500 dark:text-stone-400">Sign in with a password to manage two-factor sign-in.</p>
      ) : recoveryCodes ? (
        <div className="flex flex-col gap-4">
          <Alert title="Two-factor sign-in is on" tone="success">
            Save these recovery codes somewhere safe: each signs you in once without your app. They are shown only now.
          </Alert>
          <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-2 font-mono text-sm">
            {recoveryCodes.map((recovery) => (
              <li key={recovery}>{recovery}</li>
            ))}
          </ul>
          <div className="flex gap-2">
            <CopyButton text={recoveryCodes.join('\n')} label="Copy codes" />
            <Button
              variant="primary"
              onClick={() => {
                setRecoveryCodes(null);
                refresh();
              }}
            >
              I have saved them
            </Button>
          </div>
        </div>
      ) : viewer.twoFactorEnabled ? (
        <form onSubmit={submitDisable} aria-label="Turn off two-factor sign-in" className="flex max-w-sm flex-col gap-4">
          <p className="text-sm text-stone-600 dark:text-stone-300">
            {viewer.recoveryCodesLeft} unused recovery code{viewer.recoveryCodesLeft === 1 ? '' : 's'} left. To turn it off, give your
            password and a current code.
          </p>
          {problem && <Alert title="Could not turn it off">{problem}</Alert>}
          <Input label="Password" type="password" autoComplete="current-password" required value={password} error={fieldErrors.password} onChange={(event) => setPassword(event.target.value)} />
          <Input label="Code" name="code" autoComplete="one-time-code" required value={code} error={fieldErrors.oneTimeCode} onChange={(event) => setCode(event.target.value)} />
          <Button type="submit" variant="danger" loading={disabling}>
            Turn off two-factor sign-in
          </Button>
        </form>
      ) : enrolment ? (
        <form onSubmit={submitConfirm} aria-label="Confirm two-factor sign-in" className="flex flex-col gap-4">
          <p className="text-sm text-stone-600 dark:text-stone-300">Scan this QR code with your authenticator app, or type the secret into it. Then enter the code it shows.</p>
          <div className="flex flex-wrap items-center gap-6">
            {qr ? <img src={qr} alt="QR code for your authenticator app" width={200} height={200} className="rounded-lg bg-white" /> : <div className="size-[200px]" />}
            <div className="flex min-w-0 flex-col gap-2">
              <span className="text-xs text-stone-500 dark:text-stone-400">Secret</span>
              <code data-testid="totp-secret" className="font-mono text-sm break-all">{enrolment.secret}</code>
              <CopyButton text={enrolment.secret} label="Copy secret" />
            </div>
          </div>
          {problem && <Alert title="Could not turn it on">{problem}</Alert>}
          <div className="flex max-w-sm flex-col gap-4">
            <Input label="Code from the app" name="code" autoComplete="one-time-code" inputMode="numeric" required value={code} error={fieldErrors.oneTimeCode} onChange={(event) => setCode(event.target.value)} />
            <Button type="submit" variant="primary" loading={confirming}>
              Turn on
            </Button>
          </div>
        </form>
      ) : (
        <div className="flex flex-col items-start gap-4">
          {viewer.mustEnrolTwoFactor && (
            <Alert title="Two-factor sign-in is required" tone="warning">
              Your account can manage users or roles, and this server requires two-factor sign-in for such accounts. Turn it on to continue.
            </Alert>
          )}
          {problem && <Alert title="Could not start">{problem}</Alert>}
          <Button variant="primary" onClick={() => void start()}>
            Turn on two-factor sign-in
          </Button>
        </div>
      )}
    </Card>
  );
}
