// hocso offline search. Loaded only on the search page; the page lists every lesson without it.
// The index is built by `hocso build` (src/pipeline/search.rs): words are stored under their folded form
// (no marks, đ → d, lower case) and, inside it, under each spelling, so "thanh toan" finds
// "thanh toán" and "mã" ranks "mã" above "má" and "ma".

/** Field bits of a posting, and what each is worth: title > headings > summary > glossary > body. */
export const FIELD_WEIGHTS = [
  [16, 100],
  [8, 40],
  [4, 20],
  [2, 10],
  [1, 3],
];

/** How the index folded its words (meta.json `fold`): `vi`, or `plain` for other languages. */
let folding = 'vi';
export function setFolding(kind) {
  folding = kind === 'plain' ? 'plain' : 'vi';
}

/** Folds one character: its base letter without marks, lower case, and in Vietnamese đ → d.
 * Keeps string length. */
export function foldChar(c) {
  const base = c.normalize('NFD').charAt(0).toLowerCase();
  return base === 'đ' && folding === 'vi' ? 'd' : base;
}

/** Folds text character by character, so positions in the folded text match the original. */
export function fold(text) {
  let out = '';
  for (const c of text.normalize('NFC')) out += foldChar(c);
  return out;
}

/** Words of a query: runs of letters and digits, NFC, lower case. */
export function words(text) {
  return text.normalize('NFC').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Joins two adjacent words in the index (`lua_dao`); the build uses the same (PAIR_JOINER). */
export const PAIR_JOINER = '_';

/** The folded adjacent pairs of a query's words, as the index stores them. */
export function pairs(qwords) {
  const out = [];
  for (let i = 1; i < qwords.length; i++) out.push(fold(qwords[i - 1]) + PAIR_JOINER + fold(qwords[i]));
  return out;
}

/** The shard holding `term`: the longest shard key that starts it. */
export function shardFor(keys, term) {
  let best = null;
  for (const k of keys) if (term.startsWith(k) && (!best || k.length > best.length)) best = k;
  return best;
}

/** Every shard that may hold a word starting with `prefix`. */
export function shardsForPrefix(keys, prefix) {
  const found = new Set(keys.filter((k) => k.startsWith(prefix)));
  const own = shardFor(keys, prefix);
  if (own) found.add(own);
  return [...found];
}

/** Score of each field bit set (0–31), precomputed: ranking visits every posting. */
const FIELD_SCORE = Int32Array.from({ length: 32 }, (_, bits) =>
  FIELD_WEIGHTS.reduce((s, [bit, weight]) => (bits & bit ? s + weight : s), 0));

// Postings are strings of base-32 varints (see src/pipeline/search.rs): each value is
// gap × 32 + field bits; a digit from the second half of DIGITS means "more digits follow".
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';
const DIGIT_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < DIGITS.length; i++) DIGIT_VALUE[DIGITS.charCodeAt(i)] = i;

/**
 * Decodes an encoded postings string into `into.docs` / `into.fields` (typed arrays, grown when
 * too small) and returns how many postings it holds, docs ascending. Ranking reuses one buffer
 * for every list, so a query over ten thousand lessons allocates next to nothing.
 */
export function decodePostings(encoded, into) {
  if (into.docs.length < encoded.length) {
    into.docs = new Int32Array(encoded.length);
    into.fields = new Uint8Array(encoded.length);
  }
  const { docs, fields } = into;
  let count = 0;
  let doc = 0;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < encoded.length; i++) {
    const d = DIGIT_VALUE[encoded.charCodeAt(i) & 127];
    value += (d & 31) * scale;
    if (d >= 32) {
      scale *= 32;
      continue;
    }
    doc += Math.floor(value / 32);
    docs[count] = doc;
    fields[count] = value % 32;
    count++;
    value = 0;
    scale = 1;
  }
  return count;
}

