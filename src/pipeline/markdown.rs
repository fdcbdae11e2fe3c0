//! Stage 5a — Markdown to HTML, with the adjustments our readers need.
//!
//! pulldown-cmark does the parsing and most of the HTML. Its events then go through one pass
//! per concern, each reading only what the passes before it left (the order is explained at
//! [`render`]):
//! - print: sections under a `{.khong-in}` heading are marked to leave out of the leaflet;
//! - images become a `<picture>` (or the cleaned SVG), their alt text read whole;
//! - glossary: the first use of each term links to its entry;
//! - headings get Vietnamese slug ids (unique per page) and their levels are checked;
//! - links: `.md` links become page URLs, external links are marked for sight and for screen
//!   readers, and only `http`, `https`, `mailto` and `tel` links (or relative ones) survive;
//! - blocks: GFM alerts become callouts whose kind is said in words, not only by colour; ordered
//!   lists become big numbered steps; tables get `<th scope="col">` and a scrollable,
//!   keyboard-reachable wrapper; task-list checkboxes become text, since a disabled checkbox
//!   without a label confuses screen readers.
//!
//! The HTML is written last: for the web page, and for the printed leaflet, whose ids all start
//! with the leaflet's id because a print pack puts many leaflets on one page.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use pulldown_cmark_escape::escape_href;

use crate::assets::images::{ImageProblem, Processed, Processor};
use crate::assets::theme::Labels;
use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::html;
use crate::core::lines::LineIndex;
use crate::core::paths;
use crate::core::text::slugify;
use crate::pipeline::assemble::{PageKind, Site, Target};
use crate::pipeline::load::BundleFile;
use crate::pipeline::quiz;

/// Heading class that leaves a section out of the printed leaflet: `## Chi tiết {.khong-in}`.
pub const OMIT_CLASS: &str = "khong-in";

/// A link to a heading on another page, checked once every page is rendered.
#[derive(Clone, Debug)]
pub struct AnchorCheck {
    pub line: usize,
    pub column: usize,
    pub url: String,
    pub anchor: String,
    pub written: String,
}

/// What rendering one page produced.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// What the page prints: without the sections whose heading has the class [`OMIT_CLASS`],
    /// and with every id prefixed when the page is a leaflet ([`PageInput::leaflet_id`]).
    /// `None` when printing changes nothing (then the leaflet prints `html`).
    pub print_html: Option<String>,
    /// Whether print leaves a `{.khong-in}` section out, or prints questions its own way: then
    /// the lesson page cannot print its web body as it is and carries `print_html` too, shown on
    /// paper only.
    pub prints_less: bool,
    /// Every id the content defines (headings, footnotes), for anchor checks.
    pub ids: Vec<String>,
    /// Headings (level, id, text), for a table of contents.
    pub headings: Vec<(u8, String, String)>,
    pub anchor_checks: Vec<AnchorCheck>,
    pub diagnostics: Vec<Diagnostic>,
    /// Glossary terms linked on this page (indices into the glossary), in order of first use.
    pub terms: Vec<usize>,
    /// Processed image files to publish: (file in the image cache, path in the output).
    pub images: Vec<(PathBuf, PathBuf)>,
}

/// Rendered Markdown of every page, in the same order as in the [`Site`].
#[derive(Default)]
pub struct Contents {
    pub home: Rendered,
    pub topics: Vec<Rendered>,
    pub lessons: Vec<Rendered>,
    pub pages: Vec<Rendered>,
    /// Rendered `leaflet_summary` of each lesson that has one.
    pub leaflet_summaries: Vec<Option<Rendered>>,
    /// Estimated printed pages of each lesson's leaflet.
    pub leaflet_pages: Vec<f64>,
}

impl Contents {
    /// What the leaflet of lesson `i` prints: the print version of its `leaflet_summary`, or of
    /// the lesson.
    pub fn leaflet_html(&self, i: usize) -> &str {
        let printed = self.leaflet_summaries[i].as_ref().unwrap_or(&self.lessons[i]);
        printed.print_html.as_deref().unwrap_or(&printed.html)
    }

    /// Whether lesson `i` prints something else than its web body (a `leaflet_summary`, or
    /// without `{.khong-in}` sections): then its page carries [`Self::leaflet_html`] as well.
    pub fn prints_differently(&self, i: usize) -> bool {
        self.leaflet_summaries[i].is_some() || self.lessons[i].prints_less
    }

