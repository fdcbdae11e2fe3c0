//! Self-check questions: a fenced block ```` ```cau-hoi ```` in a lesson, in a small TOML format
//! a staffer can copy:
//!
//! ```toml
//! question = "Ai gọi điện đòi mã OTP là ai?"
//!
//! [[choice]]
//! text = "Nhân viên ngân hàng"
//! why = "Nhân viên ngân hàng thật không bao giờ hỏi mã OTP."
//!
//! [[choice]]
//! text = "Kẻ lừa đảo"
//! right = true
//! why = "Chỉ kẻ gian mới đòi mã OTP, dù họ xưng là ai."
//! ```
//!
//! On the page the question works without JavaScript: the choices are a list and the answer
//! waits in a `<details>` ("Xem đáp án"); `learning.js` turns the list into radio buttons that
//! say the result in words. On the leaflet the questions come last, the answers in one line
//! under them, so a trainer can hand the sheet out as a little test.

use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use crate::assets::theme::Labels;
use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::html::escape;
use crate::core::tomlcheck;

/// The info string of a question block.
pub const FENCE: &str = "cau-hoi";
/// How many choices a question may have: fewer is no question, more is too much to read.
const CHOICES: std::ops::RangeInclusive<usize> = 2..=4;

/// One question, checked.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    pub question: String,
    #[serde(default, rename = "choice")]
    pub choices: Vec<Choice>,
}

/// One answer a reader may pick.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub text: String,
    /// One sentence saying why this choice is right or wrong.
    pub why: String,
    #[serde(default)]
    pub right: bool,
}

/// Reads a question block whose text starts on line `first_line` of `path` (the line after the
/// fence). Every problem names its line in the file.
pub fn parse(path: &Path, text: &str, first_line: usize) -> Result<Quiz, Vec<Diagnostic>> {
    let quiz: Quiz = tomlcheck::parse(path, text, first_line).map_err(|d| vec![d])?;
    let fence_line = first_line.saturating_sub(1);
    let mut problems = Vec::new();
    // The line of `key = …`, or of the `n`-th `[[choice]]` (counted from 1), in the file.
    let line_of = |n: usize, key: &str| {
        let mut seen = 0;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.starts_with("[[") && line.contains("choice") {
                seen += 1;
            }
            let key_here = line.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('='));
            if seen == n && (key.is_empty() && line.starts_with("[[") || key_here) {
                return first_line + i;
            }
        }
        fence_line
    };
    if quiz.question.trim().is_empty() {
        problems.push(Diagnostic::error(
            path,
            line_of(0, "question"),
            1,
            Problem::MissingKey("question".into()),
        ));
    }
    for (n, choice) in quiz.choices.iter().enumerate() {
        for (key, value) in [("text", &choice.text), ("why", &choice.why)] {
            if value.trim().is_empty() {
                let line = line_of(n + 1, key);
                problems.push(Diagnostic::error(path, line, 1, Problem::MissingKey(key.into())));
            }
        }
    }
    if !CHOICES.contains(&quiz.choices.len()) {
        problems.push(Diagnostic::error(path, fence_line, 1, Problem::QuizChoiceCount(quiz.choices.len())));
    }
    let right = quiz.choices.iter().filter(|c| c.right).count();
    if right != 1 {
        let line = quiz
            .choices
            .iter()
            .enumerate()
            .filter(|(_, c)| c.right)
            .nth(1)
            .map_or(fence_line, |(n, _)| line_of(n + 1, "right"));
        problems.push(Diagnostic::error(path, line, 1, Problem::QuizRightCount(right)));
    }
    if problems.is_empty() { Ok(quiz) } else { Err(problems) }
}

/// The letter a choice is called by: A, B, C, D.
fn letter(n: usize) -> char {
    char::from(b'A' + u8::try_from(n % 26).unwrap_or(0))
}

/// The question as the web page shows it without JavaScript: the choices as a list, the answer
/// and each choice's explanation inside `<details>`. Only classes mark the parts (the right
/// choice is `quiz-right`), since a page with raw HTML is sanitized and would lose `data-`.
pub fn web_html(quiz: &Quiz, labels: &Labels) -> String {
    let mut html = String::from("<div class=\"quiz\">\n");
    let _ = writeln!(
        html,
        "<p class=\"quiz-label\"><span class=\"quiz-icon\" aria-hidden=\"true\">?</span> {}</p>",
        escape(&labels.quiz_title)
    );
    let _ = writeln!(
        html,
        "<p class=\"quiz-question\">{}</p>\n<ul class=\"quiz-choices\">",
        escape(&quiz.question)
    );
    for (n, c) in quiz.choices.iter().enumerate() {
        let class = if c.right { " class=\"quiz-right\"" } else { "" };
        let _ = writeln!(
            html,
            "<li{class}><span class=\"quiz-letter\">{}.</span> <span class=\"quiz-text\">{}</span></li>",
            letter(n),
            escape(&c.text)
        );
    }
    let _ = writeln!(
        html,
        "</ul>\n<details class=\"quiz-answer\">\n<summary>{}</summary>",
        escape(&labels.quiz_show)
    );
    if let Some((n, c)) = quiz.choices.iter().enumerate().find(|(_, c)| c.right) {
        let _ = writeln!(
            html,
            "<p class=\"quiz-solution\"><strong>{} {}.</strong> {}</p>",
            escape(&labels.quiz_answer),
            letter(n),
            escape(&c.text)
        );
    }
    html.push_str("<ul class=\"quiz-why\">\n");
    for (n, c) in quiz.choices.iter().enumerate() {
        let verdict = if c.right { &labels.quiz_yes } else { &labels.quiz_no };
        let _ = writeln!(
            html,
            "<li><strong>{} – {}</strong> <span class=\"quiz-explain\">{}</span></li>",
            letter(n),
            escape(verdict),
            escape(&c.why)
        );
    }
    html.push_str("</ul>\n</details>\n</div>\n");
    html
}

