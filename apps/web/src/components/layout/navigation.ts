// The app's sections and the permission each needs. Everyday sections stay visible and say why they are closed;
// administration sections are hidden from those who cannot use them (nothing to learn there).
import type { ComponentType, SVGProps } from 'react';
import type { Permission } from '../../gql/graphql';
import { InboxIcon } from '../inbox/InboxIcon';
import { UnreadInboxBadge } from '../inbox/UnreadInboxBadge';
import { CalendarIcon, ClockIcon, HomeIcon, KeyIcon, ListIcon, PulseIcon, ScrollIcon, ShieldIcon, UsersIcon } from '../ui/icons';

export interface NavItem {
  to: string;
  label: string;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
  permission: Permission | null;
  /** Hide instead of disabling when the permission is missing. */
  hideWithout?: boolean;
  end?: boolean;
  /** Shown after the label, e.g. a count of unread messages. */
  badge?: ComponentType;
}

export const NAV_SECTIONS: { title: string | null; items: NavItem[] }[] = [
  {
    title: null,
    items: [
      { to: '/', label: 'Dashboard', icon: HomeIcon, permission: 'JOBS_READ', end: true },
      { to: '/jobs', label: 'Jobs', icon: ClockIcon, permission: 'JOBS_READ' },
      { to: '/runs', label: 'Runs', icon: ListIcon, permission: 'JOBS_READ' },
      { to: '/calendars', label: 'Calendars', icon: CalendarIcon, permission: 'JOBS_READ' },
      { to: '/inbox', label: 'Inbox', icon: InboxIcon, permission: null, badge: UnreadInboxBadge },
    ],
  },
  {
    title: 'Administration',
    items: [
      { to: '/users', label: 'Users', icon: UsersIcon, permission: 'USERS_MANAGE', hideWithout: true },
      { to: '/roles', label: 'Roles', icon: ShieldIcon, permission: 'ROLES_MANAGE', hideWithout: true },
      { to: '/tokens', label: 'API tokens', icon: KeyIcon, permission: 'TOKENS_MANAGE', hideWithout: true },
      { to: '/audit', label: 'Audit log', icon: ScrollIcon, permission: 'AUDIT_READ', hideWithout: true },
    ],
  },
  {
    title: 'System',
    items: [{ to: '/status', label: 'Status', icon: PulseIcon, permission: null }],
  },
];
