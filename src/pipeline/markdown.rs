//! Stage 5a — Markdown to HTML, with the adjustments our readers need, in one pass.
//!
//! pulldown-cmark does the parsing and most of the HTML; this module rewrites the events it
//! cares about before handing them to pulldown-cmark's writer:
//! - headings get Vietnamese slug ids (unique per page) and their levels are checked;
//! - GFM alerts become callouts whose kind is said in words, not only by colour;
//! - ordered lists become big numbered steps;
//! - tables get `<th scope="col">` and a scrollable, keyboard-reachable wrapper;
//! - external links are marked for sight and for screen readers; `.md` links become page URLs;
//! - task-list checkboxes become text, since a disabled checkbox without a label confuses
//!   screen readers.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::escape_href;

use crate::assets::images::{ImageProblem, Processor};
use crate::assets::theme::Labels;
use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::html;
use crate::core::lines::LineIndex;
use crate::core::paths;
use crate::core::text::slugify;
use crate::pipeline::assemble::{Site, Target};
use crate::pipeline::load::BundleFile;

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
    /// The HTML without sections whose heading has the class [`OMIT_CLASS`]; `None` when the
    /// page has no such section (then the leaflet prints `html`).
    pub print_html: Option<String>,
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
    /// What the leaflet of lesson `i` prints: its `leaflet_summary`, or the lesson without the
    /// sections marked to leave out of print, or the whole lesson.
    pub fn leaflet_html(&self, i: usize) -> &str {
        match &self.leaflet_summaries[i] {
            Some(summary) => &summary.html,
            None => self.lessons[i].print_html.as_deref().unwrap_or(&self.lessons[i].html),
        }
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
}

