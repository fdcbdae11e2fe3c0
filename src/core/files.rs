//! Reading the files a person hands hocso: only regular files, and never too large.

use std::path::Path;

use crate::core::diagnostic::Problem;

/// The largest source file hocso reads (a lesson, `site.toml`, the glossary). The longest lesson
/// of the sample site is 2.5 KB; a file of a megabyte is a mistake (a pasted log, an export saved
/// under the wrong name), and Markdown of pathological shape costs some 200 bytes of memory per
/// byte of source (a 10 MB line of `<` took 6 s and 2.1 GB; at this limit 1.5 s and 280 MB).
pub const MAX_SOURCE_BYTES: u64 = 1024 * 1024;

/// Reads a source file: only a regular file (a symbolic link to one is fine) of at most
/// [`MAX_SOURCE_BYTES`]. A named pipe, a device or a socket would make the build wait forever
/// for data that never comes, so it is refused by name instead; a missing file is
/// [`Problem::MissingFile`] so callers can treat an optional file as absent.
pub fn read_source_file(path: &Path) -> Result<Vec<u8>, Problem> {
    use std::io::Read as _;
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => Problem::MissingFile,
        _ => Problem::Io(e.to_string()),
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Opening a named pipe for reading blocks until a writer appears; non-blocking, it returns
    // at once and the type check below refuses it. Reads of a regular file ignore the flag.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, rustix::fs::OFlags::NONBLOCK.bits() as i32);
    let file = options.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(Problem::NotRegularFile);
    }
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(Problem::FileTooLarge { bytes: meta.len(), limit: MAX_SOURCE_BYTES });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // `take` bounds a file that grows while it is read.
    file.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(Problem::FileTooLarge { bytes: bytes.len() as u64, limit: MAX_SOURCE_BYTES });
    }
    Ok(bytes)
}
