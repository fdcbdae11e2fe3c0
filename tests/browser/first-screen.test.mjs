// The resident's first screen on a 390 × 844 phone: the lesson title near the top (also at the
// largest text size), nothing moving after the first paint, the commune's help phone number in
// the same place near the top of every page, a way back to the top of long pages; and the
// header, footer and buttons laid out the way they are meant to be.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, sitePages, MODES, contextFor, BASE, PAGE_TYPES } from './lib.mjs';

const PHONE = { width: 390, height: 844 };
let browser;
let pages;
before(async () => {
  browser = await launch();
  pages = await sitePages();
});
after(async () => browser?.close());

/** Sums every layout shift not caused by the reader's own input (what CLS counts). */
function recordShifts() {
  window.__cls = 0;
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      window.__cls += e.value;
      window.__shifts.push(
        `${e.value.toFixed(4)}: ${(e.sources || []).map((s) => s.node?.nodeName + '.' + (s.node?.className || '')).join(' ')}`,
      );
    }
  }).observe({ type: 'layout-shift', buffered: true });
}

for (const [name, mode] of [['default', MODES.light], ['largest', MODES.largest]]) {
  test(`390 × 844, ${name} text: the h1 starts within the top 300 px and nothing shifts (CLS < 0.02)`, async () => {
    const context = await contextFor(browser, mode, { viewport: PHONE });
    await context.addInitScript(recordShifts);
    const page = await context.newPage();
    const problems = [];
    const figures = [];
    for (const [type, path] of Object.entries(PAGE_TYPES)) {
      await page.goto(BASE + path, { waitUntil: 'load' });
      await page.waitForTimeout(1000);
      const { top, cls, shifts } = await page.evaluate(() => ({
        top: document.querySelector('h1').getBoundingClientRect().top + window.scrollY,
        cls: window.__cls,
        shifts: window.__shifts,
      }));
      figures.push(`${type} h1 ${Math.round(top)} px, CLS ${cls.toFixed(4)}`);
      if (top > 300) problems.push(`${type}: h1 starts at ${Math.round(top)} px`);
      if (cls >= 0.02) problems.push(`${type}: CLS ${cls.toFixed(4)} (${shifts.join('; ')})`);
    }
    console.log(`${name}: ${figures.join(' | ')}`);
    await context.close();
    assert.deepEqual(problems, []);
  });
}

test('the CLS check notices a control revealed after the first paint', async () => {
  const context = await browser.newContext({ viewport: PHONE });
  await context.addInitScript(recordShifts);
  const page = await context.newPage();
  await page.goto(BASE + PAGE_TYPES.lesson, { waitUntil: 'load' });
  await page.evaluate(() => {
    const bar = document.createElement('div');
    bar.style.height = '200px';
    document.querySelector('main').before(bar);
  });
  await page.waitForTimeout(500);
  const cls = await page.evaluate(() => window.__cls);
  await context.close();
  assert.ok(cls >= 0.02, `planted shift gave CLS ${cls}`);
});

test('every page: a tel: help link near the top, in the same place (WCAG 2.2 SC 3.2.6)', async () => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  const problems = [];
  const tops = new Map();
  for (const path of pages) {
    await page.goto(BASE + path);
    const help = await page.evaluate(() => {
      const a = document.querySelector('.help-line a[href^="tel:"]');
      if (!a) return null;
      const r = a.getBoundingClientRect();
      return { href: a.getAttribute('href'), text: a.closest('p').innerText.replace(/\s+/g, ' '), top: r.top + scrollY, bottom: r.bottom + scrollY, h: r.height };
    });
    if (!help) {
      problems.push(`${path}: no tel: link in the help line`);
      continue;
    }
    if (help.href !== 'tel:02400000000') problems.push(`${path}: ${help.href}`);
    // The English translation (issue 16) says it in English.
    const ask = path.startsWith('/en/') ? 'Need help? Call 024 0000 0000' : 'Cần giúp? Gọi 024 0000 0000';
    if (!help.text.startsWith(ask)) problems.push(`${path}: "${help.text}"`);
    if (help.bottom > PHONE.height) problems.push(`${path}: help link ends at ${Math.round(help.bottom)} px`);
    tops.set(path, Math.round(help.top));
  }
  await context.close();
  const places = new Set(tops.values());
  assert.deepEqual(problems, []);
  assert.equal(places.size, 1, `help link at different heights: ${JSON.stringify(Object.fromEntries(tops))}`);
});

