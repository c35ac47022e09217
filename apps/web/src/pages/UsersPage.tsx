// Users: people jobs target and who can sign in. The search lives in the URL; pages by cursor. Edit, delete and
// clear failed sign-ins from a row's menu.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { z } from 'zod';
import { Badge } from '../components/ui/Badge';
import { Button } from '../components/ui/Button';
import { ConfirmDialog } from '../components/ui/ConfirmDialog';
import { DropdownMenu } from '../components/ui/DropdownMenu';
import { EmptyState } from '../components/ui/EmptyState';
import { DotsIcon, KeyIcon, PencilIcon, PlusIcon, TrashIcon, UsersIcon } from '../components/ui/icons';
import { FilterBar, ListBody, ListPage, SearchField } from '../components/ui/ListPage';
import { ActionsTh, Table, TBody, Td, Th, THead, Tr } from '../components/ui/Table';
import { useToast } from '../components/ui/Toasts';
import { UserDialog } from '../components/users/UserDialog';
import { graphql } from '../gql';
import type { UsersPageQueryQuery } from '../gql/graphql';
import { formatDateTime, formatRelative } from '../lib/format';
import { outcomeOf } from '../lib/mutationResult';
import { useCursorPages } from '../lib/useCursorPages';
import { urlText, useUrlState, useUrlText } from '../lib/urlState';
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
/** The page's URL: ?q= (name or e-mail), so a search can be shared and survives a reload. */
const UsersPageUrl = z.object({ q: urlText });
type UserNode = UsersPageQueryQuery['users']['edges'][number]['node'];

// Module-level: urql re-runs a query whose context object changes, so it must not be rebuilt per render.
// The typenames make lists that may be empty refresh after a mutation creates the first item.
const CONTEXT = { additionalTypenames: ['User'] };

export default function UsersPage() {
  const [{ q: search }, setUrl] = useUrlState(UsersPageUrl);
  const [searchText, setSearchText] = useUrlText(search, (q) => setUrl({ q }, { replace: true }), 250);
  const pages = useCursorPages(PAGE_SIZE, search);
  const query = useQuery({
    query: UsersPageQuery,
    variables: { first: pages.first, after: pages.after, search: search || null },
    context: CONTEXT,
  });
  const [{ data }] = query;
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
  const create = (
    <Button variant="primary" icon={<PlusIcon />} onClick={() => setEditing('new')}>
      New user
    </Button>
  );

  return (
    <>
      <ListPage
        title="Users"
        description="People jobs can target, and who can sign in. Attributes are what actions read about them."
        actions={create}
        filters={
          <FilterBar>
            <SearchField className="max-w-md" label="Search users" placeholder="Search by name or e-mail" value={searchText} onChange={setSearchText} />
          </FilterBar>
        }
      >
        <ListBody
          query={query}
          list={data?.users}
          errorTitle="Could not load the users"
          loading={{ rows: 6, columns: 5, label: 'Loading users' }}
          filtered={Boolean(search)}
          empty={
            <EmptyState icon={<UsersIcon />} title="No users yet" action={create}>
              Add the people your jobs are for. Give them a password only if they should sign in here.
            </EmptyState>
          }
          noMatch={
            <EmptyState icon={<UsersIcon />} title="No user matches">
              Try another name or e-mail.
            </EmptyState>
          }
          pages={{ pages, noun: 'users' }}
        >
          {(users) => (
            <Table label="Users">
              <THead>
                <tr>
                  <Th>Name</Th>
                  <Th>Roles</Th>
                  <Th>Sign-in</Th>
                  <Th>Attributes</Th>
                  <ActionsTh />
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
          )}
        </ListBody>
      </ListPage>
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
