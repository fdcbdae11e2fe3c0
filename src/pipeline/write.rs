//! Stage 7 — write the site into a temporary folder beside the output, then swap it into place.
//!
//! A build that fails half-way must not leave residents with a half-written portal, so nothing
//! touches the published folder until every file is written. The published folder is also
//! protected the other way round: hocso only replaces a folder it made itself (it leaves a
//! marker file), so `--output ~/Tài liệu` cannot wipe someone's documents.
//!
//! A build can also be killed at any moment (a closed terminal, a full-memory kill). The swap is
//! one atomic exchange where the system has one, so the output path always holds a whole site;
//! staging folders carry the marker from the moment they exist, so the next build can tell a
//! killed build's leftovers (removed) from anything else beside the output (kept).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::core::diagnostic::{Diagnostic, Problem, relative};
use crate::core::output::OutFile;
use crate::core::paths;
use crate::pipeline::manifest::{Entry, Hash, MANIFEST, Manifest, Stamp};

/// Marker file proving a folder was made by hocso: in the published output, and in each staging
/// folder from its first moment. A running build holds a lock on its staging folder's marker, so
/// another build can tell a live build's folder from one a killed build left behind.
pub const MARKER: &str = ".hocso-output";

/// Name prefix of staging folders, made beside the output.
pub const STAGING_PREFIX: &str = ".hocso-build-";

/// Name prefix of an old output set aside during a two-rename swap (systems without an atomic
/// exchange, and hocso versions before it).
pub const OLD_PREFIX: &str = ".hocso-old-";

/// A file copied as it is (static files, theme assets, bundle images).
#[derive(Debug, Clone)]
pub struct CopyFile {
    pub from: PathBuf,
    /// Destination relative to the output folder.
    pub to: PathBuf,
}

/// Checks that `output` may be replaced: not the site itself, not a source folder, and either
/// absent, empty, or made by hocso.
///
/// First it tidies what killed builds left beside the output (see [`tidy_beside`]), so a site
/// set aside by an interrupted swap is back in place even if this build then fails.
pub fn check_output(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root_abs = absolute(root);
    let out_abs = absolute(output);
    let unsafe_place = root_abs.starts_with(&out_abs)
        || [paths::CONTENT_DIR, paths::STATIC_DIR, paths::THEMES_DIR, paths::TEMPLATES_DIR]
            .iter()
            .any(|d| out_abs.starts_with(root_abs.join(d)));
    if unsafe_place {
        return Err(Diagnostic::error(output, 0, 0, Problem::OutputUnsafe(output.to_path_buf())));
    }
    tidy_beside(&out_abs);
    if out_abs.exists() {
        let ours = out_abs.join(MARKER).is_file()
            || std::fs::read_dir(&out_abs).is_ok_and(|mut entries| entries.next().is_none());
        if !out_abs.is_dir() || !ours {
            return Err(Diagnostic::error(output, 0, 0, Problem::OutputNotOurs(output.to_path_buf())));
        }
    }
    Ok(())
}

/// Cleans up after builds that were killed: beside `output`, each staging or set-aside folder
/// that carries hocso's marker and whose build is over (its marker is not locked) is removed,
/// except that a set-aside old site is first put back when the output itself is missing (a kill
/// between the two renames of a swap). Folders without the marker, and folders of builds still
/// running, are left alone. Best effort: what cannot be removed now is tried again next build.
pub fn tidy_beside(output: &Path) {
    let Some(parent) = output.parent() else { return };
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    let mut found: Vec<(bool, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name();
            let name = name.to_str()?;
            let old = name.starts_with(OLD_PREFIX);
            (old || name.starts_with(STAGING_PREFIX)).then(|| (old, e.path()))
        })
        .collect();
    // Set-aside old sites first, so one can be restored before leftovers are removed.
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    for (old, dir) in found {
        // Not following links: a link named like ours, or a file, is not ours.
        if !std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        let Some(_lock) = lock_marker(&dir) else { continue };
        if old && std::fs::symlink_metadata(output).is_err() && std::fs::rename(&dir, output).is_ok() {
            continue;
        }
        remove_marked(&dir);
    }
}

