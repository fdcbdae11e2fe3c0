//! Stage 7 — write the site into a temporary folder beside the output, then swap it into place.
//!
//! A build that fails half-way must not leave residents with a half-written portal, so nothing
//! touches the published folder until every file is written. The published folder is also
//! protected the other way round: hocso only replaces a folder it made itself (it leaves a
//! marker file), so `--output ~/Tài liệu` cannot wipe someone's documents.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::core::diagnostic::{Diagnostic, Problem, relative};
use crate::core::output::OutFile;
use crate::core::paths;

/// Marker file proving an output folder was made by hocso.
pub const MARKER: &str = ".hocso-output";

/// A file copied as it is (static files, theme assets, bundle images).
#[derive(Debug, Clone)]
pub struct CopyFile {
    pub from: PathBuf,
    /// Destination relative to the output folder.
    pub to: PathBuf,
}

/// Checks that `output` may be replaced: not the site itself, not a source folder, and either
/// absent, empty, or made by hocso.
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
    if out_abs.exists() {
        let ours = out_abs.join(MARKER).is_file()
            || std::fs::read_dir(&out_abs).is_ok_and(|mut entries| entries.next().is_none());
        if !out_abs.is_dir() || !ours {
            return Err(Diagnostic::error(output, 0, 0, Problem::OutputNotOurs(output.to_path_buf())));
        }
    }
    Ok(())
}

/// A fresh folder beside the output that the next version of the site is written into, file by
/// file as pages are rendered; only [`Staging::publish`] puts it in place of the output. Dropped
/// without being published (a template error, a full disk), it is removed and the output is
/// left as it was.
pub struct Staging {
    dir: tempfile::TempDir,
    root: PathBuf,
    out_abs: PathBuf,
    parent: PathBuf,
}

impl Staging {
    /// Checks the output folder may be replaced, then makes the staging folder beside it (same
    /// file system, so the swap is a rename).
    pub fn new(root: &Path, output: &Path) -> Result<Self, Diagnostic> {
        check_output(root, output)?;
        let out_abs = absolute(output);
        let parent = out_abs.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        std::fs::create_dir_all(&parent).map_err(|e| io(root, &parent, e))?;
        let dir = tempfile::Builder::new()
            .prefix(".hocso-build-")
            .tempdir_in(&parent)
            .map_err(|e| io(root, &parent, e))?;
        Ok(Staging { dir, root: root.to_path_buf(), out_abs, parent })
    }

    /// Writes one file; safe to call from many threads at once.
    pub fn write(&self, file: &OutFile) -> Result<(), Diagnostic> {
        let dest = self.dir.path().join(below_output(&file.path)?);
        self.make_parent(&dest)?;
        std::fs::write(&dest, &file.bytes).map_err(|e| io(&self.root, &dest, e))
    }

    /// Copies one file as it is; safe to call from many threads at once.
    pub fn copy(&self, copy: &CopyFile) -> Result<(), Diagnostic> {
        let dest = self.dir.path().join(below_output(&copy.to)?);
        self.make_parent(&dest)?;
        std::fs::copy(&copy.from, &dest).map(|_| ()).map_err(|e| io(&self.root, &copy.from, e))
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

    /// Marks the folder as hocso's and swaps it in place of the output: old → aside, new →
    /// output, then the old one is removed. If the second rename fails the old one goes back.
    pub fn publish(self) -> Result<(), Diagnostic> {
        let Staging { dir, root, out_abs, parent } = self;
        std::fs::write(dir.path().join(MARKER), "hocso\n").map_err(|e| io(&root, dir.path(), e))?;
        let staged = dir.keep();
        let aside = if out_abs.exists() {
            let aside = parent.join(format!(".hocso-old-{}", std::process::id()));
            if aside.exists() {
                let _ = std::fs::remove_dir_all(&aside);
            }
            if let Err(e) = std::fs::rename(&out_abs, &aside) {
                let _ = std::fs::remove_dir_all(&staged);
                return Err(io(&root, &out_abs, e));
            }
            Some(aside)
        } else {
            None
        };
        if let Err(e) = std::fs::rename(&staged, &out_abs) {
            if let Some(aside) = &aside {
                let _ = std::fs::rename(aside, &out_abs);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(io(&root, &out_abs, e));
        }
        if let Some(aside) = aside {
            let _ = std::fs::remove_dir_all(aside);
        }
        Ok(())
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
