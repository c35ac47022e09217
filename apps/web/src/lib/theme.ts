// Light, dark, or the system's choice (the default). The choice is kept in localStorage; "system" follows
// prefers-color-scheme live, so a laptop switching to dark at dusk switches the app too.
import { useCallback, useSyncExternalStore } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'sundial.theme';
const media = () => window.matchMedia('(prefers-color-scheme: dark)');
const listeners = new Set<() => void>();

function readChoice(): ThemeChoice {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

function isDark(choice: ThemeChoice): boolean {
  return choice === 'dark' || (choice === 'system' && media().matches);
}

/** Puts the `dark` class on <html> to match the choice; called before the first render and on every change. */
export function applyTheme(): void {
  document.documentElement.classList.toggle('dark', isDark(readChoice()));
}

function notify() {
  applyTheme();
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  const query = media();
  query.addEventListener('change', notify);
  return () => {
    listeners.delete(listener);
    query.removeEventListener('change', notify);
  };
}

export function useTheme(): { choice: ThemeChoice; dark: boolean; choose: (choice: ThemeChoice) => void } {
  const choice = useSyncExternalStore(subscribe, readChoice);
  const dark = useSyncExternalStore(subscribe, () => isDark(readChoice()));
  const choose = useCallback((next: ThemeChoice) => {
    if (next === 'system') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, next);
    notify();
  }, []);
  return { choice, dark, choose };
}