/// The questions as the leaflet prints them, after the lesson: each with its choices on one
/// line, then every answer in one footnote line. Empty without questions.
pub fn print_html(quizzes: &[Quiz], labels: &Labels) -> String {
    if quizzes.is_empty() {
        return String::new();
    }
    let mut html = format!(
        "<section class=\"quiz-print\">\n<h2>{}</h2>\n<ol class=\"quiz-print-list\">\n",
        escape(&labels.quiz_title)
    );
    let mut answers = Vec::new();
    for (q, quiz) in quizzes.iter().enumerate() {
        let choices: Vec<String> = quiz
            .choices
            .iter()
            .enumerate()
            .map(|(n, c)| {
                format!("<span class=\"quiz-print-choice\">☐ {}. {}</span>", letter(n), escape(&c.text))
            })
            .collect();
        let _ = writeln!(
            html,
            "<li><p class=\"quiz-print-question\">{}</p><p class=\"quiz-print-choices\">{}</p></li>",
            escape(&quiz.question),
            choices.join(" ")
        );
        if let Some(n) = quiz.choices.iter().position(|c| c.right) {
            answers.push(format!("{} – {}", q + 1, letter(n)));
        }
    }
    let _ = writeln!(
        html,
        "</ol>\n<p class=\"quiz-print-answers\">{} {}.</p>\n</section>",
        escape(&labels.quiz_answers),
        answers.join("; ")
    );
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "question = \"Ai đòi mã OTP?\"\n\n[[choice]]\ntext = \"Ngân hàng\"\nwhy = \"Ngân hàng không hỏi mã.\"\n\n[[choice]]\ntext = \"Kẻ gian\"\nright = true\nwhy = \"Chỉ kẻ gian đòi mã.\"\n";

    fn problems(text: &str) -> Vec<(usize, Problem)> {
        parse(Path::new("content/a/b.md"), text, 11)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|d| (d.line, d.problem))
            .collect()
    }

    #[test]
    fn a_good_question_reads() {
        let quiz = parse(Path::new("x.md"), GOOD, 2).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(quiz.question, "Ai đòi mã OTP?");
        assert_eq!(quiz.choices.iter().map(|c| c.right).collect::<Vec<_>>(), vec![false, true]);
    }

    #[test]
    fn mistakes_name_the_line_in_the_file() {
        // The block starts on line 11: `[[choice]]` number two is on line 17, its `right` on 19.
        let two_right = GOOD
            .replace("why = \"Ngân hàng không hỏi mã.\"", "why = \"Ngân hàng không hỏi mã.\"\nright = true");
        assert_eq!(problems(&two_right), vec![(20, Problem::QuizRightCount(2))]);
        let none_right = GOOD.replace("right = true\n", "");
        assert_eq!(problems(&none_right), vec![(10, Problem::QuizRightCount(0))]);
        let one_choice = "question = \"Hỏi?\"\n[[choice]]\ntext = \"A\"\nright = true\nwhy = \"B\"\n";
        assert_eq!(problems(one_choice), vec![(10, Problem::QuizChoiceCount(1))]);
        let blank_why = GOOD.replace("why = \"Chỉ kẻ gian đòi mã.\"", "why = \" \"");
        assert_eq!(problems(&blank_why), vec![(20, Problem::MissingKey("why".into()))]);
        let typo = GOOD.replace("right = true", "rigth = true");
        let found = problems(&typo);
        assert!(matches!(&found[..], [(19, Problem::UnknownKey { key, .. })] if key == "rigth"), "{found:?}");
    }

    #[test]
    fn web_and_print_html_say_the_answer_in_words() {
        let labels = Labels::for_tests();
        let quiz = parse(Path::new("x.md"), GOOD, 2).unwrap_or_else(|e| panic!("{e:?}"));
        let web = web_html(&quiz, &labels);
        assert!(web.contains("<li class=\"quiz-right\"><span class=\"quiz-letter\">B.</span>"), "{web}");
        assert!(web.contains("<summary>Xem đáp án</summary>"), "{web}");
        assert!(web.contains("<strong>A – Chưa đúng.</strong>"), "{web}");
        let print = print_html(&[quiz.clone(), quiz], &labels);
        assert!(print.contains("☐ A. Ngân hàng"), "{print}");
        assert!(print.contains("Đáp án: 1 – B; 2 – B."), "{print}");
        assert_eq!(print_html(&[], &labels), "");
    }
}
