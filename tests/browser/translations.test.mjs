// Translations (issue 16) in a real browser: the language switcher is reachable and usable
// from the keyboard, leads to the same lesson in the other language, and the English search
// finds English lessons by English words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the switcher is reached with Tab and leads to the translation', async () => {
  const page = await browser.newPage();
  await page.goto(BASE + '/an-toan/bao-ve-ma-otp-mat-khau/');
  // Tab from the top until the focus is on the English entry; it must come before the lesson.
  let found = false;
  for (let i = 0; i < 40 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => {
      const a = document.activeElement;
      return a?.closest('.lang-nav') != null && a.getAttribute('lang') === 'en';
    });
  }
  assert.ok(found, 'the English entry of the switcher is in the tab order');
  const focused = await page.evaluate(() => {
    const r = document.activeElement.getBoundingClientRect();
    return { width: r.width, height: r.height, outline: getComputedStyle(document.activeElement).outlineStyle };
  });
  assert.ok(focused.height >= 44 && focused.width >= 44, `target ${focused.width}x${focused.height}`);
  assert.notEqual(focused.outline, 'none', 'the focus is visible');
  await Promise.all([page.waitForURL('**/en/an-toan/protect-otp-and-passwords/'), page.keyboard.press('Enter')]);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  const current = await page.$eval('.lang-nav [aria-current="page"]', (a) => a.textContent.trim());
  assert.equal(current, 'English');
  await page.close();
});

test('the English search finds an English lesson and no Vietnamese-only one', async () => {
  const page = await browser.newPage();
  await page.goto(BASE + '/en/tim-kiem/?q=password');
  await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0, null, {
    timeout: 15000,
  });
  const hrefs = await page.$$eval('#search-results li a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.includes('/en/an-toan/protect-otp-and-passwords/'), hrefs.join(' '));
  assert.ok(hrefs.every((h) => h.startsWith('/en/')), hrefs.join(' '));
  await page.goto(BASE + '/en/tim-kiem/?q=deepfake');
  await page.waitForFunction(() => document.querySelector('#search-status')?.textContent.trim().length > 0);
  const count = await page.$$eval('#search-results li', (li) => li.length);
  assert.equal(count, 0, 'the Vietnamese-only lesson about deepfakes is not an English result');
  await page.close();
});
