//! Step-by-step journeys (`content/lo-trinh/<slug>.md`): the lessons a resident takes, in order,
//! for one real task ("doing paperwork on the phone" is installing VNeID, activating level 2,
//! logging in, filing, signing). Nothing is locked: a journey only says what comes next.
//!
//! The body is a numbered list a staffer can write without learning anything new:
//!
//! ```text
//! 1. Kích hoạt tài khoản định danh mức 2
//!    [Kích hoạt VNeID mức 2](../dich-vu-cong/kich-hoat-vneid-muc-2.md)
//!    Ghi chú: Mang theo thẻ căn cước.
//! 2. Đăng nhập Cổng Dịch vụ công
//!    [Đăng nhập bằng VNeID](../dich-vu-cong/dang-nhap-cong-dich-vu-cong.md)
//!    hoặc [Đăng nhập bằng tài khoản cũ](../dich-vu-cong/dang-nhap-tai-khoan-cu.md)
//! ```
//!
//! Each step is a numbered line (its title); under it, one link to a lesson per line, each
//! further one after "và" (do both) or "hoặc" (either will do); an optional "Ghi chú:" line. Text
//! before the first step is an introduction. Read line by line rather than as Markdown, so every
//! mistake is reported on its own line, in words about journeys.

use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::ids::LessonId;

/// How a lesson of a step relates to the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Connector {
    /// The step's first lesson.
    First,
    /// "và": this one too.
    And,
    /// "hoặc": this one instead.
    Or,
}

/// One lesson of a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    pub lesson: LessonId,
    /// The link's words as written (empty: the lesson's title is shown).
    pub text: String,
    pub connector: Connector,
}

/// One numbered step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub title: String,
    pub note: Option<String>,
    pub tasks: Vec<Task>,
}

/// A journey's body, read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Body {
    /// Paragraphs before the first step, as plain text.
    pub intro: Vec<String>,
    pub steps: Vec<Step>,
}

/// The words that join a step's lessons, as written at the start of a line.
const AND: &str = "và";
const OR: &str = "hoặc";
/// What starts a step's note.
const NOTE: &str = "ghi chú:";

/// Reads a journey's body (starting on line `body_line` of `path`). `resolve` turns a link's
/// address into a lesson's index, or says why it cannot. Every problem is reported with its line.
pub fn parse(
    path: &Path,
    body: &str,
    body_line: usize,
    resolve: &mut dyn FnMut(&str) -> Result<LessonId, Problem>,
) -> Result<Body, Vec<Diagnostic>> {
    let mut out = Body::default();
    let mut problems = Vec::new();
    let mut paragraph = String::new();
    // The line each step starts on, and whether a link was written under it (a link that
    // does not resolve is reported itself, not again as a step without a lesson).
    let mut step_lines: Vec<(usize, bool)> = Vec::new();
    for (i, raw) in body.lines().enumerate() {
        let line = body_line + i;
        let text = raw.trim();
        let column = raw.len() - raw.trim_start().len() + 1;
        let error = |problem| Diagnostic::error(path, line, column, problem);
        if text.is_empty() {
            if !paragraph.is_empty() {
                out.intro.push(std::mem::take(&mut paragraph));
            }
            continue;
        }
        if let Some(title) = step_title(text) {
            if title.is_empty() {
                problems.push(error(Problem::JourneyLine(text.to_owned())));
            }
            out.steps.push(Step { title: title.to_owned(), note: None, tasks: Vec::new() });
            step_lines.push((line, false));
            continue;
        }
        let Some(step) = out.steps.last_mut() else {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(text);
            continue;
        };
        let text = text.strip_prefix("- ").or_else(|| text.strip_prefix("* ")).unwrap_or(text).trim_start();
        if let Some(note) = strip_prefix_ci(text, NOTE) {
            let note = note.trim();
            match &mut step.note {
                Some(before) => {
                    before.push(' ');
                    before.push_str(note);
                }
                None => step.note = Some(note.to_owned()),
            }
            continue;
        }
        let (connector, rest) = match connector(text) {
            Some((c, rest)) => (c, rest),
            None => (Connector::First, text),
        };
        let Some((dest, words)) = single_link(rest) else {
            problems.push(error(Problem::JourneyLine(text.to_owned())));
            continue;
        };
        let connector = match (step.tasks.is_empty(), connector) {
            (true, _) => Connector::First,
            (false, Connector::First) => {
                problems.push(error(Problem::JourneyMissingConnector));
                continue;
            }
            (false, c) => c,
        };
        match resolve(&dest) {
            Ok(lesson) => step.tasks.push(Task { lesson, text: words, connector }),
            Err(problem) => {
                problems.push(error(problem));
                if let Some(last) = step_lines.last_mut() {
                    last.1 = true;
                }
            }
        }
    }
    for (step, &(line, linked)) in out.steps.iter().zip(&step_lines) {
        if step.tasks.is_empty() && !step.title.is_empty() && !linked {
            problems.push(Diagnostic::error(path, line, 1, Problem::JourneyStepWithoutLesson));
        }
    }
    if !paragraph.is_empty() {
        out.intro.push(paragraph);
    }
    if out.steps.is_empty() {
        problems.push(Diagnostic::error(path, 0, 0, Problem::JourneyWithoutSteps));
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

/// The title of a step line (`1. Tên bước` or `1) Tên bước`), or `None` for any other line.
fn step_title(text: &str) -> Option<&str> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = text[digits..].strip_prefix(['.', ')'])?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some(rest.trim())
}

/// `text` without `prefix`, compared in lower case (`Ghi chú:` and `ghi chú:` alike).
fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let end = text.char_indices().nth(prefix.chars().count()).map_or(text.len(), |(i, _)| i);
    (text[..end].to_lowercase() == prefix).then(|| &text[end..])
}

