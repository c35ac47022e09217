// A role's members: who has it, add people (searched on the server, so any of 10,000 users can be found), remove them.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { describeError } from '../../lib/errors';
import { useDebounced } from '../../lib/useDebounced';
import { outcomeOf } from '../../lib/mutationResult';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { MultiSelect } from '../ui/MultiSelect';
import { SkeletonRows } from '../ui/Skeleton';
import { useToast } from '../ui/Toasts';

export const RoleMembersDialog_RoleFragment = graphql(`
  fragment RoleMembersDialog_RoleFragment on Role {
    id
    name
  }
`);

const RoleMembersQuery = graphql(`
  query RoleMembersQuery($roleId: ID!) {
    members: users(first: 50, filter: { roleId: $roleId }) {
      edges {
        node {
          id
          name
          email
        }
      }
    }
  }
`);

const RoleMemberCandidatesQuery = graphql(`
  query RoleMemberCandidatesQuery($search: String) {
    users(first: 20, filter: { search: $search }) {
      edges {
        node {
          id
          name
          email
        }
      }
    }
  }
`);

const AddRoleMembersMutation = graphql(`
  mutation AddRoleMembersMutation($roleId: ID!, $userIds: [ID!]!) {
    addRoleMembers(roleId: $roleId, userIds: $userIds) {
      __typename
      ... on MutationAddRoleMembersSuccess {
        role {
          id
          memberCount
        }
      }
      ...MutationError
    }
  }
`);

const RemoveRoleMembersMutation = graphql(`
  mutation RemoveRoleMembersMutation($roleId: ID!, $userIds: [ID!]!) {
    removeRoleMembers(roleId: $roleId, userIds: $userIds) {
      __typename
      ... on MutationRemoveRoleMembersSuccess {
        role {
          id
          memberCount
        }
      }
      ...MutationError
    }
  }
`);

export function RoleMembersDialog(props: { role: FragmentType<typeof RoleMembersDialog_RoleFragment>; open: boolean; onClose: () => void }) {
  const { open, onClose } = props;
  const role = useFragment(RoleMembersDialog_RoleFragment, props.role);
  const [{ data, error }, reexecute] = useQuery({ query: RoleMembersQuery, variables: { roleId: role.id }, requestPolicy: 'network-only' });
  const [adding, setAdding] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [{ fetching: saving }, add] = useMutation(AddRoleMembersMutation);
  const [, remove] = useMutation(RemoveRoleMembersMutation);
  const toast = useToast();
  const [search, setSearch] = useState('');
  const settledSearch = useDebounced(search.trim(), 250);
  const [{ data: found }] = useQuery({ query: RoleMemberCandidatesQuery, variables: { search: settledSearch || null }, pause: !open });
  const memberIds = new Set(data?.members.edges.map((edge) => edge.node.id));
  const candidates = (found?.users.edges ?? []).map((edge) => edge.node).filter((user) => !memberIds.has(user.id));

  const addMembers = async () => {
    setProblem(null);
    const outcome = outcomeOf(await add({ roleId: role.id, userIds: adding }), (result) => result.addRoleMembers);
    if (!outcome.ok) return setProblem(outcome.message);
    toast({ title: `Added to ${role.name}`, description: `${adding.length} member${adding.length === 1 ? '' : 's'}` });
    setAdding([]);
    reexecute({ requestPolicy: 'network-only' });
  };

  const removeMember = async (user: { id: string; name: string }) => {
    setProblem(null);
    const outcome = outcomeOf(await remove({ roleId: role.id, userIds: [user.id] }), (result) => result.removeRoleMembers);
    if (!outcome.ok) return setProblem(outcome.message);
    toast({ title: `Removed from ${role.name}`, description: user.name });
    reexecute({ requestPolicy: 'network-only' });
  };

  return (
    <Dialog open={open} onClose={onClose} size="lg" title={`Members of ${role.name}`} footer={<Button onClick={onClose}>Done</Button>}>
      <div className="flex flex-col gap-4 pb-2">
        {problem && <Alert title="That did not work">{problem}</Alert>}
        {error && !data && <Alert title="Could not load the members">{describeError(error)}</Alert>}
        <div className="flex items-end gap-2">
          <MultiSelect
            className="flex-1"
            label="Add people"
            placeholder="Search users"
            options={candidates.map((user) => ({ value: user.id, label: user.name, detail: user.email }))}
            value={adding}
            onChange={setAdding}
            onQueryChange={setSearch}
          />
          <Button variant="primary" onClick={addMembers} loading={saving} disabled={adding.length === 0}>
            Add
          </Button>
        </div>
        {!data ? (
          <SkeletonRows rows={3} columns={2} label="Loading members" />
        ) : data.members.edges.length === 0 ? (
          <p className="text-sm text-stone-500 dark:text-stone-400">Nobody has this role yet.</p>
        ) : (
          <ul aria-label="Members" className="divide-y divide-stone-100 rounded-xl border border-stone-200 dark:divide-stone-800 dark:border-stone-800">
            {data.members.edges.map(({ node: user }) => (
              <li key={user.id} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
                <span>
                  <span className="font-medium">{user.name}</span> <span className="text-stone-500 dark:text-stone-400">{user.email}</span>
                </span>
                <Button size="sm" variant="ghost" onClick={() => removeMember(user)} aria-label={`Remove ${user.name}`}>
                  Remove
                </Button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Dialog>
  );
}
