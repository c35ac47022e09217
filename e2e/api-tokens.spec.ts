import { expect, test } from './support/fixtures.ts';
import { screenshotBothThemes } from './support/screenshots.ts';

test('creating an API token shows its secret once; the token works until it is revoked', async ({ page, playwright, baseURL }) => {
  await page.goto('/tokens');
  await expect(page.getByRole('heading', { name: 'API tokens', exact: true })).toBeVisible();
  await expect(page.getByText('No API tokens yet')).toBeVisible();
  await screenshotBothThemes(page, 'api-tokens-empty');

  await page.getByRole('button', { name: 'New token' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New API token' });
  await expect(dialog.getByLabel('Name')).toBeFocused();
  await screenshotBothThemes(page, 'api-token-create');
  await dialog.getByLabel('Name').fill('deploy hook');
  await dialog.getByLabel('Name').press('Enter');

  const shown = page.getByRole('dialog', { name: 'Token “deploy hook” created' });
  await expect(shown.getByRole('alert')).toContainText('shown only once');
  const secret = await shown.getByLabel('Secret').inputValue();
  expect(secret.length).toBeGreaterThan(20);
  await screenshotBothThemes(page, 'api-token-secret');

  // Esc does not throw the secret away by accident; the explicit button does.
  await page.keyboard.press('Escape');
  await expect(shown).toBeVisible();
  await shown.getByRole('button', { name: 'I have stored the secret' }).click();
  await expect(shown).toBeHidden();

  const row = page.getByRole('row', { name: 'Token deploy hook' });
  await expect(row).toContainText('Active');
  await expect(row).toContainText(secret.slice(0, 8));
  // The secret is not on the page any more, and not in what the server lists.
  await expect(page.getByText(secret)).toHaveCount(0);
  await screenshotBothThemes(page, 'api-tokens');

  // The token is real: it identifies its owner to the API.
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const viewerOf = async () => (await (await api.post('/graphql', { data: { query: '{ viewer { email via } }' } })).json()) as {
    data: { viewer: { via: string } | null };
  };
  expect((await viewerOf()).data.viewer?.via).toBe('token');

  await row.getByRole('button', { name: 'Revoke' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke “deploy hook”?' });
  await screenshotBothThemes(page, 'api-token-revoke');
  await confirm.getByRole('button', { name: 'Revoke token' }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText('Revoked');
  await expect(row.getByRole('button', { name: 'Revoke' })).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Token revoked' })).toBeVisible();

  const after = await (await api.post('/graphql', { data: { query: '{ viewer { email } }' } })).json();
  expect(after.data?.viewer ?? null).toBeNull();
  await api.dispose();
});
