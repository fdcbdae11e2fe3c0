//! Stage 7 — write the site into a temporary folder beside the output, then swap it into place.
//!
//! A build that fails half-way must not leave residents with a half-written portal, so nothing
//! touches the published folder until every file is written. The published folder is also
//! protected the other way round: hocso only replaces a folder it made itself (it leaves a
//! marker file), so `--output ~/Tài liệu` cannot wipe someone's documents.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Problem, relative};
use crate::render::OutFile;

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
        || ["content", "static", "themes", "templates"].iter().any(|d| out_abs.starts_with(root_abs.join(d)));
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

/// Writes `files` and `copies` into a fresh folder and swaps it in place of `output`.
pub fn write_atomically(
    root: &Path,
    output: &Path,
    files: &[OutFile],
    copies: &[CopyFile],
) -> Result<(), Diagnostic> {
    check_output(root, output)?;
    let io = |path: &Path, e: std::io::Error| {
        Diagnostic::error(relative(root, path), 0, 0, Problem::Io(e.to_string()))
    };
    let out_abs = absolute(output);
    let parent = out_abs.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::create_dir_all(&parent).map_err(|e| io(&parent, e))?;
    let staging =
        tempfile::Builder::new().prefix(".hocso-build-").tempdir_in(&parent).map_err(|e| io(&parent, e))?;
    let dir = staging.path();

    files.par_iter().try_for_each(|f| {
        let dest = dir.join(&f.path);
        if let Some(p) = dest.parent() {
            std::fs::create_dir_all(p).map_err(|e| io(p, e))?;
        }
        std::fs::write(&dest, &f.bytes).map_err(|e| io(&dest, e))
    })?;
    copies.par_iter().try_for_each(|c| {
        let dest = dir.join(&c.to);
        if let Some(p) = dest.parent() {
            std::fs::create_dir_all(p).map_err(|e| io(p, e))?;
        }
        std::fs::copy(&c.from, &dest).map(|_| ()).map_err(|e| io(&c.from, e))
    })?;
    std::fs::write(dir.join(MARKER), "hocso\n").map_err(|e| io(dir, e))?;

    // Swap: old → aside, new → output, then remove the old one.
    let staged = staging.keep();
    let aside = if out_abs.exists() {
        let aside = parent.join(format!(".hocso-old-{}", std::process::id()));
        if aside.exists() {
            let _ = std::fs::remove_dir_all(&aside);
        }
        if let Err(e) = std::fs::rename(&out_abs, &aside) {
            let _ = std::fs::remove_dir_all(&staged);
            return Err(io(&out_abs, e));
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
        return Err(io(&out_abs, e));
    }
    if let Some(aside) = aside {
        let _ = std::fs::remove_dir_all(aside);
    }
    Ok(())
}

/// Writes files into an existing output folder, each through a temporary file and a rename so
/// a reader never sees half a page. Used by `hocso serve` after an edit of one lesson.
pub fn write_in_place(
    root: &Path,
    output: &Path,
    files: &[OutFile],
    copies: &[CopyFile],
) -> Result<(), Diagnostic> {
    let io = |path: &Path, e: std::io::Error| {
        Diagnostic::error(relative(root, path), 0, 0, Problem::Io(e.to_string()))
    };
    let replace = |dest: &Path, bytes: &[u8]| -> Result<(), Diagnostic> {
        if std::fs::read(dest).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        if let Some(p) = dest.parent() {
            std::fs::create_dir_all(p).map_err(|e| io(p, e))?;
        }
        let tmp = dest.with_extension(format!("hocso-tmp-{}", std::process::id()));
        std::fs::write(&tmp, bytes).map_err(|e| io(&tmp, e))?;
        std::fs::rename(&tmp, dest).map_err(|e| io(dest, e))
    };
    files.par_iter().try_for_each(|f| replace(&output.join(&f.path), &f.bytes))?;
    for c in copies {
        let dest = output.join(&c.to);
        if !dest.exists() {
            let bytes = std::fs::read(&c.from).map_err(|e| io(&c.from, e))?;
            replace(&dest, &bytes)?;
        }
    }
    Ok(())
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