/** Encodes [[doc, fields], …] (docs ascending) the way the build does; for tests and tools. */
export function encodePostings(pairs) {
  let out = '';
  let previous = 0;
  for (const [doc, fields] of pairs) {
    let v = (doc - previous) * 32 + fields;
    previous = doc;
    while (v >= 32) {
      out += DIGITS[32 + (v % 32)];
      v = Math.floor(v / 32);
    }
    out += DIGITS[v];
  }
  return out;
}

// A result's sort key packs, from most to least significant: words matched (4 bits), words in
// the exact spelling (4 bits), score × 2 (13 bits) and the inverted lesson number (24 bits), so
// one numeric sort of a Float64Array orders ten thousand results in a few milliseconds.
const DOC_BITS = 2 ** 24;
const SCORE_MAX = 2 ** 13 - 1;

/**
 * Ranks lessons for a query. `shards` maps shard key → parsed shard JSON; `docs` is the number
 * of lessons (from meta.json; found from the postings when left out).
 * Order: lessons with every word first; then, when the query has marks, lessons with more words
 * in the exact spelling ("mã" before "má" and "ma"); then by score (field weights; a word only
 * started counts half; words standing together in a title, tag or summary, "lừa đảo", add the
 * pair's field weight again); then by lesson number, which is reading order (topic weight first).
 * Returns `{ length, docs(from, to), at(j) }`: `docs` the lesson numbers from place `from` to
 * `to` (best first), `at(j)` the j-th as `{ doc, score, matched, exact }`. Only the first
 * `TOP` places are picked at once (one pass); the full order is sorted the first time a place
 * past them is asked for ("show more"), which most searches never do.
 */
export function rank(query, shards, { prefixLast = true, docs = 0 } = {}) {
  const qwords = words(query).slice(0, 15);
  const complete = /[^\p{L}\p{N}]$/u.test(query);
  // Per query word: which postings lists apply, and whether each is the exact spelling.
  const lists = qwords.map((word, i) => {
    const folded = fold(word);
    const hasMarks = folded !== word;
    const last = i === qwords.length - 1 && prefixLast && !complete && folded.length >= 2;
    const found = [];
    for (const shard of Object.values(shards)) {
      for (const term in shard) {
        if (term.includes(PAIR_JOINER)) continue;
        const exact = term === folded;
        if (!exact && !(last && term.startsWith(folded))) continue;
        for (const [spelling, postings] of Object.entries(shard[term])) {
          found.push({ postings, factor: exact ? 2 : 1, isExact: hasMarks && spelling === word });
        }
      }
    }
    return found;
  });
  const buffer = { docs: new Int32Array(0), fields: new Uint8Array(0) };
  let n = docs;
  if (!n) {
    for (const found of lists) {
      for (const f of found) {
        const count = decodePostings(f.postings, buffer);
        if (count) n = Math.max(n, buffer.docs[count - 1] + 1);
      }
    }
  }
  // Scores are kept doubled, so a half point for a started word stays an integer.
  const score = new Int32Array(n);
  const matched = new Uint8Array(n);
  const exact = new Uint8Array(n);
  const best = new Int32Array(n);
  const bestExact = new Uint8Array(n);
  const stamp = new Uint8Array(n);
  const hit = new Int32Array(n);
  const touched = new Int32Array(n);
  let touchedCount = 0;
  lists.forEach((found, i) => {
    const mark = i + 1;
    let hits = 0;
    for (const { postings, factor, isExact } of found) {
      const count = decodePostings(postings, buffer);
      const { docs: ds, fields: fs } = buffer;
      for (let j = 0; j < count; j++) {
        const doc = ds[j];
        if (doc >= n) continue;
        const s = FIELD_SCORE[fs[j]] * factor;
        if (stamp[doc] !== mark) {
          stamp[doc] = mark;
          best[doc] = s;
          bestExact[doc] = isExact ? 1 : 0;
          hit[hits++] = doc;
        } else {
          if (s > best[doc]) best[doc] = s;
          if (isExact) bestExact[doc] = 1;
        }
      }
    }
    for (let j = 0; j < hits; j++) {
      const doc = hit[j];
      if (!matched[doc]) touched[touchedCount++] = doc;
      matched[doc] += 1;
      score[doc] += best[doc];
      exact[doc] += bestExact[doc];
    }
  });
  // Adjacent pairs: a bonus on lessons that already matched, never a match of their own.
  for (const pair of pairs(qwords)) {
    const seen = new Uint8Array(n);
    for (const shard of Object.values(shards)) {
      const spellings = shard[pair];
      if (!spellings) continue;
      for (const postings of Object.values(spellings)) {
        const count = decodePostings(postings, buffer);
        for (let j = 0; j < count; j++) {
          const doc = buffer.docs[j];
          if (doc >= n || !matched[doc] || seen[doc]) continue;
          seen[doc] = 1;
          score[doc] += FIELD_SCORE[buffer.fields[j]] * 2;
        }
      }
    }
  }
  const keys = new Float64Array(touchedCount);
  for (let j = 0; j < touchedCount; j++) {
    const doc = touched[j];
    keys[j] = ((matched[doc] * 16 + exact[doc]) * (SCORE_MAX + 1) + Math.min(score[doc], SCORE_MAX)) * DOC_BITS
      + (DOC_BITS - 1 - doc);
  }
  const docOf = (key) => DOC_BITS - 1 - (key % DOC_BITS);
  const top = largest(keys, Math.min(TOP, touchedCount));
  let all = null;
  const docAt = (j) => {
    if (j < top.length) return docOf(top[j]);
    if (!all) all = keys.sort().reverse();
    return docOf(all[j]);
  };
  return {
    length: touchedCount,
    docs(from, to) {
      const out = [];
      for (let j = from; j < Math.min(to, touchedCount); j++) out.push(docAt(j));
      return out;
    },
    at(j) {
      const doc = docAt(j);
      return { doc, score: score[doc] / 2, matched: matched[doc], exact: exact[doc] };
    },
  };
}

