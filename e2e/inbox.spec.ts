// The inbox end to end: a notify.users job targeting the admin (made through the API), run from the job page,
// its message in the admin's inbox with the unread badge in the navigation; marked read from the keyboard.
import { createJob, unique } from './support/api.ts';
import { expect, gql, test } from './support/fixtures.ts';
import { screenshotBothThemes } from './support/screenshots.ts';

test('a notify.users job puts a message in the inbox; the badge counts it until it is marked read', async ({ page }) => {
  const { viewer } = await gql<{ viewer: { userId: string; name: string } }>(page, '{ viewer { userId name } }');
  // Start from a read inbox: other tests share this server.
  await gql(page, 'mutation { markAllInboxMessagesRead }');

  await page.goto('/inbox');
  await expect(page.getByRole('heading', { name: 'Inbox', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Unread (0)' }).click();
  await expect(page.getByText('Nothing unread')).toBeVisible();
  await page.getByRole('button', { name: 'All', exact: true }).click();

  const subject = unique('Reminder');
  const jobName = unique('Inbox reminder');
  const jobId = await createJob(page, {
    name: jobName,
    action: 'notify.users',
    perUser: true,
    targetUserIds: [viewer.userId],
    args: { subject: `${subject} for {{name}}`, message: 'Hello {{name}},\nthe weekly report is due today.' },
  });

  await page.goto(`/jobs/${jobId}`);
  await page.getByRole('button', { name: 'Run now' }).click();
  await page.getByRole('dialog', { name: `Run “${jobName}” now` }).getByRole('button', { name: 'Run now' }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(page.getByTestId('children-rollup')).toHaveText('1 of 1 succeeded', { timeout: 30_000 });

  // Moving to another page refreshes the badge.
  const inboxLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Inbox/ });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(inboxLink).toHaveAccessibleName('Inbox 1 unread');
  await inboxLink.click();

  const message = page.getByRole('article', { name: new RegExp(`^${subject} for ${viewer.name}`) });
  await expect(message).toContainText(`Hello ${viewer.name},`);
  await expect(message).toContainText('the weekly report is due today.');
  await expect(message.getByRole('heading')).toContainText('(unread)');
  await screenshotBothThemes(page, 'inbox');

  // Keyboard: Tab reaches the message's button, Enter marks it read.
  const markRead = message.getByRole('button', { name: `Mark "${subject} for ${viewer.name}" read` });
  await markRead.focus();
  await page.keyboard.press('Enter');
  await expect(markRead).toHaveCount(0);
  await expect(message.getByRole('heading')).not.toContainText('(unread)');
  await expect(inboxLink).toHaveAccessibleName('Inbox');
  await page.getByRole('button', { name: 'Unread (0)' }).click();
  await expect(page.getByText('Nothing unread')).toBeVisible();

  // "Mark all read" after a second run (started through the API this time).
  await gql(page, 'mutation($id: ID!) { runJobNow(id: $id) { __typename } }', { id: jobId });
  await expect
    .poll(async () => (await gql<{ viewer: { unreadInboxCount: number } }>(page, '{ viewer { unreadInboxCount } }')).viewer.unreadInboxCount, { timeout: 30_000 })
    .toBe(1);
  await page.reload();
  await page.getByRole('button', { name: 'Unread (1)' }).click();
  await expect(page.getByRole('article')).toHaveCount(1);
  await page.getByRole('button', { name: 'Mark all read' }).click();
  await expect(page.getByRole('status').filter({ hasText: '1 message marked read' })).toBeVisible();
  await expect(page.getByText('Nothing unread')).toBeVisible();
  await expect(inboxLink).toHaveAccessibleName('Inbox');
});