/// Opens and locks the marker of `dir` when it has one and no running build holds it. `None`
/// when there is no marker, when a build holds it, or when the file system cannot lock (then
/// nothing can be known about the folder, and it is kept).
fn lock_marker(dir: &Path) -> Option<std::fs::File> {
    let marker = dir.join(MARKER);
    if !std::fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let file = std::fs::File::open(&marker).ok()?;
    file.try_lock().ok()?;
    Some(file)
}

/// Removes a folder hocso made, its marker last: a removal cut short by a kill leaves a folder
/// that is still marked, so the next build finishes the job.
fn remove_marked(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        let _ = match entry.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
            _ => std::fs::remove_file(&path),
        };
    }
    let _ = std::fs::remove_file(dir.join(MARKER));
    let _ = std::fs::remove_dir(dir);
}

/// Swaps two existing paths in one step, so each path holds one of the two folders at every
/// instant. Linux only (`renameat2` with `RENAME_EXCHANGE`); elsewhere, and on file systems
/// that refuse it, the caller falls back to two renames.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// A fresh folder beside the output that the next version of the site is written into, file by
/// file as pages are rendered; only [`Staging::publish`] puts it in place of the output. Dropped
/// without being published (a template error, a full disk), it is removed and the output is
/// left as it was.
pub struct Staging {
    dir: PathBuf,
    /// The folder's marker, locked for as long as this build runs (`None` where the file system
    /// cannot lock; then other builds leave the folder alone).
    lock: Option<std::fs::File>,
    root: PathBuf,
    out_abs: PathBuf,
    parent: PathBuf,
    /// The manifest of the output being replaced: its unchanged files are linked, not written.
    previous: Manifest,
    /// The manifest of the staged site, written into it by [`Staging::publish`].
    next: std::sync::Mutex<Manifest>,
    reused: std::sync::atomic::AtomicUsize,
}

