//! Split front matter from Markdown and deserialize it, keeping line numbers.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::tomlcheck;
use crate::pipeline::load::{Kind, Source};

/// The front matter fence.
const FENCE: &str = "+++";

/// Front matter of `content/_index.md`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeMeta {
    /// Heading of the home page; the site title when absent.
    #[serde(default)]
    pub title: Option<String>,
    /// Meta description of the home page; the site description when absent.
    #[serde(default)]
    pub description: Option<String>,
}

/// Front matter of `content/<topic>/_index.md`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicMeta {
    pub title: String,
    /// One sentence shown on the home page tile and in the meta description.
    pub description: String,
    /// Name of an icon of the theme (`templates/icons/<icon>.svg`).
    #[serde(default)]
    pub icon: String,
    #[serde(default)]
    pub weight: i64,
}

/// Front matter of a standalone page (`content/<name>.md`), listed in every footer.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    pub title: String,
    /// One sentence for the meta description and link previews.
    pub summary: String,
    #[serde(default)]
    pub updated: Option<toml::value::Datetime>,
    /// Order in the footer.
    #[serde(default)]
    pub weight: i64,
}

/// Front matter of a lesson.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LessonMeta {
    pub title: String,
    /// One sentence: shown in lists, search results and the meta description.
    pub summary: String,
    #[serde(default)]
    pub updated: Option<toml::value::Datetime>,
    /// `co-ban` (basic) or `nang-cao` (advanced).
    #[serde(default)]
    pub level: Option<String>,
    /// Minutes a resident needs for the lesson.
    #[serde(default)]
    pub duration: Option<u32>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub draft: bool,
    /// Whether the lesson gets a printable leaflet.
    #[serde(default = "yes")]
    pub leaflet: bool,
    /// Old addresses that should still lead to this lesson.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A shorter Markdown version printed on the leaflet instead of the whole lesson.
    #[serde(default)]
    pub leaflet_summary: Option<String>,
    /// A recording of the lesson read aloud: a file beside a bundle's index.md, or `/…` in static/.
    #[serde(default)]
    pub audio: Option<String>,
    /// The last part of the lesson's address, instead of the file's name: a translation's own
    /// words (`slug = "protect-your-otp"`).
    #[serde(default)]
    pub slug: Option<String>,
}

fn yes() -> bool {
    true
}

/// The two levels a lesson may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    CoBan,
    NangCao,
}

impl Level {
    fn parse(value: &str) -> Option<Level> {
        match value.trim() {
            "co-ban" => Some(Level::CoBan),
            "nang-cao" => Some(Level::NangCao),
            _ => None,
        }
    }
}

/// Front matter of any page, by kind.
#[derive(Clone, Debug)]
pub enum Meta {
    Home(HomeMeta),
    Topic(TopicMeta),
    Lesson { meta: LessonMeta, level: Option<Level>, updated: Option<NaiveDate> },
    Page(PageMeta),
}

/// A page whose front matter has been read.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub path: PathBuf,
    pub kind: Kind,
    pub meta: Meta,
    /// The Markdown after the front matter.
    pub body: String,
    /// Line of `path` on which `body` starts, to report Markdown problems at the right place.
    pub body_line: usize,
    /// The translation's language; `None` for the site's own language.
    pub lang: Option<String>,
}

/// The parts of a page file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub front: &'a str,
    pub front_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

