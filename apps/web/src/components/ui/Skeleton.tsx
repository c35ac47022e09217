import { cx } from '../../lib/cx';

/** A placeholder block; the caller gives its size and rounding (no default, so `rounded-full` is not overridden). */
export function Skeleton({ className }: { className: string }) {
  return <div aria-hidden="true" className={cx('animate-pulse bg-stone-200 dark:bg-stone-800', className)} />;
}

/** Rows of placeholder cells, for a table that is loading. */
export function SkeletonRows({ rows = 5, columns = 4, label = 'Loading' }: { rows?: number; columns?: number; label?: string }) {
  return (
    <div role="status" aria-label={label} className="flex flex-col divide-y divide-stone-100 dark:divide-stone-800">
      {Array.from({ length: rows }, (_, row) => (
        <div key={row} className="flex items-center gap-6 px-4 py-3.5">
          {Array.from({ length: columns }, (_, column) => (
            <Skeleton key={column} className={cx('h-4 rounded', column === 0 ? 'w-40' : 'w-24', column > 2 && 'hidden md:block')} />
          ))}
        </div>
      ))}
    </div>
  );
}
