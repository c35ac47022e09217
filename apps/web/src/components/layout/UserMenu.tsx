// Who is signed in, what they may do; the clock they read times in (browser or UTC), their password, signing out.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { describeError } from '../../lib/errors';
import { browserTimeZone, describeZone, setZoneChoice, useZoneChoice } from '../../lib/format';
import { PERMISSION_LABELS } from '../../lib/permissions';
import { useSession } from '../../lib/session';
import { DropdownMenu } from '../ui/DropdownMenu';
import { ChevronDownIcon, ClockIcon, KeyIcon, LogOutIcon, ShieldIcon } from '../ui/icons';
import { ChangePasswordDialog } from './ChangePasswordDialog';
import { useToast } from '../ui/Toasts';

export const UserMenu_ViewerFragment = graphql(`
  fragment UserMenu_ViewerFragment on Viewer {
    name
    email
    permissions
    via
  }
`);

const SignOutMutation = graphql(`
  mutation SignOutMutation {
    signOut
  }
`);

export function UserMenu(props: { viewer: FragmentType<typeof UserMenu_ViewerFragment> }) {
  const viewer = useFragment(UserMenu_ViewerFragment, props.viewer);
  const [, signOut] = useMutation(SignOutMutation);
  const { resetSession } = useSession();
  const navigate = useNavigate();
  const toast = useToast();
  const display = viewer.name || viewer.email;
  const zone = useZoneChoice();
  const [changingPassword, setChangingPassword] = useState(false);

  const doSignOut = async () => {
    const result = await signOut({});
    if (result.error) {
      toast({ tone: 'danger', title: 'Could not sign out', description: describeError(result.error) });
      return;
    }
    navigate('/sign-in', { replace: true });
    resetSession();
  };

  return (
    <>
    <ChangePasswordDialog open={changingPassword} onClose={() => setChangingPassword(false)} owner={{ email: viewer.email, name: viewer.name }} />
    <DropdownMenu
      label={`Account: ${display}`}
      width={288}
      triggerClassName="h-9 w-auto gap-2 px-1.5 sm:pr-2.5"
      trigger={
        <>
          <Avatar name={display} />
          <span className="hidden min-w-0 flex-col text-left leading-tight sm:flex">
            <span data-testid="viewer-name" className="max-w-40 truncate text-sm font-medium text-stone-800 dark:text-stone-100">
              {display}
            </span>
            <span className="text-[11px] text-stone-500 dark:text-stone-400">{accessSummary(viewer.permissions.length)}</span>
          </span>
          <ChevronDownIcon className="hidden size-4 sm:block" />
        </>
      }
      header={
        <div className="text-sm">
          <p className="truncate font-medium text-stone-900 dark:text-stone-100">{display}</p>
          <p className="truncate text-xs text-stone-500 dark:text-stone-400">{viewer.email}</p>
          <p className="mt-2.5 text-[11px] font-semibold tracking-wider text-stone-500 uppercase dark:text-stone-400">
            Your permissions
          </p>
          <ul aria-label="Your permissions" className="mt-1 flex flex-col gap-0.5 text-xs text-stone-600 dark:text-stone-300">
            {viewer.permissions.length === 0 && <li>None — ask an admin to give you a role.</li>}
            {viewer.permissions.map((permission) => (
              <li key={permission} className="flex items-center gap-1.5">
                <span aria-hidden="true" className="size-1 rounded-full bg-amber-500" />
                {PERMISSION_LABELS[permission]}
              </li>
            ))}
          </ul>
          {viewer.via === 'token' && <p className="mt-2 text-xs text-amber-700 dark:text-amber-300">Acting through an API token.</p>}
          <p className="mt-2.5 text-xs text-stone-600 dark:text-stone-300" data-testid="time-zone-choice">
            Times shown in {zone === 'utc' ? 'UTC' : `your browser's time, ${describeZone(browserTimeZone())}`}
          </p>
        </div>
      }
      items={[
        zone === 'utc'
          ? { label: `Show times in browser time (${browserTimeZone()})`, icon: <ClockIcon />, onSelect: () => setZoneChoice('browser') }
          : { label: 'Show times in UTC', icon: <ClockIcon />, onSelect: () => setZoneChoice('utc') },
        { label: 'Account and sessions', icon: <ShieldIcon />, onSelect: () => void navigate('/account') },
        ...(viewer.via === 'token' ? [] : [{ label: 'Change password', icon: <KeyIcon />, onSelect: () => setChangingPassword(true) }]),
        'separator',
        { label: 'Sign out', icon: <LogOutIcon />, onSelect: () => void doSignOut() },
      ]}
    />
    </>
  );
}

function accessSummary(count: number): string {
  if (count === 0) return 'No permissions';
  if (count === Object.keys(PERMISSION_LABELS).length) return 'Full access';
  return `${count} permission${count === 1 ? '' : 's'}`;
}

function Avatar({ name }: { name: string }) {
  const initials = name
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
  return (
    <span
      aria-hidden="true"
      className="flex size-7 shrink-0 items-center justify-center rounded-full bg-gradient-to-br from-amber-400 to-orange-500 text-xs font-semibold text-white"
    >
      {initials || '?'}
    </span>
  );
}
