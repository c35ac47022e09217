// Choose roles by searching the server as you type (part of the name), so every role can be found however many
// there are; the list shows the first 20 matches. Roles chosen before keep their names from `known`.
import { type FragmentType, graphql, useFragment } from '../../gql';
import { useServerSearch } from '../../lib/useServerSearch';
import { MultiSelect, type MultiSelectProps } from '../ui/MultiSelect';

export const RolePicker_RoleFragment = graphql(`
  fragment RolePicker_RoleFragment on Role {
    id
    name
    memberCount
  }
`);

const RolePickerQuery = graphql(`
  query RolePickerQuery($search: String) {
    roles(first: 20, search: $search) {
      edges {
        node {
          ...RolePicker_RoleFragment
        }
      }
    }
  }
`);

export type RolePickerProps = Omit<MultiSelectProps, 'options' | 'onQueryChange' | 'known'> & {
  /** The roles already chosen (and any others whose names should show). */
  known?: readonly FragmentType<typeof RolePicker_RoleFragment>[];
};

export function RolePicker({ known: knownRefs = [], placeholder = 'Search roles', emptyText = 'No role matches', ...props }: RolePickerProps) {
  const { data, setText } = useServerSearch(RolePickerQuery);
  const matches = useFragment(RolePicker_RoleFragment, data?.roles.edges.map((edge) => edge.node) ?? []);
  const known = useFragment(RolePicker_RoleFragment, knownRefs);
  return (
    <MultiSelect
      {...props}
      placeholder={placeholder}
      emptyText={data ? emptyText : 'Searching…'}
      onQueryChange={setText}
      options={matches.map(roleOption)}
      known={known.map(roleOption)}
    />
  );
}

function roleOption(role: { id: string; name: string; memberCount: number }) {
  return { value: role.id, label: role.name, detail: `${role.memberCount} member${role.memberCount === 1 ? '' : 's'}` };
}
