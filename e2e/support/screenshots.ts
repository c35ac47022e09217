// Screenshots of a page in light and dark mode, into e2e/screenshots/ (ignored by git), to be looked at by a person.
import path from 'node:path';
import type { Page } from '@playwright/test';

const folder = path.join(import.meta.dirname, '..', 'screenshots');

/** `name-light.png` and `name-dark.png`; the app follows the emulated system scheme (its default theme). */
export async function screenshotBothThemes(page: Page, name: string): Promise<void> {
  // From the top: a full-page shot of a scrolled page draws sticky headers in the middle.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: path.join(folder, `${name}-light.png`), fullPage: true, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(folder, `${name}-dark.png`), fullPage: true, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true, animations: 'disabled' });
}
