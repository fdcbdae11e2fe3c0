//! `hocso serve`: a small, safe static file server for previewing the built site.
//!
//! It only answers GET and HEAD, never serves a file outside the output folder (no `..`, no
//! encoded `..`, no backslashes, no symlinks leading out), and uses a few worker threads so one
//! slow phone on the commune Wi-Fi does not hold up everyone else.

use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// Number of threads answering requests.
const WORKERS: usize = 4;

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
pub fn start(output: &Path, bind: &str, port: u16, base_path: &str) -> Result<Running, ServeError> {
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
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    handle(&root, &base_path, request);
                }
            })
        })
        .collect();
    Ok(Running { server, workers, addr })
}

fn handle(root: &Path, base_path: &str, request: Request) {
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
    let Some(decoded) = crate::text::percent_decode(path) else { return Located::Forbidden };
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
