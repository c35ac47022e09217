// Jobs as code on the jobs page: Export downloads the jobs as YAML; Import checks a pasted document, lists every
// problem with its path and imports nothing, then imports a fixed one and the job shows in the list.
import fs from 'node:fs';
import { createJob, unique } from './support/api.ts';
import { expect, test } from './support/fixtures.ts';
import { screenshotBothThemes } from './support/screenshots.ts';

test('export downloads YAML; import lists every problem, checks, then imports', async ({ page }) => {
  const existing = unique('Listed job');
  await createJob(page, { name: existing, action: 'examples.noop', args: {} });
  await page.goto('/jobs');

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('sundial-jobs.yaml');
  const text = fs.readFileSync(await download.path(), 'utf8');
  expect(text).toMatch(/^version: 1\n/);
  expect(text).toContain(`name: ${existing}`);

  const key = unique('imported').toLowerCase().replace(/[^a-z0-9._-]/g, '-');
  const name = unique('Imported job');
  await page.getByRole('button', { name: 'Import…', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Import jobs' });
  const documentField = dialog.getByLabel('Document');
  await documentField.fill(`jobs:\n  - key: ${key}\n    name: ${name}\n    action: no.such.action\n    retries: 500\n`);
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  const problems = dialog.getByRole('list', { name: 'Problems' }).getByRole('listitem');
  await expect(problems).toHaveCount(2);
  await expect(problems.nth(0)).toContainText('jobs[0].action: no action named "no.such.action"');
  await expect(problems.nth(1)).toContainText('jobs[0].retries: must be a whole number from 0 to 100');
  await expect(dialog.getByText('Nothing was imported: 2 problem(s)')).toBeVisible();
  await screenshotBothThemes(page, 'jobs-import-problems');

  await documentField.fill(`jobs:\n  - key: ${key}\n    name: ${name}\n    action: examples.noop\n    schedule: { kind: CRON, cron: "0 6 * * *" }\n`);
  await dialog.getByRole('button', { name: 'Check' }).click();
  await expect(dialog.getByText('Jobs: 1 created, 0 updated, 0 unchanged')).toBeVisible();
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row', { name: `Job ${name}` })).toBeVisible();
});
