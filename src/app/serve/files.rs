//! What `hocso serve` answers for a path of the site: a file of the output (never one outside
//! it), its precompressed copy when the browser takes one, a redirect for a folder, or the 404.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tiny_http::{Method, Response, StatusCode};

use super::Live;
use super::http::{Reply, header, status_text};
use super::live::inject_live;
use crate::pipeline::precompress::{self, Encoding};

/// Longest wait for the output folder to come back while a rebuild swaps it.
const SWAP_WAIT: Duration = Duration::from_millis(500);

/// A file, a redirect or an error page for a GET or HEAD (HEAD sends the same headers, no body).
pub(super) fn handle(
    root: &Path,
    base_path: &str,
    live: Option<&Live>,
    method: &Method,
    url: &str,
    accept: &[Encoding],
) -> Reply {
    if !matches!(method, Method::Get | Method::Head) {
        let mut reply = status_text(405);
        for h in header("Allow", "GET, HEAD") {
            reply.add_header(h);
        }
        return reply;
    }
    // A full rebuild swaps the output folder with two renames (old out, new in): a request
    // landing between them, or between finding a file and opening it, finds nothing. So a miss
    // waits (briefly, and only while the folder is absent) and looks once more.
    let found = find(root, base_path, live, url, accept).or_else(|| {
        let until = Instant::now() + SWAP_WAIT;
        while !root.is_dir() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(2));
        }
        find(root, base_path, live, url, accept)
    });
    found.unwrap_or_else(|| {
        Some(root.join("404.html"))
            .filter(|p| p.is_file())
            .and_then(|p| file_reply(404, &p, live, accept))
            .unwrap_or_else(|| status_text(404))
    })
}

/// The answer for a path that leads somewhere; `None` if it leads nowhere (or the file vanished).
fn find(root: &Path, base_path: &str, live: Option<&Live>, url: &str, accept: &[Encoding]) -> Option<Reply> {
    match locate(root, base_path, url) {
        Located::File(path) => file_reply(200, &path, live, accept),
        Located::Redirect(to) => Some(Response::new(
            StatusCode(301),
            header("Location", &to),
            Box::new(std::io::empty()),
            Some(0),
            None,
        )),
        Located::Forbidden => Some(status_text(403)),
        Located::Missing => None,
    }
}

/// A file of the output with its content type; `None` if it cannot be opened. A text file with
/// a precompressed copy (`precompress = true`) is sent as that copy when the browser accepts
/// its encoding, except a page that gets the live-reload script.
fn file_reply(status: u16, path: &Path, live: Option<&Live>, accept: &[Encoding]) -> Option<Reply> {
    let mut headers =
        [header("Content-Type", content_type(path)), header("Cache-Control", "no-cache")].concat();
    let is_html = path.extension().is_some_and(|e| e == "html");
    let injected = live.is_some() && is_html;
    let packed = (precompress::is_text(path) && !injected)
        .then(|| {
            Encoding::ALL.into_iter().map(|e| (e, precompress::sibling(path, e))).filter(|(_, p)| p.is_file())
        })
        .map(Iterator::collect::<Vec<_>>)
        .unwrap_or_default();
    if !packed.is_empty() {
        headers.extend(header("Vary", "Accept-Encoding"));
    }
    if let Some((encoding, file)) = packed.iter().find(|(e, _)| accept.contains(e)) {
        let opened = File::open(file).ok()?;
        let len = usize::try_from(opened.metadata().ok()?.len()).ok()?;
        headers.extend(header("Content-Encoding", encoding.token()));
        return Some(Response::new(StatusCode(status), headers, Box::new(opened), Some(len), None));
    }
    let (body, len): (Box<dyn Read + Send>, usize) = match live.filter(|_| is_html) {
        // Pages are small and need the live script: read whole. Anything else is streamed, so a
        // large recording never sits in memory once per reader.
        Some(live) => {
            let bytes = inject_live(std::fs::read(path).ok()?, live);
            let len = bytes.len();
            (Box::new(std::io::Cursor::new(bytes)), len)
        }
        None => {
            let file = File::open(path).ok()?;
            let len = usize::try_from(file.metadata().ok()?.len()).ok()?;
            (Box::new(file), len)
        }
    };
    Some(Response::new(StatusCode(status), headers, body, Some(len), None))
}

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Located {
    File(PathBuf),
    /// A folder asked for without its trailing slash.
    Redirect(String),
    Missing,
    /// An attempt to leave the output folder.
    Forbidden,
}

/// Maps a request URL to a file inside `root`, refusing anything that could leave it.
pub(super) fn locate(root: &Path, base_path: &str, url: &str) -> Located {
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
            // One leading slash, whatever was asked: `//an-toan` must not become `//an-toan/`,
            // which a browser reads as another host.
            return Located::Redirect(format!("/{}/", path.trim_start_matches('/')));
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
pub(super) fn content_type(path: &Path) -> &'static str {
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
        "ogg" | "oga" | "opus" => "audio/ogg",
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
        for url in ["//an-toan", "///an-toan", "//an-toan?x=//y"] {
            assert_eq!(locate(&root, "/", url), Located::Redirect("/an-toan/".into()), "{url}");
        }
    }
}
