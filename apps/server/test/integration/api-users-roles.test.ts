// Users and roles over the real HTTP API: CRUD, attributes, passwords (hashed by auth), memberships, the built-in
// roles' protections, the never-lock-yourself-out rule, and who may see and change what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/services/auth/passwords.js';
import { startTestApi, type TestApi } from '../support/api.js';

const USER_RESULT = /* GraphQL */ `
  __typename
  ... on ValidationError { fieldErrors { field message } }
  ... on ConflictError { message }
  ... on NotFoundError { entity }
`;

interface UserResult {
  __typename: string;
  user?: { id: string; email: string; name: string; active: boolean; attributes: Record<string, unknown>; hasPassword: boolean; roles: { name: string }[] };
  fieldErrors?: { field: string; message: string }[];
  message?: string;
}

describe('users and roles API', () => {
  let api: TestApi;
  let roleIds: Record<string, string>;

  beforeAll(async () => {
    api = await startTestApi();
    const roles = await api.app.database.prisma.role.findMany();
    roleIds = Object.fromEntries(roles.map((role) => [role.name, role.id]));
  });
  afterAll(() => api?.close());

  const createUser = (input: Record<string, unknown>, token?: string) =>
    api.gql<{ createUser: UserResult }>(
      /* GraphQL */ `mutation C($input: CreateUserInput!) { createUser(input: $input) {
        ${USER_RESULT} ... on MutationCreateUserSuccess { user { id email name active attributes hasPassword roles { name } } } } }`,
      { input },
      token ? { token } : undefined,
    );
  const updateUser = (id: string, input: Record<string, unknown>, token?: string) =>
    api.gql<{ updateUser: UserResult }>(
      /* GraphQL */ `mutation U($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) {
        ${USER_RESULT} ... on MutationUpdateUserSuccess { user { id email name active attributes hasPassword roles { name } } } } }`,
      { id, input },
      token ? { token } : undefined,
    );

  it('creates a user with attributes, a password and roles; e-mails are one per person, any case', async () => {
    const created = await createUser({
      email: 'Maria@Example.com',
      name: 'María',
      attributes: { chatId: 42, locale: 'es' },
      password: 'a long enough password',
      roleIds: [roleIds.operator],
    });
    expect(created.data!.createUser).toMatchObject({
      __typename: 'MutationCreateUserSuccess',
      user: { email: 'maria@example.com', name: 'María', active: true, attributes: { chatId: 42, locale: 'es' }, hasPassword: true, roles: [{ name: 'operator' }] },
    });
    const stored = await api.app.database.prisma.user.findUniqueOrThrow({ where: { email: 'maria@example.com' } });
    expect(stored.passwordHash).not.toContain('a long enough password');
    expect(await verifyPassword(stored.passwordHash!, 'a long enough password')).toBe(true);

    const duplicate = await createUser({ email: 'MARIA@example.com', name: 'Other', password: 'short', attributes: [1] });
    expect(duplicate.data!.createUser.__typename).toBe('ValidationError');
    expect(duplicate.data!.createUser.fieldErrors!.map((error) => error.field).sort()).toEqual(['attributes', 'email', 'password']);
  });

  it('updates only what is given, clears a password with null, deactivates, and deletes', async () => {
    const user = (await createUser({ email: 'target@example.com', name: 'Target only' })).data!.createUser.user!;
    expect(user.hasPassword).toBe(false);
    const renamed = (await updateUser(user.id, { name: 'Renamed', attributes: { chatId: 7 }, password: 'now can sign in' })).data!.updateUser;
    expect(renamed.user).toMatchObject({ email: 'target@example.com', name: 'Renamed', attributes: { chatId: 7 }, hasPassword: true });
    const cleared = (await updateUser(user.id, { password: null, active: false })).data!.updateUser;
    expect(cleared.user).toMatchObject({ hasPassword: false, active: false, name: 'Renamed' });

    const deleted = await api.gql<{ deleteUser: { __typename: string; deletedUserId?: string } }>(
      /* GraphQL */ `mutation D($id: ID!) { deleteUser(id: $id) { __typename ... on MutationDeleteUserSuccess { deletedUserId } } }`,
      { id: user.id },
    );
    expect(deleted.data!.deleteUser).toEqual({ __typename: 'MutationDeleteUserSuccess', deletedUserId: user.id });
    const missing = (await updateUser(user.id, { name: 'ghost' })).data!.updateUser;
    expect(missing.__typename).toBe('NotFoundError');
  });

  it('manages roles: create, rename, permissions, members; built-in roles keep their names and stay', async () => {
    const ROLE = /* GraphQL */ `__typename ... on ValidationError { fieldErrors { field message } } ... on ConflictError { message }`;
    const created = await api.gql<{ createRole: { __typename: string; role?: { id: string; name: string; permissions: string[]; builtIn: boolean; memberCount: number } } }>(
      /* GraphQL */ `mutation { createRole(input: { name: "reporters", description: "Read and run", permissions: [RUNS_EXECUTE, JOBS_READ, JOBS_READ] }) {
        ${ROLE} ... on MutationCreateRoleSuccess { role { id name permissions builtIn memberCount } } } }`,
    );
    const role = created.data!.createRole.role!;
    expect(role).toMatchObject({ name: 'reporters', permissions: ['JOBS_READ', 'RUNS_EXECUTE'], builtIn: false, memberCount: 0 });

    const taken = await api.gql<{ createRole: { __typename: string; fieldErrors?: { field: string }[] } }>(
      /* GraphQL */ `mutation { createRole(input: { name: "reporters" }) { ${ROLE} } }`,
    );
    expect(taken.data!.createRole.fieldErrors!.map((error) => error.field)).toEqual(['name']);

    const users = await api.app.database.prisma.user.createManyAndReturn({
      data: [{ email: 'r1@example.com', name: 'R1' }, { email: 'r2@example.com', name: 'R2' }],
    });
    const added = await api.gql<{ addRoleMembers: { role: { memberCount: number } } }>(
      /* GraphQL */ `mutation A($role: ID!, $users: [ID!]!) { addRoleMembers(roleId: $role, userIds: $users) {
        ... on MutationAddRoleMembersSuccess { role { memberCount } } } }`,
      { role: role.id, users: [users[0]!.id, users[1]!.id, users[0]!.id] },
    );
    expect(added.data!.addRoleMembers.role.memberCount).toBe(2);
    const members = await api.gql<{ users: { totalCount: number; edges: { node: { email: string; roles: { name: string }[] } }[] } }>(
      /* GraphQL */ `query M($role: ID!) { users(filter: { roleId: $role }) { totalCount edges { node { email roles { name } } } } }`,
      { role: role.id },
    );
    expect(members.data!.users.edges.map((edge) => edge.node.email)).toEqual(['r1@example.com', 'r2@example.com']);
    const removed = await api.gql<{ removeRoleMembers: { role: { memberCount: number } } }>(
      /* GraphQL */ `mutation R($role: ID!, $users: [ID!]!) { removeRoleMembers(roleId: $role, userIds: $users) {
        ... on MutationRemoveRoleMembersSuccess { role { memberCount } } } }`,
      { role: role.id, users: [users[0]!.id] },
    );
    expect(removed.data!.removeRoleMembers.role.memberCount).toBe(1);

    const renameBuiltIn = await api.gql<{ updateRole: { __typename: string; fieldErrors?: { field: string }[] } }>(
      /* GraphQL */ `mutation R($id: ID!) { updateRole(id: $id, input: { name: "boss" }) { ${ROLE} } }`,
      { id: roleIds.viewer },
    );
    expect(renameBuiltIn.data!.updateRole.fieldErrors!.map((error) => error.field)).toEqual(['name']);
    const deleteBuiltIn = await api.gql<{ deleteRole: { __typename: string; message?: string } }>(
      /* GraphQL */ `mutation D($id: ID!) { deleteRole(id: $id) { ${ROLE} } }`,
      { id: roleIds.viewer },
    );
    expect(deleteBuiltIn.data!.deleteRole).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('built-in') });
    const deleteCustom = await api.gql<{ deleteRole: { __typename: string } }>(
      /* GraphQL */ `mutation D($id: ID!) { deleteRole(id: $id) { ${ROLE} } }`,
      { id: role.id },
    );
    expect(deleteCustom.data!.deleteRole.__typename).toBe('MutationDeleteRoleSuccess');
  });

  it('never leaves the install without someone who can manage users and roles', async () => {
    const admin = await api.app.database.prisma.user.findUniqueOrThrow({ where: { email: 'admin@example.com' } });
    const deactivate = (await updateUser(admin.id, { active: false })).data!.updateUser;
    expect(deactivate).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('manage users and roles') });
    const strip = await api.gql<{ updateRole: { __typename: string } }>(
      /* GraphQL */ `mutation R($id: ID!) { updateRole(id: $id, input: { permissions: [JOBS_READ] }) { __typename } }`,
      { id: roleIds.admin },
    );
    expect(strip.data!.updateRole.__typename).toBe('ConflictError');
    // Nothing changed.
    const after = await api.app.database.prisma.user.findUniqueOrThrow({ where: { id: admin.id }, include: { roles: { include: { role: true } } } });
    expect(after.active).toBe(true);
    expect(after.roles[0]!.role.permissions).toContain('USERS_MANAGE');
  });

  it('shows readers who jobs target but not attributes, and refuses their changes; role grants need ROLES_MANAGE', async () => {
    const viewer = await api.tokenWith(['JOBS_READ']);
    const listed = await api.gql<{ users: { edges: { node: { email: string } }[] } }>(
      /* GraphQL */ `{ users(first: 100) { edges { node { email name active viewerCanEdit } } } }`,
      {},
      { token: viewer },
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.users.edges.length).toBeGreaterThan(0);
    const secret = await api.gql(/* GraphQL */ `{ users(first: 1) { edges { node { attributes } } } }`, {}, { token: viewer });
    expect(secret.errors?.[0]?.message).toMatch(/not authorized/i);
    const refused = await createUser({ email: 'nope@example.com', name: 'Nope' }, viewer);
    expect(refused.errors?.[0]?.message).toMatch(/not authorized/i);
    expect(await api.app.database.prisma.user.count({ where: { email: 'nope@example.com' } })).toBe(0);

    const userManager = await api.tokenWith(['USERS_MANAGE', 'JOBS_READ']);
    const plain = await createUser({ email: 'plain@example.com', name: 'Plain' }, userManager);
    expect(plain.data!.createUser.__typename).toBe('MutationCreateUserSuccess');
    const escalate = await updateUser(plain.data!.createUser.user!.id, { roleIds: [roleIds.admin] }, userManager);
    expect(escalate.errors?.[0]?.message).toMatch(/ROLES_MANAGE|not authorized/);
    const stored = await api.app.database.prisma.userRole.count({ where: { userId: plain.data!.createUser.user!.id } });
    expect(stored).toBe(0);
  });
});