    /// The rendered Markdown of the page [`Site::every_page`] names `kind`.
    pub fn page(&self, kind: PageKind) -> &Rendered {
        match kind {
            PageKind::Home => &self.home,
            PageKind::Topic(i) => &self.topics[i],
            PageKind::Lesson(i) => &self.lessons[i],
            PageKind::Page(i) => &self.pages[i],
        }
    }

    /// Everything rendered, for what is gathered from all of it (problems, images): every page
    /// in the order of [`Site::every_page`], then every leaflet summary.
    pub fn all_rendered(&self) -> impl Iterator<Item = &Rendered> {
        std::iter::once(&self.home)
            .chain(&self.topics)
            .chain(&self.lessons)
            .chain(&self.pages)
            .chain(self.leaflet_summaries.iter().flatten())
    }
}

/// What every page's rendering shares: the site, the theme's words, the image processor.
pub struct Env<'a> {
    pub site: &'a Site,
    pub labels: &'a Labels,
    pub images: &'a Processor,
}

/// Everything the renderer needs about the page it renders.
pub struct PageInput<'a> {
    pub path: &'a Path,
    pub body: &'a str,
    pub body_line: usize,
    pub bundle_files: &'a [BundleFile],
    /// Link the first use of each glossary term (lessons only).
    pub link_terms: bool,
    /// The id of the page's leaflet (`an-toan--otp`) when the page prints as one. A print pack
    /// puts many leaflets on one page, so every id of the print version then starts with
    /// `an-toan--otp--`; the web page keeps its ids.
    pub leaflet_id: Option<&'a str>,
    /// Whether a print pack shows the page's leaflet in full (a pack of at most
    /// `render::PACK_MAX` leaflets). Only then, or when print leaves
    /// something out, is a print version kept: on a 10,000-lesson site a copy of every lesson's
    /// HTML nobody prints was a fifth of the build's memory.
    pub in_full_pack: bool,
}

/// Renders one page's Markdown. The passes run in this order because each needs what the ones
/// before it did: print marks come from the headings as written; images are gathered whole
/// before anything reads text; glossary links need headings, links and code still marked by
/// their start and end events; headings, links and blocks then become HTML of our own, and
/// whether the author wrote HTML can be told from ours; writing comes last.
pub fn render(env: &Env<'_>, page: &PageInput<'_>) -> Rendered {
    let ctx = Ctx { env, page, lines: LineIndex::new(page.body, page.body_line) };
    let mut result = Rendered::default();
    let mut items = parse(page.body);
    let left_out = mark_left_out(&mut items);
    result.prints_less = left_out;
    let items = collapse_images(&ctx, items, &mut result);
    let mut items = link_terms(&ctx, items, &mut result.terms);
    headings(&ctx, &mut items, &mut result);
    links(&ctx, &mut items, &mut result);
    blocks(env.labels, &mut items);
    let quizzes = quizzes(&ctx, &mut items, &mut result);

    let sanitize_html = !env.site.config.unsafe_html && items.iter().any(Item::is_author_html);
    if sanitize_html && let Some(at) = too_much_author_html(&items) {
        // Sanitizing would take minutes (see RAW_HTML_TAGS_MAX); the build fails on this error.
        result.diagnostics.push(ctx.error(at, Problem::TooMuchRawHtml(RAW_HTML_TAGS_MAX)));
        return result;
    }
    let prefix = page.leaflet_id.map(|id| format!("{id}--"));
    // Questions print differently (the answers in one line at the end, not under each one), so
    // a lesson that asks some prints its print version too.
    result.prints_less |= !quizzes.is_empty();
    if left_out || (prefix.is_some() && page.in_full_pack) || !quizzes.is_empty() {
        let kept = items.iter().filter(|i| !i.left_out).map(|i| &i.piece);
        let mut print = write_html(kept, prefix.as_deref(), sanitize_html, page.body.len());
        print.push_str(&quiz::print_html(&quizzes, env.labels));
        result.print_html = Some(print);
    }
    let all = items.iter().map(|i| &i.piece);
    result.html = write_html(all, None, sanitize_html, page.body.len() * 3 / 2);
    // Each pass reports in its own order; readers want the file's. The sort is stable, so two
    // problems at one place keep the order their pass gave them.
    result.diagnostics.sort_by_key(|d| (d.line, d.column));
    result
}

