//! Headings: the sections print leaves out (from the headings as written), an id for each
//! heading unique on the page (and for each footnote), and levels that start at 2 and never
//! skip one.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::{Ctx, Item, OMIT_CLASS, Piece, Rendered};
use crate::core::diagnostic::Problem;
use crate::core::paths;
use crate::core::text::slugify;

/// Marks what the printed leaflet leaves out: each section from a heading with the class
/// [`OMIT_CLASS`] up to the next heading of the same or a higher level. The class stays only
/// on the heading that opens such a section (one inside it changes nothing), which is how the
/// headings pass knows which heading to mark. Returns whether anything is left out.
pub(super) fn mark_left_out(items: &mut [Item<'_>]) -> bool {
    // Level of the heading whose section is being left out.
    let mut open: Option<u8> = None;
    let mut any = false;
    for item in items.iter_mut() {
        if let Piece::Event(Event::Start(Tag::Heading { level, classes, .. })) = &mut item.piece {
            let n = heading_number(*level);
            if open.is_some_and(|omit| n <= omit) {
                open = None;
            }
            if open.is_none() && classes.iter().any(|c| c.as_ref() == OMIT_CLASS) {
                open = Some(n);
                any = true;
            } else {
                classes.retain(|c| c.as_ref() != OMIT_CLASS);
            }
        }
        item.left_out = open.is_some();
    }
    any
}

/// A heading whose text is being read.
struct OpenHeading {
    /// Index of its start item, which becomes the opening tag once the id is known.
    start: usize,
    level: u8,
    text: String,
    explicit_id: Option<String>,
    /// It opens a section left out of print.
    marked: bool,
}

/// Gives each heading an id unique on the page (its `{#id}`, else the slug of its text),
/// checks that levels start at 2 and never skip one, and lists the page's ids (footnotes
/// included) and headings, for anchor checks and the table of contents.
pub(super) fn headings(ctx: &Ctx<'_>, items: &mut [Item<'_>], result: &mut Rendered) {
    let mut ids = PageIds::default();
    let mut previous_level = 1u8;
    let mut open: Option<OpenHeading> = None;
    for i in 0..items.len() {
        let Piece::Event(event) = &items[i].piece else { continue };
        match event {
            Event::Start(Tag::Heading { level, id, classes, .. }) => {
                let level = heading_number(*level);
                if let Some(problem) = level_problem(previous_level, level) {
                    result.diagnostics.push(ctx.error(items[i].at, problem));
                }
                previous_level = level;
                open = Some(OpenHeading {
                    start: i,
                    level,
                    text: String::new(),
                    explicit_id: id.as_ref().map(|id| id.to_string()),
                    marked: classes.iter().any(|c| c.as_ref() == OMIT_CLASS),
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = open.as_mut() {
                    h.text.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = open.take() {
                    let base = h.explicit_id.unwrap_or_else(|| slugify(&h.text));
                    let id = ids.claim(if base.is_empty() { "muc".into() } else { base });
                    result.ids.push(id.clone());
                    result.headings.push((h.level, id.clone(), h.text.trim().to_owned()));
                    items[h.start].piece = Piece::HeadingOpen { level: h.level, id, marked: h.marked };
                    items[i].piece = Piece::Html(format!("</h{}>\n", h.level).into());
                }
            }
            _ => {}
        }
    }
    footnote_ids(items, &mut ids, result);
}

/// Footnote labels become ids of the page's own (`[^1]` → `fn-1`), claimed after the headings
/// so that headings keep their ids: a label as written may repeat a template's id (`[^main]`)
/// or be defined twice, and either would give the page two elements with one id.
fn footnote_ids(items: &mut [Item<'_>], ids: &mut PageIds, result: &mut Rendered) {
    let id_for = |label: &str| {
        let slug = slugify(label);
        format!("fn-{}", if slug.is_empty() { "chu-thich".to_owned() } else { slug })
    };
    let mut by_label: HashMap<String, String> = HashMap::new();
    for item in items.iter_mut() {
        if let Piece::Event(Event::Start(Tag::FootnoteDefinition(label))) = &item.piece {
            let id = ids.claim(id_for(label));
            by_label.entry(label.to_string()).or_insert_with(|| id.clone());
            result.ids.push(id.clone());
            item.piece = Piece::Event(Event::Start(Tag::FootnoteDefinition(id.into())));
        }
    }
    for item in items.iter_mut() {
        if let Piece::Event(Event::FootnoteReference(label)) = &item.piece {
            let id = by_label.get(label.as_ref()).cloned().unwrap_or_else(|| id_for(label));
            item.piece = Piece::Event(Event::FootnoteReference(id.into()));
        }
    }
}

/// What is wrong with a heading of `level` after one of `previous`: the page title is the only
/// level 1, and a skipped level breaks the outline screen readers navigate by.
fn level_problem(previous: u8, level: u8) -> Option<Problem> {
    if level == 1 {
        Some(Problem::HeadingLevelOne)
    } else if level > previous + 1 {
        Some(Problem::HeadingSkip { from: previous, to: level })
    } else {
        None
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The ids taken on one page, with the next number to try for each, so that 20,000 headings of
/// the same text cost 20,000 look-ups rather than 200 million.
/// The ids the templates use ([`paths::RESERVED_IDS`]) count as taken without being copied in:
/// forty strings for each of ten thousand pages.
#[derive(Default)]
struct PageIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl PageIds {
    /// `base` if it is free, else the first free `base-2`, `base-3`…; an id that starts like
    /// one a template numbers (`title-…`) is moved aside first (`muc-title-…`).
    fn claim(&mut self, base: String) -> String {
        let base = if paths::RESERVED_ID_PREFIXES.iter().any(|p| base.starts_with(p)) {
            format!("{}{base}", paths::RESERVED_PREFIX_ESCAPE)
        } else {
            base
        };
        if self.take(&base) {
            return base;
        }
        let mut n = self.next.get(&base).copied().unwrap_or(2);
        loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if self.take(&candidate) {
                self.next.insert(base, n);
                return candidate;
            }
        }
    }

    /// Takes `id` if it is free.
    fn take(&mut self, id: &str) -> bool {
        !paths::RESERVED_IDS.contains(&id) && self.used.insert(id.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::glossary::Glossary;
    use crate::pipeline::markdown::testing::{render_md, render_with};

    #[test]
    fn heading_ids_are_slugs_unique_per_page() {
        let r = render_md("## Bước 1: Mở ứng dụng\n\n## Bước 1: Mở ứng dụng\n\n## Main\n\n## !!!\n");
        assert_eq!(r.ids, vec!["buoc-1-mo-ung-dung", "buoc-1-mo-ung-dung-2", "main-2", "muc"]);
        assert!(r.html.contains("<h2 id=\"buoc-1-mo-ung-dung\">Bước 1: Mở ứng dụng</h2>"), "{}", r.html);
    }

    #[test]
    fn heading_problems_carry_file_lines() {
        let r = render_md("Chữ\n\n# Một\n\n## Hai\n\n#### Bốn\n");
        let found: Vec<_> = r.diagnostics.iter().map(|d| (d.line, d.problem.clone())).collect();
        assert_eq!(found, vec![(7, Problem::HeadingLevelOne), (11, Problem::HeadingSkip { from: 2, to: 4 })]);
    }

    #[test]
    fn sections_marked_khong_in_are_left_out_of_print_only() {
        let r = render_md(
            "## Các bước\n\n1. Mở\n\n## Chi tiết {.khong-in}\n\nDài.\n\n### Thêm\n\nNữa.\n\n## Hỏi đáp\n\nHỏi.\n",
        );
        assert!(r.html.contains("<h2 id=\"chi-tiet\" class=\"khong-in\">Chi tiết</h2>"), "{}", r.html);
        assert!(r.html.contains("Dài.") && r.html.contains("Nữa."));
        let print = r.print_html.unwrap_or_default();
        assert!(!print.contains("Chi tiết") && !print.contains("Dài.") && !print.contains("Nữa."), "{print}");
        assert!(
            print.contains("Các bước") && print.contains("Hỏi.") && print.contains("<li>Mở</li>"),
            "{print}"
        );
        assert!(render_md("## A\n\nB\n").print_html.is_none());
    }

    /// A footnote named like a template id, or defined twice, never repeats an id on the page.
    #[test]
    fn footnotes_get_ids_of_their_own() {
        let r = render_with(
            "## Main\n\nA[^main] B[^x].\n\n[^main]: Một.\n\n[^x]: Hai.\n\n[^x]: Ba.\n",
            Glossary::default(),
            None,
        );
        assert_eq!(r.ids, vec!["main-2", "fn-main", "fn-x", "fn-x-2"], "{}", r.html);
        assert!(r.html.contains("href=\"#fn-main\"") && r.html.contains("href=\"#fn-x\""), "{}", r.html);
    }
}
