//! Read and validate `site.toml`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::files::read_source_file;
use crate::core::paths::{self, CONFIG_FILE};
use crate::core::tomlcheck;

/// Everything `site.toml` may say. Unknown keys are an error.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site name, shown in every header and page title.
    pub title: String,
    /// One sentence about the site, for the home page's meta description.
    #[serde(default)]
    pub description: String,
    /// Absolute address the site is published at, e.g. `https://hocso.example.vn/`.
    pub base_url: String,
    /// Language of the content and the UI strings (`vi` or `en`).
    #[serde(default = "default_language")]
    pub language: String,
    /// Theme folder under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Keep raw HTML in Markdown as written instead of sanitizing it.
    #[serde(default)]
    pub unsafe_html: bool,
    /// The help contact shown on every page.
    #[serde(default)]
    pub contact: Contact,
    /// How leaflets are printed.
    #[serde(default)]
    pub leaflet: LeafletConfig,
    /// Upcoming mobile help points ("Bình dân học vụ số lưu động"), printed on leaflets.
    #[serde(default)]
    pub help_points: Vec<HelpPoint>,
    /// What a resident who was just scammed must do at once, shown at the top of the lessons
    /// about scams.
    #[serde(default)]
    pub urgent_help: Option<UrgentHelp>,
    /// Recordings of the lessons made at build time.
    #[serde(default)]
    pub audio: AudioConfig,
    /// Offline reading: a service worker keeps the pages a resident opened or saved, for the
    /// village lanes where the connection drops. `false` writes no worker, and pages then remove
    /// one a browser installed earlier.
    #[serde(default = "yes")]
    pub offline: bool,
    /// Write `.br` and `.gz` copies beside every text file over 1 KB, for a web server that
    /// sends them as they are. Off by default: it triples the files a large site writes.
    #[serde(default)]
    pub precompress: bool,
    /// Other languages the site is translated into, by BCP 47 code (`[languages.en]`). The
    /// site's own `language` is the default and is not listed here.
    #[serde(default)]
    pub languages: std::collections::BTreeMap<String, LanguageConfig>,
}

/// `[languages.<code>]` in site.toml: one translation of the site. Its pages live under
/// `/<code>/`, its content in files with the code before `.md` (`bai.en.md`).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// The site's name in this language; the default language's when empty.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The language's name in itself, shown in the switcher ("English"); a built-in name for
    /// common codes when empty.
    #[serde(default)]
    pub name: String,
    /// A help contact for readers of this language (someone who speaks it); the site's when absent.
    #[serde(default)]
    pub contact: Option<Contact>,
    /// Whether the language switcher offers it. An unlisted translation is still built (for
    /// review before it is announced).
    #[serde(default = "yes")]
    pub listed: bool,
}

fn yes() -> bool {
    true
}

/// Names of common languages in themselves, for the switcher when `name` is not given. A reader
/// looks for their own language written their own way, never translated into Vietnamese.
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("vi", "Tiếng Việt"),
    ("en", "English"),
    ("fr", "Français"),
    ("zh", "中文"),
    ("km", "ខ្មែរ"),
    ("lo", "ລາວ"),
    ("th", "ไทย"),
    ("ko", "한국어"),
    ("ja", "日本語"),
    ("hmn", "Hmoob"),
    ("tay", "Tày"),
    ("nut", "Nùng"),
    ("cjm", "Chăm"),
];

/// The name of language `code` in itself, or the code when hocso does not know it.
pub fn language_name(code: &str) -> String {
    LANGUAGE_NAMES.iter().find(|(c, _)| *c == code).map_or_else(|| code.to_owned(), |(_, n)| (*n).to_owned())
}

/// Whether `code` is a BCP 47 language tag hocso can use as a folder name: a 2–3 letter primary
/// language in lower case, then optional subtags of letters and digits (`en`, `hmn`, `zh-Hant`).
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `[audio]` in site.toml: a recording of every lesson, made by a speech engine at build time,
/// for phones without a Vietnamese voice of their own.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AudioConfig {
    /// The speech engine: `"espeak-ng"`. Without it, no recordings are made.
    #[serde(default)]
    pub engine: Option<AudioEngine>,
    /// How words are said, over the theme's table: `words = { "Zalo" = "da lô" }`.
    #[serde(default)]
    pub words: std::collections::HashMap<String, String>,
}

/// The speech engines hocso can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum AudioEngine {
    /// eSpeak NG (Debian package `espeak-ng`), run as a command.
    #[serde(rename = "espeak-ng")]
    EspeakNg,
}

/// `[urgent_help]` in site.toml: the box "Đã chuyển tiền cho kẻ lạ?" at the top of every lesson
/// with one of `tags`. Minutes count after a scam (a bank can still stop a transfer), so the
/// steps and the police number stand before the lesson, not in the footer.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UrgentHelp {
    /// Lessons with one of these tags show the box (compared without case or marks).
    pub tags: Vec<String>,
    /// Who to report to, e.g. "Công an xã Ngọc Hồi".
    #[serde(default)]
    pub police_name: String,
    /// Their phone number, as printed.
    pub police_phone: String,
}