/** Places picked at once by `rank`: the first page of results and then some. */
const TOP = 20;

/** The `k` largest of `keys`, largest first, in one pass (insertion into a short list). */
function largest(keys, k) {
  const top = new Float64Array(k);
  let size = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (size === k && key <= top[k - 1]) continue;
    let j = size < k ? size++ : k - 1;
    while (j > 0 && top[j - 1] < key) {
      top[j] = top[j - 1];
      j--;
    }
    top[j] = key;
  }
  return top;
}

// Every letter Vietnamese writes with marks, by the base letter it folds to: a query letter
// becomes a class of them, so one regular expression finds "quet" in "Quét" without folding
// (and copying) the whole text of every result.
const MARKED = {
  a: 'aàáảãạăằắẳẵặâầấẩẫậ',
  e: 'eèéẻẽẹêềếểễệ',
  i: 'iìíỉĩị',
  o: 'oòóỏõọôồốổỗộơờớởỡợ',
  u: 'uùúủũụưừứửữự',
  y: 'yỳýỷỹỵ',
  d: 'dđ',
};
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern for one query word: its exact spelling, or any spelling folding to the same. */
function wordPattern(w) {
  const loose = [...fold(w)].map((c) => (MARKED[c] ? `[${MARKED[c]}]` : escapeRe(c))).join('');
  return `${escapeRe(w)}|${loose}`;
}

/**
 * A window of `text` around the best match of the query's words, as pieces that alternate plain
 * and matched text (`[plain, match, plain, match, …, plain]`, always an odd count): every query
 * word found inside the window is marked, not only the first. No match: `[start of text]`.
 */
