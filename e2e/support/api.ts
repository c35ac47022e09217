// Setting the scene through the GraphQL API (as the signed-in page's user): users and roles the flows need.
// The flows under test themselves go through the browser.
import type { Page } from '@playwright/test';
import { gql } from './fixtures.ts';

export async function roleId(page: Page, name: string): Promise<string> {
  const data = await gql<{ roles: { edges: { node: { id: string; name: string } }[] } }>(page, '{ roles(first: 200) { edges { node { id name } } } }');
  const role = data.roles.edges.find((edge) => edge.node.name === name);
  if (!role) throw new Error(`no role named ${name}`);
  return role.node.id;
}

export async function createRole(page: Page, name: string, permissions: string[] = ['JOBS_READ']): Promise<string> {
  const data = await gql<{ createRole: { __typename: string; role?: { id: string }; message?: string } }>(
    page,
    `mutation($input: CreateRoleInput!) { createRole(input: $input) { __typename ... on MutationCreateRoleSuccess { role { id } } ... on Error { message } } }`,
    { input: { name, description: `${name} (browser test)`, permissions } },
  );
  if (!data.createRole.role) throw new Error(`createRole ${name}: ${data.createRole.message}`);
  return data.createRole.role.id;
}

export async function createUser(
  page: Page,
  input: { name: string; email: string; password?: string; roleIds?: string[]; attributes?: Record<string, unknown> },
): Promise<string> {
  const data = await gql<{ createUser: { __typename: string; user?: { id: string }; message?: string } }>(
    page,
    `mutation($input: CreateUserInput!) { createUser(input: $input) { __typename ... on MutationCreateUserSuccess { user { id } } ... on Error { message } } }`,
    { input },
  );
  if (!data.createUser.user) throw new Error(`createUser ${input.email}: ${data.createUser.message}`);
  return data.createUser.user.id;
}

export async function createJob(page: Page, input: Record<string, unknown>): Promise<string> {
  const data = await gql<{ createJob: { __typename: string; job?: { id: string }; message?: string } }>(
    page,
    `mutation($input: CreateJobInput!) { createJob(input: $input) { __typename ... on MutationCreateJobSuccess { job { id } } ... on Error { message } } }`,
    { input },
  );
  if (!data.createJob.job) throw new Error(`createJob: ${data.createJob.message}`);
  return data.createJob.job.id;
}

/** A name no other test in this run uses (the server and its database are shared by the whole run). */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}
