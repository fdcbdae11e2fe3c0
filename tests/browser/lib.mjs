// Shared helpers for the browser checks: launch Debian's Chromium the way this machine allows,
// find the pages of the served site, run axe-core, and set the reader's display modes.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const BASE = (process.env.HOCSO_BASE_URL || 'http://127.0.0.1:8000').replace(/\/$/, '');
export const ARTIFACTS = process.env.HOCSO_ARTIFACTS || new URL('./artifacts', import.meta.url).pathname;

export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Install it with: apt-get install -y chromium ` +
        '(or set CHROMIUM_PATH). The browser suite never skips silently.',
    );
  }
  // Playwright gives every launch a fresh, empty --user-data-dir of its own (it refuses one in
  // args), so no profile state leaks between runs.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    const newPage = context.newPage.bind(context);
    context.newPage = async () => retryingGoto(await newPage());
    return context;
  };
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (...args) => retryingGoto(await newPage(...args));
  return browser;
}

/**
 * One navigation in ~300 of a run sometimes waited 30 s for "load" on this 2-core machine (seen
 * twice this session, on different pages, the server answering every other request); a page
 * that is really broken fails both tries. Every retry is printed, so it stays visible.
 */
function retryingGoto(page) {
  const goto = page.goto.bind(page);
  page.goto = async (url, options = {}) => {
    try {
      return await goto(url, { timeout: 20000, ...options });
    } catch (e) {
      if (e.name !== 'TimeoutError') throw e;
      console.log(`# navigation to ${url} timed out once; retrying`);
      return goto(url, options);
    }
  };
  return page;
}

/** Flags this machine needs: no sandbox as root, and no background network at all. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Every page of the site: the sitemap, plus pages no sitemap lists. New page types in the
 *  sitemap are covered without touching the tests. */
export async function sitePages() {
  const res = await fetch(`${BASE}/sitemap.xml`);
  if (!res.ok) throw new Error(`sitemap.xml: HTTP ${res.status}`);
  const xml = await res.text();
  const paths = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  if (paths.length < 20) throw new Error(`only ${paths.length} pages in the sitemap`);
  // Pages no sitemap lists: the 404 page, search (empty and with results), print packs.
  const special = [
    '/404.html',
    '/tim-kiem/',
    '/tim-kiem/?q=thanh+toan',
    '/to-roi/',
    '/to-roi/an-toan/',
    '/bai-da-luu/',
    '/khong-co-mang/',
    '/en/tim-kiem/',
    '/en/tim-kiem/?q=password',
    '/en/to-roi/',
    // The campaign's printed pages (the calendar and results pages are in the sitemap).
    '/diem-ho-tro/ap-phich-2026-12/',
    '/ket-qua/2026-q4/in/',
    '/bai-da-hoc/',
    '/lo-trinh/lam-thu-tuc-hanh-chinh-tren-dien-thoai/to-roi/',
  ];
  return [...new Set([...paths, ...special])];
}

/** One page of each type, for the slower checks. */
export const PAGE_TYPES = {
  home: '/',
  topic: '/an-toan/',
  lesson: '/dich-vu-cong/nop-ho-so-truc-tuyen/',
  bundle: '/thanh-toan/thanh-toan-bang-ma-qr/',
  page: '/tuyen-bo-tiep-can/',
  glossary: '/thuat-ngu/',
  search: '/tim-kiem/?q=thanh+toan',
  // A lesson page prints as its leaflet.
  leaflet: '/an-toan/duong-link-gia/',
  notfound: '/404.html',
  english: '/en/an-toan/protect-otp-and-passwords/',
};

/** Display modes every page must pass in. */
export const MODES = {
  light: { colorScheme: 'light', storage: {} },
  dark: { colorScheme: 'dark', storage: {} },
  contrast: { colorScheme: 'light', storage: { 'hocso-theme': 'contrast' } },
  largest: { colorScheme: 'light', storage: { 'hocso-size': '2' } },
};

export async function contextFor(browser, mode, options = {}) {
  const context = await browser.newContext({ colorScheme: mode.colorScheme, ...options });
  const entries = Object.entries(mode.storage);
  if (entries.length) {
    await context.addInitScript((pairs) => {
      for (const [k, v] of pairs) localStorage.setItem(k, v);
    }, entries);
  }
  return context;
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe with the WCAG A/AA tags, then the AAA contrast rule; returns violations. */
export async function axe(page) {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async (tags) => {
    const short = (v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary}`);
    const aa = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    const aaa = await window.axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast-enhanced'] } });
    return [...aa.violations, ...aaa.violations].flatMap(short);
  }, WCAG_TAGS);
}

export function artifactsDir(sub) {
  const dir = `${ARTIFACTS}/${sub}`;
  mkdirSync(dir, { recursive: true });
  return dir;
}