/// Renders one page's Markdown.
pub fn render(env: &Env<'_>, page: &PageInput<'_>) -> Rendered {
    let (site, labels) = (env.site, env.labels);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    let lines = LineIndex::new(page.body, page.body_line);
    let mut out: Vec<Event<'_>> = Vec::new();
    let mut result = Rendered::default();
    let mut used_ids = PageIds::default();
    let mut heading: Option<OpenHeading> = None;
    let mut previous_level = 1u8;
    let mut in_table_head = false;
    // Where glossary terms must not be linked: inside links, headings, code and image text.
    let mut in_code = false;
    let mut image: Option<OpenImage> = None;
    let mut images_on_page = 0usize;
    let mut link_stack: Vec<bool> = Vec::new(); // true when the open link is external
    let mut has_raw_html = false;
    // Sections left out of print: (level, first event index), and the finished ranges.
    let mut omitting: Option<(u8, usize)> = None;
    let mut omitted: Vec<std::ops::Range<usize>> = Vec::new();

    for (event, range) in Parser::new_ext(page.body, options).into_offset_iter() {
        // Inside an image, text is its alt text: gather it, write the whole image at its end.
        if let Some(open) = image.as_mut() {
            match event {
                Event::Text(t) | Event::Code(t) => open.alt.push_str(&t),
                Event::SoftBreak | Event::HardBreak => open.alt.push(' '),
                Event::End(TagEnd::Image) => {
                    if let Some(open) = image.take() {
                        images_on_page += 1;
                        out.push(Event::Html(
                            image_html(env, page, open, images_on_page == 1, &mut result).into(),
                        ));
                    }
                }
                _ => {}
            }
            continue;
        }
        if let (Some(h), Event::Text(t) | Event::Code(t)) = (heading.as_mut(), &event) {
            h.text.push_str(t);
        }
        match event {
            Event::Start(Tag::Heading { level, id, classes, .. }) => {
                let n = heading_number(level);
                if let Some((_, start)) = omitting.filter(|(omit_level, _)| n <= *omit_level) {
                    omitted.push(start..out.len());
                    omitting = None;
                }
                if omitting.is_none() && classes.iter().any(|c| c.as_ref() == OMIT_CLASS) {
                    omitting = Some((n, out.len()));
                }
                let (line, column) = lines.at(range.start);
                if n == 1 {
                    result.diagnostics.push(Diagnostic::error(
                        page.path,
                        line,
                        column,
                        Problem::HeadingLevelOne,
                    ));
                } else if n > previous_level + 1 {
                    result.diagnostics.push(Diagnostic::error(
                        page.path,
                        line,
                        column,
                        Problem::HeadingSkip { from: previous_level, to: n },
                    ));
                }
                previous_level = n;
                heading = Some(OpenHeading {
                    omitted: omitting.is_some_and(|(_, start)| start == out.len()),
                    level: n,
                    placeholder: out.len(),
                    text: String::new(),
                    explicit_id: id.map(|i| i.to_string()),
                });
                out.push(Event::Html(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    let base = h.explicit_id.clone().unwrap_or_else(|| slugify(&h.text));
                    let id = used_ids.claim(if base.is_empty() { "muc".into() } else { base });
                    let mut open = String::new();
                    let _ = write!(open, "<h{} id=\"", h.level);
                    html::escape_into(&mut open, &id);
                    open.push('"');
                    if h.omitted {
                        let _ = write!(open, " class=\"{OMIT_CLASS}\"");
                    }
                    open.push('>');
                    out[h.placeholder] = Event::Html(open.into());
                    out.push(Event::Html(format!("</h{}>\n", h.level).into()));
                    result.ids.push(id.clone());
                    result.headings.push((h.level, id, h.text.trim().to_owned()));
                }
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label, symbol) = callout(labels, kind);
                out.push(Event::Html(
                    format!(
                        "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-label\"><span class=\"callout-icon\" aria-hidden=\"true\">{symbol}</span> {}</p>\n",
                        html::escape(label)
                    )
                    .into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => out.push(Event::Html("</div>\n".into())),
            Event::Start(Tag::List(Some(start))) => {
                let html = if start == 1 {
                    "<ol class=\"steps\">\n".to_owned()
                } else {
                    format!("<ol class=\"steps\" start=\"{start}\">\n")
                };
                out.push(Event::Html(html.into()));
            }
            Event::End(TagEnd::List(true)) => out.push(Event::Html("</ol>\n".into())),
            Event::Start(Tag::Table(_)) => {
                out.push(Event::Html(
                    format!(
                        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">\n<table>\n",
                        html::escape(&labels.table)
                    )
                    .into(),
                ));
            }
            Event::End(TagEnd::Table) => out.push(Event::Html("</tbody>\n</table>\n</div>\n".into())),
            Event::Start(Tag::TableHead) => {
                in_table_head = true;
                out.push(Event::Html("<thead>\n<tr>".into()));
            }
            Event::End(TagEnd::TableHead) => {
                in_table_head = false;
                out.push(Event::Html("</tr>\n</thead>\n<tbody>\n".into()));
            }
            Event::Start(Tag::TableRow) => out.push(Event::Html("<tr>".into())),
            Event::End(TagEnd::TableRow) => out.push(Event::Html("</tr>\n".into())),
            Event::Start(Tag::TableCell) => {
                out.push(Event::Html(if in_table_head { "<th scope=\"col\">" } else { "<td>" }.into()))
            }
            Event::End(TagEnd::TableCell) => {
                out.push(Event::Html(if in_table_head { "</th>" } else { "</td>" }.into()))
            }
            Event::TaskListMarker(done) => {
                let (symbol, words) = if done { ("☑", &labels.done) } else { ("☐", &labels.not_done) };
                out.push(Event::Html(
                    format!(
                        "<span class=\"task\" aria-hidden=\"true\">{symbol}</span><span class=\"visually-hidden\">{}</span> ",
                        html::escape(words)
                    )
                    .into(),
                ));
            }
            Event::Start(Tag::Link { dest_url, title, link_type, id }) => {
                let (line, column) = lines.at(range.start);
                let target = site.resolve(page.path, &dest_url, page.bundle_files);
                let (href, external) = match target {
                    Target::External => (dest_url.to_string(), true),
                    Target::Other => (dest_url.to_string(), false),
                    Target::SamePage { anchor } => {
                        result.anchor_checks.push(AnchorCheck {
                            line,
                            column,
                            url: String::new(),
                            anchor: anchor.clone(),
                            written: dest_url.to_string(),
                        });
                        (format!("#{anchor}"), false)
                    }
                    Target::Page { url, anchor } => match anchor {
                        Some(anchor) => {
                            result.anchor_checks.push(AnchorCheck {
                                line,
                                column,
                                url: url.clone(),
                                anchor: anchor.clone(),
                                written: dest_url.to_string(),
                            });
                            (format!("{url}#{anchor}"), false)
                        }
                        None => (url, false),
                    },
                    Target::File { url, .. } => (url, false),
                    Target::Missing => {
                        result.diagnostics.push(Diagnostic::error(
                            page.path,
                            line,
                            column,
                            Problem::BrokenLink(dest_url.to_string()),
                        ));
                        (dest_url.to_string(), false)
                    }
                };
                let _ = (link_type, id);
                link_stack.push(external);
                out.push(Event::Html(link_open(&href, &title, external).into()));
            }
            Event::End(TagEnd::Link) => {
                let external = link_stack.pop().unwrap_or(false);
                if external {
                    out.push(Event::Html(
                        format!(
                            "<span class=\"visually-hidden\"> {}</span></a>",
                            html::escape(&labels.external)
                        )
                        .into(),
                    ));
                } else {
                    out.push(Event::Html("</a>".into()));
                }
            }
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                let (line, column) = lines.at(range.start);
                image = Some(OpenImage {
                    dest: dest_url.to_string(),
                    title: title.to_string(),
                    alt: String::new(),
                    line,
                    column,
                });
            }
            Event::FootnoteReference(label) => {
                out.push(Event::FootnoteReference(label));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                result.ids.push(label.to_string());
                out.push(Event::Start(Tag::FootnoteDefinition(label)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                out.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                out.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Text(text)
                if page.link_terms
                    && !in_code
                    && link_stack.is_empty()
                    && heading.is_none()
                    && !site.glossary.is_empty() =>
            {
                link_terms(site, &text, &mut result.terms, &mut out);
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                has_raw_html = true;
                out.push(Event::Html(html));
            }
            other => out.push(other),
        }
    }

    if let Some((_, start)) = omitting {
        omitted.push(start..out.len());
    }
    let finish = |html: String| if has_raw_html && !site.config.unsafe_html { sanitize(&html) } else { html };
    if !omitted.is_empty() {
        let kept = out
            .iter()
            .enumerate()
            .filter(|(i, _)| !omitted.iter().any(|r| r.contains(i)))
            .map(|(_, e)| e.clone());
        let mut print = String::with_capacity(page.body.len());
        pulldown_cmark::html::push_html(&mut print, kept);
        result.print_html = Some(finish(print));
    }
    let mut html = String::with_capacity(page.body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    result.html = finish(html);
    result
}

/// Pushes `text`, with the first use on the page of each glossary term made a link to its entry.
fn link_terms<'a>(site: &Site, text: &CowStr<'a>, used: &mut Vec<usize>, out: &mut Vec<Event<'a>>) {
    let mut last = 0;
    for found in site.glossary.find(text) {
        if used.contains(&found.term) {
            continue;
        }
        used.push(found.term);
        let term = &site.glossary.terms[found.term];
        if found.start > last {
            out.push(Event::Text(CowStr::Boxed(text[last..found.start].into())));
        }
        let mut a = format!(
            "<a class=\"term\" href=\"{}{}/#",
            site.config.base_path(),
            crate::core::paths::GLOSSARY_DIR
        );
        html::escape_into(&mut a, &term.id);
        a.push_str("\">");
        html::escape_into(&mut a, &text[found.start..found.end]);
        a.push_str("</a>");
        out.push(Event::InlineHtml(a.into()));
        last = found.end;
    }
    if last == 0 {
        out.push(Event::Text(text.clone()));
    } else if last < text.len() {
        out.push(Event::Text(CowStr::Boxed(text[last..].into())));
    }
}

/// An image whose alt text is being read.
struct OpenImage {
    dest: String,
    title: String,
    alt: String,
    line: usize,
    column: usize,
}

/// Titles that mark an image as decorative: `![](hoa-van.png "trang trí")`.
pub const DECORATIVE: [&str; 2] = ["trang trí", "decorative"];
/// Alt text longer than this gets a warning: a caption or a longer description reads better.
pub const ALT_MAX: usize = 150;

/// The HTML of one image: a `<picture>` with WebP and fallback sizes for raster images, the
/// cleaned file for SVG; problems (missing, unreadable, no alt text) go to `result`.
fn image_html(
    env: &Env<'_>,
    page: &PageInput<'_>,
    open: OpenImage,
    first: bool,
    result: &mut Rendered,
) -> String {
    let site = env.site;
    let error = |problem| Diagnostic::error(page.path, open.line, open.column, problem);
    let decorative = DECORATIVE.iter().any(|d| open.title.trim().eq_ignore_ascii_case(d));
    let alt = open.alt.split_whitespace().collect::<Vec<_>>().join(" ");
    if alt.is_empty() && !decorative {
        result.diagnostics.push(error(Problem::ImageWithoutAlt(open.dest.clone())));
    } else if alt.chars().count() > ALT_MAX {
        result.diagnostics.push(Diagnostic::warning(
            page.path,
            open.line,
            open.column,
            Problem::AltTooLong(alt.chars().count()),
        ));
    }
    let (url, source) = match site.resolve(page.path, &open.dest, page.bundle_files) {
        Target::File { url, source } => (url, source),
        Target::External => {
            result.diagnostics.push(error(Problem::ExternalImage(open.dest.clone())));
            return String::new();
        }
        _ => {
            result.diagnostics.push(error(Problem::MissingImage(open.dest.clone())));
            return String::new();
        }
    };
    let processed = match env.images.get(&site.root.join(&source)) {
        Ok(p) => p,
        Err(problem) => {
            result.diagnostics.push(error(match problem {
                ImageProblem::Missing => Problem::MissingImage(open.dest.clone()),
                ImageProblem::Unreadable(why) => Problem::ImageUnreadable { src: open.dest.clone(), why },
                ImageProblem::TooLarge { width, height } => {
                    Problem::ImageTooLarge { src: open.dest.clone(), width, height }
                }
                ImageProblem::Io(why) => Problem::Io(why),
            }));
            return String::new();
        }
    };
    if let Some(mp) = processed.large {
        result.diagnostics.push(Diagnostic::warning(
            page.path,
            open.line,
            open.column,
            Problem::ImageLarge { src: open.dest.clone(), megapixels: mp },
        ));
    }
    // Published beside the original's address.
    let url_dir = &url[..url.rfind('/').map_or(0, |i| i + 1)];
    let out_dir = crate::core::paths::output_dir(&site.config.base_path(), url_dir);
    let mut publish = |name: &str| {
        result.images.push((processed.cache_dir.join(name), out_dir.join(name)));
        format!("{url_dir}{name}")
    };
    let alt_attr = html::escape(if decorative { "" } else { &alt });
    let loading = if first { "" } else { " loading=\"lazy\" decoding=\"async\"" };
    if let Some(svg) = &processed.svg {
        let src = publish(svg);
        let size = if processed.width > 0 {
            format!(" width=\"{}\" height=\"{}\"", processed.width, processed.height)
        } else {
            String::new()
        };
        let portrait = if processed.height > processed.width * 13 / 10 { " class=\"portrait\"" } else { "" };
        return format!("<img src=\"{}\" alt=\"{alt_attr}\"{size}{portrait}{loading}>", html::escape(&src));
    }
    let sizes = "(min-width: 48rem) 46rem, 100vw";
    let webp: Vec<String> =
        processed.variants.iter().map(|v| format!("{} {}w", publish(&v.webp), v.width)).collect();
    let fallback: Vec<String> =
        processed.variants.iter().map(|v| format!("{} {}w", publish(&v.fallback), v.width)).collect();
    let Some(largest) = processed.variants.last() else { return String::new() };
    let middle = processed.variants.get(1).unwrap_or(largest);
    let portrait = if largest.height > largest.width * 13 / 10 { " class=\"portrait\"" } else { "" };
    let mut html = format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\"><img src=\"{url_dir}{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{alt_attr}\"{portrait}{loading}></picture>",
        html::escape(&webp.join(", ")),
        html::escape(&middle.fallback),
        html::escape(&fallback.join(", ")),
        largest.width,
        largest.height,
    );
    if !decorative && processed.width > largest.width.min(800) {
        let _ = write!(
            html,
            " <a class=\"image-full\" href=\"{url_dir}{}\">{}<span class=\"visually-hidden\">: {alt_attr}</span></a>",
            html::escape(&largest.fallback),
            html::escape(&env.labels.full_image),
        );
    }
    html
}

struct OpenHeading {
    /// This heading starts a section left out of print.
    omitted: bool,
    level: u8,
    placeholder: usize,
    text: String,
    explicit_id: Option<String>,
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
struct PageIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl Default for PageIds {
    fn default() -> Self {
        PageIds { used: paths::RESERVED_IDS.iter().map(|s| (*s).to_owned()).collect(), next: HashMap::new() }
    }
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
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

fn callout(labels: &Labels, kind: BlockQuoteKind) -> (&'static str, &str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", &labels.note, "ℹ"),
        BlockQuoteKind::Tip => ("tip", &labels.tip, "✓"),
        BlockQuoteKind::Important => ("important", &labels.important, "!"),
        BlockQuoteKind::Warning => ("warning", &labels.warning, "⚠"),
        BlockQuoteKind::Caution => ("caution", &labels.caution, "✋"),
    }
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

/// Cleans HTML that contains raw HTML from the author, keeping what our renderer writes.
fn sanitize(html: &str) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["class", "id", "role", "aria-label", "aria-hidden", "lang", "tabindex"])
        .add_tags(["figure", "figcaption", "mark", "details", "summary", "section"])
        .add_tag_attributes("th", ["scope"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("a", ["title"])
        .link_rel(Some("noopener"));
    builder.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::config::Config;

    fn labels() -> Labels {
        Labels {
            note: "Lưu ý".into(),
            tip: "Mẹo".into(),
            important: "Quan trọng".into(),
            warning: "Cảnh báo lừa đảo".into(),
            caution: "Cẩn thận".into(),
            external: "(mở trang ngoài)".into(),
            table: "Bảng".into(),
            done: "Đã xong:".into(),
            not_done: "Chưa làm:".into(),
            full_image: "Xem ảnh lớn".into(),
        }
    }

    fn render_md(body: &str) -> Rendered {
        let site = crate::pipeline::assemble::assemble(
            Config::placeholder(),
            Path::new("/nowhere"),
            Vec::new(),
            Vec::new(),
            &[],
            crate::pipeline::glossary::Glossary::default(),
            false,
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
            },
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
        assert_eq!(r.diagnostics[0].problem, Problem::BrokenLink("khong-co.md".into()));
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
}
