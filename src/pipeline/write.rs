//! Write the site into a temporary folder beside the output, then swap it into place.
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
use crate::core::digest::{self, Digest};
use crate::core::output::OutFile;
use crate::core::paths;
use crate::pipeline::manifest::{Entry, MANIFEST, Manifest, Stamp};

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
///
/// Two ways to publish, chosen when the staging folder is made:
/// - **swap** (a first build, or the output's manifest is missing, from other settings, or an
///   update was cut short): every file is in the staging folder, unchanged ones as hard links to
///   the published ones, and the two folders are exchanged in one step.
/// - **update** (the output is a whole site hocso built with the same settings): only changed
///   files are written into the staging folder. Once everything succeeded they are renamed into
///   the output one by one (each rename is atomic: a reader never sees half a file), files the
///   new site does not have are removed, then the new manifest goes in. Rebuilding an unchanged
///   10,000-lesson site then creates no file and no folder. An `.hocso-updating` note in the
///   output covers the few moments of the update: a build that finds it (the last one was
///   killed right then) does a swap, which replaces everything.
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
    /// Files of the new site so far, and how many of them are the previous build's.
    files: std::sync::atomic::AtomicUsize,
    reused: std::sync::atomic::AtomicUsize,
    /// Publish by updating the output in place (see above) rather than by a swap.
    update: bool,
}

/// The word of the build settings saying text files get compressed copies beside them.
pub const PRECOMPRESSED: &str = "precompress";

/// Note in the output while an update moves files into it.
pub const UPDATING: &str = ".hocso-updating";

impl Staging {
    /// Checks the output folder may be replaced, then makes the staging folder beside it (same
    /// file system, so the swap is a rename), marked and locked before anything is written.
    /// `settings` names what decides which files a build makes besides pages (e.g.
    /// `precompress`): an output built with other settings is swapped, not updated.
    pub fn new(root: &Path, output: &Path, settings: &str) -> Result<Self, Diagnostic> {
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
        let previous = Manifest::read(&out_abs);
        let next = Manifest::with_settings(settings);
        let update = cfg!(unix)
            && !previous.is_empty()
            && previous.settings() == next.settings()
            && std::fs::symlink_metadata(out_abs.join(MARKER)).is_ok_and(|m| m.is_file())
            && std::fs::symlink_metadata(out_abs.join(UPDATING)).is_err();
        Ok(Staging {
            dir: dir.keep(),
            lock,
            root: root.to_path_buf(),
            previous,
            out_abs,
            parent,
            next: std::sync::Mutex::new(next),
            files: std::sync::atomic::AtomicUsize::new(0),
            reused: std::sync::atomic::AtomicUsize::new(0),
            update,
        })
    }

    /// The folder being filled, for work on the finished files before they are published
    /// (precompression). When updating, it holds only the files that changed.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes one file, or keeps the published one when it has these very bytes; safe to call
    /// from many threads at once.
    pub fn write(&self, file: &OutFile) -> Result<(), Diagnostic> {
        self.write_made(file, None)
    }

    /// [`Staging::write`], noting what a rendered page was made from.
    fn write_made(&self, file: &OutFile, made_from: Option<Digest>) -> Result<(), Diagnostic> {
        let rel = below_output(&file.path)?;
        self.files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let hash = digest::of(&file.bytes);
        let old = self.out_abs.join(&rel);
        if let Some(entry) = self.previous.unchanged(&rel, &hash, &old)
            && self.take_old(&rel, Entry { made_from, ..entry })
        {
            return Ok(());
        }
        let dest = self.dir.join(&rel);
        self.make_parent(&dest)?;
        let written = create_new(&dest).and_then(|mut f| {
            std::io::Write::write_all(&mut f, &file.bytes)?;
            f.metadata()
        });
        let meta = written.map_err(|e| io(&self.root, &dest, e))?;
        self.record(rel, hash, made_from, &meta);
        Ok(())
    }

    /// Copies one file as it is, or keeps the published copy when the bytes are the same; safe
    /// to call from many threads at once.
    pub fn copy(&self, copy: &CopyFile) -> Result<(), Diagnostic> {
        let rel = below_output(&copy.to)?;
        self.files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let old = self.out_abs.join(&rel);
        if let Some(entry) = hash_file(&copy.from).and_then(|hash| self.previous.unchanged(&rel, &hash, &old))
            && self.take_old(&rel, entry)
        {
            return Ok(());
        }
        let dest = self.dir.join(&rel);
        self.make_parent(&dest)?;
        // Not through a link to the published file (see `create_new`).
        let _ = std::fs::remove_file(&dest);
        std::fs::copy(&copy.from, &dest).map_err(|e| io(&self.root, &copy.from, e))?;
        // The hash of what was copied, not of the source read before: the source may change.
        if let (Some(hash), Ok(meta)) = (hash_file(&dest), std::fs::metadata(&dest)) {
            self.record(rel, hash, None, &meta);
        }
        Ok(())
    }

