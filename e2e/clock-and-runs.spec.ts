// One clock, runs you can find, a readable log, the account menu (issue 18, items 3, 4, 7, 8, 10, 12).
import { createJob, unique } from './support/api.ts';
import { expect, gql, test } from './support/fixtures.ts';
import { screenshotBothThemes } from './support/screenshots.ts';
import { PHONE, runJobNow, waitForRunStatus } from './app-helpers.ts';

test.use({ timezoneId: 'America/New_York' });

test('times say their zone; the viewer switches between browser time and UTC, and the choice is remembered', async ({ page }) => {
  const jobId = await createJob(page, {
    name: unique('Clock job'),
    action: 'examples.noop',
    args: {},
    schedules: [{ kind: 'CRON', cron: '0 9 * * *', timezone: 'UTC' }],
  });
  await page.goto(`/jobs/${jobId}`);
  const nextRuns = page.getByRole('list').filter({ hasText: /09:00|04:00|05:00/ }).first();
  // A New York browser: the next 09:00 UTC runs read as 04:00 or 05:00 with their zone named.
  await expect(nextRuns).toContainText(/0[45]:00 (EST|EDT|GMT-[45])/);

  await page.getByRole('button', { name: /^Account:/ }).click();
  await expect(page.getByTestId('time-zone-choice')).toContainText('America/New_York');
  await page.getByRole('menuitem', { name: 'Show times in UTC' }).click();
  await expect(nextRuns).toContainText('09:00 UTC');
  await page.reload();
  await expect(page.getByRole('list').filter({ hasText: '09:00 UTC' }).first()).toBeVisible();
  await screenshotBothThemes(page, 'clock-job-page-utc');

  // Relative times carry the exact time, with its zone, as a tooltip.
  await page.goto('/jobs');
  const relative = page.getByRole('row').filter({ hasText: 'Clock job' }).first().locator('time').first();
  await expect(relative).toHaveAttribute('title', /UTC$/);

  // Inputs say their zone.
  await page.goto('/runs');
  await expect(page.getByLabel('Created from (UTC)')).toBeVisible();

  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('menuitem', { name: /Show times in browser time/ }).click();
  await expect(page.getByLabel(/Created from \((EST|EDT|GMT-[45])\)/)).toBeVisible();
});

test('the time zone picker finds canonical names by city and shows the offset', async ({ page }) => {
  await page.goto('/jobs/new');
  test.setTimeout(90_000);
  await page.getByText('Cron', { exact: true }).click();
  const zone = page.getByRole('combobox', { name: 'Timezone' });
  await zone.click();
  await zone.fill('Kolkata');
  const kolkata = page.getByRole('option', { name: /Asia\/Kolkata/ });
  await expect(kolkata).toContainText('UTC+05:30');
  await zone.fill('Calcutta');
  await expect(page.getByRole('option', { name: /Asia\/Kolkata/ })).toBeVisible();
  await zone.fill('Kyiv');
  await expect(page.getByRole('option', { name: /Europe\/Kyiv/ })).toBeVisible();
  await screenshotBothThemes(page, 'timezone-picker-open');
  await page.getByRole('option', { name: /Europe\/Kyiv/ }).click();
  await expect(zone).toHaveValue(/^Europe\/Kyiv \(UTC\+0[23]:00\)$/);
});

