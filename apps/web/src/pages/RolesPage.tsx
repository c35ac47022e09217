import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { PageHeader } from '../components/layout/PageHeader';
import { RoleDialog } from '../components/roles/RoleDialog';
import { RoleMembersDialog } from '../components/roles/RoleMembersDialog';
import { RoleRow, type RoleRowRole } from '../components/roles/RoleRow';
import { Button } from '../components/ui/Button';
import { Card } from '../components/ui/Card';
import { ConfirmDialog } from '../components/ui/ConfirmDialog';
import { EmptyState } from '../components/ui/EmptyState';
import { ErrorState } from '../components/ui/ErrorState';
import { PlusIcon, ShieldIcon } from '../components/ui/icons';
import { SkeletonRows } from '../components/ui/Skeleton';
import { Table, TBody, Th, THead } from '../components/ui/Table';
import { useToast } from '../components/ui/Toasts';
import { graphql } from '../gql';
import { describeError } from '../lib/errors';
import { outcomeOf } from '../lib/mutationResult';

const RolesPageQuery = graphql(`
  query RolesPageQuery {
    roles(first: 50) {
      totalCount
      edges {
        node {
          id
          ...RoleRow_RoleFragment
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
  const [editing, setEditing] = useState<RoleRowRole | 'new' | null>(null);
  const [members, setMembers] = useState<RoleRowRole | null>(null);
  const [deleting, setDeleting] = useState<RoleRowRole | null>(null);
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
              {data.roles.edges.map(({ node }) => (
                <RoleRow key={node.id} role={node} onEdit={setEditing} onMembers={setMembers} onDelete={setDeleting} />
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
