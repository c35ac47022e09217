// The job form helps instead of scolding: a field's problem shows once it is left or the form submitted, in words
// next to it; submitting focuses the first field with a problem; raw JSON is checked against the action's schema as
// you type; labels are words (the key beside); defaults stay placeholders and are not saved; a second job with a
// name already taken says so at the name; a schedule's Start and End are read in the schedule's zone and say which.
import { createJob, createRole, createUser, unique } from './support/api.ts';
import { expect, gql, test } from './support/fixtures.ts';
import { screenshotBothThemes } from './support/screenshots.ts';

test('problems show after leaving a field or submitting, in words, and submit focuses the first one', async ({ page }) => {
  test.slow();
  await page.goto('/jobs/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New job' })).toBeVisible({ timeout: 30_000 });
  const name = page.getByRole('textbox', { name: 'Name', exact: true });
  await page.getByLabel('Action').selectOption('examples.reminder');

  // Untouched required fields are not red yet; labels are words with the key beside.
  const message = page.getByRole('textbox', { name: /^Message message/ });
  await expect(message).toBeVisible();
  await expect(message).not.toHaveAttribute('aria-invalid', 'true');
  await expect(name).not.toHaveAttribute('aria-invalid', 'true');
  const channel = page.getByRole('combobox', { name: /^Channel channel/ });
  await expect(channel).toHaveAccessibleDescription('Where to send it. Default: "email".');

  // Leaving a required field empty marks it, with its name in the message.
  await message.focus();
  await page.keyboard.press('Tab');
  await expect(message).toHaveAttribute('aria-invalid', 'true');
  await expect(message).toHaveAccessibleDescription(/^Message is required/);

  // Submitting by keyboard with problems sends nothing and puts focus on the first field that has one.
  const creates: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.postData()?.includes('createJob')) creates.push(request.url());
  });
  await page.getByRole('button', { name: 'Create job' }).focus();
  await page.keyboard.press('Enter');
  await expect(name).toBeFocused();
  await expect(name).toHaveAccessibleDescription(/^Name is required/);
  expect(creates).toEqual([]);
  await screenshotBothThemes(page, 'job-form-help-errors');

  await page.keyboard.type(unique('Helpful'));
  await expect(name).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(message).toBeFocused();

  // Raw JSON is checked against the action's schema while typing, not only for syntax.
  await page.getByRole('button', { name: 'Edit as raw JSON' }).click();
  const raw = page.getByLabel('Args', { exact: true });
  await raw.fill('{"channel": "email"}');
  await expect(raw).toHaveAccessibleDescription(/Message \(message\) is required/);
  await raw.fill('{"message": "Hi {{firstName}}"}');
  await expect(raw).not.toHaveAttribute('aria-invalid', 'true');

  // Saved: the channel left at its default is not written into the job's args.
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page).toHaveURL(/\/jobs\/(?!new$)[^/]+$/, { timeout: 30_000 });
  const id = page.url().split('/').pop()!;
  const data = await gql<{ job: { args: unknown } }>(page, 'query($id: ID!) { job(id: $id) { args } }', { id });
  expect(data.job.args).toEqual({ message: 'Hi {{firstName}}' });
});

test('a name another job has is pointed out at the field', async ({ page }) => {
  test.slow();
  const taken = unique('Taken name');
  const otherId = await createJob(page, { name: taken, action: 'examples.noop' });
  await page.goto('/jobs/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New job' })).toBeVisible({ timeout: 30_000 });
  const name = page.getByRole('textbox', { name: 'Name', exact: true });
  await name.fill(taken);
  await expect(name).toHaveAccessibleDescription(new RegExp(`Another job is already called “${taken}”`));
  await expect(page.getByRole('link', { name: 'open it' })).toHaveAttribute('href', `/jobs/${otherId}`);
  await name.fill(`${taken} 2`);
  await expect(name).not.toHaveAccessibleDescription(/Another job/);
});

test("a schedule's Start and End are read in its timezone and their labels name it", async ({ page }) => {
  test.slow();
  const jobName = unique('Zoned');
  await page.goto('/jobs/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New job' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(jobName);
  await page.getByLabel('Action').selectOption('examples.noop');
  await page.getByText('Cron', { exact: true }).click();
  const zone = page.getByRole('combobox', { name: 'Timezone' });
  await zone.fill('Kolkata');
  await page.getByRole('option', { name: /Asia\/Kolkata/ }).click();
  const start = page.getByLabel('Start (Asia/Kolkata)');
  await expect(start).toBeVisible();
  await expect(page.getByLabel('End (Asia/Kolkata)')).toBeVisible();
  await start.fill('2030-01-01T09:00');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page).toHaveURL(/\/jobs\/(?!new$)[^/]+$/, { timeout: 30_000 });
  const id = page.url().split('/').pop()!;
  const data = await gql<{ job: { schedules: { startAt: string; timezone: string }[] } }>(page, 'query($id: ID!) { job(id: $id) { schedules { startAt timezone } } }', { id });
  // 09:00 in Kolkata (UTC+05:30) is 03:30 UTC.
  expect(data.job.schedules[0]).toMatchObject({ timezone: 'Asia/Kolkata', startAt: '2030-01-01T03:30:00.000Z' });

  await page.goto(`/jobs/${id}/edit`);
  await expect(page.getByRole('heading', { level: 1, name: `Edit ${jobName}` })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByLabel('Start (Asia/Kolkata)')).toHaveValue('2030-01-01T09:00');
});

