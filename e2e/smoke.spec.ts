import type { Route } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { screenshot, screenshotBothThemes } from './support/screenshots.ts';

/** Intercepts the first request of the named GraphQL operation only; every other request goes to the server. */
function firstOf(operation: string, handle: (route: Route) => Promise<void>) {
  let seen = false;
  return async (route: Route) => {
    if (!seen && route.request().postData()?.includes(operation)) {
      seen = true;
      await handle(route);
    } else {
      await route.continue();
    }
  };
}

test('the status page shows the server as healthy', async ({ page }) => {
  await page.goto('/status');

  await expect(page.getByRole('banner')).toContainText('Sundial');
  await expect(page.getByLabel('Overall status')).toHaveText('healthy');
  await expect(page.getByText('Embedded (PGlite)')).toBeVisible();
  await expect(page.getByText('running', { exact: true })).toBeVisible();

  await screenshotBothThemes(page, 'status');
});

test('when the health query fails, the page says so and Retry recovers', async ({ page }) => {
  await page.route('**/graphql', firstOf('StatusPageQuery', (route) => route.abort('connectionrefused')));
  await page.goto('/status');

  const alert = page.getByRole('alert');
  await expect(alert).toContainText("Cannot load the server's health");
  await screenshot(page, 'status-error');

  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByLabel('Overall status')).toHaveText('healthy');
  await expect(alert).toBeHidden();
});

test('while the health query is in flight, the page shows a loading state', async ({ page }) => {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    '**/graphql',
    firstOf('StatusPageQuery', async (route) => {
      await released;
      await route.continue();
    }),
  );
  await page.goto('/status');

  await expect(page.getByRole('status', { name: 'Loading health' })).toBeVisible();
  await screenshot(page, 'status-loading');
  release();
  await expect(page.getByLabel('Overall status')).toHaveText('healthy');
});
