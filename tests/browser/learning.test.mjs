// Learning aids (issue 19) in Chromium: self-check questions answered in words, "I have
// finished this lesson" kept across reloads and counted on the topic page, the answers readable
// without JavaScript, sharing by copying the link; screenshots at 390 px of a journey, a
// lesson's journey box, a question after a wrong answer and the "lessons I have learnt" page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { launch, BASE, artifactsDir } from './lib.mjs';

const OTP = '/an-toan/bao-ve-ma-otp-mat-khau/';
const LINK = '/an-toan/duong-link-gia/';
const JOURNEY = '/lo-trinh/thanh-toan-bang-dien-thoai-an-toan/';
const PHONE = { viewport: { width: 390, height: 844 } };
const SHOTS = process.env.HOCSO_SHOTS || artifactsDir('learning');
mkdirSync(SHOTS, { recursive: true });

let browser;
before(async () => {
  browser = await launch();
});
after(async () => browser?.close());

/** The words the first question's status line says, once it says something. */
async function resultOf(page) {
  const result = page.locator('.quiz-result').first();
  await result.filter({ hasText: /\S/ }).waitFor();
  return (await result.innerText()).replace(/\s+/g, ' ').trim();
}

test('a wrong then a right answer are both said in words in a status line', async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(BASE + OTP);
  const form = page.locator('fieldset.quiz-form').first();
  assert.equal((await form.locator('legend').innerText()).trim(), 'Ai gọi điện đòi mã OTP của bạn là ai?');
  assert.equal(await form.getByRole('radio').count(), 3, 'real radio buttons, one per choice');
  assert.equal(await page.locator('.quiz-result').first().getAttribute('role'), 'status');
  // The list the page had without JavaScript gave way to the radio buttons.
  assert.equal(await page.locator('.quiz-choices').first().isVisible(), false);

  await form.getByRole('radio', { name: /Nhân viên ngân hàng/ }).check();
  const wrong = await resultOf(page);
  assert.match(wrong, /^✗? ?Chưa đúng\. Nhân viên ngân hàng thật không bao giờ hỏi mã OTP\. Hãy chọn lại\.$/, wrong);
  await form.scrollIntoViewIfNeeded();
  await page.locator('.quiz').first().screenshot({ path: `${SHOTS}/quiz-wrong-answer-390.png` });

  // Another choice can be tried, and the status line says the new result.
  await form.getByRole('radio', { name: /Kẻ lừa đảo/ }).check();
  await page.locator('.quiz-result').first().filter({ hasText: 'Đúng rồi.' }).waitFor();
  const right = await resultOf(page);
  assert.match(right, /Đúng rồi\. Chỉ kẻ gian mới đòi mã OTP/, right);
  assert.ok(!right.includes('Chưa đúng'), right);
  // Keyboard: the choices are one radio group, reached and changed with the arrow keys.
  await form.getByRole('radio', { name: /Kẻ lừa đảo/ }).focus();
  await page.keyboard.press('ArrowDown');
  await page.locator('.quiz-result').first().filter({ hasText: 'Chưa đúng.' }).waitFor();
  await context.close();
});

test('marking a lesson learnt survives a reload and updates the topic and journey counts', async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(`${BASE}/an-toan/`);
  const count = page.locator('.learnt-count');
  assert.equal(await count.innerText(), 'Đã học 0/4 bài');

  await page.goto(BASE + LINK);
  const toggle = page.getByRole('button', { name: 'Tôi đã học xong bài này' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  await page.locator('.learnt-status').filter({ hasText: 'Đã đánh dấu' }).waitFor();
  await page.reload();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true', 'kept after a reload');

  await page.goto(`${BASE}/an-toan/`);
  assert.equal(await count.innerText(), 'Đã học 1/4 bài');
  const card = page.locator('.card', { hasText: 'Cẩn thận với đường link lạ' });
  assert.match(await card.locator('.learnt-mark').innerText(), /Đã học/, 'a tick said in words');

  // Also learnt: one more lesson, from the journey page that lists both.
  await page.goto(BASE + OTP);
  await page.getByRole('button', { name: 'Tôi đã học xong bài này' }).click();
  await page.locator('.journey-box').first().scrollIntoViewIfNeeded();
  await page.locator('.learn-tools').screenshot({ path: `${SHOTS}/lesson-learnt-and-share-390.png` });
  await page.goto(BASE + JOURNEY);
  assert.equal(await page.locator('.learnt-count').innerText(), 'Đã học 2/7 bài');
  assert.equal(await page.locator('.step-nav .learnt-mark').count(), 2);
  await page.screenshot({ path: `${SHOTS}/journey-390.png`, fullPage: true });

  // "Bài tôi đã học" lists both, the latest first, and clears them after a confirmation.
  await page.goto(`${BASE}/bai-da-hoc/`);
  const links = page.locator('.progress-list a');
  assert.deepEqual(await links.allInnerTexts(), ['Giữ kín mã OTP và mật khẩu', 'Cẩn thận với đường link lạ và ứng dụng giả']);
  await page.screenshot({ path: `${SHOTS}/progress-390.png`, fullPage: true });
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Xóa lịch sử học' }).click();
  await page.locator('.progress-status').filter({ hasText: 'Đã xóa lịch sử học' }).waitFor();
  assert.equal(await links.count(), 0);
  assert.ok(await page.locator('.progress-empty').isVisible());
  assert.equal(await page.evaluate(() => localStorage.getItem('hocso-learnt')), null, 'nothing left on the phone');
  await page.goto(`${BASE}/an-toan/`);
  assert.equal(await count.innerText(), 'Đã học 0/4 bài');
  await context.close();
});

test('the journey box on a lesson in two journeys shows both, with their neighbouring steps', async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(BASE + OTP);
  const boxes = page.locator('.journey-box');
  assert.equal(await boxes.count(), 2);
  const first = (await boxes.nth(0).innerText()).replace(/\s+/g, ' ');
  assert.match(first, /Thuộc lộ trình: Làm thủ tục hành chính trên điện thoại — Bước 2 trên 5/, first);
  assert.match(first, /Bước trước: 1\. Kích hoạt tài khoản định danh điện tử mức 2/, first);
  assert.match(first, /Bước tiếp theo: 3\. Đăng nhập Cổng Dịch vụ công quốc gia/, first);
  await boxes.nth(0).scrollIntoViewIfNeeded();
  await page.locator('.journey-box').first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: `${SHOTS}/lesson-journey-box-390.png` });
  await context.close();
});

