// Renders the illustration mock-ups in this folder to PNG with headless Chromium:
//   node tools/illustrations/render.mjs   (needs tests/browser's node_modules)
import { chromium } from '../../tests/browser/node_modules/playwright-core/index.mjs';
import { fileURLToPath } from 'node:url';
const here = fileURLToPath(new URL('.', import.meta.url));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2 });
await page.goto(`file://${here}kiem-tra-ten-nguoi-nhan.html`);
await page.screenshot({ path: `${here}../../content/thanh-toan/thanh-toan-bang-ma-qr/kiem-tra-ten-nguoi-nhan.png` });
await browser.close();
