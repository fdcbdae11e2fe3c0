// Offline reading in real Chromium (issue 17): the service worker keeps what a resident opened
// and what they saved, shows the offline page for the rest, updates cleanly after a rebuild,
// works under a sub-path, and is removed when a site turns offline reading off.
//
// The sample site is the one tests/browser/run serves (BASE). The rebuild, sub-path and
// `offline = false` cases build small fixture sites into temporary folders and serve each with
// `hocso serve` on a port of their own. Screenshots (390 px) go to $HOCSO_SHOTS or
// /tmp/offline-shots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, BASE } from './lib.mjs';

const REPO = new URL('../..', import.meta.url).pathname;
const HOCSO = process.env.HOCSO_BIN || join(REPO, 'target/debug/hocso');
const SHOTS = process.env.HOCSO_SHOTS || '/tmp/offline-shots';
const PHONE = { viewport: { width: 390, height: 844 } };
const SAVED_TEXT = 'Đã lưu. Bạn có thể đọc bài này khi không có mạng.';
const OPENED = '/dich-vu-cong/nop-ho-so-truc-tuyen/';
const SAVED = '/thanh-toan/thanh-toan-bang-ma-qr/';
const UNSAVED = '/an-toan/duong-link-gia/';

let browser;
const servers = [];
const temps = [];
before(async () => {
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  for (const s of servers) s.kill();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** Waits until the page is controlled by the site's worker. */
async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, {
    timeout: 15000,
  });
}

/** Every image in <main>, made to load now; returns [address, natural width] of each. */
async function images(page) {
  return page.evaluate(async () => {
    const imgs = [...document.querySelectorAll('main img')];
    imgs.forEach((i) => { i.loading = 'eager'; });
    await Promise.all(imgs.map((i) => (i.complete ? 0 : new Promise((r) => { i.onload = r; i.onerror = r; }))));
    return imgs.map((i) => [i.currentSrc, i.naturalWidth]);
  });
}

