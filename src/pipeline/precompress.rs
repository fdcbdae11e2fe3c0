//! `precompress = true`: a `.br` and a `.gz` copy beside every text file over 1 KB, so a web
//! server (or `hocso serve`) sends a lesson in a quarter of the bytes without compressing it on
//! each request. Residents pay for data by the megabyte.
//!
//! Brotli at its best setting is slow (tens of milliseconds for a page), so each compressed
//! copy is kept in `<site>/.hocso-cache/nen/` under the hash of the file it was made from: a
//! file that did not change is linked (or copied) from there, never compressed again. Entries
//! no build used are removed. Off by default: a 10,000-lesson site would write three times the
//! files.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::core::diagnostic::{Diagnostic, Problem, relative};
use crate::core::digest::{self, Digest};

/// Cache folder, under the site root.
pub const CACHE_DIR: &str = ".hocso-cache/nen";
/// Files at or below this size are left alone: compression saves less than the headers cost.
pub const MIN_BYTES: u64 = 1024;
/// The kinds of file compressed: every text format hocso writes.
pub const EXTENSIONS: [&str; 8] = ["html", "css", "js", "json", "svg", "xml", "webmanifest", "txt"];
/// Brotli at its best: made once per changed file, read by every resident.
const BROTLI_QUALITY: u32 = 11;
const BROTLI_WINDOW: u32 = 22;

/// The two encodings, as `Content-Encoding` names them and as their files end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    pub const ALL: [Encoding; 2] = [Encoding::Brotli, Encoding::Gzip];

    /// The file name ending.
    pub fn suffix(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gz",
        }
    }

    /// The name `Accept-Encoding` and `Content-Encoding` give it.
    pub fn token(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        }
    }

    fn compress(self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(bytes.len() / 3);
        match self {
            Encoding::Brotli => {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: BROTLI_QUALITY as i32,
                    lgwin: BROTLI_WINDOW as i32,
                    ..Default::default()
                };
                // Writing into a Vec cannot fail.
                let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
            }
            Encoding::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(&mut out, flate2::Compression::best());
                let _ = encoder.write_all(bytes).and_then(|()| encoder.finish().map(|_| ()));
            }
        }
        out
    }
}

/// The file beside `path` holding it in `encoding` (`a/index.html` → `a/index.html.br`).
pub fn sibling(path: &Path, encoding: Encoding) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(encoding.suffix());
    PathBuf::from(name)
}

/// The encodings an `Accept-Encoding` header allows, best first (Brotli, then gzip). A `q=0`
/// refuses one; `*` allows both.
pub fn accepted(header: &str) -> Vec<Encoding> {
    let mut allowed = Vec::new();
    let mut refused = Vec::new();
    let mut any = false;
    for part in header.split(',') {
        let mut pieces = part.split(';');
        let name = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .filter_map(|p| p.trim().strip_prefix("q=").map(str::trim))
            .find_map(|v| v.parse::<f32>().ok())
            .unwrap_or(1.0);
        let list = if q > 0.0 { &mut allowed } else { &mut refused };
        match name.as_str() {
            "*" => any = q > 0.0,
            other => list.extend(Encoding::ALL.into_iter().filter(|e| e.token() == other)),
        }
    }
    Encoding::ALL.into_iter().filter(|e| !refused.contains(e) && (allowed.contains(e) || any)).collect()
}

/// The cache entry holding the `encoding` copy of a file whose bytes hash to `hash`.
fn cache_name(hash: &Digest, encoding: Encoding) -> String {
    format!("{}.{}", digest::hex(hash), encoding.suffix())
}

/// Whether this file is a compressed copy made beside another (`….br`, `….gz`).
pub fn is_compressed_copy(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| Encoding::ALL.iter().any(|x| x.suffix() == e))
}

/// Whether a file of this name is one that gets compressed copies (its size aside).
pub fn is_text(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.contains(&e))
}

/// What one run did, for tests and `-v`.
#[derive(Debug, Default)]
pub struct Stats {
    /// Compressed copies made now.
    pub made: AtomicUsize,
    /// Compressed copies taken from the cache.
    pub reused: AtomicUsize,
}

