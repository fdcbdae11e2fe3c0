//! The theme: templates, UI strings, icons, archetypes and static files, with the site's
//! overrides.
//!
//! A theme is read from `<site>/themes/<name>/`. The default theme is also built into the
//! binary, so `cargo install hocso && hocso init mysite && hocso serve` works anywhere: when a
//! site has no `themes/default/` folder, the built-in copy is used. A site can replace any
//! template by putting a file of the same name in its own `templates/` folder.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use tera::Tera;
use walkdir::WalkDir;

use crate::core::diagnostic::{Diagnostic, Problem, relative};
use crate::core::paths::{self, THEMES_DIR};

/// Words the renderer writes into pages, taken from the theme's i18n file.
#[derive(Clone, Debug)]
pub struct Labels {
    pub note: String,
    pub tip: String,
    pub important: String,
    pub warning: String,
    pub caution: String,
    pub external: String,
    pub table: String,
    pub done: String,
    pub not_done: String,
    pub full_image: String,
    /// Self-check questions: the label over each, the `<details>` summary, "the right answer
    /// is", the verdicts, and the answers line of a leaflet.
    pub quiz_title: String,
    pub quiz_show: String,
    pub quiz_answer: String,
    pub quiz_yes: String,
    pub quiz_no: String,
    pub quiz_answers: String,
}

#[cfg(test)]
impl Labels {
    /// The Vietnamese words, for tests of what Markdown becomes.
    pub fn for_tests() -> Labels {
        Labels {
            note: "Lưu ý".into(),
            tip: "Mẹo".into(),
            important: "Quan trọng".into(),
            warning: "Cảnh báo lừa đảo".into(),
            caution: "Cẩn thận".into(),
            external: "(mở trang ngoài)".into(),
            table: "Bảng".into(),
            done: "Đã xong:".into(),
            not_done: "Chưa làm:".into(),
            full_image: "Xem ảnh lớn".into(),
            quiz_title: "Tự kiểm tra".into(),
            quiz_show: "Xem đáp án".into(),
            quiz_answer: "Đáp án đúng:".into(),
            quiz_yes: "Đúng.".into(),
            quiz_no: "Chưa đúng.".into(),
            quiz_answers: "Đáp án:".into(),
        }
    }
}

/// The default theme, built into the binary.
static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Name of the built-in theme.
pub const DEFAULT_NAME: &str = "default";

/// A loaded theme, ready to render with.
pub struct Theme {
    /// Where the theme came from, for messages (`themes/default` or "built-in").
    pub origin: PathBuf,
    /// One Tera instance for the whole build, autoescaping HTML and XML.
    pub tera: Tera,
    /// UI strings of the site's language (`i18n/<language>.toml`).
    pub strings: BTreeMap<String, String>,
    /// Icon name → inline SVG markup (`icons/<name>.svg`).
    pub icons: HashMap<String, String>,
    /// Files of `static/`, by path below it, with their bytes.
    pub static_files: Files,
    /// Template file → where it came from (site override or theme), for messages.
    template_origins: BTreeMap<String, PathBuf>,
    /// The hash of every template's name and text: a page is rendered again when this changes.
    pub templates_hash: crate::core::digest::Digest,
    /// Keys the language's i18n file lacks, shown in the default language instead.
    pub missing_strings: Vec<String>,
    /// `speech/<language>.toml` (where it is, its text): how recordings say words.
    pub speech: Option<(PathBuf, String)>,
}

/// Files as (path with `/` separators, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// Every file of a theme, and where the theme came from (for messages). A name that would
/// leave `themes/` (`../../t`, a symlink out) finds no theme: config::load has already said why.
pub fn theme_files(root: &Path, name: &str) -> Option<(PathBuf, Files)> {
    let themes = root.join(THEMES_DIR);
    let dir = themes.join(paths::inside(Some(&themes), name).ok()?);
    if dir.is_dir() && dir != themes {
        let files = files_under(&dir)
            .into_iter()
            .filter_map(|(rel, path)| std::fs::read(&path).ok().map(|b| (rel, b)))
            .collect();
        return Some((relative(root, &dir), files));
    }
    (name == DEFAULT_NAME).then(|| (PathBuf::from("(hocso built-in theme)"), embedded_files()))
}

