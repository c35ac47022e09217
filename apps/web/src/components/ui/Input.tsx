import type { InputHTMLAttributes, Ref } from 'react';
import { cx } from '../../lib/cx';
import { Field, controlClass, type FieldProps } from './Field';

export interface InputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'size'>, FieldProps {
  ref?: Ref<HTMLInputElement>;
  inputClassName?: string;
}

export function Input({ label, help, error, aside, className, inputClassName, id, required, ...props }: InputProps) {
  return (
    <Field label={label} help={help} error={error} aside={aside} className={className} id={id} required={required}>
      {(control) => <input {...control} required={required} className={cx(controlClass, props.type === 'checkbox' || props.type === 'radio' ? null : 'h-9', inputClassName)} {...props} />}
    </Field>
  );
}
