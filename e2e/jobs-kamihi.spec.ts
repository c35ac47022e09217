// Kamihi's scheduling tutorial, as a person does it in the browser: create a per-user job for a role with a cron
// schedule and args, run it by hand from the row's menu, open the run, watch its log and its per-user runs.
import { createRole, createUser, unique } from './support/api.ts';
import { expect, test } from './support/fixtures.ts';
import { screenshotBothThemes } from './support/screenshots.ts';

test('create a per-user cron job for a role, run it from the row menu and watch the run', async ({ page }) => {
  test.slow();
  const role = unique('subscribers');
  const roleIdValue = await createRole(page, role);
  await createUser(page, { name: 'Ada Lovelace', email: `${unique('ada')}@example.test`, roleIds: [roleIdValue] });
  await createUser(page, { name: 'Grace Hopper', email: `${unique('grace')}@example.test`, roleIds: [roleIdValue] });
  const jobName = unique('Daily reminder');

  await page.goto('/jobs');
  await expect(page.getByRole('heading', { name: 'Jobs', exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'New job' }).first().click();
  await expect(page).toHaveURL(/\/jobs\/new$/);
  // The form's own heading: until the lazily loaded form renders, the jobs list (whose labels say "name") is shown.
  await expect(page.getByRole('heading', { name: 'New job', exact: true })).toBeVisible();

  await page.getByLabel('Name').fill(jobName);
  await page.getByLabel('Action').selectOption('examples.reminder');
  await expect(page.getByLabel('Action')).toHaveAccessibleDescription(/Sends each targeted user a reminder/);
  await page.getByLabel('message').fill('Hi {{firstName}}, the report is due today');
  await page.getByLabel('Roles').fill(role.slice(0, 8));
  await page.getByRole('option', { name: new RegExp(role) }).click();
  // A pick by mouse closes the list, so it does not cover the fields below.
  await expect(page.getByRole('listbox')).toBeHidden();
  await page.getByLabel('Per user').check();

  await page.getByText('Cron', { exact: true }).click();
  await page.getByRole('button', { name: 'Weekdays at 09:00' }).click();
  await expect(page.getByLabel('Cron expression')).toHaveValue('0 9 * * 1-5');
  const preview = page.getByRole('region', { name: 'Schedule preview' });
  await expect(preview.getByTestId('schedule-preview-description')).toContainText(/Monday through Friday/i);
  await expect(preview.getByRole('list', { name: 'Next runs' }).getByRole('listitem')).toHaveCount(5);
  await screenshotBothThemes(page, 'job-form');

  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByRole('heading', { name: jobName })).toBeVisible();
  await expect(page.getByTestId('schedule-description')).toContainText(/Monday through Friday/i);

  await page.getByRole('link', { name: 'Jobs', exact: true }).first().click();
  const row = page.getByRole('row', { name: `Job ${jobName}` });
  await expect(row).toContainText('examples.reminder');
  await expect(row).toContainText('per user');
  await screenshotBothThemes(page, 'jobs');

  await row.getByRole('button', { name: `Actions for ${jobName}` }).click();
  await page.getByRole('menuitem', { name: 'Run now' }).click();
  const dialog = page.getByRole('dialog', { name: `Run “${jobName}” now` });
  await dialog.getByRole('button', { name: 'Run now' }).click();

  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(page.getByTestId('children-rollup')).toHaveText('2 of 2 succeeded', { timeout: 30_000 });
  await expect(page.getByRole('banner').or(page.locator('h1')).filter({ hasText: jobName }).first()).toBeVisible();
  await expect(page.getByText('Succeeded').first()).toBeVisible();
  const children = page.getByRole('table', { name: 'Per-user runs' });
  await expect(children.getByRole('row')).toHaveCount(3);
  await screenshotBothThemes(page, 'run-per-user');

  // A child run's log: the lines the action wrote for that user.
  await children.getByRole('link', { name: 'For Ada Lovelace' }).click();
  await expect(page.getByTestId('log-line').filter({ hasText: 'would send to Ada Lovelace' })).toBeVisible();
  await expect(page.getByText('Hi Ada, the report is due today').first()).toBeVisible();
  await screenshotBothThemes(page, 'run-child');

  // The dashboard now has something to show; and the pages at tablet width.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByLabel('Runs today')).not.toHaveText('0');
  await screenshotBothThemes(page, 'dashboard-with-runs');
  await page.setViewportSize({ width: 768, height: 1024 });
  // Below the sidebar's width the navigation is behind the Menu button.
  await page.getByRole('button', { name: 'Menu' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await screenshotBothThemes(page, 'tablet-dashboard');
  await page.goto('/jobs');
  await expect(page.getByRole('row', { name: `Job ${jobName}` })).toBeVisible();
  await screenshotBothThemes(page, 'tablet-jobs');
});