/// The built-in default theme's files.
pub fn embedded_files() -> Files {
    let mut out = Vec::new();
    let mut stack = vec![&DEFAULT_THEME];
    while let Some(dir) = stack.pop() {
        for entry in dir.entries() {
            match entry {
                include_dir::DirEntry::Dir(d) => stack.push(d),
                include_dir::DirEntry::File(f) => {
                    out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents().to_vec()));
                }
            }
        }
    }
    out.sort();
    out
}

/// Loads the theme named in the config, with overrides from `<root>/templates/`, and the UI
/// strings of `language`. A translation's strings fall back one by one to those of `default`
/// (the site's own language): a theme not yet translated into Hmong still builds a Hmong site,
/// and [`Theme::missing_strings`] says what is left to translate.
pub fn load(root: &Path, name: &str, language: &str, default: &str) -> Result<Theme, Vec<Diagnostic>> {
    let Some((origin, files)) = theme_files(root, name) else {
        return Err(vec![Diagnostic::error(
            crate::core::paths::CONFIG_FILE,
            0,
            0,
            Problem::ThemeMissing(format!("{THEMES_DIR}/{name}")),
        )]);
    };
    let mut problems = Vec::new();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();

    // Theme templates first, then the site's: a later file with the same name wins.
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    let mut template_origins = BTreeMap::new();
    for (rel, bytes) in &files {
        if let Some(name) = rel.strip_prefix("templates/") {
            sources.insert(name.to_owned(), text(bytes));
            template_origins.insert(name.to_owned(), origin.join(rel));
        }
    }
    for (name, path) in files_under(&root.join(crate::core::paths::TEMPLATES_DIR)) {
        // Through the one reader of user files: a template that is a pipe must not hang the build.
        let read = crate::core::files::read_source_file(&path)
            .and_then(|bytes| String::from_utf8(bytes).map_err(|_| Problem::InvalidUtf8));
        match read {
            Ok(t) => {
                sources.insert(name.clone(), t);
                template_origins.insert(name, relative(root, &path));
            }
            Err(problem) => problems.push(Diagnostic::error(relative(root, &path), 0, 0, problem)),
        }
    }
    let mut hasher = crate::core::digest::Hasher::new();
    for (name, text) in &sources {
        hasher.update(name.as_bytes());
        hasher.update(&[0]);
        hasher.update(text.as_bytes());
        hasher.update(&[0]);
    }
    let templates_hash = hasher.finish();
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(crate::core::html::escape);
    let raw: Vec<(&str, &str)> = sources.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    if let Err(e) = tera.add_raw_templates(raw) {
        let message = error_chain(&e);
        let file = template_origins
            .iter()
            .find(|(n, _)| message.contains(&format!("'{n}'")))
            .map_or_else(|| origin.join(crate::core::paths::TEMPLATES_DIR), |(_, p)| p.clone());
        problems.push(Diagnostic::error(file, 0, 0, Problem::Template(message)));
    }

    let mut read_strings = |code: &str, required: bool| {
        let i18n = format!("i18n/{code}.toml");
        match files.iter().find(|(rel, _)| *rel == i18n) {
            Some((_, bytes)) => match toml::from_str::<BTreeMap<String, String>>(&text(bytes)) {
                Ok(s) => Some(s),
                Err(e) => {
                    problems.push(Diagnostic::error(
                        origin.join(&i18n),
                        0,
                        0,
                        Problem::TomlSyntax(crate::core::diagnostic::TomlMistake::from_parser(e.message())),
                    ));
                    None
                }
            },
            None if required => {
                problems.push(Diagnostic::error(origin.join(&i18n), 0, 0, Problem::MissingFile));
                None
            }
            None => None,
        }
    };
    let (strings, missing_strings) = if language == default {
        (read_strings(language, true).unwrap_or_default(), Vec::new())
    } else {
        let fallback = read_strings(default, true).unwrap_or_default();
        let mut own = read_strings(language, false).unwrap_or_default();
        let missing: Vec<String> = fallback.keys().filter(|k| !own.contains_key(*k)).cloned().collect();
        for key in &missing {
            own.insert(key.clone(), fallback[key].clone());
        }
        (own, missing)
    };

    let icons = files
        .iter()
        .filter_map(|(rel, bytes)| {
            let name = rel.strip_prefix("icons/")?.strip_suffix(".svg")?;
            Some((name.to_owned(), text(bytes).trim().to_owned()))
        })
        .collect();
    let speech_file = format!("speech/{language}.toml");
    let speech =
        files.iter().find(|(rel, _)| *rel == speech_file).map(|(rel, b)| (origin.join(rel), text(b)));
    let static_files = files
        .into_iter()
        .filter_map(|(rel, bytes)| rel.strip_prefix("static/").map(|r| (r.to_owned(), bytes)))
        .collect();

    if problems.is_empty() {
        Ok(Theme {
            origin,
            tera,
            strings,
            icons,
            static_files,
            template_origins,
            templates_hash,
            missing_strings,
            speech,
        })
    } else {
        Err(problems)
    }
}

