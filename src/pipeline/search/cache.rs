//! The words of each lesson, kept between builds, so that after one lesson is edited the index
//! gathers the words of that lesson only.
//!
//! Gathering words (reading every lesson's text, splitting, lowering, counting) was most of the
//! index's time, and after an edit the index is what a build waits for: it is made again whole,
//! since every posting after the edited lesson may move. The postings still are; the words of
//! the lessons whose inputs hash as before are read back instead.
//!
//! One file per index in `<site>/.hocso-cache/search/` (beside the other caches, not in the
//! published folder): a header naming this program, then one line per lesson:
//! `<hash of what its words are made from, hex>` and ` <fields><word>` for each word, `<fields>`
//! one base-32 digit (the [`super::Field`] bits). Words never hold a space or a line break (they
//! are runs of letters and digits, or two joined by `_`). Written beside and renamed into place
//! when complete, with a last line `end`. A cache that is missing, from another program, cut
//! short or damaged is only slower: anything that does not read back as words is gathered again.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{DIGITS, Spelling};
use crate::core::digest::{self, Digest};

/// Below the site's folder.
pub const DIR: &str = ".hocso-cache/search";

/// The largest cache read back: 20 times what 10,000 lessons need.
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// The last line of a complete cache file.
const END: &str = "\nend\n";

/// The first line of a cache file written by this very program.
fn header() -> String {
    format!("hocso search words 1 {}\n", digest::hex(&crate::pipeline::manifest::program_identity()))
}

/// Where the cache of the index in `index_dir` (relative to the output) lives.
pub fn path(root: &Path, index_dir: &Path) -> PathBuf {
    let name: String = index_dir
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
        .collect();
    root.join(DIR).join(format!("{name}.words"))
}

/// The previous build's words, as read.
pub struct Previous {
    /// Checked as UTF-8 when its lessons are listed: by simdutf8, as sources are (std's check
    /// of 12 MB of Vietnamese words took ~17 ms of an edited build).
    bytes: Vec<u8>,
}

impl Previous {
    /// Empty when there is no cache, it cannot be read, or another program wrote it.
    pub fn read(path: &Path) -> Previous {
        Previous::read_at_most(path, MAX_BYTES)
    }

    /// [`Previous::read`]: a file over `max` bytes, far larger than any site's words, is not
    /// this cache and is not read at all.
    fn read_at_most(path: &Path, max: u64) -> Previous {
        let sane = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= max);
        let bytes = if sane { std::fs::read(path).unwrap_or_default() } else { Vec::new() };
        // Without its last line it was cut short (a crash after the rename): a cut line could
        // read back as fewer words.
        let whole = bytes.starts_with(header().as_bytes()) && bytes.ends_with(END.as_bytes());
        Previous { bytes: if whole { bytes } else { Vec::new() } }
    }

    /// Lesson hash (hex) → its words as written; nothing when the file is not UTF-8.
    pub fn lessons(&self) -> HashMap<&str, &str> {
        let Ok(text) = simdutf8::basic::from_utf8(&self.bytes) else { return HashMap::new() };
        text.lines().skip(1).filter_map(|line| line.split_once(' ')).collect()
    }
}

/// The words of one lesson from its cache line; None when the line is damaged.
pub fn decode(words: &str) -> Option<Vec<(Spelling, u8)>> {
    words
        .split(' ')
        .map(|entry| {
            let mut chars = entry.chars();
            let digit = chars.next()?;
            let fields = DIGITS[..32].iter().position(|&d| char::from(d) == digit)?;
            let word = chars.as_str();
            let sound = word.chars().all(|c| super::is_word_char(c) || c == super::PAIR_JOINER);
            (sound && !word.is_empty() && fields > 0).then(|| (Spelling::of(word), fields as u8))
        })
        .collect()
}

/// The cache being written for the next build. Dropped unfinished (the build stopped), it
/// removes what it wrote.
pub struct Next {
    file: Option<std::io::BufWriter<std::fs::File>>,
    partial: PathBuf,
    path: PathBuf,
    failed: bool,
}

