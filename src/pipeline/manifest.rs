//! What the last build wrote, so the next one can reuse every file that did not change.
//!
//! Creating files is most of a build's time on a large site (the kernel allocating inodes), and
//! after an edit of one lesson almost every page comes out byte for byte as before. The staging
//! folder therefore gets such a page as a hard link to the file already published: the same
//! bytes, no new inode, nothing rewritten; only changed files are written.
//!
//! The manifest lists, for each file of the output, the hash of its bytes and the identity of
//! the file on disk (device, inode, size, modification time). It lives inside the output it
//! describes ([`MANIFEST`], beside the marker), so it is swapped in with that very site and goes
//! when the folder is deleted by hand: it never describes another folder. The output may still
//! be edited by hand, so a file is reused only when it is still the very file the manifest
//! names; anything else (edited, replaced, copied over, the manifest damaged) is written anew.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The manifest file, at the top of the output.
pub const MANIFEST: &str = ".hocso-manifest";

/// First line of the manifest; a file of another format is ignored (everything is written).
const HEADER: &str = "hocso-manifest 1";

/// The hash of a file's bytes.
pub type Hash = [u8; 32];

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

/// One file of the output: the hash of its bytes and its stamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub hash: Hash,
    pub stamp: Stamp,
}

/// The files of one output folder, by path relative to it.
#[derive(Debug, Default)]
pub struct Manifest(HashMap<PathBuf, Entry>);

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
        if lines.next() != Some(HEADER) {
            return Manifest::default();
        }
        Manifest(lines.filter_map(parse_line).collect())
    }

    /// The previous entry of `rel`, if its bytes hashed to `hash` and the file at `old` is still
    /// the very file that was written (same inode, size and modification time).
    pub fn unchanged(&self, rel: &Path, hash: &Hash, old: &Path) -> Option<Entry> {
        let entry = self.0.get(rel).filter(|e| e.hash == *hash)?;
        let meta = std::fs::symlink_metadata(old).ok()?;
        (Stamp::of(&meta)? == entry.stamp).then_some(*entry)
    }

    pub fn insert(&mut self, rel: PathBuf, entry: Entry) {
        self.0.insert(rel, entry);
    }

    /// The manifest as written into the output, sorted by path. A path that cannot be written
    /// on one line (not UTF-8, or holding a line break) is left out: its file is simply not
    /// reused next time.
    pub fn to_text(&self) -> String {
        let mut rows: Vec<(&str, &Entry)> = self
            .0
            .iter()
            .filter_map(|(p, e)| p.to_str().filter(|s| !s.contains(['\n', '\r'])).map(|s| (s, e)))
            .collect();
        rows.sort_unstable_by_key(|(p, _)| *p);
        let mut out = String::with_capacity(rows.len() * 140 + HEADER.len() + 1);
        out.push_str(HEADER);
        out.push('\n');
        for (path, e) in rows {
            let s = e.stamp;
            let hex = blake3::Hash::from_bytes(e.hash).to_hex();
            let _ =
                writeln!(out, "{hex}\t{}\t{}\t{}\t{}\t{}\t{path}", s.dev, s.ino, s.size, s.mtime, s.mtime_ns);
        }
        out
    }
}

/// `hash dev ino size mtime mtime_ns path`, tab-separated, the path last (it may hold tabs).
fn parse_line(line: &str) -> Option<(PathBuf, Entry)> {
    let mut parts = line.splitn(7, '\t');
    let hash = *blake3::Hash::from_hex(parts.next()?).ok()?.as_bytes();
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
    let path = PathBuf::from(parts.next()?);
    Some((path, Entry { hash, stamp }))
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
        let hash = *blake3::hash(b"x").as_bytes();
        let mut m = Manifest::default();
        m.insert(PathBuf::from("a b.html"), Entry { hash, stamp });
        m.insert(PathBuf::from("bad\nname"), Entry { hash, stamp });
        let text = m.to_text();
        assert_eq!(text.lines().count(), 2, "the line break in a name is left out: {text}");
        std::fs::write(dir.path().join(MANIFEST), format!("{text}garbage\tline\n"))
            .unwrap_or_else(|e| panic!("{e}"));
        let back = Manifest::read(dir.path());
        assert!(back.unchanged(Path::new("a b.html"), &hash, &file).is_some());
        assert!(back.unchanged(Path::new("a b.html"), blake3::hash(b"y").as_bytes(), &file).is_none());
        // Edited in place: not the file that was written any more.
        std::fs::write(&file, b"yy").unwrap_or_else(|e| panic!("{e}"));
        assert!(back.unchanged(Path::new("a b.html"), &hash, &file).is_none());
        std::fs::write(dir.path().join(MANIFEST), text.replace(HEADER, "hocso-manifest 0"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(Manifest::read(dir.path()).0.is_empty());
    }
}
