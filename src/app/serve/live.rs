//! Live reload for `hocso serve`: the state the rebuild loop shares with the open tabs, the
//! long-poll each tab waits on, and the script (and error panel) added to every page.

use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::http::{Reply, Slot, busy, header, text};

/// Where the live-reload script and the long-poll endpoint answer (serve mode only).
pub(super) const LIVE_PREFIX: &str = "/__hocso/";
/// How long a long-poll waits before answering "nothing new".
const POLL_WAIT: Duration = Duration::from_secs(25);
/// How often a waiting long-poll checks that its tab is still there.
const POLL_CHECK: Duration = Duration::from_millis(500);
/// Live-reload long-polls waiting at once: half the connections, so pages still load with many
/// tabs open. Beyond it a poll gets 503 and the live script asks again 2 s later.
const MAX_LONG_POLLS: usize = 32;

/// The live state shared by the rebuild loop and the open browser tabs.
///
/// Each successful rebuild bumps the generation (tabs reload); a failed one sets the error
/// panel (tabs show it, and keep showing the last good pages) until a rebuild succeeds.
#[derive(Default)]
pub struct Live {
    state: Mutex<LiveState>,
    changed: Condvar,
}

#[derive(Clone, Default)]
struct LiveState {
    generation: u64,
    error_html: Option<String>,
}

impl Live {
    /// A rebuild succeeded: open tabs reload.
    pub fn reloaded(&self) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.generation += 1;
        s.error_html = None;
        self.changed.notify_all();
    }

    /// A rebuild failed: open tabs show `panel_html` (already escaped) over the last good page.
    pub fn failed(&self, panel_html: String) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.error_html = Some(panel_html);
        self.changed.notify_all();
    }

    fn snapshot(&self) -> LiveState {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits until the generation passes `since` or the error panel differs from `error`, for
    /// at most [`POLL_WAIT`]; every [`POLL_CHECK`] it asks `gone` whether the tab has left, so a
    /// closed tab gives its connection slot back at once rather than after the whole wait.
    fn wait(&self, since: u64, had_error: bool, gone: impl Fn() -> bool) -> LiveState {
        let until = Instant::now() + POLL_WAIT;
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let left = until.saturating_duration_since(Instant::now());
            let unchanged = guard.generation <= since && guard.error_html.is_some() == had_error;
            if !unchanged || left.is_zero() || gone() {
                return guard.clone();
            }
            guard = self
                .changed
                .wait_timeout(guard, left.min(POLL_CHECK))
                .map(|(g, _)| g)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }
}

/// The script injected into pages in serve mode (never written to the output).
const LIVE_JS: &str = r#"(function () {
  var me = document.currentScript;
  var gen = Number(me.getAttribute('data-generation'));
  var hadError = !!document.getElementById('hocso-error');
  function show(html) {
    var panel = document.getElementById('hocso-error');
    if (!html) { if (panel) panel.remove(); hadError = false; return; }
    if (!panel) {
      panel = document.createElement('div');
      panel.id = 'hocso-error';
      panel.setAttribute('role', 'alert');
      document.body.insertBefore(panel, document.body.firstChild);
    }
    panel.outerHTML = html;
    hadError = true;
  }
  function poll() {
    fetch('/__hocso/wait?since=' + gen + '&error=' + (hadError ? 1 : 0), { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.generation > gen) { window.location.reload(); return; }
        show(s.error);
        poll();
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
"#;

/// The live-reload script, and the long-poll that tells tabs to reload or show an error.
pub(super) fn handle_live(
    live: &Live,
    long_polls: &Arc<AtomicUsize>,
    url: &str,
    gone: impl Fn() -> bool,
) -> Reply {
    if url.starts_with("/__hocso/live.js") {
        let mut reply = text(200, LIVE_JS);
        for h in header("Content-Type", "text/javascript; charset=utf-8") {
            reply.add_header(h);
        }
        return reply;
    }
    let param = |name: &str| {
        url.split(['?', '&'])
            .find_map(|p| p.strip_prefix(name).and_then(|v| v.strip_prefix('=')).map(str::to_owned))
    };
    let since: u64 = param("since").and_then(|v| v.parse().ok()).unwrap_or(0);
    let had_error = param("error").is_some_and(|v| v == "1");
    // A waiting tab holds its connection's thread; capped so waiting tabs never take them all.
    let Some(_poll) = Slot::take(long_polls, MAX_LONG_POLLS) else { return busy() };
    let state = live.wait(since, had_error, gone);
    let body = serde_json::json!({ "generation": state.generation, "error": state.error_html }).to_string();
    let mut reply = text(200, &body);
    for h in [header("Content-Type", "application/json"), header("Cache-Control", "no-store")].concat() {
        reply.add_header(h);
    }
    reply
}

/// Adds the live-reload script (and the error panel, if the last rebuild failed) to a page.
pub(super) fn inject_live(html: Vec<u8>, live: &Live) -> Vec<u8> {
    let state = live.snapshot();
    let Ok(mut text) = String::from_utf8(html) else { return Vec::new() };
    let script =
        format!("<script src=\"/__hocso/live.js\" data-generation=\"{}\"></script>", state.generation);
    match text.rfind("</body>") {
        Some(at) => text.insert_str(at, &script),
        None => text.push_str(&script),
    }
    let body_end = text.find("<body").and_then(|b| text[b..].find('>').map(|e| b + e + 1));
    if let (Some(panel), Some(at)) = (state.error_html, body_end) {
        text.insert_str(at, &panel);
    }
    text.into_bytes()
}