test('without JavaScript: answers read through "Xem đáp án", no control is shown', async () => {
  const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(BASE + OTP);
  const quiz = page.locator('.quiz').first();
  assert.ok(await quiz.locator('.quiz-question').isVisible());
  assert.equal(await quiz.locator('.quiz-choices li').count(), 3);
  assert.equal(await quiz.locator('.quiz-solution').isVisible(), false, 'the answer waits in <details>');
  await quiz.getByText('Xem đáp án').click();
  assert.equal(await quiz.locator('.quiz-solution').innerText(), 'Đáp án đúng: B. Kẻ lừa đảo');
  assert.match(await quiz.locator('.quiz-why').innerText(), /A – Chưa đúng\. Nhân viên ngân hàng thật/);
  for (const hidden of ['.learn-tools', '.learnt-toggle', '.share', 'fieldset.quiz-form']) {
    assert.equal(await page.locator(hidden).first().isVisible().catch(() => false), false, `${hidden} shown`);
  }
  await page.goto(`${BASE}/an-toan/`);
  assert.equal(await page.locator('.learnt-count').isVisible(), false);
  await page.goto(`${BASE}/bai-da-hoc/`);
  assert.match(await page.locator('main').innerText(), /cần bật JavaScript để xem/);
  assert.equal(await page.getByRole('button', { name: 'Xóa lịch sử học' }).isVisible(), false);
  await context.close();
});

test('sharing: without a share sheet, the link is copied and that is said in words', async () => {
  const context = await browser.newContext({ ...PHONE, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await page.goto(BASE + LINK);
  const hasShare = await page.evaluate(() => typeof navigator.share === 'function');
  const copy = page.getByRole('button', { name: 'Sao chép đường dẫn' });
  const native = page.getByRole('button', { name: 'Chia sẻ bài này' });
  assert.equal(await native.isVisible(), hasShare);
  assert.equal(await copy.isVisible(), !hasShare);
  if (!hasShare) {
    await copy.click();
    await page.locator('.share-status').filter({ hasText: 'Đã sao chép đường dẫn bài' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), BASE + LINK);
  }
  await context.close();
});

test('nothing a learner does is sent anywhere', async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  const requests = [];
  await page.goto(BASE + OTP);
  // The page may still fetch its own files (a lazy image); nothing may go elsewhere, be posted,
  // or carry what was done in its address.
  page.on('request', (r) => {
    if (!r.url().startsWith(BASE) || r.method() !== 'GET' || new URL(r.url()).search) requests.push(r.url());
  });
  await page.locator('fieldset.quiz-form').first().getByRole('radio').first().check();
  await page.getByRole('button', { name: 'Tôi đã học xong bài này' }).click();
  await page.waitForTimeout(300);
  assert.deepEqual(requests, []);
  await context.close();
});

test("a journey's checklist prints on one side of A4, a QR code beside every step", async () => {
  const page = await browser.newPage({ viewport: { width: 703, height: 1032 } });
  await page.emulateMedia({ media: 'print' });
  for (const slug of ['lam-thu-tuc-hanh-chinh-tren-dien-thoai', 'thanh-toan-bang-dien-thoai-an-toan']) {
    await page.goto(`${BASE}/lo-trinh/${slug}/to-roi/`);
    const file = `${SHOTS}/${slug}.pdf`;
    writeFileSync(file, await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true }));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))[1]);
    assert.equal(pages, 1, `${slug}: ${pages} pages`);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (let n = 1; n <= 5; n += 1) assert.ok(text.includes(`Bước ${n}:`), `${slug}: step ${n} not printed`);
    assert.equal(await page.locator('.checklist-qr svg.qr').count(), 5);
  }
  await page.close();
});
