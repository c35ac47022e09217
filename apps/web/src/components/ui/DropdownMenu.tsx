// A menu of actions behind a button (a table row's "⋯"). Keyboard: Enter/Space/↓ open and focus the first item,
// ↑/↓/Home/End move, Enter activates, Esc closes and returns focus to the button, Tab closes. The menu is
// portalled with fixed coordinates so a scrolling table cannot clip it.
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { cx } from '../../lib/cx';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  icon?: ReactNode;
  /** Why this action is unavailable; the item is shown, greyed, with the reason. */
  disabledReason?: string | null;
  tone?: 'danger';
}

export interface DropdownMenuProps {
  /** The button's accessible name ("Actions for nightly-report"). */
  label: string;
  /** What the button shows (an icon, or text). */
  trigger: ReactNode;
  items: readonly (MenuItem | 'separator')[];
  triggerClassName?: string;
  /** Shown above the items, not focusable (e.g. who is signed in). */
  header?: ReactNode;
  width?: number;
}

const DEFAULT_WIDTH = 224;

export function DropdownMenu({ label, trigger, items, triggerClassName, header, width = DEFAULT_WIDTH }: DropdownMenuProps) {
  const [open, setOpen] = useState(false);
  const [position, setPosition] = useState<{ top: number; left: number } | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const focusFirstRef = useRef<'first' | 'last'>('first');

  const close = useCallback((returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }, []);

  const place = useCallback(() => {
    const rect = buttonRef.current?.getBoundingClientRect();
    if (!rect) return;
    const menuHeight = menuRef.current?.offsetHeight ?? 0;
    const below = rect.bottom + 4;
    const top = below + menuHeight > window.innerHeight - 8 && rect.top - menuHeight - 4 > 8 ? rect.top - menuHeight - 4 : below;
    const left = Math.max(8, Math.min(rect.right - width, window.innerWidth - width - 8));
    setPosition({ top, left });
  }, [width]);

  useLayoutEffect(() => {
    if (!open) return;
    place();
    const items = menuItems(menuRef.current);
    const target = focusFirstRef.current === 'first' ? items[0] : items[items.length - 1];
    target?.focus();
  }, [open, place]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) close(false);
    };
    const onMove = () => place();
    document.addEventListener('pointerdown', onPointer);
    window.addEventListener('resize', onMove);
    window.addEventListener('scroll', onMove, true);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      window.removeEventListener('resize', onMove);
      window.removeEventListener('scroll', onMove, true);
    };
  }, [open, close, place]);

  const openWith = (focus: 'first' | 'last') => {
    focusFirstRef.current = focus;
    setOpen(true);
  };

  const onButtonKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      openWith('first');
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      openWith('last');
    }
  };

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const all = menuItems(menuRef.current);
    const index = all.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      event.preventDefault();
      all[(to + all.length) % all.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(all.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'Tab') close(false);
    else if (event.key.length === 1 && /\S/.test(event.key)) {
      // Type-ahead: the next item starting with the typed letter.
      const letter = event.key.toLowerCase();
      const after = [...all.slice(index + 1), ...all.slice(0, index + 1)];
      after.find((item) => item.textContent?.trim().toLowerCase().startsWith(letter))?.focus();
    }
  };

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : openWith('first'))}
        onKeyDown={onButtonKey}
        className={cx(
          'inline-flex size-8 items-center justify-center rounded-md text-stone-500 hover:bg-stone-100 hover:text-stone-800 focus-visible:outline-2 focus-visible:outline-amber-500 aria-expanded:bg-stone-100 dark:text-stone-400 dark:hover:bg-stone-800 dark:hover:text-stone-100 dark:aria-expanded:bg-stone-800',
          triggerClassName,
        )}
      >
        {trigger}
      </button>
      {open &&
        createPortal(
          <div
            ref={menuRef}
            id={menuId}
            role="menu"
            aria-label={label}
            onKeyDown={onMenuKey}
            style={{ top: position?.top ?? -9999, left: position?.left ?? -9999, width: width }}
            className="fixed z-50 rounded-xl border border-stone-200 bg-white p-1 shadow-lg ring-1 ring-black/5 dark:border-stone-700 dark:bg-stone-900"
          >
            {header && <div className="border-b border-stone-100 px-2.5 pt-1.5 pb-2.5 mb-1 dark:border-stone-800">{header}</div>}
            {items.map((item, index) =>
              item === 'separator' ? (
                <div key={`separator-${index}`} role="separator" className="my-1 h-px bg-stone-100 dark:bg-stone-800" />
              ) : (
                <button
                  key={item.label}
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  aria-disabled={item.disabledReason ? true : undefined}
                  title={item.disabledReason ?? undefined}
                  onClick={() => {
                    if (item.disabledReason) return;
                    close(true);
                    item.onSelect();
                  }}
                  className={cx(
                    'flex w-full items-start gap-2.5 rounded-lg px-2.5 py-2 text-left text-sm outline-none focus:bg-stone-100 dark:focus:bg-stone-800 [&_svg]:size-4',
                    item.disabledReason
                      ? 'cursor-not-allowed text-stone-500 dark:text-stone-400'
                      : item.tone === 'danger'
                        ? 'text-red-600 hover:bg-red-50 focus:bg-red-50 dark:text-red-400 dark:hover:bg-red-500/10 dark:focus:bg-red-500/10'
                        : 'text-stone-700 hover:bg-stone-100 dark:text-stone-200 dark:hover:bg-stone-800',
                  )}
                >
                  {item.icon && <span className="mt-0.5 shrink-0">{item.icon}</span>}
                  <span className="flex min-w-0 flex-col">
                    <span>{item.label}</span>
                    {item.disabledReason && <span className="text-xs text-stone-500 dark:text-stone-400">{item.disabledReason}</span>}
                  </span>
                </button>
              ),
            )}
          </div>,
          document.body,
        )}
    </>
  );
}

function menuItems(menu: HTMLElement | null): HTMLElement[] {
  return menu ? [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')] : [];
}
