//! Where every page and file of an edition is, and what a link written in its Markdown leads
//! to: another page, a heading, a published file, or nowhere (with the reason a path cannot be
//! used). Every file a page points to is resolved here, so no path string can lead outside.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::core::diagnostic::Problem;
use crate::core::paths;
use crate::pipeline::config::Config;
use crate::pipeline::load::BundleFile;

/// Where every page and file of one edition is, for the links written in its Markdown, the
/// recordings its lessons name and the steps of its journeys.
#[derive(Debug, Default)]
pub struct Links {
    /// The site's base path (`/` or `/hoc-so/`).
    base: String,
    /// The site's `static/` folder: `/…` links may name its files.
    static_dir: PathBuf,
    /// Source path (relative to the root) → page URL, for Markdown links between files.
    pub url_by_source: HashMap<PathBuf, String>,
    /// Every page URL, for links written as site paths (`/an-toan/otp/`).
    pub page_urls: HashSet<String>,
    /// A lesson bundle's `index.md` → the address its files (images, PDFs) are published
    /// under: the lesson's page in the site's own language, which its translations share.
    pub bundle_urls: HashMap<PathBuf, String>,
}

/// What a link in Markdown points to.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// Another page of the site (URL, and anchor if any).
    Page { url: String, anchor: Option<String> },
    /// A heading on the same page.
    SamePage { anchor: String },
    /// A file published with the site (bundle file or static file): the URL to write, and the
    /// source file relative to the site root.
    File { url: String, source: PathBuf },
    /// Outside the site (`https://…`).
    External,
    /// `mailto:`, `tel:` and similar: kept as written.
    Other,
    /// Nothing of the site answers to it.
    Missing,
}

impl Links {
    /// The links of a site at `config`'s base path whose files are under `root`.
    pub fn new(
        config: &Config,
        root: &Path,
        url_by_source: HashMap<PathBuf, String>,
        page_urls: HashSet<String>,
        bundle_urls: HashMap<PathBuf, String>,
    ) -> Links {
        Links {
            base: config.base_path(),
            static_dir: root.join(paths::STATIC_DIR),
            url_by_source,
            page_urls,
            bundle_urls,
        }
    }

    /// Resolves a link written in the Markdown of `from` (a source path relative to the root),
    /// or says why the path cannot be used: it leads out of `static/` (`..`,
    /// `%2e%2e`, a symlink out), or the file's name holds a character that would break out of
    /// the `src="…"` its address is written into. Every file a page points to is resolved here
    /// through [`paths::inside`], so the URL of a [`Target::File`] is safe to write as it is.
    pub fn resolve(&self, from: &Path, dest: &str, bundle_files: &[BundleFile]) -> Result<Target, Problem> {
        let written = dest;
        let dest = dest.trim();
        // Schemes are read in any case, as browsers do: `HTTP://` is a web address, not a file.
        let has_scheme =
            |scheme: &str| dest.get(..scheme.len()).is_some_and(|s| s.eq_ignore_ascii_case(scheme));
        if has_scheme("http://") || has_scheme("https://") || dest.starts_with("//") {
            return Ok(Target::External);
        }
        if dest.contains(':') && !dest.contains('/') || has_scheme("mailto:") || has_scheme("tel:") {
            return Ok(Target::Other);
        }
        let (path_part, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(a.to_owned())),
            None => (dest, None),
        };
        let decoded = crate::core::text::percent_decode(path_part).unwrap_or_else(|| path_part.to_owned());
        let path_part = crate::core::text::nfc(&decoded).into_owned();
        if path_part.is_empty() {
            return Ok(match anchor {
                Some(anchor) => Target::SamePage { anchor },
                None => Target::Missing,
            });
        }
        let unsafe_path = |root: &Path, why| Problem::UnsafePath {
            written: written.to_owned(),
            root: root.to_string_lossy().replace('\\', "/"),
            why,
        };
        let base = &self.base;
        if let Some(site_path) = path_part.strip_prefix('/') {
            // A site path: a page URL, or a file from static/.
            let url = paths::normalize_url_path(base, site_path);
            if self.page_urls.contains(&url) {
                return Ok(Target::Page { url, anchor });
            }
            let static_dir = &self.static_dir;
            let rel = paths::inside(Some(static_dir), site_path)
                .map_err(|why| unsafe_path(Path::new(paths::STATIC_DIR), why))?;
            if rel.as_os_str().is_empty() || !static_dir.join(&rel).is_file() {
                return Ok(Target::Missing);
            }
            return Ok(Target::File {
                url: format!("{base}{}", rel.to_string_lossy().replace('\\', "/")),
                source: Path::new(paths::STATIC_DIR).join(rel),
            });
        }
        let dir = from.parent().unwrap_or(Path::new(""));
        let joined = clean_path(&dir.join(&path_part));
        if path_part.ends_with(".md") {
            return Ok(match self.url_by_source.get(&joined) {
                Some(url) => Target::Page { url: url.clone(), anchor },
                None => Target::Missing,
            });
        }
        if let Some(file) = bundle_files.iter().find(|f| f.path == joined) {
            // Found by walking the bundle, so inside it; only its name's characters are checked.
            paths::inside(None, &file.name).map_err(|why| unsafe_path(dir, why))?;
            // Absolute, so the link also works from the lesson's leaflet page and translations.
            let page = self.bundle_urls.get(&file.lesson).map_or(base.as_str(), String::as_str);
            return Ok(Target::File { url: format!("{page}{}", file.name), source: file.path.clone() });
        }
        Ok(Target::Missing)
    }
}

