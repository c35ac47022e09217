// A job's notifications in the browser: choose outcomes and recipients on the job form, see the server's messages
// at the fields, save, see the settings on the job page, edit them again, and after a run see the deliveries (this
// server has no SMTP set up, so the e-mail one is recorded as failed and says why).
import { createRole, createUser, unique } from './support/api.ts';
import { expect, test } from './support/fixtures.ts';
import { screenshotBothThemes } from './support/screenshots.ts';

test('notifications are edited on the job form, shown on the job page, and their deliveries listed', async ({ page }) => {
  test.slow();
  const role = unique('on-call');
  const roleIdValue = await createRole(page, role);
  const person = unique('Nora Notify');
  await createUser(page, { name: person, email: `${unique('nora')}@example.test`, roleIds: [roleIdValue] });
  const jobName = unique('Nightly export');

  await page.goto('/jobs/new');
  await page.getByLabel('Name').fill(jobName);
  await page.getByLabel('Action').selectOption('examples.noop');

  const outcomes = page.getByRole('group', { name: 'Notify when a run…' });
  await outcomes.getByLabel('Fails', { exact: true }).check();
  await outcomes.getByLabel('Is back to normal', { exact: true }).check();
  const emails = page.getByLabel('E-mail addresses');
  const webhooks = page.getByLabel('Webhook URLs');
  await emails.fill('ops@example.com\nnot-an-address');
  await webhooks.fill('ftp://files.example.com/drop');
  await page.getByLabel('People to notify').fill(person.slice(0, 10));
  await page.getByRole('option', { name: new RegExp(person) }).click();
  await page.getByLabel('Notify role members').fill(role.slice(0, 8));
  await page.getByRole('option', { name: new RegExp(role) }).click();
  await page.getByLabel('Notify role members').press('Escape');

  // The server refuses, and says what is wrong at each field.
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The job was not saved' })).toBeVisible();
  await expect(emails).toHaveAttribute('aria-invalid', 'true');
  await expect(emails).toHaveAccessibleDescription(/"not-an-address"/);
  await expect(webhooks).toHaveAccessibleDescription(/only https:\/\/ and http:\/\//);
  await screenshotBothThemes(page, 'job-form-notifications-errors');

  await emails.fill('ops@example.com');
  await webhooks.fill('https://hooks.example.com/sundial');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByRole('heading', { name: jobName })).toBeVisible();

  const jobUrl = page.url();
  const card = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Notifications', exact: true }) });
  await expect(card.getByTestId('notify-on')).toHaveText('fails, is back to normal');
  for (const recipient of ['ops@example.com', person, `role: ${role}`, 'hooks.example.com/sundial']) {
    await expect(card.getByText(recipient, { exact: true })).toBeVisible();
  }

  // Edit: the form shows what was saved; change the outcomes.
  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByLabel('Fails', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Is back to normal', { exact: true })).toBeChecked();
  await expect(page.getByLabel('E-mail addresses')).toHaveValue('ops@example.com');
  await expect(page.getByLabel('Webhook URLs')).toHaveValue('https://hooks.example.com/sundial');
  await page.getByLabel('Fails', { exact: true }).uncheck();
  await page.getByLabel('Succeeds', { exact: true }).check();
  await screenshotBothThemes(page, 'job-form-notifications');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { name: jobName })).toBeVisible();
  await expect(card.getByTestId('notify-on')).toHaveText('succeeds, is back to normal');

  // A run succeeds: its e-mail is recorded as failed (no SMTP on this server), with the reason, on the job page.
  await page.getByRole('button', { name: 'Run now' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Run now' }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await page.goto(jobUrl);
  const deliveries = page.getByRole('list', { name: 'Latest notification deliveries' });
  const email = deliveries.getByRole('listitem').filter({ hasText: 'ops@example.com' });
  await expect(email).toContainText('Failed', { timeout: 30_000 });
  await expect(email).toContainText('notifications.smtp.host');
  await screenshotBothThemes(page, 'job-notifications');
});
