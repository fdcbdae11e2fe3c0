// Leaflets printed to PDF by Chromium: at most two A4 pages each, with the title, every step
// number and the lesson's address in the text; the QR code decodes back to the lesson. A lesson
// page is its own leaflet when printed; print packs put many on one page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, existsSync } from 'node:fs';
import { launch, BASE, artifactsDir } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => browser?.close());

function pdfPages(file) {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)[1]);
}

/** The lesson pages the leaflet index lists: each prints as its leaflet. */
async function leafletUrls() {
  const index = await (await fetch(`${BASE}/to-roi/`)).text();
  const lists = [...index.matchAll(/<ul class="leaflet-list">([\s\S]*?)<\/ul>/g)].map((m) => m[1]).join('');
  return [...lists.matchAll(/<a href="(\/[^"]+\/)">/g)].map((m) => m[1]);
}

test('every leaflet prints on at most 2 A4 pages with title, steps and address', async () => {
  const dir = artifactsDir('leaflets');
  const urls = await leafletUrls();
  assert.ok(urls.length >= 16, `${urls.length} leaflets listed`);
  // The width of A4's text area (210 − 2 × 11 mm), so a leaflet's height on screen is its printed height.
  const page = await browser.newPage({ viewport: { width: 711, height: 1047 } });
  await page.emulateMedia({ media: 'print' });
  const counts = {};
  let totalSteps = 0;
  for (const url of urls) {
    await page.goto(BASE + url);
    const name = url.replace(/\/$/, '').replace(/^\//, '').replace(/\//g, '--');
    const file = `${dir}/${name}.pdf`;
    writeFileSync(file, await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true }));
    const pages = pdfPages(file);
    counts[name] = pages;
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const flat = text.replace(/\s+/g, ' ');
    const title = (await page.locator('h1').innerText()).replace(/\s+/g, ' ');
    assert.ok(flat.includes(title), `${url}: title "${title}" not in the PDF`);
    // Every number of every list of steps (a list may start at 1 again, or elsewhere).
    const numbers = await page.evaluate(() =>
      [...document.querySelectorAll('.leaflet-body ol.steps')].flatMap((ol) => {
        const start = Number(ol.getAttribute('start') || 1);
        return [...ol.children].map((_, i) => start + i);
      }),
    );
    totalSteps += numbers.length;
    for (const n of new Set(numbers)) {
      assert.match(text, new RegExp(`(^|\\s)${n}(\\s|$)`), `${url}: step ${n} missing`);
    }
    const short = (await page.locator('.qr-url').innerText()).replace(/\s/g, '');
    assert.ok(text.replace(/\s/g, '').includes(short), `${url}: address ${short} not printed`);
    for (const chrome of ['Chữ lớn hơn', 'Bỏ qua, đến nội dung chính', 'In tờ rơi', 'Theo dõi bài mới']) {
      assert.ok(!flat.includes(chrome), `${url}: "${chrome}" printed`);
    }
    assert.ok(pages <= 2, `${url}: ${pages} pages`);
    // A lesson whose leaflet is shorter than a page prints on one side: nothing (the help
    // block, a forced break) pushes it onto a second page.
    const height = await page.evaluate(() => document.querySelector('.leaflet').getBoundingClientRect().height);
    if (height * 25.4 / 96 <= 0.97 * 277) assert.equal(pages, 1, `${url}: short leaflet on ${pages} pages`);
  }
  assert.ok(totalSteps >= urls.length * 4, `only ${totalSteps} steps in ${urls.length} leaflets`);
  const oneSided = Object.values(counts).filter((n) => n === 1).length;
  console.log(`leaflets on one side of A4: ${oneSided} of ${urls.length}`);
  assert.ok(oneSided >= 4, `only ${oneSided} leaflets fit on one side`);
  console.log(`leaflet pages: ${JSON.stringify(counts)}`);
  writeFileSync(`${dir}/page-counts.json`, JSON.stringify(counts, null, 2));
  await page.close();
});

