// `test` for the browser tests: each test's page starts signed in as the first admin (a real sign-in through the
// API, so the HttpOnly cookie lands in the browser context), unless the test says `test.use({ signedInAs: null })`.
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN } from './accounts.ts';

export interface Credentials {
  email: string;
  password: string;
}

/** Signs in through the GraphQL API; the session cookie is stored in the request's browser context. */
export async function signInThroughApi(request: APIRequestContext, { email, password }: Credentials): Promise<void> {
  const response = await request.post('/graphql', {
    data: {
      query: 'mutation SignIn($email: String!, $password: String!) { signIn(email: $email, password: $password) { userId } }',
      variables: { email, password },
    },
  });
  const body = (await response.json()) as { errors?: { message: string }[] };
  if (!response.ok() || body.errors) throw new Error(`sign-in as ${email} failed: ${JSON.stringify(body.errors ?? response.status())}`);
}

/** Runs a GraphQL operation as whoever the page is signed in as; throws on errors. */
export async function gql<T>(page: Page, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await page.request.post('/graphql', { data: { query, variables } });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors ?? response.status())}`);
  return body.data;
}

export const test = base.extend<{ signedInAs: Credentials | null }>({
  signedInAs: [ADMIN, { option: true }],
  page: async ({ page, signedInAs }, use) => {
    if (signedInAs) await signInThroughApi(page.request, signedInAs);
    await use(page);
  },
});

export { expect };
