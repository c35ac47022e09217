// Choose one calendar by searching the server as you type (part of its name), as JobSelect does for jobs; the
// chosen calendar's name is read by id, so a saved job's calendars show their names before any search.
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { useServerSearch } from '../../lib/useServerSearch';
import { SearchSelect } from '../ui/SearchSelect';

const CalendarSelectSearchQuery = graphql(`
  query CalendarSelectSearchQuery($search: String) {
    calendars(search: $search, first: 20) {
      id
      name
      timezone
      blackoutForAllJobs
    }
  }
`);

const CalendarSelectChosenQuery = graphql(`
  query CalendarSelectChosenQuery($id: ID!) {
    calendar(id: $id) {
      id
      name
    }
  }
`);

export function CalendarSelect({
  label,
  value,
  onChange,
  placeholder = 'Search calendars',
  error,
  className,
}: {
  label: string;
  value: string;
  onChange: (calendarId: string) => void;
  placeholder?: string;
  error?: string | null;
  className?: string;
}) {
  const { data, setText, searching } = useServerSearch(CalendarSelectSearchQuery);
  const [{ data: chosen }] = useQuery({ query: CalendarSelectChosenQuery, variables: { id: value }, pause: !value });
  const chosenName = value && chosen?.calendar?.id === value ? chosen.calendar.name : '';
  // A blackout for all jobs covers every job already: attaching it would say nothing more.
  const items = useMemo(
    () => (data?.calendars ?? []).filter((calendar) => !calendar.blackoutForAllJobs).map((calendar) => ({ id: calendar.id, label: calendar.name, detail: calendar.timezone })),
    [data],
  );
  return (
    <SearchSelect
      label={label}
      value={value}
      selectedLabel={chosenName}
      items={items}
      onSearch={setText}
      onChange={onChange}
      loading={searching}
      placeholder={placeholder}
      emptyText="No calendar matches"
      error={error}
      className={className}
    />
  );
}
