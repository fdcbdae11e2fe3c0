// The campaign's printed pages: the month's help-point poster and a quarter's report each print
// on one A4 page (portrait and landscape); screenshots of the calendar and the results at phone
// and desktop widths, and the printed poster, land in the artifacts for a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { launch, BASE, artifactsDir } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => browser?.close());

function pdfInfo(file) {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info);
  return { pages: Number(/Pages:\s+(\d+)/.exec(info)[1]), width: Number(w), height: Number(h) };
}

/** The first link on `path` whose address matches `pattern`. */
async function linkOn(path, pattern) {
  const html = await (await fetch(BASE + path)).text();
  const m = html.match(pattern);
  assert.ok(m, `no link matching ${pattern} on ${path}`);
  return m[1];
}

async function printed(url, name) {
  const dir = artifactsDir('campaign');
  const page = await browser.newPage();
  await page.goto(BASE + url);
  await page.emulateMedia({ media: 'print' });
  const file = `${dir}/${name}.pdf`;
  writeFileSync(file, await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true }));
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  await page.close();
  return { file, text, ...pdfInfo(file) };
}

test("the month's poster prints on one A4 portrait page, with every help point and the address", async () => {
  const url = await linkOn('/diem-ho-tro/', /href="(\/diem-ho-tro\/ap-phich-[^"]+)"/);
  const { file, text, pages, width, height } = await printed(url, 'poster');
  assert.equal(pages, 1, `${url}: ${pages} pages`);
  assert.ok(height > width, `portrait expected, ${width} x ${height} pt`);
  const flat = text.replace(/\s+/g, ' ');
  const count = (await (await fetch(BASE + url)).text()).match(/<tr>\s*<th scope="row">/g)?.length ?? 0;
  assert.ok(count >= 3, `only ${count} help points on the poster`);
  assert.equal((flat.match(/Thứ [A-Za-zÀ-ỹ]+, \d+\/\d+\/\d{4}|Chủ Nhật, \d+\/\d+\/\d{4}/g) || []).length, count);
  assert.ok(flat.includes('/diem-ho-tro/'), 'the calendar address is printed');
  for (const chrome of ['Bỏ qua, đến nội dung chính', 'Chữ lớn hơn', 'In tờ rơi']) {
    assert.ok(!flat.includes(chrome), `"${chrome}" printed`);
  }
  execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, file.replace(/\.pdf$/, '')]);
});

test("a quarter's report prints on one A4 landscape page with its totals", async () => {
  const url = await linkOn('/ket-qua/', /href="(\/ket-qua\/[^"]+\/in\/)"/);
  const { file, text, pages, width, height } = await printed(url, 'report');
  assert.equal(pages, 1, `${url}: ${pages} pages`);
  assert.ok(width > height, `landscape expected, ${width} x ${height} pt`);
  assert.ok(text.includes('Cả xã'), 'the totals row is printed');
  execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, file.replace(/\.pdf$/, '')]);
});

test('screenshots of the calendar and the results at phone and desktop widths', async () => {
  const dir = artifactsDir('campaign');
  for (const width of [390, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    for (const [name, path] of [['diem-ho-tro', '/diem-ho-tro/'], ['ket-qua', '/ket-qua/']]) {
      await page.goto(BASE + path);
      // Nothing wider than the screen: tables scroll in their own box.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path} at ${width}px is ${overflow}px too wide`);
      await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
    }
    await page.close();
  }
});
