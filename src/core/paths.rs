//! Every path hocso knows by name, defined once: the folders of a site's sources, the addresses
//! of the pages hocso makes itself, and the ids its templates use.
//!
//! Rust code uses the constants; templates receive them as `urls` (see [`SiteUrls`]), so no
//! address is spelt in two places and a heading can never take an id a template uses.

use std::path::{Component, Path, PathBuf};

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

/// The leaflet index and print packs. Each lesson's page prints as its own leaflet; the
/// leaflet's old address under the lesson (`/an-toan/otp/to-roi/`) is sent on by the 404 page.
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
/// Step-by-step journeys: their sources (`content/lo-trinh/<slug>.md`) and their pages
/// (`/lo-trinh/<slug>/`), each with a printable checklist under [`LEAFLETS_DIR`].
pub const JOURNEYS_DIR: &str = "lo-trinh";
/// "Bài tôi đã học": the lessons a reader marked as learnt, kept on their phone only.
pub const PROGRESS_DIR: &str = "bai-da-hoc";

/// The saved-lessons page ("Bài đã lưu"), listing what the offline worker keeps.
pub const SAVED_DIR: &str = "bai-da-luu";
/// The page the offline worker shows for a page that was not saved ("không có mạng").
pub const OFFLINE_DIR: &str = "khong-co-mang";

/// Top-level addresses hocso writes pages of its own at: no topic or page may take them.
/// The help-point calendar; each village's under it (`/diem-ho-tro/thon-dong/`).
pub const HELP_POINTS_DIR: &str = "diem-ho-tro";
/// The calendar file of all help points, and of each village's, in their folders.
pub const CALENDAR_FILE: &str = "lich.ics";
/// The poster of a month's help points, under [`HELP_POINTS_DIR`]: `ap-phich-2026-12/`.
pub const POSTER_PREFIX: &str = "ap-phich-";
/// The quarterly results; each quarter's under it (`/ket-qua/2026-q4/`).
pub const RESULTS_DIR: &str = "ket-qua";
/// A quarter's printable report, under the quarter's address.
pub const REPORT_DIR: &str = "in";

/// Top-level addresses hocso writes pages of its own at: no topic or page may take them.
pub const RESERVED_SLUGS: &[&str] = &[
    LEAFLETS_DIR,
    SEARCH_DIR,
    GLOSSARY_DIR,
    SAVED_DIR,
    OFFLINE_DIR,
    HELP_POINTS_DIR,
    RESULTS_DIR,
    JOURNEYS_DIR,
    PROGRESS_DIR,
];
/// The page a server shows for an address that does not exist.
pub const NOT_FOUND_FILE: &str = "404.html";
pub const SITEMAP_FILE: &str = "sitemap.xml";
pub const ATOM_FILE: &str = "atom.xml";
pub const ROBOTS_FILE: &str = "robots.txt";
/// Files hocso writes at the top of the output; no alias may be written over them.
pub const RESERVED_FILES: &[&str] = &[
    NOT_FOUND_FILE,
    SITEMAP_FILE,
    ATOM_FILE,
    ROBOTS_FILE,
    SERVICE_WORKER_FILE,
    MANIFEST_FILE,
    ICON_192_FILE,
    ICON_512_FILE,
];
/// The offline service worker, at the top of the site so its scope is the whole site.
pub const SERVICE_WORKER_FILE: &str = "sw.js";
/// The web app manifest ("Thêm vào màn hình chính").
pub const MANIFEST_FILE: &str = "manifest.webmanifest";
/// The manifest's icons, made from the site's icon.
pub const ICON_192_FILE: &str = "icon-192.png";
pub const ICON_512_FILE: &str = "icon-512.png";

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
    "urgent-title",
    "save-lesson",
    "save-status",
    "saved-list",
    "saved-status",
    "offline-saved-heading",
    "help-points-heading",
    "village-filter-title",
    "upcoming-title",
    "past-title",
    "poster-title",
    "quarter-nav-title",
    "quarter-title",
    "activity-title",
    "activity-caption",
    "trend-title",
    "report-title",
    RECORDING_ID,
    "journeys-heading",
    "journey-title",
];

/// Prefixes of ids the templates number or name after something (`title-an-toan--otp`). A
/// heading whose id starts with one gets [`RESERVED_PREFIX_ESCAPE`] in front of it.
pub const RESERVED_ID_PREFIXES: &[&str] =
    &["a-z-", "group-", "help-heading-", "title-", TERM_ID_PREFIX, JOURNEY_STEP_ID_PREFIX, "journey-box-"];