impl Staging {
    /// Checks the output folder may be replaced, then makes the staging folder beside it (same
    /// file system, so the swap is a rename), marked and locked before anything is written.
    pub fn new(root: &Path, output: &Path) -> Result<Self, Diagnostic> {
        check_output(root, output)?;
        let out_abs = absolute(output);
        let parent = out_abs.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        std::fs::create_dir_all(&parent).map_err(|e| io(root, &parent, e))?;
        let dir = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(&parent)
            .map_err(|e| io(root, &parent, e))?;
        let marker = dir.path().join(MARKER);
        let mut file = std::fs::File::create(&marker).map_err(|e| io(root, &marker, e))?;
        std::io::Write::write_all(&mut file, b"hocso\n").map_err(|e| io(root, &marker, e))?;
        let lock = file.try_lock().is_ok().then_some(file);
        Ok(Staging {
            dir: dir.keep(),
            lock,
            root: root.to_path_buf(),
            previous: Manifest::read(&out_abs),
            out_abs,
            parent,
            next: std::sync::Mutex::default(),
            reused: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// The folder being filled, for work on the finished files before they are published
    /// (precompression).
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes one file, or links the published one when it has these very bytes; safe to call
    /// from many threads at once.
    pub fn write(&self, file: &OutFile) -> Result<(), Diagnostic> {
        let rel = below_output(&file.path)?;
        let dest = self.dir.join(&rel);
        self.make_parent(&dest)?;
        let hash = *blake3::hash(&file.bytes).as_bytes();
        if self.reuse(&rel, &hash, &dest) {
            return Ok(());
        }
        let written = std::fs::File::create(&dest).and_then(|mut f| {
            std::io::Write::write_all(&mut f, &file.bytes)?;
            f.metadata()
        });
        let meta = written.map_err(|e| io(&self.root, &dest, e))?;
        self.record(rel, hash, &meta);
        Ok(())
    }

    /// Copies one file as it is, or links the published copy when the bytes are the same; safe
    /// to call from many threads at once.
    pub fn copy(&self, copy: &CopyFile) -> Result<(), Diagnostic> {
        let rel = below_output(&copy.to)?;
        let dest = self.dir.join(&rel);
        self.make_parent(&dest)?;
        if hash_file(&copy.from).is_some_and(|hash| self.reuse(&rel, &hash, &dest)) {
            return Ok(());
        }
        std::fs::copy(&copy.from, &dest).map_err(|e| io(&self.root, &copy.from, e))?;
        // The hash of what was copied, not of the source read before: the source may change.
        if let (Some(hash), Ok(meta)) = (hash_file(&dest), std::fs::metadata(&dest)) {
            self.record(rel, hash, &meta);
        }
        Ok(())
    }

    /// Files linked from the published output instead of written, so far.
    pub fn reused(&self) -> usize {
        self.reused.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Links the published file at `rel` into the staging folder when it is still the file the
    /// last build wrote with bytes hashing to `hash`. False when anything differs or the link
    /// fails (another file system, a system without links): then the caller writes.
    fn reuse(&self, rel: &Path, hash: &Hash, dest: &Path) -> bool {
        let old = self.out_abs.join(rel);
        let Some(entry) = self.previous.unchanged(rel, hash, &old) else { return false };
        if std::fs::hard_link(&old, dest).is_err() {
            return false;
        }
        self.next.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(rel.to_path_buf(), entry);
        self.reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        true
    }

    /// Notes a file written into the staging folder in its manifest.
    fn record(&self, rel: PathBuf, hash: Hash, meta: &std::fs::Metadata) {
        if let Some(stamp) = Stamp::of(meta) {
            self.next
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(rel, Entry { hash, stamp });
        }
    }

    /// One `mkdir` for the usual case (the grandparent exists); the whole chain only when not.
    fn make_parent(&self, dest: &Path) -> Result<(), Diagnostic> {
        let Some(parent) = dest.parent() else { return Ok(()) };
        match std::fs::create_dir(parent) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(_) => std::fs::create_dir_all(parent).map_err(|e| io(&self.root, parent, e)),
        }
    }

    /// Puts the staged site in place of the output. With an existing output the two folders are
    /// exchanged in one step, and the old site, now in the staging folder, is removed when this
    /// is dropped. Where exchange is not available: old → aside, new → output, old removed; if
    /// the second rename fails the old one goes back.
    pub fn publish(self) -> Result<(), Diagnostic> {
        // Best effort: without a manifest the next build writes every file, as a first one does.
        let manifest = self.next.lock().unwrap_or_else(std::sync::PoisonError::into_inner).to_text();
        let _ = std::fs::write(self.dir.join(MANIFEST), manifest);
        let out = &self.out_abs;
        if !out.exists() {
            return std::fs::rename(&self.dir, out).map_err(|e| io(&self.root, out, e));
        }
        if exchange(&self.dir, out).is_ok() {
            return Ok(());
        }
        let aside = self.parent.join(format!("{OLD_PREFIX}{}", std::process::id()));
        if aside.exists() {
            remove_marked(&aside);
        }
        // Held while the old site is aside, so another build does not take it for a leftover.
        let old_lock = lock_marker(out);
        std::fs::rename(out, &aside).map_err(|e| io(&self.root, out, e))?;
        if let Err(e) = std::fs::rename(&self.dir, out) {
            let _ = std::fs::rename(&aside, out);
            return Err(io(&self.root, out, e));
        }
        drop(old_lock);
        remove_marked(&aside);
        Ok(())
    }
}

impl Drop for Staging {
    /// Removes the staging folder: the unpublished site, or after an exchange the old one (after
    /// a rename there is nothing left to remove). The lock is released only afterwards.
    fn drop(&mut self) {
        remove_marked(&self.dir);
        drop(self.lock.take());
    }
}

/// Writes `files` and `copies` into a fresh folder and swaps it in place of `output`.
pub fn write_atomically(
    root: &Path,
    output: &Path,
    files: &[OutFile],
    copies: &[CopyFile],
) -> Result<(), Diagnostic> {
    let staging = Staging::new(root, output)?;
    files.par_iter().try_for_each(|f| staging.write(f))?;
    copies.par_iter().try_for_each(|c| staging.copy(c))?;
    staging.publish()
}

/// Replaces one file of an existing output folder through a temporary file and a rename, so a
/// reader never sees half a page; an unchanged file is not touched. Used by `hocso serve` after
/// an edit of one lesson.
pub fn replace_in_place(root: &Path, output: &Path, file: &OutFile) -> Result<(), Diagnostic> {
    let dest = output.join(below_output(&file.path)?);
    if std::fs::read(&dest).is_ok_and(|old| old == file.bytes) {
        return Ok(());
    }
    if let Some(p) = dest.parent() {
        std::fs::create_dir_all(p).map_err(|e| io(root, p, e))?;
    }
    // Compressed copies of the old file would be served in place of the new one.
    crate::pipeline::precompress::remove_siblings(&dest);
    let tmp = dest.with_extension(format!("hocso-tmp-{}", std::process::id()));
    std::fs::write(&tmp, &file.bytes).map_err(|e| io(root, &tmp, e))?;
    std::fs::rename(&tmp, &dest).map_err(|e| io(root, &dest, e))
}

/// [`replace_in_place`] for many files, and copies of the ones not there yet.
pub fn write_in_place(
    root: &Path,
    output: &Path,
    files: &[OutFile],
    copies: &[CopyFile],
) -> Result<(), Diagnostic> {
    files.par_iter().try_for_each(|f| replace_in_place(root, output, f))?;
    for c in copies {
        if !output.join(&c.to).exists() {
            let bytes = std::fs::read(&c.from).map_err(|e| io(root, &c.from, e))?;
            replace_in_place(root, output, &OutFile { path: c.to.clone(), bytes })?;
        }
    }
    Ok(())
}

/// The hash of a file's bytes, read in pieces; `None` when it cannot be read.
fn hash_file(path: &Path) -> Option<Hash> {
    let file = std::fs::File::open(path).ok()?;
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(file).ok()?;
    Some(*hasher.finalize().as_bytes())
}

/// The last guard of every file written: its path, made from user input (aliases, static and
/// bundle file names), stays below the output folder whatever the earlier checks missed.
fn below_output(rel: &Path) -> Result<PathBuf, Diagnostic> {
    paths::below(rel).map_err(|why| {
        let written = rel.to_string_lossy().into_owned();
        Diagnostic::error(rel, 0, 0, Problem::UnsafePath { written, root: "--output".into(), why })
    })
}

fn io(root: &Path, path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(relative(root, path), 0, 0, Problem::Io(e.to_string()))
}

/// An absolute, lexically cleaned path (the folder may not exist yet, so no canonicalize).
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve symlinks of the part that exists, so `public` and `./x/../public` compare equal.
    std::fs::canonicalize(&out).unwrap_or(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever a page's path was made of, nothing is written beside the staging folder.
    #[test]
    fn no_file_is_written_outside_the_output() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let staging =
            Staging::new(dir.path(), &dir.path().join("public")).unwrap_or_else(|e| panic!("{e:?}"));
        let escape = OutFile { path: PathBuf::from("../x/index.html"), bytes: b"x".to_vec() };
        assert!(matches!(
            staging.write(&escape).map_err(|d| d.problem),
            Err(Problem::UnsafePath { why: paths::Unsafe::Parent, .. })
        ));
        let copy = CopyFile { from: dir.path().join("a"), to: PathBuf::from("/tmp/x") };
        assert!(staging.copy(&copy).is_err());
        assert!(replace_in_place(dir.path(), &dir.path().join("public"), &escape).is_err());
        assert!(!dir.path().join("x").exists());
        staging
            .write(&OutFile { path: PathBuf::from("./a/index.html"), bytes: b"a".to_vec() })
            .unwrap_or_else(|e| panic!("{e:?}"));
    }
}
