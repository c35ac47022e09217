// InvenioRDM's jobs flow: a job on an interval, "Configure and run" with a title, args override and since, then
// pause it.
import { expect, test } from './support/fixtures.ts';
import { unique } from './support/api.ts';
import { screenshotBothThemes } from './support/screenshots.ts';

test('schedule by interval, configure and run with title, args override and since, then pause', async ({ page }) => {
  test.slow();
  const jobName = unique('Import records');
  await page.goto('/jobs/new');
  await page.getByLabel('Name').fill(jobName);
  await page.getByLabel('Description').fill('Pulls new records from the registry');
  await page.getByLabel('Action').selectOption('examples.noop');
  await page.getByText('Interval', { exact: true }).click();
  await page.getByRole('spinbutton', { name: /^Every/ }).fill('10');
  await page.getByLabel('Unit').selectOption('minutes');
  await expect(page.getByTestId('schedule-preview-description')).toContainText(/10 minutes/i);
  await page.getByRole('button', { name: 'Create job' }).click();

  await expect(page.getByRole('heading', { name: jobName })).toBeVisible();
  await expect(page.getByTestId('schedule-description')).toContainText(/10 minutes/i);
  await expect(page.getByText('No runs yet')).toBeVisible();
  await screenshotBothThemes(page, 'job');

  await page.getByRole('button', { name: 'Run now' }).click();
  const dialog = page.getByRole('dialog', { name: `Run “${jobName}” now` });
  await dialog.getByLabel('Title').fill('Backfill after the outage');
  await dialog.getByLabel('Args override').fill('{"logLines": 3}');
  await dialog.getByLabel('Since').fill('2026-01-01T00:00');
  await screenshotBothThemes(page, 'run-now-dialog');
  await dialog.getByRole('button', { name: 'Run now' }).click();

  await expect(page.getByRole('heading', { name: 'Backfill after the outage' })).toBeVisible();
  await expect(page.getByText('"logLines": 3')).toBeVisible();
  // Since, read in the zone the Since field named (the browser's: UTC here), shown with that zone.
  await expect(page.getByText('Jan 1, 2026, 00:00:00 UTC')).toBeVisible();
  await expect(page.getByTestId('log-line')).toHaveCount(3);
  await expect(page.getByTestId('log-line').last()).toContainText('noop line 3');
  await expect(page.locator('h1 + span, h1 ~ *').getByText('Succeeded').first()).toBeVisible();
  await screenshotBothThemes(page, 'run');

  // Back on the job: the run is listed, then pause.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: jobName }).click();
  await expect(page.getByRole('row', { name: 'Run Backfill after the outage' })).toContainText('Succeeded');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByText('Paused', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();

  await page.goto('/jobs');
  await expect(page.getByRole('switch', { name: `${jobName} enabled` })).toHaveAttribute('aria-checked', 'false');
  // And resume from the list's toggle.
  await page.getByRole('switch', { name: `${jobName} enabled` }).click();
  await expect(page.getByRole('switch', { name: `${jobName} enabled` })).toHaveAttribute('aria-checked', 'true');
});