/// Prefix of a step's id on a journey page (`lo-trinh-buoc-2`), which lessons, QR codes and
/// the journey boxes link to.
pub const JOURNEY_STEP_ID_PREFIX: &str = "lo-trinh-buoc-";
/// Prefix of a glossary term's entry in a lesson's word list (`nghia-otp`, "meaning of OTP"),
/// which the term's links in the lesson point to.
pub const TERM_ID_PREFIX: &str = "nghia-";
/// Put in front of a heading id that starts with a reserved prefix: `title-1` → `muc-title-1`.
pub const RESERVED_PREFIX_ESCAPE: &str = "muc-";

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
    pub saved: String,
    pub offline: String,
    pub service_worker: String,
    pub manifest: String,
    pub help_points: String,
    pub help_points_calendar: String,
    pub results: String,
    /// The reader's own list of learnt lessons.
    pub progress: String,
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
            not_found: format!("{base_path}{NOT_FOUND_FILE}"),
            sitemap: format!("{base_path}{SITEMAP_FILE}"),
            atom: format!("{base_path}{ATOM_FILE}"),
            robots: format!("{base_path}{ROBOTS_FILE}"),
            saved: format!("{base_path}{SAVED_DIR}/"),
            offline: format!("{base_path}{OFFLINE_DIR}/"),
            service_worker: format!("{base_path}{SERVICE_WORKER_FILE}"),
            manifest: format!("{base_path}{MANIFEST_FILE}"),
            help_points: format!("{base_path}{HELP_POINTS_DIR}/"),
            help_points_calendar: format!("{base_path}{HELP_POINTS_DIR}/{CALENDAR_FILE}"),
            results: format!("{base_path}{RESULTS_DIR}/"),
            progress: format!("{base_path}{PROGRESS_DIR}/"),
        }
    }

    /// One village's help points: `/diem-ho-tro/thon-dong/`.
    pub fn village_help_points(&self, village_slug: &str) -> String {
        format!("{}{village_slug}/", self.help_points)
    }

    /// One help point's calendar file: `/diem-ho-tro/2026-12-05-thon-dong-0800.ics`.
    pub fn help_point_event(&self, id: &str) -> String {
        format!("{}{id}.ics", self.help_points)
    }

    /// The poster of a month: `/diem-ho-tro/ap-phich-2026-12/`.
    pub fn help_points_poster(&self, year: i32, month: u32) -> String {
        format!("{}{POSTER_PREFIX}{year}-{month:02}/", self.help_points)
    }

    /// One quarter's results: `/ket-qua/2026-q4/`.
    pub fn quarter(&self, slug: &str) -> String {
        format!("{}{slug}/", self.results)
    }

    /// A topic's print pack: `/to-roi/an-toan/`.
    pub fn leaflet_pack(&self, topic_slug: &str) -> String {
        format!("{}{topic_slug}/", self.leaflets)
    }
}

/// The folder word of the second and later pages of a long list: `/an-toan/trang-2/`.
pub const LIST_PAGE_DIR: &str = "trang";

/// Page `n` (from 1) of the list first shown at `first`: `/an-toan/` → `/an-toan/trang-2/`.
pub fn list_page_url(first: &str, n: usize) -> String {
    if n <= 1 { first.to_owned() } else { format!("{first}{LIST_PAGE_DIR}-{n}/") }
}

/// Whether `slug` is the address of a list page (`trang-2`), which no lesson may take.
pub fn is_list_page_slug(slug: &str) -> bool {
    slug.strip_prefix(LIST_PAGE_DIR)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `/an-toan/otp/` → `/an-toan/otp/to-roi/`: where a lesson's leaflet had a page of its own.
/// Printed sheets and bookmarks still lead there, so no alias may take it: the 404 page sends
/// it on to the lesson, which prints as the leaflet now.
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

/// Why a path written by a user (an image, a file, an alias, a theme) cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unsafe {
    /// A `..` part (however it was written: `%2e%2e` is decoded before it gets here).
    Parent,
    /// A drive, a root or a `\`, which `Path::join` would follow out of the folder.
    Absolute,
    /// A symbolic link on the way leads out of the folder.
    Symlink,
    /// A character that would break out of the markup or the address the path is written into.
    Char(char),
}

