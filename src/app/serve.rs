//! `hocso serve`: a small, safe static file server for previewing the built site.
//!
//! It only answers GET and HEAD, never serves a file outside the output folder (no `..`, no
//! encoded `..`, no backslashes, no symlinks leading out), and uses a few worker threads so one
//! slow phone on the commune Wi-Fi does not hold up everyone else.

use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// Where the live-reload script and the long-poll endpoint answer (serve mode only).
const LIVE_PREFIX: &str = "/__hocso/";
/// How long a long-poll waits before answering "nothing new".
const POLL_WAIT: Duration = Duration::from_secs(25);

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

    /// Waits until the generation passes `since` or the error panel differs from `error`.
    fn wait(&self, since: u64, had_error: bool) -> LiveState {
        let guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, POLL_WAIT, |s| {
                s.generation <= since && s.error_html.is_some() == had_error
            })
            .unwrap_or_else(|e| e.into_inner());
        guard.clone()
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

/// Number of threads answering requests. The search page asks for ten lesson pages at once (for
/// its snippets) besides the page's own files; eight keeps a preview with a few tabs responsive.
const WORKERS: usize = 8;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Bind(String),
}

/// A running server.
pub struct Running {
    server: Arc<Server>,
    workers: Vec<std::thread::JoinHandle<()>>,
    /// The address it listens on (useful when the port was 0).
    pub addr: std::net::SocketAddr,
}

impl Running {
    /// Blocks until the server stops.
    pub fn wait(self) {
        for w in self.workers {
            let _ = w.join();
        }
    }

    /// Stops the workers.
    pub fn stop(self) {
        self.server.unblock();
        for _ in 0..WORKERS {
            self.server.unblock();
        }
        for w in self.workers {
            let _ = w.join();
        }
    }
}

/// Starts serving `output` on `bind:port`, with `base_path` (e.g. `/` or `/hoc-so/`) stripped.
/// With `live`, pages get the live-reload script and the error panel.
pub fn start(
    output: &Path,
    bind: &str,
    port: u16,
    base_path: &str,
    live: Option<Arc<Live>>,
) -> Result<Running, ServeError> {
    let server = Server::http((bind, port)).map_err(|e| ServeError::Bind(e.to_string()))?;
    let addr = server.server_addr().to_ip().ok_or_else(|| ServeError::Bind("no IP address".into()))?;
    let server = Arc::new(server);
    let root = std::fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf());
    let base_path: Arc<str> = Arc::from(base_path);
    let workers = (0..WORKERS)
        .map(|_| {
            let server = Arc::clone(&server);
            let root = root.clone();
            let base_path = Arc::clone(&base_path);
            let live = live.clone();
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    if let Some(live) = live.as_ref().filter(|_| request.url().starts_with(LIVE_PREFIX)) {
                        handle_live(Arc::clone(live), request);
                    } else {
                        handle(&root, &base_path, live.as_deref(), request);
                    }
                }
            })
        })
        .collect();
    Ok(Running { server, workers, addr })
}

/// The live-reload script, and the long-poll that tells tabs to reload or show an error.
fn handle_live(live: Arc<Live>, request: Request) {
    let url = request.url().to_owned();
    if url.starts_with("/__hocso/live.js") {
        let mut response = Response::from_string(LIVE_JS);
        for h in header("Content-Type", "text/javascript; charset=utf-8") {
            response.add_header(h);
        }
        let _ = request.respond(response);
        return;
    }
    let param = |name: &str| {
        url.split(['?', '&'])
            .find_map(|p| p.strip_prefix(name).and_then(|v| v.strip_prefix('=')).map(str::to_owned))
    };
    let since: u64 = param("since").and_then(|v| v.parse().ok()).unwrap_or(0);
    let had_error = param("error").is_some_and(|v| v == "1");
    // A waiting tab holds its own thread, so open tabs never starve the workers.
    std::thread::spawn(move || {
        let state = live.wait(since, had_error);
        let body =
            serde_json::json!({ "generation": state.generation, "error": state.error_html }).to_string();
        let mut response = Response::from_string(body);
        for h in [header("Content-Type", "application/json"), header("Cache-Control", "no-store")].concat() {
            response.add_header(h);
        }
        let _ = request.respond(response);
    });
}

