// Screenshots of each page type at phone and desktop width, light and dark, as artifacts to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { launch, BASE, PAGE_TYPES, artifactsDir } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => browser?.close());

test('screenshots of every page type', async () => {
  const dir = artifactsDir('screenshots');
  let count = 0;
  for (const scheme of ['light', 'dark']) {
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
      const page = await context.newPage();
      for (const [type, path] of Object.entries(PAGE_TYPES)) {
        await page.goto(BASE + path);
        const file = `${dir}/${type}-${width}-${scheme}.png`;
        await page.screenshot({ path: file, fullPage: true });
        assert.ok(existsSync(file));
        count++;
      }
      await context.close();
    }
  }
  console.log(`${count} screenshots in ${dir}`);
});
