import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { RoleDialog } from '../components/roles/RoleDialog';
import { RoleMembersDialog } from '../components/roles/RoleMembersDialog';
import { RoleRow, type RoleRowRole } from '../components/roles/RoleRow';
import { Button } from '../components/ui/Button';
import { ConfirmDialog } from '../components/ui/ConfirmDialog';
import { EmptyState } from '../components/ui/EmptyState';
import { PlusIcon, ShieldIcon } from '../components/ui/icons';
import { ListBody, ListPage } from '../components/ui/ListPage';
import { ActionsTh, Table, TBody, Th, THead } from '../components/ui/Table';
import { useToast } from '../components/ui/Toasts';
import { graphql } from '../gql';
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
  const query = useQuery({ query: RolesPageQuery, context: CONTEXT });
  const [{ data }, reexecute] = query;
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
      <ListPage title="Roles" description="What members may do, and groups that jobs can target. admin, operator and viewer are built in." actions={create}>
        <ListBody
          query={query}
          list={data?.roles.edges}
          errorTitle="Could not load the roles"
          loading={{ rows: 3, columns: 4, label: 'Loading roles' }}
          empty={
            <EmptyState icon={<ShieldIcon />} title="No roles" action={create}>
              Roles carry permissions; jobs can target their members.
            </EmptyState>
          }
        >
          {(edges) => (
            <Table label="Roles">
              <THead>
                <tr>
                  <Th>Role</Th>
                  <Th>Permissions</Th>
                  <Th>Members</Th>
                  <ActionsTh />
                </tr>
              </THead>
              <TBody>
                {edges.map(({ node }) => (
                  <RoleRow key={node.id} role={node} onEdit={setEditing} onMembers={setMembers} onDelete={setDeleting} />
                ))}
              </TBody>
            </Table>
          )}
        </ListBody>
      </ListPage>
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
