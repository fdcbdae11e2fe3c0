// Unit tests of the search script's folding, shard choice, ranking and snippets (no browser).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fold, foldChar, words, shardFor, shardsForPrefix, rank as rankRaw, snippet, decodePostings, encodePostings, pageText } from '../../themes/default/static/js/search.js';

test('folding drops tone and vowel marks, maps đ to d, keeps length', () => {
  assert.equal(fold('Thanh toán bằng mã QR'), 'thanh toan bang ma qr');
  assert.equal(fold('ĐỊNH DANH điện tử'), 'dinh danh dien tu');
  assert.equal(fold('Lừa đảo giả danh công an'), 'lua dao gia danh cong an');
  const nfd = 'Mã'.normalize('NFD');
  assert.equal(fold(nfd), 'ma', 'NFD input folds the same');
  const text = 'Ứng dụng ngân hàng';
  assert.equal(fold(text).length, text.length, 'positions survive folding');
  assert.equal(foldChar('Ư'), 'u');
});

test('query words are NFC, lower case, split on anything but letters and digits', () => {
  assert.deepEqual(words('  Mã-QR, VNeID mức 2! '), ['mã', 'qr', 'vneid', 'mức', '2']);
  assert.deepEqual(words('Lu\u0300\u031Ba'), ['lừa']);
});

test('a word is looked up in the shard with the longest matching key', () => {
  const keys = ['an', 'th', 'tha', 'tho', 'ti', 'q'];
  assert.equal(shardFor(keys, 'thanh'), 'tha');
  assert.equal(shardFor(keys, 'thu'), 'th');
  assert.equal(shardFor(keys, 'qr'), 'q');
  assert.equal(shardFor(keys, 'xyz'), null);
  assert.deepEqual(shardsForPrefix(keys, 'th').sort(), ['th', 'tha', 'tho']);
  assert.deepEqual(shardsForPrefix(keys, 'than'), ['tha']);
});

test('postings decode from the build\'s base-32 varints, docs ascending', () => {
  // The same string is pinned in src/search.rs's unit test, so both sides agree on the format.
  const pairs = [[3, 16], [7, 1], [1000, 31]];
  assert.equal(encodePostings(pairs), 'M3x4_xv');
  const decode = (encoded) => {
    const buffer = { docs: new Int32Array(0), fields: new Uint8Array(0) };
    const count = decodePostings(encoded, buffer);
    return Array.from({ length: count }, (_, i) => [buffer.docs[i], buffer.fields[i]]);
  };
  assert.deepEqual(decode('M3x4_xv'), pairs);
  const many = Array.from({ length: 5000 }, (_, i) => [i * 977 + (i % 3), (i % 31) + 1]);
  assert.deepEqual(decode(encodePostings(many)), many, 'large gaps round-trip');
});

// Every ranked result, best first, as objects.
const rank = (...args) => {
  const ranked = rankRaw(...args);
  const all = Array.from({ length: ranked.length }, (_, j) => ranked.at(j));
  assert.deepEqual(ranked.docs(0, ranked.length), all.map((r) => r.doc));
  return all;
};

// Three lessons: 0 has "mã QR" in its title, 1 "má" in its summary, 2 "ma" in its body.
const P = (...flat) => encodePostings(flat.reduce((acc, v, i) => (i % 2 ? acc[acc.length - 1].push(v) : acc.push([v]), acc), []));
const shards = {
  ma: { ma: { 'mã': P(0, 16), 'má': P(1, 4), ma: P(2, 1) } },
  q: { qr: { qr: P(0, 16, 2, 1) } },
  th: { thanh: { thanh: P(0, 16, 1, 1) }, thi: { thi: P(2, 1) } },
  to: { toan: { 'toán': P(0, 16) } },
};

test('without marks every spelling is found; with marks the exact one ranks first', () => {
  assert.deepEqual(rank('ma ', shards).map((r) => r.doc), [0, 1, 2], 'field weight decides');
  const withMark = rank('má ', shards);
  assert.deepEqual(withMark.map((r) => r.doc), [1, 0, 2], 'exact "má" in a summary beats "mã" in a title');
  assert.equal(withMark.length, 3, 'all spellings are still found');
});

test('lessons with every word come first, and the last word matches as a prefix', () => {
  const r = rank('thanh toa', shards);
  assert.equal(r[0].doc, 0);
  assert.equal(r[0].matched, 2);
  assert.ok(r.every((x, i) => i === 0 || x.matched <= r[0].matched));
  assert.deepEqual(rank('toa ', shards), [], 'a finished word is not a prefix');
  assert.deepEqual(rank('th', shards).map((r) => r.doc), [0, 1, 2], 'prefix "th" finds thanh and thi');
});

