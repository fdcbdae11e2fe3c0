//! What the last build wrote, so the next one can reuse every file that did not change.
//!
//! Creating files is most of a build's time on a large site (the kernel allocating inodes), and
//! after an edit of one lesson almost every page comes out byte for byte as before. Such a page
//! is kept where it is (an update in place) or hard-linked into the staging folder (a swap): the
//! same bytes, no new inode, nothing rewritten; only changed files are written (see
//! [`crate::pipeline::write::Staging`]).
//!
//! The manifest lists, for each file of the output, the hash of its bytes, the identity of the
//! file on disk (device, inode, size, modification time) and, for a page, the hash of what it
//! was made from (its template and everything the template was given): a page whose inputs hash
//! the same is not even rendered again. It lives inside the output it
//! describes ([`MANIFEST`], beside the marker), so it is swapped in with that very site and goes
//! when the folder is deleted by hand: it never describes another folder. The output may still
//! be edited by hand, so a file is reused only when it is still the very file the manifest
//! names; anything else (edited, replaced, copied over, the manifest damaged) is written anew.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::core::digest::{self, Digest};

/// The manifest file, at the top of the output.
pub const MANIFEST: &str = ".hocso-manifest";

/// First line of the manifest; a file of another format is ignored (everything is written).
/// The settings that decide which files a build writes besides pages follow on the same line.
const HEADER: &str = "hocso-manifest 3";

/// Which file on disk, and as it was when written: a file edited in place changes size or
/// modification time, one replaced changes inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: i64,
    mtime_ns: i64,
}

impl Stamp {
    /// The stamp of a regular file; `None` for anything else, and where the system gives no
    /// inode numbers (then nothing is reused).
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        meta.is_file().then(|| Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: meta.mtime(),
            mtime_ns: meta.mtime_nsec(),
        })
    }

    #[cfg(not(unix))]
    pub fn of(_: &std::fs::Metadata) -> Option<Stamp> {
        None
    }
}

/// One file of the output: the hash of its bytes, its stamp, and for a rendered page the hash
/// of its inputs (see [`crate::core::output::Sink::keep`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub hash: Digest,
    pub stamp: Stamp,
    pub made_from: Option<Digest>,
}

/// The files of one output folder, by path relative to it, and the settings they were built
/// with (a build with other settings does not update that folder in place).
#[derive(Debug, Default)]
pub struct Manifest {
    files: HashMap<PathBuf, Entry>,
    settings: String,
}

impl Manifest {
    /// The manifest of `output`; empty when there is none or it cannot be read. Lines that do
    /// not parse are skipped: a damaged manifest only means more files are written.
    pub fn read(output: &Path) -> Manifest {
        let path = output.join(MANIFEST);
        // Not following a link: the manifest is a file hocso wrote, or nothing.
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            return Manifest::default();
        }
        let Ok(text) = std::fs::read_to_string(&path) else { return Manifest::default() };
        let mut lines = text.lines();
        let Some(settings) = lines.next().and_then(|l| l.strip_prefix(HEADER)) else {
            return Manifest::default();
        };
        Manifest { settings: settings.trim().to_owned(), files: lines.filter_map(parse_line).collect() }
    }

    /// An empty manifest for a build with these settings (words without line breaks).
    pub fn with_settings(settings: &str) -> Manifest {
        Manifest { files: HashMap::new(), settings: settings.replace(['\n', '\r'], " ") }
    }

    /// The settings the described output was built with.
    pub fn settings(&self) -> &str {
        &self.settings
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The previous entry of `rel`, if its bytes hashed to `hash` and the file at `old` is still
    /// the very file that was written (same inode, size and modification time).
    pub fn unchanged(&self, rel: &Path, hash: &Digest, old: &Path) -> Option<Entry> {
        let entry = self.files.get(rel).filter(|e| e.hash == *hash)?;
        still_there(entry, old)
    }

    /// The previous entry of `rel`, if it was made from inputs hashing to `made_from` and the
    /// file at `old` is still the very file that was written.
    pub fn made_from(&self, rel: &Path, made_from: &Digest, old: &Path) -> Option<Entry> {
        let entry = self.files.get(rel).filter(|e| e.made_from == Some(*made_from))?;
        still_there(entry, old)
    }

    pub fn insert(&mut self, rel: PathBuf, entry: Entry) {
        self.files.insert(rel, entry);
    }

    /// Every file listed, with its entry.
    pub fn files(&self) -> impl Iterator<Item = (&PathBuf, &Entry)> {
        self.files.iter()
    }

    /// The manifest as written into the output, sorted by path. A path that cannot be written
    /// on one line (not UTF-8, or holding a line break) is left out: its file is simply not
    /// reused next time.
    pub fn to_text(&self) -> String {
        let mut rows: Vec<(&str, &Entry)> = self
            .files
            .iter()
            .filter_map(|(p, e)| p.to_str().filter(|s| !s.contains(['\n', '\r'])).map(|s| (s, e)))
            .collect();
        rows.par_sort_unstable_by_key(|(p, _)| *p);
        let mut out = String::with_capacity(rows.len() * 146 + HEADER.len() + self.settings.len() + 2);
        out.push_str(HEADER);
        if !self.settings.is_empty() {
            out.push(' ');
            out.push_str(&self.settings);
        }
        out.push('\n');
        // In parallel, a thousand lines at a time: it is written at the very end of a build,
        // when nothing else is left to do beside it.
        let chunks: Vec<String> = rows
            .par_chunks(1024)
            .map(|rows| {
                let mut out = String::with_capacity(rows.len() * 146);
                for (path, e) in rows {
                    let s = e.stamp;
                    digest::push_hex(&mut out, &e.hash);
                    out.push('\t');
                    match &e.made_from {
                        Some(h) => digest::push_hex(&mut out, h),
                        None => out.push('-'),
                    }
                    let _ = writeln!(
                        out,
                        "\t{}\t{}\t{}\t{}\t{}\t{path}",
                        s.dev, s.ino, s.size, s.mtime, s.mtime_ns
                    );
                }
                out
            })
            .collect();
        chunks.iter().for_each(|chunk| out.push_str(chunk));
        out
    }
}

