import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { PageHeader } from '../components/layout/PageHeader';
import { RoleDialog, type EditableRole } from '../components/roles/RoleDialog';
import { RoleMembersDialog } from '../components/roles/RoleMembersDialog';
import { Badge } from '../components/ui/Badge';
import { Button } from '../components/ui/Button';
import { Card } from '../components/ui/Card';
import { ConfirmDialog } from '../components/ui/ConfirmDialog';
import { DropdownMenu } from '../components/ui/DropdownMenu';
import { EmptyState } from '../components/ui/EmptyState';
import { ErrorState } from '../components/ui/ErrorState';
import { DotsIcon, PencilIcon, PlusIcon, ShieldIcon, TrashIcon, UsersIcon } from '../components/ui/icons';
import { SkeletonRows } from '../components/ui/Skeleton';
import { Table, TBody, Td, Th, THead, Tr } from '../components/ui/Table';
import { useToast } from '../components/ui/Toasts';
import { graphql } from '../gql';
import { describeError } from '../lib/errors';
import { outcomeOf } from '../lib/mutationResult';
import { PERMISSION_LABELS } from '../lib/permissions';

const RolesPageQuery = graphql(`
  query RolesPageQuery {
    roles(first: 50) {
      totalCount
      edges {
        node {
          id
          name
          description
          permissions
          builtIn
          memberCount
          viewerCanEdit
          viewerCanDelete
        }
      }
    }
  }
`);

const DeleteRoleMutation = graphql(`
  mutation DeleteRoleMutation($id: ID!) {
    deleteRole(id: $id) {
      __typename
      ... on MutationDeleteRoleSuccess {
        deletedRoleId
      }
      ...MutationError
    }
  }
`);

// Module-level: urql re-runs a query whose context object changes, so it must not be rebuilt per render.
// The typenames make lists that may be empty refresh after a mutation creates the first item.
const CONTEXT = { additionalTypenames: ['Role'] };

export default function RolesPage() {
  const [{ data, error, fetching }, reexecute] = useQuery({ query: RolesPageQuery, context: CONTEXT });
  const [editing, setEditing] = useState<EditableRole | 'new' | null>(null);
  const [members, setMembers] = useState<{ id: string; name: string } | null>(null);
  const [deleting, setDeleting] = useState<{ id: string; name: string } | null>(null);
  const [, deleteRole] = useMutation(DeleteRoleMutation);
  const toast = useToast();
  const create = (
    <Button variant="primary" icon={<PlusIcon />} onClick={() => setEditing('new')}>
      New role
    </Button>
  );

  return (
    <>
      <PageHeader title="Roles" description="What members may do, and groups that jobs can target. admin, operator and viewer are built in." actions={create} />
      <Card flush>
        {error && !data ? (
          <ErrorState title="Could not load the roles" message={describeError(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} retrying={fetching} />
        ) : !data ? (
          <SkeletonRows rows={3} columns={4} label="Loading roles" />
        ) : data.roles.edges.length === 0 ? (
          <EmptyState icon={<ShieldIcon />} title="No roles" action={create}>
            Roles carry permissions; jobs can target their members.
          </EmptyState>
        ) : (
          <Table label="Roles">
            <THead>
              <tr>
                <Th>Role</Th>
                <Th>Permissions</Th>
                <Th>Members</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {data.roles.edges.map(({ node: role }) => (
                <Tr key={role.id} aria-label={`Role ${role.name}`}>
                  <Td className="max-w-72">
                    <div className="flex items-center gap-2 font-medium">
                      {role.name}
                      {role.builtIn && <Badge tone="muted">built in</Badge>}
                    </div>
                    <div className="text-xs text-stone-500 dark:text-stone-400">{role.description}</div>
                  </Td>
                  <Td>
                    <div className="flex max-w-xl flex-wrap gap-1">
                      {role.permissions.length === 0 && <span className="text-stone-500 dark:text-stone-400">None</span>}
                      {role.permissions.map((permission) => (
                        <Badge key={permission} tone="neutral" dot={false}>
                          {PERMISSION_LABELS[permission]}
                        </Badge>
                      ))}
                    </div>
                  </Td>
                  <Td>
                    <Button size="sm" variant="ghost" icon={<UsersIcon />} onClick={() => setMembers(role)} aria-label={`Members of ${role.name}: ${role.memberCount}`}>
                      {role.memberCount}
                    </Button>
                  </Td>
                  <Td className="w-12 text-right">
                    {(role.viewerCanEdit || role.viewerCanDelete) && (
                      <DropdownMenu
                        label={`Actions for ${role.name}`}
                        trigger={<DotsIcon className="size-5" />}
                        items={[
                          ...(role.viewerCanEdit
                            ? [
                                { label: 'Edit', icon: <PencilIcon />, onSelect: () => setEditing(role) },
                                { label: 'Members', icon: <UsersIcon />, onSelect: () => setMembers(role) },
                              ]
                            : []),
                          {
                            label: 'Delete',
                            icon: <TrashIcon />,
                            tone: 'danger' as const,
                            disabledReason: role.builtIn ? 'Built-in roles cannot be deleted.' : role.viewerCanDelete ? null : 'You cannot delete this role.',
                            onSelect: () => setDeleting(role),
                          },
                        ]}
                      />
                    )}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      {editing && <RoleDialog key={editing === 'new' ? 'new' : editing.id} open role={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {members && <RoleMembersDialog key={members.id} open role={members} onClose={() => { setMembers(null); reexecute({ requestPolicy: 'network-only' }); }} />}
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete role ${deleting?.name ?? ''}?`}
        confirmLabel="Delete role"
        onConfirm={async () => {
          if (!deleting) return;
          const outcome = outcomeOf(await deleteRole({ id: deleting.id }, { additionalTypenames: ['Role'] }), (result) => result.deleteRole);
          if (!outcome.ok) return outcome.message;
          toast({ title: 'Role deleted', description: deleting.name });
        }}
      >
        <p>Its members lose its permissions, and jobs stop targeting it.</p>
      </ConfirmDialog>
    </>
  );
}
