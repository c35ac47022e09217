// A searchable multi-select (combobox + listbox): type to filter, ↑/↓ to move, Enter to toggle, Backspace on an
// empty box removes the last choice, Esc closes. Chosen items show as removable chips. A pick by mouse closes the
// list (it would otherwise cover the fields below it); clicking the box, typing or ↓ opens it — tabbing into the box
// does not, so the list never covers the next fields of a form being tabbed through.
import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { cx } from '../../lib/cx';
import { Field, type FieldProps } from './Field';
import { CheckIcon, XIcon } from './icons';

export interface MultiSelectOption {
  value: string;
  label: string;
  /** A second line (an e-mail, a description). */
  detail?: string;
}

export interface MultiSelectProps extends FieldProps {
  options: readonly MultiSelectOption[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  placeholder?: string;
  /** Shown when nothing matches the search. */
  emptyText?: string;
  /**
   * Server-side search: called with what is typed (the caller debounces and queries); `options` are then the
   * server's matches and are not filtered again here. Chosen items keep their labels when they drop out of them.
   */
  onQueryChange?: (query: string) => void;
  /** Labels for chosen values the options may not hold (with a server-side search: what was chosen before). */
  known?: readonly MultiSelectOption[];
}

export function MultiSelect({ options, value, onChange, placeholder = 'Search…', emptyText = 'Nothing matches', onQueryChange, known, ...field }: MultiSelectProps) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const chosen = new Set(value);
  // Every option seen, so a chip keeps its label after a server-side search no longer returns it.
  const seen = useRef(new Map<string, MultiSelectOption>());
  const byValue = useMemo(() => {
    for (const option of known ?? []) if (!seen.current.has(option.value)) seen.current.set(option.value, option);
    for (const option of options) seen.current.set(option.value, option);
    return seen.current;
  }, [options, known]);

  const needle = query.trim().toLowerCase();
  const matches = onQueryChange
    ? options
    : options.filter((option) => !needle || option.label.toLowerCase().includes(needle) || option.detail?.toLowerCase().includes(needle));

  const toggle = (optionValue: string) => {
    onChange(chosen.has(optionValue) ? value.filter((v) => v !== optionValue) : [...value, optionValue]);
    setQuery('');
    onQueryChange?.('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((index) => Math.min(index + 1, matches.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((index) => Math.max(index - 1, 0));
    } else if (event.key === 'Enter') {
      if (open && matches[active]) {
        event.preventDefault();
        toggle(matches[active].value);
      }
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault();
        event.stopPropagation();
        setOpen(false);
      }
    } else if (event.key === 'Backspace' && query === '' && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  };

  return (
    <Field {...field}>
      {(control) => (
        <div
          className="relative"
          onBlur={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget)) setOpen(false);
          }}
        >
          <div
            onClick={() => {
              inputRef.current?.focus();
              setOpen(true);
            }}
            className={cx(
              'flex min-h-10 flex-wrap items-center gap-1.5 rounded-lg border bg-white px-2 py-1.5 shadow-xs focus-within:border-amber-500 focus-within:outline-2 focus-within:outline-amber-500/30 dark:bg-stone-900',
              control['aria-invalid'] ? 'border-red-500' : 'border-stone-300 dark:border-stone-700',
            )}
          >
            {value.map((selected) => (
              <span
                key={selected}
                className="inline-flex items-center gap-1 rounded-md bg-amber-100 py-0.5 pr-1 pl-2 text-xs font-medium text-amber-900 dark:bg-amber-400/15 dark:text-amber-200"
              >
                {byValue.get(selected)?.label ?? selected}
                <button
                  type="button"
                  aria-label={`Remove ${byValue.get(selected)?.label ?? selected}`}
                  onClick={(event) => {
                    event.stopPropagation();
                    toggle(selected);
                  }}
                  className="rounded p-0.5 hover:bg-amber-200 dark:hover:bg-amber-400/25"
                >
                  <XIcon className="size-3" />
                </button>
              </span>
            ))}
            <input
              {...control}
              ref={inputRef}
              role="combobox"
              aria-expanded={open}
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={open && matches[active] ? `${listId}-${active}` : undefined}
              value={query}
              placeholder={value.length === 0 ? placeholder : ''}
              onChange={(event) => {
                setQuery(event.target.value);
                onQueryChange?.(event.target.value);
                setActive(0);
                setOpen(true);
              }}
              onKeyDown={onKeyDown}
              className="min-w-24 flex-1 bg-transparent px-1 py-0.5 text-sm outline-none placeholder:text-stone-500 dark:placeholder:text-stone-400"
            />
          </div>
          {open && (
            <ul
              id={listId}
              role="listbox"
              aria-multiselectable="true"
              className="absolute z-40 mt-1 max-h-64 w-full overflow-auto rounded-xl border border-stone-200 bg-white p-1 shadow-lg dark:border-stone-700 dark:bg-stone-900"
            >
              {matches.length === 0 && <li className="px-3 py-2 text-sm text-stone-500 dark:text-stone-400">{emptyText}</li>}
              {matches.map((option, index) => (
                <li
                  key={option.value}
                  id={`${listId}-${index}`}
                  role="option"
                  aria-selected={chosen.has(option.value)}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => {
                    toggle(option.value);
                    setOpen(false);
                  }}
                  onMouseEnter={() => setActive(index)}
                  className={cx(
                    'flex cursor-pointer items-center gap-2 rounded-lg px-2.5 py-1.5 text-sm',
                    index === active && 'bg-stone-100 dark:bg-stone-800',
                  )}
                >
                  <span
                    className={cx(
                      'flex size-4 shrink-0 items-center justify-center rounded border',
                      chosen.has(option.value) ? 'border-amber-500 bg-amber-500 text-white' : 'border-stone-300 dark:border-stone-600',
                    )}
                  >
                    {chosen.has(option.value) && <CheckIcon className="size-3" />}
                  </span>
                  <span className="min-w-0">
                    <span className="block truncate">{option.label}</span>
                    {option.detail && <span className="block truncate text-xs text-stone-500 dark:text-stone-400">{option.detail}</span>}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Field>
  );
}