/// What every pass over one page reads.
struct Ctx<'a> {
    env: &'a Env<'a>,
    page: &'a PageInput<'a>,
    lines: LineIndex<'a>,
}

impl Ctx<'_> {
    /// An error at byte `at` of the body.
    fn error(&self, at: usize, problem: Problem) -> Diagnostic {
        let (line, column) = self.lines.at(at);
        Diagnostic::error(self.page.path, line, column, problem)
    }

    /// A warning at byte `at` of the body.
    fn warning(&self, at: usize, problem: Problem) -> Diagnostic {
        let (line, column) = self.lines.at(at);
        Diagnostic::warning(self.page.path, line, column, problem)
    }
}

/// Tags of raw HTML a page may hold. html5ever, under the sanitizer, searches every open
/// element for each new tag, so a page of unclosed tags costs the square of their number:
/// 100,000 unclosed `<div>` took 48 s. A lesson needs a handful; 5,000 sanitize in well under a
/// second, and a page over the limit is an error instead of a stalled build.
pub const RAW_HTML_TAGS_MAX: usize = 5_000;

/// Where the author's raw HTML passes [`RAW_HTML_TAGS_MAX`] tags, if it does.
fn too_much_author_html(items: &[Item<'_>]) -> Option<usize> {
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

/// One piece of the page on its way to HTML.
struct Item<'a> {
    piece: Piece<'a>,
    /// Byte offset in the body where it comes from, for messages.
    at: usize,
    /// In a section the printed leaflet leaves out.
    left_out: bool,
}

impl Item<'_> {
    fn is_author_html(&self) -> bool {
        matches!(self.piece, Piece::Event(Event::Html(_) | Event::InlineHtml(_)))
    }
}

