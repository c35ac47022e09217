import type { ReactNode } from 'react';

export function Alert({ title, children, actions }: { title: string; children?: ReactNode; actions?: ReactNode }) {
  return (
    <div
      role="alert"
      className="flex flex-col gap-4 rounded-xl border border-red-200 bg-red-50 p-4 text-sm sm:flex-row sm:items-start sm:justify-between dark:border-red-900/60 dark:bg-red-950/40"
    >
      <div>
        <p className="font-medium text-red-800 dark:text-red-200">{title}</p>
        {children && <div className="mt-1 text-red-700 dark:text-red-300">{children}</div>}
      </div>
      {actions && <div className="shrink-0">{actions}</div>}
    </div>
  );
}
