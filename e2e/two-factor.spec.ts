// Two-factor sign-in in the browser: a user turns it on from the account page (QR code and secret, confirmed with a
// code, recovery codes shown once), signs out, signs in with password then a code, and a recovery code works once.
import { Secret, TOTP } from 'otpauth';
import type { Page } from '@playwright/test';
import { createUser, roleId, unique } from './support/api.ts';
import { expect, test } from './support/fixtures.ts';

const PASSWORD = 'quartz meadow lantern 73';

/** The code an authenticator app shows for the secret, `steps` 30-second steps from now. */
function codeAt(secret: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + steps * 30_000 });
}

async function signInWithPassword(page: Page, email: string) {
  await page.goto('/sign-in');
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  return page.getByRole('form', { name: 'Two-factor code' });
}

async function signOut(page: Page, name: string) {
  await page.getByRole('button', { name: `Account: ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

test('turning on two-factor sign-in, then signing in with a code and with a recovery code (once)', async ({ page, browser }) => {
  test.setTimeout(180_000); // four sign-ins, each a password hash check (slow on a busy machine)
  const name = unique('Tess Totp');
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}@example.com`;
  await createUser(page, { name, email, password: PASSWORD, roleIds: [await roleId(page, 'viewer')] });

  const context = await browser.newContext();
  const user = await context.newPage();
  await signInWithPassword(user, email);
  await expect(user.getByTestId('viewer-name')).toHaveText(name);

  await user.goto('/account');
  const card = user.locator('section', { has: user.getByRole('heading', { name: 'Two-factor sign-in' }) });
  await card.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(user.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = (await user.getByTestId('totp-secret').textContent())!.trim();
  await user.getByLabel('Code from the app').fill(codeAt(secret));
  await user.getByRole('button', { name: 'Turn on', exact: true }).click();
  const shown = user.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(shown).toHaveCount(10);
  const codes = await shown.allTextContents();
  await user.getByRole('button', { name: 'I have saved them' }).click();
  await expect(user.getByText('10 unused recovery codes left.', { exact: false })).toBeVisible();
  await expect(user.getByText(secret)).toHaveCount(0);

  await signOut(user, name);
  let step = await signInWithPassword(user, email);
  // The next step's code: the one used to turn it on is not accepted twice.
  await step.getByLabel('Code').fill(codeAt(secret, 1));
  await step.getByRole('button', { name: 'Verify' }).click();
  await expect(user.getByTestId('viewer-name')).toHaveText(name);

  await signOut(user, name);
  step = await signInWithPassword(user, email);
  await step.getByLabel('Code').fill(codes[0]!);
  await step.getByRole('button', { name: 'Verify' }).click();
  await expect(user.getByTestId('viewer-name')).toHaveText(name);

  await signOut(user, name);
  step = await signInWithPassword(user, email);
  await step.getByLabel('Code').fill(codes[0]!);
  await step.getByRole('button', { name: 'Verify' }).click();
  await expect(step.getByRole('alert')).toContainText('not a current code of your authenticator app nor an unused recovery code');
  await context.close();
});