impl Next {
    /// None when the cache folder cannot be written: the build goes on without one.
    /// Never through a symbolic link: a site folder from elsewhere could point the cache, or
    /// the file being written, at a file outside the site.
    pub fn create(path: &Path) -> Option<Next> {
        let folder = path.parent()?;
        std::fs::create_dir_all(folder).ok()?;
        let linked = |p: &Path| std::fs::symlink_metadata(p).map_or(true, |m| !m.is_dir());
        if linked(folder) || folder.parent().is_some_and(linked) {
            return None;
        }
        let partial = path.with_extension(format!("words.partial-{}", std::process::id()));
        let _ = std::fs::remove_file(&partial);
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&partial).ok()?;
        let mut file = std::io::BufWriter::with_capacity(256 * 1024, file);
        let failed = file.write_all(header().as_bytes()).is_err();
        Some(Next { file: Some(file), partial, path: path.to_path_buf(), failed })
    }

    /// Adds one lesson's words.
    pub fn push(&mut self, hash: &Digest, words: &[(Spelling, u8)]) {
        let Some(file) = self.file.as_mut().filter(|_| !self.failed) else { return };
        let mut line = String::with_capacity(34 + words.len() * 10);
        line.push_str(&digest::hex(hash));
        for (word, fields) in words {
            line.push(' ');
            line.push(char::from(DIGITS[usize::from(*fields & 31)]));
            word.push_to(&mut line);
        }
        line.push('\n');
        self.failed = file.write_all(line.as_bytes()).is_err();
    }

    /// Puts the cache in place, or leaves none when anything failed (then `drop` removes it).
    pub fn finish(mut self) {
        let complete = !self.failed
            && self
                .file
                .take()
                .is_some_and(|f| f.into_inner().is_ok_and(|mut f| f.write_all(END.as_bytes()).is_ok()));
        if complete {
            let _ = std::fs::rename(&self.partial, &self.path);
        }
    }
}

impl Drop for Next {
    fn drop(&mut self) {
        // Finished and renamed: nothing is left at `partial`; otherwise it goes.
        drop(self.file.take());
        let _ = std::fs::remove_file(&self.partial);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_come_back_as_written() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = path(dir.path(), Path::new("en/tim-kiem/du-lieu"));
        assert!(path.ends_with(".hocso-cache/search/en_tim-kiem_du-lieu.words"), "{path:?}");
        let long = "chungthucdientuquocgia";
        let words: Vec<(Spelling, u8)> =
            [("mã", 1), ("lừa_đảo", 20), (long, 2), ("qr", 31)].map(|(w, f)| (Spelling::of(w), f)).into();
        let mut next = Next::create(&path).unwrap_or_else(|| panic!("no cache"));
        next.push(&[7; 16], &words);
        next.push(&[8; 16], &[]);
        next.finish();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::write(&path, &text[..text.len() - 4]).unwrap_or_else(|e| panic!("{e}"));
        assert!(Previous::read(&path).lessons().is_empty(), "cut short");
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        let mut dropped = Next::create(&path).unwrap_or_else(|| panic!("no cache"));
        dropped.push(&[9; 16], &words);
        drop(dropped);
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap_or(dir.path()))
            .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(names.len(), 1, "an unfinished cache leaves nothing: {names:?}");
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or_default();
        assert!(Previous::read_at_most(&path, size - 1).lessons().is_empty(), "over the limit");
        let previous = Previous::read(&path);
        let lessons = previous.lessons();
        let seven = digest::hex(&[7; 16]);
        assert_eq!(lessons.get(seven.as_str()).and_then(|w| decode(w)), Some(words));
        // A lesson without words has no line to read back: it is gathered again (and has none).
        assert_eq!(lessons.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn the_cache_is_never_written_through_a_link() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap_or_else(|e| panic!("{e}"));
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join(".hocso-cache")).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(&elsewhere, site.join(DIR)).unwrap_or_else(|e| panic!("{e}"));
        assert!(Next::create(&path(&site, Path::new("tim-kiem/du-lieu"))).is_none());
        assert_eq!(std::fs::read_dir(&elsewhere).map(|d| d.count()).unwrap_or(1), 0);
    }

    #[test]
    fn a_damaged_or_foreign_cache_is_not_used() {
        assert_eq!(decode("1mã 5"), None, "a word without letters");
        assert_eq!(decode("1mã Xqr"), None, "a field digit out of range");
        assert_eq!(decode("0mã"), None, "no field");
        assert_eq!(decode("1m\u{0}\u{0}"), None, "not a word");
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("x.words");
        let line = format!("{} 1mã\n", digest::hex(&[7; 16]));
        std::fs::write(&path, format!("hocso search words 1 {}\n{line}\nend\n", "0".repeat(32)))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(Previous::read(&path).lessons().is_empty(), "written by another program");
        let mut bytes = format!("{}{line}", header()).into_bytes();
        bytes.extend_from_slice(b"\xff\nend\n");
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        assert!(Previous::read(&path).lessons().is_empty(), "not UTF-8");
        assert!(Previous::read(&dir.path().join("none")).lessons().is_empty());
    }
}
