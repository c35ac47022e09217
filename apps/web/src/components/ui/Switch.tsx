import { cx } from '../../lib/cx';

export interface SwitchProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** What it switches, for screen readers ("Enabled", "Job nightly-report enabled"). */
  label: string;
  disabled?: boolean;
  /** Why it cannot be switched (e.g. a missing permission). */
  disabledReason?: string | null;
  busy?: boolean;
}

export function Switch({ checked, onChange, label, disabled, disabledReason, busy }: SwitchProps) {
  const unavailable = Boolean(disabledReason) || busy;
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      aria-disabled={unavailable || undefined}
      aria-busy={busy || undefined}
      disabled={disabled}
      title={disabledReason ?? undefined}
      onClick={() => !unavailable && onChange(!checked)}
      className={cx(
        'relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-500 disabled:cursor-not-allowed disabled:opacity-50 aria-disabled:cursor-not-allowed aria-disabled:opacity-60',
        checked ? 'bg-amber-500 dark:bg-amber-400' : 'bg-stone-300 dark:bg-stone-700',
      )}
    >
      <span
        aria-hidden="true"
        className={cx(
          'inline-block size-4 rounded-full bg-white shadow-sm transition-transform',
          checked ? 'translate-x-[18px]' : 'translate-x-0.5',
        )}
      />
    </button>
  );
}
