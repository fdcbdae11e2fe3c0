//! Walk `content/`, read every file, normalise text to NFC.
//!
//! Nothing here knows about front matter or Markdown; it only decides what each file *is* from
//! where it sits, so that later stages get a flat, typed list.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::core::diagnostic::{Diagnostic, Problem, relative};
use crate::core::files::read_source_file;
use crate::core::paths::{CONTENT_DIR, JOURNEYS_DIR};
use crate::core::text::nfc;

/// What a Markdown file is, judged by its place in `content/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `content/_index.md`
    Home,
    /// `content/<topic>/_index.md`
    Topic { dir: String },
    /// `content/<topic>/<name>.md` or `content/<topic>/<name>/index.md`
    Lesson { topic_dir: String, name: String, bundle: bool },
    /// `content/<name>.md`: a standalone page such as the accessibility statement.
    Page { name: String },
    /// `content/lo-trinh/<name>.md`: a step-by-step journey through lessons. The folder is
    /// reserved, so it is never read as a topic.
    Journey { name: String },
}

/// One Markdown file, read and normalised.
#[derive(Clone, Debug)]
pub struct Source {
    /// Path relative to the site root, used in every message.
    pub path: PathBuf,
    pub kind: Kind,
    pub text: String,
    /// Whether the file was already in NFC (it is normalised either way).
    pub was_nfc: bool,
    /// The translation's language (`en` for `bai.en.md`); `None` for the site's own language.
    pub lang: Option<String>,
}

/// A non-Markdown file inside a lesson bundle (an image, a PDF …).
#[derive(Clone, Debug)]
pub struct BundleFile {
    /// Path relative to the site root.
    pub path: PathBuf,
    /// Path relative to the bundle folder (what a Markdown link in the bundle writes).
    pub name: String,
    /// The lesson's `index.md`, relative to the site root.
    pub lesson: PathBuf,
}

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Vec<Source>,
    pub bundle_files: Vec<BundleFile>,
    /// Topic folders, by folder name, so a folder without `_index.md` can be reported.
    pub topic_dirs: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the whole `content/` folder of `root`. `translations` are the codes of the site's other
/// languages: `bai.en.md` is the English translation of `bai.md` when `en` is one of them.
pub fn load(root: &Path, translations: &[String]) -> Loaded {
    let content = root.join(CONTENT_DIR);
    let mut loaded = Loaded::default();
    let mut to_read: Vec<(PathBuf, Kind, Option<String>)> = Vec::new();
    let mut bundle_dirs: Vec<PathBuf> = Vec::new();
    let mut other_files: Vec<PathBuf> = Vec::new();

    // No symlink following: a link out of the site must not pull in foreign files.
    for entry in WalkDir::new(&content).follow_links(false).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map_or_else(|| content.clone(), Path::to_path_buf);
                loaded.diagnostics.push(Diagnostic::error(
                    relative(root, &path),
                    0,
                    0,
                    Problem::Io(e.to_string()),
                ));
                continue;
            }
        };
        let rel = match entry.path().strip_prefix(&content) {
            Ok(r) => r.to_path_buf(),
            Err(_) => continue,
        };
        if rel.as_os_str().is_empty() || is_hidden_or_temporary(&rel) {
            continue;
        }
        let parts: Vec<String> = rel.iter().map(|p| nfc(&p.to_string_lossy()).into_owned()).collect();
        if entry.file_type().is_dir() {
            if parts.len() == 1 {
                loaded.topic_dirs.push(parts[0].clone());
            }
            continue;
        }
        if !entry.file_type().is_file() {
            // Symbolic links are skipped on purpose (above); anything else that is neither a
            // file nor a folder (a named pipe, a device, a socket) cannot be content.
            if !entry.file_type().is_symlink() {
                loaded.diagnostics.push(Diagnostic::error(
                    relative(root, entry.path()),
                    0,
                    0,
                    Problem::NotRegularFile,
                ));
            }
            continue;
        }
        let is_md = rel.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
        let mut parts = parts;
        let lang = if is_md {
            match language_suffix(&parts[parts.len() - 1], translations) {
                Suffix::None => None,
                Suffix::Known(code, name) => {
                    let last = parts.len() - 1;
                    parts[last] = name;
                    Some(code)
                }
                Suffix::Unknown(code) => {
                    loaded.diagnostics.push(Diagnostic::warning(
                        relative(root, entry.path()),
                        0,
                        0,
                        Problem::UnknownLanguage(code),
                    ));
                    continue;
                }
            }
        } else {
            None
        };
        let kind = match classify(&parts, is_md) {
            Found::Page(kind) => Some(kind),
            Found::BundleIndex(kind) => {
                bundle_dirs.push(rel.parent().map(Path::to_path_buf).unwrap_or_default());
                Some(kind)
            }
            Found::Unexpected => {
                loaded.diagnostics.push(Diagnostic::error(
                    relative(root, entry.path()),
                    0,
                    0,
                    Problem::UnexpectedFile,
                ));
                None
            }
            Found::Other => {
                other_files.push(rel.clone());
                None
            }
        };
        if let Some(kind) = kind {
            to_read.push((entry.path().to_path_buf(), kind, lang));
        }
    }

    loaded.bundle_files = bundle_files(other_files, &bundle_dirs);
    read_sources(root, to_read, &mut loaded);
    loaded
}

