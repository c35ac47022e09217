// The form shows the server's messages at their fields: a bad cron as you type, a missing required arg and an
// out-of-range arg (the action's schema) on save, and raw JSON that does not parse. The job's own field rules (the shared job schema)
// are checked before anything is sent, with the same messages.
import { expect, test } from './support/fixtures.ts';
import { unique } from './support/api.ts';
import { screenshotBothThemes } from './support/screenshots.ts';

test('bad cron, missing required arg, bad arg and bad JSON are shown at their fields', async ({ page }) => {
  test.slow();
  await page.goto('/jobs/new');
  await page.getByLabel('Name').fill(unique('Broken'));
  await page.getByLabel('Action').selectOption('examples.reminder');

  // A bad cron: the server's schedule preview says what is wrong while typing.
  await page.getByText('Cron', { exact: true }).click();
  const cron = page.getByLabel('Cron expression');
  await cron.fill('61 * * * *');
  await expect(cron).toHaveAttribute('aria-invalid', 'true');
  await expect(cron).toHaveAccessibleDescription(/minutes are 0-59/);
  await cron.fill('*/5 * * * *');
  await expect(cron).not.toHaveAttribute('aria-invalid', 'true');

  // Retries out of range: the job schema's rule, checked in the browser: nothing is sent.
  const creates: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.postData()?.includes('createJob')) creates.push(request.url());
  });
  const retries = page.getByLabel('Retries');
  await retries.fill('500');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(retries).toHaveAttribute('aria-invalid', 'true');
  await expect(retries).toHaveAccessibleDescription(/must be a whole number from 0 to 100/);
  expect(creates).toEqual([]);
  await retries.fill('');

  // Missing required arg: the action's schema is checked before sending; submitting focuses the field, says why.
  await page.getByRole('button', { name: 'Create job' }).click();
  const message = page.getByLabel('message');
  await expect(message).toBeFocused();
  await expect(message).toHaveAttribute('aria-invalid', 'true');
  await expect(message).toHaveAccessibleDescription(/Message is required/);
  expect(creates).toEqual([]);
  await screenshotBothThemes(page, 'job-form-errors');

  // A bad arg value on another action: out of range, by the action's schema.
  await page.getByLabel('Action').selectOption('examples.noop');
  await page.getByLabel('logLines').fill('5000');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByLabel('logLines')).toHaveAccessibleDescription(/1000/);

  // Raw JSON that does not parse cannot be saved, and says why.
  await page.getByRole('button', { name: 'Edit as raw JSON' }).click();
  const raw = page.getByLabel('Args', { exact: true });
  await raw.fill('{"logLines": ');
  await expect(raw).toHaveAccessibleDescription(/Not valid JSON/);
  await expect(page.getByRole('button', { name: 'Create job' })).toHaveAttribute('aria-disabled', 'true');
  await raw.fill('{"logLines": 2}');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page).toHaveURL(/\/jobs\/[^/]+$/);
});

test('leaving the form with unsaved changes asks first', async ({ page }) => {
  await page.goto('/jobs/new');
  await page.getByLabel('Name').fill('Half-typed');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
  const confirm = page.getByRole('dialog', { name: 'Leave without saving?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(/\/jobs\/new$/);
  // The form's own heading: until the lazily loaded form renders, the jobs list (whose labels say "name") is shown.
  await expect(page.getByRole('heading', { name: 'New job', exact: true })).toBeVisible();
  await expect(page.getByLabel('Name')).toHaveValue('Half-typed');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
  await page.getByRole('dialog', { name: 'Leave without saving?' }).getByRole('button', { name: 'Discard changes' }).click();
  await expect(page).toHaveURL(/\/runs$/);
});
