// The reader's controls: text size, colour scheme, read aloud; and the JavaScript budget.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { launch, BASE, PAGE_TYPES } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => browser?.close());

const fontSize = (page) => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);

/** The size and colour choices sit in the header's one "Hiển thị" menu. */
async function openDisplay(page) {
  await page.locator('.display-menu > summary').click();
  assert.ok(await page.locator('#reader-tools').isVisible(), 'the display menu opens');
}

test('the display menu: one control, shown from the first paint, opens and closes', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(BASE + PAGE_TYPES.lesson);
  const summary = page.locator('.display-menu > summary');
  assert.equal(await summary.innerText(), 'Hiển thị');
  assert.equal(await page.locator('#reader-tools').isVisible(), false, 'closed until asked for');
  await openDisplay(page);
  // Opening one menu closes the other; Escape closes and gives focus back to the menu's button.
  await page.locator('.topic-nav summary').click();
  assert.equal(await page.locator('#reader-tools').isVisible(), false);
  assert.ok(await page.getByRole('link', { name: 'An toàn trên mạng' }).first().isVisible());
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('.topic-nav details').getAttribute('open'), null);
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Chủ đề');
  await openDisplay(page);
  await page.mouse.click(195, 820); // below the panel, on the page
  assert.equal(await page.locator('#reader-tools').isVisible(), false, 'a tap elsewhere closes it');
  await context.close();
});

test('text size: three steps, named buttons, remembered, applied before first paint', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  await page.goto(BASE + PAGE_TYPES.lesson);
  assert.equal(await fontSize(page), '20px', 'base text is 20 px');
  await openDisplay(page);
  const larger = page.getByRole('button', { name: 'Chữ lớn hơn' });
  const smaller = page.getByRole('button', { name: 'Chữ nhỏ hơn' });
  assert.equal(await smaller.getAttribute('aria-disabled'), 'true');
  await larger.click();
  assert.equal(await fontSize(page), '25px');
  await larger.click();
  assert.equal(await fontSize(page), '30px');
  assert.equal(await larger.getAttribute('aria-disabled'), 'true');
  await larger.dispatchEvent('click');
  assert.equal(await fontSize(page), '30px', 'no fourth step');
  assert.equal(await page.locator('.size-status').innerText(), 'Rất lớn');

  // Another page: the size is there at DOMContentLoaded, before the script file runs.
  const sizes = [];
  await page.exposeFunction('__record', (s) => sizes.push(s));
  await page.addInitScript(() => {
    document.addEventListener('readystatechange', () => {
      if (document.readyState === 'interactive') window.__record(document.documentElement.getAttribute('data-size'));
    });
  });
  await page.goto(BASE + PAGE_TYPES.home);
  assert.deepEqual(sizes, ['2']);
  assert.equal(await fontSize(page), '30px');
  await openDisplay(page);
  await smaller.click();
  await smaller.click();
  assert.equal(await fontSize(page), '20px');
  assert.equal(await page.evaluate(() => localStorage.getItem('hocso-size')), null);
  await context.close();
});

test('colour scheme: high contrast and dark can be chosen, follow the phone otherwise', async () => {
  const context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.goto(BASE + PAGE_TYPES.lesson);
  assert.equal(await bg(), 'rgb(255, 255, 255)');
  await openDisplay(page);
  const contrast = page.getByRole('button', { name: 'Tương phản cao' });
  await contrast.click();
  assert.equal(await contrast.getAttribute('aria-pressed'), 'true');
  assert.equal(await bg(), 'rgb(0, 0, 0)');
  const link = await page.evaluate(() => getComputedStyle(document.querySelector('main a')).color);
  assert.equal(link, 'rgb(255, 255, 0)', 'links are yellow in high contrast');
  await page.reload();
  assert.equal(await bg(), 'rgb(0, 0, 0)', 'remembered');
  await openDisplay(page);
  await page.getByRole('button', { name: 'Nền tối' }).click();
  assert.equal(await bg(), 'rgb(18, 20, 23)');
  await page.getByRole('button', { name: 'Nền tối' }).click();
  assert.equal(await bg(), 'rgb(255, 255, 255)', 'pressing again follows the phone');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await bg(), 'rgb(18, 20, 23)', 'dark follows prefers-color-scheme');
  await page.getByRole('button', { name: 'Nền sáng' }).click();
  assert.equal(await bg(), 'rgb(255, 255, 255)', 'light overrides a dark phone');
  await context.close();
});

