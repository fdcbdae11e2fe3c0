// Search benchmark (a documented script, not a test):
//   node tests/browser/bench-search.mjs http://127.0.0.1:PORT
// against a served site (e.g. the 10,000-lesson corpus from examples/corpus.rs). For each query,
// in a fresh browser context with the CPU throttled 4× (a mid-range phone), it measures the
// bytes of index fetched (as sent, and gzipped) and the time from submitting the query to the
// results being on screen.
import { gzipSync } from 'node:zlib';
import { launch } from './lib.mjs';

const base = (process.argv[2] || 'http://127.0.0.1:8000').replace(/\/$/, '');
const queries = process.argv.slice(3).length ? process.argv.slice(3) : ['thanh toan', 'lua dao', 'vneid', 'otp', 'ma qr', 'chữ ký số'];
const browser = await launch();
const rows = [];
for (const q of queries) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(`${base}/tim-kiem/`);
  let bytes = 0;
  let gz = 0;
  const pending = [];
  page.on('response', (r) => {
    if (r.url().includes('/tim-kiem/du-lieu/')) {
      pending.push(r.body().then((b) => { bytes += b.length; gz += gzipSync(b).length; }).catch(() => {}));
    }
  });
  // Time from submitting `text` to results (or a final word) on screen.
  const timed = (text) => page.evaluate((text) => new Promise((resolve) => {
    const status = document.getElementById('search-status');
    const list = document.getElementById('search-results');
    const loading = document.getElementById('search').dataset.loading;
    document.getElementById('q').value = text;
    const t0 = performance.now();
    const done = () => {
      // Results on screen, or any final word (none found, or an error) in the status line.
      if (list.children.length || (status.textContent && status.textContent !== loading)) {
        observer.disconnect();
        resolve(performance.now() - t0);
      }
    };
    const observer = new MutationObserver(done);
    observer.observe(list, { childList: true });
    observer.observe(status, { childList: true, characterData: true, subtree: true });
    document.querySelector('form.search-big').requestSubmit();
  }), text);
  // Cold: the first query on a fresh page, index files fetched over loopback. Warm: the same
  // query again after another one, its files already in memory: only the work on the phone.
  const ms = await timed(q);
  await page.waitForTimeout(500); // let the result rows arrive too, then count the bytes
  await Promise.all(pending);
  const [kb, gzKb] = [Math.round(bytes / 1024), Math.round(gz / 1024)];
  // Warm: median of three, each after another query and a pause (a resident types the next
  // query a moment later; the snippets of the last one have arrived by then).
  const warms = [];
  for (let i = 0; i < 3; i++) {
    await timed('khac');
    await page.waitForTimeout(1500);
    warms.push(await timed(q));
    await page.waitForTimeout(500);
  }
  const warm = warms.sort((a, b) => a - b)[1];
  const top = await page.locator('#search-results h2').first().innerText({ timeout: 5000 }).catch(() => '?');
  rows.push({ q, ms: Math.round(ms), warm: Math.round(warm), kb, gzKb, top });
  await context.close();
}
await browser.close();
console.log('query'.padEnd(14), 'cold ms'.padStart(8), 'warm ms'.padStart(8), 'index KB'.padStart(9), 'gzip KB'.padStart(8), ' top result   (CPU ×4)');
for (const r of rows) {
  console.log(r.q.padEnd(14), String(r.ms).padStart(8), String(r.warm).padStart(8), String(r.kb).padStart(9), String(r.gzKb).padStart(8), ' ' + r.top);
}