/// Writes the compressed copies of every text file over [`MIN_BYTES`] in `folder` (a staging
/// folder about to be published), in parallel, reusing cached ones; then removes cache entries
/// this run did not use. `kept` are the hashes of files the site keeps from its previous build
/// without staging them (an update in place): their copies stay published, so their cache
/// entries stay too.
pub fn run(root: &Path, folder: &Path, kept: &[Digest]) -> Result<Stats, Diagnostic> {
    let cache = root.join(CACHE_DIR);
    std::fs::create_dir_all(&cache).map_err(|e| io(root, &cache, &e))?;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(folder)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && is_text(e.path()))
        .filter(|e| e.metadata().is_ok_and(|m| m.len() > MIN_BYTES))
        .map(walkdir::DirEntry::into_path)
        .collect();
    let stats = Stats::default();
    let used: Vec<Vec<String>> = files
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).map_err(|e| io(root, path, &e))?;
            let hash = digest::of(&bytes);
            Encoding::ALL
                .iter()
                .map(|&encoding| {
                    let name = cache_name(&hash, encoding);
                    let kept = cache.join(&name);
                    if kept.is_file() {
                        stats.reused.fetch_add(1, Ordering::Relaxed);
                    } else {
                        let packed = encoding.compress(&bytes);
                        // Through a temporary name: a build killed half-way leaves no half file.
                        let tmp = cache.join(format!("{name}.tmp-{}", std::process::id()));
                        std::fs::write(&tmp, packed).map_err(|e| io(root, &tmp, &e))?;
                        std::fs::rename(&tmp, &kept).map_err(|e| io(root, &kept, &e))?;
                        stats.made.fetch_add(1, Ordering::Relaxed);
                    }
                    let dest = sibling(path, encoding);
                    // A hard link costs no space; another file system gets a copy. If another
                    // build of the same site pruned the entry meanwhile, the copy is made here.
                    let linked =
                        std::fs::hard_link(&kept, &dest).or_else(|_| std::fs::copy(&kept, &dest).map(|_| ()));
                    if linked.is_err() {
                        std::fs::write(&dest, encoding.compress(&bytes)).map_err(|e| io(root, &dest, &e))?;
                    }
                    Ok(name)
                })
                .collect()
        })
        .collect::<Result<_, Diagnostic>>()?;
    let mut used: std::collections::HashSet<String> = used.into_iter().flatten().collect();
    for hash in kept {
        used.extend(Encoding::ALL.iter().map(|&e| cache_name(hash, e)));
    }
    for entry in std::fs::read_dir(&cache).into_iter().flatten().flatten() {
        // A `.tmp-` file is another build's copy being written: left to it.
        if entry.file_name().to_str().is_none_or(|n| !used.contains(n) && !n.contains(".tmp-")) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(stats)
}

/// Removes the compressed copies of a file that is being replaced, so they never outlive it
/// (an edit in `hocso serve` rewrites one page in place).
pub fn remove_siblings(path: &Path) {
    for encoding in Encoding::ALL {
        let _ = std::fs::remove_file(sibling(path, encoding));
    }
}

fn io(root: &Path, path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(relative(root, path), 0, 0, Problem::Io(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_encodings_decode_back_to_the_original() {
        let text = "Lưu bài để đọc khi không có mạng. ".repeat(100);
        let br = Encoding::Brotli.compress(text.as_bytes());
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, text.as_bytes());
        let gz = Encoding::Gzip.compress(text.as_bytes());
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, text.as_bytes());
        assert!(br.len() < text.len() / 10 && gz.len() < text.len() / 5, "{} {}", br.len(), gz.len());
    }

    #[test]
    fn accept_encoding_is_read_as_browsers_and_tools_write_it() {
        assert_eq!(accepted("gzip, deflate, br, zstd"), vec![Encoding::Brotli, Encoding::Gzip]);
        assert_eq!(accepted("gzip"), vec![Encoding::Gzip]);
        assert_eq!(accepted("br;q=0.9, gzip;q=0"), vec![Encoding::Brotli]);
        assert_eq!(accepted("*, br;q=0"), vec![Encoding::Gzip]);
        assert_eq!(accepted(""), vec![]);
        assert_eq!(accepted("identity"), vec![]);
        assert_eq!(accepted("BR"), vec![Encoding::Brotli]);
    }

    #[test]
    fn siblings_are_named_after_the_file() {
        assert_eq!(sibling(Path::new("a/index.html"), Encoding::Brotli), PathBuf::from("a/index.html.br"));
        assert_eq!(sibling(Path::new("sw.js"), Encoding::Gzip), PathBuf::from("sw.js.gz"));
        assert!(is_text(Path::new("a.html")) && !is_text(Path::new("a.png")) && !is_text(Path::new("a")));
    }
}
