// Lighthouse's accessibility audit (pinned 12.2.3, Debian's Chromium) on each page type.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, BASE, PAGE_TYPES, artifactsDir } from './lib.mjs';

const PORT = 9300 + Math.floor(Math.random() * 500);
let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, `--remote-debugging-port=${PORT}`] });
});
after(async () => browser?.close());

test('Lighthouse accessibility score is 100 on every page type', async () => {
  const dir = artifactsDir('lighthouse');
  const scores = {};
  for (const [type, path] of Object.entries(PAGE_TYPES)) {
    const result = await lighthouse(BASE + path, {
      port: PORT,
      onlyCategories: ['accessibility'],
      output: 'json',
      logLevel: 'error',
      formFactor: 'mobile',
      screenEmulation: { mobile: true, width: 390, height: 844, deviceScaleFactor: 2, disabled: false },
    });
    writeFileSync(`${dir}/${type}.json`, result.report);
    const category = result.lhr.categories.accessibility;
    scores[type] = Math.round(category.score * 100);
    const failed = Object.values(result.lhr.audits)
      .filter((a) => a.score === 0 && a.scoreDisplayMode === 'binary')
      .map((a) => a.id);
    assert.deepEqual(failed, [], `${type}: failing audits`);
  }
  console.log(`Lighthouse accessibility: ${JSON.stringify(scores)}`);
  for (const [type, score] of Object.entries(scores)) assert.equal(score, 100, `${type}: ${score}`);
});
