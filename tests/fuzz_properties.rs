//! Property tests over every parser a user's text reaches: front matter, slugs, folding,
//! percent-decoding, glossary matching (with the Unicode case-mapping traps), Markdown rendering
//! with glossary terms and hostile links, and link resolution. The property is always at least
//! "no panic"; where the output has a shape, the shape is checked too.
//!
//! Cases per property: 256 by default; `PROPTEST_CASES=20000 cargo test --release --test
//! fuzz_properties` runs a real campaign (see README, "Fuzzing").

mod common;

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use hocso::core::text::{fold, percent_decode, slugify};
use hocso::pipeline::glossary::{Glossary, Term, TermEntry};
use hocso::pipeline::load::{Kind, Source};
use proptest::prelude::*;

/// Characters that broke or nearly broke hocso before: case mapping that changes byte length
/// (İ, ẞ, ǰ), NFD marks, zero-width and bidi controls, NUL, NBSP, fences and TOML syntax.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>(),
        4 => prop::sample::select(vec![
            'İ', 'ẞ', 'ǰ', 'ﬁ', 'ß', 'Σ', 'ς', 'ı', '\u{0301}', '\u{0323}', '\u{200B}', '\u{200D}', '\u{202E}',
            '\u{FEFF}', '\0', '\u{A0}', 'đ', 'Đ', 'ă', 'ư', 'ờ', 'ễ', '<', '>', '&', '"', '\'', '\\', '[', ']', '(',
            ')', '#', '*', '_', '`', '!', ':', '/', '%', '.', '\n', '\r', '\t', ' ', '=', '+',
        ]),
        2 => prop::char::range('a', 'z'),
    ]
}

fn tricky_string(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..max).prop_map(|cs| cs.into_iter().collect())
}

/// Text made of pieces that mean something to a parser, glued with random text.
fn pieces(parts: Vec<&'static str>, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![3 => prop::sample::select(parts).prop_map(str::to_owned), 2 => tricky_string(12)],
        0..max,
    )
    .prop_map(|v| v.concat())
}

const FRONT_MATTER_PARTS: &[&str] = &[
    "+++\n",
    "+++",
    "title = \"Giữ kín mã OTP\"\n",
    "summary = \"Không đưa mã cho ai.\"\n",
    "updated = 2026-11-25\n",
    "updated = 2026-13-45\n",
    "level = \"co-ban\"\n",
    "duration = 10\n",
    "duration = -1\n",
    "tags = [\"a\", \"b\"]\n",
    "aliases = [\"../../x\", \"/\"]\n",
    "sumary = \"x\"\n",
    "[leaflet]\n",
    "weight = 99999999999999999999\n",
    "\"\"\"",
    "'''",
    "= ",
    "\n",
];

const MARKDOWN_PARTS: &[&str] = &[
    "\n\n",
    "## Bước làm\n",
    "# Một\n",
    "#### Sâu\n",
    "## Nội dung bài\n",
    "## main {#main}\n",
    "1. Mở ứng dụng\n",
    "- mục\n",
    "> [!WARNING]\n> Cảnh báo\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "[link](javascript:alert(1))",
    "[link](JaVaScRiPt:alert(1))",
    "[link]( data:text/html,x)",
    "[link](../../../../etc/passwd)",
    "[link](/%2e%2e/%2e%2e/x)",
    "[link](otp.md#buoc-1)",
    "[link](#khong-co)",
    "[link](https://example.vn/)",
    "[link](mailto:a@b.vn)",
    "![ảnh](anh.png)",
    "![](/../../outside.png)",
    "<div>",
    "</div>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[^1]\n\n[^1]: chú thích\n",
    "OTP",
    "mã OTP",
    "İ ăn ẞ",
    "ẞ İ",
    "İ QR\u{A0}ẞ",
    "VNeID",
    "`mã`",
    "**Kích hoạt OTP**",
    "- [ ] việc\n",
];

fn lesson_source(text: String) -> Source {
    Source {
        path: PathBuf::from("content/an-toan/otp.md"),
        kind: Kind::Lesson { topic_dir: "an-toan".into(), name: "otp".into(), bundle: false },
        text,
        was_nfc: true,
        lang: None,
    }
}

fn glossary(terms: &[String]) -> Glossary {
    Glossary::new(
        terms
            .iter()
            .enumerate()
            .map(|(i, t)| Term {
                entry: TermEntry {
                    term: t.clone(),
                    aliases: Vec::new(),
                    definition: "x".into(),
                    lesson: None,
                },
                id: format!("t{i}"),
                line: i + 1,
                lesson_url: None,
            })
            .collect(),
    )
}

