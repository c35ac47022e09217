// Scene-setting for the admin-app specs (runs started through the API, the pages every route list visits) and the
// checks every page gets: no sideways scroll on a phone, no serious or critical axe violation.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, gql } from './support/fixtures.ts';

export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1440, height: 900 } as const;

export async function runJobNow(page: Page, jobId: string, title?: string): Promise<string> {
  const data = await gql<{ runJobNow: { run?: { id: string }; message?: string } }>(
    page,
    `mutation($id: ID!, $title: String) { runJobNow(id: $id, title: $title) { __typename ... on MutationRunJobNowSuccess { run { id } } ... on Error { message } } }`,
    { id: jobId, title: title ?? null },
  );
  if (!data.runJobNow.run) throw new Error(`runJobNow: ${data.runJobNow.message}`);
  return data.runJobNow.run.id;
}

/** Waits until the run has the status (the server's answer, polled: a readiness signal, not a sleep). */
export async function waitForRunStatus(page: Page, runId: string, statuses: string[]): Promise<void> {
  await expect
    .poll(async () => (await gql<{ run: { status: string } }>(page, 'query($id: ID!) { run(id: $id) { status } }', { id: runId })).run.status, {
      timeout: 30_000,
    })
    .toMatch(new RegExp(`^(${statuses.join('|')})$`));
}

/** The page does not scroll sideways: its content is no wider than the viewport. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement?.scrollWidth ?? 0,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `page is ${scrollWidth}px wide in a ${clientWidth}px viewport`).toBeLessThanOrEqual(clientWidth);
}

/** No serious or critical WCAG A/AA violation on the page as it is now, in the current colour scheme. */
export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  // Colours are checked as they end up: a colour transition caught halfway after a scheme switch is not a violation.
  // The app honours reduced motion (no transitions), and what was already running is waited for.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(' | ')}`);
  expect(serious, `axe on ${page.url()}`).toEqual([]);
}