/** Polls `fn` (which may be async) in the page until it returns true. */
async function until(page, fn, arg, what) {
  const end = Date.now() + 20000;
  while (Date.now() < end) {
    if (await page.evaluate(fn, arg)) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function savedTitles(page) {
  await page.waitForFunction(() => document.getElementById('saved-status')?.textContent.trim());
  return page.locator('#saved-list li a').allTextContents();
}

async function cacheNames(page) {
  return page.evaluate(() => caches.keys());
}

test('saved and opened lessons open offline with their images; others show the offline page', async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(BASE + '/');
  await controlled(page);
  await page.goto(BASE + OPENED);
  const openedTitle = await page.locator('h1').textContent();
  await page.goto(BASE + SAVED);
  const savedTitle = (await page.locator('h1').textContent()).trim();
  const button = page.getByRole('button', { name: 'Lưu bài để đọc khi không có mạng' });
  assert.ok(await button.isVisible(), 'the save button is shown where service workers exist');
  await button.click();
  await page.locator('#save-status', { hasText: SAVED_TEXT }).waitFor({ timeout: 20000 });
  await page.locator('.save-offline').screenshot({ path: `${SHOTS}/save-button-390.png` });
  await page.screenshot({ path: `${SHOTS}/lesson-saved-390.png` });

  await context.setOffline(true);
  await page.goto(BASE + OPENED);
  assert.equal(await page.locator('h1').textContent(), openedTitle);
  assert.ok(await page.evaluate(() => getComputedStyle(document.body).fontFamily.includes('Be Vietnam Pro')));
  await page.goto(BASE + SAVED);
  assert.equal((await page.locator('h1').textContent()).trim(), savedTitle);
  const shown = await images(page);
  assert.ok(shown.length >= 2, `the saved lesson has images: ${JSON.stringify(shown)}`);
  for (const [src, width] of shown) assert.ok(width > 0, `image ${src} shows offline`);

  await page.goto(BASE + UNSAVED);
  assert.equal(await page.locator('h1').textContent(), 'Không có mạng');
  assert.deepEqual(await savedTitles(page), [savedTitle]);
  assert.ok(await page.locator('main a[href^="tel:"]').count(), 'the offline page gives the help phone');
  await page.screenshot({ path: `${SHOTS}/offline-page-390.png`, fullPage: true });

  // Search over what was saved: the saved lesson is found, others say they need the connection.
  await page.goto(`${BASE}/tim-kiem/?q=${encodeURIComponent('mã QR')}`);
  await page.locator('#search-results li').first().waitFor({ timeout: 10000 });
  const results = await page.locator('#search-results li').allTextContents();
  const mine = results.find((r) => r.includes(savedTitle));
  assert.ok(mine && !mine.includes('cần có mạng'), results.join('\n'));
  assert.ok(results.some((r) => r.includes('cần có mạng')), results.join('\n'));

  await page.goto(BASE + '/bai-da-luu/');
  assert.deepEqual(await savedTitles(page), [savedTitle]);
  assert.match(await page.locator('.saved-space').textContent(), /\d+[,.]\d MB/);
  await page.screenshot({ path: `${SHOTS}/saved-list-390.png`, fullPage: true });
  await page.getByRole('button', { name: `Xóa bài ${savedTitle}` }).click();
  await page.locator('#saved-status', { hasText: 'Đã xóa bài' }).waitFor();
  assert.equal(await page.locator('#saved-list li').count(), 0);
  await page.goto(BASE + '/bai-da-luu/');
  assert.deepEqual(await savedTitles(page), []);
  await context.close();
});

test('"Lưu cả chủ đề" saves every lesson of the topic, saying how far it got', async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(BASE + '/an-toan/');
  await controlled(page);
  const lessons = await page.locator('.cards:not(.journey-cards) .card-title a').allTextContents();
  await page.evaluate(() => {
    window.__said = [];
    const status = document.getElementById('save-status');
    new MutationObserver(() => window.__said.push(status.textContent)).observe(status, { childList: true, characterData: true, subtree: true });
  });
  await page.getByRole('button', { name: 'Lưu cả chủ đề' }).click();
  await page.locator('#save-status', { hasText: `Đã lưu ${lessons.length} bài` }).waitFor({ timeout: 30000 });
  const said = await page.evaluate(() => window.__said);
  assert.ok(said.includes(`Đang lưu 3/${lessons.length} bài…`), said.join(' | '));
  await context.setOffline(true);
  await page.goto(BASE + '/bai-da-luu/');
  assert.deepEqual((await savedTitles(page)).sort(), lessons.map((t) => t.trim()).sort());
  await page.getByRole('button', { name: 'Xóa tất cả' }).click();
  await page.locator('#saved-status', { hasText: 'Đã xóa tất cả' }).waitFor();
  assert.equal(await page.locator('#saved-list li').count(), 0);
  await context.close();
});

// ---- Fixture sites -------------------------------------------------------------------------

function fixture(siteToml) {
  const root = mkdtempSync(join(tmpdir(), 'hocso-offline-'));
  temps.push(root);
  const write = (rel, text) => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  write('site.toml', siteToml);
  write('content/_index.md', '+++\ntitle = "Trang chủ"\n+++\nChào bạn.\n');
  write('content/an-toan/_index.md', '+++\ntitle = "An toàn"\ndescription = "Giữ an toàn."\n+++\n');
  write('content/an-toan/otp.md', '+++\ntitle = "Giữ mã OTP"\nsummary = "Không đọc mã cho ai."\n+++\nMã OTP là của riêng bạn.\n');
  cpSync(join(REPO, 'themes/default'), join(root, 'themes/default'), { recursive: true });
  return root;
}

function freePort() {
  return 40000 + Math.floor(Math.random() * 9000);
}

