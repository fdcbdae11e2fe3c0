// Reflow, text spacing, keyboard, focus, target size, no-JavaScript reading and the
// accessibility tree, on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, sitePages, MODES, contextFor, BASE, PAGE_TYPES } from './lib.mjs';

let browser;
let pages;
before(async () => {
  browser = await launch();
  pages = await sitePages();
});
after(async () => browser?.close());

/** Elements with text that stick out of the viewport, outside scrollable table boxes. Not
 *  counted: the 1 × 1 px boxes of visually hidden text, and the inside of a closed <details>
 *  menu (Chromium still lays it out, at odd sizes, though nothing of it is shown). */
function overflowReport() {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width + 1) {
    out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  }
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.table-wrap, .visually-hidden, .skip-link, [hidden]')) continue;
    if (el.closest('details:not([open])') && !el.closest('summary')) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;
    const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (hasText && (r.right > width + 1 || r.left < -1)) out.push(`${el.tagName}.${el.className}: ${r.left}..${r.right}`);
    const style = getComputedStyle(el);
    const clips = ['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY);
    if (clips && hasText && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)) {
      out.push(`${el.tagName}.${el.className}: text clipped`);
    }
  }
  return out;
}

for (const [label, viewport, mode] of [
  ['320 px wide', { width: 320, height: 800 }, MODES.light],
  ['400% zoom of 1280x1024', { width: 320, height: 256 }, MODES.light],
  ['320 px wide, largest text', { width: 320, height: 800 }, MODES.largest],
]) {
  test(`reflow at ${label}: no sideways scrolling, no clipped text`, async () => {
    const context = await contextFor(browser, mode, { viewport });
    const page = await context.newPage();
    const problems = [];
    for (const path of pages) {
      await page.goto(BASE + path);
      for (const p of await page.evaluate(overflowReport)) problems.push(`${path}: ${p}`);
    }
    await context.close();
    assert.deepEqual(problems, []);
  });
}

test('text spacing override (WCAG 1.4.12) loses no content', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  for (const path of pages) {
    await page.goto(BASE + path);
    await page.addStyleTag({
      content:
        '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }' +
        ' p { margin-bottom: 2em !important; }',
    });
    for (const p of await page.evaluate(overflowReport)) problems.push(`${path}: ${p}`);
  }
  await context.close();
  assert.deepEqual(problems, []);
});

/** Contrast ratio of two rgb()/rgba() colours. */
function contrastSource() {
  return `
    window.__parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
    window.__lum = (c) => {
      const [r, g, b] = window.__parse(c).slice(0, 3).map((v) => {
        v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    window.__ratio = (a, b) => { const x = window.__lum(a), y = window.__lum(b);
      return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
    window.__bg = (el) => { for (let e = el.parentElement; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor; const p = window.__parse(c);
      if (p.length === 3 || (p.length === 4 && p[3] > 0.9)) return c; } return 'rgb(255, 255, 255)'; };
  `;
}

for (const [name, mode] of Object.entries(MODES).filter(([n]) => n !== 'largest')) {
  test(`keyboard (${name}): skip link first, everything reachable, focus always visible`, async () => {
    const context = await contextFor(browser, mode, { viewport: { width: 1280, height: 900 } });
    await context.addInitScript(contrastSource());
    const page = await context.newPage();
    const problems = [];
    for (const path of pages) {
      await page.goto(BASE + path);
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => document.activeElement.className);
      if (first !== 'skip-link') problems.push(`${path}: first Tab focused "${first}"`);
      await page.keyboard.press('Enter');
      const target = await page.evaluate(() => document.activeElement.id);
      if (target !== 'main') problems.push(`${path}: skip link moved focus to "${target}"`);

      // From the top again: Tab must walk through every visible link and button, then leave.
      await page.goto(BASE + path);
      // (What a closed <details> menu holds is reached once the menu is opened: first-screen.test.mjs.)
      const expected = await page.evaluate(() =>
        [...document.querySelectorAll('a[href], button, [tabindex="0"]')].filter((e) => {
          const r = e.getBoundingClientRect();
          const shown = r.width > 0 && r.height > 0 && !e.closest('[hidden], details:not([open])');
          return shown || e.classList.contains('skip-link');
        }).length,
      );
      const seen = new Set();
      for (let i = 0; i < expected + 5; i++) {
        await page.keyboard.press('Tab');
        const info = await page.evaluate(() => {
          const e = document.activeElement;
          if (!e || e === document.body) return null;
          const s = getComputedStyle(e);
          const bg = window.__bg(e);
          const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ? window.__ratio(s.outlineColor, bg) : 0;
          const shadow = s.boxShadow !== 'none' ? window.__ratio(s.boxShadow, bg) : 0;
          const path = [];
          for (let n = e; n && n !== document.body; n = n.parentElement) path.unshift(n.tagName + [...n.parentElement.children].indexOf(n));
          return { key: path.join('>'), text: e.textContent.trim().slice(0, 40), best: Math.max(outline, shadow) };
        });
        if (!info) break;
        if (info.best < 3) problems.push(`${path}: focus on "${info.text}" has indicator contrast ${info.best.toFixed(2)}`);
        seen.add(info.key);
      }
      if (seen.size < expected) problems.push(`${path}: reached ${seen.size} of ${expected} focusable elements`);
    }
    await context.close();
    assert.deepEqual(problems, []);
  });
}

