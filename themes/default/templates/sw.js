{#-
  The offline service worker, written by `hocso build` (src/pipeline/offline.rs) as /sw.js.
  Tera comments like this one are not published, so the worker stays small.

  Caches, all named after the build's content hash (C.build), so one build's files never mix
  with another's:
    hocso-shell-<build>  the shell, fetched on install: CSS, JS, fonts, icons, home, offline
                         page, "Bài đã lưu", search page and its index list;
    hocso-pages-<build>  every page (and its images) a resident opened;
    hocso-saved-<build>  lessons saved with "Lưu bài…", and one `__luu` entry per lesson
                         saying what was stored for it.
  A new build's worker copies saved lessons into its own cache, deletes every other hocso
  cache, and refetches each saved lesson the next time a page says the connection is there.
-#}
'use strict';
const C = {{ config | safe }};
const SHELL = 'hocso-shell-' + C.build;
const PAGES = 'hocso-pages-' + C.build;
const SAVED = 'hocso-saved-' + C.build;
const OURS = [PAGES, SAVED, SHELL];
const META = C.scope + '__luu';
{#- Theme CSS and JS carry a content hash in their name (hocso.0123456789.css): never stale. #}
const HASHED = /\.[0-9a-f]{10}\.(css|js)$/;
const stem = (p) => p.replace(HASHED, '.$1');

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(SHELL)
    {#- Pages are asked fresh; hashed files and fonts may come from the browser's own cache,
        where the page that registered the worker has just put them. #}
    .then((c) => c.addAll(C.shell.map((u) => new Request(u, { cache: HASHED.test(u) || u.endsWith('.woff2') ? 'default' : 'no-cache' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil((async () => {
    const names = await caches.keys();
    const saved = await caches.open(SAVED);
    for (const name of names) {
      if (!name.startsWith('hocso-') || OURS.includes(name)) continue;
      if (name.startsWith('hocso-saved-')) {
        const old = await caches.open(name);
        for (const req of await old.keys()) {
          if (!(await saved.match(req))) await saved.put(req, await old.match(req));
        }
      }
      await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function cached(req, opts) {
  for (const name of OURS) {
    const hit = await (await caches.open(name)).match(req, opts);
    if (hit) return hit;
  }
  return undefined;
}

async function keep(req, res) {
  if (!res.ok || res.redirected || res.type !== 'basic' || res.status !== 200) return;
  await (await caches.open(PAGES)).put(req, res.clone());
  const saved = await caches.open(SAVED);
  if (await saved.match(req)) await saved.put(req, res.clone());
}

async function networkFirst(e) {
  const req = e.request;
  try {
    const res = await fetch(req);
    e.waitUntil(keep(req, res.clone()).catch(() => {}));
    return res;
  } catch (err) {
    const path = new URL(req.url).pathname;
    const hit = await cached(req) || (path === C.search ? await cached(req, { ignoreSearch: true }) : undefined);
    if (hit) return hit;
    if (req.mode === 'navigate') return (await cached(C.offline)) || Response.error();
    {#- A search shard no saved lesson needed: no words, so the search finds what was saved. #}
    if (path.startsWith(C.index + 's/')) return Response.json({}, { headers: { 'x-hocso-offline': '1' } });
    throw err;
  }
}

async function cacheFirst(e) {
  const req = e.request;
  const hit = await cached(req);
  if (hit) return hit;
  try {
    const res = await fetch(req);
    if (res.ok) e.waitUntil((await caches.open(PAGES)).put(req, res.clone()).catch(() => {}));
    return res;
  } catch (err) {
    {#- Offline, a saved page of an older build not yet refetched asks for its own stylesheet:
        the current one of the same name is the best there is. #}
    const want = stem(new URL(req.url).pathname);
    const shell = await caches.open(SHELL);
    for (const r of await shell.keys()) {
      if (stem(new URL(r.url).pathname) === want) return shell.match(r);
    }
    throw err;
  }
}

self.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== location.origin || !url.pathname.startsWith(C.scope)) return;
  if (url.pathname === C.sw || url.pathname.startsWith('/__hocso/')) return;
  const fixed = HASHED.test(url.pathname) || url.pathname.endsWith('.woff2');
  e.respondWith(fixed ? cacheFirst(e) : networkFirst(e));
});

{#- Saving, listing and removing run here, in one place, on the page's request. #}
async function save(lesson) {
  const cache = await caches.open(SAVED);
  const files = [];
  for (const u of [...new Set([lesson.url, ...lesson.files])]) {
    const res = await fetch(u, { cache: 'no-cache' });
    if (!res.ok) throw new Error(u + ': ' + res.status);
    const bytes = (await res.clone().blob()).size;
    await cache.put(u, res);
    const at = new URL(u, location.href);
    files.push({ url: at.pathname + at.search, bytes });
  }
  const time = lesson.time || Date.now();
  const meta = { url: lesson.url, title: lesson.title, time, build: C.build, files, asked: lesson.files };
  await cache.put(META + lesson.url, Response.json(meta));
  return meta;
}

async function list() {
  const cache = await caches.open(SAVED);
  const out = [];
  for (const req of await cache.keys()) {
    if (new URL(req.url).pathname.startsWith(META)) out.push(await (await cache.match(req)).json());
  }
  return out.sort((a, b) => b.time - a.time);
}

async function remove(url) {
  const cache = await caches.open(SAVED);
  const all = await list();
  const gone = all.find((l) => l.url === url);
  if (!gone) return;
  const still = new Set(all.filter((l) => l !== gone).flatMap((l) => l.files.map((f) => f.url)));
  for (const f of gone.files) if (!still.has(f.url)) await cache.delete(f.url);
  await cache.delete(META + url);
}

{#- After an update, saved lessons of the old build are fetched again when the connection is there. #}
async function refresh() {
  for (const l of await list()) {
    if (l.build !== C.build) await save({ url: l.url, title: l.title, time: l.time, files: l.asked || [] }).catch(() => {});
  }
}

self.addEventListener('message', (e) => {
  const m = e.data || {};
  const port = e.ports[0];
  const work = {
    save: () => save(m.lesson),
    list: () => list(),
    remove: () => remove(m.url),
    clear: async () => { for (const l of await list()) await remove(l.url); },
    refresh: () => refresh(),
  }[m.type];
  if (!work) return;
  e.waitUntil(work().then((r) => port && port.postMessage({ ok: true, result: r }),
    (err) => port && port.postMessage({ ok: false, error: String(err) })));
});
