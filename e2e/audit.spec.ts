// The audit log in the browser: an admin's mutations show up with their outcome and redacted details, filters
// narrow the list and live in the URL, and a viewer (no AUDIT_READ) has no way in.
import { randomUUID } from 'node:crypto';
import { createJob, createUser, roleId, unique } from './support/api.ts';
import { expect, signInThroughApi, test } from './support/fixtures.ts';
import { screenshotBothThemes } from './support/screenshots.ts';

const PASSWORD = 'a long enough password';

test('an admin sees the events of their mutations and filters them by outcome', async ({ page }) => {
  const jobName = unique('Audited job');
  const jobId = await createJob(page, { name: jobName, action: 'examples.noop', args: {} });

  // A mutation done in the browser: pausing the job from its row.
  await page.goto(`/jobs?q=${encodeURIComponent(jobName)}`);
  const toggle = page.getByRole('row', { name: `Job ${jobName}` }).getByRole('switch', { name: `${jobName} enabled` });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  // And one the server refuses: revoking a token that does not exist.
  const missingTokenId = randomUUID();
  const refused = await page.request.post('/graphql', {
    data: { query: 'mutation($id: ID!) { revokeApiToken(id: $id) { id } }', variables: { id: missingTokenId } },
  });
  expect(((await refused.json()) as { errors?: unknown[] }).errors).toBeTruthy();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await page.getByLabel('Target id').fill(jobId);
  await expect(page).toHaveURL(new RegExp(`targetId=${jobId}`));
  const table = page.getByRole('table', { name: 'Audit events' });
  const created = table.getByRole('row', { name: 'Audit event createJob by admin@sundial.test' });
  const paused = table.getByRole('row', { name: 'Audit event disableJob by admin@sundial.test' });
  await expect(created).toContainText('Succeeded');
  await expect(created).toContainText(jobId);
  await expect(paused).toContainText('Succeeded');
  await expect(page.getByRole('navigation', { name: 'Pagination' })).toContainText('1–2 of 2 events');

  // Details open below the row as pretty JSON.
  await created.getByRole('button', { name: 'Show details' }).click();
  const details = page.getByLabel('Details of createJob');
  await expect(details).toContainText(jobName);
  await expect(details).toContainText('\n  ');
  // The "Job paused" toast would cover the details in the screenshot.
  for (const dismiss of await page.getByRole('button', { name: 'Dismiss notification' }).all()) await dismiss.click();
  await screenshotBothThemes(page, 'audit');
  await created.getByRole('button', { name: 'Hide details' }).click();
  await expect(details).toBeHidden();

  // Filter by outcome: the job's events all succeeded; the refused revocation is there, and only failures are left.
  await page.getByLabel('Outcome').selectOption('FAILURE');
  await expect(page).toHaveURL(/outcome=FAILURE/);
  await expect(page.getByText('No event matches these filters')).toBeVisible();
  await page.getByLabel('Target id').fill(missingTokenId);
  const failed = table.getByRole('row', { name: 'Audit event revokeApiToken by admin@sundial.test' });
  await expect(failed).toContainText('Failed');
  await expect(failed).toContainText('api_token');
  await page.reload();
  await expect(page.getByLabel('Outcome')).toHaveValue('FAILURE');
  await expect(page.getByLabel('Target id')).toHaveValue(missingTokenId);
  await expect(failed).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Pagination' })).toContainText('1–1 of 1 events');
  await page.getByLabel('Target id').fill('');
  await expect(page).not.toHaveURL(/targetId=/);
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  await expect(table.getByText('Succeeded')).toHaveCount(0);

  // A filter nothing matches says so and offers a way back.
  await page.getByLabel('Action').fill('noSuchMutation');
  await expect(page.getByText('No event matches these filters')).toBeVisible();
  await screenshotBothThemes(page, 'audit-empty-filter');
  await page.getByRole('button', { name: 'Clear the filters' }).last().click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByLabel('Target id')).toHaveValue('');
  await expect(table.getByRole('row').nth(1)).toBeVisible();
});

test('the audit log reads its filters from the URL: an unknown value falls back, a valid one applies', async ({ page }) => {
  const jobId = await createJob(page, { name: unique('URL-filtered job'), action: 'examples.noop', args: {} });
  const table = page.getByRole('table', { name: 'Audit events' });
  const created = table.getByRole('row', { name: 'Audit event createJob by admin@sundial.test' });

  // An outcome and a target type the page does not know are their defaults (any), not sent to the server; the
  // target id beside them still narrows the list to this job's one event.
  await page.goto(`/audit?targetId=${jobId}&outcome=NOT_AN_OUTCOME&targetType=planet&from=yesterday`);
  await expect(page.getByLabel('Outcome')).toHaveValue('');
  await expect(page.getByLabel('Target type')).toHaveValue('');
  await expect(page.getByLabel('From')).toHaveValue('');
  await expect(page.getByLabel('Target id')).toHaveValue(jobId);
  await expect(created).toContainText(jobId);
  await expect(page.getByRole('navigation', { name: 'Pagination' })).toContainText('1–1 of 1 events');

  // A valid outcome in the URL is applied: the job's creation succeeded, so no failure matches.
  await page.goto(`/audit?targetId=${jobId}&outcome=FAILURE&targetType=job`);
  await expect(page.getByLabel('Outcome')).toHaveValue('FAILURE');
  await expect(page.getByLabel('Target type')).toHaveValue('job');
  await expect(page.getByText('No event matches these filters')).toBeVisible();
  await page.goto(`/audit?targetId=${jobId}&outcome=SUCCESS&targetType=job`);
  await expect(created).toContainText('Succeeded');
});

test('a viewer has no audit log in the navigation and cannot open it', async ({ page, browser }) => {
  const email = `${unique('auditless')}@example.test`;
  await createUser(page, { name: 'Ava Auditless', email, password: PASSWORD, roleIds: [await roleId(page, 'viewer')] });

  const context = await browser.newContext();
  await signInThroughApi(context.request, { email, password: PASSWORD });
  const viewer = await context.newPage();
  await viewer.goto('/');
  await expect(viewer.getByTestId('viewer-name')).toHaveText('Ava Auditless');
  await expect(viewer.getByRole('navigation', { name: 'Main' }).getByText('Audit log', { exact: true })).toHaveCount(0);
  await viewer.goto('/audit');
  await expect(viewer.getByText('You cannot open this page')).toBeVisible();
  await expect(viewer.getByText(/Read the audit log/)).toBeVisible();
  await context.close();
});
