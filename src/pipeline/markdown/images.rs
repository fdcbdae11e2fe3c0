//! Images: each image's events become its HTML, a `<picture>` of processed sizes or the cleaned
//! SVG, with its alt text checked; the files to publish are listed on the page's result.

use std::fmt::Write as _;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::links::forbidden_scheme;
use super::{Ctx, Item, Piece, Rendered};
use crate::assets::images::{ImageProblem, Processed};
use crate::core::diagnostic::Problem;
use crate::core::html;
use crate::core::paths;
use crate::pipeline::assemble::Target;

/// Titles that mark an image as decorative: `![](hoa-van.png "trang trí")`.
pub const DECORATIVE: [&str; 2] = ["trang trí", "decorative"];
/// Alt text longer than this gets a warning: a caption or a longer description reads better.
pub const ALT_MAX: usize = 150;

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
pub(super) fn collapse_images<'a>(
    ctx: &Ctx<'_>,
    items: Vec<Item<'a>>,
    result: &mut Rendered,
) -> Vec<Item<'a>> {
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
    let (url, source) = match site.links.resolve(ctx.page.path, &open.dest, ctx.page.bundle_files) {
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