/** A stand-in for the Web Speech API: records what is spoken; `__endUtterance()` finishes one. */
function fakeSpeech(lang) {
  const spoken = [];
  let current = null;
  window.__spoken = spoken;
  window.__synthState = 'idle';
  window.SpeechSynthesisUtterance = function (text) {
    this.text = text;
  };
  const synth = {
    getVoices: () => [{ lang, name: 'Giọng thử' }],
    speak(u) {
      current = u;
      spoken.push(u.text);
    },
    pause() {
      window.__synthState = 'paused';
    },
    resume() {
      window.__synthState = 'speaking';
    },
    cancel() {
      current = null;
      window.__synthState = 'cancelled';
    },
    addEventListener() {},
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  window.__endUtterance = () => current && current.onend && current.onend();
}

test('read aloud: Vietnamese voice reads title, summary, steps in order and highlights them', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  await context.addInitScript(fakeSpeech, 'vi-VN');
  const page = await context.newPage();
  await page.goto(BASE + PAGE_TYPES.lesson);
  const play = page.getByRole('button', { name: 'Nghe bài học' });
  assert.ok(await play.isVisible());
  await play.click();
  const title = await page.locator('h1').innerText();
  assert.deepEqual(await page.evaluate(() => window.__spoken), [title]);
  assert.ok(await page.locator('h1.reading').isVisible(), 'title highlighted');
  await page.evaluate(() => window.__endUtterance());
  assert.ok(await page.locator('.summary.reading').isVisible(), 'then the summary');
  for (let i = 0; i < 10; i++) await page.evaluate(() => window.__endUtterance());
  const spoken = await page.evaluate(() => window.__spoken);
  assert.ok(spoken.some((s) => /^1\. Gõ tên thủ tục/.test(s)), `steps are read with their number: ${spoken.join(' / ')}`);
  assert.ok(!spoken.some((s) => s.includes('☐')), 'symbols are not read');

  const pause = page.getByRole('button', { name: 'Tạm dừng' });
  await pause.click();
  assert.equal(await page.evaluate(() => window.__synthState), 'paused');
  await page.getByRole('button', { name: 'Đọc tiếp' }).click();
  assert.equal(await page.evaluate(() => window.__synthState), 'speaking');
  await page.getByRole('button', { name: 'Dừng đọc' }).click();
  assert.equal(await page.locator('.reading').count(), 0, 'highlight removed');
  assert.ok(await play.isVisible());
  await context.close();
});

test('read aloud is offered only where a Vietnamese voice exists', async () => {
  const context = await browser.newContext();
  await context.addInitScript(fakeSpeech, 'en-US');
  const page = await context.newPage();
  await page.goto(BASE + PAGE_TYPES.lesson);
  assert.equal(await page.locator('#listen').isVisible(), false);
  await context.close();
  const plain = await browser.newContext();
  const p2 = await plain.newPage();
  await p2.goto(BASE + PAGE_TYPES.lesson);
  const voices = await p2.evaluate(() => (window.speechSynthesis ? speechSynthesis.getVoices().length : -1));
  const shown = await p2.locator('#listen').isVisible();
  assert.equal(shown, false, `headless Chromium has ${voices} voices and no Vietnamese one`);
  await plain.close();
});

test('JavaScript sent to readers stays under 15 KB gzipped', async () => {
  const html = await (await fetch(BASE + PAGE_TYPES.lesson)).text();
  const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  let total = inline.reduce((n, s) => n + gzipSync(s).length, 0);
  for (const src of scripts) total += gzipSync(Buffer.from(await (await fetch(BASE + src)).arrayBuffer())).length;
  console.log(`JavaScript: ${scripts.length} file(s) + ${inline.length} inline, ${total} bytes gzipped`);
  assert.ok(scripts.length >= 1);
  assert.ok(total <= 15 * 1024, `${total} bytes`);
});