async function serve(root, port) {
  const child = spawn(HOCSO, ['serve', '--quiet', '--no-watch', '--root', root, '--output', join(root, 'public'), '--port', String(port)], {
    stdio: 'ignore',
  });
  servers.push(child);
  for (let i = 0; i < 300; i++) {
    const open = await new Promise((resolve) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (open) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`hocso serve did not start on ${port}`);
}

function build(root) {
  execFileSync(HOCSO, ['build', '--quiet', '--root', root, '--output', join(root, 'public')]);
}

test('a rebuild with a changed stylesheet is served after a reload, and the old caches are gone', async () => {
  const port = freePort();
  const root = fixture(`title = "Thử"\nbase_url = "http://127.0.0.1:${port}/"\n`);
  await serve(root, port);
  const site = `http://127.0.0.1:${port}`;
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(site + '/');
  await controlled(page);
  await page.goto(site + '/an-toan/otp/');
  const oldNames = await cacheNames(page);
  const oldBuild = oldNames.find((n) => n.startsWith('hocso-shell-')).slice('hocso-shell-'.length);

  appendFileSync(join(root, 'themes/default/static/css/hocso.css'), '\n.thu-doi-mau { color: inherit; }\n');
  build(root);
  const cssHref = readFileSync(join(root, 'public/index.html'), 'utf8').match(/href="([^"]*hocso\.[0-9a-f]{10}\.css)"/)[1];
  await page.reload();
  assert.equal(await page.locator('link[rel="stylesheet"]').getAttribute('href'), cssHref);
  assert.ok((await page.evaluate((h) => fetch(h).then((r) => r.text()), cssHref)).includes('.thu-doi-mau'));
  await until(page, async (old) => {
    const names = await caches.keys();
    return names.some((n) => n.startsWith('hocso-shell-')) && !names.some((n) => n.endsWith(old));
  }, oldBuild, 'the new build\'s caches');
  const names = await cacheNames(page);
  assert.ok(!names.some((n) => n.endsWith(oldBuild)), `old caches left: ${names}`);
  // The new shell holds the new stylesheet, not the old one.
  const inShell = await page.evaluate(async () => {
    const name = (await caches.keys()).find((n) => n.startsWith('hocso-shell-'));
    return (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
  });
  assert.ok(inShell.includes(cssHref), inShell.join(' '));
  assert.equal(inShell.filter((p) => p.endsWith('.css')).length, 1, inShell.join(' '));

  // Turning offline reading off removes the worker a browser installed, and what it kept.
  writeFileSync(join(root, 'site.toml'), `title = "Thử"\nbase_url = "http://127.0.0.1:${port}/"\noffline = false\n`);
  build(root);
  const sw = await page.evaluate(() => fetch('/sw.js').then((r) => r.status));
  assert.equal(sw, 404, 'no worker is published');
  await page.reload();
  await until(page, async () => (await navigator.serviceWorker.getRegistrations()).length === 0, null, 'no worker');
  await until(page, async () => !(await caches.keys()).some((n) => n.startsWith('hocso-')), null, 'no hocso cache');
  await context.close();
});

test('with offline = false no worker is registered and no save button is shown', async () => {
  const port = freePort();
  const root = fixture(`title = "Thử"\nbase_url = "http://127.0.0.1:${port}/"\noffline = false\n`);
  await serve(root, port);
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/an-toan/otp/`);
  await page.waitForLoadState('load');
  await page.waitForTimeout(1000);
  assert.equal(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length)), 0);
  assert.equal(await page.locator('#save-lesson').count(), 0);
  await context.close();
});

test('a site under a sub-path registers its worker in that scope', async () => {
  const port = freePort();
  const root = fixture(`title = "Thử"\nbase_url = "http://127.0.0.1:${port}/hoc-so/"\n`);
  await serve(root, port);
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/hoc-so/`);
  await controlled(page);
  const scope = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope));
  assert.equal(scope, `http://127.0.0.1:${port}/hoc-so/`);
  const manifest = await page.evaluate(() => fetch(document.querySelector('link[rel="manifest"]').href).then((r) => r.json()));
  assert.equal(manifest.start_url, '/hoc-so/');
  assert.equal(manifest.scope, '/hoc-so/');
  // Offline, a lesson opened before still opens under the sub-path.
  await page.goto(`http://127.0.0.1:${port}/hoc-so/an-toan/otp/`);
  await context.setOffline(true);
  await page.reload();
  assert.equal(await page.locator('h1').textContent(), 'Giữ mã OTP');
  await context.close();
});
