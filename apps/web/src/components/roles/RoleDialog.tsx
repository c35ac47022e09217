// Create or edit a role: its name, what it is for, and its permissions (built-in roles keep their names).
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { type FragmentType, graphql, useFragment } from '../../gql';
import type { Permission } from '../../gql/graphql';
import { fieldErrorMap, type FieldError } from '../../lib/errors';
import { outcomeOf } from '../../lib/mutationResult';
import { PERMISSION_LABELS } from '../../lib/permissions';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Checkbox } from '../ui/Checkbox';
import { Dialog } from '../ui/Dialog';
import { Input } from '../ui/Input';
import { useToast } from '../ui/Toasts';

const CreateRoleMutation = graphql(`
  mutation CreateRoleMutation($input: CreateRoleInput!) {
    createRole(input: $input) {
      __typename
      ... on MutationCreateRoleSuccess {
        role {
          id
          name
        }
      }
      ...MutationError
    }
  }
`);

const UpdateRoleMutation = graphql(`
  mutation UpdateRoleMutation($id: ID!, $input: UpdateRoleInput!) {
    updateRole(id: $id, input: $input) {
      __typename
      ... on MutationUpdateRoleSuccess {
        role {
          id
          name
          description
          permissions
        }
      }
      ...MutationError
    }
  }
`);

export const RoleDialog_RoleFragment = graphql(`
  fragment RoleDialog_RoleFragment on Role {
    id
    name
    description
    permissions
    builtIn
  }
`);

const ALL = Object.keys(PERMISSION_LABELS) as Permission[];

/** `role` null: a new role. */
export function RoleDialog(props: { role: FragmentType<typeof RoleDialog_RoleFragment> | null; open: boolean; onClose: () => void }) {
  const { open, onClose } = props;
  const role = useFragment(RoleDialog_RoleFragment, props.role);
  const [name, setName] = useState(role?.name ?? '');
  const [description, setDescription] = useState(role?.description ?? '');
  const [permissions, setPermissions] = useState<Set<Permission>>(new Set(role?.permissions ?? ['JOBS_READ']));
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; fieldErrors: FieldError[] } | null>(null);
  const [, createRole] = useMutation(CreateRoleMutation);
  const [, updateRole] = useMutation(UpdateRoleMutation);
  const toast = useToast();
  const errors = fieldErrorMap(refusal?.fieldErrors ?? []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setRefusal(null);
    const input = { ...(role?.builtIn ? {} : { name: name.trim() }), description: description.trim(), permissions: ALL.filter((p) => permissions.has(p)) };
    const outcome = role
      ? outcomeOf(await updateRole({ id: role.id, input }), (data) => data.updateRole)
      : outcomeOf(await createRole({ input: { ...input, name: name.trim() } }, { additionalTypenames: ['Role'] }), (data) => data.createRole);
    setSaving(false);
    if (!outcome.ok) {
      setRefusal({ message: outcome.message, fieldErrors: outcome.fieldErrors });
      return;
    }
    toast({ title: role ? 'Role saved' : 'Role created', description: outcome.value.role.name });
    onClose();
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!saving}
      title={role ? `Edit role ${role.name}` : 'New role'}
      footer={
        <>
          <Button onClick={onClose} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" form="role-form" variant="primary" loading={saving}>
            {role ? 'Save' : 'Create role'}
          </Button>
        </>
      }
    >
      <form id="role-form" onSubmit={submit} className="flex flex-col gap-4 pb-2" noValidate>
        {refusal && <Alert title="The role was not saved">{refusal.message}</Alert>}
        <Input
          label="Name"
          required
          value={name}
          disabled={role?.builtIn}
          onChange={(event) => setName(event.target.value)}
          error={errors.name}
          help={role?.builtIn ? 'Built-in roles keep their names.' : undefined}
        />
        <Input label="Description" value={description} onChange={(event) => setDescription(event.target.value)} error={errors.description} />
        <fieldset className="flex flex-col gap-2.5">
          <legend className="mb-2 text-sm font-medium">Permissions</legend>
          {ALL.map((permission) => (
            <Checkbox
              key={permission}
              label={PERMISSION_LABELS[permission]}
              help={<code className="font-mono">{permission}</code>}
              checked={permissions.has(permission)}
              onChange={(event) =>
                setPermissions((current) => {
                  const next = new Set(current);
                  if (event.target.checked) next.add(permission);
                  else next.delete(permission);
                  return next;
                })
              }
            />
          ))}
          {errors.permissions && <p className="text-sm text-red-600 dark:text-red-400">{errors.permissions}</p>}
        </fieldset>
      </form>
    </Dialog>
  );
}
