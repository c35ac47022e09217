import { Skeleton } from '../ui/Skeleton';

/** Shown while a page's code loads (each page is its own chunk). */
export function RouteFallback() {
  return (
    <div role="status" aria-label="Loading page" className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Skeleton className="h-7 w-56 rounded-md" />
        <Skeleton className="h-4 w-96 max-w-full rounded" />
      </div>
      <Skeleton className="h-72 rounded-2xl" />
    </div>
  );
}
