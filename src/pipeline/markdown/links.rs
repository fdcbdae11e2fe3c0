//! Links: a `.md` file becomes its page's URL, anchors are kept for checking once every page is
//! rendered, external links are marked for sight and for screen readers, and a link whose scheme
//! could run code is an error that keeps only its text.

use std::path::Path;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use pulldown_cmark_escape::escape_href;

use super::{AnchorCheck, Ctx, Item, Piece, Rendered};
use crate::core::diagnostic::Problem;
use crate::core::html;
use crate::pipeline::assemble::{Site, Target};

/// How a link's end is written.
enum LinkEnd {
    Plain,
    /// Also says, to screen readers, that the link leaves the site.
    External,
    /// The link was not written (forbidden scheme): only its text stays.
    Dropped,
}

/// Resolves each link: a `.md` file becomes its page's URL, anchors are kept for checking once
/// every page is rendered, external links are marked for sight and for screen readers. A link
/// with a forbidden scheme is an error, and only its text stays.
pub(super) fn links(ctx: &Ctx<'_>, items: &mut [Item<'_>], result: &mut Rendered) {
    let mut ends: Vec<LinkEnd> = Vec::new();
    for item in items.iter_mut() {
        match &item.piece {
            Piece::Event(Event::Start(Tag::Link { dest_url, title, link_type, .. })) => {
                // An email autolink (`<hotro@xa.vn>`) comes without its scheme.
                let dest: CowStr<'_> = if *link_type == LinkType::Email {
                    format!("mailto:{dest_url}").into()
                } else {
                    dest_url.clone()
                };
                let (piece, end) = link_start(ctx, &dest, title, item.at, result);
                ends.push(end);
                item.piece = piece;
            }
            Piece::Event(Event::End(TagEnd::Link)) => {
                item.piece = Piece::Html(match ends.pop().unwrap_or(LinkEnd::Plain) {
                    LinkEnd::Plain => "</a>".into(),
                    LinkEnd::External => format!(
                        "<span class=\"visually-hidden\"> {}</span></a>",
                        html::escape(&ctx.env.labels.external)
                    )
                    .into(),
                    LinkEnd::Dropped => "".into(),
                });
            }
            _ => {}
        }
    }
}

/// The opening of one link, and how to close it.
fn link_start<'a>(
    ctx: &Ctx<'_>,
    dest: &str,
    title: &CowStr<'a>,
    at: usize,
    result: &mut Rendered,
) -> (Piece<'a>, LinkEnd) {
    if let Some(problem) = forbidden_scheme(dest) {
        result.diagnostics.push(ctx.error(at, problem));
        return (Piece::Html("".into()), LinkEnd::Dropped);
    }
    let (line, column) = ctx.lines.at(at);
    let check = |url: String, anchor: &str| AnchorCheck {
        line,
        column,
        url,
        anchor: anchor.to_owned(),
        written: dest.to_owned(),
    };
    let target = match ctx.env.site.links.resolve(ctx.page.path, dest, ctx.page.bundle_files) {
        Ok(target) => target,
        Err(problem) => {
            result.diagnostics.push(ctx.error(at, problem));
            return (Piece::Html("".into()), LinkEnd::Dropped);
        }
    };
    let (href, external) = match target {
        Target::External => (dest.to_owned(), true),
        Target::Other => (dest.to_owned(), false),
        Target::SamePage { anchor } => {
            result.anchor_checks.push(check(String::new(), &anchor));
            return (Piece::AnchorLinkOpen { anchor, title: title.clone() }, LinkEnd::Plain);
        }
        Target::Page { url, anchor: Some(anchor) } => {
            result.anchor_checks.push(check(url.clone(), &anchor));
            (format!("{url}#{anchor}"), false)
        }
        Target::Page { url, anchor: None } | Target::File { url, .. } => (url, false),
        Target::Missing => {
            let closest = closest_page(ctx.env.site, ctx.page.path, dest);
            result.diagnostics.push(ctx.error(at, Problem::BrokenLink { target: dest.to_owned(), closest }));
            (dest.to_owned(), false)
        }
    };
    let end = if external { LinkEnd::External } else { LinkEnd::Plain };
    let mut open = link_open(&href, title, external);
    // A link from a translation to a page not yet translated says which language it leads to.
    let page_url = href.split('#').next().unwrap_or_default();
    if let Some(lang) = ctx.env.site.foreign.get(page_url) {
        open.insert_str(open.len() - 1, &format!(" hreflang=\"{}\"", html::escape(lang)));
    }
    (Piece::Html(open.into()), end)
}

