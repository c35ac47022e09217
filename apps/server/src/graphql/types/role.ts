// Roles: groups of users that carry permissions and that jobs can target.
import type { Permission } from '../../db/prisma.js';
import { builder, type GraphQLContext } from '../builder.js';
import { anyPermission, can, direction, DOMAIN_ERRORS, isUuid, SortDirectionEnum } from './common.js';
import { PermissionEnum } from './viewer.js';

const readsRoles = (_role: unknown, context: GraphQLContext) =>
  can(context, 'JOBS_READ') || can(context, 'USERS_MANAGE') || can(context, 'ROLES_MANAGE');

export const RoleRef = builder.prismaObject('Role', {
  description: 'A group of users. Carries permissions; jobs can target its members.',
  authScopes: readsRoles,
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    permissions: t.field({ type: [PermissionEnum], resolve: (role) => role.permissions }),
    builtIn: t.exposeBoolean('builtIn', { description: 'admin, operator and viewer: they keep their names and cannot be deleted.' }),
    memberCount: t.relationCount('members'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    viewerCanEdit: t.boolean({ resolve: (_role, _args, context) => can(context, 'ROLES_MANAGE') }),
    viewerCanDelete: t.boolean({ resolve: (role, _args, context) => can(context, 'ROLES_MANAGE') && !role.builtIn }),
  }),
});

const RoleOrderField = builder.enumType('RoleOrderField', { values: ['NAME', 'CREATED_AT'] as const });
const RoleOrder = builder.inputType('RoleOrder', {
  fields: (t) => ({
    field: t.field({ type: RoleOrderField }),
    direction: t.field({ type: SortDirectionEnum, required: false }),
  }),
});

builder.queryFields((t) => ({
  roles: t.prismaConnection({
    type: 'Role',
    cursor: 'id',
    maxSize: 200,
    authScopes: anyPermission('JOBS_READ', 'USERS_MANAGE', 'ROLES_MANAGE'),
    description: 'Roles, by name unless ordered otherwise. Members: `users(filter: {roleId})`.',
    args: {
      search: t.arg.string({ required: false, description: 'Part of the name, any case.' }),
      orderBy: t.arg({ type: RoleOrder, required: false }),
    },
    totalCount: (_connection, args, context) => context.prisma.role.count({ where: roleWhere(args.search) }),
    resolve: (query, _root, args, context) => {
      const order = direction(args.orderBy?.direction, 'asc');
      const field = args.orderBy?.field === 'CREATED_AT' ? 'createdAt' : 'name';
      return context.prisma.role.findMany({ ...query, where: roleWhere(args.search), orderBy: [{ [field]: order }, { id: order }] });
    },
  }),
  role: t.prismaField({
    type: 'Role',
    nullable: true,
    authScopes: anyPermission('JOBS_READ', 'USERS_MANAGE', 'ROLES_MANAGE'),
    args: { id: t.arg.id() },
    resolve: (query, _root, { id }, context) =>
      isUuid(String(id)) ? context.prisma.role.findUnique({ ...query, where: { id: String(id) } }) : null,
  }),
}));

function roleWhere(search: string | null | undefined) {
  const text = search?.trim();
  return text ? { name: { contains: text, mode: 'insensitive' as const } } : {};
}

// ---- Mutations ----

const CreateRoleInput = builder.inputType('CreateRoleInput', {
  fields: (t) => ({
    name: t.string(),
    description: t.string({ required: false }),
    permissions: t.field({ type: [PermissionEnum], required: false }),
  }),
});

const UpdateRoleInput = builder.inputType('UpdateRoleInput', {
  description: 'Only the fields given change.',
  fields: (t) => ({
    name: t.string({ required: false }),
    description: t.string({ required: false }),
    permissions: t.field({ type: [PermissionEnum], required: false }),
  }),
});


builder.mutationFields((t) => ({
  createRole: t.field({
    type: RoleRef,
    authScopes: { permission: 'ROLES_MANAGE' },
    args: { input: t.arg({ type: CreateRoleInput }) },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'role' } },
    resolve: (_root, { input }, context) =>
      context.services.roles.create({
        name: input.name,
        description: input.description ?? '',
        permissions: (input.permissions ?? []) as Permission[],
      }),
  }),
  updateRole: t.field({
    type: RoleRef,
    authScopes: { permission: 'ROLES_MANAGE' },
    args: { id: t.arg.id(), input: t.arg({ type: UpdateRoleInput }) },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'role' } },
    resolve: (_root, { id, input }, context) =>
      context.services.roles.update(String(id), {
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.description != null ? { description: input.description } : {}),
        ...(input.permissions != null ? { permissions: input.permissions as Permission[] } : {}),
      }),
  }),
  deleteRole: t.field({
    type: 'ID',
    authScopes: { permission: 'ROLES_MANAGE' },
    description: 'Deletes a role that is not built in; its members lose its permissions, jobs stop targeting it.',
    args: { id: t.arg.id() },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'deletedRoleId' } },
    resolve: async (_root, { id }, context) => (await context.services.roles.delete(String(id))).id,
  }),
  addRoleMembers: t.field({
    type: RoleRef,
    authScopes: { permission: 'ROLES_MANAGE' },
    args: { roleId: t.arg.id(), userIds: t.arg.idList() },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'role' } },
    resolve: (_root, { roleId, userIds }, context) => context.services.roles.addMembers(String(roleId), userIds.map(String)),
  }),
  removeRoleMembers: t.field({
    type: RoleRef,
    authScopes: { permission: 'ROLES_MANAGE' },
    args: { roleId: t.arg.id(), userIds: t.arg.idList() },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'role' } },
    resolve: (_root, { roleId, userIds }, context) => context.services.roles.removeMembers(String(roleId), userIds.map(String)),
  }),
}));
