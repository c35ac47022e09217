import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { PageHeader } from '../components/layout/PageHeader';
import { Badge } from '../components/ui/Badge';
import { Button } from '../components/ui/Button';
import { Card } from '../components/ui/Card';
import { ConfirmDialog } from '../components/ui/ConfirmDialog';
import { DropdownMenu } from '../components/ui/DropdownMenu';
import { EmptyState } from '../components/ui/EmptyState';
import { ErrorState } from '../components/ui/ErrorState';
import { DotsIcon, KeyIcon, PencilIcon, PlusIcon, SearchIcon, TrashIcon, UsersIcon } from '../components/ui/icons';
import { Input } from '../components/ui/Input';
import { PaginationFooter } from '../components/ui/Pagination';
import { SkeletonRows } from '../components/ui/Skeleton';
import { Table, TBody, Td, Th, THead, Tr } from '../components/ui/Table';
import { useToast } from '../components/ui/Toasts';
import { UserDialog } from '../components/users/UserDialog';
import { graphql } from '../gql';
import type { UsersPageQueryQuery } from '../gql/graphql';
import { describeError } from '../lib/errors';
import { formatDateTime, formatRelative } from '../lib/format';
import { outcomeOf } from '../lib/mutationResult';
import { useCursorPages } from '../lib/useCursorPages';
import { useDebounced } from '../lib/useDebounced';
import { usePermission } from '../lib/viewer';

const UsersPageQuery = graphql(`
  query UsersPageQuery($first: Int!, $after: String, $search: String) {
    users(first: $first, after: $after, filter: { search: $search }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          email
          active
          hasPassword
          lastSignInAt
          signInThrottle {
            failedAttempts
            retryAfterSeconds
          }
          attributes
          viewerCanEdit
          roles {
            id
            name
            ...RolePicker_RoleFragment
          }
        }
      }
    }
  }
`);

const DeleteUserMutation = graphql(`
  mutation DeleteUserMutation($id: ID!) {
    deleteUser(id: $id) {
      __typename
      ... on MutationDeleteUserSuccess {
        deletedUserId
      }
      ...MutationError
    }
  }
`);

const ClearFailedSignInsMutation = graphql(`
  mutation ClearFailedSignInsMutation($id: ID!) {
    clearFailedSignIns(id: $id) {
      __typename
      ... on MutationClearFailedSignInsSuccess {
        user {
          id
          signInThrottle {
            failedAttempts
            retryAfterSeconds
          }
        }
      }
      ...MutationError
    }
  }
`);

const PAGE_SIZE = 50;
type UserNode = UsersPageQueryQuery['users']['edges'][number]['node'];

// Module-level: urql re-runs a query whose context object changes, so it must not be rebuilt per render.
// The typenames make lists that may be empty refresh after a mutation creates the first item.
const CONTEXT = { additionalTypenames: ['User'] };

