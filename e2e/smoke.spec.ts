import path from 'node:path';
import { expect, test } from '@playwright/test';

const screenshots = path.join(import.meta.dirname, 'screenshots');

test('the admin app loads and shows the server as healthy', async ({ page }) => {
  await page.goto('/');

  await expect(page.getByRole('banner')).toContainText('Sundial');
  await expect(page.getByLabel('Overall status')).toHaveText('healthy');
  await expect(page.getByText('Embedded (PGlite)')).toBeVisible();
  await expect(page.getByText('running', { exact: true })).toBeVisible();

  await page.screenshot({ path: path.join(screenshots, 'smoke-light.png'), fullPage: true, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(screenshots, 'smoke-dark.png'), fullPage: true, animations: 'disabled' });
});

test('when the server cannot be reached, the page says so and Retry recovers', async ({ page }) => {
  // The first health request fails as if the server were down; the retry goes through to the real server.
  await page.route('**/graphql**', (route) => route.abort('connectionrefused'), { times: 1 });
  await page.goto('/');

  const alert = page.getByRole('alert');
  await expect(alert).toContainText("Cannot load the server's health");
  await page.screenshot({ path: path.join(screenshots, 'error.png'), fullPage: true, animations: 'disabled' });

  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByLabel('Overall status')).toHaveText('healthy');
  await expect(alert).toBeHidden();
});

test('while the health query is in flight, the page shows a loading state', async ({ page }) => {
  // Hold the first health request until the loading state has been seen, then let it through to the server.
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    '**/graphql**',
    async (route) => {
      await released;
      await route.continue();
    },
    { times: 1 },
  );
  await page.goto('/');

  await expect(page.getByRole('status', { name: 'Loading health' })).toBeVisible();
  await page.screenshot({ path: path.join(screenshots, 'loading.png'), fullPage: true, animations: 'disabled' });
  release();
  await expect(page.getByLabel('Overall status')).toHaveText('healthy');
});
