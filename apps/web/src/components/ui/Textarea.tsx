import type { Ref, TextareaHTMLAttributes } from 'react';
import { cx } from '../../lib/cx';
import { Field, controlClass, type FieldProps } from './Field';

export interface TextareaProps extends TextareaHTMLAttributes<HTMLTextAreaElement>, FieldProps {
  ref?: Ref<HTMLTextAreaElement>;
  /** Monospaced, for JSON and code. */
  code?: boolean;
  textareaClassName?: string;
}

export function Textarea({ label, help, error, aside, className, textareaClassName, id, required, code, ...props }: TextareaProps) {
  return (
    <Field label={label} help={help} error={error} aside={aside} className={className} id={id} required={required}>
      {(control) => (
        <textarea
          {...control}
          required={required}
          spellCheck={code ? false : undefined}
          className={cx(controlClass, 'min-h-20', code && 'font-mono text-[13px] leading-relaxed', textareaClassName)}
          {...props}
        />
      )}
    </Field>
  );
}
