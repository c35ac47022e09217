import { ADMIN } from './support/accounts.ts';
import { expect, test } from './support/fixtures.ts';
import { screenshotBothThemes } from './support/screenshots.ts';

test.describe('signed out', () => {
  test.use({ signedInAs: null });

  test('a signed-out visitor is sent to sign in, sees the generic error, then lands where they were going', async ({ page }) => {
    await page.goto('/tokens');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Ftokens$/);
    await expect(page.getByRole('heading', { name: 'Sign in to Sundial' })).toBeVisible();

    const email = page.getByLabel('E-mail');
    await expect(email).toBeFocused();
    await screenshotBothThemes(page, 'sign-in');

    await email.fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByLabel('Password').press('Enter');
    await expect(page.getByRole('alert')).toContainText('Wrong e-mail or password');
    await screenshotBothThemes(page, 'sign-in-error');

    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/tokens$/);
    await expect(page.getByRole('heading', { level: 1, name: 'API tokens' })).toBeVisible();
    await expect(page.getByTestId('viewer-name')).toHaveText('Administrator');
  });

  test('an open redirect through ?next= goes home instead', async ({ page }) => {
    await page.goto('/sign-in?next=//evil.example/');
    await page.getByLabel('E-mail').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByLabel('Password').press('Enter');
    await expect(page.getByRole('heading', { name: 'Dashboard', exact: true })).toBeVisible();
    expect(new URL(page.url()).host).toBe(new URL(page.url()).host);
    await expect(page).toHaveURL(/\/$/);
  });
});

test('the header shows who is signed in and what they may do; signing out ends the session', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Dashboard', exact: true })).toBeVisible();

  const account = page.getByRole('button', { name: /^Account: / });
  await expect(account).toContainText('Full access');
  // Keyboard: the menu opens from the button and its items are reachable with the arrows.
  await account.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu');
  await expect(menu).toContainText(ADMIN.email);
  await expect(menu.getByRole('list', { name: 'Your permissions' })).toContainText('Manage users');
  await expect(menu.getByRole('menuitem', { name: 'Show times in UTC' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Account and sessions' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Change password' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(menu.getByRole('menuitem', { name: 'Sign out' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(account).toBeFocused();

  await account.click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);

  // The session is over on the server too: the app asks again and is sent back to sign in.
  await page.goto('/tokens');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Ftokens$/);
});

test('the theme toggle switches between system, light and dark', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/status');
  const html = page.locator('html');
  await expect(html).not.toHaveClass(/dark/);

  await page.getByRole('button', { name: /Colour theme: same as the system/ }).click();
  await expect(page.getByRole('button', { name: /Colour theme: light/ })).toBeVisible();
  await page.getByRole('button', { name: /Colour theme: light/ }).click();
  await expect(html).toHaveClass(/dark/);
  // The choice outlives a reload.
  await page.reload();
  await expect(html).toHaveClass(/dark/);
  await page.getByRole('button', { name: /Colour theme: dark/ }).click();
  await expect(html).not.toHaveClass(/dark/);
});