test('links and buttons outside running text are at least 44x44 px', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  await context.addInitScript(() => {});
  const page = await context.newPage();
  const problems = [];
  for (const path of pages) {
    await page.goto(BASE + path);
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('a[href], button')]
        .filter((e) => !e.closest('.prose p, .prose li, .prose td, .prose th, .skip-link, sup, [hidden], details:not([open])'))
        .map((e) => ({ text: e.textContent.trim().slice(0, 30), r: e.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && (r.width < 44 || r.height < 44))
        .map(({ text, r }) => `"${text}" ${Math.round(r.width)}x${Math.round(r.height)}`),
    );
    for (const s of small) problems.push(`${path}: ${s}`);
  }
  await context.close();
  assert.deepEqual(problems, []);
});

test('without JavaScript the lesson, its steps and the navigation are all there', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  for (const path of [PAGE_TYPES.lesson, PAGE_TYPES.bundle]) {
    await page.goto(BASE + path);
    assert.equal(await page.locator('h1').count(), 1);
    assert.ok((await page.locator('ol.steps > li').count()) >= 5, `${path}: steps`);
    assert.ok(await page.locator('ol.steps > li').first().isVisible());
    assert.ok((await page.locator('header nav a').count()) >= 4, `${path}: navigation`);
    // On a phone the breadcrumbs show the way up: the parent.
    assert.ok(await page.locator('.breadcrumbs .crumb-parent a').isVisible());
    assert.equal(await page.locator('#reader-tools').isVisible(), false, 'controls need JS, so they stay hidden');
    assert.equal(await page.locator('.display-menu').isVisible(), false, 'so does the menu that opens them');
    // The topics menu is a <details>: it opens without JavaScript.
    await page.locator('.topic-nav summary').click();
    assert.ok(await page.locator('.topic-nav a').first().isVisible(), `${path}: topics menu opens without JS`);
    const text = await page.locator('main').innerText();
    assert.ok(text.length > 400, `${path}: lesson text`);
  }
  await context.close();
});

test('accessibility tree: landmarks, one level-1 heading, nothing unnamed', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  for (const path of pages) {
    await page.goto(BASE + path);
    const cdp = await context.newCDPSession(page);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    await cdp.detach();
    const live = nodes.filter((n) => !n.ignored);
    const roles = new Set(live.map((n) => n.role?.value));
    for (const landmark of ['banner', 'navigation', 'main', 'contentinfo']) {
      if (!roles.has(landmark)) problems.push(`${path}: no ${landmark} landmark`);
    }
    const h1 = live.filter(
      (n) => n.role?.value === 'heading' && n.properties?.some((p) => p.name === 'level' && p.value.value === 1),
    );
    if (h1.length !== 1) problems.push(`${path}: ${h1.length} level-1 headings`);
    for (const n of live) {
      if (['link', 'button', 'image', 'img'].includes(n.role?.value) && !(n.name?.value || '').trim()) {
        problems.push(`${path}: unnamed ${n.role.value}`);
      }
    }
  }
  await context.close();
  assert.deepEqual(problems, []);
});
