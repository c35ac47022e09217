// Roles in the browser: a viewer sees jobs but cannot run or change them and sees no admin pages; an operator
// runs jobs but cannot open users. Permissions come from the server.
import { createJob, createUser, roleId, unique } from './support/api.ts';
import { expect, signInThroughApi, test } from './support/fixtures.ts';
import { screenshotBothThemes } from './support/screenshots.ts';

const PASSWORD = 'a long enough password';

test('a viewer sees jobs but no Run now, no editing and no admin navigation', async ({ page, browser }) => {
  const email = `${unique('viewer')}@example.test`;
  await createUser(page, { name: 'Vera Viewer', email, password: PASSWORD, roleIds: [await roleId(page, 'viewer')] });
  const jobName = unique('Viewed job');
  const jobId = await createJob(page, { name: jobName, action: 'examples.noop', args: {} });

  const context = await browser.newContext();
  await signInThroughApi(context.request, { email, password: PASSWORD });
  const viewer = await context.newPage();
  // Searched for: other specs' jobs may fill the first page.
  await viewer.goto(`/jobs?q=${encodeURIComponent(jobName)}`);
  await expect(viewer.getByTestId('viewer-name')).toHaveText('Vera Viewer');
  const nav = viewer.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Jobs' })).toBeVisible();
  for (const admin of ['Users', 'Roles', 'API tokens']) await expect(nav.getByText(admin, { exact: true })).toHaveCount(0);

  const row = viewer.getByRole('row', { name: `Job ${jobName}` });
  await expect(row).toBeVisible();
  await expect(row.getByRole('button', { name: `Actions for ${jobName}` })).toHaveCount(0);
  await expect(row.getByRole('switch')).toHaveAttribute('aria-disabled', 'true');
  const newJob = viewer.getByRole('button', { name: 'New job' });
  await expect(newJob).toHaveAttribute('aria-disabled', 'true');
  await expect(newJob).toHaveAccessibleDescription(/Create and edit jobs/);
  await screenshotBothThemes(viewer, 'jobs-viewer');

  await viewer.goto(`/jobs/${jobId}`);
  await expect(viewer.getByRole('heading', { name: jobName })).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Run now' })).toHaveCount(0);
  await expect(viewer.getByRole('link', { name: 'Edit' })).toHaveCount(0);

  await viewer.goto('/tokens');
  await expect(viewer.getByText('You cannot open this page')).toBeVisible();
  await context.close();
});

test('an operator runs jobs but cannot open users', async ({ page, browser }) => {
  const email = `${unique('operator')}@example.test`;
  await createUser(page, { name: 'Otto Operator', email, password: PASSWORD, roleIds: [await roleId(page, 'operator')] });
  const jobName = unique('Operated job');
  await createJob(page, { name: jobName, action: 'examples.noop', args: {} });

  const context = await browser.newContext();
  await signInThroughApi(context.request, { email, password: PASSWORD });
  const operator = await context.newPage();
  await operator.goto('/users');
  await expect(operator.getByText('You cannot open this page')).toBeVisible();
  await expect(operator.getByText(/Manage users/)).toBeVisible();
  await expect(operator.getByRole('navigation', { name: 'Main' }).getByText('Users', { exact: true })).toHaveCount(0);
  await screenshotBothThemes(operator, 'forbidden');

  await operator.goto(`/jobs?q=${encodeURIComponent(jobName)}`);
  await operator.getByRole('row', { name: `Job ${jobName}` }).getByRole('button', { name: `Actions for ${jobName}` }).click();
  await expect(operator.getByRole('menuitem', { name: 'Run now' })).toBeVisible();
  await expect(operator.getByRole('menuitem', { name: 'Edit' })).toBeVisible();
  await context.close();
});