/// "và …" or "hoặc …": the connector and what follows it.
fn connector(text: &str) -> Option<(Connector, &str)> {
    for (word, c) in [(AND, Connector::And), (OR, Connector::Or)] {
        if let Some(rest) = strip_prefix_ci(text, word)
            && rest.starts_with(char::is_whitespace)
        {
            return Some((c, rest.trim_start()));
        }
    }
    None
}

/// The address and words of `text` when it is exactly one Markdown link and nothing else.
fn single_link(text: &str) -> Option<(String, String)> {
    let mut dest = None;
    let mut words = String::new();
    let mut in_link = false;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            Event::Start(Tag::Link { dest_url, .. }) if dest.is_none() => {
                dest = Some(dest_url.to_string());
                in_link = true;
            }
            Event::End(TagEnd::Link) => in_link = false,
            Event::Text(t) | Event::Code(t) if in_link => words.push_str(&t),
            Event::Start(Tag::Emphasis | Tag::Strong) | Event::End(TagEnd::Emphasis | TagEnd::Strong)
                if in_link => {}
            _ => return None,
        }
    }
    Some((dest?, words.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ids::Id;

    fn read(body: &str) -> Result<Body, Vec<(usize, usize, Problem)>> {
        let mut resolve = |dest: &str| match dest {
            "a.md" => Ok(LessonId::at(0)),
            "b.md" => Ok(LessonId::at(1)),
            "c.md" => Ok(LessonId::at(2)),
            "chu-de/_index.md" => Err(Problem::JourneyNotLesson(dest.to_owned())),
            _ => Err(Problem::BrokenLink { target: dest.to_owned(), closest: None }),
        };
        parse(Path::new("content/lo-trinh/x.md"), body, 5, &mut resolve)
            .map_err(|d| d.into_iter().map(|d| (d.line, d.column, d.problem)).collect())
    }

    #[test]
    fn steps_with_and_or_and_notes() {
        let body = "Giới thiệu ngắn.\nDòng hai.\n\n1. Cài ứng dụng\n   [Cài](a.md)\n   và [Giữ mã](b.md)\n   Ghi chú: Nhờ con cháu giúp.\n\n2) Đăng nhập\n   - [Cách một](b.md)\n   - Hoặc [Cách hai](c.md)\n";
        let body = read(body).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(body.intro, vec!["Giới thiệu ngắn. Dòng hai."]);
        assert_eq!(body.steps.len(), 2);
        let first = &body.steps[0];
        assert_eq!(first.title, "Cài ứng dụng");
        assert_eq!(first.note.as_deref(), Some("Nhờ con cháu giúp."));
        let tasks: Vec<_> = first.tasks.iter().map(|t| (t.lesson, t.text.as_str(), t.connector)).collect();
        let (a, b, c) = (LessonId::at(0), LessonId::at(1), LessonId::at(2));
        assert_eq!(tasks, vec![(a, "Cài", Connector::First), (b, "Giữ mã", Connector::And)]);
        let second: Vec<_> = body.steps[1].tasks.iter().map(|t| (t.lesson, t.connector)).collect();
        assert_eq!(second, vec![(b, Connector::First), (c, Connector::Or)]);
    }

    #[test]
    fn every_mistake_is_reported_on_its_line() {
        let body = "1. Bước một\n   [Cài](a.md)\n   [Thêm](b.md)\n2. Bước hai\n   Một dòng lạ\n3. Bước ba\n   [Hỏng](khong-co.md)\n4. Bước bốn\n   [Chủ đề](chu-de/_index.md)\n5. Bước năm\n";
        let problems = read(body).err().unwrap_or_default();
        assert_eq!(
            problems,
            vec![
                (7, 4, Problem::JourneyMissingConnector),
                (9, 4, Problem::JourneyLine("Một dòng lạ".into())),
                (11, 4, Problem::BrokenLink { target: "khong-co.md".into(), closest: None }),
                (13, 4, Problem::JourneyNotLesson("chu-de/_index.md".into())),
                (8, 1, Problem::JourneyStepWithoutLesson),
                (14, 1, Problem::JourneyStepWithoutLesson),
            ]
        );
    }

    #[test]
    fn a_journey_needs_steps_and_a_link_is_one_link_alone() {
        assert_eq!(read("Chỉ có lời giới thiệu.\n").err(), Some(vec![(0, 0, Problem::JourneyWithoutSteps)]));
        let problems = read("1. Bước\n   [A](a.md) rồi [B](b.md)\n").err().unwrap_or_default();
        assert!(matches!(problems[0], (6, 4, Problem::JourneyLine(_))), "{problems:?}");
        // A year or a number inside a sentence is not a step.
        assert_eq!(step_title("2026 là năm"), None);
        assert_eq!(step_title("12. Mười hai"), Some("Mười hai"));
        assert_eq!(step_title("3.5 triệu"), None);
    }
}
