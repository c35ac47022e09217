import { useEffect, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ChevronRightIcon } from '../ui/icons';

export interface Crumb {
  label: string;
  to: string;
}

/** A page's title (also the document title), what it is for, and its main actions. */
export function PageHeader({
  title,
  description,
  actions,
  crumbs,
  badge,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  crumbs?: Crumb[];
  badge?: ReactNode;
}) {
  useDocumentTitle(title);
  return (
    <div className="mb-6 flex flex-col gap-3">
      {crumbs && crumbs.length > 0 && (
        <nav aria-label="Breadcrumb">
          <ol className="flex flex-wrap items-center gap-1 text-sm text-stone-500 dark:text-stone-400">
            {crumbs.map((crumb) => (
              <li key={crumb.to} className="flex items-center gap-1">
                <Link to={crumb.to} className="rounded hover:text-stone-900 hover:underline dark:hover:text-stone-100">
                  {crumb.label}
                </Link>
                <ChevronRightIcon className="size-3.5" />
              </li>
            ))}
          </ol>
        </nav>
      )}
      <div className="flex flex-wrap items-start justify-between gap-x-6 gap-y-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight break-words">{title}</h1>
            {badge}
          </div>
          {description && <div className="mt-1 max-w-3xl text-sm text-stone-500 dark:text-stone-400">{description}</div>}
        </div>
        {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
      </div>
    </div>
  );
}

export function useDocumentTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · Sundial`;
  }, [title]);
}
