//! Stage 1 — read and validate `site.toml`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::paths::CONFIG_FILE;
use crate::pipeline::load::read_source_file;
use crate::pipeline::tomlcheck;

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
        }
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
    let config: Config = tomlcheck::parse(&file, &text, 1)?;
    if !(config.base_url.starts_with("http://") || config.base_url.starts_with("https://")) {
        return Err(Diagnostic::error(
            &file,
            find_key_line(&text, "base_url"),
            1,
            Problem::InvalidValue(format!("base_url = \"{}\" (https://…)", config.base_url)),
        ));
    }
    Ok(config)
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
}
