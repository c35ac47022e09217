// Calendars in the browser: create one with a weekly window from the keyboard, see it listed, a duplicate name is
// refused at the Name field, deleting one a job attaches is refused naming the job; and a job paused until a time
// says "Paused until …" and resumes by hand; the job form attaches calendars with the job (searched, keyboard, axe).
import { expectNoSeriousAxeViolations } from './app-helpers.ts';
import { createJob, unique } from './support/api.ts';
import { expect, gql, test } from './support/fixtures.ts';
import type { Locator, Page } from '@playwright/test';

/**
 * Chooses a calendar in a server-search picker from the keyboard: typed key by key like a person (each keystroke is
 * an input event the combobox opens its list on; a one-go fill could leave it closed), then ↓ and Enter on the one
 * match in the picker's own list (the form's native selects have options too), once the search's answer is in.
 */
async function chooseCalendar(page: Page, picker: Locator, name: string): Promise<void> {
  await picker.focus();
  await picker.pressSequentially(name);
  await expect(page.getByRole('listbox').getByRole('option', { name: new RegExp(name) })).toBeVisible();
  await expect(page.getByRole('listbox').getByRole('option')).toHaveCount(1);
  await picker.press('ArrowDown');
  await picker.press('Enter');
  await expect(picker).toHaveValue(name);
}

