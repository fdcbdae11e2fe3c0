// Shared helpers for the browser checks: launch Debian's Chromium the way this machine allows,
// and serve the built site on loopback with `hocso serve`.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Install it with: apt-get install -y chromium ` +
        '(or set CHROMIUM_PATH). The browser suite never skips silently.',
    );
  }
  // Playwright gives every launch a fresh, empty --user-data-dir of its own (it refuses one in
  // args), so no profile state leaks between runs.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
