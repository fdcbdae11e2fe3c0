// hocso offline search. Loaded only on the search page; the page lists every lesson without it.
// The index is built by `hocso build` (src/search.rs): words are stored under their folded form
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

/** Folds one character: its base letter without marks, đ → d, lower case. Keeps string length. */
export function foldChar(c) {
  const base = c.normalize('NFD').charAt(0).toLowerCase();
  return base === 'đ' ? 'd' : base;
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

function fieldScore(bits) {
  let s = 0;
  for (const [bit, weight] of FIELD_WEIGHTS) if (bits & bit) s += weight;
  return s;
}

/**
 * Ranks lessons for a query. `shards` maps shard key → parsed shard JSON.
 * Returns [{ doc, score, matched, exact }] best first: lessons with every word first; then, when
 * the query has marks, lessons with more words in the exact spelling ("mã" before "má" and
 * "ma"); then by score (field weights; a word only started counts half); then by lesson number,
 * which is reading order (topic weight first).
 */
export function rank(query, shards, { prefixLast = true } = {}) {
  const qwords = words(query);
  const byDoc = new Map();
  const complete = /[^\p{L}\p{N}]$/u.test(query);
  qwords.forEach((word, i) => {
    const folded = fold(word);
    const hasMarks = folded !== word;
    const last = i === qwords.length - 1 && prefixLast && !complete && folded.length >= 2;
    for (const shard of Object.values(shards)) {
      for (const [term, spellings] of Object.entries(shard)) {
        const exact = term === folded;
        if (!exact && !(last && term.startsWith(folded))) continue;
        for (const [spelling, postings] of Object.entries(spellings)) {
          const isExact = hasMarks && spelling === word;
          const factor = exact ? 1 : 0.5;
          let doc = 0;
          for (let p = 0; p < postings.length; p += 2) {
            doc += postings[p];
            const score = fieldScore(postings[p + 1]) * factor;
            let entry = byDoc.get(doc);
            if (!entry) {
              entry = { doc, best: new Array(qwords.length).fill(0), exact: new Array(qwords.length).fill(false) };
              byDoc.set(doc, entry);
            }
            if (score > entry.best[i]) entry.best[i] = score;
            if (isExact) entry.exact[i] = true;
          }
        }
      }
    }
  });
  const results = [...byDoc.values()].map(({ doc, best, exact }) => ({
    doc,
    score: best.reduce((a, b) => a + b, 0),
    matched: best.filter((b) => b > 0).length,
    exact: exact.filter(Boolean).length,
  }));
  results.sort((a, b) => b.matched - a.matched || b.exact - a.exact || b.score - a.score || a.doc - b.doc);
  return results;
}

/** A window of `text` around the first query word, as [before, match, after] pieces. */
export function snippet(text, query, width = 80) {
  const folded = fold(text);
  const qwords = words(query);
  let at = -1;
  let len = 0;
  for (const w of qwords) {
    // Prefer the exact spelling, then the folded one; only at the start of a word.
    for (const [hay, needle] of [[text.toLowerCase(), w], [folded, fold(w)]]) {
      const re = new RegExp(`(^|[^\\p{L}\\p{N}])${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u');
      const m = re.exec(hay);
      if (m && (at < 0 || m.index + m[1].length < at)) {
        at = m.index + m[1].length;
        len = needle.length;
      }
      if (m) break;
    }
  }
  if (at < 0) return [text.slice(0, width * 2) + (text.length > width * 2 ? '…' : ''), '', ''];
  const start = Math.max(0, text.lastIndexOf(' ', Math.max(0, at - width)) + 1);
  const endSpace = text.indexOf(' ', Math.min(text.length, at + len + width));
  const end = endSpace < 0 ? text.length : endSpace;
  return [
    (start > 0 ? '…' : '') + text.slice(start, at),
    text.slice(at, at + len),
    text.slice(at + len, end) + (end < text.length ? '…' : ''),
  ];
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
  const fetchJson = (path) => {
    if (!cache.has(path)) {
      cache.set(path, fetch(base + path).then((r) => {
        if (!r.ok) throw new Error(`${path}: ${r.status}`);
        return r.json();
      }));
    }
    return cache.get(path);
  };
  const say = (template, q, n) => template.replace('{q}', q).replace('{n}', String(n));
  let current = 0;
  let shown = 0;
  let ranked = [];

  async function showMore(q, token) {
    const slice = ranked.slice(shown, shown + PAGE);
    const docs = await Promise.all(slice.map((r) => fetchJson(`d/${r.doc}.json`)));
    if (token !== current) return;
    for (const d of docs) {
      const li = document.createElement('li');
      const h = document.createElement('h2');
      const a = document.createElement('a');
      a.href = d.u;
      a.textContent = d.t;
      h.append(a);
      const topic = document.createElement('p');
      topic.className = 'result-topic';
      topic.textContent = d.p;
      const summary = document.createElement('p');
      summary.textContent = d.s;
      const [before, match, after] = snippet(d.x, q);
      const snip = document.createElement('p');
      snip.className = 'result-snippet';
      snip.append(before);
      if (match) {
        const mark = document.createElement('mark');
        mark.textContent = match;
        snip.append(mark);
      }
      snip.append(after);
      li.append(h, topic, summary, snip);
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
          showMore(input.value, current).then(() => list.children[first]?.querySelector('a')?.focus());
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
      const qwords = words(query);
      const keys = new Set();
      qwords.forEach((w, i) => {
        const f = fold(w);
        const last = i === qwords.length - 1 && f.length >= 2;
        for (const k of last ? shardsForPrefix(meta.shards, f) : [shardFor(meta.shards, f)]) if (k) keys.add(k);
      });
      const shards = {};
      await Promise.all([...keys].map(async (k) => { shards[k] = await fetchJson(`s/${k}.json`); }));
      if (token !== current) return;
      ranked = rank(query, shards);
      status.textContent = ranked.length ? say(root.dataset.found, query, ranked.length) : say(root.dataset.none, query, 0);
      await showMore(query, token);
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
  const initial = new URLSearchParams(window.location.search).get('q');
  if (initial) {
    input.value = initial;
    run(initial);
  }
}

if (typeof document !== 'undefined') setup();
