// Create a token, then show its secret — once. The dialog will not close by accident while the secret is shown
// without the user saying they have stored it.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { describeError, fieldErrorMap, fieldErrorsOf } from '../../lib/errors';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { CopyButton } from '../ui/CopyButton';
import { Dialog } from '../ui/Dialog';
import { Input } from '../ui/Input';
import { Select } from '../ui/Select';

const CreateApiTokenMutation = graphql(`
  mutation CreateApiTokenMutation($name: String!, $expiresAt: DateTime) {
    createApiToken(name: $name, expiresAt: $expiresAt) {
      secret
      token {
        id
        name
        ...ApiTokenRow_ApiTokenFragment
      }
    }
  }
`);

const EXPIRY_OPTIONS = [
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
  { value: 'never', label: 'Never' },
  { value: 'date', label: 'On a date…' },
];

function expiryDate(choice: string, date: string): Date | null {
  if (choice === 'never') return null;
  if (choice === 'date') return date ? new Date(`${date}T23:59:59`) : null;
  return new Date(Date.now() + Number(choice) * 24 * 3600 * 1000);
}

export function CreateApiTokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState('90');
  const [date, setDate] = useState('');
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [{ fetching, error }, create] = useMutation(CreateApiTokenMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const fieldErrors = fieldErrorMap(fieldErrorsOf(error));

  const close = () => {
    setName('');
    setExpiry('90');
    setDate('');
    setCreated(null);
    setProblem(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const result = await create(
      { name: name.trim(), expiresAt: expiryDate(expiry, date)?.toISOString() ?? null },
      { additionalTypenames: ['ApiToken'] },
    );
    if (result.data) {
      setCreated({ name: result.data.createApiToken.token.name, secret: result.data.createApiToken.secret });
    } else if (fieldErrorsOf(result.error).length === 0) {
      setProblem(describeError(result.error));
    }
  };

  if (created) {
    return (
      <Dialog
        open={open}
        onClose={close}
        dismissible={false}
        title={`Token “${created.name}” created`}
        size="lg"
        footer={
          <Button variant="primary" onClick={close}>
            I have stored the secret
          </Button>
        }
      >
        <div className="flex flex-col gap-4 text-sm">
          <Alert tone="warning" title="Copy the secret now — it is shown only once">
            Sundial stores only a hash of it. If it is lost, revoke this token and create a new one.
          </Alert>
          <div>
            <label htmlFor="api-token-secret" className="text-sm font-medium">
              Secret
            </label>
            <div className="mt-1.5 flex flex-col gap-2 sm:flex-row">
              <input
                id="api-token-secret"
                readOnly
                value={created.secret}
                onFocus={(event) => event.target.select()}
                className="min-w-0 flex-1 rounded-lg border border-stone-300 bg-stone-50 px-3 py-2 font-mono text-[13px] dark:border-stone-700 dark:bg-stone-950"
              />
              <CopyButton text={created.secret} label="Copy secret" />
            </div>
          </div>
          <p className="text-stone-500 dark:text-stone-400">
            Send it as <code className="font-mono text-stone-700 dark:text-stone-300">Authorization: Bearer &lt;secret&gt;</code>.
            It acts with its owner's permissions.
          </p>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      dismissible={!fetching}
      title="New API token"
      description="For scripts and integrations calling the GraphQL API. It acts with your permissions."
      footer={
        <>
          <Button onClick={close} disabled={fetching}>
            Cancel
          </Button>
          <Button type="submit" form="create-api-token" variant="primary" loading={fetching}>
            Create token
          </Button>
        </>
      }
    >
      <form id="create-api-token" onSubmit={submit} className="flex flex-col gap-4 pb-2">
        {problem && <Alert title="Could not create the token">{problem}</Alert>}
        <Input
          label="Name"
          required
          autoFocus
          maxLength={100}
          placeholder="e.g. CI deploy hook"
          help="Says what uses it, so you know what breaks when it is revoked."
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={fieldErrors.name}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <Select label="Expires" options={EXPIRY_OPTIONS} value={expiry} onChange={(event) => setExpiry(event.target.value)} />
          {expiry === 'date' && (
            <Input
              label="Expiry date"
              type="date"
              required
              min={new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10)}
              value={date}
              onChange={(event) => setDate(event.target.value)}
              error={fieldErrors.expiresAt}
            />
          )}
        </div>
      </form>
    </Dialog>
  );
}