impl UrgentHelp {
    /// Whether a lesson with these tags shows the box.
    pub fn applies_to(&self, tags: &[String]) -> bool {
        use crate::core::text::fold;
        tags.iter().any(|t| self.tags.iter().any(|u| fold(u.trim()) == fold(t.trim())))
    }
}

/// `[leaflet]` in site.toml.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LeafletConfig {
    /// `"A4"` (default) or `"A5"`.
    #[serde(default)]
    pub paper: crate::assets::leaflet::Paper,
}

/// One `[[help_points]]` entry: where and when trainers will be.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HelpPoint {
    /// Place, e.g. "Nhà văn hóa thôn Đông".
    pub place: String,
    /// Day, written 2026-12-06.
    pub date: toml::value::Datetime,
    /// Hours, e.g. "8 giờ – 11 giờ".
    #[serde(default)]
    pub hours: String,
}

/// The commune's help contact.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub email: String,
}

fn default_language() -> String {
    "vi".into()
}

fn default_theme() -> String {
    "default".into()
}

impl Config {
    /// A stand-in used when `site.toml` itself is broken, so the content can still be checked
    /// and every problem reported in one run. Never used to write a site.
    pub fn placeholder() -> Config {
        Config {
            title: String::new(),
            description: String::new(),
            base_url: "https://example.invalid/".into(),
            language: default_language(),
            theme: default_theme(),
            unsafe_html: false,
            contact: Contact::default(),
            leaflet: LeafletConfig::default(),
            help_points: Vec::new(),
            urgent_help: None,
            audio: AudioConfig::default(),
            offline: true,
            precompress: false,
            languages: Default::default(),
        }
    }

    /// Every language of the site, the default one first.
    pub fn language_codes(&self) -> Vec<String> {
        std::iter::once(self.language.clone()).chain(self.languages.keys().cloned()).collect()
    }

    /// The configuration a translation is built with: its language, and its title,
    /// description and contact where `[languages.<code>]` gives them.
    pub fn for_language(&self, code: &str) -> Config {
        let mut config = self.clone();
        if let Some(lang) = self.languages.get(code) {
            if !lang.title.trim().is_empty() {
                config.title = lang.title.clone();
            }
            if !lang.description.trim().is_empty() {
                config.description = lang.description.clone();
            }
            if let Some(contact) = &lang.contact {
                config.contact = contact.clone();
            }
        }
        config.language = code.to_owned();
        config
    }

    /// The name of language `code` in itself, for the switcher.
    pub fn language_name(&self, code: &str) -> String {
        match self.languages.get(code) {
            Some(lang) if !lang.name.trim().is_empty() => lang.name.clone(),
            _ => language_name(code),
        }
    }

    /// Where the pages of language `code` live: the base path, then the code for a translation
    /// (`/` and `/en/`, or `/hoc-so/` and `/hoc-so/en/`).
    pub fn language_base(&self, code: &str) -> String {
        let base = self.base_path();
        if code == self.language { base } else { format!("{base}{code}/") }
    }

    /// The path part of `base_url`, always starting and ending with `/` (e.g. `/` or `/hoc-so/`).
    ///
    /// Internal links are written with it so a site published under a sub-folder still works.
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map_or(self.base_url.as_str(), |(_, r)| r);
        let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() { "/".into() } else { format!("/{trimmed}/") }
    }

    /// `base_url` without its trailing slash, to glue site paths onto.
    pub fn origin_and_base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// Absolute URL for a site path that already includes the base path.
    pub fn absolute(&self, path: &str) -> String {
        let base = self.base_path();
        let origin = self.origin_and_base();
        let origin = origin.strip_suffix(base.trim_end_matches('/')).unwrap_or(origin);
        format!("{origin}{path}")
    }
}

/// Reads `site.toml` from `root`.
pub fn load(root: &Path) -> Result<Config, Diagnostic> {
    let path = root.join(CONFIG_FILE);
    let file = PathBuf::from(CONFIG_FILE);
    let bytes = read_source_file(&path).map_err(|p| Diagnostic::error(&file, 0, 0, p))?;
    let text = String::from_utf8(bytes).map_err(|_| Diagnostic::error(&file, 0, 0, Problem::InvalidUtf8))?;
    let text = crate::core::text::nfc(&text);
    let mut config: Config = tomlcheck::parse(&file, &text, 1)?;
    config.base_url = checked_base_url(&config.base_url).map_err(|why| {
        Diagnostic::error(&file, find_key_line(&text, "base_url"), 1, Problem::InvalidBaseUrl(why))
    })?;
    if let Err(why) = paths::inside(Some(&root.join(paths::THEMES_DIR)), &config.theme) {
        return Err(Diagnostic::error(
            &file,
            find_key_line(&text, "theme"),
            1,
            Problem::UnsafePath { written: config.theme.clone(), root: paths::THEMES_DIR.into(), why },
        ));
    }
    for code in config.languages.keys() {
        // The code is a folder of the output and a suffix of file names: only a plain tag will do.
        if !is_language_code(code)
            || *code == config.language
            || paths::RESERVED_SLUGS.contains(&code.as_str())
        {
            let line =
                text.lines().position(|l| l.contains(&format!("languages.{code}"))).map_or(0, |i| i + 1);
            return Err(Diagnostic::error(&file, line, 1, Problem::BadLanguageCode(code.clone())));
        }
    }
    Ok(config)
}