/// What an item holds. The passes turn events into HTML of their own; the two kinds whose HTML
/// names an id stay apart until writing, since print writes their ids with a prefix.
enum Piece<'a> {
    /// From pulldown-cmark, for its writer. An `Html` or `InlineHtml` event here is always the
    /// author's (it decides sanitizing): the passes make [`Piece::Html`].
    Event(Event<'a>),
    /// HTML a pass made.
    Html(CowStr<'a>),
    /// `<hN id="…">`; `marked` adds the class [`OMIT_CLASS`], for themes to style.
    HeadingOpen { level: u8, id: String, marked: bool },
    /// `<a href="#…">` to an id on the same page.
    AnchorLinkOpen { anchor: String, title: CowStr<'a> },
    /// A glossary term, linked to its definition in the lesson's word list (on the web page;
    /// print has no list to point to, so there it is plain text).
    TermLink { id: String, text: CowStr<'a> },
}

/// The Markdown hocso reads: CommonMark with tables, footnotes, strikethrough, task lists,
/// heading attributes and GFM alerts (also read by [`crate::pipeline::speech`]).
pub const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES)
    .union(Options::ENABLE_GFM);

/// pulldown-cmark's events, each with the offset it starts at.
fn parse(body: &str) -> Vec<Item<'_>> {
    Parser::new_ext(body, OPTIONS)
        .into_offset_iter()
        .map(|(event, range)| Item { piece: Piece::Event(event), at: range.start, left_out: false })
        .collect()
}

/// Marks what the printed leaflet leaves out: each section from a heading with the class
/// [`OMIT_CLASS`] up to the next heading of the same or a higher level. The class stays only
/// on the heading that opens such a section (one inside it changes nothing), which is how the
/// headings pass knows which heading to mark. Returns whether anything is left out.
fn mark_left_out(items: &mut [Item<'_>]) -> bool {
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

/// An image whose alt text is being read.
struct OpenImage {
    dest: String,
    title: String,
    alt: String,
    /// Where the image starts, and whether print leaves it out.
    at: usize,
    left_out: bool,
}

/// Replaces each image's events (start, alt text, end) by its HTML. The alt text is gathered
/// whole before any later pass reads text, so it never gets a glossary link nor counts as a
/// heading's text. The first image of the page loads at once, the others lazily.
fn collapse_images<'a>(ctx: &Ctx<'_>, items: Vec<Item<'a>>, result: &mut Rendered) -> Vec<Item<'a>> {
    let mut out = Vec::with_capacity(items.len());
    let mut open: Option<OpenImage> = None;
    let mut count = 0usize;
    for item in items {
        let Piece::Event(event) = &item.piece else {
            out.push(item);
            continue;
        };
        match (open.as_mut(), event) {
            (None, Event::Start(Tag::Image { dest_url, title, .. })) => {
                open = Some(OpenImage {
                    dest: dest_url.to_string(),
                    title: title.to_string(),
                    alt: String::new(),
                    at: item.at,
                    left_out: item.left_out,
                });
            }
            (None, _) => out.push(item),
            (Some(image), Event::Text(t) | Event::Code(t)) => image.alt.push_str(t),
            (Some(image), Event::SoftBreak | Event::HardBreak) => image.alt.push(' '),
            (Some(_), Event::End(TagEnd::Image)) => {
                if let Some(image) = open.take() {
                    count += 1;
                    let (at, left_out) = (image.at, image.left_out);
                    let html = image_html(ctx, image, count == 1, result);
                    out.push(Item { piece: Piece::Html(html.into()), at, left_out });
                }
            }
            (Some(_), _) => {}
        }
    }
    out
}

/// Finds the glossary terms a lesson uses (all of them, for its "words in this lesson" list
/// and its search entry) and links the first use of each to its definition in that list, on
/// the same page. A term is linked once per lesson, and only in running text: not in headings,
/// links or code (a link in a link, or read wrong), not in bold or italic words (the names of
/// buttons: "Chọn **Kích hoạt tài khoản**" must read as one name) and not in steps, which a
/// resident follows one by one and should not be pulled away from.
fn link_terms<'a>(ctx: &Ctx<'_>, items: Vec<Item<'a>>, used: &mut Vec<usize>) -> Vec<Item<'a>> {
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
fn headings(ctx: &Ctx<'_>, items: &mut [Item<'_>], result: &mut Rendered) {
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
fn links(ctx: &Ctx<'_>, items: &mut [Item<'_>], result: &mut Rendered) {
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
    let target = match ctx.env.site.resolve(ctx.page.path, dest, ctx.page.bundle_files) {
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
fn forbidden_scheme(url: &str) -> Option<Problem> {
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

/// Callouts, numbered steps, tables and task markers, written as our readers need them (see
/// the module's documentation).
fn blocks(labels: &Labels, items: &mut [Item<'_>]) {
    let mut in_table_head = false;
    for item in items.iter_mut() {
        let Piece::Event(event) = &item.piece else { continue };
        let html: CowStr<'_> = match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => callout_open(labels, *kind).into(),
            Event::End(TagEnd::BlockQuote(Some(_))) => "</div>\n".into(),
            Event::Start(Tag::List(Some(1))) => "<ol class=\"steps\">\n".into(),
            Event::Start(Tag::List(Some(start))) => {
                format!("<ol class=\"steps\" start=\"{start}\">\n").into()
            }
            Event::End(TagEnd::List(true)) => "</ol>\n".into(),
            Event::Start(Tag::Table(_)) => format!(
                "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">\n<table>\n",
                html::escape(&labels.table)
            )
            .into(),
            Event::End(TagEnd::Table) => "</tbody>\n</table>\n</div>\n".into(),
            Event::Start(Tag::TableHead) => {
                in_table_head = true;
                "<thead>\n<tr>".into()
            }
            Event::End(TagEnd::TableHead) => {
                in_table_head = false;
                "</tr>\n</thead>\n<tbody>\n".into()
            }
            Event::Start(Tag::TableRow) => "<tr>".into(),
            Event::End(TagEnd::TableRow) => "</tr>\n".into(),
            Event::Start(Tag::TableCell) => if in_table_head { "<th scope=\"col\">" } else { "<td>" }.into(),
            Event::End(TagEnd::TableCell) => if in_table_head { "</th>" } else { "</td>" }.into(),
            Event::TaskListMarker(done) => {
                let (symbol, words) = if *done { ("☑", &labels.done) } else { ("☐", &labels.not_done) };
                format!(
                    "<span class=\"task\" aria-hidden=\"true\">{symbol}</span><span class=\"visually-hidden\">{}</span> ",
                    html::escape(words)
                )
                .into()
            }
            _ => continue,
        };
        item.piece = Piece::Html(html);
    }
}

/// Self-check question blocks (```` ```cau-hoi ````, see [`quiz`]) become the question's HTML in
/// place; the leaflet prints them after the lesson instead, so in place they are left out of
/// print. Returns the questions the leaflet prints (not those of a section print leaves out).
fn quizzes(ctx: &Ctx<'_>, items: &mut [Item<'_>], result: &mut Rendered) -> Vec<quiz::Quiz> {
    let mut printed = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for i in 0..items.len() {
        let Piece::Event(event) = &items[i].piece else { continue };
        match (&mut open, event) {
            (None, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))))
                if info.trim() == quiz::FENCE =>
            {
                open = Some((i, String::new()));
            }
            (Some((_, text)), Event::Text(t)) => text.push_str(t),
            (Some(_), Event::End(TagEnd::CodeBlock)) => {
                let Some((start, text)) = open.take() else { continue };
                let (fence_line, _) = ctx.lines.at(items[start].at);
                let html = match quiz::parse(ctx.page.path, &text, fence_line + 1) {
                    Ok(q) => {
                        let html = quiz::web_html(&q, ctx.env.labels);
                        if !items[start].left_out {
                            printed.push(q);
                        }
                        html
                    }
                    Err(problems) => {
                        result.diagnostics.extend(problems);
                        String::new()
                    }
                };
                items[start].piece = Piece::Html(html.into());
                for item in &mut items[start..=i] {
                    item.left_out = true;
                }
                for item in &mut items[start + 1..=i] {
                    item.piece = Piece::Html(CowStr::Borrowed(""));
                }
            }
            _ => {}
        }
    }
    printed
}

/// Writes the pieces as HTML; the page is written twice when it prints, so the pieces are only
/// borrowed. With `id_prefix` (the print version of a leaflet), every id and every link to an
/// id on the page starts with it. Author HTML is sanitized unless the site allows it as written.
fn write_html<'p, 'a: 'p>(
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

/// Titles that mark an image as decorative: `![](hoa-van.png "trang trí")`.
pub const DECORATIVE: [&str; 2] = ["trang trí", "decorative"];
/// Alt text longer than this gets a warning: a caption or a longer description reads better.
pub const ALT_MAX: usize = 150;

/// The HTML of one image: a `<picture>` with WebP and fallback sizes for raster images, the
/// cleaned file for SVG; problems (missing, unreadable, unsafe, no alt text) go to `result`.
fn image_html(ctx: &Ctx<'_>, open: OpenImage, first: bool, result: &mut Rendered) -> String {
    let decorative = DECORATIVE.iter().any(|d| open.title.trim().eq_ignore_ascii_case(d));
    let alt = open.alt.split_whitespace().collect::<Vec<_>>().join(" ");
    if alt.is_empty() && !decorative {
        result.diagnostics.push(ctx.error(open.at, Problem::ImageWithoutAlt(open.dest.clone())));
    } else if alt.chars().count() > ALT_MAX {
        result.diagnostics.push(ctx.warning(open.at, Problem::AltTooLong(alt.chars().count())));
    }
    let Some((url, processed)) = image_source(ctx, &open, result) else { return String::new() };
    // Published beside the original's address.
    let url_dir = &url[..url.rfind('/').map_or(0, |i| i + 1)];
    let out_dir = paths::output_dir(&ctx.env.site.config.base_path(), url_dir);
    let files = processed.svg.iter().chain(processed.variants.iter().map(|v| &v.webp));
    let files = files.chain(processed.variants.iter().map(|v| &v.fallback));
    result.images.extend(files.map(|name| (processed.cache_dir.join(name), out_dir.join(name))));

    let alt_attr = html::escape(if decorative { "" } else { &alt });
    let loading = if first { "" } else { " loading=\"lazy\" decoding=\"async\"" };
    if let Some(svg) = &processed.svg {
        let size = if processed.width > 0 {
            format!(" width=\"{}\" height=\"{}\"", processed.width, processed.height)
        } else {
            String::new()
        };
        let portrait = if processed.height > processed.width * 13 / 10 { " class=\"portrait\"" } else { "" };
        let src = html::escape(&format!("{url_dir}{svg}"));
        return format!("<img src=\"{src}\" alt=\"{alt_attr}\"{size}{portrait}{loading}>");
    }
    let full_image = (!decorative).then_some(ctx.env.labels.full_image.as_str());
    picture_html(url_dir, &processed, &alt_attr, loading, full_image).unwrap_or_default()
}

/// The image's URL and processed files, or `None` once `result` says why there are none: a
/// forbidden scheme, an address outside the site, a missing or unreadable file.
fn image_source(ctx: &Ctx<'_>, open: &OpenImage, result: &mut Rendered) -> Option<(String, Processed)> {
    let site = ctx.env.site;
    let mut fail = |problem| {
        result.diagnostics.push(ctx.error(open.at, problem));
        None
    };
    if let Some(problem) = forbidden_scheme(&open.dest) {
        return fail(problem);
    }
    let (url, source) = match site.resolve(ctx.page.path, &open.dest, ctx.page.bundle_files) {
        Ok(Target::File { url, source }) => (url, source),
        Ok(Target::External) => return fail(Problem::ExternalImage(open.dest.clone())),
        Ok(_) => return fail(Problem::MissingImage(open.dest.clone())),
        Err(problem) => return fail(problem),
    };
    let processed = match ctx.env.images.get(&site.root.join(&source)) {
        Ok(p) => p,
        Err(problem) => {
            let src = open.dest.clone();
            return fail(match problem {
                ImageProblem::Missing => Problem::MissingImage(src),
                ImageProblem::Unreadable(why) => Problem::ImageUnreadable { src, why },
                ImageProblem::TooLarge { width, height } => Problem::ImageTooLarge { src, width, height },
                ImageProblem::Io(why) => Problem::Io(why),
            });
        }
    };
    if let Some(megapixels) = processed.large {
        let problem = Problem::ImageLarge { src: open.dest.clone(), megapixels };
        result.diagnostics.push(ctx.warning(open.at, problem));
    }
    Some((url, processed))
}

/// A raster image as a `<picture>`: WebP and fallback in every size, the middle size as `src`;
/// `full_image` (the link's words) adds a link to the largest size when the page shows it
/// smaller than it is. `None` when processing made no size at all.
fn picture_html(
    url_dir: &str,
    processed: &Processed,
    alt_attr: &str,
    loading: &str,
    full_image: Option<&str>,
) -> Option<String> {
    let sizes = "(min-width: 48rem) 46rem, 100vw";
    let srcset = |name: fn(&crate::assets::images::Variant) -> &String| {
        let list: Vec<String> =
            processed.variants.iter().map(|v| format!("{url_dir}{} {}w", name(v), v.width)).collect();
        html::escape(&list.join(", "))
    };
    let largest = processed.variants.last()?;
    let middle = processed.variants.get(1).unwrap_or(largest);
    let portrait = if largest.height > largest.width * 13 / 10 { " class=\"portrait\"" } else { "" };
    let mut html = format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\"><img src=\"{url_dir}{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{alt_attr}\"{portrait}{loading}></picture>",
        srcset(|v| &v.webp),
        html::escape(&middle.fallback),
        srcset(|v| &v.fallback),
        largest.width,
        largest.height,
    );
    if let Some(words) = full_image.filter(|_| processed.width > largest.width.min(800)) {
        let _ = write!(
            html,
            " <a class=\"image-full\" href=\"{url_dir}{}\">{}<span class=\"visually-hidden\">: {alt_attr}</span></a>",
            html::escape(&largest.fallback),
            html::escape(words),
        );
    }
    Some(html)
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

/// The opening of a callout: its kind said in words and by a symbol, not only by colour. The
/// symbols are ones every system font has: ✋ printed as an empty box on a Linux machine without
/// emoji fonts. The word says the kind in any case; the symbol only helps the eye.
fn callout_open(labels: &Labels, kind: BlockQuoteKind) -> String {
    let (class, label, symbol) = match kind {
        BlockQuoteKind::Note => ("note", &labels.note, "ℹ"),
        BlockQuoteKind::Tip => ("tip", &labels.tip, "✓"),
        BlockQuoteKind::Important => ("important", &labels.important, "!"),
        BlockQuoteKind::Warning => ("warning", &labels.warning, "⚠"),
        BlockQuoteKind::Caution => ("caution", &labels.caution, "‼"),
    };
    format!(
        "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-label\"><span class=\"callout-icon\" aria-hidden=\"true\">{symbol}</span> {}</p>\n",
        html::escape(label)
    )
}

fn link_open(href: &str, title: &str, external: bool) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::config::Config;
    use crate::pipeline::glossary::{Glossary, Term, TermEntry};

    fn labels() -> Labels {
        Labels::for_tests()
    }

    fn render_md(body: &str) -> Rendered {
        render_with(body, Glossary::default(), None)
    }

    fn render_with(body: &str, glossary: Glossary, leaflet_id: Option<&str>) -> Rendered {
        let input = crate::pipeline::assemble::Input {
            config: Config::placeholder(),
            root: Path::new("/nowhere"),
            pages: Vec::new(),
            bundle_files: &[],
            topic_dirs: &[],
            glossary,
            drafts: false,
        };
        let site = crate::pipeline::assemble::assemble(
            input,
            Box::new(|_| crate::pipeline::campaign::Campaign::default()),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let images = Processor::new(Path::new("/nowhere"));
        let labels = labels();
        render(
            &Env { site: &site, labels: &labels, images: &images },
            &PageInput {
                path: Path::new("content/a/b.md"),
                body,
                body_line: 5,
                bundle_files: &[],
                link_terms: true,
                leaflet_id,
                in_full_pack: true,
            },
        )
    }

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

    #[test]
    fn every_alert_kind_is_labelled_in_words() {
        for (kind, class, word) in [
            ("NOTE", "note", "Lưu ý"),
            ("TIP", "tip", "Mẹo"),
            ("IMPORTANT", "important", "Quan trọng"),
            ("WARNING", "warning", "Cảnh báo lừa đảo"),
            ("CAUTION", "caution", "Cẩn thận"),
        ] {
            let html = render_md(&format!("> [!{kind}]\n> Nội dung.\n")).html;
            assert!(
                html.contains(&format!("<div class=\"callout callout-{class}\" role=\"note\">")),
                "{html}"
            );
            assert!(html.contains(&format!("</span> {word}</p>")), "{html}");
            assert!(html.contains("<p>Nội dung.</p>\n</div>"), "{html}");
        }
        // A plain quote stays a quote.
        assert!(render_md("> Trích dẫn\n").html.contains("<blockquote>"));
    }

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
    fn ordered_lists_are_steps_and_keep_their_start() {
        let html = render_md("1. Mở\n2. Bấm\n\nChữ\n\n3. Tiếp\n").html;
        assert!(html.contains("<ol class=\"steps\">\n<li>Mở</li>"), "{html}");
        assert!(html.contains("<ol class=\"steps\" start=\"3\">"), "{html}");
        assert!(render_md("- a\n- b\n").html.contains("<ul>"));
    }

    #[test]
    fn tables_get_scoped_headers_in_a_focusable_region() {
        let html = render_md("| A | B |\n|---|---|\n| 1 | 2 |\n").html;
        assert!(html.contains("role=\"region\" tabindex=\"0\" aria-label=\"Bảng\""), "{html}");
        assert!(
            html.contains("<thead>\n<tr><th scope=\"col\">A</th><th scope=\"col\">B</th></tr>\n</thead>"),
            "{html}"
        );
        assert!(html.contains("<tbody>\n<tr><td>1</td><td>2</td></tr>\n</tbody>"), "{html}");
    }

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

    #[test]
    fn task_markers_become_text_not_unlabelled_checkboxes() {
        let html = render_md("- [x] Xong\n- [ ] Chưa\n").html;
        assert!(!html.contains("<input"), "{html}");
        assert!(html.contains("<span class=\"visually-hidden\">Đã xong:</span> Xong"), "{html}");
        assert!(html.contains("<span class=\"visually-hidden\">Chưa làm:</span> Chưa"), "{html}");
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
    // the glossary's offsets, and slicing the text at them panicked (in markdown.rs for the first
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

    /// An email autolink becomes a mailto: link, and a scheme in capitals is still a web
    /// address: neither is reported as a broken link to a file.
    #[test]
    fn email_autolinks_and_capital_schemes_are_links_not_missing_files() {
        let r = render_md("Viết cho <hotro@xa.example.vn> hoặc xem [trang](HTTP://XA.EXAMPLE.VN/).\n");
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert!(r.html.contains("href=\"mailto:hotro@xa.example.vn\""), "{}", r.html);
        assert!(r.html.contains("href=\"HTTP://XA.EXAMPLE.VN/\" class=\"external\""), "{}", r.html);
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

    fn diagnostic_is_error(d: &Diagnostic) -> bool {
        crate::core::diagnostic::has_errors(std::slice::from_ref(d))
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
