import type { ReactNode } from 'react';

export type Tone = 'success' | 'danger' | 'warning' | 'neutral';

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
    badge: 'bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/25',
    dot: 'bg-amber-500',
  },
  neutral: {
    badge: 'bg-stone-100 text-stone-700 ring-stone-500/20 dark:bg-stone-500/10 dark:text-stone-300 dark:ring-stone-400/25',
    dot: 'bg-stone-400',
  },
};

export function Badge({ tone, children, label }: { tone: Tone; children: ReactNode; label?: string }) {
  return (
    <span
      aria-label={label}
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone].badge}`}
    >
      <span aria-hidden="true" className={`size-1.5 rounded-full ${TONES[tone].dot}`} />
      {children}
    </span>
  );
}