/// For a broken link, the page source whose path (written from `from`'s folder, as a link
/// would be) is nearest to what the author wrote: "otp.md" for "opt.md", "../thanh-toan/…" for
/// a folder name one letter off. Nothing when no page is near.
fn closest_page(site: &Site, from: &Path, written: &str) -> Option<String> {
    let written = written.split('#').next().unwrap_or_default();
    let from_dir = from.parent().unwrap_or(Path::new(""));
    let candidates: Vec<String> =
        site.links.url_by_source.keys().map(|source| relative_link(from_dir, source)).collect();
    crate::core::diagnostic::closest_word(written, &candidates).map(str::to_owned)
}

/// `to` (relative to the site root) as a link written in a file of folder `from_dir`.
fn relative_link(from_dir: &Path, to: &Path) -> String {
    let from: Vec<_> = from_dir.components().collect();
    let target: Vec<_> = to.components().collect();
    let common = from.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(target[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

/// The schemes a link or image may use; any other (`javascript:`, `data:`, `vbscript:`…) could
/// run code in the reader's browser.
const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The problem with `url` when its scheme, as a browser reads it, is not one of [`ALLOWED_SCHEMES`].
/// Browsers drop tabs and newlines anywhere in a URL and control characters and spaces around
/// it, and read the scheme in any case: ` JaVa&#x09;ScRiPt:` (pulldown-cmark has already
/// decoded the entity) is still `javascript:`. A URL without a scheme is relative, and fine.
pub(super) fn forbidden_scheme(url: &str) -> Option<Problem> {
    let (scheme, _) = url.trim_matches(|c: char| c <= ' ').split_once(':')?;
    let scheme: String =
        scheme.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect::<String>().to_ascii_lowercase();
    let mut chars = scheme.chars();
    let is_scheme = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let allowed = !is_scheme || ALLOWED_SCHEMES.contains(&scheme.as_str());
    // Shown in a terminal: a tab or newline in the address is shown as a space.
    (!allowed).then(|| Problem::ForbiddenScheme { scheme, url: url.replace(char::is_control, " ") })
}

pub(super) fn link_open(href: &str, title: &str, external: bool) -> String {
    let mut s = String::from("<a href=\"");
    let _ = escape_href(&mut s, href);
    s.push('"');
    if !title.is_empty() {
        s.push_str(" title=\"");
        html::escape_into(&mut s, title);
        s.push('"');
    }
    if external {
        s.push_str(" class=\"external\" rel=\"noopener\"");
    }
    s.push('>');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::diagnostic::Diagnostic;
    use crate::pipeline::markdown::testing::render_md;

    #[test]
    fn external_links_are_marked_and_broken_ones_reported() {
        let r =
            render_md("[Cổng](https://dichvucong.gov.vn) và [gọi](tel:0240000000) và [hỏng](khong-co.md)\n");
        assert!(
            r.html.contains("<a href=\"https://dichvucong.gov.vn\" class=\"external\" rel=\"noopener\">Cổng<span class=\"visually-hidden\"> (mở trang ngoài)</span></a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<a href=\"tel:0240000000\">gọi</a>"));
        assert_eq!(r.diagnostics.len(), 1);
        assert!(
            matches!(&r.diagnostics[0].problem, Problem::BrokenLink { target, .. } if target == "khong-co.md"),
            "{:?}",
            r.diagnostics
        );
        let column = "[Cổng](https://dichvucong.gov.vn) và [gọi](tel:0240000000) và ".chars().count() + 1;
        assert_eq!((r.diagnostics[0].line, r.diagnostics[0].column), (5, column));
    }

    /// Issue 14, item 4: only http, https, mailto, tel and relative links survive, on every
    /// page (not only on pages with raw HTML), however the scheme is spelt.
    #[test]
    fn links_and_images_with_a_forbidden_scheme_are_errors_where_written() {
        for (written, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("JaVaScRiPt:alert(1)", "javascript"),
            (" javascript:alert(1)", "javascript"),
            ("java&#x09;script:alert(1)", "javascript"),
            ("&#x20;&#x0A;javascript:alert(1)", "javascript"),
            ("&#106;avascript:alert(1)", "javascript"),
            ("data:text/html;base64,PHNjcmlwdD4=", "data"),
            ("VBScript:msgbox(1)", "vbscript"),
        ] {
            let body = format!("Chữ đầu\n\nBấm [vào đây]({written}) nhé.\n");
            let r = render_md(&body);
            let found: Vec<_> = r.diagnostics.iter().map(|d| (d.line, d.column, d.problem.clone())).collect();
            assert_eq!(found.len(), 1, "{written}: {found:?}");
            assert!(
                matches!(&found[0], (7, 5, Problem::ForbiddenScheme { scheme: s, .. }) if s == scheme),
                "{written}: {found:?}"
            );
            assert!(diagnostic_is_error(&r.diagnostics[0]));
            assert!(!r.html.contains("<a"), "{written}: {}", r.html);
            assert!(r.html.contains("Bấm vào đây nhé."), "the link's text stays: {}", r.html);
        }
        // Autolinks and reference links too.
        for body in ["<javascript:alert(1)>\n", "[t][r]\n\n[r]: javascript:alert(1)\n"] {
            let r = render_md(body);
            assert!(
                matches!(&r.diagnostics[..], [d] if matches!(&d.problem, Problem::ForbiddenScheme { scheme, .. } if scheme == "javascript")),
                "{body}: {:?}",
                r.diagnostics
            );
            assert!(!r.html.contains("href"), "{}", r.html);
        }
        // Images.
        for src in ["javascript:alert(1)", "DATA:image/png;base64,iVBORw0KGgo="] {
            let r = render_md(&format!("![Ảnh]({src})\n"));
            assert!(
                matches!(&r.diagnostics[..], [d] if matches!(d.problem, Problem::ForbiddenScheme { .. }) && (d.line, d.column) == (5, 1)),
                "{src}: {:?}",
                r.diagnostics
            );
            assert!(!r.html.to_lowercase().contains(&src[..4].to_lowercase()), "{}", r.html);
        }
        // What may stay.
        let r = render_md(
            "[a](https://x.vn) [b](HTTP://x.vn) [c](mailto:a@x.vn) [d](tel:0240000000) [e](#muc) [f](/duong/dan:1)\n\n## Mục {#muc}\n",
        );
        assert!(
            !r.diagnostics.iter().any(|d| matches!(d.problem, Problem::ForbiddenScheme { .. })),
            "{:?}",
            r.diagnostics
        );
        assert_eq!(r.html.matches("<a href=").count(), 6, "{}", r.html);
    }

    /// An email autolink becomes a mailto: link, and a scheme in capitals is still a web
    /// address: neither is reported as a broken link to a file.
    #[test]
    fn email_autolinks_and_capital_schemes_are_links_not_missing_files() {
        let r = render_md("Viết cho <hotro@xa.example.vn> hoặc xem [trang](HTTP://XA.EXAMPLE.VN/).\n");
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert!(r.html.contains("href=\"mailto:hotro@xa.example.vn\""), "{}", r.html);
        assert!(r.html.contains("href=\"HTTP://XA.EXAMPLE.VN/\" class=\"external\""), "{}", r.html);
    }

    fn diagnostic_is_error(d: &Diagnostic) -> bool {
        crate::core::diagnostic::has_errors(std::slice::from_ref(d))
    }
}
