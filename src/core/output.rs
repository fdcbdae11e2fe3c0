//! Files on their way into the output folder, and where they go.

use std::path::PathBuf;

use crate::core::diagnostic::Diagnostic;

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
