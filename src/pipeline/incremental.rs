//! What `hocso serve` redoes after an edit: one lesson's text changed (front matter unchanged)
//! is rendered again with the pages that show it, written in place; the search index follows
//! in the background. Anything else goes to a full build.

use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use crate::core::diagnostic::{self, Diagnostic};
use crate::core::ids::LessonId;
use crate::core::output::{Collect, OutFile};
use crate::core::paths;
use crate::pipeline::assemble::PageKind;
use crate::pipeline::build::{BuildOptions, Kept, Report};
use crate::pipeline::edition::finish;
use crate::pipeline::markdown::Env;
use crate::pipeline::render;
use crate::pipeline::{checks, contents, load, parse, search, site_files, write};

/// Rebuilds after an edit of one lesson's text (front matter unchanged): its Markdown, its page
/// (which prints as its leaflet) and the print packs holding it are redone and written in
/// place. Returns `None` when the edit needs a full build (new or deleted file, front matter
/// changed, a recorded lesson, anything but a lesson of the site's own language).
pub fn rebuild_lesson(
    kept: &mut Kept,
    options: &BuildOptions,
    changed: &Path,
) -> Option<Result<Report, Vec<Diagnostic>>> {
    let start = Instant::now();
    let root = std::fs::canonicalize(&options.root).ok()?;
    let changed = std::fs::canonicalize(changed).ok()?;
    let rel = changed.strip_prefix(&root).ok()?.to_path_buf();
    let edition = &kept.editions.all[0];
    let site = &edition.site;
    let i = site.lessons.enumerate().find(|(_, l)| l.core.path == rel).map(|(i, _)| i)?;
    // Anything unusual (a pipe, a huge file) goes to the full build, which reports it.
    let bytes = crate::core::files::read_source_file(&changed).ok()?;
    let (text, was_nfc) = load::decode(&bytes).ok()?;
    let lesson = &site.lessons[i];
    let kind = load::Kind::Lesson {
        topic_dir: String::new(),
        name: String::new(),
        bundle: !lesson.bundle_files.is_empty(),
    };
    let parsed = parse::parse(&load::Source { path: rel.clone(), kind, text, was_nfc, lang: None }).ok()?;
    match &parsed.meta {
        parse::Meta::Lesson { meta, .. } if *meta == lesson.meta => {}
        _ => return None,
    }
    // Saved without a change (or changed back): nothing to redo, nothing to reload.
    if parsed.body == lesson.core.body {
        return Some(Ok(Report::one_lesson(site, 0, "unchanged", start)));
    }
    // Its recording says the old text: the full build makes it again (only this one).
    if edition.spoken.get(i).is_some_and(Option::is_some) {
        return None;
    }
    let labels = edition.theme.labels();
    let rendered = {
        let env = Env { site, labels: &labels, images: &kept.editions.images };
        contents::page(&env, PageKind::Lesson(i), &rel, &parsed.body, parsed.body_line)
    };
    if diagnostic::has_errors(&rendered.diagnostics) {
        return Some(Err(finish(rendered.diagnostics)));
    }
    let edition = &mut kept.editions.all[0];
    edition.site.lessons[i].core.body = parsed.body;
    edition.site.lessons[i].core.body_line = parsed.body_line;
    edition.contents.lessons[i] = rendered;
    let anchors = checks::anchors(&edition.site, &edition.contents, None);
    if !anchors.is_empty() {
        return Some(Err(finish(anchors)));
    }
    edition.contents.leaflet_pages[i] = contents::leaflet_pages(&edition.site, &edition.contents, i);
    let files = match rerender(kept, i) {
        Ok(files) => files,
        Err(d) => return Some(Err(d)),
    };
    let edition = &kept.editions.all[0];
    let copies = site_files::image_copies(std::iter::once(&edition.contents));
    if let Err(d) = write::write_in_place(&options.root, &options.output, &files, &copies) {
        return Some(Err(vec![d]));
    }
    Some(Ok(Report::one_lesson(&edition.site, files.len(), "one lesson", start)))
}

/// The pages that show lesson `i`, rendered into memory first: an error in any of them
/// leaves the served site untouched.
fn rerender(kept: &Kept, i: LessonId) -> Result<Vec<OutFile>, Vec<Diagnostic>> {
    let edition = &kept.editions.all[0];
    let jobs = render::lesson_jobs(&edition.site, i);
    let collected = Collect::default();
    let input = render::Input { edition, recordings: &kept.recordings[0], assets: &kept.assets };
    render::render_jobs(input, &jobs, &collected)?;
    Ok(collected.into_files())
}

/// The search index of a kept site, rewritten in place (after an incremental rebuild). An edit
/// can change how words are split into shards, so index files the new index does not name are
/// removed: a full build would not write them either.
pub fn refresh_search(kept: &Kept, options: &BuildOptions) -> Result<(), Diagnostic> {
    let written = Mutex::new(std::collections::HashSet::new());
    let sink = |file: OutFile| {
        written.lock().unwrap_or_else(PoisonError::into_inner).insert(file.path.clone());
        write::replace_in_place(&options.root, &options.output, &file)
    };
    let edition = &kept.editions.all[0];
    search::build(&edition.site, &edition.contents, &sink)?;
    let written = written.into_inner().unwrap_or_else(PoisonError::into_inner);
    let index_dir = Path::new(paths::SEARCH_DIR).join(paths::SEARCH_INDEX_DIR);
    let stale = walkdir::WalkDir::new(options.output.join(&index_dir))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.path().strip_prefix(&options.output).ok().map(Path::to_path_buf))
        .filter(|rel| !written.contains(rel));
    for rel in stale {
        let _ = std::fs::remove_file(options.output.join(rel));
    }
    Ok(())
}
