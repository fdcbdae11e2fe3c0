// hocso offline reading: registers the site's service worker (sw.js, written by the build), and
// wires the "Lưu bài…" and "Lưu cả chủ đề" buttons, the "Bài đã lưu" list and the offline page.
// Only adds: every page is complete without it, and the buttons stay hidden where a browser has
// no service workers. Saving itself happens in the worker (one place for the Cache API); this
// file finds what a lesson needs, at the sizes this phone loads, and says how it went in words.
(function () {
  'use strict';
  var me = document.currentScript;
  if (!me || !('serviceWorker' in navigator)) return;
  var sw = me.getAttribute('data-sw');
  var scope = me.getAttribute('data-scope') || '/';
  var container = navigator.serviceWorker;

  if (!sw) {
    // Offline reading was turned off (offline = false): remove a worker installed before, and
    // what it kept.
    container.getRegistrations().then(function (regs) {
      regs.forEach(function (r) {
        if (new URL(r.scope).pathname === scope) r.unregister();
      });
    });
    if (window.caches) {
      caches.keys().then(function (names) {
        names.forEach(function (n) { if (n.indexOf('hocso-') === 0) caches.delete(n); });
      });
    }
    return;
  }
  container.register(sw, { scope: scope }).catch(function () {});

  /** Asks the worker to do `message`; resolves with its result. */
  function ask(message) {
    return container.ready.then(function (reg) {
      return new Promise(function (resolve, reject) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (e) {
          if (e.data && e.data.ok) resolve(e.data.result); else reject(new Error(e.data && e.data.error));
        };
        reg.active.postMessage(message, [channel.port2]);
      });
    });
  }
  if (navigator.onLine) container.ready.then(function () { ask({ type: 'refresh' }).catch(function () {}); });

  function say(el, text) { if (el) el.textContent = text; }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k] !== undefined ? values[k] : ''; });
  }

  /** The image file this phone loads for `img` (a <picture>'s or a plain one): the browser picks,
   *  from a hidden copy that loads at once, so a lazy image not yet shown is chosen right too. */
  function chosenSource(img) {
    return new Promise(function (resolve) {
      var holder = document.createElement('div');
      holder.hidden = true;
      var copy;
      var pic = img.parentNode && img.parentNode.nodeName === 'PICTURE' ? img.parentNode : null;
      var target = document.createElement('img');
      ['sizes', 'srcset', 'src', 'width', 'height'].forEach(function (a) {
        if (img.getAttribute(a) !== null) target.setAttribute(a, img.getAttribute(a));
      });
      target.alt = '';
      if (pic) {
        copy = document.createElement('picture');
        pic.querySelectorAll('source').forEach(function (s) { copy.append(document.importNode(s, true)); });
        copy.append(target);
      } else {
        copy = target;
      }
      var done = function () { resolve(target.currentSrc || target.src || null); holder.remove(); };
      target.addEventListener('load', done);
      target.addEventListener('error', done);
      holder.append(copy);
      document.body.append(holder);
    });
  }

  var searchModule = null;
  function loadSearch() {
    if (!searchModule) searchModule = import(me.getAttribute('data-search'));
    return searchModule;
  }

  /** Everything a lesson page needs offline: its images at this phone's sizes, its recording,
   *  and the search index files its title, summary, headings and tags are in. The page itself
   *  prints as its leaflet, so saving it saves the leaflet too. */
  function lessonFiles(doc, base) {
    var abs = function (u) { return new URL(u, base).href; };
    var files = [];
    var images = Array.prototype.slice.call(doc.querySelectorAll('.lesson-body img, .lesson-header img'));
    var audio = doc.querySelector('audio[src]');
    if (audio) files.push(abs(audio.getAttribute('src')));
    var button = doc.getElementById('save-lesson');
    var index = me.getAttribute('data-index');
    var row = button && button.getAttribute('data-row');
    if (row) files.push(abs(row));
    var words = [doc.querySelector('h1'), doc.querySelector('.lesson-header .summary'), doc.querySelector('.tags')]
      .concat(Array.prototype.slice.call(doc.querySelectorAll('.lesson-body h2, .lesson-body h3')))
      .map(function (el) { return el ? el.textContent : ''; }).join(' ');
    var shards = loadSearch().then(function (search) {
      return fetch(index + 'meta.json').then(function (r) { return r.json(); }).then(function (meta) {
        var keys = {};
        search.words(words).forEach(function (w) {
          var k = search.shardFor(meta.shards, search.fold(w));
          if (k) keys[k] = true;
        });
        return [abs(index + 'meta.json')].concat(Object.keys(keys).map(function (k) { return abs(index + 's/' + k + '.json'); }));
      });
    }).catch(function () { return []; });
    return Promise.all([Promise.all(images.map(chosenSource)), shards]).then(function (found) {
      return files.concat(found[0].filter(Boolean), found[1]);
    });
  }

  function saveLesson(url, doc) {
    var title = (doc.querySelector('h1') || {}).textContent || url;
    return lessonFiles(doc, new URL(url, location.href)).then(function (files) {
      return ask({ type: 'save', lesson: { url: url, title: title.trim(), files: files } });
    });
  }

  // ---- "Lưu bài để đọc khi không có mạng" on a lesson -------------------------------------
  var saveButton = document.getElementById('save-lesson');
  if (saveButton) {
    var box = saveButton.parentNode;
    var status = document.getElementById('save-status');
    box.hidden = false;
    saveButton.addEventListener('click', function () {
      saveButton.setAttribute('aria-disabled', 'true');
      say(status, saveButton.getAttribute('data-saving'));
      saveLesson(location.pathname, document).then(function () {
        say(status, saveButton.getAttribute('data-done'));
      }, function () {
        say(status, saveButton.getAttribute('data-failed'));
      }).then(function () { saveButton.removeAttribute('aria-disabled'); });
    });
  }

  // ---- "Lưu cả chủ đề" on a topic ---------------------------------------------------------
  var topicButton = document.querySelector('[data-save-topic]');
  if (topicButton) {
    var topicStatus = document.getElementById('save-status');
    topicButton.parentNode.hidden = false;
    topicButton.addEventListener('click', function () {
      var urls = topicButton.getAttribute('data-save-topic').split(' ').filter(Boolean);
      var n = urls.length;
      var failed = 0;
      topicButton.setAttribute('aria-disabled', 'true');
      var step = urls.reduce(function (chain, url, i) {
        return chain.then(function () {
          say(topicStatus, fill(topicButton.getAttribute('data-progress'), { i: i + 1, n: n }));
          return fetch(url).then(function (r) { return r.text(); }).then(function (html) {
            return saveLesson(url, new DOMParser().parseFromString(html, 'text/html'));
          }).catch(function () { failed += 1; });
        });
      }, Promise.resolve());
      step.then(function () {
        say(topicStatus, failed ? topicButton.getAttribute('data-failed')
          : fill(topicButton.getAttribute('data-done'), { n: n }));
        topicButton.removeAttribute('aria-disabled');
      });
    });
  }

  // ---- "Bài đã lưu" and the offline page: the list of saved lessons ----------------------
  var list = document.getElementById('saved-list');
  if (list) {
    var listStatus = document.getElementById('saved-status');
    var space = document.querySelector('.saved-space');
    var clear = document.querySelector('.saved-clear');
    var removable = list.hasAttribute('data-remove');
    document.querySelectorAll('.saved-nojs').forEach(function (p) { p.hidden = true; });
    var show = function (lessons, message) {
      list.replaceChildren();
      var seen = {};
      var bytes = 0;
      lessons.forEach(function (l) {
        l.files.forEach(function (f) { if (!seen[f.url]) { seen[f.url] = true; bytes += f.bytes; } });
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = l.url;
        a.textContent = l.title;
        var when = document.createElement('p');
        when.className = 'saved-when';
        when.textContent = list.getAttribute('data-date') + ' ' + new Date(l.time).toLocaleDateString(document.documentElement.lang);
        li.append(a, when);
        if (removable) {
          var b = document.createElement('button');
          b.type = 'button';
          b.className = 'saved-remove';
          b.textContent = list.getAttribute('data-remove') + ' ';
          var hidden = document.createElement('span');
          hidden.className = 'visually-hidden';
          hidden.textContent = l.title;
          b.append(hidden);
          b.addEventListener('click', function () {
            ask({ type: 'remove', url: l.url }).then(function () {
              return refresh(fill(list.getAttribute('data-removed'), { title: l.title }));
            }).then(function () { if (listStatus) listStatus.focus(); });
          });
          li.append(b);
        }
        list.append(li);
      });
      list.hidden = !lessons.length;
      if (space) {
        space.hidden = !lessons.length;
        space.textContent = fill(space.getAttribute('data-template'), {
          mb: (bytes / 1048576).toLocaleString(document.documentElement.lang, { maximumFractionDigits: 1, minimumFractionDigits: 1 }),
        });
      }
      if (clear) clear.hidden = !lessons.length;
      say(listStatus, message || (lessons.length
        ? fill(list.getAttribute('data-count'), { n: lessons.length })
        : list.getAttribute('data-none')));
    };
    var refresh = function (message) {
      return ask({ type: 'list' }).then(function (lessons) { show(lessons, message); });
    };
    if (clear) {
      clear.addEventListener('click', function () {
        ask({ type: 'clear' }).then(function () { return refresh(clear.getAttribute('data-done')); })
          .then(function () { if (listStatus) listStatus.focus(); });
      });
    }
    refresh();
  }
})();
