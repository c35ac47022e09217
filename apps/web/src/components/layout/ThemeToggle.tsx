import { useTheme, type ThemeChoice } from '../../lib/theme';
import { MonitorIcon, MoonIcon, SunIcon } from '../ui/icons';

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const NAMES: Record<ThemeChoice, string> = { system: 'same as the system', light: 'light', dark: 'dark' };

/** One button cycling system → light → dark; the icon shows the current choice. */
export function ThemeToggle() {
  const { choice, choose } = useTheme();
  const Icon = choice === 'system' ? MonitorIcon : choice === 'light' ? SunIcon : MoonIcon;
  const label = `Colour theme: ${NAMES[choice]}. Switch to ${NAMES[NEXT[choice]]}`;
  return (
    <button
      type="button"
      onClick={() => choose(NEXT[choice])}
      aria-label={label}
      title={label}
      className="inline-flex size-9 items-center justify-center rounded-lg text-stone-500 hover:bg-stone-100 hover:text-stone-900 focus-visible:outline-2 focus-visible:outline-amber-500 dark:text-stone-400 dark:hover:bg-stone-800 dark:hover:text-stone-100"
    >
      <Icon className="size-5" />
    </button>
  );
}