test("hocso's page estimate (behind its overflow warning) tracks the real printed height", async () => {
  // A4 text area at 96 px per inch: 188 mm wide, 277 mm tall (margins 10 mm × 11 mm).
  const page = await browser.newPage({ viewport: { width: 711, height: 1047 } });
  await page.emulateMedia({ media: 'print' });
  const rows = [];
  for (const url of await leafletUrls()) {
    await page.goto(BASE + url);
    const [estimate, height] = await page.evaluate(() => {
      const a = document.querySelector('article.leaflet');
      return [Number(a.dataset.estimatedPages), a.getBoundingClientRect().height];
    });
    const real = height / 1047;
    rows.push(`${url} estimate ${estimate.toFixed(2)} real ${real.toFixed(2)}`);
    assert.ok(Math.abs(estimate - real) <= 0.35, `${url}: estimate ${estimate} vs real ${real.toFixed(2)}`);
    assert.ok(real <= 2, `${url}: ${real.toFixed(2)} pages tall`);
  }
  console.log(rows.join('\n'));
  await page.close();
});

test('page 1 of two leaflets rendered to PNG, and their QR codes decode to the lesson', async () => {
  const dir = artifactsDir('leaflets');
  for (const name of ['dich-vu-cong--kich-hoat-vneid-muc-2', 'an-toan--cuoc-goi-gia-danh-cong-an']) {
    const pdf = `${dir}/${name}.pdf`;
    assert.ok(existsSync(pdf), 'made by the previous test');
    execFileSync('pdftoppm', ['-png', '-r', '120', '-f', '1', '-l', '1', '-singlefile', pdf, `${dir}/${name}-page1`]);
    assert.ok(existsSync(`${dir}/${name}-page1.png`));
    // The QR code is on the front page, so a resident holding the sheet sees it first.
    const decoded = execFileSync('zbarimg', ['--quiet', '--raw', `${dir}/${name}-page1.png`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const lesson = `/${name.replace('--', '/')}/`;
    // The sample lessons have recordings: the code opens the lesson at its player (#nghe).
    assert.ok(decoded.endsWith(`${lesson}#nghe`), `QR decoded to "${decoded}", expected …${lesson}#nghe`);
    console.log(`QR ${name}: ${decoded}`);
  }
});

test('a print pack puts each leaflet on its own sheet, and the picker narrows it', async () => {
  const dir = artifactsDir('leaflets');
  const page = await browser.newPage();
  await page.goto(`${BASE}/to-roi/`);
  const boxes = page.locator('.pick input');
  assert.ok((await boxes.count()) >= 16);
  await boxes.nth(0).check();
  await boxes.nth(5).check();
  await page.getByRole('button', { name: 'Mở các tờ đã chọn để in' }).click();
  await page.waitForURL(/tat-ca\/\?chon=/);
  const visible = await page.locator('article.leaflet:visible').count();
  assert.equal(visible, 2);
  await page.emulateMedia({ media: 'print' });
  const file = `${dir}/pack-two.pdf`;
  writeFileSync(file, await page.pdf({ format: 'A4', preferCSSPageSize: true }));
  assert.equal(pdfPages(file), 4, 'two leaflets, one sheet (two pages) each');
  await page.close();

  // Even one-page leaflets take a whole sheet each, so none prints on the back of another.
  const topicPack = await browser.newPage();
  await topicPack.goto(`${BASE}/to-roi/an-toan/`);
  assert.equal(await topicPack.locator('article.leaflet').count(), 4);
  await topicPack.addStyleTag({ content: '.leaflet-body { display: none }' });
  await topicPack.emulateMedia({ media: 'print' });
  const short = `${dir}/pack-short.pdf`;
  writeFileSync(short, await topicPack.pdf({ format: 'A4', preferCSSPageSize: true }));
  assert.equal(pdfPages(short), 8, 'four one-page leaflets: four sheets');
  await topicPack.close();
});

test("a leaflet's old address (…/to-roi/ under the lesson) leads to the lesson, which prints as it", async () => {
  const page = await browser.newPage();
  await page.goto(`${BASE}/an-toan/duong-link-gia/to-roi/`);
  await page.waitForURL(`${BASE}/an-toan/duong-link-gia/`);
  assert.equal(await page.locator('h1').innerText(), 'Cẩn thận với đường link lạ và ứng dụng giả');
  // "In tờ rơi" prints the page itself.
  await page.evaluate(() => {
    window.printed = 0;
    window.print = () => (window.printed += 1);
  });
  await page.getByRole('button', { name: 'In tờ rơi' }).click();
  assert.equal(await page.evaluate(() => window.printed), 1);
  await page.close();
});
