// Choose users by searching the server as you type (name or e-mail), so any of 10,000 users can be picked; the
// list shows the first 20 matches. Users chosen before keep their names from `known` (the fragment below).
import { type FragmentType, graphql, useFragment } from '../../gql';
import { useServerSearch } from '../../lib/useServerSearch';
import { MultiSelect, type MultiSelectProps } from '../ui/MultiSelect';

export const UserPicker_UserFragment = graphql(`
  fragment UserPicker_UserFragment on User {
    id
    name
    email
  }
`);

const UserPickerQuery = graphql(`
  query UserPickerQuery($search: String) {
    users(first: 20, filter: { search: $search }, orderBy: { field: NAME }) {
      edges {
        node {
          ...UserPicker_UserFragment
        }
      }
    }
  }
`);

export type UserPickerProps = Omit<MultiSelectProps, 'options' | 'onQueryChange' | 'known'> & {
  /** The users already chosen (and any others whose names should show). */
  known?: readonly FragmentType<typeof UserPicker_UserFragment>[];
};

export function UserPicker({ known: knownRefs = [], placeholder = 'Search users', emptyText = 'No user matches', ...props }: UserPickerProps) {
  const { data, setText } = useServerSearch(UserPickerQuery);
  const matches = useFragment(UserPicker_UserFragment, data?.users.edges.map((edge) => edge.node) ?? []);
  const known = useFragment(UserPicker_UserFragment, knownRefs);
  return (
    <MultiSelect
      {...props}
      placeholder={placeholder}
      emptyText={data ? emptyText : 'Searching…'}
      onQueryChange={setText}
      options={matches.map(userOption)}
      known={known.map(userOption)}
    />
  );
}

function userOption(user: { id: string; name: string; email: string }) {
  return { value: user.id, label: user.name, detail: user.email };
}
