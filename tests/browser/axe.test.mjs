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

// The learning aids in the states JavaScript gives them (issue 19): a journey with ticks, the
// "lessons I have learnt" page with its list, and a question after a wrong answer.
const LEARNT = JSON.stringify({
  '/an-toan/bao-ve-ma-otp-mat-khau/': { t: 'Giữ kín mã OTP và mật khẩu', d: '2026-11-26T08:00:00.000Z' },
  '/an-toan/duong-link-gia/': { t: 'Cẩn thận với đường link lạ và ứng dụng giả', d: '2026-11-25T08:00:00.000Z' },
});
for (const [name, mode] of Object.entries(MODES)) {
  test(`axe: journey, progress page and an answered question in ${name} mode`, async () => {
    const context = await contextFor(browser, { ...mode, storage: { ...mode.storage, 'hocso-learnt': LEARNT } }, {
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    const problems = [];
    for (const path of ['/lo-trinh/thanh-toan-bang-dien-thoai-an-toan/', '/lo-trinh/lam-thu-tuc-hanh-chinh-tren-dien-thoai/to-roi/', '/bai-da-hoc/', '/an-toan/']) {
      await page.goto(BASE + path);
      for (const v of await axe(page)) problems.push(`${path}: ${v}`);
    }
    assert.equal(await page.locator('.learnt-mark').count(), 2, 'ticks shown on the topic page');
    await page.goto(`${BASE}/an-toan/bao-ve-ma-otp-mat-khau/`);
    await page.locator('fieldset.quiz-form').first().getByRole('radio').first().check();
    await page.locator('.quiz-result').first().filter({ hasText: /\S/ }).waitFor();
    await page.locator('.quiz details').first().evaluate((d) => { d.open = true; });
    for (const v of await axe(page)) problems.push(`quiz: ${v}`);
    await context.close();
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
