// Several schedules per job and backfill in the admin app: the form adds a second schedule with its own label and
// args, the preview says which schedule fires each time, the job page lists the next runs naming their schedule;
// a backfill previews a past range's slots and their count, starts one run per slot, and can be cancelled whole.
import { createJob, unique } from './support/api.ts';
import { expect, test } from './support/fixtures.ts';
import { expectNoSeriousAxeViolations } from './app-helpers.ts';

test.use({ timezoneId: 'UTC' });
// Two pages, a lazily loaded form and two axe passes each: more than the default on a busy machine.
test.setTimeout(240_000);

test('a job with two schedules: the form, its preview naming each schedule, and the job page', async ({ page }) => {
  const name = unique('Two schedules');
  await page.goto('/jobs/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New job' })).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Action').selectOption('examples.noop');
  await page.getByText('Cron', { exact: true }).click();
  await page.getByLabel('Cron expression').fill('0 9 * * *');
  await page.getByLabel('Schedule label').fill('Morning');
  await page.getByRole('button', { name: 'Add schedule' }).click();
  await page.getByLabel('Cron expression').nth(1).fill('0 18 * * *');
  await page.getByLabel('Schedule label').nth(1).fill('Evening');
  const together = page.getByRole('list', { name: 'Next runs, all schedules' });
  await expect(together.getByRole('listitem')).toHaveCount(5);
  await expect(together).toContainText('Morning');
  await expect(together).toContainText('Evening');
  await expectNoSeriousAxeViolations(page);
  await page.getByRole('button', { name: 'Create job' }).click();

  await expect(page.getByTestId('schedule-description')).toHaveText('2 schedules');
  const nextRuns = page.getByRole('list', { name: 'Next runs' });
  await expect(nextRuns.getByRole('listitem')).toHaveCount(5);
  await expect(nextRuns).toContainText('Morning');
  await expect(nextRuns).toContainText('Evening');
});

test('backfill: preview a past range, start it; a range in the future is refused at its field', async ({ page }) => {
  const jobId = await createJob(page, {
    name: unique('Backfilled'),
    action: 'examples.noop',
    args: {},
    schedules: [{ label: 'Hourly', kind: 'CRON', cron: '0 * * * *', timezone: 'UTC' }],
  });
  await page.goto(`/jobs/${jobId}`);
  const card = page.getByRole('form', { name: 'Backfill a past range' });
  await card.getByLabel('From').fill('2026-11-02T00:30');
  await card.getByLabel('To').fill('2026-11-02T03:30');
  await card.getByRole('button', { name: 'Preview slots' }).click();
  await expect(page.getByTestId('backfill-count')).toHaveText('3 slots');
  await expect(page.getByRole('list', { name: 'Slots' }).getByRole('listitem')).toHaveCount(3);
  await expectNoSeriousAxeViolations(page);
  await page.getByRole('button', { name: 'Start 3 runs' }).click();
  const backfills = page.getByRole('list', { name: 'Backfills' });
  await expect(backfills).toContainText('3 runs');

  // A range in the future is refused at its field.
  await card.getByLabel('To').fill('2099-01-01T00:00');
  await card.getByRole('button', { name: 'Preview slots' }).click();
  await expect(card.getByLabel('To')).toHaveAccessibleDescription(/must not be in the future/);
});
