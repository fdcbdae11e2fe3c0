// hocso reader controls: text size, colour scheme, read aloud.
// Progressive enhancement only: every page is complete without this file. The choice of size and
// scheme is applied before first paint by the small inline script in <head> (which also marks
// <html class="js">, so controls revealed here have their room from the start); this file wires
// up the buttons and keeps the choice in localStorage.
(function () {
  'use strict';
  var root = document.documentElement;
  var SIZES = 3;

  function load(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try {
      if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value);
    } catch (e) { /* private mode: the choice lasts for this page only */ }
  }

  // ---- Header menus ("Chủ đề", "Hiển thị"): <details>, so they open without this file. Here:
  // one open at a time, and Escape or a tap elsewhere closes them.
  var menus = document.querySelectorAll('details.menu');
  menus.forEach(function (m) {
    m.addEventListener('toggle', function () {
      if (m.open) menus.forEach(function (other) { if (other !== m) other.open = false; });
    });
  });
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    menus.forEach(function (m) {
      if (!m.open) return;
      m.open = false;
      m.querySelector('summary').focus();
    });
  });
  document.addEventListener('click', function (e) {
    menus.forEach(function (m) { if (m.open && !m.contains(e.target)) m.open = false; });
  });

  // ---- Text size -------------------------------------------------------------------------
  var tools = document.getElementById('reader-tools');
  if (tools) {
    var status = tools.querySelector('.size-status');
    var names = (tools.getAttribute('data-size-names') || '').split('|');
    var showSize = function () {
      var size = Number(root.getAttribute('data-size') || 0);
      if (status) status.textContent = names[size] || String(size + 1);
      tools.querySelectorAll('[data-size-step]').forEach(function (b) {
        var step = Number(b.getAttribute('data-size-step'));
        var atEnd = (step < 0 && size === 0) || (step > 0 && size === SIZES - 1);
        b.setAttribute('aria-disabled', atEnd ? 'true' : 'false');
      });
    };
    tools.querySelectorAll('[data-size-step]').forEach(function (b) {
      b.addEventListener('click', function () {
        var size = Number(root.getAttribute('data-size') || 0) + Number(b.getAttribute('data-size-step'));
        size = Math.max(0, Math.min(SIZES - 1, size));
        if (size === 0) root.removeAttribute('data-size'); else root.setAttribute('data-size', String(size));
        save('hocso-size', size === 0 ? null : String(size));
        showSize();
      });
    });

    // ---- Colour scheme: light, dark, high contrast; pressing the active one returns to the phone's setting.
    var showTheme = function () {
      var theme = root.getAttribute('data-theme');
      tools.querySelectorAll('[data-theme-choice]').forEach(function (b) {
        b.setAttribute('aria-pressed', b.getAttribute('data-theme-choice') === theme ? 'true' : 'false');
      });
    };
    tools.querySelectorAll('[data-theme-choice]').forEach(function (b) {
      b.addEventListener('click', function () {
        var choice = b.getAttribute('data-theme-choice');
        var next = root.getAttribute('data-theme') === choice ? null : choice;
        if (next) root.setAttribute('data-theme', next); else root.removeAttribute('data-theme');
        save('hocso-theme', next);
        showTheme();
      });
    });
    showSize();
    showTheme();
    tools.hidden = false;
  }

  // ---- Leaflets: print button, picking several, showing only the picked ones ---------------
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
    b.parentNode.hidden = false;
  });
  var picker = document.getElementById('leaflet-picker');
  if (picker) {
    picker.hidden = false;
    document.querySelectorAll('.pick').forEach(function (l) { l.hidden = false; });
  }
  var chosen = new URLSearchParams(window.location.search).getAll('chon');
  if (chosen.length) {
    var shown = 0;
    document.querySelectorAll('.leaflet-pack article.leaflet').forEach(function (a) {
      a.hidden = chosen.indexOf(a.id) < 0;
      if (!a.hidden) shown += 1;
    });
    var note = document.querySelector('.pack-selection');
    if (note && shown) note.hidden = false;
    if (!shown) document.querySelectorAll('.leaflet-pack article.leaflet').forEach(function (a) { a.hidden = false; });
  }

  // ---- Read aloud ------------------------------------------------------------------------
  var listen = document.getElementById('listen');
  var synth = window.speechSynthesis;
  if (!listen || !synth || typeof window.SpeechSynthesisUtterance !== 'function') return;
  var play = listen.querySelector('.listen-play');
  var pause = listen.querySelector('.listen-pause');
  var stop = listen.querySelector('.listen-stop');
  var voice = null;
  var blocks = [];
  var index = -1;
  var paused = false;

  // A voice of the page's own language: an English page is read by an English voice.
  var pageLang = (document.documentElement.lang || 'vi').split('-')[0].toLowerCase();
  function findVoice() {
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      var lang = String(voices[i].lang || '').toLowerCase().replace('_', '-');
      if (lang === pageLang || lang.indexOf(pageLang + '-') === 0) return voices[i];
    }
    return null;
  }
  var recording = document.querySelector('figure.recording');
  function offer() {
    voice = findVoice();
    listen.hidden = !voice;
    // The phone's own Vietnamese voice reads with each part marked, so it takes the recording's
    // place; opened at the recording (#nghe, from a leaflet's QR code), the recording stays.
    if (recording) recording.hidden = !!voice && window.location.hash !== '#' + recording.id;
  }
  offer();
  if (synth.addEventListener) synth.addEventListener('voiceschanged', offer);

  // The parts read, in order: title, summary, then each block of the lesson that holds no other.
  function collect() {
    var selector = '.lesson-header h1, .lesson-header .summary, .lesson-body h2, .lesson-body h3, ' +
      '.lesson-body h4, .lesson-body p, .lesson-body li, .lesson-body th, .lesson-body td';
    var found = Array.prototype.slice.call(document.querySelectorAll(selector));
    return found.filter(function (el) {
      return !found.some(function (other) { return other !== el && el.contains(other); });
    });
  }
  function spoken(el) {
    var copy = el.cloneNode(true);
    copy.querySelectorAll('[aria-hidden="true"]').forEach(function (n) { n.remove(); });
    var text = copy.textContent.replace(/\s+/g, ' ').trim();
    // A step is read with its number, as a trainer would.
    if (el.matches('ol.steps > li')) {
      var n = Array.prototype.indexOf.call(el.parentNode.children, el) + Number(el.parentNode.getAttribute('start') || 1);
      text = n + '. ' + text;
    }
    return text;
  }
  function mark(el) {
    document.querySelectorAll('.reading').forEach(function (n) { n.classList.remove('reading'); });
    if (el) {
      el.classList.add('reading');
      el.scrollIntoView({ block: 'nearest' });
    }
  }
  function setState(state) {
    play.hidden = state !== 'idle';
    pause.hidden = state === 'idle';
    stop.hidden = state === 'idle';
    pause.textContent = state === 'paused' ? listen.getAttribute('data-resume') : listen.getAttribute('data-pause');
    pause.setAttribute('aria-pressed', state === 'paused' ? 'true' : 'false');
  }
  function speakNext() {
    index += 1;
    if (index >= blocks.length) { finish(); return; }
    var el = blocks[index];
    var text = spoken(el);
    if (!text) { speakNext(); return; }
    var u = new SpeechSynthesisUtterance(text);
    u.voice = voice;
    u.lang = voice.lang;
    u.rate = 0.9;
    u.onend = function () { if (index >= 0 && blocks[index] === el) speakNext(); };
    mark(el);
    synth.speak(u);
  }
  function finish() {
    index = -1;
    paused = false;
    mark(null);
    setState('idle');
  }
  play.addEventListener('click', function () {
    synth.cancel();
    blocks = collect();
    index = -1;
    paused = false;
    setState('playing');
    speakNext();
    pause.focus();
  });
  pause.addEventListener('click', function () {
    if (paused) { synth.resume(); paused = false; setState('playing'); } else { synth.pause(); paused = true; setState('paused'); }
  });
  stop.addEventListener('click', function () {
    index = blocks.length;
    synth.cancel();
    finish();
    play.focus();
  });
  window.addEventListener('pagehide', function () { synth.cancel(); });
})();
