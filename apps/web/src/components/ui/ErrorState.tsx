import { Button } from './Button';
import { AlertIcon, RetryIcon } from './icons';

/** A load failed: what happened, and a way to try again. */
export function ErrorState({
  title = 'Could not load this',
  message,
  onRetry,
  retrying = false,
}: {
  title?: string;
  message: string;
  onRetry?: () => void;
  retrying?: boolean;
}) {
  return (
    <div role="alert" className="flex flex-col items-center px-6 py-12 text-center">
      <div className="mb-4 flex size-12 items-center justify-center rounded-xl bg-red-50 text-red-600 ring-1 ring-red-200 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-500/20">
        <AlertIcon className="size-6" />
      </div>
      <h3 className="text-base font-semibold">{title}</h3>
      <p className="mt-2 max-w-md text-sm break-words text-stone-500 dark:text-stone-400">{message}</p>
      {onRetry && (
        <Button className="mt-5" onClick={onRetry} loading={retrying} icon={<RetryIcon />}>
          Retry
        </Button>
      )}
    </div>
  );
}
