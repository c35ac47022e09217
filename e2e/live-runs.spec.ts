// Live everywhere (issue 18, items 1 and 5): a running run's duration ticks and its progress moves on its page and
// in the runs lists without a reload; the jobs list follows new jobs and their runs; a cancel ends in a neutral
// "Cancelled by <who> at <time>" with Retry as a secondary button, not in a red failure.
import { createJob, unique } from './support/api.ts';
import { expect, gql, test } from './support/fixtures.ts';
import { screenshotBothThemes } from './support/screenshots.ts';
import { PHONE, runJobNow, waitForRunStatus } from './app-helpers.ts';

// About 8,100 simulated records in batches of 100, 250 ms apart: a run that goes on for ~20 s, reporting progress.
const SLOW_IMPORT = { source: 'live-test', everyMinutes: 60, batchSize: 100, batchDelayMs: 250 };

test('a running run ticks and progresses on its page and in the runs list; a cancel reads as cancelled, not failed', async ({ page }) => {
  test.setTimeout(120_000);
  const jobName = unique('Live import');
  const jobId = await createJob(page, { name: jobName, action: 'examples.import-records', args: SLOW_IMPORT });
  const runId = await runJobNow(page, jobId);
  await waitForRunStatus(page, runId, ['RUNNING']);

  await page.goto(`/jobs/${jobId}/runs/${runId}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(jobName);
  const duration = page.getByTestId('run-duration');
  const progress = page.getByTestId('run-progress');
  await expect(progress).toBeVisible();
  const firstDuration = await duration.textContent();
  const firstProgress = await progress.textContent();
  // Both change with no reload (the duration ticks every second; progress is re-read while the run goes).
  await expect(duration).not.toHaveText(firstDuration ?? '');
  await expect(progress).not.toHaveText(firstProgress ?? '');
  // The breadcrumb and the sidebar say the run belongs to the job.
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' })).toHaveAttribute('aria-current', 'page');
  await screenshotBothThemes(page, 'live-run-page-desktop');

  // The runs list: the row is named by its job and its duration ticks too.
  await page.goto(`/runs?job=${jobId}`);
  const row = page.getByRole('row', { name: `Run ${jobName}` });
  await expect(row).toBeVisible();
  const rowDuration = row.getByTestId('run-duration');
  await expect(rowDuration).toContainText('so far');
  const before = await rowDuration.textContent();
  await expect(rowDuration).not.toHaveText(before ?? '');
  await page.setViewportSize(PHONE);
  await screenshotBothThemes(page, 'live-runs-list-phone');
  await page.setViewportSize({ width: 1440, height: 900 });

  // Cancel from the run page.
  await page.goto(`/jobs/${jobId}/runs/${runId}`);
  await page.getByRole('button', { name: 'Cancel run' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel run' }).click();
  await waitForRunStatus(page, runId, ['CANCELLED']);
  const note = page.getByRole('status').filter({ hasText: 'Cancelled by' });
  await expect(note).toContainText(/Cancelled by Administrator at .*\d{2}:\d{2}:\d{2}/);
  await expect(page.getByText('The run failed with an error')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  // Retry is there, but as a secondary action (the primary style is the amber fill).
  const retry = page.getByRole('button', { name: 'Retry' });
  await expect(retry).toBeVisible();
  await expect(retry).not.toHaveClass(/bg-amber-500/);
  await screenshotBothThemes(page, 'cancelled-run-desktop');
  await page.setViewportSize(PHONE);
  await screenshotBothThemes(page, 'cancelled-run-phone');
});

test('the jobs list is live: a new job and its run appear without a reload', async ({ page }) => {
  await page.goto('/jobs');
  await expect(page.getByRole('table', { name: 'Jobs' })).toBeVisible();
  const jobName = unique('Appears live');
  // Made elsewhere (the API, as another admin would): the open list follows.
  const jobId = await createJob(page, { name: jobName, action: 'examples.noop', args: {} });
  const row = page.getByRole('row').filter({ hasText: jobName });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Never run');
  const runId = await runJobNow(page, jobId);
  await waitForRunStatus(page, runId, ['SUCCEEDED']);
  await expect(row).toContainText('Succeeded');
  // The last run links to the run under its job.
  await expect(row.getByRole('link', { name: /Succeeded/ })).toHaveAttribute('href', `/jobs/${jobId}/runs/${runId}`);
  await gql(page, 'mutation($id: ID!) { deleteJob(id: $id) { __typename } }', { id: jobId });
  await expect(row).toHaveCount(0);
});
