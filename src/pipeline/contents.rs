//! The Markdown stage of one edition: every page's Markdown, every leaflet summary, and each
//! leaflet's estimated length, made in parallel into [`Contents`], indexed like the site.

use std::path::Path;

use rayon::prelude::*;

use crate::assets::images::Processor;
use crate::assets::leaflet::PACK_MAX;
use crate::assets::theme::Labels;
use crate::core::ids::{LessonId, Table};
use crate::core::paths;
use crate::pipeline::assemble::{Lesson, PageCore, PageKind, Site};
use crate::pipeline::markdown::{self, Contents, Env, PageInput, Rendered};

/// The Markdown of every page, and of every leaflet summary, rendered in parallel. A lesson
/// whose source is in `lesson_bodies` (taken out of the site) is rendered from there, and the
/// source dropped as soon as its HTML is made.
pub fn render(
    site: &Site,
    labels: &Labels,
    images: &Processor,
    mut lesson_bodies: Table<LessonId, String>,
) -> Contents {
    let env = Env { site, labels, images };
    let pages: Vec<(PageKind, &PageCore, Option<String>)> = site
        .every_page()
        .map(|(kind, core)| {
            let taken = match kind {
                PageKind::Lesson(i) => lesson_bodies.get_mut(i).map(std::mem::take),
                _ => None,
            };
            (kind, core, taken)
        })
        .collect();
    drop(lesson_bodies);
    let kinds: Vec<PageKind> = pages.iter().map(|&(kind, _, _)| kind).collect();
    let rendered: Vec<Rendered> = pages
        .into_par_iter()
        .map(|(kind, core, taken)| {
            let body = taken.as_deref().unwrap_or(&core.body);
            page(&env, kind, &core.path, body, core.body_line)
        })
        .collect();
    let mut contents = Contents::default();
    // `Site::every_page` lists each kind in index order, so pushing keeps `Contents` indexed as the site.
    for (kind, r) in kinds.into_iter().zip(rendered) {
        match kind {
            PageKind::Home => contents.home = r,
            PageKind::Topic(_) => {
                contents.topics.push(r);
            }
            PageKind::Lesson(_) => {
                contents.lessons.push(r);
            }
            PageKind::Page(_) => {
                contents.pages.push(r);
            }
        }
    }
    contents.leaflet_summaries = site
        .lessons
        .par_ids()
        .map(|i| {
            let l = &site.lessons[i];
            // An untranslated lesson of a translation is not rendered there at all.
            let summary = l.meta.leaflet_summary.as_deref().filter(|_| l.core.lang.is_none())?;
            // Its own front-matter field, so its lines are counted from the top of the file.
            Some(page(&env, PageKind::Lesson(i), &l.core.path, summary, 2))
        })
        .collect();
    contents.leaflet_pages = site.lessons.par_ids().map(|i| leaflet_pages(site, &contents, i)).collect();
    contents
}

/// How many printed pages lesson `i`'s leaflet likely takes.
pub fn leaflet_pages(site: &Site, contents: &Contents, i: LessonId) -> f64 {
    let l = &site.lessons[i];
    crate::assets::leaflet::estimate_pages(
        contents.leaflet_html(i),
        &l.meta.title,
        &l.meta.summary,
        site.config.leaflet.paper,
    )
}

/// Renders Markdown written in page `kind` (`body` starting on line `body_line` of `path`).
/// What differs between kinds is decided here: only lessons have bundle files, link glossary
/// terms, and print as a leaflet when they ask to.
pub fn page(env: &Env<'_>, kind: PageKind, path: &Path, body: &str, body_line: usize) -> Rendered {
    let lesson = match kind {
        PageKind::Lesson(i) => Some(&env.site.lessons[i]),
        PageKind::Home | PageKind::Topic(_) | PageKind::Page(_) => None,
    };
    let leaflet_id = lesson.filter(|l| l.meta.leaflet).map(|l| paths::leaflet_id(&l.core.url));
    markdown::to_html(
        env,
        &PageInput {
            path,
            body,
            body_line,
            bundle_files: lesson.map_or(&[], |l| &l.bundle_files),
            link_terms: lesson.is_some(),
            leaflet_id: leaflet_id.as_deref(),
            in_full_pack: lesson.is_some_and(|l| in_full_pack(env.site, l)),
        },
    )
}

/// Whether `lesson` is printed in full in a print pack: its topic's, or the whole site's, each
/// when it holds at most [`PACK_MAX`] leaflets.
fn in_full_pack(site: &Site, lesson: &Lesson) -> bool {
    let printed = |l: &&Lesson| l.meta.leaflet && l.core.lang.is_none();
    // Counting stops past PACK_MAX: on a large site this runs once per lesson.
    let small = |lessons: &mut dyn Iterator<Item = &Lesson>| {
        lessons.filter(printed).take(PACK_MAX + 1).count() <= PACK_MAX
    };
    let topic = &site.topics[lesson.topic];
    small(&mut topic.lessons.iter().map(|&j| &site.lessons[j])) || small(&mut site.lessons.iter())
}
