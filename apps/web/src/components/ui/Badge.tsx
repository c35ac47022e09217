import type { ReactNode } from 'react';
import { cx } from '../../lib/cx';

/** Colours with a meaning: success, danger, warning, info (in progress), accent (waiting), neutral, muted. */
export type Tone = 'success' | 'danger' | 'warning' | 'info' | 'accent' | 'neutral' | 'muted';

const TONES: Record<Tone, { badge: string; dot: string }> = {
  success: {
    badge: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/25',
    dot: 'bg-emerald-500',
  },
  danger: {
    badge: 'bg-red-50 text-red-700 ring-red-600/20 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/25',
    dot: 'bg-red-500',
  },
  warning: {
    badge: 'bg-amber-50 text-amber-800 ring-amber-600/25 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/25',
    dot: 'bg-amber-500',
  },
  info: {
    badge: 'bg-sky-50 text-sky-700 ring-sky-600/20 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-400/25',
    dot: 'bg-sky-500',
  },
  accent: {
    badge: 'bg-violet-50 text-violet-700 ring-violet-600/20 dark:bg-violet-500/10 dark:text-violet-300 dark:ring-violet-400/25',
    dot: 'bg-violet-500',
  },
  neutral: {
    badge: 'bg-stone-100 text-stone-700 ring-stone-500/20 dark:bg-stone-500/10 dark:text-stone-300 dark:ring-stone-400/25',
    dot: 'bg-stone-400',
  },
  muted: {
    badge: 'bg-transparent text-stone-500 ring-stone-300 dark:text-stone-400 dark:ring-stone-700',
    dot: 'bg-stone-300 dark:bg-stone-600',
  },
};

export function Badge({
  tone,
  children,
  label,
  pulse = false,
  dot = true,
}: {
  tone: Tone;
  children: ReactNode;
  label?: string;
  /** The dot breathes: something is happening now (a run in progress). */
  pulse?: boolean;
  dot?: boolean;
}) {
  return (
    <span
      aria-label={label}
      className={cx(
        'inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset',
        TONES[tone].badge,
      )}
    >
      {dot && <span aria-hidden="true" className={cx('size-1.5 rounded-full', TONES[tone].dot, pulse && 'animate-pulse')} />}
      {children}
    </span>
  );
}
