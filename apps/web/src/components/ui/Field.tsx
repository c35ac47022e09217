// The label / help / error frame shared by Input, Select, Textarea and custom controls. The control gets the ids
// it must point at (aria-describedby, aria-invalid), so a screen reader reads the help and the server's message.
import { useId, type ReactNode } from 'react';
import { cx } from '../../lib/cx';

export interface FieldProps {
  label?: ReactNode;
  /** Explains the field; shown under it. */
  help?: ReactNode;
  /** A problem with the value (e.g. the server's message for this field); replaces nothing, shown in red. */
  error?: string | null;
  required?: boolean;
  /** Right side of the label row (e.g. a "Raw JSON" toggle). */
  aside?: ReactNode;
  className?: string;
}

export interface FieldControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}

export function Field({
  label,
  help,
  error,
  required,
  aside,
  className,
  id: givenId,
  children,
}: FieldProps & { id?: string; children: (control: FieldControlProps) => ReactNode }) {
  const generated = useId();
  const id = givenId ?? generated;
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, help ? helpId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={cx('flex flex-col gap-1.5', className)}>
      {(label || aside) && (
        <div className="flex items-center justify-between gap-3">
          {label && (
            <label htmlFor={id} className="text-sm font-medium text-stone-800 dark:text-stone-200">
              {label}
              {required && (
                <span className="ml-0.5 text-red-600 dark:text-red-400" aria-hidden="true">
                  *
                </span>
              )}
            </label>
          )}
          {aside}
        </div>
      )}
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {error && (
        <p id={errorId} className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      {help && (
        <div id={helpId} className="text-xs leading-relaxed text-stone-500 dark:text-stone-400">
          {help}
        </div>
      )}
    </div>
  );
}

/** The look every text-like control shares. */
export const controlClass =
  'block w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-sm text-stone-900 shadow-xs placeholder:text-stone-500 focus:border-amber-500 focus:outline-2 focus:outline-offset-0 focus:outline-amber-500/30 disabled:cursor-not-allowed disabled:opacity-60 aria-invalid:border-red-500 aria-invalid:focus:outline-red-500/30 dark:border-stone-700 dark:bg-stone-900 dark:text-stone-100 dark:placeholder:text-stone-400';
