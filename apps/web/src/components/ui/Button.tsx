import { useId, type ButtonHTMLAttributes, type MouseEvent, type ReactNode, type Ref } from 'react';
import { cx } from '../../lib/cx';
import { Spinner } from './Spinner';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';
export type ButtonSize = 'sm' | 'md';

const VARIANTS: Record<ButtonVariant, string> = {
  primary:
    'bg-amber-500 text-stone-950 shadow-xs hover:bg-amber-400 focus-visible:outline-amber-500 dark:bg-amber-400 dark:hover:bg-amber-300',
  secondary:
    'border border-stone-300 bg-white text-stone-700 shadow-xs hover:bg-stone-50 focus-visible:outline-stone-400 dark:border-stone-700 dark:bg-stone-800 dark:text-stone-200 dark:hover:bg-stone-700',
  danger: 'bg-red-600 text-white shadow-xs hover:bg-red-500 focus-visible:outline-red-600 dark:bg-red-500 dark:hover:bg-red-400',
  ghost:
    'text-stone-600 hover:bg-stone-100 hover:text-stone-900 focus-visible:outline-stone-400 dark:text-stone-300 dark:hover:bg-stone-800 dark:hover:text-stone-100',
};

const SIZES: Record<ButtonSize, string> = {
  sm: 'h-8 gap-1.5 rounded-md px-2.5 text-sm',
  md: 'h-9 gap-2 rounded-lg px-3.5 text-sm',
};

const BASE =
  'inline-flex shrink-0 items-center justify-center font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-50 aria-disabled:cursor-not-allowed aria-disabled:opacity-50 [&_svg]:size-4 [&_svg]:shrink-0';

/** The button look for something that is not a <button> (a router link that looks like one). */
export function buttonClass(variant: ButtonVariant = 'secondary', size: ButtonSize = 'md', className?: string): string {
  return cx(BASE, VARIANTS[variant], SIZES[size], className);
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Shows a spinner and blocks clicks while an action is in flight. */
  loading?: boolean;
  /**
   * Why the button cannot be used (e.g. a missing permission). The button stays focusable and says why,
   * instead of silently doing nothing.
   */
  disabledReason?: string | null;
  icon?: ReactNode;
  ref?: Ref<HTMLButtonElement>;
}

export function Button({
  variant = 'secondary',
  size = 'md',
  loading = false,
  disabledReason,
  icon,
  className,
  type = 'button',
  children,
  onClick,
  disabled,
  ...props
}: ButtonProps) {
  const reasonId = useId();
  const unavailable = Boolean(disabledReason);
  const handleClick = (event: MouseEvent<HTMLButtonElement>) => {
    if (unavailable || loading) {
      event.preventDefault();
      return;
    }
    onClick?.(event);
  };
  return (
    <button
      type={type}
      disabled={disabled}
      aria-disabled={unavailable || loading || undefined}
      aria-busy={loading || undefined}
      aria-describedby={unavailable ? reasonId : undefined}
      title={disabledReason ?? props.title}
      onClick={handleClick}
      className={buttonClass(variant, size, className)}
      {...props}
    >
      {loading ? <Spinner /> : icon}
      {children}
      {unavailable && (
        <span id={reasonId} className="sr-only">
          {disabledReason}
        </span>
      )}
    </button>
  );
}
