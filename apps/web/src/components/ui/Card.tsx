import type { ReactNode } from 'react';
import { cx } from '../../lib/cx';

interface CardProps {
  title?: ReactNode;
  description?: ReactNode;
  /** Right side of the header: buttons, a timestamp. */
  actions?: ReactNode;
  footer?: ReactNode;
  children: ReactNode;
  /** Without padding, for tables and lists that run edge to edge. */
  flush?: boolean;
  className?: string;
}

export function Card({ title, description, actions, footer, children, flush = false, className }: CardProps) {
  return (
    <section
      className={cx(
        'overflow-hidden rounded-2xl border border-stone-200 bg-white shadow-xs dark:border-stone-800 dark:bg-stone-900',
        className,
      )}
    >
      {(title || actions) && (
        <header className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2 border-b border-stone-100 px-5 py-4 dark:border-stone-800">
          <div className="min-w-0">
            {title && <h2 className="text-base font-semibold">{title}</h2>}
            {description && <p className="mt-0.5 text-sm text-stone-500 dark:text-stone-400">{description}</p>}
          </div>
          {actions && <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div>}
        </header>
      )}
      <div className={flush ? undefined : 'px-5 py-5'}>{children}</div>
      {footer && (
        <footer className="border-t border-stone-100 bg-stone-50 px-5 py-3 text-xs text-stone-500 dark:border-stone-800 dark:bg-stone-900/60 dark:text-stone-400">
          {footer}
        </footer>
      )}
    </section>
  );
}