/// What a file of `content/` is, by where it sits (`parts`: its path's names).
enum Found {
    Page(Kind),
    /// A lesson bundle's `index.md`: the files beside it travel with the lesson.
    BundleIndex(Kind),
    /// A Markdown file where no page can be.
    Unexpected,
    /// Not Markdown: an image or a document, published when it is in a bundle.
    Other,
}

fn classify(parts: &[String], is_md: bool) -> Found {
    match (parts.len(), is_md) {
        (1, true) if parts[0] == "_index.md" => Found::Page(Kind::Home),
        (1, true) => Found::Page(Kind::Page { name: stem(&parts[0]) }),
        (2, true) if parts[0] == JOURNEYS_DIR && parts[1] != "_index.md" => {
            Found::Page(Kind::Journey { name: stem(&parts[1]) })
        }
        (2, true) if parts[1] == "_index.md" => Found::Page(Kind::Topic { dir: parts[0].clone() }),
        (2, true) => {
            Found::Page(Kind::Lesson { topic_dir: parts[0].clone(), name: stem(&parts[1]), bundle: false })
        }
        (3, true) if parts[2] == "index.md" => Found::BundleIndex(Kind::Lesson {
            topic_dir: parts[0].clone(),
            name: parts[1].clone(),
            bundle: true,
        }),
        (_, true) => Found::Unexpected,
        (_, false) => Found::Other,
    }
}

/// Files that sit inside a lesson bundle travel with the lesson.
fn bundle_files(other_files: Vec<PathBuf>, bundle_dirs: &[PathBuf]) -> Vec<BundleFile> {
    let mut files = Vec::new();
    for rel in other_files {
        if let Some(bundle) = bundle_dirs.iter().find(|b| rel.starts_with(b)) {
            let name =
                rel.strip_prefix(bundle).map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            files.push(BundleFile {
                path: Path::new(CONTENT_DIR).join(&rel),
                name: nfc(&name).into_owned(),
                lesson: Path::new(CONTENT_DIR).join(bundle).join("index.md"),
            });
        }
    }
    files
}

/// Reads the sources in parallel into `loaded`, with their problems.
fn read_sources(root: &Path, to_read: Vec<(PathBuf, Kind, Option<String>)>, loaded: &mut Loaded) {
    let results: Vec<Result<Source, Diagnostic>> =
        to_read.into_par_iter().map(|(abs, kind, lang)| read_source(root, &abs, kind, lang)).collect();
    for r in results {
        match r {
            Ok(s) => {
                if !s.was_nfc {
                    loaded.diagnostics.push(Diagnostic::warning(&s.path, 0, 0, Problem::NotNfc));
                }
                loaded.sources.push(s)
            }
            Err(d) => loaded.diagnostics.push(d),
        }
    }
}

fn read_source(root: &Path, abs: &Path, kind: Kind, lang: Option<String>) -> Result<Source, Diagnostic> {
    let path = relative(root, abs);
    let bytes = read_source_file(abs).map_err(|p| Diagnostic::error(&path, 0, 0, p))?;
    let (text, was_nfc) = decode(&bytes).map_err(|valid| {
        let (line, column) = crate::core::lines::line_col(&String::from_utf8_lossy(&bytes), valid);
        Diagnostic::error(&path, line, column, Problem::InvalidUtf8)
    })?;
    Ok(Source { path, kind, text, was_nfc, lang })
}

