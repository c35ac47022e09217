// Choose one user by searching the server as you type (part of the name or e-mail), so any of 10,000 users can
// be picked; the chosen user's name is read by id, so a choice from the URL shows its name.
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { useServerSearch } from '../../lib/useServerSearch';
import { SearchSelect } from '../ui/SearchSelect';

const UserSelectSearchQuery = graphql(`
  query UserSelectSearchQuery($search: String) {
    users(first: 20, filter: { search: $search }, orderBy: { field: NAME }) {
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

const UserSelectChosenQuery = graphql(`
  query UserSelectChosenQuery($id: ID!) {
    user(id: $id) {
      id
      name
    }
  }
`);

export function UserSelect({
  label,
  value,
  onChange,
  clearable,
  placeholder = 'Search users',
  className,
}: {
  label: string;
  value: string;
  onChange: (userId: string) => void;
  clearable?: boolean;
  placeholder?: string;
  className?: string;
}) {
  const { data, setText, searching } = useServerSearch(UserSelectSearchQuery);
  const [{ data: chosen }] = useQuery({ query: UserSelectChosenQuery, variables: { id: value }, pause: !value });
  const items = useMemo(() => (data?.users.edges ?? []).map(({ node }) => ({ id: node.id, label: node.name, detail: node.email })), [data]);
  return (
    <SearchSelect
      label={label}
      value={value}
      selectedLabel={value ? (chosen?.user?.id === value ? chosen.user.name : '') : ''}
      items={items}
      onSearch={setText}
      onChange={onChange}
      loading={searching}
      placeholder={placeholder}
      emptyText="No user matches"
      clearable={clearable}
      className={className}
    />
  );
}
