// Users: the people jobs target and who sign in. Everyone who reads jobs sees who they target (names, e-mails);
// attributes, sign-in details and changes are for USERS_MANAGE.
import { ForbiddenError } from '@pothos/plugin-scope-auth';
import type { Prisma } from '../../db/prisma.js';
import type { UserPatch } from '../../services/users.js';
import { builder, type GraphQLContext } from '../builder.js';
import type { AccountThrottle } from '../../services/auth/auth-service.js';
import { anyPermission, batchLoader, can, direction, DOMAIN_ERRORS, isUuid, SortDirectionEnum } from './common.js';
import { RoleRef } from './role.js';

const readsUsers = (_user: unknown, context: GraphQLContext) => can(context, 'JOBS_READ') || can(context, 'USERS_MANAGE');

const SignInThrottle = builder.objectRef<AccountThrottle>('SignInThrottle').implement({
  description:
    'Failed sign-ins at an account in the last 15 minutes. Past auth.sign_in_attempts_per_account, guesses from addresses the ' +
    'account never signed in from must wait (retryAfterSeconds); the account is never locked.',
  fields: (t) => ({
    failedAttempts: t.exposeInt('failedAttempts'),
    retryAfterSeconds: t.exposeInt('retryAfterSeconds', { description: 'How long a guess from a new address must wait now; 0: none.' }),
  }),
});

export const UserRef = builder.prismaObject('User', {
  description: 'A person jobs can target and, with a password, who can sign in.',
  authScopes: readsUsers,
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    active: t.exposeBoolean('active', { description: 'Inactive users are no target and cannot sign in.' }),
    attributes: t.expose('attributes', {
      type: 'JSON',
      authScopes: { permission: 'USERS_MANAGE' },
      description: 'Free-form attributes actions read, e.g. a chat id or a locale.',
    }),
    hasPassword: t.boolean({
      authScopes: { permission: 'USERS_MANAGE' },
      description: 'Whether the user can sign in with a password.',
      select: { passwordHash: true },
      resolve: (user) => user.passwordHash !== null,
    }),
    lastSignInAt: t.expose('lastSignInAt', { type: 'DateTime', nullable: true, authScopes: { permission: 'USERS_MANAGE' } }),
    signInThrottle: t.field({
      type: SignInThrottle,
      authScopes: { permission: 'USERS_MANAGE' },
      description: 'Failed sign-ins at this account and the wait they cause (read for a page of users at once).',
      select: { email: true },
      resolve: async (user, _args, context) => {
        const load = batchLoader(context, 'signInThrottle', (emails) => context.services.auth.signInThrottles(emails));
        return (await load(user.email)) ?? { failedAttempts: 0, retryAfterSeconds: 0 };
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    roles: t.field({
      type: [RoleRef],
      description: 'The roles the user is a member of, by name.',
      select: (_args, _context, nestedSelection) => ({
        roles: { select: { role: nestedSelection(true) }, orderBy: { role: { name: 'asc' } } },
      }),
      resolve: (user) => user.roles.map((membership) => membership.role),
    }),
    viewerCanEdit: t.boolean({ resolve: (_user, _args, context) => can(context, 'USERS_MANAGE') }),
  }),
});

const UserOrderField = builder.enumType('UserOrderField', { values: ['NAME', 'EMAIL', 'CREATED_AT'] as const });
const UserOrder = builder.inputType('UserOrder', {
  fields: (t) => ({
    field: t.field({ type: UserOrderField }),
    direction: t.field({ type: SortDirectionEnum, required: false }),
  }),
});

const UserFilter = builder.inputType('UserFilter', {
  fields: (t) => ({
    search: t.string({ required: false, description: 'Part of the name or e-mail, any case.' }),
    active: t.boolean({ required: false }),
    roleId: t.id({ required: false, description: 'Members of this role.' }),
  }),
});

builder.queryFields((t) => ({
  users: t.prismaConnection({
    type: 'User',
    cursor: 'id',
    maxSize: 200,
    authScopes: anyPermission('JOBS_READ', 'USERS_MANAGE'),
    description: 'Users, by name unless ordered otherwise.',
    args: {
      filter: t.arg({ type: UserFilter, required: false }),
      orderBy: t.arg({ type: UserOrder, required: false }),
    },
    totalCount: (_connection, args, context) => context.prisma.user.count({ where: userWhere(args.filter) }),
    resolve: (query, _root, args, context) => {
      const order = direction(args.orderBy?.direction, 'asc');
      const field = { NAME: 'name', EMAIL: 'email', CREATED_AT: 'createdAt' }[args.orderBy?.field ?? 'NAME'];
      return context.prisma.user.findMany({
        ...query,
        where: userWhere(args.filter),
        orderBy: [{ [field]: order }, { id: order }],
      });
    },
  }),
  user: t.prismaField({
    type: 'User',
    nullable: true,
    authScopes: anyPermission('JOBS_READ', 'USERS_MANAGE'),
    args: { id: t.arg.id() },
    resolve: (query, _root, { id }, context) =>
      isUuid(String(id)) ? context.prisma.user.findUnique({ ...query, where: { id: String(id) } }) : null,
  }),
}));

function userWhere(filter: { search?: string | null; active?: boolean | null; roleId?: string | number | null } | null | undefined): Prisma.UserWhereInput {
  const where: Prisma.UserWhereInput = {};
  const search = filter?.search?.trim();
  if (search) {
    where.OR = [{ name: { contains: search, mode: 'insensitive' } }, { email: { contains: search, mode: 'insensitive' } }];
  }
  if (filter?.active != null) where.active = filter.active;
  if (filter?.roleId != null) where.roles = { some: { roleId: isUuid(String(filter.roleId)) ? String(filter.roleId) : '00000000-0000-0000-0000-000000000000' } };
  return where;
}

// ---- Mutations ----

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    email: t.string(),
    name: t.string(),
    attributes: t.field({ type: 'JSON', required: false, description: 'A JSON object, e.g. {"chatId": 42, "locale": "es"}.' }),
    active: t.boolean({ required: false }),
    password: t.string({ required: false, description: 'Lets the user sign in. Without one the user is a target only.' }),
    roleIds: t.idList({ required: false, description: 'Giving roles also needs ROLES_MANAGE.' }),
  }),
});

