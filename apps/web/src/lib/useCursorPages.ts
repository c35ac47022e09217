import { useEffect, useState } from 'react';

/** What a Relay connection page tells the pager. */
export interface PagedConnection {
  edges: readonly unknown[];
  totalCount?: number | null;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/**
 * Forward cursor paging for a list page: a stack of cursors (so Previous needs no backward paging), reset to the
 * first page whenever `resetKey` changes (new filters or search). Gives the query's `first`/`after` and the
 * <Pagination> props for the page shown.
 */
export function useCursorPages(pageSize: number, resetKey: unknown) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  useEffect(() => setCursors([null]), [resetKey]);
  const pageIndex = cursors.length - 1;
  return {
    first: pageSize,
    after: cursors[pageIndex] ?? null,
    onFirstPage: pageIndex === 0,
    pagination: (connection: PagedConnection, noun: string) => ({
      noun,
      from: pageIndex * pageSize + 1,
      to: pageIndex * pageSize + connection.edges.length,
      total: connection.totalCount,
      hasPrevious: pageIndex > 0,
      hasNext: connection.pageInfo.hasNextPage,
      onPrevious: () => setCursors((all) => all.slice(0, -1)),
      onNext: () => setCursors((all) => [...all, connection.pageInfo.endCursor ?? null]),
    }),
  };
}

/** The paging state of one list page, as the list scaffold (ui/ListPage) takes it. */
export type CursorPages = ReturnType<typeof useCursorPages>;