export default function UsersPage() {
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText.trim(), 250);
  const pages = useCursorPages(PAGE_SIZE, search);
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: UsersPageQuery,
    variables: { first: pages.first, after: pages.after, search: search || null },
    context: CONTEXT,
  });
  const [editing, setEditing] = useState<UserNode | 'new' | null>(null);
  const [deleting, setDeleting] = useState<UserNode | null>(null);
  const [, deleteUser] = useMutation(DeleteUserMutation);
  const [, clearFailedSignIns] = useMutation(ClearFailedSignInsMutation);
  const clearSignIns = async (user: UserNode) => {
    const outcome = outcomeOf(await clearFailedSignIns({ id: user.id }), (result) => result.clearFailedSignIns);
    if (!outcome.ok) toast({ tone: 'danger', title: 'Could not clear the failed sign-ins', description: outcome.message });
    else toast({ title: 'Failed sign-ins cleared', description: `${user.name} can be signed in to from any address without waiting.` });
  };
  const canAssignRoles = usePermission('ROLES_MANAGE').allowed;
  const toast = useToast();
  const users = data?.users;
  const create = (
    <Button variant="primary" icon={<PlusIcon />} onClick={() => setEditing('new')}>
      New user
    </Button>
  );

  return (
    <>
      <PageHeader title="Users" description="People jobs can target, and who can sign in. Attributes are what actions read about them." actions={create} />
      <Card flush>
        <div className="border-b border-stone-100 px-4 py-3 dark:border-stone-800">
          <div className="relative max-w-md">
            <SearchIcon className="pointer-events-none absolute top-1/2 left-3 z-10 size-4 -translate-y-1/2 text-stone-500 dark:text-stone-400" />
            <Input type="search" aria-label="Search users" placeholder="Search by name or e-mail" inputClassName="pl-9" value={searchText} onChange={(event) => setSearchText(event.target.value)} />
          </div>
        </div>
        {error && !data ? (
          <ErrorState title="Could not load the users" message={describeError(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} retrying={fetching} />
        ) : !users ? (
          <SkeletonRows rows={6} columns={5} label="Loading users" />
        ) : users.totalCount === 0 ? (
          <EmptyState icon={<UsersIcon />} title={search ? 'No user matches' : 'No users yet'} action={search ? undefined : create}>
            {search ? 'Try another name or e-mail.' : 'Add the people your jobs are for. Give them a password only if they should sign in here.'}
          </EmptyState>
        ) : (
          <>
            <Table label="Users">
              <THead>
                <tr>
                  <Th>Name</Th>
                  <Th>Roles</Th>
                  <Th>Sign-in</Th>
                  <Th>Attributes</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </THead>
              <TBody>
                {users.edges.map(({ node: user }) => (
                  <Tr key={user.id} aria-label={`User ${user.name}`}>
                    <Td>
                      <div className="flex items-center gap-2 font-medium">
                        {user.name}
                        {!user.active && <Badge tone="muted">Inactive</Badge>}
                      </div>
                      <div className="text-xs text-stone-500 dark:text-stone-400">{user.email}</div>
                    </Td>
                    <Td>
                      <div className="flex flex-wrap gap-1">
                        {user.roles.length === 0 && <span className="text-stone-500 dark:text-stone-400">—</span>}
                        {user.roles.map((role) => (
                          <Badge key={role.id} tone="accent" dot={false}>
                            {role.name}
                          </Badge>
                        ))}
                      </div>
                    </Td>
                    <Td className="whitespace-nowrap text-stone-600 dark:text-stone-300">
                      {!user.hasPassword ? (
                        <span className="text-stone-500 dark:text-stone-400">Target only</span>
                      ) : user.lastSignInAt ? (
                        <span title={formatDateTime(user.lastSignInAt)}>Last {formatRelative(user.lastSignInAt)}</span>
                      ) : (
                        'Never signed in'
                      )}
                      {user.signInThrottle.failedAttempts > 0 && (
                        <div>
                          <Badge tone={user.signInThrottle.retryAfterSeconds > 0 ? 'warning' : 'muted'}>
                            {user.signInThrottle.failedAttempts} failed sign-in{user.signInThrottle.failedAttempts === 1 ? '' : 's'}
                            {user.signInThrottle.retryAfterSeconds > 0 ? ', slowed down' : ''}
                          </Badge>
                        </div>
                      )}
                    </Td>
                    <Td className="max-w-64">
                      <code className="block truncate font-mono text-xs text-stone-500 dark:text-stone-400">{JSON.stringify(user.attributes)}</code>
                    </Td>
                    <Td className="w-12 text-right">
                      {user.viewerCanEdit && (
                        <DropdownMenu
                          label={`Actions for ${user.name}`}
                          trigger={<DotsIcon className="size-5" />}
                          items={[
                            { label: 'Edit', icon: <PencilIcon />, onSelect: () => setEditing(user) },
                            ...(user.signInThrottle.failedAttempts > 0
                              ? [{ label: 'Clear failed sign-ins', icon: <KeyIcon />, onSelect: () => void clearSignIns(user) }]
                              : []),
                            { label: 'Delete', icon: <TrashIcon />, tone: 'danger', onSelect: () => setDeleting(user) },
                          ]}
                        />
                      )}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
            <PaginationFooter {...pages.pagination(users, 'users')} />
          </>
        )}
      </Card>
      {editing && (
        <UserDialog
          key={editing === 'new' ? 'new' : editing.id}
          open
          user={editing === 'new' ? null : editing}
          canAssignRoles={canAssignRoles}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete ${deleting?.name ?? 'user'}?`}
        confirmLabel="Delete user"
        onConfirm={async () => {
          if (!deleting) return;
          const outcome = outcomeOf(await deleteUser({ id: deleting.id }, { additionalTypenames: ['User'] }), (result) => result.deleteUser);
          if (!outcome.ok) return outcome.message;
          toast({ title: 'User deleted', description: deleting.name });
        }}
      >
        <p>Their role memberships, sessions and API tokens go with them. Their past runs stay. Jobs stop targeting them.</p>
      </ConfirmDialog>
    </>
  );
}
