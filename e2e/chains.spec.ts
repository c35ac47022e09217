// Chains in the admin app: the job form's follow-ups editor (a refused mapping shown at its field, then saved), the
// run page's lineage both ways (what started this run, what it started, each linked), and the runs list filtered by
// cause. Every screen with a chain on it passes axe, light and dark.
import { createJob, unique } from './support/api.ts';
import { expect, gql, test } from './support/fixtures.ts';
import { screenshotBothThemes } from './support/screenshots.ts';
import { expectNoSeriousAxeViolations, runJobNow, waitForRunStatus } from './app-helpers.ts';

async function axeBothSchemes(page: Parameters<typeof expectNoSeriousAxeViolations>[0]) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expectNoSeriousAxeViolations(page);
  }
}

test('a follow-up made in the job form starts when a run ends, and both runs show the chain', async ({ page }) => {
  test.setTimeout(300_000);
  const nextName = unique('Chain target');
  await createJob(page, { name: nextName, action: 'examples.noop' });
  const sourceName = unique('Chain source');

  await page.goto('/jobs/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New job' })).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Name').fill(sourceName);
  await page.getByLabel('Action').selectOption('examples.noop');
  await page.getByRole('button', { name: 'Add a follow-up' }).click();
  const followUp = page.getByRole('group', { name: 'Follow-up 1' });
  // The job is searched on the server as you type.
  await followUp.getByRole('combobox', { name: 'Follow-up 1: start job' }).fill(nextName);
  await page.getByRole('option', { name: new RegExp(nextName) }).click();
  await followUp.getByLabel('When a run').selectOption('SUCCEEDED');
  await followUp.getByRole('button', { name: 'Map an arg' }).click();
  await followUp.getByLabel('Arg 1', { exact: true }).fill('colour');
  await followUp.getByLabel('From', { exact: true }).selectOption('value');
  await followUp.getByLabel('Value (JSON)').fill('2');

  // The server refuses an arg the follow-up's action does not have: the message is at that field, nothing saved.
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The job was not saved' })).toBeVisible();
  await expect(followUp.getByLabel('Arg 1', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(followUp.getByLabel('Arg 1', { exact: true })).toHaveAccessibleDescription(/has no arg "colour"/);
  await axeBothSchemes(page);
  await screenshotBothThemes(page, 'chains-job-form');

  await followUp.getByLabel('Arg 1', { exact: true }).fill('logLines');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByRole('heading', { level: 1, name: sourceName })).toBeVisible({ timeout: 30_000 });
  const sourceId = page.url().split('/').at(-1)!;

  // Keyboard: the saved follow-up is back in the form, reachable by Tab.
  await page.goto(`/jobs/${sourceId}/edit`);
  await expect(page.getByRole('group', { name: 'Follow-up 1' }).getByLabel('Value (JSON)')).toHaveValue('2');

  const runId = await runJobNow(page, sourceId);
  await waitForRunStatus(page, runId, ['SUCCEEDED']);
  const { run } = await gql<{ run: { startedRuns: { id: string }[] } }>(page, 'query($id: ID!) { run(id: $id) { startedRuns { id } } }', { id: runId });
  expect(run.startedRuns).toHaveLength(1);
  await waitForRunStatus(page, run.startedRuns[0]!.id, ['SUCCEEDED']);

  await page.goto(`/runs/${runId}`);
  const started = page.getByRole('list', { name: 'Runs this run started' });
  await expect(started.getByRole('link', { name: nextName })).toBeVisible();
  await axeBothSchemes(page);
  await started.getByRole('link', { name: nextName }).click();
  await expect(page.getByTestId('run-cause')).toContainText(`Caused by run ${sourceName} of job ${sourceName}`);
  await expect(page.getByText('Follow-up', { exact: true })).toBeVisible();
  await axeBothSchemes(page);
  await screenshotBothThemes(page, 'chains-run-page');

  // The runs list, filtered by cause: only the follow-up.
  await page.goto('/runs');
  await page.getByRole('combobox', { name: 'Caused by job' }).fill(sourceName);
  await page.getByRole('option', { name: new RegExp(sourceName) }).click();
  const table = page.getByRole('table', { name: 'Runs' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('link', { name: nextName }).first()).toBeVisible();
  await axeBothSchemes(page);
});
