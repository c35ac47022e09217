import type { ReactNode } from 'react';

interface CardProps {
  title: string;
  description?: string;
  /** Right side of the header: buttons, a timestamp. */
  actions?: ReactNode;
  footer?: ReactNode;
  children: ReactNode;
}

export function Card({ title, description, actions, footer, children }: CardProps) {
  return (
    <section className="overflow-hidden rounded-2xl border border-stone-200 bg-white shadow-sm dark:border-stone-800 dark:bg-stone-900">
      <header className="flex items-start justify-between gap-4 border-b border-stone-100 px-6 py-5 dark:border-stone-800">
        <div>
          <h2 className="text-base font-semibold">{title}</h2>
          {description && <p className="mt-1 text-sm text-stone-500 dark:text-stone-400">{description}</p>}
        </div>
        {actions && <div className="flex shrink-0 items-center gap-3">{actions}</div>}
      </header>
      <div className="px-6 py-6">{children}</div>
      {footer && (
        <footer className="border-t border-stone-100 bg-stone-50 px-6 py-3 text-xs text-stone-500 dark:border-stone-800 dark:bg-stone-900/60 dark:text-stone-400">
          {footer}
        </footer>
      )}
    </section>
  );
}
