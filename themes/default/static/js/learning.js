// hocso learning aids: self-check questions that answer in words, "I have finished this lesson"
// kept on the phone only, ticks and counts on topic and journey pages, the "lessons I have
// learnt" page, and sharing a lesson.
// Progressive enhancement only: without this file every question can still be answered through
// its "Xem đáp án" box, and the controls below stay hidden. Nothing is ever sent anywhere: the
// list of learnt lessons lives in localStorage under one key.
(function () {
  'use strict';
  var KEY = 'hocso-learnt';

  // The learnt lessons, by address: { "/an-toan/otp/": { t: title, d: ISO date } }. `null` when
  // the browser keeps nothing (storage off): then no control is offered that could not keep
  // its promise.
  function read() {
    try {
      var raw = localStorage.getItem(KEY);
      var data = raw ? JSON.parse(raw) : {};
      return data && typeof data === 'object' ? data : {};
    } catch (e) { return null; }
  }
  function write(data) {
    try {
      if (Object.keys(data).length) localStorage.setItem(KEY, JSON.stringify(data)); else localStorage.removeItem(KEY);
      return true;
    } catch (e) { return false; }
  }
  function say(el, text) {
    // Emptied first, so saying the same words again is announced again.
    el.textContent = '';
    window.setTimeout(function () { el.textContent = text; }, 50);
  }
  var learnt = read();

  // ---- Self-check questions: the list of choices becomes radio buttons; the result is said
  // in words in a status line, never by colour alone, and another choice can be tried.
  var tools = document.querySelector('.learn-tools');
  var words = function (name) { return tools ? tools.getAttribute('data-' + name) || '' : ''; };
  if (tools) {
    document.querySelectorAll('.quiz').forEach(function (quiz, q) {
      var question = quiz.querySelector('.quiz-question');
      var list = quiz.querySelector('.quiz-choices');
      var whys = quiz.querySelectorAll('.quiz-why .quiz-explain');
      if (!question || !list) return;
      var form = document.createElement('fieldset');
      form.className = 'quiz-form';
      var legend = document.createElement('legend');
      legend.textContent = question.textContent;
      form.appendChild(legend);
      var result = document.createElement('p');
      result.className = 'quiz-result';
      result.setAttribute('role', 'status');
      list.querySelectorAll('li').forEach(function (li, i) {
        var label = document.createElement('label');
        label.className = 'quiz-option';
        var input = document.createElement('input');
        input.type = 'radio';
        input.name = 'hocso-quiz-' + q;
        input.value = String(i);
        label.appendChild(input);
        label.appendChild(document.createTextNode(' ' + li.textContent.replace(/\s+/g, ' ').trim()));
        form.appendChild(label);
        input.addEventListener('change', function () {
          var right = li.classList.contains('quiz-right');
          var why = whys[i] ? whys[i].textContent : '';
          result.className = 'quiz-result ' + (right ? 'is-right' : 'is-wrong');
          say(result, (right ? words('quiz-yes') : words('quiz-no')) + ' ' + why + (right ? '' : ' ' + words('quiz-again')));
        });
      });
      list.parentNode.insertBefore(form, list);
      form.parentNode.insertBefore(result, form.nextSibling);
      question.hidden = true;
      list.hidden = true;
    });
  }

  // ---- "Tôi đã học xong bài này" -------------------------------------------------------------
  if (tools && learnt) {
    var url = tools.getAttribute('data-url');
    var toggle = tools.querySelector('.learnt-toggle');
    var status = tools.querySelector('.learnt-status');
    var show = function () { toggle.setAttribute('aria-pressed', learnt[url] ? 'true' : 'false'); };
    toggle.addEventListener('click', function () {
      learnt = read() || {};
      if (learnt[url]) delete learnt[url];
      else learnt[url] = { t: tools.getAttribute('data-title'), d: new Date().toISOString() };
      write(learnt);
      show();
      say(status, learnt[url] ? words('done') : words('undone'));
    });
    show();
    tools.hidden = false;
  }

  // ---- Ticks beside learnt lessons, and "Đã học 3/5 bài" on topic and journey pages ----------
  if (learnt) {
    var seen = {};
    var counter = document.querySelector('.learnt-count');
    var markWord = counter ? counter.getAttribute('data-mark') : '';
    document.querySelectorAll('.step-nav-task > a, .cards:not(.journey-cards) .card-title > a').forEach(function (a) {
      var path = a.pathname;
      if (!learnt[path]) return;
      seen[path] = true;
      var mark = document.createElement('span');
      mark.className = 'learnt-mark';
      var tick = document.createElement('span');
      tick.setAttribute('aria-hidden', 'true');
      tick.textContent = '✓ ';
      mark.appendChild(tick);
      mark.appendChild(document.createTextNode(markWord));
      a.parentNode.insertBefore(mark, a.nextSibling);
    });
    document.querySelectorAll('.learnt-count').forEach(function (p) {
      p.textContent = p.getAttribute('data-template')
        .replace('{n}', String(Object.keys(seen).length))
        .replace('{total}', p.getAttribute('data-total'));
      p.hidden = false;
    });
    document.querySelectorAll('.footer-progress').forEach(function (li) { li.hidden = false; });
  }

  // ---- "Bài tôi đã học" ------------------------------------------------------------------------
  var page = document.querySelector('.progress-page');
  if (page && learnt) {
    var list = page.querySelector('.progress-list');
    var empty = page.querySelector('.progress-empty');
    var clear = page.querySelector('.progress-clear');
    var fill = function () {
      list.textContent = '';
      var urls = Object.keys(learnt).sort(function (a, b) { return String(learnt[b].d).localeCompare(String(learnt[a].d)); });
      urls.forEach(function (u) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = u;
        a.textContent = learnt[u].t || u;
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = !urls.length;
      empty.hidden = urls.length > 0;
      clear.hidden = !urls.length;
    };
    clear.addEventListener('click', function () {
      if (!window.confirm(page.getAttribute('data-confirm'))) return;
      learnt = {};
      write(learnt);
      fill();
      say(page.querySelector('.progress-status'), page.getAttribute('data-cleared'));
    });
    fill();
    page.hidden = false;
  }

  // ---- "Chia sẻ bài này": the phone's share sheet where there is one, else copy the link -------
  var share = document.querySelector('.share');
  if (share) {
    var native = share.querySelector('.share-native');
    var copy = share.querySelector('.share-copy');
    var shareStatus = share.querySelector('.share-status');
    var link = window.location.href.split('#')[0];
    if (navigator.share) {
      native.hidden = false;
      native.addEventListener('click', function () {
        navigator.share({ title: document.title, url: link }).catch(function () { /* closed: nothing to say */ });
      });
    } else {
      copy.hidden = false;
      var failed = function () { say(shareStatus, share.getAttribute('data-failed') + ' ' + link); };
      var fallback = function () {
        var area = document.createElement('textarea');
        area.value = link;
        area.setAttribute('readonly', '');
        area.className = 'visually-hidden';
        document.body.appendChild(area);
        area.select();
        var ok = false;
        try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
        area.remove();
        if (ok) say(shareStatus, share.getAttribute('data-copied')); else failed();
      };
      copy.addEventListener('click', function () {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(link).then(function () { say(shareStatus, share.getAttribute('data-copied')); }, fallback);
        } else {
          fallback();
        }
      });
    }
  }
})();
