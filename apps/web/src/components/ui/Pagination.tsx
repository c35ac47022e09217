import { Button } from './Button';
import { ChevronLeftIcon, ChevronRightIcon } from './icons';

/** "1–50 of 230" with previous/next; cursor-based lists pass what they know (total may be unknown). */
export interface PaginationProps {
  from: number;
  to: number;
  total?: number | null;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  noun?: string;
}

export function Pagination({ from, to, total, hasPrevious, hasNext, onPrevious, onNext, noun = 'items' }: PaginationProps) {
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between gap-4 px-4 py-3 text-sm text-stone-500 dark:text-stone-400">
      <p aria-live="polite">
        {to === 0 ? `No ${noun}` : `${from}–${to}${total != null ? ` of ${total}` : ''} ${noun}`}
      </p>
      <div className="flex gap-2">
        <Button size="sm" onClick={onPrevious} disabled={!hasPrevious} icon={<ChevronLeftIcon />}>
          Previous
        </Button>
        <Button size="sm" onClick={onNext} disabled={!hasNext}>
          Next
          <ChevronRightIcon className="size-4" aria-hidden="true" />
        </Button>
      </div>
    </nav>
  );
}

/** Pagination as the footer of a card's list, ruled off from the rows above. */
export function PaginationFooter(props: PaginationProps) {
  return (
    <div className="border-t border-stone-100 dark:border-stone-800">
      <Pagination {...props} />
    </div>
  );
}
