// A modal dialog on the native <dialog>: showModal() makes the rest of the page inert and puts the dialog in
// the top layer; Esc closes it and focus returns to what had it. Tab is kept inside (the native element lets it
// escape to the browser's own controls).
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { cx } from '../../lib/cx';
import { XIcon } from './icons';

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons, right-aligned at the bottom. */
  footer?: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  /** While true, Esc and the backdrop do not close (e.g. during a request). */
  dismissible?: boolean;
}

const SIZES = { sm: 'max-w-md', md: 'max-w-lg', lg: 'max-w-2xl' } as const;

const FOCUSABLE = 'a[href],button:not([disabled]),input:not([disabled]),select:not([disabled]),textarea:not([disabled]),[tabindex]:not([tabindex="-1"])';

export function Dialog({ open, onClose, title, description, children, footer, size = 'md', dismissible = true }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // React's autoFocus ran while the dialog was still closed; move focus now: an element marked
      // data-autofocus, else the first field to fill in, else the browser's choice (the first focusable).
      const target =
        dialog.querySelector<HTMLElement>('[data-autofocus]') ??
        dialog.querySelector<HTMLElement>('input:not([readonly]):not([type=hidden]),select,textarea:not([readonly])');
      target?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const trapTab = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab' || !ref.current) return;
    const focusable = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        // Esc: React owns `open`, so ask the owner to close instead of letting the element close itself.
        event.preventDefault();
        if (dismissible) onClose();
      }}
      onKeyDown={trapTab}
      onMouseDown={(event) => {
        if (event.target === ref.current && dismissible) onClose();
      }}
      className={cx(
        'm-auto w-[calc(100%-2rem)] rounded-2xl border border-stone-200 bg-white p-0 text-stone-900 shadow-2xl dark:border-stone-800 dark:bg-stone-900 dark:text-stone-100',
        SIZES[size],
      )}
    >
      {open && (
        <div className="flex max-h-[85vh] flex-col">
          <header className="flex items-start justify-between gap-4 px-6 pt-5 pb-3">
            <div>
              <h2 id={titleId} className="text-lg font-semibold tracking-tight">
                {title}
              </h2>
              {description && (
                <div id={descriptionId} className="mt-1 text-sm text-stone-500 dark:text-stone-400">
                  {description}
                </div>
              )}
            </div>
            <button
              type="button"
              onClick={onClose}
              disabled={!dismissible}
              aria-label="Close"
              className="-mt-1 -mr-2 rounded-md p-1.5 text-stone-500 dark:text-stone-400 hover:bg-stone-100 hover:text-stone-700 focus-visible:outline-2 focus-visible:outline-amber-500 dark:hover:bg-stone-800 dark:hover:text-stone-200"
            >
              <XIcon className="size-5" />
            </button>
          </header>
          {children && <div className="overflow-y-auto px-6 py-2">{children}</div>}
          {footer && (
            <footer className="mt-3 flex flex-wrap items-center justify-end gap-2 border-t border-stone-100 bg-stone-50 px-6 py-3.5 dark:border-stone-800 dark:bg-stone-900/60">
              {footer}
            </footer>
          )}
        </div>
      )}
    </dialog>
  );
}
