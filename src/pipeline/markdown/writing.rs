//! Writing the pieces as HTML, last: for the web page, and with every id prefixed for the print
//! version of a leaflet. The author's raw HTML is cleaned unless the site allows it as written,
//! and a page with more of it than can be cleaned in time is refused.

use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, Tag};

use super::links::link_open;
use super::{Item, OMIT_CLASS, Piece};
use crate::core::html;
use crate::core::paths;

/// Writes the pieces as HTML; the page is written twice when it prints, so the pieces are only
/// borrowed. With `id_prefix` (the print version of a leaflet), every id and every link to an
/// id on the page starts with it. Author HTML is sanitized unless the site allows it as written.
pub(super) fn write_html<'p, 'a: 'p>(
    pieces: impl Iterator<Item = &'p Piece<'a>>,
    id_prefix: Option<&str>,
    sanitize_html: bool,
    capacity: usize,
) -> String {
    let prefix = id_prefix.unwrap_or("");
    let prefixed = |label: &'p CowStr<'a>| -> CowStr<'p> {
        if prefix.is_empty() { CowStr::Borrowed(label) } else { format!("{prefix}{label}").into() }
    };
    let events = pieces.map(|piece| match piece {
        Piece::Event(Event::FootnoteReference(label)) => Event::FootnoteReference(prefixed(label)),
        Piece::Event(Event::Start(Tag::FootnoteDefinition(label))) => {
            Event::Start(Tag::FootnoteDefinition(prefixed(label)))
        }
        Piece::Event(event) => event.clone(),
        Piece::Html(html) => Event::Html(CowStr::Borrowed(html)),
        Piece::HeadingOpen { level, id, marked } => {
            let mut open = format!("<h{level} id=\"");
            html::escape_into(&mut open, prefix);
            html::escape_into(&mut open, id);
            open.push('"');
            if *marked {
                let _ = write!(open, " class=\"{OMIT_CLASS}\"");
            }
            open.push('>');
            Event::Html(open.into())
        }
        Piece::AnchorLinkOpen { anchor, title } => {
            Event::Html(link_open(&format!("#{prefix}{anchor}"), title, false).into())
        }
        Piece::TermLink { text, .. } if id_prefix.is_some() => Event::Html(html::escape(text).into()),
        Piece::TermLink { id, text } => {
            let mut a = format!("<a class=\"term\" href=\"#{}", paths::TERM_ID_PREFIX);
            html::escape_into(&mut a, id);
            a.push_str("\">");
            html::escape_into(&mut a, text);
            a.push_str("</a>");
            Event::Html(a.into())
        }
    });
    let mut html = String::with_capacity(capacity);
    pulldown_cmark::html::push_html(&mut html, events);
    if sanitize_html { sanitize(&html, id_prefix) } else { html }
}