proptest! {
    #[test]
    fn front_matter_never_panics_and_errors_point_inside_the_file(text in pieces(FRONT_MATTER_PARTS.to_vec(), 24)) {
        let lines = text.lines().count() + 2;
        if let Err(problems) = hocso::pipeline::parse::parse(&lesson_source(text)) {
            prop_assert!(!problems.is_empty());
            for p in problems {
                prop_assert!(p.line <= lines, "line {} of a {lines}-line file: {p:?}", p.line);
            }
        }
    }

    #[test]
    fn slugs_are_plain_ascii_words_joined_by_single_hyphens(text in tricky_string(60)) {
        let slug = slugify(&text);
        prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{slug:?}");
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{slug:?}");
        prop_assert_eq!(slugify(&slug), slug.clone(), "a slug is its own slug");
    }

    #[test]
    fn folding_is_idempotent_and_drops_marks(text in tricky_string(60)) {
        let once = fold(&text);
        prop_assert_eq!(fold(&once), once.clone());
        let marks = '\u{0300}'..='\u{036F}';
        prop_assert!(!once.chars().any(|c| marks.contains(&c)), "marks left in {once:?}");
    }

    #[test]
    fn percent_decoding_never_panics(text in pieces(vec!["%", "%2e", "%2E%2e", "%c3%a0", "%ff", "%0", "%zz", "/"], 20)) {
        let _ = percent_decode(&text);
    }

    #[test]
    fn glossary_matches_are_char_boundaries_that_name_their_term(
        terms in prop::collection::vec(pieces(vec!["ăn", "ẞ", "QR", "OTP", "mã", "İ", "ı", "ǰ"], 3), 1..4),
        text in pieces(vec!["İ ", "ẞ ", "ăn ", "QR", "\u{A0}", "OTP ", "mã ", "ǰ", " "], 16),
    ) {
        let g = glossary(&terms);
        for found in g.find(&text) {
            prop_assert!(text.is_char_boundary(found.start) && text.is_char_boundary(found.end), "{found:?} in {text:?}");
            prop_assert!(found.start < found.end && found.end <= text.len());
            let matched = text[found.start..found.end].to_lowercase();
            let term = hocso::core::text::nfc(terms[found.term].trim()).to_lowercase();
            prop_assert_eq!(matched, term, "{:?} in {:?}", found, text);
        }
    }
}

/// A small site, prepared once: the Markdown property renders bodies against it.
fn prepared() -> &'static hocso::pipeline::edition::Editions {
    static SITE: OnceLock<(common::Fixture, hocso::pipeline::edition::Editions)> = OnceLock::new();
    &SITE
        .get_or_init(|| {
            let f = common::Fixture::kept("site");
            f.write(
                "content/thuat-ngu.toml",
                "[[term]]\nterm = \"OTP\"\ndefinition = \"Mã dùng một lần.\"\n\n[[term]]\nterm = \"ăn\"\ndefinition = \"x\"\n\n[[term]]\nterm = \"ẞ\"\ndefinition = \"x\"\n\n[[term]]\nterm = \"QR\"\ndefinition = \"x\"\n",
            );
            let images = hocso::assets::images::Processor::checking(f.path());
            let prepared = hocso::pipeline::edition::prepare(f.path(), false, images, hocso::pipeline::edition::Sources::Keep)
                .unwrap_or_else(|p| panic!("fixture does not build: {p:?}"));
            (f, prepared)
        })
        .1
}

fn is_inside(p: &Path) -> bool {
    !p.is_absolute() && p.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

proptest! {
    #[test]
    fn markdown_renders_without_panic_safe_links_and_unique_ids(body in pieces(MARKDOWN_PARTS.to_vec(), 30)) {
        let p = prepared();
        let e = p.default_edition();
        let labels = e.theme.labels();
        let env = hocso::pipeline::markdown::Env { site: &e.site, labels: &labels, images: &p.images };
        let rendered = hocso::pipeline::markdown::to_html(
            &env,
            &hocso::pipeline::markdown::PageInput {
                path: Path::new("content/an-toan/otp.md"),
                body: &body,
                body_line: 5,
                bundle_files: &[],
                link_terms: true,
                leaflet_id: Some("an-toan--otp"),
                in_full_pack: true,
            },
        );
        // The print version's ids must be unique too: print packs hold many of them.
        if let Some(print) = &rendered.print_html {
            let doc = scraper::Html::parse_fragment(print);
            let mut ids = std::collections::HashSet::new();
            for el in doc.select(&common::sel("[id]")) {
                let id = el.value().attr("id").unwrap_or_default();
                prop_assert!(ids.insert(id.to_owned()), "duplicate print id {id:?}");
                prop_assert!(id.starts_with("an-toan--otp--"), "print id {id:?} without the leaflet prefix");
            }
        }
        let doc = scraper::Html::parse_fragment(&rendered.html);
        let mut ids = std::collections::HashSet::new();
        for el in doc.select(&common::sel("[id]")) {
            let id = el.value().attr("id").unwrap_or_default();
            prop_assert!(ids.insert(id.to_owned()), "duplicate id {id:?} in {}", rendered.html);
            prop_assert!(!hocso::core::paths::RESERVED_IDS.contains(&id), "reserved id {id:?}");
        }
        for el in doc.select(&common::sel("[href], [src]")) {
            for attr in ["href", "src"] {
                if let Some(v) = el.value().attr(attr) {
                    let scheme = v.trim().to_ascii_lowercase();
                    prop_assert!(
                        !scheme.starts_with("javascript:") && !scheme.starts_with("data:") && !scheme.starts_with("vbscript:"),
                        "{attr}={v:?} survived in {}", rendered.html
                    );
                }
            }
        }
        prop_assert!(doc.select(&common::sel("script, [onerror], [onclick]")).next().is_none(), "{}", rendered.html);
        for (_, to) in &rendered.images {
            prop_assert!(is_inside(to), "image written outside the output: {to:?}");
        }
        for d in &rendered.diagnostics {
            prop_assert!(d.line >= 5 && d.line <= 5 + body.lines().count() + 1, "{d:?}");
        }
    }

    #[test]
    fn link_resolution_never_leaves_the_site(dest in pieces(vec!["..", "/", "%2e", "%2E", "./", "static", "content", "otp.md", "#", "a.png", "\\", ":"], 12)) {
        let p = prepared();
        let target = p.default_edition().site.links.resolve(Path::new("content/an-toan/otp.md"), &dest, &[]);
        if let Ok(hocso::pipeline::assemble::Target::File { source, .. }) = target {
            prop_assert!(is_inside(&source), "{dest:?} resolved to {source:?}");
        }
    }
}
