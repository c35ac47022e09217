// The admin app under its Content-Security-Policy: every page loads and works with no violation reported. A
// violation is caught twice: the `securitypolicyviolation` event in the page, and Chromium's console message.
import type { Page } from '@playwright/test';
import { createJob, unique } from './support/api.ts';
import { expect, gql, test } from './support/fixtures.ts';

/** Records the page's CSP violations from its first script on. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test('the admin app is served with a strict Content-Security-Policy', async ({ page }) => {
  const response = await page.request.get('/jobs');
  const policy = response.headers()['content-security-policy'] ?? '';
  for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
    expect(policy).toContain(directive);
  }
  expect(policy).not.toContain('unsafe-inline');
  expect(policy).not.toContain('unsafe-eval');
});

test('every page works under the policy with no violation', async ({ page }) => {
  test.setTimeout(120_000);
  const violations = await watchViolations(page);
  const jobId = await createJob(page, { name: unique('csp job'), action: 'examples.noop', args: {} });
  const started = await gql<{ runJobNow: { run?: { id: string } } }>(
    page,
    'mutation($id: ID!) { runJobNow(id: $id) { ... on MutationRunJobNowSuccess { run { id } } } }',
    { id: jobId },
  );
  const runId = started.runJobNow.run?.id;
  expect(runId).toBeTruthy();

  const pages: [path: string, heading: RegExp][] = [
    ['/jobs', /Jobs/],
    ['/jobs/new', /New job/],
    [`/jobs/${jobId}`, /csp job/],
    [`/jobs/${jobId}/edit`, /Edit/],
    ['/runs', /Runs/],
    [`/runs/${runId}`, /csp job|Run/],
    ['/users', /Users/],
    ['/roles', /Roles/],
    ['/audit', /Audit/],
    ['/tokens', /API tokens/],
    ['/inbox', /Inbox/],
    ['/status', /status/i],
  ];
  for (const [path, heading] of pages) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 }), path).toHaveText(heading);
  }
  // Something interactive: a dialog opens and closes.
  await page.goto('/users');
  await page.getByRole('button', { name: 'New user' }).first().click();
  await expect(page.getByRole('dialog', { name: 'New user' })).toBeVisible();
  await page.keyboard.press('Escape');
  expect(violations).toEqual([]);
});

test.describe('signed out', () => {
  test.use({ signedInAs: null });
  test('the sign-in page works under the policy', async ({ page }) => {
    const violations = await watchViolations(page);
    await page.goto('/sign-in');
    await expect(page.getByLabel('E-mail')).toBeVisible();
    expect(violations).toEqual([]);
  });
});