/// Cleans HTML that contains raw HTML from the author, keeping what our renderer writes. In a
/// print version (`id_prefix`), the author's ids and links to them get the prefix ours have.
fn sanitize(html: &str, id_prefix: Option<&str>) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["class", "id", "role", "aria-label", "aria-hidden", "lang", "tabindex"])
        .add_tags(["figure", "figcaption", "mark", "details", "summary", "section"])
        .add_tag_attributes("th", ["scope"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("a", ["title"])
        .link_rel(Some("noopener"));
    if let Some(prefix) = id_prefix {
        // ammonia leaves an id that already starts with the prefix as it is: ours.
        builder.id_prefix(Some(prefix));
        let prefix = prefix.to_owned();
        builder.attribute_filter(move |_, attribute, value| match value.strip_prefix('#') {
            Some(id) if attribute == "href" && !id.starts_with(&prefix) => {
                Some(format!("#{prefix}{id}").into())
            }
            _ => Some(value.into()),
        });
    }
    builder.clean(html).to_string()
}

/// Tags of raw HTML a page may hold. html5ever, under the sanitizer, searches every open
/// element for each new tag, so a page of unclosed tags costs the square of their number:
/// 100,000 unclosed `<div>` took 48 s. A lesson needs a handful; 5,000 sanitize in well under a
/// second, and a page over the limit is an error instead of a stalled build.
pub const RAW_HTML_TAGS_MAX: usize = 5_000;

/// Where the author's raw HTML passes [`RAW_HTML_TAGS_MAX`] tags, if it does.
pub(super) fn too_much_author_html(items: &[Item<'_>]) -> Option<usize> {
    let mut tags = 0;
    for item in items {
        if let Piece::Event(Event::Html(html) | Event::InlineHtml(html)) = &item.piece {
            tags += html.as_bytes().windows(2).filter(|w| w[0] == b'<' && w[1].is_ascii_alphabetic()).count();
            if tags > RAW_HTML_TAGS_MAX {
                return Some(item.at);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::diagnostic::Problem;
    use crate::pipeline::glossary::Glossary;
    use crate::pipeline::markdown::testing::render_with;

    /// Issue 14: 100,000 unclosed `<div>` took 48 s in the sanitizer; now an error, at once.
    #[test]
    fn a_page_of_endless_raw_html_is_an_error_not_a_stall() {
        let body = format!("Mở đầu.\n\n{}", "<div>\n".repeat(100_000));
        let started = std::time::Instant::now();
        let r = render_with(&body, Glossary::default(), None);
        assert!(
            r.diagnostics
                .iter()
                .any(|d| matches!(d.problem, Problem::TooMuchRawHtml(RAW_HTML_TAGS_MAX)) && d.line > 2),
            "{:?}",
            r.diagnostics.first()
        );
        assert!(r.html.is_empty());
        println!("100,000 unclosed <div>: {:?}", started.elapsed());
        // A page with some raw HTML still renders.
        let r = render_with(&"<b>x</b> ".repeat(100), Glossary::default(), None);
        assert!(r.diagnostics.is_empty() && r.html.contains("<b>x</b>"), "{:?}", r.diagnostics);
    }

    /// Issue 13: a print pack holds many leaflets, so the print version's ids (headings,
    /// footnotes, the author's HTML) and the links to them start with the leaflet's id, while
    /// the web page keeps its own.
    #[test]
    fn print_ids_start_with_the_leaflet_id_and_the_web_page_keeps_its_own() {
        let body = "## Bạn cần chuẩn bị\n\nXem [bước](#buoc-1) và chú thích[^1].\n\n## Bước 1 {.khong-in}\n\nDài.\n\n## Bước 2\n\n<span id=\"rieng\">Riêng</span> <a href=\"#rieng\">tới</a>\n\n[^1]: Ghi chú.\n";
        let r = render_with(body, Glossary::default(), Some("an-toan--otp"));
        assert!(r.html.contains("<h2 id=\"ban-can-chuan-bi\">"), "{}", r.html);
        assert!(r.html.contains("href=\"#buoc-1\"") && r.html.contains("id=\"fn-1\""), "{}", r.html);
        assert_eq!(r.ids, vec!["ban-can-chuan-bi", "buoc-1", "buoc-2", "fn-1"]);
        let print = r.print_html.unwrap_or_default();
        let doc = scraper::Html::parse_fragment(&print);
        let selector = |s| scraper::Selector::parse(s).unwrap_or_else(|e| panic!("{e:?}"));
        let ids: Vec<&str> = doc.select(&selector("[id]")).filter_map(|e| e.value().attr("id")).collect();
        assert_eq!(
            ids,
            vec![
                "an-toan--otp--ban-can-chuan-bi",
                "an-toan--otp--buoc-2",
                "an-toan--otp--rieng",
                "an-toan--otp--fn-1"
            ],
            "{print}"
        );
        let anchors: Vec<&str> =
            doc.select(&selector("a[href^='#']")).filter_map(|e| e.value().attr("href")).collect();
        assert_eq!(
            anchors,
            vec!["#an-toan--otp--buoc-1", "#an-toan--otp--fn-1", "#an-toan--otp--rieng"],
            "{print}"
        );
        assert!(!print.contains("Dài."), "sections left out of print stay out: {print}");
        // Without `{.khong-in}` sections a leaflet still gets its own print version.
        let r = render_with("## A\n\nB\n", Glossary::default(), Some("x--y"));
        assert_eq!(r.print_html.as_deref(), Some("<h2 id=\"x--y--a\">A</h2>\n<p>B</p>\n"));
        assert_eq!(r.html, "<h2 id=\"a\">A</h2>\n<p>B</p>\n");
    }
}