test('pickers search the server as you type: users and roles in the job form, roles for a user, jobs in filters', async ({ page }) => {
  test.slow();
  const person = unique('Picker Person');
  const userId = await createUser(page, { name: person, email: `${person.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.com` });
  const role = unique('picker-role');
  await createRole(page, role);
  const target = unique('Picked follow-up');
  const targetId = await createJob(page, { name: target, action: 'examples.noop' });

  const searches: string[] = [];
  page.on('request', (request) => {
    const body = request.postData() ?? '';
    if (request.method() === 'POST' && /UserPickerQuery|RolePickerQuery|JobSelectSearchQuery/.test(body)) searches.push(body);
  });

  // Job form: the Users picker searches by what is typed, keyboard only (↓ then Enter picks).
  await page.goto('/jobs/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New job' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(unique('Picking'));
  await page.getByLabel('Action').selectOption('examples.noop');
  const users = page.getByRole('combobox', { name: 'Users', exact: true });
  await users.focus();
  await expect(users).toHaveAttribute('aria-expanded', 'false');
  await users.pressSequentially(person.slice(0, 18));
  await expect(page.getByRole('option', { name: new RegExp(person) })).toBeVisible();
  await expect.poll(() => searches.some((body) => body.includes(person.slice(0, 18)))).toBe(true);
  await users.press('ArrowDown');
  await users.press('Enter');
  await expect(page.getByRole('button', { name: `Remove ${person}` })).toBeVisible();
  await users.press('Escape');

  const roles = page.getByRole('combobox', { name: 'Roles', exact: true });
  await roles.fill(role);
  await page.getByRole('option', { name: new RegExp(role) }).click();
  await expect(page.getByRole('button', { name: `Remove ${role}` })).toBeVisible();

  // A follow-up's job is searched too; keyboard: type, ↓, Enter.
  await page.getByRole('button', { name: 'Add a follow-up' }).click();
  const startJob = page.getByRole('combobox', { name: 'Follow-up 1: start job' });
  await startJob.fill(target);
  await expect(page.getByRole('option', { name: new RegExp(target) })).toBeVisible();
  // The search's answer, not the list shown before it arrived: ↓ takes the first option.
  await expect(page.getByRole('option')).toHaveCount(1);
  await startJob.press('ArrowDown');
  await startJob.press('Enter');
  await expect(startJob).toHaveValue(target);
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page).toHaveURL(/\/jobs\/(?!new$)[^/]+$/, { timeout: 30_000 });
  const id = page.url().split('/').pop()!;

  // Editing shows the chosen names before any search.
  await page.goto(`/jobs/${id}/edit`);
  await expect(page.getByRole('button', { name: `Remove ${person}` })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: `Remove ${role}` })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Follow-up 1: start job' })).toHaveValue(target);

  // A user's roles, in the user dialog.
  await page.goto('/users');
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('combobox', { name: 'Roles', exact: true }).fill(role);
  await page.getByRole('option', { name: new RegExp(role) }).click();
  await expect(dialog.getByRole('button', { name: `Remove ${role}` })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Runs filters: a job from a shared URL shows its name; the picker clears; the user filter is searched too.
  await page.goto(`/runs?job=${targetId}&user=${userId}`);
  const jobFilter = page.getByRole('combobox', { name: 'Job', exact: true });
  await expect(jobFilter).toHaveValue(target, { timeout: 30_000 });
  await expect(page.getByRole('combobox', { name: 'Started by' })).toHaveValue(person);
  await page.getByRole('button', { name: 'Clear Job' }).click();
  await expect(page).toHaveURL(new RegExp(`/runs\\?user=${userId}$`));
  await jobFilter.fill(target);
  await expect(page.getByRole('option', { name: new RegExp(target) })).toBeVisible();
  await expect(page.getByRole('option')).toHaveCount(1);
  await jobFilter.press('ArrowDown');
  await jobFilter.press('Enter');
  await expect(page).toHaveURL(new RegExp(`job=${targetId}`));
});

test('list URLs are read through a schema: unknown values fall back to the defaults, known ones are kept', async ({ page }) => {
  test.slow();
  await page.goto('/jobs?sort=BOGUS&dir=sideways&status=NOPE&q=%20');
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('table')).toBeVisible({ timeout: 30_000 });
  await page.goto('/runs?status=NOPE&trigger=MANUAL&from=yesterday');
  await expect(page.getByLabel('Status')).toHaveValue('', { timeout: 30_000 });
  await expect(page.getByLabel('Trigger')).toHaveValue('MANUAL');
  await expect(page.getByLabel(/Created from/)).toHaveValue('');
});
