// Search in the browser: typed queries without diacritics find the right lesson first, the
// count is announced, the query stays in the address, and the page works without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { launch, BASE } from './lib.mjs';
import { fold } from '../../themes/default/static/js/search.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => browser?.close());

const EXPECTED = {
  'thanh toan': '/thanh-toan/thanh-toan-bang-ma-qr/',
  'lua dao': '/an-toan/lam-gi-khi-bi-lua/',
  vneid: '/dich-vu-cong/kich-hoat-vneid-muc-2/',
  otp: '/an-toan/bao-ve-ma-otp-mat-khau/',
  AI: '/ai-co-ban/ai-la-gi/',
};

test('typed queries put the expected lesson first', async () => {
  const page = await browser.newPage();
  await page.goto(`${BASE}/tim-kiem/`);
  const tops = {};
  for (const [query, expected] of Object.entries(EXPECTED)) {
    await page.fill('#q', '');
    await page.type('#q', query, { delay: 20 });
    await page.waitForFunction(
      (q) => document.getElementById('search-status').textContent.includes(q) && document.querySelector('#search-results a'),
      query,
    );
    const first = await page.locator('#search-results li a').first().getAttribute('href');
    tops[query] = first;
    assert.equal(first, expected, `"${query}" → ${first}`);
    const status = await page.locator('#search-status').innerText();
    assert.match(status, new RegExp(`^Tìm thấy \\d+ bài cho “${query}”\\.$`));
    assert.equal(new URL(page.url()).searchParams.get('q'), query, 'the query is in the address');
    // The snippet comes from the lesson page, a moment after the result itself.
    await page.waitForSelector('#search-results li:first-child .result-snippet mark', { timeout: 5000 });
    // Every word of the query is marked in the snippet, not only the first.
    const marks = (await page.locator('#search-results li:first-child mark').allInnerTexts()).map((m) => fold(m));
    for (const word of query.split(' ')) {
      assert.ok(marks.some((m) => m.startsWith(fold(word))), `"${query}": "${word}" not marked in ${JSON.stringify(marks)}`);
    }
  }
  console.log(`top results: ${JSON.stringify(tops)}`);
  // A query about scams lists the scam lessons before the ones that only mention both words.
  await page.goto(`${BASE}/tim-kiem/?q=${encodeURIComponent('lua dao')}`);
  await page.waitForSelector('#search-results a');
  const hrefs = await page.locator('#search-results li h2 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const scam = ['/an-toan/lam-gi-khi-bi-lua/', '/an-toan/cuoc-goi-gia-danh-cong-an/'];
  for (const url of scam) assert.ok(hrefs.indexOf(url) >= 0 && hrefs.indexOf(url) < 4, `${url} in the top 4 of ${hrefs}`);
  assert.ok(hrefs.indexOf('/dich-vu-cong/kich-hoat-vneid-muc-2/') > 3, `VNeID after the scam lessons: ${hrefs}`);
  await page.close();
});

test('diacritics in the query rank the exact spelling first; none still finds all', async () => {
  const page = await browser.newPage();
  const first = async (q) => {
    await page.goto(`${BASE}/tim-kiem/?q=${encodeURIComponent(q)}`);
    await page.waitForSelector('#search-results a');
    return {
      top: await page.locator('#search-results h2').first().innerText(),
      count: await page.locator('#search-results li').count(),
      status: await page.locator('#search-status').innerText(),
    };
  };
  const plain = await first('lua dao gia danh');
  assert.equal(plain.top, 'Nhận biết cuộc gọi giả danh công an');
  const marked = await first('lừa đảo giả danh');
  assert.equal(marked.top, 'Nhận biết cuộc gọi giả danh công an');
  const none = await page.goto(`${BASE}/tim-kiem/?q=xyzzy`).then(() =>
    page.waitForFunction(() => document.getElementById('search-status').textContent.startsWith('Không tìm thấy')),
  );
  assert.ok(none);
  await page.close();
});

test('the header search box of every page leads to results', async () => {
  const page = await browser.newPage();
  await page.goto(`${BASE}/an-toan/`);
  await page.fill('#header-q', 'ma qr');
  await page.press('#header-q', 'Enter');
  await page.waitForURL(/tim-kiem\/\?q=ma\+qr/);
  await page.waitForSelector('#search-results a');
  const top2 = (await page.locator('#search-results h2').allInnerTexts()).slice(0, 2).sort();
  assert.deepEqual(top2, ['Hộ kinh doanh: nhận tiền bằng mã QR', 'Thanh toán bằng mã QR (VietQR)']);
  await page.close();
});

test('without JavaScript the search page lists every lesson A to Z by topic', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${BASE}/tim-kiem/?q=otp`);
  assert.equal(await page.locator('.a-z h3').count(), 4);
  assert.ok((await page.locator('.a-z li a').count()) >= 16);
  const safety = await page.locator('.a-z h3:has-text("An toàn trên mạng") + ul a').allInnerTexts();
  const sorted = [...safety].sort((a, b) => a.localeCompare(b, 'vi'));
  assert.deepEqual(safety, sorted, 'A to Z in Vietnamese order');
  await context.close();
});

test('the whole search of the sample site costs at most 30 KB gzipped', async () => {
  const page = await browser.newPage();
  await page.goto(`${BASE}/tim-kiem/`);
  const script = await page.locator('script[type=module]').getAttribute('src');
  const meta = await (await fetch(`${BASE}/tim-kiem/du-lieu/meta.json`)).json();
  const paths = [
    script,
    '/tim-kiem/du-lieu/meta.json',
    ...meta.shards.map((k) => `/tim-kiem/du-lieu/s/${encodeURIComponent(k)}.json`),
    ...Array.from({ length: Math.ceil(meta.docs / meta.rows) }, (_, k) => `/tim-kiem/du-lieu/d/${k}.json`),
  ];
  let total = 0;
  for (const p of paths) {
    const res = await fetch(BASE + p);
    assert.ok(res.ok, p);
    total += gzipSync(Buffer.from(await res.arrayBuffer()), { level: 9 }).length;
  }
  console.log(`search on the sample site: ${paths.length} files, ${total} bytes gzipped`);
  assert.ok(total <= 30 * 1024, `${total} bytes`);
  await page.close();
});
