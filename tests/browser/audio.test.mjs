// A lesson's recording made at build time. Headless Chromium has no Vietnamese voice, so the
// page must offer the recording: a native player whose file answers with an audio type and
// plays, a download link, and the same page opened at #nghe (the leaflet's QR code) shows the
// player first. Without JavaScript the player is there too. axe finds nothing on the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE, axe, MODES, contextFor } from './lib.mjs';

const LESSON = '/an-toan/bao-ve-ma-otp-mat-khau/';
let browser;
before(async () => {
  browser = await launch();
});
after(async () => browser?.close());

test('without a Vietnamese voice the lesson plays its recording', async () => {
  const page = await browser.newPage();
  await page.goto(BASE + LESSON);
  const voices = await page.evaluate(() => (window.speechSynthesis?.getVoices() || []).filter((v) => /^vi/i.test(v.lang)).length);
  assert.equal(voices, 0, 'this test expects a browser without a Vietnamese voice');
  const player = page.locator('figure#nghe');
  assert.ok(await player.isVisible(), 'the recording is shown');
  assert.ok(await page.locator('#listen').isHidden(), 'the read-aloud button needs a voice');
  const caption = await player.locator('figcaption').innerText();
  assert.match(caption, /^Nghe bài học \(\d+ phút, \d+(,\d)? (MB|KB)\)$/);
  const src = await player.locator('audio').getAttribute('src');
  assert.equal(src, `${LESSON}nghe.opus`);
  assert.equal(await player.locator('audio').getAttribute('preload'), 'none');
  const res = await fetch(BASE + src);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'audio/ogg');
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.equal(new TextDecoder().decode(bytes.slice(0, 4)), 'OggS');
  assert.equal(await player.locator('a[download]').getAttribute('href'), src);
  // Chromium plays it (muted, which needs no tap in a test): time goes on, no media error.
  assert.equal(await page.evaluate(() => document.createElement('audio').canPlayType('audio/ogg; codecs=opus')), 'probably');
  const played = await page.evaluate(async () => {
    const audio = document.querySelector('figure#nghe audio');
    audio.muted = true;
    await audio.play();
    await new Promise((ok, fail) => {
      const t = setTimeout(() => fail(new Error(`still at ${audio.currentTime} s`)), 10000);
      audio.addEventListener('timeupdate', () => { if (audio.currentTime > 0.5) { clearTimeout(t); ok(); } });
      audio.addEventListener('error', () => fail(new Error(`media error ${audio.error?.code}`)), { once: true });
    });
    audio.pause();
    return audio.currentTime;
  });
  assert.ok(played > 0.5, `played ${played} s`);
  console.log(`recording ${src}: ${caption}, ${bytes.length} bytes, played ${played.toFixed(1)} s`);
  await page.close();
});

test('the leaflet address #nghe opens the page at the player, which starts with one tap', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${BASE}${LESSON}#nghe`);
  const box = await page.locator('figure#nghe audio').boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= 844, `player on the first screen: ${JSON.stringify(box)}`);
  assert.ok(box.height >= 44, 'a 44 px target');
  await context.close();
});

test('with a Vietnamese voice the read-aloud takes the place of the recording, except at #nghe', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    window.speechSynthesis.getVoices = () => [{ lang: 'vi-VN', name: 'Giọng thử' }];
  });
  const page = await context.newPage();
  await page.goto(BASE + LESSON);
  assert.ok(await page.locator('#listen').isVisible(), 'read-aloud offered');
  assert.ok(await page.locator('figure#nghe').isHidden(), 'recording hidden');
  await page.goto(`${BASE}${LESSON}#nghe`);
  await page.reload();
  assert.ok(await page.locator('figure#nghe').isVisible(), 'opened at the recording, it stays');
  await context.close();
});

test('without JavaScript the player and the download link are there', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(BASE + LESSON);
  assert.ok(await page.locator('figure#nghe audio[controls]').isVisible());
  assert.ok(await page.locator('figure#nghe a[download]').isVisible());
  await context.close();
});

test('axe: no violations on a lesson with a recording, in every display mode', async () => {
  const problems = [];
  for (const [name, mode] of Object.entries(MODES)) {
    const context = await contextFor(browser, mode);
    const page = await context.newPage();
    await page.goto(BASE + LESSON);
    for (const v of await axe(page)) problems.push(`${name}: ${v}`);
    await context.close();
  }
  assert.deepEqual(problems, []);
});
