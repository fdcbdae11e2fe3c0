//! Problems found in a site, with the place they were found and how to fix them.
//!
//! Every stage of the pipeline reports into a list of [`Diagnostic`]s instead of stopping at the
//! first problem: a staffer who fixes one typo should not have to run the build again to learn
//! about the next one. Each problem knows how to explain itself in Vietnamese and in English.
//!
//! What can be wrong is [`Problem`] (`problem.rs`); its codes and messages are one table
//! (`messages.rs`, helped by `words.rs`); TOML mistakes are sorted apart ([`TomlMistake`]);
//! "did you mean" guesses come from [`closest_word`].

mod did_you_mean;
mod messages;
mod problem;
mod toml_mistake;
mod words;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::core::lang::Lang;

pub use did_you_mean::{closest_word, edit_distance};
pub use problem::{CellKind, Problem};
pub use toml_mistake::TomlMistake;

/// How bad a problem is: errors stop the build, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, where it is, and what kind it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, e.g. `content/an-toan/otp.md`.
    pub file: PathBuf,
    /// 1-based line, 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    pub problem: Problem,
}
impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, line: usize, column: usize, problem: Problem) -> Self {
        Diagnostic { severity: Severity::Error, file: file.into(), line, column, problem }
    }

    pub fn warning(file: impl Into<PathBuf>, line: usize, column: usize, problem: Problem) -> Self {
        Diagnostic { severity: Severity::Warning, file: file.into(), line, column, problem }
    }

    /// The location as editors understand it: `file:line:column`.
    pub fn location(&self) -> String {
        let file = self.file.display();
        match (self.line, self.column) {
            (0, _) => format!("{file}"),
            (l, 0) => format!("{file}:{l}"),
            (l, c) => format!("{file}:{l}:{c}"),
        }
    }

    /// A two-line human report: where and what, then how to fix it.
    pub fn render(&self, lang: Lang) -> String {
        let label = match self.severity {
            Severity::Error => lang.pick("lỗi", "error"),
            Severity::Warning => lang.pick("cảnh báo", "warning"),
        };
        let (what, fix) = self.problem.explain(lang);
        let mut out = format!("{label}: {}: {what}", self.location());
        if !fix.is_empty() {
            let _ = write!(out, "\n    → {} {fix}", lang.pick("Cách sửa:", "How to fix:"));
        }
        out
    }
}
/// The stable JSON report of `hocso check --format json` (documented in the README).
pub fn to_json(diagnostics: &[Diagnostic], lang: Lang) -> String {
    let problems: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let (message, hint) = d.problem.explain(lang);
            serde_json::json!({
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "code": d.problem.code(),
                "file": d.file.to_string_lossy().replace('\\', "/"),
                "line": d.line,
                "column": d.column,
                "message": message,
                "hint": hint,
            })
        })
        .collect();
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let report = serde_json::json!({
        "format": "hocso-check",
        "version": 1,
        "errors": errors,
        "warnings": diagnostics.len() - errors,
        "problems": problems,
    });
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// Sorts diagnostics for display: errors first, then by file and line.
pub fn sort(diags: &mut [Diagnostic]) {
    // In parallel (and stable, as `sort_by`): a large site can have thousands of warnings, and
    // comparing paths reads them part by part.
    rayon::slice::ParallelSliceMut::par_sort_by(diags, |a, b| {
        (a.severity, &a.file, a.line, a.column).cmp(&(b.severity, &b.file, b.line, b.column))
    });
}

/// True when at least one diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// A path shown relative to the site root when it lies inside it.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_names_place_and_fix_in_both_languages() {
        let d = Diagnostic::error(
            "content/a.md",
            3,
            1,
            Problem::UnknownKey { key: "titel".into(), known: vec!["title".into(), "summary".into()] },
        );
        let vi = d.render(Lang::Vi);
        assert!(vi.starts_with("lỗi: content/a.md:3:1: Khóa không hợp lệ `titel`."), "{vi}");
        assert!(vi.contains("title, summary"));
        let en = d.render(Lang::En);
        assert!(en.starts_with("error: content/a.md:3:1: Unknown key `titel`."), "{en}");
    }
}
