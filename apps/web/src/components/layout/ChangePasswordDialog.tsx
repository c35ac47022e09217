// "Change password" from the account menu: the signed-in user's own password (changePassword signs out their other
// sessions, which the dialog says before they confirm).
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { describeError } from '../../lib/errors';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { Input } from '../ui/Input';
import { useToast } from '../ui/Toasts';
import { describePasswordProblem, judgePassword, PASSWORD_HELP, usePasswordVerdict } from '../../lib/passwords';

const ChangePasswordMutation = graphql(`
  mutation ChangePasswordMutation($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

export function ChangePasswordDialog({ open, onClose, owner }: { open: boolean; onClose: () => void; owner: { email: string; name: string } }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [{ fetching }, change] = useMutation(ChangePasswordMutation);
  const toast = useToast();

  const verdict = usePasswordVerdict(next, owner);
  const weak = verdict ? describePasswordProblem(verdict) : undefined;
  const mismatch = repeat.length > 0 && repeat !== next ? 'The two new passwords differ.' : undefined;

  const reset = () => {
    setCurrent('');
    setNext('');
    setRepeat('');
    setProblem(null);
    setSubmitted(false);
  };
  const close = () => {
    reset();
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!current || !next || next !== repeat) return;
    if (!(await judgePassword(next, owner)).accepted) return;
    const result = await change({ currentPassword: current, newPassword: next });
    if (result.error || !result.data?.changePassword) {
      setProblem(result.error ? describeError(result.error) : 'The password was not changed.');
      return;
    }
    toast({ title: 'Password changed', description: 'Your other sessions were signed out.' });
    close();
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      size="sm"
      title="Change your password"
      description="Your other browsers and devices will be signed out; this one stays signed in."
      dismissible={!fetching}
    >
      <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Change your password" noValidate>
        {problem && <Alert title="Could not change the password">{problem}</Alert>}
        <Input
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(event) => setCurrent(event.target.value)}
          error={submitted && !current ? 'Enter your current password.' : undefined}
          required
        />
        <Input
          label="New password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(event) => setNext(event.target.value)}
          help={verdict?.accepted ? 'Hard enough to guess.' : PASSWORD_HELP}
          error={weak ?? (submitted && !next ? 'Enter a new password.' : undefined)}
          required
        />
        <Input
          label="New password again"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={(event) => setRepeat(event.target.value)}
          error={mismatch}
          required
        />
        <div className="flex justify-end gap-2 pt-2">
          <Button type="button" onClick={close} disabled={fetching}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={fetching}>
            Change password
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
