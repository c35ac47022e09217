// The job's name, and whether another job already has it: names need not be unique (a key does), but two jobs
// called the same are easy to mix up in lists and runs, so the field says so as you type, with a link to the other.
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { useDebounced } from '../../lib/useDebounced';
import { Input } from '../ui/Input';

const JobNameTakenQuery = graphql(`
  query JobNameTakenQuery($search: String!) {
    jobs(first: 20, filter: { search: $search }) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

export function JobNameInput({
  value,
  onChange,
  onBlur,
  error,
  jobId,
}: {
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error?: string | null;
  /** The job being edited (its own name is not "another job's"). */
  jobId: string | null;
}) {
  const name = useDebounced(value.trim(), 300);
  const [{ data }] = useQuery({ query: JobNameTakenQuery, variables: { search: name }, pause: name === '' });
  const same = name === '' ? undefined : data?.jobs.edges.find(({ node }) => node.id !== jobId && node.name.trim().toLowerCase() === name.toLowerCase())?.node;
  return (
    <Input
      label="Name"
      required
      autoFocus
      value={value}
      onChange={(event) => onChange(event.target.value)}
      onBlur={onBlur}
      error={error}
      placeholder="e.g. Weekly report reminder"
      help={
        same ? (
          <span className="text-amber-800 dark:text-amber-300">
            Another job is already called “{same.name}” (
            <Link to={`/jobs/${same.id}`} target="_blank" className="underline">
              open it
            </Link>
            ). Both can exist; a different name keeps them apart in lists and runs.
          </span>
        ) : undefined
      }
    />
  );
}
