// Create or edit a user: name, e-mail, password (sign-in; without one the user is a target only), roles,
// active, and the free-form attributes actions read (a chat id, a locale).
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { UsersPageQueryQuery } from '../../gql/graphql';
import { fieldErrorMap, type FieldError } from '../../lib/errors';
import { outcomeOf } from '../../lib/mutationResult';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Checkbox } from '../ui/Checkbox';
import { Dialog } from '../ui/Dialog';
import { Input } from '../ui/Input';
import { RolePicker } from '../pickers/RolePicker';
import { Textarea } from '../ui/Textarea';
import { useToast } from '../ui/Toasts';
import { parseJsonObject } from '../jobs/json';
import { describePasswordProblem, PASSWORD_HELP, usePasswordVerdict } from '../../lib/passwords';

const CreateUserMutation = graphql(`
  mutation CreateUserMutation($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on MutationCreateUserSuccess {
        user {
          id
          name
        }
      }
      ...MutationError
    }
  }
`);

const UpdateUserMutation = graphql(`
  mutation UpdateUserMutation($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) {
      __typename
      ... on MutationUpdateUserSuccess {
        user {
          id
          name
          email
          active
          attributes
          hasPassword
          roles {
            id
            name
            ...RolePicker_RoleFragment
          }
        }
      }
      ...MutationError
    }
  }
`);

type UserNode = UsersPageQueryQuery['users']['edges'][number]['node'];

export function UserDialog({
  user,
  canAssignRoles,
  open,
  onClose,
}: {
  user: UserNode | null;
  canAssignRoles: boolean;
  open: boolean;
  onClose: () => void;
}) {
  const [name, setName] = useState(user?.name ?? '');
  const [email, setEmail] = useState(user?.email ?? '');
  const [password, setPassword] = useState('');
  const [active, setActive] = useState(user?.active ?? true);
  const [roleIds, setRoleIds] = useState<string[]>(user?.roles.map((role) => role.id) ?? []);
  const [attributes, setAttributes] = useState(JSON.stringify(user?.attributes ?? {}, null, 2));
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; fieldErrors: FieldError[] } | null>(null);
  const [, createUser] = useMutation(CreateUserMutation);
  const [, updateUser] = useMutation(UpdateUserMutation);
  const toast = useToast();
  const parsedAttributes = parseJsonObject(attributes.trim() || '{}');
  const errors = fieldErrorMap(refusal?.fieldErrors ?? []);
  const passwordVerdict = usePasswordVerdict(password, { email, name });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!parsedAttributes.ok) return;
    setSaving(true);
    setRefusal(null);
    const common = {
      name: name.trim(),
      email: email.trim(),
      active,
      attributes: parsedAttributes.value,
      ...(canAssignRoles ? { roleIds } : {}),
      ...(password ? { password } : {}),
    };
    const outcome = user
      ? outcomeOf(await updateUser({ id: user.id, input: common }), (data) => data.updateUser)
      : outcomeOf(await createUser({ input: common }, { additionalTypenames: ['User'] }), (data) => data.createUser);
    setSaving(false);
    if (!outcome.ok) {
      setRefusal({ message: outcome.message, fieldErrors: outcome.fieldErrors });
      return;
    }
    toast({ title: user ? 'User saved' : 'User created', description: outcome.value.user.name });
    onClose();
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!saving}
      size="lg"
      title={user ? `Edit ${user.name}` : 'New user'}
      description={user ? undefined : 'Someone jobs can target — and, with a password, who can sign in.'}
      footer={
        <>
          <Button onClick={onClose} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" form="user-form" variant="primary" loading={saving}>
            {user ? 'Save' : 'Create user'}
          </Button>
        </>
      }
    >
      <form id="user-form" onSubmit={submit} className="flex flex-col gap-4 pb-2" noValidate>
        {refusal && <Alert title="The user was not saved">{refusal.message}</Alert>}
        <div className="grid gap-4 sm:grid-cols-2">
          <Input label="Name" required value={name} onChange={(event) => setName(event.target.value)} error={errors.name} />
          <Input label="E-mail" type="email" required value={email} onChange={(event) => setEmail(event.target.value)} error={errors.email} />
        </div>
        <Input
          label={user?.hasPassword ? 'New password' : 'Password'}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={(passwordVerdict ? describePasswordProblem(passwordVerdict) : undefined) ?? errors.password}
          help={
            passwordVerdict?.accepted
              ? 'Hard enough to guess.'
              : user?.hasPassword
                ? `Leave empty to keep the current one. ${PASSWORD_HELP}`
                : `${PASSWORD_HELP} Leave empty for a user who is only a target of jobs and never signs in.`
          }
        />
        {canAssignRoles ? (
          <RolePicker
            label="Roles"
            known={user?.roles ?? []}
            value={roleIds}
            onChange={setRoleIds}
            error={errors.roleIds}
            help="Roles give permissions, and jobs can target a role's members."
          />
        ) : (
          <p className="text-sm text-stone-500 dark:text-stone-400">Giving roles needs the “Manage roles” permission.</p>
        )}
        <Textarea
          label="Attributes"
          code
          rows={5}
          value={attributes}
          onChange={(event) => setAttributes(event.target.value)}
          error={!parsedAttributes.ok ? parsedAttributes.message : (errors.attributes ?? null)}
          help={
            <>
              A JSON object actions read as <code className="font-mono">user.attributes</code>, e.g.{' '}
              <code className="font-mono">{'{"chatId": 42, "locale": "es"}'}</code>.
            </>
          }
        />
        <Checkbox label="Active" help="Inactive users are not targeted by jobs and cannot sign in." checked={active} onChange={(event) => setActive(event.target.checked)} />
      </form>
    </Dialog>
  );
}
