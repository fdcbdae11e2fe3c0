//! Files on their way into the output folder, and where they go.

use std::path::{Path, PathBuf};

use crate::core::diagnostic::Diagnostic;
use crate::core::digest::Digest;

/// A file to write into the output, path relative to the output folder.
#[derive(Debug)]
pub struct OutFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Where rendered files go as soon as each is made: a staging folder for a build, the live
/// output folder for an edit in `serve`, a list in tests. Called from many threads at once, so a
/// page is written while the next is rendered and the whole site is never held in memory.
pub trait Sink: Sync {
    fn put(&self, file: OutFile) -> Result<(), Diagnostic>;

    /// [`Sink::put`] for a rendered page, with the hash of what it was made from (its template
    /// and the whole context the template saw), so a later build can [`Sink::keep`] it.
    fn put_made(&self, file: OutFile, _made_from: &Digest) -> Result<(), Diagnostic> {
        self.put(file)
    }

    /// Keeps the previous build's file at `path` (relative to the output) when it was made
    /// from inputs hashing to `made_from` and is still as written: true when kept, and then the
    /// page is neither rendered nor written. Rendering a page is a pure function of its template
    /// and context, so the same inputs give the same bytes. Sinks without a previous build keep
    /// nothing.
    fn keep(&self, _path: &Path, _made_from: &Digest) -> bool {
        false
    }

    /// [`Sink::keep`] for a group of files made together from one input (the search index):
    /// keeps every file the previous build had under `folder` when all were made from inputs
    /// hashing to `made_from` and are still as written; true when kept. Files put with
    /// [`Sink::put_made`] and the same hash form such a group.
    fn keep_folder(&self, _folder: &Path, _made_from: &Digest) -> bool {
        false
    }
}

impl<F: Fn(OutFile) -> Result<(), Diagnostic> + Sync> Sink for F {
    fn put(&self, file: OutFile) -> Result<(), Diagnostic> {
        self(file)
    }
}

/// A [`Sink`] that keeps every file, for tests, benchmarks and small jobs.
#[derive(Default)]
pub struct Collect(std::sync::Mutex<Vec<OutFile>>);

impl Collect {
    pub fn into_files(self) -> Vec<OutFile> {
        self.0.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Sink for Collect {
    fn put(&self, file: OutFile) -> Result<(), Diagnostic> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(file);
        Ok(())
    }
}
