// Choose one job by searching the server as you type (part of its name or action), so any job of a big install
// can be picked; the chosen job's name is read by id, so a choice from the URL or a saved form shows its name.
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { useServerSearch } from '../../lib/useServerSearch';
import { SearchSelect } from '../ui/SearchSelect';

const JobSelectSearchQuery = graphql(`
  query JobSelectSearchQuery($search: String) {
    jobs(first: 20, filter: { search: $search }, orderBy: { field: NAME }) {
      edges {
        node {
          id
          name
          action
        }
      }
    }
  }
`);

const JobSelectChosenQuery = graphql(`
  query JobSelectChosenQuery($id: ID!) {
    job(id: $id) {
      id
      name
    }
  }
`);

/** The name of the job with this id ('' for none; null while unknown), read as the picker reads it. */
export function useJobName(id: string): string | null {
  const [{ data }] = useQuery({ query: JobSelectChosenQuery, variables: { id }, pause: !id });
  if (!id) return '';
  return data?.job?.id === id ? data.job.name : null;
}

export function JobSelect({
  label,
  value,
  onChange,
  exclude,
  clearable,
  placeholder = 'Search jobs',
  error,
  help,
  className,
}: {
  label: string;
  value: string;
  onChange: (jobId: string) => void;
  /** A job not to offer (the job being edited). */
  exclude?: string | null;
  clearable?: boolean;
  placeholder?: string;
  error?: string | null;
  help?: string;
  className?: string;
}) {
  const { data, setText, searching } = useServerSearch(JobSelectSearchQuery);
  const chosenName = useJobName(value);
  const items = useMemo(
    () => (data?.jobs.edges ?? []).filter(({ node }) => node.id !== exclude).map(({ node }) => ({ id: node.id, label: node.name, detail: node.action })),
    [data, exclude],
  );
  return (
    <SearchSelect
      label={label}
      value={value}
      selectedLabel={chosenName ?? ''}
      items={items}
      onSearch={setText}
      onChange={onChange}
      loading={searching}
      placeholder={placeholder}
      emptyText="No job matches"
      clearable={clearable}
      error={error}
      help={help}
      className={className}
    />
  );
}