/// Splits `+++` front matter from the body. The fence must be the first line.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, 0, 0, Problem::EmptyFile));
    }
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != FENCE {
        return Err(Diagnostic::error(path, 1, 1, Problem::FrontMatterMissing));
    }
    let mut offset = first_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1);
        if text[offset..end].trim_end() == FENCE {
            return Ok(Split {
                front: &text[first_end..offset],
                front_line: 2,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(Diagnostic::error(path, 1, 1, Problem::FrontMatterUnclosed))
}

/// Reads the front matter of one source file.
pub fn parse(source: &Source) -> Result<Parsed, Vec<Diagnostic>> {
    let parts = split(&source.path, &source.text).map_err(|d| vec![d])?;
    let path = &source.path;
    let meta = match &source.kind {
        Kind::Home => Meta::Home(tomlcheck::parse(path, parts.front, parts.front_line).map_err(|d| vec![d])?),
        Kind::Topic { .. } => {
            let meta: TopicMeta =
                tomlcheck::parse(path, parts.front, parts.front_line).map_err(|d| vec![d])?;
            let mut problems = Vec::new();
            require_text(path, parts.front, parts.front_line, "title", &meta.title, &mut problems);
            require_text(
                path,
                parts.front,
                parts.front_line,
                "description",
                &meta.description,
                &mut problems,
            );
            if !problems.is_empty() {
                return Err(problems);
            }
            Meta::Topic(meta)
        }
        // A journey's front matter says what a page's does: title, summary, date, order.
        Kind::Page { .. } | Kind::Journey { .. } => {
            let meta: PageMeta =
                tomlcheck::parse(path, parts.front, parts.front_line).map_err(|d| vec![d])?;
            let mut problems = Vec::new();
            require_text(path, parts.front, parts.front_line, "title", &meta.title, &mut problems);
            require_text(path, parts.front, parts.front_line, "summary", &meta.summary, &mut problems);
            if !problems.is_empty() {
                return Err(problems);
            }
            Meta::Page(meta)
        }
        Kind::Lesson { .. } => {
            let meta: LessonMeta =
                tomlcheck::parse(path, parts.front, parts.front_line).map_err(|d| vec![d])?;
            lesson_meta(path, &parts, meta)?
        }
    };
    let body = parts.body.to_owned();
    let body_line = parts.body_line;
    Ok(Parsed {
        path: source.path.clone(),
        kind: source.kind.clone(),
        meta,
        body,
        body_line,
        lang: source.lang.clone(),
    })
}

fn lesson_meta(path: &Path, parts: &Split<'_>, meta: LessonMeta) -> Result<Meta, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    require_text(path, parts.front, parts.front_line, "title", &meta.title, &mut problems);
    require_text(path, parts.front, parts.front_line, "summary", &meta.summary, &mut problems);
    let level = match meta.level.as_deref() {
        None => None,
        Some(value) => {
            let level = Level::parse(value);
            if level.is_none() {
                problems.push(Diagnostic::error(
                    path,
                    key_line(parts.front, parts.front_line, "level"),
                    1,
                    Problem::InvalidLevel(value.to_owned()),
                ));
            }
            level
        }
    };
    let updated = match &meta.updated {
        None => None,
        Some(dt) => {
            let date = dt.date.filter(|_| dt.time.is_none()).and_then(|d| {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            });
            if date.is_none() {
                problems.push(Diagnostic::error(
                    path,
                    key_line(parts.front, parts.front_line, "updated"),
                    1,
                    Problem::InvalidValue(format!("updated = {dt} (2026-11-25)")),
                ));
            }
            date
        }
    };
    if problems.is_empty() { Ok(Meta::Lesson { meta, level, updated }) } else { Err(problems) }
}

/// A required text key that is present but blank is as missing as an absent one.
fn require_text(
    path: &Path,
    front: &str,
    first_line: usize,
    key: &str,
    value: &str,
    out: &mut Vec<Diagnostic>,
) {
    if value.trim().is_empty() {
        out.push(Diagnostic::error(
            path,
            key_line(front, first_line, key),
            1,
            Problem::MissingKey(key.into()),
        ));
    }
}

/// Line (in the file) where `key = …` is written in the front matter, or the fence line.
fn key_line(front: &str, first_line: usize, key: &str) -> usize {
    front
        .lines()
        .position(|l| l.trim_start().strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')))
        .map_or(first_line - 1, |i| first_line + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(text: &str) -> Result<Parsed, Vec<Diagnostic>> {
        parse(&Source {
            path: "content/a/b.md".into(),
            kind: Kind::Lesson { topic_dir: "a".into(), name: "b".into(), bundle: false },
            text: text.into(),
            was_nfc: true,
            lang: None,
        })
    }

    #[test]
    fn split_keeps_line_numbers() {
        let s = split(Path::new("x"), "+++\ntitle = \"A\"\n+++\n# Body\n").map_err(|d| d.problem);
        assert_eq!(s, Ok(Split { front: "title = \"A\"\n", front_line: 2, body: "# Body\n", body_line: 4 }));
    }

    #[test]
    fn split_reports_missing_and_unclosed_fences() {
        let missing = split(Path::new("x"), "title = \"A\"\n").map_err(|d| d.problem);
        assert_eq!(missing, Err(Problem::FrontMatterMissing));
        let unclosed = split(Path::new("x"), "+++\ntitle = \"A\"\n").map_err(|d| d.problem);
        assert_eq!(unclosed, Err(Problem::FrontMatterUnclosed));
        let empty = split(Path::new("x"), " \n\n").map_err(|d| d.problem);
        assert_eq!(empty, Err(Problem::EmptyFile));
        // Windows line endings are fine.
        assert!(split(Path::new("x"), "+++\r\ntitle = \"A\"\r\n+++\r\nok").is_ok());
    }

    #[test]
    fn lesson_meta_checks_level_date_and_blank_required_keys() {
        let errs = lesson("+++\ntitle = \"A\"\nsummary = \" \"\nlevel = \"de\"\nupdated = 2026-13-01\n+++\n")
            .err()
            .unwrap_or_default();
        // A month 13 is a TOML syntax error, reported alone on its line.
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].line, 5);
        let errs =
            lesson("+++\ntitle = \"A\"\nsummary = \" \"\nlevel = \"de\"\n+++\n").err().unwrap_or_default();
        let problems: Vec<_> = errs.iter().map(|d| (d.line, d.problem.clone())).collect();
        assert_eq!(
            problems,
            vec![(3, Problem::MissingKey("summary".into())), (4, Problem::InvalidLevel("de".into()))]
        );
    }

    #[test]
    fn good_lesson_parses() {
        let p = lesson(
            "+++\ntitle = \"A\"\nsummary = \"B\"\nlevel = \"co-ban\"\nupdated = 2026-11-25\n+++\nText\n",
        );
        match p.map(|p| p.meta) {
            Ok(Meta::Lesson { level, updated, meta }) => {
                assert_eq!(level, Some(Level::CoBan));
                assert_eq!(updated, NaiveDate::from_ymd_opt(2026, 11, 25));
                assert!(meta.leaflet);
            }
            other => panic!("{other:?}"),
        }
    }
}
