//! Checks that need an edition's pages rendered: links to `#headings`, the problems the
//! Markdown pass found, leaflets that will not fit on paper, and the Markdown of files whose
//! front matter did not parse.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::core::diagnostic::{Diagnostic, Problem, edit_distance};
use crate::pipeline::assemble::{PageCore, Site};
use crate::pipeline::load::BundleFile;
use crate::pipeline::markdown::{self, Contents, Env, PageInput, Rendered};

/// Every problem of one edition's rendered pages. A translation (`original` given) also links
/// to the pages of the original it has not translated.
pub fn edition(site: &Site, contents: &Contents, original: Option<(&Site, &Contents)>) -> Vec<Diagnostic> {
    let mut problems = anchors(site, contents, original);
    for r in contents.all_rendered() {
        problems.extend(r.diagnostics.iter().cloned());
    }
    problems.extend(leaflet_length(site, contents));
    problems
}

/// The Markdown of a file whose front matter did not parse: not a page of the site, but its
/// body can still hold a broken link or an image without alt text, and the person fixing the
/// front matter should learn about those in the same run.
pub struct Unparsed {
    pub path: PathBuf,
    pub body: String,
    pub body_line: usize,
}

/// The problems in the Markdown of the files whose front matter failed, read against the
/// default edition (`env`).
pub fn unparsed(env: &Env<'_>, files: &[Unparsed], bundles: &[BundleFile]) -> Vec<Diagnostic> {
    files
        .par_iter()
        .flat_map_iter(|u| {
            let files: Vec<BundleFile> = bundles.iter().filter(|f| f.lesson == u.path).cloned().collect();
            let input = PageInput {
                path: &u.path,
                body: &u.body,
                body_line: u.body_line,
                bundle_files: &files,
                link_terms: false,
                leaflet_id: None,
                in_full_pack: false,
            };
            markdown::to_html(env, &input).diagnostics
        })
        .collect()
}

/// A leaflet that will likely print on more than one sheet (two pages) gets a warning.
fn leaflet_length(site: &Site, contents: &Contents) -> Vec<Diagnostic> {
    site.lessons
        .iter()
        .zip(&contents.leaflet_pages)
        .filter(|(l, pages)| l.meta.leaflet && l.core.lang.is_none() && **pages > 2.0)
        .map(|(l, pages)| {
            Diagnostic::warning(
                &l.core.path,
                0,
                0,
                Problem::LeafletTooLong { pages: (pages * 10.0).round() / 10.0 },
            )
        })
        .collect()
}

/// Links to `#heading` on this or another page must name a heading that exists. A
/// translation also links to the pages of `original` it has not translated.
pub fn anchors<'a>(
    site: &'a Site,
    contents: &'a Contents,
    original: Option<(&'a Site, &'a Contents)>,
) -> Vec<Diagnostic> {
    // The pages in their own language, borrowed: the original's first, so this site's win.
    let own = |(site, contents): (&'a Site, &'a Contents)| {
        site.every_page()
            .filter(|(_, core)| core.lang.is_none())
            .map(move |(kind, core)| (core.url.as_str(), contents.page(kind).ids.as_slice()))
    };
    let ids_by_url: HashMap<&str, &[String]> =
        original.into_iter().flat_map(own).chain(own((site, contents))).collect();
    let pages: Vec<(&PageCore, &Rendered)> = site
        .every_page()
        .filter(|(_, core)| core.lang.is_none())
        .map(|(kind, core)| (core, contents.page(kind)))
        .collect();
    let mut problems = Vec::new();
    for (core, rendered) in pages {
        for check in &rendered.anchor_checks {
            let url = if check.url.is_empty() { core.url.as_str() } else { check.url.as_str() };
            let found = ids_by_url.get(url).is_some_and(|ids| ids.iter().any(|id| id == &check.anchor));
            if !found {
                let known = nearest_ids(ids_by_url.get(url).copied().unwrap_or_default(), &check.anchor);
                problems.push(Diagnostic::error(
                    &core.path,
                    check.line,
                    check.column,
                    Problem::BrokenAnchor {
                        target: check.written.clone(),
                        anchor: check.anchor.clone(),
                        known,
                    },
                ));
            }
        }
    }
    problems
}

/// The ids a page has, the ones nearest to `anchor` first (at most eight), so a broken `#…`
/// link's message shows what could be written instead.
fn nearest_ids(ids: &[String], anchor: &str) -> Vec<String> {
    let mut ids: Vec<&String> = ids.iter().collect();
    ids.sort_by_cached_key(|id| edit_distance(id, anchor));
    ids.into_iter().take(8).cloned().collect()
}
