//! The glossary (`content/thuat-ngu.toml`): plain-Vietnamese definitions of the words residents
//! meet in lessons, and the matcher that links a term's first use in a lesson to its entry.

use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::files::read_source_file;
use crate::core::text::{compare_vi, nfc, slugify};
use crate::core::tomlcheck;

/// Where the glossary lives, relative to the site root.
pub const GLOSSARY_FILE: &str = "content/thuat-ngu.toml";

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    #[serde(default)]
    term: Vec<TermEntry>,
}

/// One `[[term]]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermEntry {
    /// The term as it should be shown, e.g. "Mã OTP".
    pub term: String,
    /// Other ways of writing it, e.g. ["OTP", "mã xác thực"].
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A short definition in plain Vietnamese.
    pub definition: String,
    /// A lesson that explains more: a path relative to `content/`, e.g. "an-toan/otp.md".
    #[serde(default)]
    pub lesson: Option<String>,
}

/// A term ready to use.
#[derive(Clone, Debug)]
pub struct Term {
    pub entry: TermEntry,
    /// Anchor on the glossary page.
    pub id: String,
    /// Line of `term = …` in the file, for messages.
    pub line: usize,
    /// URL of `lesson`, once resolved.
    pub lesson_url: Option<String>,
}

/// The glossary and its matcher.
#[derive(Debug, Default)]
pub struct Glossary {
    /// Terms in Vietnamese dictionary order.
    pub terms: Vec<Term>,
    matcher: Option<AhoCorasick>,
    /// For each pattern of the matcher, the term it belongs to.
    pattern_term: Vec<usize>,
    /// For each pattern, the exact spelling to require when it is an acronym ("AI", "OTP"):
    /// "AI" must not match the Vietnamese word "ai" (who).
    pattern_exact: Vec<Option<String>>,
    /// The file the terms come from, for messages.
    file: PathBuf,
}

/// The glossary file of the site's language, or of translation `lang` (`thuat-ngu.en.toml`).
pub fn glossary_file(lang: Option<&str>) -> PathBuf {
    match lang {
        None => PathBuf::from(GLOSSARY_FILE),
        Some(code) => PathBuf::from(GLOSSARY_FILE.replace(".toml", &format!(".{code}.toml"))),
    }
}

/// A term found in a piece of text: byte range in the text and the term's index.
#[derive(Debug, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub term: usize,
}

