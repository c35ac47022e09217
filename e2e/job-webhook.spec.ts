// A job's webhook in the browser: enable it on the job page, see the secret once (a dialog that does not close by
// accident) with its curl example, start a run by posting to the address as a sender would, see the delivery, rotate
// the secret (confirmed, shown once again), disable it. Axe checks the card and the secret dialog, light and dark.
import crypto from 'node:crypto';
import { createJob, unique } from './support/api.ts';
import { expect as baseExpect, test } from './support/fixtures.ts';
import { screenshotBothThemes } from './support/screenshots.ts';
import { expectNoSeriousAxeViolations, expectNoSidewaysScroll, PHONE } from './app-helpers.ts';

// Each step waits for a server round trip; a ceiling for a busy machine, not an expectation of speed.
const expect = baseExpect.configure({ timeout: 30_000 });

test('a job webhook is enabled, called, rotated and disabled from the job page', async ({ page }) => {
  // Four axe runs and three dialogs, on a machine that may be busy (a ceiling, as for every-page.spec.ts).
  test.setTimeout(240_000);
  const jobId = await createJob(page, { name: unique('Hooked job'), action: 'examples.noop', args: { logLines: 1 } });
  await page.goto(`/jobs/${jobId}`);
  const card = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Webhook', exact: true }) });
  await expect(card.getByText(/^Off\./)).toBeVisible();

  await card.getByRole('button', { name: 'Enable webhook' }).click();
  const dialog = page.getByRole('dialog', { name: "The webhook's secret" });
  await expect(dialog).toBeVisible();
  const secret = await dialog.getByLabel('Secret', { exact: true }).inputValue();
  expect(secret).toMatch(/^whsec_/);
  await expect(dialog.getByLabel('curl example with the secret')).toContainText(`Authorization: Bearer ${secret}`);
  await expect(dialog.getByRole('button', { name: 'Copy secret' })).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expectNoSeriousAxeViolations(page);
  }
  await screenshotBothThemes(page, 'job-webhook-secret');
  // Escape does not lose the secret; the button says it was stored.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'I have stored the secret' }).click();
  await expect(dialog).toBeHidden();

  const address = await card.getByLabel('Address', { exact: true }).inputValue();
  expect(address).toMatch(/\/hooks\/hk_/);
  await expect(card.getByLabel('curl example', { exact: true })).toContainText('$SUNDIAL_HOOK_SECRET');
  await expect(card.getByText(/also sign instead of sending the secret/)).toBeVisible();

  // A sender signs its body (Stripe's way) and posts it.
  const body = JSON.stringify({ logLines: 2 });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  const answer = await page.request.post(address, {
    headers: { 'content-type': 'application/json', 'sundial-signature': `t=${timestamp},v1=${signature}` },
    data: body,
  });
  expect(answer.status()).toBe(202);
  const { runId } = (await answer.json()) as { runId: string };

  await card.getByRole('button', { name: 'Refresh' }).click();
  const deliveries = card.getByRole('list', { name: 'Last webhook deliveries' });
  await expect(deliveries.getByText('202 Accepted')).toBeVisible();
  await expect(deliveries.getByRole('link', { name: 'Run' })).toHaveAttribute('href', `/runs/${runId}`);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expectNoSeriousAxeViolations(page);
  }
  await screenshotBothThemes(page, 'job-webhook-card');

  // Rotate: confirmed, then a new secret shown once.
  await card.getByRole('button', { name: 'Rotate secret' }).click();
  await page.getByRole('dialog', { name: "Rotate the webhook's secret?" }).getByRole('button', { name: 'Rotate secret' }).click();
  await expect(dialog).toBeVisible();
  const rotated = await dialog.getByLabel('Secret', { exact: true }).inputValue();
  expect(rotated).not.toBe(secret);
  await dialog.getByRole('button', { name: 'I have stored the secret' }).click();
  await expect(card.getByText(/the previous one works until/)).toBeVisible();
  expect((await page.request.post(address, { headers: { authorization: `Bearer ${rotated}` }, data: '{}' })).status()).toBe(202);

  await page.setViewportSize(PHONE);
  await expectNoSidewaysScroll(page);

  await card.getByRole('button', { name: 'Disable webhook' }).click();
  await expect(card.getByRole('button', { name: 'Enable webhook' })).toBeVisible();
  expect((await page.request.post(address, { headers: { authorization: `Bearer ${rotated}` }, data: '{}' })).status()).toBe(404);
});
