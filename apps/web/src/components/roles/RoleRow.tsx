// One role in the roles table: its name (and whether it is built in), what it is for, its permissions, its member
// count (opens the members), and the menu of what the viewer may do to it (viewerCanEdit / viewerCanDelete).
import { type FragmentType, graphql, useFragment } from '../../gql';
import type { RoleRow_RoleFragmentFragment } from '../../gql/graphql';
import { PERMISSION_LABELS } from '../../lib/permissions';
import { Badge } from '../ui/Badge';
import { Button } from '../ui/Button';
import { DropdownMenu } from '../ui/DropdownMenu';
import { DotsIcon, PencilIcon, TrashIcon, UsersIcon } from '../ui/icons';
import { Td, Tr } from '../ui/Table';

export const RoleRow_RoleFragment = graphql(`
  fragment RoleRow_RoleFragment on Role {
    id
    name
    description
    permissions
    builtIn
    memberCount
    viewerCanEdit
    viewerCanDelete
    ...RoleDialog_RoleFragment
    ...RoleMembersDialog_RoleFragment
  }
`);

/** The row's role as the callbacks get it: its id and name, and what the edit and members dialogs read. */
export type RoleRowRole = RoleRow_RoleFragmentFragment;

export function RoleRow(props: {
  role: FragmentType<typeof RoleRow_RoleFragment>;
  onEdit: (role: RoleRowRole) => void;
  onMembers: (role: RoleRowRole) => void;
  onDelete: (role: RoleRowRole) => void;
}) {
  const role = useFragment(RoleRow_RoleFragment, props.role);
  return (
    <Tr aria-label={`Role ${role.name}`}>
      <Td className="max-w-72">
        <div className="flex items-center gap-2 font-medium">
          {role.name}
          {role.builtIn && <Badge tone="muted">built in</Badge>}
        </div>
        <div className="text-xs text-stone-500 dark:text-stone-400">{role.description}</div>
      </Td>
      <Td>
        <div className="flex max-w-xl flex-wrap gap-1">
          {role.permissions.length === 0 && <span className="text-stone-500 dark:text-stone-400">None</span>}
          {role.permissions.map((permission) => (
            <Badge key={permission} tone="neutral" dot={false}>
              {PERMISSION_LABELS[permission]}
            </Badge>
          ))}
        </div>
      </Td>
      <Td>
        <Button size="sm" variant="ghost" icon={<UsersIcon />} onClick={() => props.onMembers(role)} aria-label={`Members of ${role.name}: ${role.memberCount}`}>
          {role.memberCount}
        </Button>
      </Td>
      <Td className="w-12 text-right">
        {(role.viewerCanEdit || role.viewerCanDelete) && (
          <DropdownMenu
            label={`Actions for ${role.name}`}
            trigger={<DotsIcon className="size-5" />}
            items={[
              ...(role.viewerCanEdit
                ? [
                    { label: 'Edit', icon: <PencilIcon />, onSelect: () => props.onEdit(role) },
                    { label: 'Members', icon: <UsersIcon />, onSelect: () => props.onMembers(role) },
                  ]
                : []),
              {
                label: 'Delete',
                icon: <TrashIcon />,
                tone: 'danger' as const,
                disabledReason: role.builtIn ? 'Built-in roles cannot be deleted.' : role.viewerCanDelete ? null : 'You cannot delete this role.',
                onSelect: () => props.onDelete(role),
              },
            ]}
          />
        )}
      </Td>
    </Tr>
  );
}
