//! Plain-language and accessibility hints for `hocso check`: things that are not wrong enough
//! to stop a build, but that make a lesson harder for an elderly resident to follow.

use chrono::NaiveDate;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::text::{fold, word_count};
use crate::pipeline::assemble::Site;

/// Link texts that say nothing out of context (folded, so "Bấm vào đây" matches too).
const VAGUE_LINKS: &[&str] = &[
    "bam vao day",
    "bam day",
    "nhan vao day",
    "tai day",
    "o day",
    "xem them",
    "day",
    "click here",
    "here",
    "more",
];
/// Words in a sentence above which it is hard to follow.
pub const SENTENCE_WORDS: usize = 25;
/// Words in a paragraph above which it should be split.
pub const PARAGRAPH_WORDS: usize = 80;
/// Days after which a lesson should be reviewed.
pub const STALE_DAYS: i64 = 365;
/// Joining words that often mean a step holds two actions ("Mở ứng dụng rồi bấm …").
const SECOND_ACTION: &[&str] = &[" roi ", " sau do "];
/// Verbs of the actions lessons ask for (folded). "và" followed by one of them joins a second
/// action to the step ("Gọi tổng đài và kể lại cho con cháu"); "và" between nouns ("tên và số
/// tài khoản") does not.
const ACTION_VERBS: &[&str] = &[
    "bam", "nhan", "chon", "nhap", "go", "mo", "goi", "ke", "gui", "chup", "quet", "kiem", "doc", "dien",
    "tai", "cai", "dang", "xac", "luu", "cho", "dua", "giu", "bao", "hoi", "noi", "ghi", "viet", "dat",
    "bat", "tat", "vao", "xoa", "chuyen", "thanh", "tra", "keo", "cham", "an", "dung", "lam", "tim", "xem",
];

/// For each translation, in the language's order: the lessons not yet translated, and the
/// translations older than their original (its `updated` later than theirs). Warnings of
/// `hocso check` only: a build with half its lessons untranslated is normal, not a problem.
pub fn translation_report(site: &Site, translations: &[&Site]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for translated in translations {
        let code = &translated.config.language;
        for (original, lesson) in site.lessons.iter().zip(&translated.lessons) {
            if lesson.core.lang.is_some() {
                out.push(Diagnostic::warning(&original.core.path, 0, 0, Problem::Untranslated(code.clone())));
            } else if let (Some(source), Some(own)) = (original.updated, lesson.updated)
                && source > own
            {
                let problem = Problem::OutdatedTranslation {
                    lang: code.clone(),
                    translation: lesson.core.path.clone(),
                };
                out.push(Diagnostic::warning(&original.core.path, 0, 0, problem));
            }
        }
    }
    out
}

/// Hints for every lesson of the site.
pub fn lint(site: &Site, today: NaiveDate) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for lesson in &site.lessons {
        lint_markdown(&lesson.core.path, &lesson.core.body, lesson.core.body_line, &mut out);
        if let Some(updated) = lesson.updated {
            let days = (today - updated).num_days();
            if days > STALE_DAYS {
                out.push(Diagnostic::warning(&lesson.core.path, 0, 0, Problem::Stale { days }));
            }
        }
    }
    out
}

/// The Markdown hints for every lesson file as it is on disk, for `hocso check` when the site
/// has errors: the hints of a file then come in the same run as its errors, not a run later.
pub fn lint_sources(root: &std::path::Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let languages: Vec<String> =
        crate::pipeline::config::load(root).map(|c| c.languages.into_keys().collect()).unwrap_or_default();
    for source in crate::pipeline::load::load(root, &languages).sources {
        if !matches!(source.kind, crate::pipeline::load::Kind::Lesson { .. }) {
            continue;
        }
        if let Ok(split) = crate::pipeline::parse::split(&source.path, &source.text) {
            lint_markdown(&source.path, split.body, split.body_line, &mut out);
        }
    }
    out
}