const UpdateUserInput = builder.inputType('UpdateUserInput', {
  description: 'Only the fields given change. `password: null` removes the password (no more sign-in).',
  fields: (t) => ({
    email: t.string({ required: false }),
    name: t.string({ required: false }),
    attributes: t.field({ type: 'JSON', required: false }),
    active: t.boolean({ required: false }),
    password: t.string({ required: false }),
    roleIds: t.idList({ required: false, description: 'Replaces the memberships. Needs ROLES_MANAGE too.' }),
  }),
});

interface UserFieldsInput {
  email?: string | null;
  name?: string | null;
  attributes?: unknown;
  active?: boolean | null;
  password?: string | null;
  roleIds?: (string | number)[] | null;
}

/** GraphQL input → service patch: absent stays undefined (unchanged); `password: null` clears it. */
function toPatch(input: UserFieldsInput): UserPatch {
  return {
    ...(input.email != null ? { email: input.email } : {}),
    ...(input.name != null ? { name: input.name } : {}),
    ...(input.attributes != null ? { attributes: input.attributes as Record<string, unknown> } : {}),
    ...(input.active != null ? { active: input.active } : {}),
    ...(input.password !== undefined ? { password: input.password } : {}),
    ...(input.roleIds != null ? { roleIds: input.roleIds.map(String) } : {}),
  };
}

function checkRoleGrant(input: UserFieldsInput, context: GraphQLContext): void {
  // Giving roles gives permissions: without ROLES_MANAGE, a user manager could make anyone (themselves) an admin.
  if (input.roleIds != null && !can(context, 'ROLES_MANAGE')) {
    throw new ForbiddenError('changing role memberships needs the ROLES_MANAGE permission');
  }
}


builder.mutationFields((t) => ({
  createUser: t.field({
    type: UserRef,
    authScopes: { permission: 'USERS_MANAGE' },
    args: { input: t.arg({ type: CreateUserInput }) },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'user' } },
    resolve: async (_root, { input }, context) => {
      checkRoleGrant(input, context);
      const patch = toPatch(input);
      return context.services.users.create({ ...patch, email: input.email, name: input.name });
    },
  }),
  updateUser: t.field({
    type: UserRef,
    authScopes: { permission: 'USERS_MANAGE' },
    args: { id: t.arg.id(), input: t.arg({ type: UpdateUserInput }) },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'user' } },
    resolve: async (_root, { id, input }, context) => {
      checkRoleGrant(input, context);
      return context.services.users.update(String(id), toPatch(input));
    },
  }),
  clearFailedSignIns: t.field({
    type: UserRef,
    authScopes: { permission: 'USERS_MANAGE' },
    description:
      "Forgets the failed sign-ins at a user's account, so guesses from any address need not wait (after a guessing " +
      'attack, or when its owner was slowed down by their own mistakes).',
    args: { id: t.arg.id() },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'user' } },
    resolve: async (_root, { id }, context) => {
      await context.services.auth.clearSignInThrottle(String(id));
      return context.services.users.get(String(id));
    },
  }),
  deleteUser: t.field({
    type: 'ID',
    authScopes: { permission: 'USERS_MANAGE' },
    description: 'Deletes the user, their memberships, sessions and tokens; their runs stay, without them.',
    args: { id: t.arg.id() },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'deletedUserId' } },
    resolve: async (_root, { id }, context) => (await context.services.users.delete(String(id))).id,
  }),
}));
