// The W3C Nu HTML checker (npm vnu-jar, run with the system's java) over every HTML page of the
// built sample site: zero errors. Invalid markup (a duplicate id, a stray end tag) is what makes
// screen readers announce the wrong thing, and no browser check would notice it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const VNU_JAR = String(require('vnu-jar'));
const OUTPUT = process.env.HOCSO_OUTPUT;

function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return htmlFiles(p);
    return e.name.endsWith('.html') ? [p] : [];
  });
}

test('Nu HTML checker: no errors on any page', () => {
  assert.ok(OUTPUT, 'HOCSO_OUTPUT names the built site (tests/browser/run sets it)');
  const files = htmlFiles(OUTPUT);
  assert.ok(files.length >= 40, `too few pages to check: ${files.length}`);
  let report;
  try {
    // vnu exits 1 when it finds errors; its JSON report is on stderr either way.
    execFileSync('java', ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files], {
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    report = { messages: [] };
  } catch (e) {
    const text = String(e.stderr || '');
    if (!text.trim().startsWith('{')) throw new Error(`vnu did not run: ${e.message}\n${text}`);
    report = JSON.parse(text);
  }
  const errors = report.messages
    .filter((m) => m.type === 'error' || m.subType === 'fatal')
    .map((m) => `${m.url.replace(`file:${OUTPUT}`, '')}:${m.lastLine}: ${m.message}`);
  console.log(`vnu: ${files.length} pages, ${errors.length} errors`);
  assert.deepEqual(errors, []);
});