/// Hints for one Markdown body starting at `first_line` of `path`.
pub fn lint_markdown(path: &std::path::Path, body: &str, first_line: usize, out: &mut Vec<Diagnostic>) {
    let line_of = |offset: usize| first_line + body[..offset.min(body.len())].matches('\n').count();
    let mut block: Option<(usize, String, bool)> = None; // (start, text, is a step)
    let mut link: Option<(usize, String)> = None;
    let mut in_ordered = Vec::new();
    let mut in_image = false; // alt text is not running text
    let parser =
        Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_GFM | Options::ENABLE_TASKLISTS);
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::List(start)) => in_ordered.push(start.is_some()),
            Event::End(TagEnd::List(_)) => {
                in_ordered.pop();
            }
            Event::Start(Tag::Paragraph) if block.is_none() => {
                block = Some((range.start, String::new(), false))
            }
            Event::Start(Tag::Item) => {
                block = Some((range.start, String::new(), in_ordered.last().copied().unwrap_or(false)));
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => {
                if let Some((start, text, step)) = block.take() {
                    check_block(path, line_of(start), &text, step, out);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if dest_url.starts_with("http://") {
                    out.push(Diagnostic::warning(
                        path,
                        line_of(range.start),
                        0,
                        Problem::PlainHttp(dest_url.to_string()),
                    ));
                }
                link = Some((range.start, String::new()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((start, text)) = link.take() {
                    let folded = fold(text.trim()).trim_end_matches(['.', ':', '!']).to_owned();
                    if VAGUE_LINKS.contains(&folded.as_str()) {
                        out.push(Diagnostic::warning(
                            path,
                            line_of(start),
                            0,
                            Problem::VagueLinkText(text.trim().to_owned()),
                        ));
                    }
                }
            }
            Event::Start(Tag::Image { .. }) => in_image = true,
            Event::End(TagEnd::Image) => in_image = false,
            Event::Text(t) | Event::Code(t) if !in_image => {
                if let Some((_, text)) = link.as_mut() {
                    text.push_str(&t);
                }
                if let Some((_, text, _)) = block.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, text, _)) = block.as_mut() {
                    text.push(' ');
                }
            }
            _ => {}
        }
    }
}

fn check_block(path: &std::path::Path, line: usize, text: &str, step: bool, out: &mut Vec<Diagnostic>) {
    let words = word_count(text);
    if words > PARAGRAPH_WORDS {
        out.push(Diagnostic::warning(path, line, 0, Problem::LongParagraph(words)));
    }
    let sentences = sentences(text);
    for s in &sentences {
        let n = word_count(s);
        if n > SENTENCE_WORDS {
            out.push(Diagnostic::warning(path, line, 0, Problem::LongSentence(n)));
        }
    }
    if step {
        let folded = format!(" {} ", fold(text));
        let and_then_verb = folded
            .split(" va ")
            .skip(1)
            .any(|after| after.split_whitespace().next().is_some_and(|w| ACTION_VERBS.contains(&w)));
        if sentences.len() > 1 || SECOND_ACTION.iter().any(|w| folded.contains(w)) || and_then_verb {
            out.push(Diagnostic::warning(path, line, 0, Problem::StepManyActions));
        }
    }
}

/// Splits text into sentences at `.`, `!` or `?` followed by a space and a capital letter,
/// outside quotes, so "dichvucong.gov.vn" and a quoted question stay inside their sentence.
fn sentences(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for (i, &c) in chars.iter().enumerate() {
        current.push(c);
        if matches!(c, '"' | '“' | '”') {
            quoted = !quoted;
        }
        let ends = matches!(c, '.' | '!' | '?')
            && !quoted
            && chars.get(i + 1).is_some_and(|n| n.is_whitespace())
            && chars.get(i + 2).is_some_and(|n| n.is_uppercase());
        if ends {
            out.push(std::mem::take(&mut current));
        }
    }
    out.push(current);
    out.into_iter().filter(|s| word_count(s) > 0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn hints(body: &str) -> Vec<Problem> {
        let mut out = Vec::new();
        lint_markdown(Path::new("a.md"), body, 1, &mut out);
        out.into_iter().map(|d| d.problem).collect()
    }

    #[test]
    fn vague_links_and_plain_http() {
        assert_eq!(hints("Xem [bấm vào đây](a.md)."), vec![Problem::VagueLinkText("bấm vào đây".into())]);
        assert_eq!(hints("[Cổng](http://x.vn)"), vec![Problem::PlainHttp("http://x.vn".into())]);
        assert!(hints("Xem bài [thanh toán bằng mã QR](a.md).").is_empty());
    }

    #[test]
    fn long_sentences_paragraphs_and_busy_steps() {
        let long = "một ".repeat(30);
        assert_eq!(hints(&format!("{long}.")), vec![Problem::LongSentence(30)]);
        let para = "Câu ngắn có năm chữ. ".repeat(20);
        assert_eq!(hints(&para), vec![Problem::LongParagraph(100)]);
        assert_eq!(hints("1. Mở ứng dụng rồi bấm Đăng nhập.\n2. Đọc kỹ.\n"), vec![Problem::StepManyActions]);
        assert_eq!(hints("1. Mở ứng dụng. Bấm nút.\n"), vec![Problem::StepManyActions]);
        assert!(hints("- Mở ứng dụng. Bấm nút.\n").is_empty(), "bullets are not steps");
        assert_eq!(
            hints("1. Gọi tổng đài ngân hàng và kể lại cho con cháu.\n"),
            vec![Problem::StepManyActions],
            "\"và\" joining a second action"
        );
        assert_eq!(hints("1. Nhập mã và bấm Xác nhận.\n"), vec![Problem::StepManyActions]);
        assert!(hints("1. Kiểm tra tên và số tài khoản người nhận.\n").is_empty(), "\"và\" between nouns");
        assert!(
            hints("1. Gõ địa chỉ dichvucong.gov.vn vào ô.\n2. Gõ: \"Tờ này viết gì? Đọc giúp tôi\".\n")
                .is_empty()
        );
    }
}