export function snippet(text, query, width = 80) {
  const qwords = words(query);
  if (!qwords.length) return [text.slice(0, width * 2) + (text.length > width * 2 ? '…' : '')];
  // Longest words first, so "đảo" is not cut short by a shorter word that starts it.
  const alternatives = qwords.sort((a, b) => b.length - a.length).map(wordPattern).join('|');
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})`, 'giu');
  const all = [...text.matchAll(re)].slice(0, 500);
  if (!all.length) return [text.slice(0, width * 2) + (text.length > width * 2 ? '…' : '')];
  // The window around the match with the most different query words near it ("lừa" and "đảo"
  // together beat a lone "lừa" earlier on); the earliest such match on a tie.
  let first = all[0];
  let bestCount = 0;
  for (const m of all) {
    const near = new Set(all.filter((o) => Math.abs(o.index - m.index) <= width).map((o) => fold(o[0])));
    if (near.size > bestCount) {
      bestCount = near.size;
      first = m;
    }
  }
  const at = first.index;
  const start = Math.max(0, text.lastIndexOf(' ', Math.max(0, at - width)) + 1);
  const endSpace = text.indexOf(' ', Math.min(text.length, at + first[0].length + width));
  const end = endSpace < 0 ? text.length : endSpace;
  const window = text.slice(start, end);
  const pieces = [];
  let last = 0;
  for (const m of window.matchAll(re)) {
    pieces.push(window.slice(last, m.index), m[0]);
    last = m.index + m[0].length;
  }
  pieces.push(window.slice(last));
  if (start > 0) pieces[0] = `…${pieces[0]}`;
  if (end < text.length) pieces[pieces.length - 1] += '…';
  return pieces;
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/**
 * The text of a lesson page's body (`#noi-dung-bai` up to the words list or the article's end),
 * for snippets: tags and screen-reader-only words dropped, entities decoded. String work, not
 * DOMParser: parsing ten whole pages was most of a cheap phone's time after a search.
 */
export function pageText(html) {
  let body = html;
  const at = body.indexOf('id="noi-dung-bai"');
  if (at >= 0) body = body.slice(body.indexOf('>', at) + 1);
  for (const stop of ['<section class="terms"', '</article>']) {
    const end = body.indexOf(stop);
    if (at >= 0 && end >= 0) body = body.slice(0, end);
  }
  return body
    // A callout's label ("⚠ Cảnh báo lừa đảo") names the box, it is not the lesson's text.
    .replace(/<p class="callout-label">[\s\S]*?<\/p>/g, ' ')
    .replace(/<span class="visually-hidden">[^<]*<\/span>/g, '')
    .replace(/<\/?(?:a|abbr|b|code|em|i|mark|small|span|strong|sub|sup)\b[^>]*>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name) => ENTITIES[name])
    .replace(/\s+/g, ' ')
    .trim();
}

// ---- The page --------------------------------------------------------------------------------
const PAGE = 10;

