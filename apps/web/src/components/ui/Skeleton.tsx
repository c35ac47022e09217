/** A placeholder block; the caller gives its size and rounding (no default, so `rounded-full` is not overridden). */
export function Skeleton({ className }: { className: string }) {
  return <div aria-hidden="true" className={`animate-pulse bg-stone-200 dark:bg-stone-800 ${className}`} />;
}
