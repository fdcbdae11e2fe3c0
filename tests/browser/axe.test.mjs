// axe-core on every page, in every display mode: zero WCAG 2.2 A/AA violations and zero AAA
// contrast (7:1) violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, sitePages, MODES, contextFor, axe, BASE } from './lib.mjs';

let browser;
let pages;
before(async () => {
  browser = await launch();
  pages = await sitePages();
});
after(async () => browser?.close());

for (const [name, mode] of Object.entries(MODES)) {
  test(`axe: no violations on any page in ${name} mode`, async () => {
    const context = await contextFor(browser, mode, { viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = [];
    for (const path of pages) {
      await page.goto(BASE + path);
      if (name === 'contrast') {
        assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'contrast');
      }
      for (const v of await axe(page)) problems.push(`${path}: ${v}`);
    }
    await context.close();
    console.log(`axe ${name}: ${pages.length} pages, ${problems.length} violations`);
    assert.deepEqual(problems, []);
  });
}

test('axe harness catches planted problems (so a green run means something)', async () => {
  const page = await browser.newPage();
  await page.goto(`${BASE}/404.html`);
  await page.evaluate(() => {
    const p = document.createElement('p');
    p.textContent = 'Chữ xám nhạt khó đọc';
    p.style.color = '#999999';
    document.querySelector('main').append(p);
    const img = document.createElement('img');
    img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
    document.querySelector('main').append(img);
  });
  const found = await axe(page);
  await page.close();
  assert.ok(found.some((v) => v.startsWith('image-alt')), found.join('\n'));
  assert.ok(found.some((v) => v.startsWith('color-contrast')), found.join('\n'));
});