function setup() {
  const root = document.getElementById('search');
  const form = document.querySelector('form.search-big');
  const input = document.getElementById('q');
  if (!root || !form || !input) return;
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const base = root.dataset.index;
  const cache = new Map();
  const fetchOnce = (url, read) => {
    if (!cache.has(url)) {
      const promise = fetch(url).then((r) => {
        if (!r.ok) throw new Error(`${url}: ${r.status}`);
        return read(r);
      });
      // A failure (a dropped connection) is not remembered: the next search tries again.
      promise.catch(() => cache.delete(url));
      cache.set(url, promise);
    }
    return cache.get(url);
  };
  const fetchJson = (path) => fetchOnce(base + path, (r) => r.json());
  // The lesson's own page gives the snippet; the browser keeps it for when it is opened.
  const lessonText = (url) => fetchOnce(url, async (r) => pageText(await r.text()));
  const say = (template, q, n) => template.replace('{q}', q).replace('{n}', String(n));
  let current = 0;
  let shown = 0;
  let ranked = rank('', {});
  let lastMeta = null;

  async function showMore(meta, q, token) {
    const slice = ranked.docs(shown, shown + PAGE);
    // Offline, a lesson whose index row was not saved with a lesson cannot be shown: counted.
    const offline = !navigator.onLine;
    const rows = await Promise.all(slice.map(async (doc) => {
      try {
        const file = await fetchJson(`d/${Math.floor(doc / meta.rows)}.json`);
        return file[doc % meta.rows];
      } catch (e) {
        if (offline) return null;
        throw e;
      }
    }));
    if (token !== current) return;
    const missing = rows.filter((r) => !r).length;
    for (const [title, url, topicIndex, summaryText] of rows.filter(Boolean)) {
      const li = document.createElement('li');
      const h = document.createElement('h2');
      const a = document.createElement('a');
      a.href = url;
      a.textContent = title;
      h.append(a);
      const topic = document.createElement('p');
      topic.className = 'result-topic';
      topic.textContent = meta.topics[topicIndex] ?? '';
      const summary = document.createElement('p');
      summary.textContent = summaryText;
      li.append(h, topic, summary);
      list.append(li);
      // Offline, a lesson neither saved nor opened before says so before it is tapped.
      if (offline && globalThis.caches) {
        caches.match(url).then((hit) => {
          if (hit) return;
          const note = document.createElement('span');
          note.className = 'needs-network';
          note.textContent = ` (${root.dataset.needsNetwork})`;
          a.after(note);
        });
      }
      // The snippet follows when the lesson page arrives; without it the summary still says
      // what the lesson is about.
      lessonText(url).then((text) => {
        if (token !== current) return;
        const pieces = snippet(text, q);
        if (pieces.length < 3) return;
        const snip = document.createElement('p');
        snip.className = 'result-snippet';
        pieces.forEach((piece, k) => {
          if (k % 2 === 0) {
            snip.append(piece);
          } else {
            const mark = document.createElement('mark');
            mark.textContent = piece;
            snip.append(mark);
          }
        });
        li.append(snip);
      }).catch(() => {});
    }
    if (missing) {
      const li = document.createElement('li');
      li.className = 'result-offline';
      li.textContent = say(root.dataset.moreOnline, '', missing);
      list.append(li);
    }
    shown += slice.length;
    let more = root.querySelector('.more');
    if (shown < ranked.length) {
      if (!more) {
        more = document.createElement('button');
        more.type = 'button';
        more.className = 'more';
        more.textContent = root.dataset.more;
        more.addEventListener('click', () => {
          const first = shown;
          showMore(lastMeta, input.value, current).then(() => list.children[first]?.querySelector('a')?.focus());
        });
        root.append(more);
      }
    } else if (more) {
      more.remove();
    }
  }

  async function run(q) {
    const token = ++current;
    const query = q.trim();
    list.replaceChildren();
    shown = 0;
    root.querySelector('.more')?.remove();
    const url = new URL(window.location.href);
    if (query) url.searchParams.set('q', query); else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    if (!query) {
      status.textContent = '';
      return;
    }
    status.textContent = root.dataset.loading;
    try {
      const meta = await fetchJson('meta.json');
      setFolding(meta.fold);
      lastMeta = meta;
      const qwords = words(query);
      const keys = new Set();
      qwords.forEach((w, i) => {
        const f = fold(w);
        const last = i === qwords.length - 1 && f.length >= 2;
        for (const k of last ? shardsForPrefix(meta.shards, f) : [shardFor(meta.shards, f)]) if (k) keys.add(k);
      });
      for (const pair of pairs(qwords)) {
        const k = shardFor(meta.shards, pair);
        if (k) keys.add(k);
      }
      const shards = {};
      await Promise.all([...keys].map(async (k) => { shards[k] = await fetchJson(`s/${k}.json`); }));
      if (token !== current) return;
      ranked = rank(query, shards, { docs: meta.docs });
      status.textContent = ranked.length ? say(root.dataset.found, query, ranked.length) : say(root.dataset.none, query, 0);
      await showMore(meta, query, token);
    } catch (e) {
      if (token === current) status.textContent = root.dataset.error;
    }
  }

  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value), 250);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });
  // The shard list is small (a few KB even for 10,000 lessons): fetch it now, so the first
  // search waits for one round trip fewer.
  fetchJson('meta.json').catch(() => {});
  const initial = new URLSearchParams(window.location.search).get('q');
  if (initial) {
    input.value = initial;
    run(initial);
  }
}

if (typeof document !== 'undefined') setup();
