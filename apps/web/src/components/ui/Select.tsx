import type { Ref, SelectHTMLAttributes } from 'react';
import { cx } from '../../lib/cx';
import { Field, controlClass, type FieldProps } from './Field';

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

export interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement>, FieldProps {
  ref?: Ref<HTMLSelectElement>;
  options: readonly SelectOption[];
  selectClassName?: string;
}

/** A native select, styled: keyboard, type-ahead and mobile pickers for free. */
export function Select({ label, help, error, aside, className, selectClassName, id, required, options, ...props }: SelectProps) {
  return (
    <Field label={label} help={help} error={error} aside={aside} className={className} id={id} required={required}>
      {(control) => (
        <select {...control} required={required} className={cx(controlClass, 'h-9 pr-8', selectClassName)} {...props}>
          {options.map((option) => (
            <option key={option.value} value={option.value} disabled={option.disabled}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
