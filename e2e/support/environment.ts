// What the browser tests need from the machine: a free port, a throwaway data folder, a Chromium.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';

/** A port the OS just handed out and released: free now, and very likely still free when the server binds it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** An empty folder for the embedded database, removed when the test run's main process exits. */
export function throwawayDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-e2e-'));
  // Playwright stops the web server before its own process exits, so nothing writes here any more by then.
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function playwrightChromium(): string | null {
  try {
    const file = chromium.executablePath();
    return fs.existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/** CHROMIUM_PATH, else Debian's /usr/bin/chromium, else a Chromium Playwright downloaded. Never skips: throws. */
export function findChromium(): string {
  const named = process.env.CHROMIUM_PATH;
  if (named) {
    if (fs.existsSync(named)) return named;
    throw new Error(`CHROMIUM_PATH=${named} does not exist: point it at a Chromium or Chrome binary, or unset it`);
  }
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  const downloaded = playwrightChromium();
  if (downloaded) return downloaded;
  throw new Error('No Chromium for the browser tests: run `apt-get install chromium`, or set CHROMIUM_PATH to a Chromium/Chrome binary');
}
