// Table parts with the product's look. Plain elements underneath, so rows stay real <tr>s for screen readers.
// The scroller is `relative` so absolutely positioned descendants (screen-reader-only text in cells) are clipped by
// it instead of widening the page on a phone. It takes focus, so a keyboard user can scroll a table wider than the
// screen (WCAG: a scrollable region must be reachable by keyboard).
import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';
import { cx } from '../../lib/cx';
import { ChevronDownIcon } from './icons';

export function Table({ children, label, className }: { children: ReactNode; label: string; className?: string }) {
  return (
    <div tabIndex={0} className={cx('relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-amber-500', className)}>
      <table aria-label={label} className="w-full border-collapse text-left text-sm">
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return (
    <thead className="border-b border-stone-200 bg-stone-50/80 text-xs font-medium text-stone-500 dark:border-stone-800 dark:bg-stone-900/60 dark:text-stone-400">
      {children}
    </thead>
  );
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-stone-100 dark:divide-stone-800">{children}</tbody>;
}

export function Tr({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cx('transition-colors hover:bg-stone-50/70 dark:hover:bg-stone-800/30', className)} {...props} />;
}

export function Th({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="col" className={cx('px-4 py-2.5 font-medium whitespace-nowrap', className)} {...props} />;
}

/** The header of a row-actions column (a menu, buttons): it has no visible title, only one for screen readers. */
export function ActionsTh() {
  return (
    <Th>
      <span className="sr-only">Actions</span>
    </Th>
  );
}

export function Td({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cx('px-4 py-3 align-middle', className)} {...props} />;
}

export type SortDirection = 'asc' | 'desc';

/** A column header that sorts: click toggles the direction; aria-sort tells screen readers the current order. */
export function SortableTh({
  children,
  active,
  direction,
  onSort,
  className,
}: {
  children: ReactNode;
  active: boolean;
  direction: SortDirection;
  onSort: (direction: SortDirection) => void;
  className?: string;
}) {
  return (
    <th
      scope="col"
      aria-sort={active ? (direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      className={cx('px-4 py-2.5 font-medium whitespace-nowrap', className)}
    >
      <button
        type="button"
        onClick={() => onSort(active && direction === 'asc' ? 'desc' : 'asc')}
        className={cx(
          '-mx-1 inline-flex items-center gap-1 rounded px-1 hover:text-stone-900 focus-visible:outline-2 focus-visible:outline-amber-500 dark:hover:text-stone-100',
          active && 'text-stone-900 dark:text-stone-100',
        )}
      >
        {children}
        <ChevronDownIcon
          className={cx('size-3.5 transition-transform', !active && 'opacity-0', active && direction === 'asc' && 'rotate-180')}
        />
      </button>
    </th>
  );
}