test('a calendar with a weekly window is created, listed, and protected while a job attaches it', async ({ page }) => {
  const name = unique('Quiet hours');
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calendars' }).click();
  await expect(page.getByRole('heading', { name: 'Calendars', level: 1 })).toBeVisible({ timeout: 30_000 });

  await page.getByRole('button', { name: 'New calendar' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New calendar' });
  await dialog.getByLabel('Name').fill(name);
  const entry = dialog.getByRole('group', { name: 'Entry 1' });
  await expect(entry.getByLabel('Kind')).toHaveValue('WEEKLY');
  for (const day of ['Sat', 'Sun']) {
    await entry.getByLabel(day, { exact: true }).focus();
    await page.keyboard.press('Space');
  }
  await entry.getByLabel('Start time').fill('22:00');
  await entry.getByLabel('End time').fill('06:00');
  await dialog.getByRole('button', { name: 'Create calendar' }).press('Enter');
  await expect(dialog).toBeHidden();

  const row = page.getByRole('row', { name: `Calendar ${name}` });
  await expect(row).toContainText('UTC');
  await expect(row).toContainText('1 entry');
  await expect(row).not.toContainText('Blackout for all jobs');
  await expectNoSeriousAxeViolations(page);

  // The server keeps its days and times.
  const { calendars } = await gql<{ calendars: { id: string; name: string; entries: { days: string[]; startTime: string; endTime: string }[] }[] }>(
    page,
    '{ calendars { id name entries { days startTime endTime } } }',
  );
  const saved = calendars.find((calendar) => calendar.name === name);
  expect(saved?.entries).toEqual([{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], startTime: '22:00', endTime: '06:00' }]);

  // A second calendar of that name, with a date range ending before it starts: the server's messages sit at the
  // Name field and at the To field of the second entry.
  await page.getByRole('button', { name: 'New calendar' }).first().click();
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Add entry' }).click();
  const range = dialog.getByRole('group', { name: 'Entry 2' });
  await range.getByLabel('Kind').selectOption('DATE_RANGE');
  await range.getByLabel('From').fill('2026-12-28');
  await range.getByLabel('To', { exact: true }).fill('2026-12-20');
  await expectNoSeriousAxeViolations(page);
  await dialog.getByRole('button', { name: 'Create calendar' }).click();
  await expect(dialog.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByLabel('Name')).toHaveAccessibleDescription(/exists already/);
  await expect(range.getByLabel('To', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(range.getByLabel('To', { exact: true })).toHaveAccessibleDescription(/before it starts/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  // Attached to a job, it cannot be deleted; the refusal names the job.
  const jobName = unique('Nightly quiet job');
  const jobId = await createJob(page, { name: jobName, action: 'examples.noop', args: {} });
  await gql(page, 'mutation($jobId: ID!, $input: JobCalendarsInput!) { setJobCalendars(jobId: $jobId, input: $input) { __typename } }', {
    jobId,
    input: { calendars: [{ calendarId: saved?.id, mode: 'NEVER_INSIDE' }] },
  });
  await page.reload();
  await row.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: `Delete calendar ${name}?` });
  await confirm.getByRole('button', { name: 'Delete calendar' }).click();
  await expect(confirm).toContainText(jobName);
  await expect(confirm).toContainText('detach it from those jobs first');
});

test('a job paused until a time says so and resumes by hand', async ({ page }) => {
  const jobName = unique('Paused job');
  const jobId = await createJob(page, { name: jobName, action: 'examples.noop', args: {}, schedules: [{ kind: 'INTERVAL', intervalSeconds: 3600 }] });
  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByRole('heading', { level: 1, name: jobName })).toBeVisible({ timeout: 30_000 });

  await page.getByRole('button', { name: 'Pause until…' }).click();
  const dialog = page.getByRole('dialog', { name: `Pause “${jobName}” until…` });
  const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const until = dialog.getByLabel(`Until (${zone})`);
  await until.fill('2031-01-07T08:00');
  await dialog.getByRole('button', { name: 'Pause until then' }).click();
  await expect(dialog).toBeHidden();

  const notice = page.getByTestId('paused-until');
  await expect(notice).toContainText('Paused until');
  await expect(notice).toContainText('2031');
  const { job } = await gql<{ job: { enabled: boolean; pausedUntil: string } }>(page, 'query($id: ID!) { job(id: $id) { enabled pausedUntil } }', { id: jobId });
  expect(job.enabled).toBe(false);
  const local = await page.evaluate(() => new Date('2031-01-07T08:00').toISOString());
  expect(new Date(job.pausedUntil).toISOString()).toBe(local);

  await notice.getByRole('button', { name: 'Resume now' }).click();
  await expect(notice).toBeHidden();
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
});

test('a job attaches a calendar as only inside, with the move policy', async ({ page }) => {
  const calendarName = unique('Business hours');
  await gql(page, 'mutation($input: CalendarInput!) { createCalendar(input: $input) { __typename } }', {
    input: { name: calendarName, timezone: 'Europe/Berlin', entries: [{ kind: 'WEEKLY', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], startTime: '09:00', endTime: '17:00' }] },
  });
  const jobName = unique('Office job');
  const jobId = await createJob(page, { name: jobName, action: 'examples.noop', args: {}, schedules: [{ kind: 'INTERVAL', intervalSeconds: 3600 }] });
  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByRole('heading', { level: 1, name: jobName })).toBeVisible({ timeout: 30_000 });

  await page.getByRole('button', { name: 'Edit calendars' }).click();
  const dialog = page.getByRole('dialog', { name: `Calendars of “${jobName}”` });
  await dialog.getByRole('button', { name: 'Attach a calendar' }).click();
  // The same editor as the job form's: the calendar is searched on the server.
  await chooseCalendar(page, dialog.getByRole('combobox', { name: 'Calendar 1', exact: true }), calendarName);
  await dialog.getByLabel('Mode of calendar 1').selectOption('ONLY_INSIDE');
  await dialog.getByRole('combobox', { name: 'Blackout policy' }).selectOption('MOVE');
  await dialog.getByRole('button', { name: 'Save calendars' }).click();
  await expect(dialog).toBeHidden();

  const attached = page.getByRole('list', { name: 'Attached calendars' });
  await expect(attached).toContainText(calendarName);
  await expect(attached).toContainText('only inside');
  await expect(page.getByText('Scheduled slots a calendar rules out are moved to the end of the window.')).toBeVisible();
});

test('the next runs say which slots a calendar skips, and why', async ({ page }) => {
  const calendarName = unique('Shutdown');
  const today = new Date();
  const nextYear = new Date(today.getTime() + 365 * 24 * 3600 * 1000);
  const created = await gql<{ createCalendar: { calendar?: { id: string } } }>(
    page,
    'mutation($input: CalendarInput!) { createCalendar(input: $input) { ... on MutationCreateCalendarSuccess { calendar { id } } } }',
    { input: { name: calendarName, timezone: 'UTC', entries: [{ kind: 'DATE_RANGE', from: today.toISOString().slice(0, 10), to: nextYear.toISOString().slice(0, 10) }] } },
  );
  const jobName = unique('Skipped job');
  const jobId = await createJob(page, { name: jobName, action: 'examples.noop', args: {}, schedules: [{ kind: 'INTERVAL', intervalSeconds: 3600 }] });
  await gql(page, 'mutation($jobId: ID!, $input: JobCalendarsInput!) { setJobCalendars(jobId: $jobId, input: $input) { __typename } }', {
    jobId,
    input: { blackoutPolicy: 'SKIP', calendars: [{ calendarId: created.createCalendar.calendar!.id, mode: 'NEVER_INSIDE' }] },
  });
  await page.goto(`/jobs/${jobId}`);
  const next = page.getByRole('list', { name: 'Next runs' });
  await expect(next).toBeVisible({ timeout: 30_000 });
  await expect(next.getByRole('listitem')).toHaveCount(5);
  for (const item of await next.getByRole('listitem').all()) await expect(item).toContainText(`Skipped`);
  await expect(next).toContainText(calendarName);
});

