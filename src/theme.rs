//! The theme: templates, UI strings, icons and static files, with the site's overrides.
//!
//! A site can replace any theme template by putting a file of the same name in its own
//! `templates/` folder; everything else comes from `themes/<name>/`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Problem, relative};
use crate::markdown::Labels;

/// A loaded theme, ready to render with.
pub struct Theme {
    /// The theme folder, e.g. `<root>/themes/default`.
    pub dir: PathBuf,
    /// One Tera instance for the whole build, autoescaping HTML and XML.
    pub tera: Tera,
    /// UI strings of the site's language (`i18n/<language>.toml`).
    pub strings: BTreeMap<String, String>,
    /// Icon name → inline SVG markup (`icons/<name>.svg`).
    pub icons: HashMap<String, String>,
}

/// Loads the theme named in the config, with overrides from `<root>/templates/`.
pub fn load(root: &Path, name: &str, language: &str) -> Result<Theme, Vec<Diagnostic>> {
    let dir = root.join("themes").join(name);
    if !dir.is_dir() {
        return Err(vec![Diagnostic::error(
            crate::config::CONFIG_FILE,
            0,
            0,
            Problem::ThemeMissing(relative(root, &dir).display().to_string()),
        )]);
    }
    let mut problems = Vec::new();

    // Theme templates first, then the site's: a later file with the same name wins.
    let mut sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
    for folder in [dir.join("templates"), root.join("templates")] {
        for (name, path) in files_under(&folder) {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    sources.insert(name, (path, text));
                }
                Err(e) => {
                    problems.push(Diagnostic::error(relative(root, &path), 0, 0, Problem::Io(e.to_string())))
                }
            }
        }
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_markup);
    let raw: Vec<(&str, &str)> = sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())).collect();
    if let Err(e) = tera.add_raw_templates(raw) {
        let message = error_chain(&e);
        let file = sources
            .iter()
            .find(|(n, _)| message.contains(&format!("'{n}'")))
            .map_or_else(|| relative(root, &dir.join("templates")), |(_, (p, _))| relative(root, p));
        problems.push(Diagnostic::error(file, 0, 0, Problem::Template(message)));
    }

    let i18n = dir.join("i18n").join(format!("{language}.toml"));
    let strings = match std::fs::read_to_string(&i18n) {
        Ok(text) => match toml::from_str::<BTreeMap<String, String>>(&text) {
            Ok(s) => s,
            Err(e) => {
                problems.push(Diagnostic::error(
                    relative(root, &i18n),
                    0,
                    0,
                    Problem::TomlSyntax(e.message().to_owned()),
                ));
                BTreeMap::new()
            }
        },
        Err(_) => {
            problems.push(Diagnostic::error(relative(root, &i18n), 0, 0, Problem::MissingFile));
            BTreeMap::new()
        }
    };

    let mut icons = HashMap::new();
    for (name, path) in files_under(&dir.join("icons")) {
        if let (Some(stem), Ok(svg)) = (name.strip_suffix(".svg"), std::fs::read_to_string(&path)) {
            icons.insert(stem.to_owned(), svg.trim().to_owned());
        }
    }

    if problems.is_empty() { Ok(Theme { dir, tera, strings, icons }) } else { Err(problems) }
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
        }
    }

    /// The theme's own static files (`themes/<name>/static/`).
    pub fn static_dir(&self) -> PathBuf {
        self.dir.join("static")
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

/// Escapes text for HTML and XML. Tera's default also escapes `/`, which is not needed and
/// makes every URL in a page longer and harder to read.
fn escape_markup(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