/// This very program: its version and its executable's size and time, so a page made by
/// another build of hocso (a fix in a template function, a new escaping rule) is rendered
/// again. Where the executable cannot be found, a value no other run has: nothing is kept.
pub fn program_identity() -> Digest {
    static IDENTITY: std::sync::OnceLock<Digest> = std::sync::OnceLock::new();
    *IDENTITY.get_or_init(|| {
        let mut h = digest::Hasher::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        let exe = std::env::current_exe().and_then(std::fs::metadata);
        match exe.as_ref().map(|m| (m.len(), m.modified())) {
            Ok((len, Ok(time))) => {
                h.update(&len.to_le_bytes());
                h.update(format!("{time:?}").as_bytes());
            }
            _ => {
                h.update(format!("{:?}{}", std::time::SystemTime::now(), std::process::id()).as_bytes());
            }
        }
        h.finish()
    })
}

/// `entry`, when the file at `path` is still the very file it describes.
fn still_there(entry: &Entry, path: &Path) -> Option<Entry> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    (Stamp::of(&meta)? == entry.stamp).then_some(*entry)
}

/// `hash made_from dev ino size mtime mtime_ns path`, tab-separated, the path last (it may hold
/// tabs); `made_from` is `-` for a file that was not rendered.
fn parse_line(line: &str) -> Option<(PathBuf, Entry)> {
    let mut parts = line.splitn(8, '\t');
    let hash = digest::from_hex(parts.next()?)?;
    let made_from = match parts.next()? {
        "-" => None,
        hex => Some(digest::from_hex(hex)?),
    };
    let mut number = || parts.next()?.parse::<i64>().ok();
    let (dev, ino, size) = (number()?, number()?, number()?);
    let (mtime, mtime_ns) = (number()?, number()?);
    let stamp = Stamp {
        dev: u64::try_from(dev).ok()?,
        ino: u64::try_from(ino).ok()?,
        size: u64::try_from(size).ok()?,
        mtime,
        mtime_ns,
    };
    // The manifest sits in a folder anyone may edit: a path that would leave the output
    // (`../x`, `/etc/x`) is no file of it.
    let path =
        crate::core::paths::below(Path::new(parts.next()?)).ok().filter(|p| !p.as_os_str().is_empty())?;
    Some((path, Entry { hash, stamp, made_from }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is written is read back; damaged lines and other formats are ignored, not trusted.
    #[test]
    fn a_manifest_reads_back_and_damage_only_loses_entries() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("a b.html");
        std::fs::write(&file, b"x").unwrap_or_else(|e| panic!("{e}"));
        let stamp = std::fs::metadata(&file).ok().and_then(|m| Stamp::of(&m));
        let Some(stamp) = stamp else { return };
        let hash = digest::of(b"x");
        let mut m = Manifest::with_settings("precompress");
        let inputs = digest::of(b"template and context");
        let made_from = Some(inputs);
        m.insert(PathBuf::from("a b.html"), Entry { hash, stamp, made_from });
        m.insert(PathBuf::from("bad\nname"), Entry { hash, stamp, made_from: None });
        let text = m.to_text();
        assert_eq!(text.lines().count(), 2, "the line break in a name is left out: {text}");
        let climbing = text.lines().nth(1).unwrap_or_default().replace("a b.html", "../a b.html");
        let absolute = text.lines().nth(1).unwrap_or_default().replace("a b.html", "/tmp/a b.html");
        std::fs::write(dir.path().join(MANIFEST), format!("{text}garbage\tline\n{climbing}\n{absolute}\n"))
            .unwrap_or_else(|e| panic!("{e}"));
        let back = Manifest::read(dir.path());
        assert!(back.unchanged(Path::new("a b.html"), &hash, &file).is_some());
        assert_eq!(back.files().count(), 1, "only the file inside the output is read back");
        assert_eq!(back.settings(), "precompress");
        assert!(back.made_from(Path::new("a b.html"), &inputs, &file).is_some());
        assert!(back.made_from(Path::new("a b.html"), &hash, &file).is_none(), "other inputs");
        assert!(back.unchanged(Path::new("a b.html"), &digest::of(b"y"), &file).is_none());
        // Edited in place: not the file that was written any more.
        std::fs::write(&file, b"yy").unwrap_or_else(|e| panic!("{e}"));
        assert!(back.unchanged(Path::new("a b.html"), &hash, &file).is_none());
        std::fs::write(dir.path().join(MANIFEST), text.replace(HEADER, "hocso-manifest 0"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(Manifest::read(dir.path()).is_empty());
    }
}
