import type { ReactNode } from 'react';
import { cx } from '../../lib/cx';

type AlertTone = 'danger' | 'warning' | 'info' | 'success' | 'neutral';

const TONES: Record<AlertTone, { box: string; title: string; body: string }> = {
  danger: {
    box: 'border-red-200 bg-red-50 dark:border-red-900/60 dark:bg-red-950/40',
    title: 'text-red-800 dark:text-red-200',
    body: 'text-red-700 dark:text-red-300',
  },
  warning: {
    box: 'border-amber-300 bg-amber-50 dark:border-amber-700/50 dark:bg-amber-950/40',
    title: 'text-amber-900 dark:text-amber-200',
    body: 'text-amber-800 dark:text-amber-300',
  },
  info: {
    box: 'border-sky-200 bg-sky-50 dark:border-sky-900/60 dark:bg-sky-950/40',
    title: 'text-sky-900 dark:text-sky-200',
    body: 'text-sky-800 dark:text-sky-300',
  },
  neutral: {
    box: 'border-stone-200 bg-stone-50 dark:border-stone-700 dark:bg-stone-900',
    title: 'text-stone-900 dark:text-stone-100',
    body: 'text-stone-700 dark:text-stone-300',
  },
  success: {
    box: 'border-emerald-200 bg-emerald-50 dark:border-emerald-900/60 dark:bg-emerald-950/40',
    title: 'text-emerald-900 dark:text-emerald-200',
    body: 'text-emerald-800 dark:text-emerald-300',
  },
};

export function Alert({
  title,
  children,
  actions,
  tone = 'danger',
}: {
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  tone?: AlertTone;
}) {
  const colours = TONES[tone];
  return (
    <div
      role={tone === 'danger' || tone === 'warning' ? 'alert' : 'status'}
      className={cx('flex flex-col gap-4 rounded-xl border p-4 text-sm sm:flex-row sm:items-start sm:justify-between', colours.box)}
    >
      <div className="min-w-0">
        <p className={cx('font-medium', colours.title)}>{title}</p>
        {children && <div className={cx('mt-1', colours.body)}>{children}</div>}
      </div>
      {actions && <div className="shrink-0">{actions}</div>}
    </div>
  );
}