/// THE way a path a user wrote is resolved below the folder it belongs to (`static/` for
/// `/anh/logo.png`, the output for an alias, `themes/` for a theme name): the clean relative
/// path, or why it would reach outside. A leading `/` means "from the top of that folder".
///
/// `written` is already percent-decoded (so `%2e%2e` arrives as `..`). Refused: a `..` part, a
/// drive or root part, a `\` (a separator on Windows, so `..\x` would escape there), control
/// characters and `"` `<` `>` `` ` `` (which would end the `src="…"` the address is written into).
/// With `root` given, a symbolic link on the way must lead to a place inside `root`; `None` is
/// for addresses of files that do not exist yet (aliases).
pub fn inside(root: Option<&Path>, written: &str) -> Result<PathBuf, Unsafe> {
    if let Some(c) = written.chars().find(|&c| c.is_control() || matches!(c, '"' | '<' | '>' | '`')) {
        return Err(Unsafe::Char(c));
    }
    if written.contains('\\') {
        return Err(Unsafe::Absolute);
    }
    let rel = below(Path::new(written.trim_start_matches('/')))?;
    if let Some(root) = root {
        no_symlink_out(root, &rel)?;
    }
    Ok(rel)
}

/// `rel` with `.` parts dropped, if every other part is a plain name. Also the last guard of
/// every file hocso writes: a path built from user input can never leave the output folder.
pub fn below(rel: &Path) -> Result<PathBuf, Unsafe> {
    let mut out = PathBuf::new();
    for part in rel.components() {
        match part {
            Component::Normal(name) => out.push(name),
            Component::CurDir => {}
            Component::ParentDir => return Err(Unsafe::Parent),
            Component::RootDir | Component::Prefix(_) => return Err(Unsafe::Absolute),
        }
    }
    Ok(out)
}

/// Fails when a symbolic link among the existing parts of `root/rel` resolves outside `root`.
fn no_symlink_out(root: &Path, rel: &Path) -> Result<(), Unsafe> {
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&at) else { return Ok(()) };
        if meta.file_type().is_symlink() {
            let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
            match std::fs::canonicalize(&at) {
                Ok(real) if real.starts_with(&real_root) => {}
                _ => return Err(Unsafe::Symlink),
            }
        }
    }
    Ok(())
}

/// A lesson's recording made at build time, beside its page: `/an-toan/otp/nghe.opus`.
pub const RECORDING_FILE: &str = "nghe.opus";
/// The id of a lesson's recording player: the leaflet's QR code leads to `…/#nghe`, where the
/// player comes first and starts with one tap.
pub const RECORDING_ID: &str = "nghe";

/// `/an-toan/otp/` → `/an-toan/otp/nghe.opus`.
pub fn recording_url(lesson_url: &str) -> String {
    format!("{lesson_url}{RECORDING_FILE}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_pages() {
        assert_eq!(list_page_url("/an-toan/", 1), "/an-toan/");
        assert_eq!(list_page_url("/an-toan/", 2), "/an-toan/trang-2/");
        assert!(is_list_page_slug("trang-12"));
        assert!(
            !is_list_page_slug("trang-") && !is_list_page_slug("trang-chu") && !is_list_page_slug("trang")
        );
    }

    #[test]
    fn output_paths() {
        assert_eq!(output_path("/", "/"), PathBuf::from("index.html"));
        assert_eq!(output_path("/", "/an-toan/otp/"), PathBuf::from("an-toan/otp/index.html"));
        assert_eq!(output_path("/hoc/", "/hoc/404.html"), PathBuf::from("404.html"));
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

    #[test]
    fn inside_refuses_every_way_out() {
        assert_eq!(inside(None, "/anh/./logo.png"), Ok(PathBuf::from("anh/logo.png")));
        assert_eq!(inside(None, "/"), Ok(PathBuf::new()));
        assert_eq!(inside(None, "/../../../../outside/secret.png"), Err(Unsafe::Parent));
        assert_eq!(inside(None, "a/b/../../../x"), Err(Unsafe::Parent));
        assert_eq!(inside(None, "..\\..\\x"), Err(Unsafe::Absolute));
        assert_eq!(inside(None, "x\" onerror=\"alert(1)/a.png"), Err(Unsafe::Char('"')));
        assert_eq!(inside(None, "a\nb"), Err(Unsafe::Char('\n')));
        assert_eq!(below(Path::new("/etc/passwd")), Err(Unsafe::Absolute));
        assert_eq!(below(Path::new("a/../../b")), Err(Unsafe::Parent));
    }

    #[cfg(unix)]
    #[test]
    fn inside_refuses_a_symlink_out_and_keeps_one_within() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().join("static");
        std::fs::create_dir_all(root.join("that")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(dir.path().join("outside")).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(dir.path().join("outside"), root.join("out"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(root.join("that"), root.join("here")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(inside(Some(&root), "/out/secret.png"), Err(Unsafe::Symlink));
        assert_eq!(inside(Some(&root), "here/a.png"), Ok(PathBuf::from("here/a.png")));
        assert_eq!(inside(Some(&root), "not-there/a.png"), Ok(PathBuf::from("not-there/a.png")));
    }
}