test('the first places picked in one pass agree with a full sort, past them too', () => {
  // 300 lessons with scores that tie often: the order must be the same whichever way it is made.
  const pairs = Array.from({ length: 300 }, (_, doc) => [doc, [1, 4, 16, 5, 17][(doc * 7) % 5]]);
  const many = { qr: { qr: { qr: encodePostings(pairs) } } };
  const ranked = rankRaw('qr ', many);
  const got = ranked.docs(0, 300);
  const expected = pairs
    .map(([doc, fields]) => [doc, [16, 8, 4, 2, 1].reduce((s, bit, i) => (fields & bit ? s + [100, 40, 20, 10, 3][i] : s), 0)])
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([doc]) => doc);
  assert.deepEqual(got, expected);
  assert.deepEqual(rankRaw('qr ', many).docs(15, 25), expected.slice(15, 25), 'a page across the first pick');
});

test('ties keep reading order (topic weight first)', () => {
  const tie = { qr: { qr: P(3, 16, 5, 16) } };
  assert.deepEqual(rank('qr ', { q: tie }).map((r) => r.doc), [3, 5]);
});

test('snippets mark every query word in the window, with or without marks', () => {
  const text = 'Mở ứng dụng ngân hàng. Bấm nút Quét QR. Đưa camera vào mã QR của cửa hàng.';
  const [before, match, after] = snippet(text, 'quet', 20);
  assert.equal(match, 'Quét');
  assert.ok(before.startsWith('…') && before.endsWith('Bấm nút '), before);
  assert.ok(after.startsWith(' QR. Đưa') && after.endsWith('…'), after);
  const both = snippet(text, 'mã qr', 30);
  assert.equal(both[1], 'QR', 'the window starts at the earliest of the words');
  assert.deepEqual(both.filter((_, k) => k % 2 === 1), ['QR', 'mã', 'QR'], 'and marks every word in it');
  assert.equal(both.length % 2, 1, 'plain and marked pieces alternate');
  const scam = snippet('Khi nghi bị lừa đảo, gọi ngay ngân hàng.', 'lua dao');
  assert.deepEqual(scam.filter((_, k) => k % 2 === 1), ['lừa', 'đảo']);
  assert.deepEqual(snippet(text, 'camera ma', 10)[1], 'camera');
  const none = snippet(text, 'không có', 10);
  assert.equal(none.length, 1);
  assert.ok(none[0].startsWith('Mở ứng dụng'));
});

test('adjacent query words in a title or tag rank above scattered ones', () => {
  // Lesson 0 has "lừa" and "đảo" apart in its body; lesson 1 has "lừa đảo" together in a tag
  // (a pair entry, field Heading = 8) but the words only in its body.
  const shards = {
    lu: { lua: { 'lừa': encodePostings([[0, 1], [1, 1]]) }, lua_dao: { 'lừa_đảo': encodePostings([[1, 8]]) } },
    da: { dao: { 'đảo': encodePostings([[0, 1], [1, 1]]) } },
  };
  assert.deepEqual(rank('lua dao', shards).map((r) => r.doc), [1, 0]);
  assert.deepEqual(rank('dao lua', shards).map((r) => r.doc), [0, 1], 'the other order is no pair');
});

test('snippets read the lesson body of a page, without tags or screen-reader-only words', () => {
  const html = `<!doctype html><html><head><title>X</title><script>var a = "<p>";</script></head><body>
<nav><a href="/">Trang chủ</a></nav><main><article><h1>Bài</h1>
<div class="prose lesson-body" id="noi-dung-bai">
<p>Mở <a href="https://x.vn">trang<span class="visually-hidden"> (mở trang ngoài)</span></a> &amp; bấm <strong>Quét&nbsp;QR</strong>.</p>
<ol class="steps"><li>Bước một</li><li>Bước &quot;hai&quot;</li></ol>
</div>
<section class="terms"><h2>Từ ngữ trong bài</h2><dl><dt>QR</dt></dl></section>
</article></main><footer>Chân trang</footer></body></html>`;
  assert.equal(pageText(html), 'Mở trang & bấm Quét QR. Bước một Bước "hai"');
  assert.equal(pageText('<p>Không có khung <b>bài</b></p>'), 'Không có khung bài', 'any page still gives its text');
  const callout = '<div id="noi-dung-bai"><div class="callout"><p class="callout-label"><span aria-hidden="true">⚠</span> Cảnh báo lừa đảo</p><p>Không đọc mã OTP.</p></div></article>';
  assert.equal(pageText(callout), 'Không đọc mã OTP.', 'a callout label is no part of the snippet');
});
