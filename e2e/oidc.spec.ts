// Single sign-on in the browser: with password sign-in turned off, the sign-in page offers only "Sign in with <name>";
// clicking it goes through the provider's own login page (oidc-provider on loopback) and back into the admin app,
// signed in as a user created from the provider's claims, with the role its group maps to.
import { expect, test } from '@playwright/test';
import { startSso, type SsoSetup } from './support/oidc.ts';
import { screenshotBothThemes } from './support/screenshots.ts';

let sso: SsoSetup;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  sso = await startSso(
    { ada: { email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace', groups: ['sundial-ops'] } },
    { name: 'Example ID', roleMapping: { 'sundial-ops': 'operator' } },
  );
});

test.afterAll(async () => {
  await sso?.close();
});

test('signs in with SSO through the provider’s login page and lands where the user was going', async ({ page }) => {
  // Two servers and a provider on a shared, loaded machine: the round trip through three origins takes a while.
  test.setTimeout(120_000);
  await page.goto(`${sso.sundialUrl}/jobs`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fjobs$/);
  const button = page.getByRole('link', { name: 'Sign in with Example ID' });
  await expect(button).toBeVisible();
  // Password sign-in is off: no password field is offered.
  await expect(page.getByLabel('Password')).toHaveCount(0);
  await screenshotBothThemes(page, 'sign-in-sso-only');

  await button.click();
  await expect(page).toHaveURL(new RegExp(`^${sso.issuer}/interaction/`));
  await page.locator('input[name="login"]').fill('ada');
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();

  await expect(page).toHaveURL(`${sso.sundialUrl}/jobs`);
  await expect(page.getByRole('button', { name: /^Account: Ada Lovelace/ })).toContainText('3 permissions');
  // The page's own code loads on first visit; on a busy machine that outlasts the default 5 s.
  await expect(page.getByRole('heading', { name: 'Jobs', exact: true })).toBeVisible({ timeout: 30_000 });
});

test('a refused sign-in comes back to the sign-in page saying why', async ({ page }) => {
  await page.goto(`${sso.sundialUrl}/auth/oidc/callback?code=forged&state=forged`);
  await expect(page).toHaveURL(/\/sign-in\?sso=bad_state$/);
  await expect(page.getByRole('alert')).toContainText('The sign-in could not be matched to this browser');
  await screenshotBothThemes(page, 'sign-in-sso-refused');
});
