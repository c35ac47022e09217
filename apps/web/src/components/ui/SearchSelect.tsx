// Choose one item from a list the server searches as you type (a job, a user): React Aria's combobox, so keyboard
// (↓ opens, ↑/↓ move, Enter picks, Esc closes), screen reader and focus behaviour come with it. The caller runs
// the search (debounced) and gives the matches; the chosen item's label is given separately, since it may not be
// among the current matches. A clear button empties the choice when `clearable`.
import { useMemo, useRef, useState } from 'react';
import { Button, ComboBox, FieldError, Input, Label, ListBox, ListBoxItem, Popover, Text } from 'react-aria-components';
import { cx } from '../../lib/cx';
import { controlClass } from './Field';
import { ChevronDownIcon, XIcon } from './icons';

export interface SearchSelectItem {
  id: string;
  label: string;
  /** A second line (an e-mail, an action). */
  detail?: string;
}

export function SearchSelect({
  label,
  value,
  selectedLabel,
  items,
  onSearch,
  onChange,
  loading = false,
  placeholder = 'Search…',
  emptyText = 'Nothing matches',
  clearable = false,
  error,
  help,
  className,
}: {
  label: string;
  /** The chosen id, or '' for none. */
  value: string;
  /** The chosen item's label ('' when unknown yet). */
  selectedLabel: string;
  items: readonly SearchSelectItem[];
  /** What is typed, for the caller's server search ('' when the box shows the choice again). */
  onSearch: (text: string) => void;
  onChange: (id: string) => void;
  loading?: boolean;
  placeholder?: string;
  emptyText?: string;
  clearable?: boolean;
  error?: string | null;
  help?: string;
  className?: string;
}) {
  // null: not typing, the box shows the chosen item's label.
  const [input, setInput] = useState<string | null>(null);
  // Labels of every item offered, so a pick shows its name at once (before the caller has read it by id).
  const seen = useRef(new Map<string, string>());
  for (const item of items) seen.current.set(item.id, item.label);
  const shownLabel = selectedLabel || (value ? (seen.current.get(value) ?? '') : '');
  // The chosen item stays in the collection even when the current matches do not hold it, so the combobox can
  // name it. One array per change of the matches or the choice: the combobox rebuilds its collection on a new one.
  const collection = useMemo(
    () => (value && shownLabel && !items.some((item) => item.id === value) ? [{ id: value, label: shownLabel }, ...items] : items),
    [items, value, shownLabel],
  );
  const stopTyping = () => {
    setInput(null);
    onSearch('');
  };
  return (
    <ComboBox
      className={cx('flex min-w-0 flex-col gap-1.5', className)}
      items={collection}
      selectedKey={value || null}
      inputValue={input ?? shownLabel}
      onInputChange={(text) => {
        // The combobox showing the chosen item again is not a search.
        if (input === null && text === shownLabel) return;
        setInput(text);
        onSearch(text.trim());
      }}
      onSelectionChange={(key) => {
        if (key != null) onChange(String(key));
        stopTyping();
      }}
      onOpenChange={(open) => {
        if (!open) setInput(null);
      }}
      isInvalid={Boolean(error)}
      menuTrigger="input"
      allowsEmptyCollection
      allowsCustomValue={false}
    >
      <Label className="text-sm font-medium text-stone-800 dark:text-stone-200">{label}</Label>
      <div className="relative">
        <Input placeholder={placeholder} onFocus={(event) => event.currentTarget.select()} className={cx(controlClass, 'h-9', clearable && value ? 'pr-16' : 'pr-9', error && 'border-red-500')} />
        {clearable && value && (
          <button
            type="button"
            aria-label={`Clear ${label}`}
            onClick={() => {
              onChange('');
              stopTyping();
            }}
            className="absolute inset-y-0 right-8 flex w-7 items-center justify-center text-stone-500 hover:text-stone-800 dark:text-stone-400 dark:hover:text-stone-100"
          >
            <XIcon className="size-3.5" />
          </button>
        )}
        <Button aria-label={`Show ${label}`} className="absolute inset-y-0 right-0 flex w-9 items-center justify-center text-stone-500 dark:text-stone-400">
          <ChevronDownIcon className="size-4" />
        </Button>
      </div>
      {help && (
        <Text slot="description" className="text-xs text-stone-500 dark:text-stone-400">
          {help}
        </Text>
      )}
      {error && <FieldError className="text-sm text-red-600 dark:text-red-400">{error}</FieldError>}
      <Popover className="w-(--trigger-width) min-w-56 max-w-[calc(100vw-1rem)] overflow-auto rounded-xl border border-stone-200 bg-white p-1 shadow-lg dark:border-stone-700 dark:bg-stone-900">
        <ListBox<SearchSelectItem>
          className="max-h-72 outline-none"
          renderEmptyState={() => <p className="px-3 py-2 text-sm text-stone-500 dark:text-stone-400">{loading ? 'Searching…' : emptyText}</p>}
        >
          {(item) => (
            <ListBoxItem
              id={item.id}
              textValue={item.label}
              className="flex cursor-pointer flex-col rounded-lg px-2.5 py-1.5 text-sm text-stone-800 outline-none data-[focused]:bg-stone-100 data-[selected]:font-semibold dark:text-stone-100 dark:data-[focused]:bg-stone-800"
            >
              <span className="truncate">{item.label}</span>
              {item.detail && <span className="truncate text-xs font-normal text-stone-500 dark:text-stone-400">{item.detail}</span>}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