    /// Files of the new site so far (written, copied or kept).
    pub fn files(&self) -> usize {
        self.files.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Files kept from the published output instead of written, so far.
    pub fn reused(&self) -> usize {
        self.reused.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The hashes of the files kept from the published output without being staged: their
    /// compressed copies stay in the output, so the cache must keep them too.
    pub fn kept_hashes(&self) -> Vec<Digest> {
        if !self.update {
            return Vec::new();
        }
        let next = self.next.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        next.files().filter(|(rel, _)| !self.dir.join(rel).exists()).map(|(_, e)| e.hash).collect()
    }

    /// Keeps the published file at `rel` as the new site's (`entry` describes it): nothing to do
    /// when updating in place; a hard link into the staging folder for a swap. False when the
    /// link fails (another file system, a system without links): then the caller writes.
    fn take_old(&self, rel: &Path, entry: Entry) -> bool {
        if !self.update {
            let dest = self.dir.join(rel);
            if self.make_parent(&dest).is_err() || std::fs::hard_link(self.out_abs.join(rel), &dest).is_err()
            {
                return false;
            }
        }
        self.next.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(rel.to_path_buf(), entry);
        self.reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        true
    }

    /// Notes a file written into the staging folder in its manifest.
    fn record(&self, rel: PathBuf, hash: Digest, made_from: Option<Digest>, meta: &std::fs::Metadata) {
        if let Some(stamp) = Stamp::of(meta) {
            self.next
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(rel, Entry { hash, stamp, made_from });
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

    /// Puts the staged site in place of the output: an update in place, or a swap (see
    /// [`Staging`]). With an existing output the two folders are exchanged in one step, and the
    /// old site, now in the staging folder, is removed when this is dropped. Where exchange is
    /// not available: old → aside, new → output, old removed; if the second rename fails the
    /// old one goes back.
    pub fn publish(self) -> Result<(), Diagnostic> {
        // Best effort: without a manifest the next build writes every file, as a first one does.
        let manifest = self.next.lock().unwrap_or_else(std::sync::PoisonError::into_inner).to_text();
        if self.update {
            return self.update_output(&manifest);
        }
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

    /// The update in place: changed files renamed in, files the new site lacks removed, the
    /// manifest last. The note [`UPDATING`] stays if anything fails, so the next build swaps.
    fn update_output(&self, manifest: &str) -> Result<(), Diagnostic> {
        let out = &self.out_abs;
        let note = out.join(UPDATING);
        std::fs::write(&note, b"hocso\n").map_err(|e| io(&self.root, &note, e))?;
        let staged: Vec<PathBuf> = walkdir::WalkDir::new(&self.dir)
            .min_depth(1)
            .follow_links(false)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir())
            .filter_map(|e| e.path().strip_prefix(&self.dir).ok().map(Path::to_path_buf))
            .filter(|rel| rel.as_os_str() != MARKER)
            .collect();
        staged.par_iter().try_for_each(|rel| {
            place(&self.dir.join(rel), &out.join(rel)).map_err(|e| io(&self.root, &out.join(rel), e))
        })?;
        // What the new site has: its files, and the compressed copies kept beside kept files.
        let mut wanted: std::collections::HashSet<PathBuf> = staged.into_iter().collect();
        {
            let next = self.next.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let compressed = next.settings().split_whitespace().any(|w| w == PRECOMPRESSED);
            for (rel, _) in next.files() {
                if compressed && !wanted.contains(rel) {
                    for encoding in crate::pipeline::precompress::Encoding::ALL {
                        wanted.insert(crate::pipeline::precompress::sibling(rel, encoding));
                    }
                }
                wanted.insert(rel.clone());
            }
        }
        for name in [MARKER, MANIFEST, UPDATING] {
            wanted.insert(PathBuf::from(name));
        }
        // Deepest first, so a folder is looked at after its files; a folder that still holds
        // something is simply not removed.
        let gone = walkdir::WalkDir::new(out).min_depth(1).follow_links(false).contents_first(true);
        for entry in gone.into_iter().filter_map(Result::ok) {
            let Ok(rel) = entry.path().strip_prefix(out) else { continue };
            if entry.file_type().is_dir() {
                let _ = std::fs::remove_dir(entry.path());
            } else if !wanted.contains(rel) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let tmp = out.join(format!("{MANIFEST}.tmp-{}", std::process::id()));
        let _ = std::fs::write(&tmp, manifest).and_then(|()| std::fs::rename(&tmp, out.join(MANIFEST)));
        std::fs::remove_file(&note).map_err(|e| io(&self.root, &note, e))
    }
}

/// Creates a file that is not there yet. A file already staged at that path is removed first,
/// never written through: it may be a hard link to the published file.
fn create_new(path: &Path) -> std::io::Result<std::fs::File> {
    let open = || std::fs::OpenOptions::new().write(true).create_new(true).open(path);
    match open() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            open()
        }
        other => other,
    }
}

/// Renames a staged file over its place in the output. Whatever is in the way (a folder where
/// the new site has a file, a file where it has a folder) is removed: the new site wins.
fn place(staged: &Path, dest: &Path) -> std::io::Result<()> {
    if let Some(parent) = dest.parent()
        && std::fs::create_dir_all(parent).is_err()
    {
        // A file of the old site where the new one needs a folder: the nearest thing that
        // exists on the way down, when it is not a folder.
        let nearest = parent.ancestors().find_map(|a| std::fs::symlink_metadata(a).ok().map(|m| (a, m)));
        if let Some((blocker, _)) = nearest.filter(|(_, m)| !m.is_dir()) {
            std::fs::remove_file(blocker)?;
        }
        std::fs::create_dir_all(parent)?;
    }
    if std::fs::rename(staged, dest).is_ok() {
        return Ok(());
    }
    if std::fs::symlink_metadata(dest).is_ok_and(|m| m.is_dir()) {
        std::fs::remove_dir_all(dest)?;
    }
    std::fs::rename(staged, dest)
}

impl crate::core::output::Sink for Staging {
    fn put(&self, file: OutFile) -> Result<(), Diagnostic> {
        self.write(&file)
    }

    fn put_made(&self, file: OutFile, made_from: &Digest) -> Result<(), Diagnostic> {
        self.write_made(&file, Some(*made_from))
    }

    fn keep(&self, path: &Path, made_from: &Digest) -> bool {
        let Ok(rel) = below_output(path) else { return false };
        let old = self.out_abs.join(&rel);
        let kept = self.previous.made_from(&rel, made_from, &old).is_some_and(|e| self.take_old(&rel, e));
        if kept {
            self.files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        kept
    }

    fn keep_folder(&self, folder: &Path, made_from: &Digest) -> bool {
        let Ok(folder) = below_output(folder) else { return false };
        let mut group = Vec::new();
        for (rel, _) in self.previous.files().filter(|(rel, _)| rel.starts_with(&folder)) {
            match self.previous.made_from(rel, made_from, &self.out_abs.join(rel)) {
                Some(entry) => group.push((rel, entry)),
                None => return false,
            }
        }
        // The group is whole only if the manifest lists every file the folder holds: a damaged
        // manifest that lost some of its lines must not keep the rest without them.
        let on_disk = walkdir::WalkDir::new(self.out_abs.join(&folder))
            .follow_links(false)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir())
            // Compressed copies beside the files are not in the manifest.
            .filter(|e| !crate::pipeline::precompress::is_compressed_copy(e.path()))
            .count();
        if on_disk != group.len() {
            return false;
        }
        // All or nothing: a file that cannot be kept means the group is written again whole.
        if group.is_empty() || !group.iter().all(|(rel, entry)| self.take_old(rel, *entry)) {
            return false;
        }
        self.files.fetch_add(group.len(), std::sync::atomic::Ordering::Relaxed);
        true
    }
}

impl Drop for Staging {
    /// Removes the staging folder: the unpublished site, after an exchange the old one, after an
    /// update the empty folders left (after a rename there is nothing left to remove). The lock
    /// is released only afterwards.
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
    let staging = Staging::new(root, output, "")?;
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
fn hash_file(path: &Path) -> Option<Digest> {
    let file = std::fs::File::open(path).ok()?;
    Some(digest::Hasher::new().update_reader(file).ok()?.finish())
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

    /// A file where the new site needs a folder, or a folder where it has a file, gives way.
    #[test]
    fn a_staged_file_replaces_whatever_is_in_its_way() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (staged, out) = (dir.path().join("staged"), dir.path().join("out"));
        let write = |path: &Path, text: &str| {
            std::fs::create_dir_all(path.parent().unwrap_or(path)).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
        };
        write(&out.join("a"), "old file");
        write(&out.join("b/index.html"), "old folder");
        write(&staged.join("a/index.html"), "new");
        write(&staged.join("b"), "new");
        place(&staged.join("a/index.html"), &out.join("a/index.html")).unwrap_or_else(|e| panic!("{e}"));
        place(&staged.join("b"), &out.join("b")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap_or_default(), "new");
        assert_eq!(std::fs::read_to_string(out.join("b")).unwrap_or_default(), "new");
    }

    /// Whatever a page's path was made of, nothing is written beside the staging folder.
    #[test]
    fn no_file_is_written_outside_the_output() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let staging =
            Staging::new(dir.path(), &dir.path().join("public"), "").unwrap_or_else(|e| panic!("{e:?}"));
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