test('the job form attaches calendars with the job: searched by name from the keyboard, saved in one go, refused whole', async ({ page }) => {
  test.slow();
  const calendarName = unique('Form hours');
  const otherName = unique('Form freeze');
  const created = await gql<{ first: { calendar: { id: string } }; second: { calendar: { id: string } } }>(
    page,
    `mutation($first: CalendarInput!, $second: CalendarInput!) {
      first: createCalendar(input: $first) { ... on MutationCreateCalendarSuccess { calendar { id } } }
      second: createCalendar(input: $second) { ... on MutationCreateCalendarSuccess { calendar { id } } } }`,
    {
      first: { name: calendarName, timezone: 'Europe/Berlin', entries: [{ kind: 'WEEKLY', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], startTime: '09:00', endTime: '17:00' }] },
      second: { name: otherName, timezone: 'UTC', entries: [{ kind: 'YEARLY', month: 12, day: 25 }] },
    },
  );
  const jobName = unique('Form calendar job');
  await page.goto('/jobs/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New job' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(jobName);
  await page.getByLabel('Action').selectOption('examples.noop');

  // Keyboard only: the button, the picker (type, ↓, Enter), the mode and the policy.
  const section = page.getByTestId('job-form-calendars');
  await section.getByRole('button', { name: 'Attach a calendar' }).focus();
  await page.keyboard.press('Enter');
  await chooseCalendar(page, section.getByRole('combobox', { name: 'Calendar 1', exact: true }), calendarName);
  await section.getByLabel('Mode of calendar 1').selectOption('ONLY_INSIDE');
  await section.getByLabel('Blackout policy').selectOption('MOVE');
  await expectNoSeriousAxeViolations(page);
  await page.getByRole('button', { name: 'Create job' }).press('Enter');
  await expect(page).toHaveURL(/\/jobs\/(?!new$)[^/]+$/, { timeout: 30_000 });
  const jobId = page.url().split('/').pop()!;

  // The job page's card shows what the form saved.
  const attached = page.getByRole('list', { name: 'Attached calendars' });
  await expect(attached).toContainText(calendarName);
  await expect(attached).toContainText('only inside');
  await expect(page.getByText('Scheduled slots a calendar rules out are moved to the end of the window.')).toBeVisible();

  // Editing shows the attached calendar by name. A row left empty is the form's own problem.
  await page.goto(`/jobs/${jobId}/edit`);
  await expect(page.getByRole('combobox', { name: 'Calendar 1', exact: true })).toHaveValue(calendarName, { timeout: 30_000 });
  await section.getByRole('button', { name: 'Attach a calendar' }).click();
  await page.getByRole('button', { name: 'Save changes' }).click();
  const second = section.getByRole('combobox', { name: 'Calendar 2', exact: true });
  await expect(second).toHaveAttribute('aria-invalid', 'true');
  await expect(second).toHaveAccessibleDescription(/choose a calendar/);

  // A calendar deleted while the form is open: the server refuses at its row, and neither the calendars nor the
  // job's other changes are saved.
  await chooseCalendar(page, second, otherName);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(`${jobName} renamed`);
  await gql(page, 'mutation($id: ID!) { deleteCalendar(id: $id) { __typename } }', { id: created.second.calendar.id });
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(second).toHaveAttribute('aria-invalid', 'true');
  await expect(second).toHaveAccessibleDescription(/no calendar with id/);
  const { job } = await gql<{ job: { name: string; blackoutPolicy: string; calendars: { mode: string; calendar: { name: string } }[] } }>(
    page,
    'query($id: ID!) { job(id: $id) { name blackoutPolicy calendars { mode calendar { name } } } }',
    { id: jobId },
  );
  expect(job).toEqual({ name: jobName, blackoutPolicy: 'MOVE', calendars: [{ mode: 'ONLY_INSIDE', calendar: { name: calendarName } }] });
});
