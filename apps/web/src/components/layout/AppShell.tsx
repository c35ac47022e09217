// The frame of every signed-in page: header (brand, theme, account), the sidebar on wide screens and, below
// `lg`, a "Menu" button that opens the same navigation as a panel (every page reachable on a phone).
import { useEffect, useId, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { useZoneChoice } from '../../lib/format';
import { MenuIcon, XIcon } from '../ui/icons';
import { SundialMark } from '../ui/SundialMark';
import { Navigation } from './Navigation';
import { ThemeToggle } from './ThemeToggle';
import { UserMenu } from './UserMenu';

export const AppShell_ViewerFragment = graphql(`
  fragment AppShell_ViewerFragment on Viewer {
    ...UserMenu_ViewerFragment
  }
`);

export function AppShell(props: { viewer: FragmentType<typeof AppShell_ViewerFragment>; children: ReactNode }) {
  const viewer = useFragment(AppShell_ViewerFragment, props.viewer);
  const zone = useZoneChoice();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuId = useId();
  const { pathname } = useLocation();
  // Following a link in the panel closes it.
  useEffect(() => setMenuOpen(false), [pathname]);
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-amber-500 px-3 py-2 text-sm font-medium text-stone-950 focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-stone-200 bg-white/85 backdrop-blur dark:border-stone-800 dark:bg-stone-900/85">
        <div className="flex h-14 items-center gap-2 px-3 sm:gap-3 lg:px-5">
          <button
            type="button"
            aria-expanded={menuOpen}
            aria-controls={menuId}
            onClick={() => setMenuOpen((open) => !open)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') setMenuOpen(false);
            }}
            className="flex size-9 items-center justify-center rounded-lg text-stone-700 hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-amber-500 lg:hidden dark:text-stone-200 dark:hover:bg-stone-800"
          >
            {menuOpen ? <XIcon className="size-5" /> : <MenuIcon className="size-5" />}
            <span className="sr-only">{menuOpen ? 'Close menu' : 'Menu'}</span>
          </button>
          <Link to="/" className="flex items-center gap-2.5 rounded-md focus-visible:outline-2 focus-visible:outline-amber-500">
            <SundialMark className="size-7" />
            <span className="text-base font-semibold tracking-tight">Sundial</span>
          </Link>
          <div className="ml-auto flex items-center gap-1">
            <ThemeToggle />
            <UserMenu viewer={viewer} />
          </div>
        </div>
        {menuOpen && (
          <div
            id={menuId}
            onKeyDown={(event) => {
              if (event.key === 'Escape') setMenuOpen(false);
            }}
            className="max-h-[calc(100vh-3.5rem)] overflow-y-auto border-t border-stone-100 lg:hidden dark:border-stone-800"
          >
            <Navigation orientation="vertical" />
          </div>
        )}
      </header>
      <div className="flex flex-1">
        <aside className="sticky top-14 hidden h-[calc(100vh-3.5rem)] w-56 shrink-0 overflow-y-auto border-r border-stone-200 bg-white/50 lg:block dark:border-stone-800 dark:bg-stone-900/30">
          <Navigation orientation="vertical" />
        </aside>
        <main id="main" className="min-w-0 flex-1 px-4 py-6 md:px-6 lg:px-8 lg:py-8">
          {/* Keyed by the time zone choice: every formatted time on the page is redrawn in the new zone. */}
          <div key={zone} className="mx-auto w-full max-w-6xl">
            {props.children}
          </div>
        </main>
      </div>
    </div>
  );
}
