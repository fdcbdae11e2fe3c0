//! Every path hocso knows by name, defined once: the folders of a site's sources, the addresses
//! of the pages hocso makes itself, and the ids its templates use.
//!
//! Rust code uses the constants; templates receive them as `urls` (see [`SiteUrls`]), so no
//! address is spelt in two places and a heading can never take an id a template uses.

use std::path::PathBuf;

use serde::Serialize;

/// The site's configuration file, at the site root.
pub const CONFIG_FILE: &str = "site.toml";
/// Lessons, topics and pages.
pub const CONTENT_DIR: &str = "content";
/// Site-wide files published as they are (logo, favicon, forms).
pub const STATIC_DIR: &str = "static";
/// Themes of the site, each a folder by name.
pub const THEMES_DIR: &str = "themes";
/// A site's own template overrides and archetypes, beside its content.
pub const TEMPLATES_DIR: &str = "templates";
pub const ARCHETYPES_DIR: &str = "archetypes";
/// The glossary file, inside [`CONTENT_DIR`].
pub const GLOSSARY_FILE: &str = "thuat-ngu.toml";

/// The leaflet index; also the leaflet's address under each lesson (`/an-toan/otp/to-roi/`).
pub const LEAFLETS_DIR: &str = "to-roi";
/// The print pack of every leaflet, under [`LEAFLETS_DIR`].
pub const ALL_LEAFLETS: &str = "tat-ca";
/// The glossary page.
pub const GLOSSARY_DIR: &str = "thuat-ngu";
/// The search page.
pub const SEARCH_DIR: &str = "tim-kiem";
/// The A–Z list of every lesson on a large site, under the search page.
pub const SEARCH_ALL_DIR: &str = "tat-ca";
/// The search index files, under the search page.
pub const SEARCH_INDEX_DIR: &str = "du-lieu";

/// Top-level addresses hocso writes pages of its own at: no topic or page may take them.
pub const RESERVED_SLUGS: &[&str] = &[LEAFLETS_DIR, SEARCH_DIR, GLOSSARY_DIR];

/// Ids the templates give elements of their own. A heading in content never takes one: it gets
/// the next free id instead (`main-2`).
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "top",
    "footnotes",
    "search",
    "breadcrumbs",
    "tu-ngu-trong-bai",
    "noi-dung-bai",
    "listen",
    "reader-tools",
    "size-label",
    "theme-label",
    "q",
    "header-q",
    "home-q",
    "search-results",
    "search-status",
    "leaflet-picker",
    "lessons-heading",
    "newest-heading",
    "topics-heading",
    "a-z-heading",
];

/// Prefixes of ids the templates number or name after something (`title-an-toan--otp`). A
/// heading whose id starts with one gets [`RESERVED_PREFIX_ESCAPE`] in front of it.
pub const RESERVED_ID_PREFIXES: &[&str] = &["a-z-", "group-", "help-heading-", "title-"];
/// Put in front of a heading id that starts with a reserved prefix: `title-1` → `muc-title-1`.
pub const RESERVED_PREFIX_ESCAPE: &str = "muc-";

/// Whether content may not use `id` as it is.
pub fn is_reserved_id(id: &str) -> bool {
    RESERVED_IDS.contains(&id) || RESERVED_ID_PREFIXES.iter().any(|p| id.starts_with(p))
}

/// The addresses of hocso's own pages on one site, for templates (`{{ urls.search }}`).
#[derive(Debug, Clone, Serialize)]
pub struct SiteUrls {
    pub home: String,
    pub search: String,
    pub search_all: String,
    pub search_index: String,
    pub glossary: String,
    pub leaflets: String,
    pub leaflets_all: String,
    pub not_found: String,
    pub sitemap: String,
    pub atom: String,
    pub robots: String,
}

impl SiteUrls {
    /// The addresses under `base_path` (`/` or `/hoc/`).
    pub fn new(base_path: &str) -> Self {
        let search = format!("{base_path}{SEARCH_DIR}/");
        let leaflets = format!("{base_path}{LEAFLETS_DIR}/");
        SiteUrls {
            home: base_path.to_owned(),
            search_all: format!("{search}{SEARCH_ALL_DIR}/"),
            search_index: format!("{search}{SEARCH_INDEX_DIR}/"),
            search,
            glossary: format!("{base_path}{GLOSSARY_DIR}/"),
            leaflets_all: format!("{leaflets}{ALL_LEAFLETS}/"),
            leaflets,
            not_found: format!("{base_path}404.html"),
            sitemap: format!("{base_path}sitemap.xml"),
            atom: format!("{base_path}atom.xml"),
            robots: format!("{base_path}robots.txt"),
        }
    }

    /// A topic's print pack: `/to-roi/an-toan/`.
    pub fn leaflet_pack(&self, topic_slug: &str) -> String {
        format!("{}{topic_slug}/", self.leaflets)
    }
}

/// `/an-toan/otp/` → `/an-toan/otp/to-roi/`.
pub fn leaflet_url(lesson_url: &str) -> String {
    format!("{lesson_url}{LEAFLETS_DIR}/")
}

/// A stable id for a lesson's leaflet in a print pack: `/an-toan/otp/` → `an-toan--otp`. The
/// printed content's own ids start with it too, so that they stay unique in a pack.
pub fn leaflet_id(lesson_url: &str) -> String {
    lesson_url.trim_matches('/').replace('/', "--")
}

/// `/duong-dan-cu` or `duong-dan-cu/` → `/base/duong-dan-cu/`.
pub fn normalize_url_path(base: &str, path: &str) -> String {
    let trimmed = path.trim().trim_matches('/');
    if trimmed.is_empty() { base.to_owned() } else { format!("{base}{trimmed}/") }
}

/// Where a URL's file goes in the output: `/a/b/` → `a/b/index.html`, `/404.html` → `404.html`.
pub fn output_path(base_path: &str, url: &str) -> PathBuf {
    if url.ends_with('/') {
        output_dir(base_path, url).join("index.html")
    } else {
        output_dir(base_path, url)
    }
}

/// The output path of a URL, relative to the output folder, without `index.html`.
pub fn output_dir(base_path: &str, url: &str) -> PathBuf {
    PathBuf::from(url.strip_prefix(base_path).unwrap_or(url.trim_start_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths() {
        assert_eq!(output_path("/", "/"), PathBuf::from("index.html"));
        assert_eq!(output_path("/", "/an-toan/otp/"), PathBuf::from("an-toan/otp/index.html"));
        assert_eq!(output_path("/hoc/", "/hoc/404.html"), PathBuf::from("404.html"));
    }

    #[test]
    fn reserved_ids_cover_prefixes() {
        assert!(is_reserved_id("main"));
        assert!(is_reserved_id("title-an-toan--otp"));
        assert!(!is_reserved_id("buoc-1"));
    }

    /// Every literal id a default template writes is reserved, so content cannot repeat it.
    #[test]
    fn template_ids_are_reserved() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for part in text.split("id=\"").skip(1) {
                let id: String = part.chars().take_while(|&c| c != '"' && c != '{').collect();
                let literal_whole = part[id.len()..].starts_with('"');
                let known = if literal_whole {
                    RESERVED_IDS.contains(&id.as_str())
                } else {
                    id.is_empty() || RESERVED_ID_PREFIXES.contains(&id.as_str())
                };
                if !known {
                    missing.push(format!("{}: {id}", entry.path().display()));
                }
            }
        }
        assert!(missing.is_empty(), "template ids not in core::paths: {missing:?}");
    }
}
