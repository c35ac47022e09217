import { NavLink } from 'react-router';
import { cx } from '../../lib/cx';
import { missingPermission } from '../../lib/permissions';
import { useViewer } from '../../lib/viewer';
import { NAV_SECTIONS, type NavItem } from './navigation';

/** The sections the viewer may open: the sidebar on wide screens, the header's menu panel on narrow ones. */
export function Navigation({ orientation }: { orientation: 'vertical' | 'horizontal' }) {
  const viewer = useViewer();
  const visible = NAV_SECTIONS.map((section) => ({
    ...section,
    items: section.items.filter((item) => !item.hideWithout || !item.permission || viewer.permissions.has(item.permission)),
  })).filter((section) => section.items.length > 0);

  if (orientation === 'horizontal') {
    return (
      <nav aria-label="Main" className="flex gap-1 overflow-x-auto px-4 py-2">
        {visible.flatMap((section) => section.items).map((item) => (
          <NavEntry key={item.to} item={item} allowed={!item.permission || viewer.permissions.has(item.permission)} compact />
        ))}
      </nav>
    );
  }

  return (
    <nav aria-label="Main" className="flex flex-col gap-6 px-3 py-5">
      {visible.map((section) => (
        <div key={section.title ?? 'main'} className="flex flex-col gap-0.5">
          {section.title && (
            <h2 className="px-2.5 pb-1.5 text-[11px] font-semibold tracking-wider text-stone-500 uppercase dark:text-stone-400">
              {section.title}
            </h2>
          )}
          {section.items.map((item) => (
            <NavEntry key={item.to} item={item} allowed={!item.permission || viewer.permissions.has(item.permission)} />
          ))}
        </div>
      ))}
    </nav>
  );
}

function NavEntry({ item, allowed, compact = false }: { item: NavItem; allowed: boolean; compact?: boolean }) {
  const Icon = item.icon;
  const Badge = item.badge;
  const base = cx(
    'flex items-center gap-2.5 rounded-lg text-sm font-medium whitespace-nowrap',
    compact ? 'px-2.5 py-1.5' : 'px-2.5 py-2',
  );
  if (!allowed && item.permission) {
    return (
      <span aria-disabled="true" title={missingPermission(item.permission)} className={cx(base, 'cursor-not-allowed text-stone-500 dark:text-stone-400')}>
        <Icon className="size-4.5" />
        {item.label}
        <span className="sr-only"> ({missingPermission(item.permission)})</span>
      </span>
    );
  }
  return (
    <NavLink
      to={item.to}
      end={item.end}
      className={({ isActive }) =>
        cx(
          base,
          'transition-colors focus-visible:outline-2 focus-visible:outline-amber-500',
          isActive
            ? 'bg-amber-100/70 text-amber-900 dark:bg-amber-400/10 dark:text-amber-200'
            : 'text-stone-600 hover:bg-stone-100 hover:text-stone-900 dark:text-stone-400 dark:hover:bg-stone-800/70 dark:hover:text-stone-100',
        )
      }
    >
      <Icon className="size-4.5" />
      {item.label}
      {Badge && <Badge />}
    </NavLink>
  );
}
