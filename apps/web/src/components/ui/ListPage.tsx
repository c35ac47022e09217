// The scaffold every list page shares: the page header over a card that holds the filters, then one of the list's
// states — the load failed (with Retry), loading (placeholder rows), nothing yet, nothing matches the filters, or
// the rows with the pager below. Each page keeps its own query, URL schema, columns and words; this file holds the
// order of the states and their look, so they read and behave the same on every list.
// Knows nothing of GraphQL: a query is its answer ({ data, error, fetching }) and a way to ask again.
import type { HTMLAttributes, ReactNode } from 'react';
import { describeError } from '../../lib/errors';
import { cx } from '../../lib/cx';
import type { CursorPages, PagedConnection } from '../../lib/useCursorPages';
import { PageHeader } from '../layout/PageHeader';
import { Button } from './Button';
import { Card } from './Card';
import { EmptyState } from './EmptyState';
import { ErrorState } from './ErrorState';
import { SearchIcon } from './icons';
import { Input } from './Input';
import { PaginationFooter } from './Pagination';
import { SkeletonRows } from './Skeleton';

/** A list page: its header, what sits between header and list (`above`), the card with `filters` and the list. */
export function ListPage({
  title,
  description,
  actions,
  above,
  filters,
  children,
}: {
  title: string;
  description: ReactNode;
  actions?: ReactNode;
  above?: ReactNode;
  filters?: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <PageHeader title={title} description={description} actions={actions} />
      {above}
      <Card flush>
        {filters}
        {children}
      </Card>
    </>
  );
}

/** The strip of filters on top of the list; `className` lays the controls out (a wrap, a grid). */
export function FilterBar({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return <div className={cx('border-b border-stone-100 px-4 py-3 dark:border-stone-800', className)} {...props} />;
}

/** The search box of a list: a magnifier inside, named by `label` for screen readers (it has no visible label). */
export function SearchField({ label, placeholder, value, onChange, className }: { label: string; placeholder: string; value: string; onChange: (text: string) => void; className?: string }) {
  return (
    <div className={cx('relative', className)}>
      <SearchIcon className="pointer-events-none absolute top-1/2 left-3 z-10 size-4 -translate-y-1/2 text-stone-500 dark:text-stone-400" />
      <Input type="search" aria-label={label} placeholder={placeholder} inputClassName="pl-9" value={value} onChange={(event) => onChange(event.target.value)} />
    </div>
  );
}

/** Nothing matches the filters, with a way back to the whole list. */
export function NoMatchState({ title, onClear, children }: { title: string; onClear: () => void; children: ReactNode }) {
  return (
    <EmptyState icon={<SearchIcon />} title={title} action={<Button onClick={onClear}>Clear the filters</Button>}>
      {children}
    </EmptyState>
  );
}

/** A query as the list needs it: its answer, and a way to ask the server again. */
export type ListQuery = readonly [{ data?: unknown; error?: Error; fetching: boolean }, (context: { requestPolicy: 'network-only' }) => void];

/** A list that has arrived: an array, or a connection page (counted by its total when the server gives one). */
type Loaded = readonly unknown[] | PagedConnection;

function isConnection(list: Loaded): list is PagedConnection {
  return 'edges' in list;
}

function isEmpty(list: Loaded): boolean {
  if (isConnection(list)) return list.totalCount != null ? list.totalCount === 0 : list.edges.length === 0;
  return list.length === 0;
}

export function ListBody<L extends Loaded>({
  query: [{ data, error, fetching }, reexecute],
  list,
  errorTitle,
  loading,
  filtered = false,
  empty,
  noMatch,
  pages,
  children,
}: {
  query: ListQuery;
  /** The rows' container from the answer; null or undefined until it has arrived. */
  list: L | null | undefined;
  /** "Could not load the jobs". */
  errorTitle: string;
  /** The placeholder while the first answer is awaited. */
  loading: { rows?: number; columns: number; label: string };
  /** Whether a filter narrows the list: an empty answer then shows `noMatch` instead of `empty`. */
  filtered?: boolean;
  /** The list has nothing yet: what it will hold and how to add to it. */
  empty: ReactNode;
  noMatch?: ReactNode;
  /** Cursor paging (connections only); `whenPaged` shows the pager only once there is more than one page. */
  pages?: L extends PagedConnection ? { pages: CursorPages; noun: string; whenPaged?: boolean } : never;
  /** The rows. */
  children: (list: L) => ReactNode;
}) {
  if (error && !data) {
    return <ErrorState title={errorTitle} message={describeError(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} retrying={fetching} />;
  }
  if (!list) return <SkeletonRows rows={loading.rows} columns={loading.columns} label={loading.label} />;
  if (isEmpty(list)) return <>{filtered && noMatch !== undefined ? noMatch : empty}</>;
  const connection = isConnection(list) ? list : null;
  const showPager = pages && connection && (!pages.whenPaged || connection.pageInfo.hasNextPage || !pages.pages.onFirstPage);
  return (
    <>
      {children(list)}
      {showPager && <PaginationFooter {...pages.pages.pagination(connection, pages.noun)} />}
    </>
  );
}