test('runs are named by their job, found by filters, and open under their job; the log reads clearly', async ({ page }) => {
  test.setTimeout(90_000);
  const jobName = unique('Findable job');
  const jobId = await createJob(page, { name: jobName, action: 'examples.noop', args: { logLines: 1 } });
  const runId = await runJobNow(page, jobId);
  const titled = await runJobNow(page, jobId, unique('Titled run'));
  await waitForRunStatus(page, runId, ['SUCCEEDED']);
  await waitForRunStatus(page, titled, ['SUCCEEDED']);

  // Text search finds the job's runs, named by the job (not "Run f1f447").
  await page.goto('/runs');
  await page.getByLabel('Search').fill(jobName);
  await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(jobName);
  const table = page.getByRole('table', { name: 'Runs' });
  await expect(table.getByRole('row', { name: `Run ${jobName}` })).toHaveCount(1);
  await expect(table.getByRole('row', { name: /Run Titled run/ })).toHaveCount(1);
  // Status, trigger, starter and job filters narrow the same list.
  await page.getByLabel('Status').selectOption('FAILED');
  await expect(page.getByText('No run matches these filters')).toBeVisible();
  await page.getByLabel('Status').selectOption('SUCCEEDED');
  await page.getByLabel('Trigger').selectOption('MANUAL');
  // Job and user pickers search the server as you type.
  await page.getByRole('combobox', { name: 'Started by' }).fill('Administrator');
  await page.getByRole('option', { name: /Administrator/ }).click();
  await page.getByRole('combobox', { name: 'Job', exact: true }).fill(jobName);
  await page.getByRole('option', { name: new RegExp(jobName) }).click();
  await expect(table.getByRole('row')).toHaveCount(3);
  // A date range entirely in the past finds nothing.
  await page.getByLabel(/Created before/).fill('2020-01-01T00:00');
  await expect(page.getByText('No run matches these filters')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/runs$/);

  // /jobs/<job>/runs/<run>: the page works; the sidebar highlights Jobs.
  await page.goto(`/runs?job=${jobId}`);
  // The row's first link is the run (named by its job); the second is the job itself.
  await page.getByRole('row', { name: `Run ${jobName}` }).getByRole('link', { name: jobName, exact: true }).first().click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${jobId}/runs/`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(jobName);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' })).toHaveAttribute('aria-current', 'page');

  // The log: "1 line", and each level chip says whether it is on.
  await page.goto(`/jobs/${jobId}/runs/${runId}`);
  await expect(page.getByTestId('log-count')).toHaveText('1 line');
  const debug = page.getByRole('button', { name: 'DEBUG' });
  await expect(debug).toHaveAttribute('aria-pressed', 'true');
  await expect(debug).toHaveAttribute('title', 'DEBUG lines shown: click to hide');
  await page.getByRole('button', { name: 'INFO' }).click();
  await expect(page.getByRole('button', { name: 'INFO' })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('log-count')).toHaveText('0 of 1 line');
  await screenshotBothThemes(page, 'log-levels-desktop');
  await page.setViewportSize(PHONE);
  await screenshotBothThemes(page, 'log-levels-phone');
});

test('the dashboard counts runs on the server and draws them per hour', async ({ page }) => {
  const jobId = await createJob(page, { name: unique('Chart job'), action: 'examples.noop', args: {} });
  const runId = await runJobNow(page, jobId);
  await waitForRunStatus(page, runId, ['SUCCEEDED']);
  const to = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 3_600_000);
  const from = new Date(to.getTime() - 24 * 3_600_000);
  const data = await gql<{ runHistogram: { histogram: { total: number } } }>(
    page,
    'query($from: DateTime!, $to: DateTime!) { runHistogram(from: $from, to: $to, bucketSeconds: 3600) { ... on QueryRunHistogramSuccess { histogram { total } } } }',
    { from: from.toISOString(), to: to.toISOString() },
  );
  await page.goto('/');
  const chart = page.getByRole('img', { name: /Runs per hour/ });
  await expect(chart).toHaveAttribute('aria-label', new RegExp(`: (${data.runHistogram.histogram.total}|\\d+) in all`));
  await expect(page.getByTestId('chart-bucket')).toHaveCount(24);
  // A bad window is refused with the field and the rule.
  const bad = await gql<{ runHistogram: { __typename: string; message?: string } }>(
    page,
    'query($from: DateTime!, $to: DateTime!) { runHistogram(from: $from, to: $to, bucketSeconds: 60) { __typename ... on Error { message } } }',
    { from: from.toISOString(), to: to.toISOString() },
  );
  expect(bad.runHistogram.message).toMatch(/bucketSeconds: gives 1440 buckets .* at most 500/);
  await screenshotBothThemes(page, 'dashboard-desktop');
  await page.setViewportSize(PHONE);
  await screenshotBothThemes(page, 'dashboard-phone');
});

test('the account menu changes the password; the delete dialog says which job', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const jobName = unique('Twin');
  await createJob(page, { name: jobName, action: 'examples.noop', args: {} });
  const second = await createJob(page, { name: jobName, action: 'examples.noop', args: { logLines: 2 } });
  await page.goto(`/jobs/${second}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('delete-job-identity')).toContainText(second);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // A user of their own, so the shared admin's password stays as the other tests expect.
  const email = `${unique('pw')}@sundial.test`;
  await gql(page, 'mutation($input: CreateUserInput!) { createUser(input: $input) { __typename } }', {
    input: { name: 'Pat Password', email, password: 'amber kettle orbit 123' },
  });
  const context = await browser.newContext();
  const own = await context.newPage();
  await own.goto('/sign-in');
  await own.getByLabel('E-mail').fill(email);
  await own.getByLabel('Password').fill('amber kettle orbit 123');
  await own.getByRole('button', { name: 'Sign in' }).click();
  await own.getByRole('button', { name: /^Account:/ }).click();
  await own.getByRole('menuitem', { name: 'Change password' }).click();
  const change = own.getByRole('dialog', { name: 'Change your password' });
  await change.getByLabel('Current password').fill('amber kettle orbit 123');
  await change.getByLabel(/^New password\W*$/).fill('coral violin summit 456');
  await change.getByLabel('New password again').fill('coral violin summit 456');
  await change.getByRole('button', { name: 'Change password' }).click();
  await expect(own.getByText('Password changed')).toBeVisible();
  await context.close();
  const check = await page.request.post('/graphql', {
    data: { query: 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }', variables: { e: email, p: 'coral violin summit 456' } },
  });
  expect(((await check.json()) as { data?: { signIn?: { email: string } } }).data?.signIn?.email).toBe(email);
});