impl Theme {
    /// A UI string; the key itself when the i18n file lacks it (visible, so it gets noticed).
    pub fn t(&self, key: &str) -> String {
        self.strings.get(key).cloned().unwrap_or_else(|| key.to_owned())
    }

    /// The words the Markdown renderer writes into pages.
    pub fn labels(&self) -> Labels {
        Labels {
            note: self.t("callout_note"),
            tip: self.t("callout_tip"),
            important: self.t("callout_important"),
            warning: self.t("callout_warning"),
            caution: self.t("callout_caution"),
            external: self.t("external_link"),
            table: self.t("table_label"),
            done: self.t("task_done"),
            not_done: self.t("task_not_done"),
            full_image: self.t("image_full"),
            quiz_title: self.t("quiz_title"),
            quiz_show: self.t("quiz_show"),
            quiz_answer: self.t("quiz_answer"),
            quiz_yes: self.t("quiz_yes"),
            quiz_no: self.t("quiz_no"),
            quiz_answers: self.t("quiz_answers"),
        }
    }

    /// The file a template came from (the site's override, or the theme's), for messages.
    pub fn template_path(&self, name: &str) -> PathBuf {
        self.template_origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| self.origin.join(crate::core::paths::TEMPLATES_DIR).join(name))
    }
}

/// Files below `folder` as (name relative to it with `/` separators, full path), sorted.
pub fn files_under(folder: &Path) -> Vec<(String, PathBuf)> {
    if !folder.is_dir() {
        return Vec::new();
    }
    WalkDir::new(folder)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(folder).ok()?;
            let name = rel.to_string_lossy().replace('\\', "/");
            if name.split('/').any(|p| p.starts_with('.')) {
                return None;
            }
            Some((name, e.path().to_path_buf()))
        })
        .collect()
}

/// A Tera error with all its causes, which is where Tera puts the useful part.
pub fn error_chain(err: &tera::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_theme_matches_the_repository_copy() {
        let embedded = embedded_files();
        let names: Vec<&str> = embedded.iter().map(|(n, _)| n.as_str()).collect();
        for needed in
            ["templates/base.html", "i18n/vi.toml", "i18n/en.toml", "static/css/hocso.css", "icons/ai.svg"]
        {
            assert!(names.contains(&needed), "{needed} missing from {names:?}");
        }
    }
}