test('long pages end with "Về đầu trang", leading to #top', async () => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  const problems = [];
  let long = 0;
  for (const path of pages) {
    await page.goto(BASE + path);
    const words = path.startsWith('/en/') ? 'Back to top' : 'Về đầu trang';
    const info = await page.evaluate((words) => {
      const link = [...document.querySelectorAll('a[href="#top"]')].find((a) => a.textContent.includes(words));
      const footer = document.querySelector('footer');
      return {
        long: document.documentElement.scrollHeight > 2 * innerHeight,
        link: !!link,
        beforeFooter: !!link && !!(link.compareDocumentPosition(footer) & Node.DOCUMENT_POSITION_FOLLOWING),
        target: !!document.getElementById('top'),
      };
    }, words);
    if (!info.long) continue;
    long++;
    if (!info.link) problems.push(`${path}: no "${words}" link`);
    else if (!info.beforeFooter) problems.push(`${path}: "${words}" is not before the footer`);
    if (!info.target) problems.push(`${path}: no element with id="top"`);
  }
  // Following it from the bottom of a lesson brings the reader back to the top.
  await page.goto(BASE + PAGE_TYPES.lesson);
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.getByRole('link', { name: 'Về đầu trang' }).click();
  await page.waitForFunction(() => window.scrollY === 0);
  await context.close();
  assert.ok(long >= 20, `only ${long} long pages`);
  assert.deepEqual(problems, []);
});

test('header: one row at 1280 px, two at most on a phone; the phone shows only the way up', async () => {
  const problems = [];
  for (const width of [390, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 844 } });
    const page = await context.newPage();
    for (const [type, path] of Object.entries(PAGE_TYPES)) {
      await page.goto(BASE + path);
      const rows = await page.evaluate(() => {
        const items = ['.site-title', '.header-search', '.topic-nav summary', '.display-menu summary'];
        return new Set(items.map((s) => Math.round(document.querySelector(s).getBoundingClientRect().top / 10))).size;
      });
      if (rows > (width === 1280 ? 1 : 2)) problems.push(`${type} at ${width}: header in ${rows} rows`);
      const crumbs = await page.evaluate(() => {
        const nav = document.querySelector('nav.breadcrumbs');
        if (!nav) return null;
        return [...nav.querySelectorAll('a')].filter((a) => a.getBoundingClientRect().height > 0).length;
      });
      if (crumbs !== null && width === 390 && crumbs !== 1) problems.push(`${type} at 390: ${crumbs} breadcrumb links shown`);
      if (crumbs !== null && width === 1280 && crumbs < 2) problems.push(`${type} at 1280: ${crumbs} breadcrumb links shown`);
    }
    await context.close();
  }
  assert.deepEqual(problems, []);
});

test('footer contact: each label sits on the line of its value at 1280 px', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(BASE + PAGE_TYPES.lesson);
  const offsets = await page.evaluate(() => {
    const textTop = (el) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let node = walker.nextNode();
      while (node && !node.textContent.trim()) node = walker.nextNode();
      const range = document.createRange();
      range.selectNodeContents(node);
      return range.getClientRects()[0].bottom;
    };
    return [...document.querySelectorAll('footer .contact dt')].map((dt) => ({
      label: dt.textContent,
      off: Math.round(textTop(dt.nextElementSibling) - textTop(dt)),
    }));
  });
  await context.close();
  assert.ok(offsets.length >= 4);
  assert.deepEqual(offsets.filter((o) => Math.abs(o.off) > 1), []);
});

test('the menus open from the keyboard, their content is reached, and the targets are 44 px', async () => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await page.goto(BASE + PAGE_TYPES.lesson);
  await page.locator('.topic-nav summary').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Dịch vụ công trực tuyến');
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('.topic-nav a, summary')]
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.width < 44 || r.height < 44).length,
  );
  assert.equal(small, 0);
  await page.keyboard.press('Escape');
  await page.locator('.display-menu summary').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.closest('#reader-tools') !== null), true);
  await context.close();
});

test('main actions are solid buttons; the unavailable size step is not drawn dashed', async () => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  const solid = async (selector) =>
    page.evaluate((sel) => {
      const s = getComputedStyle(document.querySelector(sel));
      const page = getComputedStyle(document.body).backgroundColor;
      return s.backgroundColor !== page && s.backgroundColor !== 'rgba(0, 0, 0, 0)';
    }, selector);
  await page.goto(`${BASE}/tim-kiem/`);
  assert.ok(await solid('.search-big button[type=submit]'), '"Tìm" is solid');
  await page.goto(BASE + PAGE_TYPES.leaflet);
  assert.ok(await solid('button[data-print]'), '"In tờ rơi" is solid');
  await page.locator('.display-menu > summary').click();
  const smaller = page.getByRole('button', { name: 'Chữ nhỏ hơn' });
  assert.equal(await smaller.getAttribute('aria-disabled'), 'true');
  assert.notEqual(await smaller.evaluate((b) => getComputedStyle(b).borderTopStyle), 'dashed');
  await context.close();
});
