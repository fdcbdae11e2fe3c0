//! Strict TOML reading, shared by every TOML file hocso reads: `site.toml`, front matter, the
//! glossary, help points, self-check questions and a theme's speech file. It needs only `core`,
//! so it lives here for every stage to use.
//!
//! A misspelt key must never vanish silently (`sumary = "…"` would leave a lesson without a
//! summary and nobody would know why), so every struct denies unknown fields, and this module
//! turns the parser's English error into a [`Problem`] that names the file, the line and, for
//! unknown keys, the keys that are allowed.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::core::diagnostic::{Diagnostic, Problem, TomlMistake};
use crate::core::lines::line_col;

/// Parses `text` (which starts at line `first_line` of `file`) into `T`.
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str, first_line: usize) -> Result<T, Diagnostic> {
    toml::from_str::<T>(text).map_err(|err| {
        let (line, column) = err.span().map_or((0, 0), |span| line_col(text, span.start));
        let line = if line == 0 { first_line } else { line + first_line - 1 };
        Diagnostic::error(file, line, column, classify(err.message()))
    })
}

/// Maps serde's standard messages to our problems; anything else stays as the parser said it.
fn classify(message: &str) -> Problem {
    let message = message.trim();
    if let Some((key, tail)) = message.strip_prefix("unknown field `").and_then(|r| r.split_once('`')) {
        let known = tail.split('`').skip(1).step_by(2).map(str::to_owned).collect::<Vec<_>>();
        return Problem::UnknownKey { key: key.to_owned(), known };
    }
    if let Some((key, _)) = message.strip_prefix("missing field `").and_then(|r| r.split_once('`')) {
        return Problem::MissingKey(key.to_owned());
    }
    match TomlMistake::from_parser(message) {
        TomlMistake::Other(_) if message.starts_with("invalid") || message.contains("expected") => {
            Problem::InvalidValue(message.to_owned())
        }
        mistake => Problem::TomlSyntax(mistake),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Meta {
        title: String,
        summary: String,
        #[serde(default)]
        weight: i64,
    }

    fn problem(text: &str) -> Diagnostic {
        match parse::<Meta>(Path::new("a.md"), text, 2) {
            Ok(meta) => panic!("expected an error, got {meta:?}"),
            Err(d) => d,
        }
    }

    #[test]
    fn unknown_key_lists_the_known_ones_with_line() {
        let d = problem("title = \"A\"\nsumary = \"B\"\n");
        assert_eq!(d.line, 3);
        assert_eq!(
            d.problem,
            Problem::UnknownKey {
                key: "sumary".into(),
                known: vec!["title".into(), "summary".into(), "weight".into()]
            }
        );
    }

    #[test]
    fn missing_key_is_named() {
        let d = problem("title = \"A\"\n");
        assert_eq!(d.problem, Problem::MissingKey("summary".into()));
    }

    #[test]
    fn syntax_error_has_a_line() {
        let d = problem("title = \"A\"\nsummary = B\n");
        assert_eq!(d.line, 3, "{d:?}");
        assert!(matches!(d.problem, Problem::TomlSyntax(_) | Problem::InvalidValue(_)), "{d:?}");
    }

    #[test]
    fn common_mistakes_are_named_without_parser_words() {
        for (text, mistake) in [
            ("title = \"A\"\nsummary = Xin chào\n", TomlMistake::Unquoted),
            ("title = “A”\nsummary = \"B\"\n", TomlMistake::Unquoted),
            ("title = \"A\nsummary = \"b\"\n", TomlMistake::UnclosedString),
            ("title \"A\"\n", TomlMistake::MissingEquals),
            ("title = \"A\"\ntitle = \"B\"\n", TomlMistake::DuplicateKey),
            ("title = \"A\" x\n", TomlMistake::TextAfterValue),
            ("title = \"A\\q\"\n", TomlMistake::BadEscape),
        ] {
            let d = problem(text);
            assert_eq!(d.problem, Problem::TomlSyntax(mistake), "{text:?}");
            let (what, fix) = d.problem.explain(crate::core::lang::Lang::Vi);
            assert!(!what.contains("expected") && !fix.contains("expected"), "{what} {fix}");
        }
    }

    #[test]
    fn wrong_type_is_an_invalid_value() {
        let d = problem("title = \"A\"\nsummary = \"B\"\nweight = \"nặng\"\n");
        assert_eq!(d.line, 4, "{d:?}");
        assert!(matches!(d.problem, Problem::InvalidValue(_)), "{d:?}");
    }
}
