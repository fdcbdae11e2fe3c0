import { launch } from './lib.mjs';
const browser = await launch();
const context = await browser.newContext();
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await page.goto('http://127.0.0.1:18090/tim-kiem/');
const timed = (text) => page.evaluate((text) => new Promise((resolve) => {
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const loading = document.getElementById('search').dataset.loading;
  document.getElementById('q').value = text;
  const t0 = performance.now();
  const done = () => {
    if (list.children.length || (status.textContent && status.textContent !== loading)) { observer.disconnect(); resolve(performance.now() - t0); }
  };
  const observer = new MutationObserver(done);
  observer.observe(list, { childList: true });
  observer.observe(status, { childList: true, characterData: true, subtree: true });
  document.querySelector('form.search-big').requestSubmit();
}), text);
const q = process.argv[2] || 'chữ ký số';
console.log('cold', await timed(q));
await page.waitForTimeout(3000);
console.log('other', await timed('khac'));
await page.waitForTimeout(3000);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await cdp.send('Profiler.start');
console.log('warm', await timed(q));
const { profile } = await cdp.send('Profiler.stop');
const self = new Map();
const dt = profile.timeDeltas; const byId = new Map(profile.nodes.map((n) => [n.id, n]));
profile.samples.forEach((id, i) => { const n = byId.get(id); const k = `${n.callFrame.functionName || '(anon)'}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) || 0) + (dt[i] || 0) / 1000); });
console.log([...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${v.toFixed(1)}ms ${k}`).join('\n'));
await browser.close();