/// `base_url` as the `url` crate writes it, if it is an absolute `http(s)` address whose path
/// needed no escaping: it is glued into every link, sitemap entry and feed as it is, so a quote
/// or a space in it would break out of the markup (`https://x.vn/a"><script>`). Otherwise why
/// not, quoting what was written.
fn checked_base_url(written: &str) -> Result<String, String> {
    let quoted = format!("\"{written}\"");
    let url = url::Url::parse(written.trim()).map_err(|e| format!("{quoted} ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(quoted);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("{quoted} (@)"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{quoted} (? #)"));
    }
    // The path as written must be the path as parsed: nothing needed percent-encoding.
    let after_scheme = written.trim().split_once("://").map_or("", |(_, rest)| rest);
    let path_written = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    // And holds only characters that mean the same in every place it is written (no `'`, `&`).
    let plain = |c: char| c.is_ascii_alphanumeric() || "-._~/%".contains(c);
    if path_written != url.path() || !url.path().chars().all(plain) {
        return Err(format!("{quoted} ({})", url.path()));
    }
    Ok(url.into())
}

/// The 1-based line where `key = …` is written, or 0.
fn find_key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.trim_start().strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')))
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base_url: &str) -> Config {
        Config { base_url: base_url.into(), ..Config::placeholder() }
    }

    #[test]
    fn base_path_and_absolute_urls() {
        let c = config("https://hocso.example.vn/");
        assert_eq!(c.base_path(), "/");
        assert_eq!(c.absolute("/an-toan/otp/"), "https://hocso.example.vn/an-toan/otp/");
        let c = config("https://xa.example.vn/hoc-so");
        assert_eq!(c.base_path(), "/hoc-so/");
        assert_eq!(c.absolute("/hoc-so/an-toan/"), "https://xa.example.vn/hoc-so/an-toan/");
    }

    #[test]
    fn base_url_must_be_a_plain_absolute_address() {
        assert_eq!(checked_base_url("https://hocso.example.vn/").as_deref(), Ok("https://hocso.example.vn/"));
        assert_eq!(
            checked_base_url("https://xa.example.vn/hoc-so").as_deref(),
            Ok("https://xa.example.vn/hoc-so")
        );
        assert_eq!(checked_base_url("http://localhost:8080").as_deref(), Ok("http://localhost:8080/"));
        for bad in [
            "https://x.vn/a\"><script>alert(1)</script>",
            "https://x.vn/a b/",
            "https://x.vn/a'b/",
            "https://x.vn/a&quot;b/",
            "https://x.vn/học/",
            "https://x.vn/?q=1",
            "https://x.vn/#top",
            "https://user:pw@x.vn/",
            "javascript:alert(1)",
            "ftp://x.vn/",
            "x.vn",
            "https:///",
        ] {
            assert!(checked_base_url(bad).is_err(), "{bad} was accepted");
        }
    }

    /// The finding of issue 14: a quote in base_url reached glossary links as it was.
    #[test]
    fn a_quote_in_base_url_is_an_error_on_its_line() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "title = \"T\"\nbase_url = \"https://x.vn/a\\\"><script>alert(1)</script>\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let d = load(dir.path()).err().unwrap_or_else(|| panic!("accepted"));
        assert_eq!(d.line, 2);
        assert!(matches!(d.problem, Problem::InvalidBaseUrl(_)), "{d:?}");
        let en = d.render(crate::core::lang::Lang::En);
        assert!(en.contains("https://hocso.xa.gov.vn/"), "{en}");
    }

    #[test]
    fn a_theme_outside_themes_is_an_error_on_its_line() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "title = \"T\"\nbase_url = \"https://x.vn/\"\ntheme = \"../../../t\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let d = load(dir.path()).err().unwrap_or_else(|| panic!("accepted"));
        assert_eq!((d.file.as_path(), d.line), (Path::new(CONFIG_FILE), 3));
        assert!(
            matches!(&d.problem, Problem::UnsafePath { why: paths::Unsafe::Parent, root, .. } if root == "themes"),
            "{d:?}"
        );
    }
}
