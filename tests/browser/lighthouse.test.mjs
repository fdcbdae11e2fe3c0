// Lighthouse (pinned 12.2.3, Debian's Chromium, mobile) on each page type: accessibility, best
// practices and SEO at 100. Performance is printed for the record but not asserted: it is a
// timing, and timings belong in benchmarks, not in tests that a loaded machine can fail.
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

test('Lighthouse accessibility, best practices and SEO are 100 on every page type', async () => {
  const dir = artifactsDir('lighthouse');
  const scores = {};
  for (const [type, path] of Object.entries(PAGE_TYPES)) {
    const result = await lighthouse(BASE + path, {
      port: PORT,
      output: 'json',
      logLevel: 'error',
      formFactor: 'mobile',
      screenEmulation: { mobile: true, width: 390, height: 844, deviceScaleFactor: 2, disabled: false },
    });
    writeFileSync(`${dir}/${type}.json`, result.report);
    const { categories, audits } = result.lhr;
    const score = (key) => Math.round(categories[key].score * 100);
    scores[type] = {
      performance: score('performance'),
      accessibility: score('accessibility'),
      'best-practices': score('best-practices'),
      seo: score('seo'),
    };
    const failed = ['accessibility', 'best-practices', 'seo'].flatMap((key) =>
      categories[key].auditRefs
        .filter((ref) => ref.weight > 0 && audits[ref.id].score !== null && audits[ref.id].score < 1)
        .map((ref) => `${key}: ${ref.id}`),
    );
    assert.deepEqual(failed, [], `${type}: failing audits`);
  }
  console.log(`Lighthouse (mobile): ${JSON.stringify(scores)}`);
  for (const [type, s] of Object.entries(scores)) {
    for (const key of ['accessibility', 'best-practices', 'seo']) assert.equal(s[key], 100, `${type} ${key}: ${s[key]}`);
  }
});