/// Resolves `.` and `..` without touching the file system.
fn clean_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_path_handles_parent_dirs() {
        assert_eq!(
            clean_path(Path::new("content/an-toan/../thanh-toan/./ma-qr.md")),
            PathBuf::from("content/thanh-toan/ma-qr.md")
        );
    }

    /// The resolution of issue 14's paths, with the reason each is refused.
    #[test]
    fn resolve_says_why_a_path_cannot_be_used() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(dir.path().join("static/anh")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("static/anh/logo.png"), b"png").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("secret.png"), b"png").unwrap_or_else(|e| panic!("{e}"));
        let links =
            Links::new(&Config::placeholder(), dir.path(), HashMap::new(), HashSet::new(), HashMap::new());
        let from = Path::new("content/an-toan/otp.md");
        let why = |dest: &str| match links.resolve(from, dest, &[]) {
            Err(Problem::UnsafePath { why, root, .. }) => Some((why, root)),
            _ => None,
        };
        let static_dir = || paths::STATIC_DIR.to_owned();
        assert_eq!(why("/../secret.png"), Some((paths::Unsafe::Parent, static_dir())));
        assert_eq!(why("/%2e%2e/secret.png"), Some((paths::Unsafe::Parent, static_dir())));
        assert_eq!(why("/anh/%22%3E.png"), Some((paths::Unsafe::Char('"'), static_dir())));
        assert!(matches!(links.resolve(from, "/../secret.png", &[]), Err(Problem::UnsafePath { .. })));
        assert_eq!(
            links.resolve(from, "/anh/./logo.png", &[]),
            Ok(Target::File { url: "/anh/logo.png".into(), source: PathBuf::from("static/anh/logo.png") })
        );
        let bundle = [BundleFile {
            path: PathBuf::from("content/an-toan/otp/x\"y.png"),
            name: "x\"y.png".into(),
            lesson: PathBuf::from("content/an-toan/otp/index.md"),
        }];
        let from = Path::new("content/an-toan/otp/index.md");
        assert!(matches!(
            links.resolve(from, "x%22y.png", &bundle),
            Err(Problem::UnsafePath { why: paths::Unsafe::Char('"'), .. })
        ));
    }
}
