//! Glossary terms: every term a lesson uses is listed, and the first use of each in running
//! text links to its definition on the page.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{Ctx, Item, Piece};
use crate::pipeline::assemble::Site;

/// Finds the glossary terms a lesson uses (all of them, for its "words in this lesson" list
/// and its search entry) and links the first use of each to its definition in that list, on
/// the same page. A term is linked once per lesson, and only in running text: not in headings,
/// links or code (a link in a link, or read wrong), not in bold or italic words (the names of
/// buttons: "Chọn **Kích hoạt tài khoản**" must read as one name) and not in steps, which a
/// resident follows one by one and should not be pulled away from.
pub(super) fn link_terms<'a>(ctx: &Ctx<'_>, items: Vec<Item<'a>>, used: &mut Vec<usize>) -> Vec<Item<'a>> {
    let site = ctx.env.site;
    if !ctx.page.link_terms || site.glossary.is_empty() {
        return items;
    }
    let mut out = Vec::with_capacity(items.len());
    let (mut in_code, mut in_heading, mut open_links, mut emphasis) = (false, false, 0usize, 0usize);
    // For each open list, whether it is numbered (steps).
    let mut lists: Vec<bool> = Vec::new();
    let mut linked: Vec<usize> = Vec::new();
    for item in items {
        if let Piece::Event(event) = &item.piece {
            match event {
                Event::Start(Tag::CodeBlock(_)) => in_code = true,
                Event::End(TagEnd::CodeBlock) => in_code = false,
                Event::Start(Tag::Heading { .. }) => in_heading = true,
                Event::End(TagEnd::Heading(_)) => in_heading = false,
                Event::Start(Tag::Link { .. }) => open_links += 1,
                Event::End(TagEnd::Link) => open_links = open_links.saturating_sub(1),
                Event::Start(Tag::Strong | Tag::Emphasis) => emphasis += 1,
                Event::End(TagEnd::Strong | TagEnd::Emphasis) => emphasis = emphasis.saturating_sub(1),
                Event::Start(Tag::List(start)) => lists.push(start.is_some()),
                Event::End(TagEnd::List(_)) => {
                    lists.pop();
                }
                Event::Text(text) if !in_code && !in_heading && open_links == 0 => {
                    let linkable = emphasis == 0 && !lists.iter().any(|numbered| *numbered);
                    let place = |piece| Item { piece, at: item.at, left_out: item.left_out };
                    for piece in text_with_terms(site, text, used, linkable.then_some(&mut linked)) {
                        out.push(place(piece));
                    }
                    continue;
                }
                _ => {}
            }
        }
        out.push(item);
    }
    out
}

/// `text` as pieces: every glossary term found is added to `used` (once), and, where `linked`
/// is given, the first one not linked yet becomes a link to its definition on the page.
fn text_with_terms<'a>(
    site: &Site,
    text: &CowStr<'a>,
    used: &mut Vec<usize>,
    mut linked: Option<&mut Vec<usize>>,
) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    let mut last = 0;
    for found in site.glossary.find(text) {
        if !used.contains(&found.term) {
            used.push(found.term);
        }
        let Some(linked) = linked.as_deref_mut() else { continue };
        if linked.contains(&found.term) {
            continue;
        }
        linked.push(found.term);
        let term = &site.glossary.terms[found.term];
        if found.start > last {
            out.push(Piece::Event(Event::Text(CowStr::Boxed(text[last..found.start].into()))));
        }
        out.push(Piece::TermLink {
            id: term.id.clone(),
            text: CowStr::Boxed(text[found.start..found.end].into()),
        });
        last = found.end;
    }
    if last == 0 {
        out.push(Piece::Event(Event::Text(text.clone())));
    } else if last < text.len() {
        out.push(Piece::Event(Event::Text(CowStr::Boxed(text[last..].into()))));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::core::text::slugify;
    use crate::pipeline::glossary::{Glossary, Term, TermEntry};
    use crate::pipeline::markdown::testing::render_with;

    /// A glossary of the given terms, each its own only name.
    fn glossary(terms: &[&str]) -> Glossary {
        Glossary::new(
            terms
                .iter()
                .map(|t| Term {
                    entry: TermEntry {
                        term: (*t).into(),
                        aliases: Vec::new(),
                        definition: "…".into(),
                        lesson: None,
                    },
                    id: slugify(t),
                    line: 1,
                    lesson_url: None,
                })
                .collect(),
        )
    }

    /// Renders `line` with a glossary of `term` alone and checks `term` is linked once, with
    /// nothing lost or doubled around it.
    fn assert_term_linked(term: &str, line: &str) {
        let r = render_with(&format!("{line}\n"), glossary(&[term]), None);
        let link = format!("<a class=\"term\" href=\"#nghia-{}\">{term}</a>", slugify(term));
        assert!(r.html.contains(&link), "{term} in {line}: {}", r.html);
        assert_eq!(r.terms, vec![0]);
        assert_eq!(r.html.replace(&link, term), format!("<p>{line}</p>\n"));
    }

    // Issue 14, item 1: letters whose lower case is longer (`İ`) or shorter (`ẞ`) in bytes moved
    // the glossary's offsets, and slicing the text at them panicked (in this module for the first
    // two, in glossary.rs for the third).

    #[test]
    fn glossary_term_between_dotted_capital_i_and_capital_sharp_s() {
        assert_term_linked("ăn", "İ ăn ẞ");
    }

    #[test]
    fn glossary_term_capital_sharp_s_before_dotted_capital_i() {
        assert_term_linked("ẞ", "ẞ İ");
    }

    #[test]
    fn glossary_acronym_after_dotted_capital_i_before_nbsp_and_sharp_s() {
        assert_term_linked("QR", "İ QR\u{a0}ẞ");
    }
}
