//! The Markdown stage: a page's Markdown to HTML, with the adjustments our readers need.
//!
//! pulldown-cmark does the parsing and most of the HTML. Its events then go through one pass
//! per concern, each reading only what the passes before it left (the order is explained at
//! [`to_html`]), each in a child module of its own:
//! - print (`headings`): sections under a `{.khong-in}` heading are marked to leave out of the
//!   leaflet;
//! - images (`images`) become a `<picture>` (or the cleaned SVG), their alt text read whole;
//! - glossary (`terms`): the first use of each term links to its entry;
//! - headings (`headings`) get Vietnamese slug ids (unique per page) and their levels are checked;
//! - links (`links`): `.md` links become page URLs, external links are marked for sight and for
//!   screen readers, and only `http`, `https`, `mailto` and `tel` links (or relative ones) survive;
//! - blocks (`blocks`): GFM alerts become callouts whose kind is said in words, not only by
//!   colour; ordered lists become big numbered steps; tables get `<th scope="col">` and a
//!   scrollable, keyboard-reachable wrapper; task-list checkboxes become text, since a disabled
//!   checkbox without a label confuses screen readers; self-check questions become their HTML.
//!
//! The HTML is written last (`writing`): for the web page, and for the printed leaflet, whose ids
//! all start with the leaflet's id because a print pack puts many leaflets on one page.

mod blocks;
mod headings;
mod images;
mod links;
mod terms;
mod writing;

use std::path::{Path, PathBuf};

use pulldown_cmark::{CowStr, Event, Options, Parser};

use crate::assets::images::Processor;
use crate::assets::theme::Labels;
use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::ids::{LessonId, PageId, Table, TopicId};
use crate::core::lines::LineIndex;
use crate::pipeline::assemble::{PageKind, Site};
use crate::pipeline::load::BundleFile;
use crate::pipeline::quiz;

use blocks::{blocks, quizzes};
use headings::{headings, mark_left_out};
use images::collapse_images;
use links::links;
use terms::link_terms;
use writing::{too_much_author_html, write_html};

pub use images::{ALT_MAX, DECORATIVE};
pub use writing::RAW_HTML_TAGS_MAX;

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

/// Rendered Markdown of every page, indexed by the same ids as the [`Site`].
#[derive(Default)]
pub struct Contents {
    pub home: Rendered,
    pub topics: Table<TopicId, Rendered>,
    pub lessons: Table<LessonId, Rendered>,
    pub pages: Table<PageId, Rendered>,
    /// Rendered `leaflet_summary` of each lesson that has one.
    pub leaflet_summaries: Table<LessonId, Option<Rendered>>,
    /// Estimated printed pages of each lesson's leaflet.
    pub leaflet_pages: Table<LessonId, f64>,
}

impl Contents {
    /// What the leaflet of lesson `i` prints: the print version of its `leaflet_summary`, or of
    /// the lesson.
    pub fn leaflet_html(&self, i: LessonId) -> &str {
        let printed = self.leaflet_summaries[i].as_ref().unwrap_or(&self.lessons[i]);
        printed.print_html.as_deref().unwrap_or(&printed.html)
    }

    /// Whether lesson `i` prints something else than its web body (a `leaflet_summary`, or
    /// without `{.khong-in}` sections): then its page carries [`Self::leaflet_html`] as well.
    pub fn prints_differently(&self, i: LessonId) -> bool {
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
    /// `crate::assets::leaflet::PACK_MAX` leaflets). Only then, or when print leaves
    /// something out, is a print version kept: on a 10,000-lesson site a copy of every lesson's
    /// HTML nobody prints was a fifth of the build's memory.
    pub in_full_pack: bool,
}

/// Renders one page's Markdown. The passes run in this order because each needs what the ones
/// before it did: print marks come from the headings as written; images are gathered whole
/// before anything reads text; glossary links need headings, links and code still marked by
/// their start and end events; headings, links and blocks then become HTML of our own, and
/// whether the author wrote HTML can be told from ours; writing comes last.
pub fn to_html(env: &Env<'_>, page: &PageInput<'_>) -> Rendered {
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

#[cfg(test)]
mod testing {
    //! What the tests of every pass share: rendering a body as a page of an empty site.

    use super::*;
    use crate::pipeline::config::Config;
    use crate::pipeline::glossary::Glossary;

    fn labels() -> Labels {
        Labels::for_tests()
    }

    pub(super) fn render_md(body: &str) -> Rendered {
        render_with(body, Glossary::default(), None)
    }

    pub(super) fn render_with(body: &str, glossary: Glossary, leaflet_id: Option<&str>) -> Rendered {
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
        to_html(
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
}