/// Adds the live-reload script (and the error panel, if the last rebuild failed) to a page.
fn inject_live(html: Vec<u8>, live: &Live) -> Vec<u8> {
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

fn handle(root: &Path, base_path: &str, live: Option<&Live>, request: Request) {
    let head = *request.method() == Method::Head;
    if !(head || *request.method() == Method::Get) {
        let mut response =
            Response::from_string("405 Method Not Allowed\n").with_status_code(StatusCode(405));
        for h in header("Allow", "GET, HEAD") {
            response.add_header(h);
        }
        let _ = request.respond(response);
        return;
    }
    let url = request.url().to_owned();
    let (status, path) = match locate(root, base_path, &url) {
        Located::File(p) => (200, Some(p)),
        Located::Redirect(to) => {
            let mut response = Response::empty(StatusCode(301));
            for h in header("Location", &to) {
                response.add_header(h);
            }
            let _ = request.respond(response);
            return;
        }
        Located::Missing => (404, Some(root.join("404.html")).filter(|p| p.is_file())),
        Located::Forbidden => (403, None),
    };
    let response = match path.and_then(|p| read_file(&p).map(|b| (p, b))) {
        Some((p, bytes)) => {
            let is_html = p.extension().is_some_and(|e| e == "html");
            let bytes = match live {
                Some(live) if is_html => inject_live(bytes, live),
                _ => bytes,
            };
            let len = bytes.len();
            let body = if head { Vec::new() } else { bytes };
            Response::new(
                StatusCode(status),
                [header("Content-Type", content_type(&p)), header("Cache-Control", "no-cache")].concat(),
                std::io::Cursor::new(body),
                Some(len),
                None,
            )
        }
        None => {
            let text = if status == 403 { "403 Forbidden\n" } else { "404 Not Found\n" };
            let bytes = text.as_bytes().to_vec();
            let len = bytes.len();
            Response::new(
                StatusCode(status),
                header("Content-Type", "text/plain; charset=utf-8"),
                std::io::Cursor::new(if head { Vec::new() } else { bytes }),
                Some(len),
                None,
            )
        }
    };
    let _ = request.respond(response);
}

fn read_file(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    File::open(path).ok()?.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

fn header(name: &str, value: &str) -> Vec<Header> {
    // Names and values are ASCII constants or the request's own path; a header that does not
    // parse is left out rather than failing the response.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).into_iter().collect()
}

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Located {
    File(PathBuf),
    /// A folder asked for without its trailing slash.
    Redirect(String),
    Missing,
    /// An attempt to leave the output folder.
    Forbidden,
}

/// Maps a request URL to a file inside `root`, refusing anything that could leave it.
pub fn locate(root: &Path, base_path: &str, url: &str) -> Located {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Some(decoded) = crate::core::text::percent_decode(path) else { return Located::Forbidden };
    if decoded.contains('\\') || decoded.contains('\0') || decoded.split('/').any(|s| s == "..") {
        return Located::Forbidden;
    }
    let Some(rel) = decoded
        .strip_prefix(base_path)
        .or_else(|| (decoded.clone() + "/").strip_prefix(base_path).map(|_| ""))
    else {
        return Located::Missing;
    };
    let candidate = root.join(rel.trim_start_matches('/'));
    let candidate = if candidate.is_dir() {
        if !decoded.ends_with('/') {
            return Located::Redirect(format!("{path}/"));
        }
        candidate.join("index.html")
    } else {
        candidate
    };
    match std::fs::canonicalize(&candidate) {
        Ok(real) if real.starts_with(root) && real.is_file() => Located::File(real),
        Ok(real) if !real.starts_with(root) => Located::Forbidden,
        _ => Located::Missing,
    }
}

/// The Content-Type for a file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" => "audio/ogg",
        "m4a" => "audio/mp4",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused_in_every_spelling() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        for url in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/..%2f..%2fetc",
            "/..\\etc",
            "/%2E%2E/x",
            "/a%5c..%5cb",
        ] {
            assert_eq!(locate(&root, "/", url), Located::Forbidden, "{url}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_leading_out_of_the_output_are_refused() {
        let outside = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(outside.path().join("bi-mat.txt"), "x").unwrap_or_else(|e| panic!("{e}"));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(outside.path().join("bi-mat.txt"), root.join("link.txt"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(outside.path(), root.join("thu-muc")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(locate(&root, "/", "/link.txt"), Located::Forbidden);
        assert_eq!(locate(&root, "/", "/thu-muc/bi-mat.txt"), Located::Forbidden);
    }

    #[test]
    fn folders_redirect_and_index_is_served() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(root.join("an-toan")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("an-toan/index.html"), "x").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(locate(&root, "/", "/an-toan"), Located::Redirect("/an-toan/".into()));
        assert_eq!(locate(&root, "/", "/an-toan/?q=1"), Located::File(root.join("an-toan/index.html")));
        assert_eq!(locate(&root, "/", "/khong-co/"), Located::Missing);
    }
}
