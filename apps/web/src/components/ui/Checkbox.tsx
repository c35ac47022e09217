import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

export function Checkbox({ label, help, ...props }: Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & { label: ReactNode; help?: ReactNode }) {
  const id = useId();
  return (
    <div className="flex items-start gap-2.5">
      <input
        id={id}
        type="checkbox"
        aria-describedby={help ? `${id}-help` : undefined}
        className="mt-0.5 size-4 rounded border-stone-300 accent-amber-500 dark:border-stone-600"
        {...props}
      />
      <div className="text-sm">
        <label htmlFor={id} className="font-medium text-stone-800 dark:text-stone-200">
          {label}
        </label>
        {help && (
          <div id={`${id}-help`} className="mt-0.5 text-xs leading-relaxed text-stone-500 dark:text-stone-400">
            {help}
          </div>
        )}
      </div>
    </div>
  );
}
