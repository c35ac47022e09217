// Every route of the admin app, at 1440×900 and 390×844, light and dark: no page scrolls sideways on a phone (tables
// scroll inside their card), no serious or critical accessibility violation (axe-core), and a screenshot of each.
import type { Page } from '@playwright/test';
import { createJob, unique } from './support/api.ts';
import { expect, test } from './support/fixtures.ts';
import { screenshotBothThemes } from './support/screenshots.ts';
import { DESKTOP, expectNoSeriousAxeViolations, expectNoSidewaysScroll, PHONE, runJobNow, waitForRunStatus } from './app-helpers.ts';

interface Scene {
  jobId: string;
  runId: string;
}

async function setScene(page: Page): Promise<Scene> {
  const jobId = await createJob(page, {
    name: unique('Every page job with a rather long name to test wrapping'),
    action: 'examples.noop',
    args: { logLines: 3 },
    schedules: [
      { kind: 'CRON', cron: '0 9 * * *', timezone: 'Europe/Paris' },
      { label: 'Month end', kind: 'CRON', cron: '0 18 L * *', timezone: 'Europe/Paris', args: { logLines: 1 } },
    ],
  });
  const runId = await runJobNow(page, jobId);
  await waitForRunStatus(page, runId, ['SUCCEEDED']);
  return { jobId, runId };
}

const ROUTES: { name: string; path: (scene: Scene) => string; ready: (page: Page) => Promise<void> }[] = [
  { name: 'dashboard', path: () => '/', ready: (page) => expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible() },
  { name: 'jobs', path: () => '/jobs', ready: (page) => expect(page.getByRole('table', { name: 'Jobs' })).toBeVisible() },
  { name: 'job', path: (s) => `/jobs/${s.jobId}`, ready: (page) => expect(page.getByTestId('schedule-description')).toBeVisible() },
  { name: 'job-new', path: () => '/jobs/new', ready: (page) => expect(page.getByRole('heading', { level: 1, name: 'New job' })).toBeVisible() },
  { name: 'job-edit', path: (s) => `/jobs/${s.jobId}/edit`, ready: (page) => expect(page.getByRole('heading', { name: /Edit/ })).toBeVisible() },
  { name: 'runs', path: () => '/runs', ready: (page) => expect(page.getByRole('table', { name: 'Runs' })).toBeVisible() },
  { name: 'run', path: (s) => `/jobs/${s.jobId}/runs/${s.runId}`, ready: (page) => expect(page.getByTestId('log-count')).toHaveText('3 lines') },
  { name: 'users', path: () => '/users', ready: (page) => expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible() },
  { name: 'roles', path: () => '/roles', ready: (page) => expect(page.getByRole('heading', { level: 1, name: 'Roles' })).toBeVisible() },
  { name: 'tokens', path: () => '/tokens', ready: (page) => expect(page.getByRole('heading', { level: 1, name: 'API tokens' })).toBeVisible() },
  { name: 'calendars', path: () => '/calendars', ready: (page) => expect(page.getByRole('heading', { level: 1, name: 'Calendars' })).toBeVisible() },
  { name: 'account', path: () => '/account', ready: (page) => expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible() },
  { name: 'audit', path: () => '/audit', ready: (page) => expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible() },
  { name: 'inbox', path: () => '/inbox', ready: (page) => expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible() },
  { name: 'status', path: () => '/status', ready: (page) => expect(page.getByLabel('Overall status')).toHaveText('healthy') },
  { name: 'not-found', path: () => '/no-such-page', ready: (page) => expect(page.getByRole('heading', { level: 1 })).toBeVisible() },
];

for (const [size, viewport] of [
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const) {
  test(`every page at ${viewport.width}×${viewport.height}: ${size === 'phone' ? 'no sideways scroll, ' : ''}no serious axe violation, light and dark`, async ({ page }) => {
    test.setTimeout(360_000);
    await page.setViewportSize(viewport);
    const scene = await setScene(page);
    for (const route of ROUTES) {
      await test.step(route.name, async () => {
        await page.goto(route.path(scene));
        await route.ready(page);
        if (size === 'phone') await expectNoSidewaysScroll(page);
        for (const scheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme: scheme });
          await expectNoSeriousAxeViolations(page);
        }
        await screenshotBothThemes(page, `every-page-${route.name}-${size}`);
      });
    }
  });
}

test.describe('signed out', () => {
  test.use({ signedInAs: null });
  for (const viewport of [DESKTOP, PHONE]) {
    test(`the sign-in page at ${viewport.width} px says where the first admin comes from, and passes axe`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await page.goto('/sign-in');
      await expect(page.getByText(/generated password printed\s+once on the server's console/)).toBeVisible();
      await expectNoSidewaysScroll(page);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await expectNoSeriousAxeViolations(page);
      }
      await screenshotBothThemes(page, `every-page-sign-in-${viewport.width}`);
    });
  }
});

test('on a phone the navigation is a menu that reaches every page', async ({ page }) => {
  await page.setViewportSize(PHONE);
  await page.goto('/jobs');
  const menu = page.getByRole('button', { name: 'Menu' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await menu.click();
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const label of ['Dashboard', 'Jobs', 'Runs', 'Inbox', 'Users', 'Roles', 'API tokens', 'Audit log', 'Status']) {
    await expect(nav.getByRole('link', { name: label })).toBeVisible();
  }
  await screenshotBothThemes(page, 'phone-menu-open');
  await nav.getByRole('link', { name: 'Audit log' }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  // Following a link closes the menu.
  await expect(page.getByRole('button', { name: 'Menu' })).toHaveAttribute('aria-expanded', 'false');
});
