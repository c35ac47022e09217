// Users, roles, runs and the dashboard as an admin sees them (with screenshots in both themes).
import { createRole, createUser, unique } from './support/api.ts';
import { expect, test } from './support/fixtures.ts';
import { screenshotBothThemes } from './support/screenshots.ts';

test('users: create a user with attributes and a role through the dialog, then edit them', async ({ page }) => {
  const role = unique('editors');
  await createRole(page, role);
  const email = `${unique('lin')}@example.test`;
  await page.goto('/users');
  await page.getByRole('button', { name: 'New user' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel('Name').fill('Lin Attributes');
  await dialog.getByLabel('E-mail').fill(email);
  await dialog.getByLabel('Roles').fill(role.slice(0, 6));
  await page.getByRole('option', { name: new RegExp(role) }).click();
  await dialog.getByLabel('Attributes').fill('{"chatId": 42, "locale": "es"}');
  await screenshotBothThemes(page, 'user-dialog');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog).toBeHidden();

  await page.getByLabel('Search users').fill('Lin Attr');
  const row = page.getByRole('row', { name: 'User Lin Attributes' });
  await expect(row).toContainText(role);
  await expect(row).toContainText('"chatId":42');
  await expect(row).toContainText('Target only');
  await screenshotBothThemes(page, 'users');

  await row.getByRole('button', { name: 'Actions for Lin Attributes' }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Lin Attributes' });
  await edit.getByLabel('Attributes').fill('not json');
  await expect(edit.getByLabel('Attributes')).toHaveAccessibleDescription(/Not valid JSON/);
  await edit.getByLabel('Attributes').fill('{"chatId": 43}');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(row).toContainText('"chatId":43');
});

test('users: the password field says why a weak password is refused; failed sign-ins are shown and cleared', async ({ page }) => {
  test.setTimeout(180_000); // a few dozen sign-in attempts, each a password hash check (slow on a busy machine)
  const email = `${unique('flo')}@example.test`;
  await createUser(page, { name: 'Flo Guessed', email, password: 'quartz meadow lantern 62' });
  // Wrong passwords from an address the account never signed in from: past the limit (10) each guess waits longer
  // (1 s, 2 s, 4 s…); guessing goes on until a wait is long enough for the page to still show it.
  for (let guess = 0; guess < 500; guess += 1) {
    const response = await page.request.post('/graphql', {
      data: { query: 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }', variables: { e: email, p: `wrong guess ${guess}` } },
    });
    const body = (await response.json()) as { errors?: { extensions?: { retryAfterSeconds?: number } }[] };
    if ((body.errors?.[0]?.extensions?.retryAfterSeconds ?? 0) >= 30) break;
  }
  await page.goto('/users');
  await page.getByLabel('Search users').fill('Flo Guessed');
  const row = page.getByRole('row', { name: 'User Flo Guessed' });
  await expect(row).toContainText(/\d+ failed sign-ins, slowed down/);
  await row.getByRole('button', { name: 'Actions for Flo Guessed' }).click();
  await page.getByRole('menuitem', { name: 'Clear failed sign-ins' }).click();
  await expect(page.getByText('Failed sign-ins cleared')).toBeVisible();
  await expect(row).not.toContainText('failed sign-in');

  await page.getByRole('button', { name: 'New user' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel('Name').fill('Pia Strong');
  await dialog.getByLabel('E-mail').fill(`${unique('pia')}@example.test`);
  await dialog.getByLabel('Password').fill('password123');
  await expect(dialog.getByLabel('Password')).toHaveAccessibleDescription(/This password is too easy to guess: This is a commonly used password\..*Accepted:/);
  await dialog.getByLabel('Password').fill('pia strong 2026');
  await expect(dialog.getByLabel('Password')).toHaveAccessibleDescription(/This password must not contain the e-mail address or the name of its user/);
  await dialog.getByLabel('Password').fill('violet anchor drizzle 47');
  await expect(dialog.getByLabel('Password')).toHaveAccessibleDescription(/Hard enough to guess\./);
});

test('roles: the built-in roles with their permissions; a new role gets members', async ({ page }) => {
  const name = unique('auditors');
  await createUser(page, { name: 'Rhea Member', email: `${unique('rhea')}@example.test` });
  await page.goto('/roles');
  await expect(page.getByRole('row', { name: 'Role admin' })).toContainText('built in');
  await expect(page.getByRole('row', { name: 'Role viewer' })).toContainText('See jobs and runs');

  await page.getByRole('button', { name: 'New role' }).click();
  const dialog = page.getByRole('dialog', { name: 'New role' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Read the audit log').check();
  await dialog.getByRole('button', { name: 'Create role' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: `Role ${name}` });
  await expect(row).toContainText('Read the audit log');
  await screenshotBothThemes(page, 'roles');

  await row.getByRole('button', { name: `Members of ${name}: 0` }).click();
  const members = page.getByRole('dialog', { name: `Members of ${name}` });
  await members.getByLabel('Add people').fill('Rhea');
  await page.getByRole('option', { name: /Rhea Member/ }).click();
  await members.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(members.getByRole('list', { name: 'Members' })).toContainText('Rhea Member');
  await members.getByRole('button', { name: 'Done' }).click();
  await expect(row.getByRole('button', { name: `Members of ${name}: 1` })).toBeVisible();
});

test('the dashboard and the runs list show what ran', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Dashboard', exact: true })).toBeVisible();
  // Other tests in this run created jobs; whatever the counts, the page is whole.
  await expect(page.getByText(/Jobs enabled|Welcome to Sundial/).first()).toBeVisible();
  await screenshotBothThemes(page, 'dashboard');
  await page.goto('/runs');
  await expect(page.getByRole('heading', { name: 'Runs', exact: true })).toBeVisible();
  await screenshotBothThemes(page, 'runs');
});