impl Glossary {
    /// Reads `content/thuat-ngu.toml` if there is one; for a translation (`lang` = `en`), its
    /// own `content/thuat-ngu.en.toml`.
    pub fn load(root: &Path, lang: Option<&str>) -> Result<Glossary, Vec<Diagnostic>> {
        let file = glossary_file(lang);
        let path = root.join(&file);
        let bytes = match read_source_file(&path) {
            Ok(b) => b,
            Err(Problem::MissingFile) => return Ok(Glossary::default()),
            Err(p) => return Err(vec![Diagnostic::error(&file, 0, 0, p)]),
        };
        let text = String::from_utf8(bytes)
            .map_err(|_| vec![Diagnostic::error(&file, 0, 0, Problem::InvalidUtf8)])?;
        let text = nfc(&text).into_owned();
        let parsed: GlossaryFile = tomlcheck::parse(&file, &text, 1).map_err(|d| vec![d])?;
        let term_lines: Vec<usize> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                l.trim_start().strip_prefix("term").is_some_and(|r| r.trim_start().starts_with('='))
            })
            .map(|(i, _)| i + 1)
            .collect();
        let mut problems = Vec::new();
        let mut terms: Vec<Term> = parsed
            .term
            .into_iter()
            .enumerate()
            .map(|(i, entry)| Term {
                id: slugify(&entry.term),
                line: term_lines.get(i).copied().unwrap_or(0),
                lesson_url: None,
                entry,
            })
            .collect();
        for t in &terms {
            if t.entry.term.trim().is_empty() || t.id.is_empty() {
                problems.push(Diagnostic::error(&file, t.line, 1, Problem::MissingKey("term".into())));
            }
            if t.entry.definition.trim().is_empty() {
                problems.push(Diagnostic::error(&file, t.line, 1, Problem::MissingKey("definition".into())));
            }
        }
        terms.sort_by(|a, b| compare_vi(&a.entry.term, &b.entry.term));
        for pair in terms.windows(2) {
            if pair[0].id == pair[1].id {
                problems.push(Diagnostic::error(
                    &file,
                    pair[1].line,
                    1,
                    Problem::DuplicateSlug { url: format!("#{}", pair[1].id), other: file.clone() },
                ));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut glossary = Glossary::new(terms);
        glossary.file = file;
        Ok(glossary)
    }

    /// Builds the matcher over every term and alias (longest match wins: "mã QR" before "mã").
    pub fn new(terms: Vec<Term>) -> Glossary {
        let mut patterns = Vec::new();
        let mut pattern_term = Vec::new();
        let mut pattern_exact = Vec::new();
        for (i, t) in terms.iter().enumerate() {
            for name in std::iter::once(&t.entry.term).chain(&t.entry.aliases) {
                let name = nfc(name.trim()).into_owned();
                let lower = Folded::new(&name).lower;
                if !lower.is_empty() {
                    let acronym = name.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
                        && name.chars().filter(|c| c.is_alphabetic()).count() >= 2;
                    pattern_exact.push(acronym.then_some(name));
                    patterns.push(lower);
                    pattern_term.push(i);
                }
            }
        }
        let matcher = if patterns.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostLongest).build(&patterns).ok()
        };
        Glossary { terms, matcher, pattern_term, pattern_exact, file: PathBuf::from(GLOSSARY_FILE) }
    }

    /// Resolves each term's `lesson` against the site's pages; a missing lesson is an error.
    pub fn resolve_lessons(
        &mut self,
        url_by_source: &std::collections::HashMap<PathBuf, String>,
    ) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for t in &mut self.terms {
            if let Some(lesson) = &t.entry.lesson {
                let key = Path::new(crate::core::paths::CONTENT_DIR).join(lesson.trim_start_matches('/'));
                match url_by_source.get(&key) {
                    Some(url) => t.lesson_url = Some(url.clone()),
                    None => problems.push(Diagnostic::error(
                        &self.file,
                        t.line,
                        1,
                        Problem::BrokenLink { target: lesson.clone(), closest: None },
                    )),
                }
            }
        }
        problems
    }

    /// Terms in `text` (any case), on word boundaries, leftmost-longest, in order; the byte
    /// ranges are `text`'s.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let Some(matcher) = &self.matcher else { return Vec::new() };
        let folded = Folded::new(text);
        matcher
            .find_iter(&folded.lower)
            .filter(|m| is_boundary(&folded.lower, m.start(), m.end()))
            .filter_map(|m| {
                // A match that starts or ends inside one letter's lower case (`i` of `İ` → `i̇`)
                // is not a word of the text.
                let (start, end) = (folded.to_text(m.start())?, folded.to_text(m.end())?);
                let pattern = m.pattern().as_usize();
                let exact = self.pattern_exact[pattern].as_deref();
                exact.is_none_or(|exact| &text[start..end] == exact).then(|| Found {
                    start,
                    end,
                    term: self.pattern_term[pattern],
                })
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// A text in lower case, for matching in any case, and the way back to the text's offsets.
/// Lower-casing a letter can change its length in bytes (`İ` 2 → `i̇` 3, `ẞ` 3 → `ß` 2), so
/// offsets in the lower-case text are not the text's; each letter is lower-cased alone so
/// that every letter's place is known. Terms are folded the same way, so they match.
struct Folded {
    lower: String,
    /// (offset in `lower`, offset in the text) at the start of each letter and at the end;
    /// empty when every letter kept its length, so that both offsets are the same.
    places: Vec<(usize, usize)>,
}

impl Folded {
    fn new(text: &str) -> Folded {
        let mut lower = String::with_capacity(text.len());
        let mut same_lengths = true;
        for c in text.chars() {
            let before = lower.len();
            lower.extend(c.to_lowercase());
            same_lengths &= lower.len() - before == c.len_utf8();
        }
        if same_lengths {
            return Folded { lower, places: Vec::new() };
        }
        let mut places = Vec::with_capacity(text.len() + 1);
        let mut at = 0;
        for (i, c) in text.char_indices() {
            places.push((at, i));
            at += c.to_lowercase().map(char::len_utf8).sum::<usize>();
        }
        places.push((at, text.len()));
        Folded { lower, places }
    }

    /// The text's offset for an offset in `lower`, if it is the start or the end of a letter.
    fn to_text(&self, at: usize) -> Option<usize> {
        if self.places.is_empty() {
            return Some(at);
        }
        self.places.binary_search_by_key(&at, |&(lower, _)| lower).ok().map(|i| self.places[i].1)
    }
}

fn is_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        let entry = |term: &str, aliases: &[&str]| Term {
            entry: TermEntry {
                term: term.into(),
                aliases: aliases.iter().map(|s| (*s).into()).collect(),
                definition: "…".into(),
                lesson: None,
            },
            id: slugify(term),
            line: 1,
            lesson_url: None,
        };
        Glossary::new(vec![entry("Mã OTP", &["OTP"]), entry("Mã QR", &["QR"]), entry("Mã độc", &[])])
    }

    #[test]
    fn finds_terms_on_word_boundaries_case_insensitively() {
        let g = glossary();
        let found = g.find("Quét MÃ QR, đừng đọc mã otp; QRCODE không tính.");
        let words: Vec<&str> = found
            .iter()
            .map(|f| &"Quét MÃ QR, đừng đọc mã otp; QRCODE không tính."[f.start..f.end])
            .collect();
        assert_eq!(words, vec!["MÃ QR", "mã otp"]);
        assert_eq!(found[0].term, 1);
    }

    #[test]
    fn acronyms_match_only_in_capitals() {
        let entry = Term {
            entry: TermEntry {
                term: "Trí tuệ nhân tạo".into(),
                aliases: vec!["AI".into()],
                definition: "…".into(),
                lesson: None,
            },
            id: "tri-tue-nhan-tao".into(),
            line: 1,
            lesson_url: None,
        };
        let g = Glossary::new(vec![entry]);
        assert!(g.find("Ai xin mã là kẻ gian.").is_empty());
        assert_eq!(g.find("Hỏi AI giúp.").len(), 1);
        assert_eq!(g.find("trí tuệ nhân tạo").len(), 1, "the term itself stays case-insensitive");
    }

    #[test]
    fn longest_term_wins_and_diacritics_matter() {
        let g = glossary();
        let found = g.find("Mã độc khác với ma doc.");
        assert_eq!(found.len(), 1);
        assert_eq!(g.terms[found[0].term].entry.term, "Mã độc");
    }

    /// Issue 14, item 1: `İ` gains a byte in lower case and `ẞ` loses one; the offsets found
    /// must still be the text's own (slicing at the old ones panicked).
    #[test]
    fn offsets_are_the_texts_when_lower_case_changes_length() {
        let entry = |term: &str| Term {
            entry: TermEntry {
                term: term.into(), aliases: Vec::new(), definition: "…".into(), lesson: None
            },
            id: slugify(term),
            line: 1,
            lesson_url: None,
        };
        for (term, text, word) in [("ăn", "İ ăn ẞ", "ăn"), ("ẞ", "ẞ İ", "ẞ"), ("QR", "İ QR\u{a0}ẞ", "QR")]
        {
            let g = Glossary::new(vec![entry(term)]);
            let found = g.find(text);
            let words: Vec<&str> = found.iter().map(|f| &text[f.start..f.end]).collect();
            assert_eq!(words, vec![word], "{term} in {text}");
        }
        // A term is not found inside one letter's lower case: `i` is not the `İ` of `İ i`.
        let g = Glossary::new(vec![entry("i")]);
        let found = g.find("İ i");
        assert_eq!(found, vec![Found { start: 3, end: 4, term: 0 }]);
    }
}
