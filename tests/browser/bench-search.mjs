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
  await page.fill('#q', q);
  const ms = await page.evaluate(() => new Promise((resolve) => {
    const status = document.getElementById('search-status');
    const list = document.getElementById('search-results');
    const t0 = performance.now();
    const done = () => {
      if (list.children.length || /Không tìm thấy/.test(status.textContent)) {
        observer.disconnect();
        resolve(performance.now() - t0);
      }
    };
    const observer = new MutationObserver(done);
    observer.observe(list, { childList: true });
    observer.observe(status, { childList: true, characterData: true, subtree: true });
    document.querySelector('form.search-big').requestSubmit();
  }));
  await Promise.all(pending);
  const top = await page.locator('#search-results h2').first().innerText().catch(() => '');
  rows.push({ q, ms: Math.round(ms), kb: Math.round(bytes / 1024), gzKb: Math.round(gz / 1024), top });
  await context.close();
}
await browser.close();
console.log('query'.padEnd(14), 'ms (CPU ×4)'.padStart(12), 'index KB'.padStart(9), 'gzip KB'.padStart(8), ' top result');
for (const r of rows) console.log(r.q.padEnd(14), String(r.ms).padStart(12), String(r.kb).padStart(9), String(r.gzKb).padStart(8), ' ' + r.top);
