// Takes screenshots of pages of a running site: node screenshot.mjs BASE_URL OUT_DIR path...
import { mkdirSync } from 'node:fs';
import { launch } from './lib.mjs';

const [base, out, ...paths] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const browser = await launch();
for (const scheme of ['light', 'dark']) {
  for (const width of [390, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
    for (const p of paths) {
      await page.goto(base + p);
      const name = (p.replace(/\/+/g, '_').replace(/^_|_$/g, '') || 'home') + `-${width}-${scheme}.png`;
      await page.screenshot({ path: `${out}/${name}`, fullPage: true });
      console.log(`${out}/${name}`);
    }
    await page.close();
  }
}
await browser.close();