/// A source file's text: without a byte order mark (Notepad writes one), in NFC, and whether
/// it already was NFC. `Err` holds how many bytes from the start are UTF-8, when not all are.
/// The one way sources are read, by a build and by `hocso serve`'s one-lesson rebuild.
pub fn decode(bytes: &[u8]) -> Result<(String, bool), usize> {
    // simdutf8 and a copy cost a tenth of the standard library's check (mostly multi-byte
    // letters take its slow path); it says only yes or no, so std finds where it goes wrong.
    let Ok(text) = simdutf8::basic::from_utf8(bytes) else {
        return Err(std::str::from_utf8(bytes).err().map_or(0, |e| e.valid_up_to()));
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(match nfc(text) {
        std::borrow::Cow::Borrowed(text) => (text.to_owned(), true),
        std::borrow::Cow::Owned(normalized) => (normalized, false),
    })
}

/// What the part of a Markdown file's name before `.md` says about its language.
#[derive(Debug, PartialEq, Eq)]
enum Suffix {
    /// A page of the site's own language.
    None,
    /// A translation: its language, and the name of the file it translates (`bai.md`).
    Known(String, String),
    /// Named like a translation into a language the site does not have (`bai.fr.md`).
    Unknown(String),
}

/// Reads `bai.en.md` as the `en` translation of `bai.md`. Only a lower-case 2–3 letter part
/// counts as a language, so `bai.v2.md` stays a page of its own.
fn language_suffix(file_name: &str, translations: &[String]) -> Suffix {
    let Some(stem) = file_name.strip_suffix(".md").or_else(|| file_name.strip_suffix(".MD")) else {
        return Suffix::None;
    };
    let Some((name, code)) = stem.rsplit_once('.') else { return Suffix::None };
    if name.is_empty() {
        return Suffix::None;
    }
    if translations.iter().any(|t| t == code) {
        return Suffix::Known(code.to_owned(), format!("{name}.md"));
    }
    if (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase()) {
        Suffix::Unknown(code.to_owned())
    } else {
        Suffix::None
    }
}

fn stem(file_name: &str) -> String {
    file_name.rsplit_once('.').map_or(file_name, |(s, _)| s).to_owned()
}

/// Editor leftovers and hidden files are not content.
fn is_hidden_or_temporary(rel: &Path) -> bool {
    rel.iter().any(|part| {
        let p = part.to_string_lossy();
        p.starts_with('.')
            || p.ends_with('~')
            || p.starts_with("#")
            || p.ends_with(".swp")
            || p.ends_with(".tmp")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_decoded_without_bom_into_nfc() {
        assert_eq!(decode("\u{feff}+++\nMở".as_bytes()), Ok(("+++\nMở".to_owned(), true)));
        assert_eq!(decode("Mo\u{31b}\u{309}".as_bytes()), Ok(("Mở".to_owned(), false)));
        // Where the text stops being UTF-8, for the message's line and column.
        assert_eq!(decode(b"ab\nc\xe0o"), Err(4));
        assert_eq!(decode(b"\xff"), Err(0));
    }

    #[test]
    fn translations_are_told_by_their_suffix() {
        let en = ["en".to_owned(), "zh-Hant".to_owned()];
        assert_eq!(language_suffix("bai.md", &en), Suffix::None);
        assert_eq!(language_suffix("bai.en.md", &en), Suffix::Known("en".into(), "bai.md".into()));
        assert_eq!(language_suffix("_index.en.md", &en), Suffix::Known("en".into(), "_index.md".into()));
        assert_eq!(language_suffix("bai.zh-Hant.md", &en), Suffix::Known("zh-Hant".into(), "bai.md".into()));
        assert_eq!(language_suffix("bai.fr.md", &en), Suffix::Unknown("fr".into()));
        assert_eq!(language_suffix("bai.v2.md", &en), Suffix::None);
        assert_eq!(language_suffix("phien-ban.2026.md", &en), Suffix::None);
        assert_eq!(language_suffix(".en.md", &en), Suffix::None);
    }
}
