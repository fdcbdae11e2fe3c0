//! The whole pipeline: config → load → parse → assemble → render → write.
//!
//! Each stage reports problems instead of stopping, and the pipeline goes as far as the data
//! allows, so one run shows every problem it can find.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::assets::images::Processor;
use crate::assets::theme::{self, Theme, files_under};
use crate::core::diagnostic::{self, Diagnostic, Problem};
use crate::core::output::{Collect, OutFile};
use crate::core::paths;
use crate::pipeline::assemble::{self, PageCore, PageKind, Site};
use crate::pipeline::markdown::{self, Contents, Env, PageInput, Rendered};
use crate::pipeline::render::{self, AssetUrls};
use crate::pipeline::write::{self, CopyFile};
use crate::pipeline::{campaign, config, load, parse};

/// What `hocso build` was asked to do.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// The site folder (holds site.toml and content/).
    pub root: PathBuf,
    /// Where the finished site goes.
    pub output: PathBuf,
    /// Include lessons marked `draft = true`.
    pub drafts: bool,
    /// Show a progress bar for image work (only drawn on a terminal).
    pub progress: bool,
}

/// What a successful build did.
#[derive(Debug)]
pub struct Report {
    /// HTML pages written.
    pub pages: usize,
    /// All files written or copied.
    pub files: usize,
    pub lessons: usize,
    pub topics: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// Time spent in each stage, for `-v` and benchmarks.
    pub timings: Vec<(&'static str, Duration)>,
    /// Images decoded and files encoded in this build (zero when the cache had everything).
    pub images_decoded: usize,
    pub images_encoded: usize,
    pub images_reused: usize,
    /// Files of the previous output linked into this one unchanged instead of written (part of
    /// `files`).
    pub files_reused: usize,
    /// Lesson recordings made in this build, and taken from the cache.
    pub audio_made: usize,
    pub audio_reused: usize,
}

impl Report {
    /// What an incremental rebuild of one lesson did: `files` pages written, no images touched.
    fn one_lesson(site: &Site, files: usize, label: &'static str, start: Instant) -> Report {
        Report {
            pages: files,
            files,
            lessons: site.lessons.len(),
            topics: site.topics.len(),
            warnings: Vec::new(),
            elapsed: start.elapsed(),
            timings: vec![(label, start.elapsed())],
            images_decoded: 0,
            images_encoded: 0,
            images_reused: 0,
            files_reused: 0,
            audio_made: 0,
            audio_reused: 0,
        }
    }
}

/// A site read, checked and rendered to Markdown, not yet put into templates.
pub struct Prepared {
    pub site: Site,
    pub theme: Theme,
    pub contents: Contents,
    pub warnings: Vec<Diagnostic>,
    pub images: Processor,
    /// Each lesson's spoken text, when it gets a recording made at build time.
    pub spoken: Vec<Option<String>>,
    /// The site in each of its other languages (`[languages.<code>]`), in site.toml's order.
    pub translations: Vec<Translated>,
}

/// One translation of the site, ready to render like the site itself.
pub struct Translated {
    pub site: Site,
    /// The theme with this language's UI strings.
    pub theme: Theme,
    pub contents: Contents,
    /// Each lesson's spoken text, read in this language's voice (see [`Prepared::spoken`]).
    pub spoken: Vec<Option<String>>,
}

/// Whether the prepared site keeps each lesson's Markdown source after rendering it to HTML.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sources {
    /// Kept: `hocso serve` tells an edit from a save without change by them, `hocso check`
    /// lints them.
    Keep,
    /// Dropped one by one as each is rendered (a build that ends the process): on a large site
    /// the sources are as large as their HTML, and holding both was a build's peak memory.
    Drop,
}

/// Reads and checks everything; returns every problem found if any is an error.
///
/// `images` decides what happens to images: processed into the cache for a build, or only
/// checked ([`Processor::checking`]) for `hocso check`.
pub fn prepare(
    root: &Path,
    drafts: bool,
    images: Processor,
    sources: Sources,
) -> Result<Prepared, Vec<Diagnostic>> {
    let mut problems: Vec<Diagnostic> = Vec::new();
    let config = config::load(root).unwrap_or_else(|d| {
        problems.push(d);
        config::Config::placeholder()
    });
    let codes: Vec<String> = config.languages.keys().cloned().collect();
    let translation_configs: Vec<config::Config> = codes.iter().map(|c| config.for_language(c)).collect();
    // The theme and the glossary do not depend on the content, so they are read alongside it:
    // parsing the templates alone takes one core ~15 ms, while the other would wait.
    let ((mut loaded, parsed), (theme, glossary)) = rayon::join(
        || {
            let mut loaded = load::load(root, &codes);
            let parsed = parse_sources(std::mem::take(&mut loaded.sources));
            (loaded, parsed)
        },
        || {
            let theme = theme::load(root, &config.theme, &config.language, &config.language);
            (theme, crate::pipeline::glossary::Glossary::load(root, None))
        },
    );
    problems.append(&mut loaded.diagnostics);
    let mut pages = Vec::with_capacity(parsed.len());
    let mut translated_pages: std::collections::HashMap<String, Vec<parse::Parsed>> = Default::default();
    let mut unparsed = Vec::new();
    for (p, body) in parsed {
        match p {
            Ok(page) => match page.lang.clone() {
                None => pages.push(page),
                Some(code) => translated_pages.entry(code).or_default().push(page),
            },
            Err(d) => problems.extend(d),
        }
        unparsed.extend(body);
    }
    let unparsed_bundles: Vec<load::BundleFile> =
        loaded.bundle_files.iter().filter(|f| unparsed.iter().any(|u| u.path == f.lesson)).cloned().collect();

    let theme = theme.map_err(|d| problems.extend(d)).ok();
    let glossary = glossary.unwrap_or_else(|d| {
        problems.extend(d);
        crate::pipeline::glossary::Glossary::default()
    });
    let mut site = match assemble::assemble(
        config,
        root,
        pages,
        loaded.bundle_files,
        &loaded.topic_dirs,
        glossary,
        drafts,
    ) {
        Ok(site) => site,
        Err(d) => {
            problems.extend(d);
            return Err(finish(problems));
        }
    };
    match load_campaign(root, &site) {
        Ok(campaign) => site.campaign = campaign,
        Err(d) => problems.extend(d),
    }
    let Some(theme) = theme else { return Err(finish(problems)) };
    let mut translations = Vec::new();
    for config in translation_configs {
        let code = config.language.clone();
        let pages = translated_pages.remove(&code).unwrap_or_default();
        if let Some(t) = prepare_translation(&site, config, pages, drafts, &mut problems) {
            translations.push(t);
        }
    }
    link_languages(&mut site, &mut translations);

    let labels = theme.labels();
    // Spoken texts are made from the sources, so before they may be dropped.
    let (spoken, unsayable) = crate::pipeline::recordings::spoken_texts(&site, &theme, &labels);
    problems.extend(unsayable);
    let bodies = take_bodies(&mut site, sources);
    let env = Env { site: &site, labels: &labels, images: &images };
    let contents = render_markdown(&env, bodies);
    problems.extend(check_unparsed(&env, &unparsed, &unparsed_bundles));
    problems.extend(check_anchors(&site, &contents, None));
    for r in contents.all_rendered() {
        problems.extend(r.diagnostics.iter().cloned());
    }
    problems.extend(check_leaflet_length(&site, &contents));
    let translations: Vec<Translated> = translations
        .into_iter()
        .map(|(mut site, theme)| {
            let labels = theme.labels();
            let (spoken, unsayable) = crate::pipeline::recordings::spoken_texts(&site, &theme, &labels);
            problems.extend(unsayable);
            let bodies = take_bodies(&mut site, sources);
            let contents = render_markdown(&Env { site: &site, labels: &labels, images: &images }, bodies);
            Translated { site, theme, contents, spoken }
        })
        .collect();
    for t in &translations {
        problems.extend(check_anchors(&t.site, &t.contents, Some((&site, &contents))));
        for r in t.contents.all_rendered() {
            problems.extend(r.diagnostics.iter().cloned());
        }
        problems.extend(check_leaflet_length(&t.site, &t.contents));
    }
    if diagnostic::has_errors(&problems) {
        return Err(finish(problems));
    }
    Ok(Prepared { site, theme, contents, warnings: finish(problems), images, translations, spoken })
}

/// Parses every source's front matter, in parallel. A file whose front matter is wrong still
/// has its Markdown checked later, so one run shows every problem of the file, not the first
/// one only: only such a file keeps a copy of its body.
fn parse_sources(sources: Vec<load::Source>) -> Vec<(Parsing, Option<Unparsed>)> {
    sources
        .into_par_iter()
        .map(|source| {
            let result = parse::parse(&source);
            let unparsed = result.as_ref().err().and_then(|_| {
                let split = parse::split(&source.path, &source.text).ok()?;
                Some(Unparsed {
                    path: source.path.clone(),
                    body: split.body.to_owned(),
                    body_line: split.body_line,
                })
            });
            (result, unparsed)
        })
        .collect()
}

/// The site in one more language: its theme strings, its glossary and its pages over the
/// site's own. Problems go to `problems`; `None` when one of them stops this language.
fn prepare_translation(
    site: &Site,
    config: config::Config,
    pages: Vec<parse::Parsed>,
    drafts: bool,
    problems: &mut Vec<Diagnostic>,
) -> Option<(Site, Theme)> {
    let root = &site.root;
    let code = config.language.clone();
    let theme =
        theme::load(root, &config.theme, &code, &site.config.language).map_err(|d| problems.extend(d)).ok();
    if let Some(theme) = &theme
        && !theme.missing_strings.is_empty()
    {
        let file = theme.origin.join("i18n").join(format!("{code}.toml"));
        let problem = Problem::MissingUiStrings { lang: code.clone(), keys: theme.missing_strings.clone() };
        problems.push(Diagnostic::warning(file, 0, 0, problem));
    }
    let glossary = crate::pipeline::glossary::Glossary::load(root, Some(&code)).unwrap_or_else(|d| {
        problems.extend(d);
        crate::pipeline::glossary::Glossary::default()
    });
    let (result, warnings) = crate::pipeline::translate::translate(site, config, pages, glossary, drafts);
    problems.extend(warnings);
    let translated = result.map_err(|d| problems.extend(d)).ok()?;
    Some((translated, theme?))
}

/// Tells every language's site where each page is in the others (switcher, `hreflang`, sitemap).
fn link_languages(site: &mut Site, translations: &mut [(Site, Theme)]) {
    let config = &site.config;
    let languages = config
        .language_codes()
        .into_iter()
        .map(|code| assemble::LanguageRef {
            name: config.language_name(&code),
            home: config.language_base(&code),
            listed: config.languages.get(&code).is_none_or(|l| l.listed),
            code,
        })
        .collect();
    let sites: Vec<&Site> = std::iter::once(&*site).chain(translations.iter().map(|(s, _)| s)).collect();
    let alternates = std::sync::Arc::new(assemble::Alternates::new(languages, &sites));
    for (t, _) in translations.iter_mut() {
        t.languages = alternates.clone();
    }
    site.languages = alternates;
}

/// The help points and quarterly results, their lesson links resolved against the site's lessons.
fn load_campaign(root: &Path, site: &Site) -> Result<campaign::Campaign, Vec<Diagnostic>> {
    let today = campaign::today().map_err(|d| vec![d])?;
    let lessons: Vec<campaign::LessonRef> = site
        .lessons
        .iter()
        .map(|l| campaign::LessonRef {
            source: l
                .core
                .path
                .strip_prefix(paths::CONTENT_DIR)
                .unwrap_or(&l.core.path)
                .to_string_lossy()
                .replace('\\', "/"),
            url: l.core.url.clone(),
            title: l.meta.title.clone(),
        })
        .collect();
    campaign::load(root, &site.config, &lessons, today)
}

/// Builds the site into `options.output`, replacing it only if everything succeeded.
pub fn build(options: &BuildOptions) -> Result<Report, Vec<Diagnostic>> {
    build_keeping(options, Sources::Drop).map(|(report, _)| report)
}

/// What `hocso serve` keeps between builds to redo only what an edit touches.
pub struct Kept {
    pub prepared: Prepared,
    assets: AssetUrls,
}

/// Rebuilds after an edit of one lesson's text (front matter unchanged): its Markdown, its page
/// (which prints as its leaflet) and the print packs holding it are redone and written in place; the search index
/// follows in the background. Returns `None` when the edit needs a full build (new or deleted
/// file, front matter changed, anything but a lesson).
pub fn rebuild_lesson(
    kept: &mut Kept,
    options: &BuildOptions,
    changed: &Path,
) -> Option<Result<Report, Vec<Diagnostic>>> {
    let start = Instant::now();
    let root = std::fs::canonicalize(&options.root).ok()?;
    let changed = std::fs::canonicalize(changed).ok()?;
    let rel = changed.strip_prefix(&root).ok()?.to_path_buf();
    let site = &kept.prepared.site;
    let i = site.lessons.iter().position(|l| l.core.path == rel)?;
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
    if kept.prepared.spoken.get(i).is_some_and(Option::is_some) {
        return None;
    }
    let labels = kept.prepared.theme.labels();
    let rendered = {
        let env = Env { site, labels: &labels, images: &kept.prepared.images };
        render_page(&env, PageKind::Lesson(i), &rel, &parsed.body, parsed.body_line)
    };
    if diagnostic::has_errors(&rendered.diagnostics) {
        return Some(Err(finish(rendered.diagnostics)));
    }
    let prepared = &mut kept.prepared;
    prepared.site.lessons[i].core.body = parsed.body;
    prepared.site.lessons[i].core.body_line = parsed.body_line;
    prepared.contents.lessons[i] = rendered;
    let anchors = check_anchors(&prepared.site, &prepared.contents, None);
    if !anchors.is_empty() {
        return Some(Err(finish(anchors)));
    }
    let l = &prepared.site.lessons[i];
    prepared.contents.leaflet_pages[i] = crate::assets::leaflet::estimate_pages(
        prepared.contents.leaflet_html(i),
        &l.meta.title,
        &l.meta.summary,
        prepared.site.config.leaflet.paper,
    );
    let jobs = render::lesson_jobs(&prepared.site, i);
    // Rendered into memory first: an error in any of the pages leaves the served site untouched.
    let collected = Collect::default();
    if let Err(d) = render::render_jobs(
        &prepared.site,
        &prepared.theme,
        &prepared.contents,
        &kept.assets,
        &jobs,
        &collected,
    ) {
        return Some(Err(d));
    }
    let files = collected.into_files();
    let copies = image_copies(std::iter::once(&prepared.contents));
    if let Err(d) = write::write_in_place(&options.root, &options.output, &files, &copies) {
        return Some(Err(vec![d]));
    }
    Some(Ok(Report::one_lesson(&prepared.site, files.len(), "one lesson", start)))
}

/// The search index of a kept site, rewritten in place (after an incremental rebuild). An edit
/// can change how words are split into shards, so index files the new index does not name are
/// removed: a full build would not write them either.
pub fn refresh_search(kept: &Kept, options: &BuildOptions) -> Result<(), Diagnostic> {
    let written = std::sync::Mutex::new(std::collections::HashSet::new());
    let sink = |file: OutFile| {
        written.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(file.path.clone());
        write::replace_in_place(&options.root, &options.output, &file)
    };
    crate::pipeline::search::build(&kept.prepared.site, &kept.prepared.contents, &sink)?;
    let written = written.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
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

/// A full build that also hands back what was built, for incremental rebuilds (which need
/// [`Sources::Keep`]).
pub fn build_keeping(options: &BuildOptions, sources: Sources) -> Result<(Report, Kept), Vec<Diagnostic>> {
    let start = Instant::now();
    let root = &options.root;
    // Refuse a dangerous output folder before doing any work.
    write::check_output(root, &options.output).map_err(|d| vec![d])?;
    let mut timings = Vec::new();
    let mut lap = |label: &'static str, since: &mut Instant| {
        timings.push((label, since.elapsed()));
        *since = Instant::now();
    };
    let mut t = Instant::now();
    let mut prepared = prepare(root, options.drafts, image_processor(root, options.progress), sources)?;
    lap("read, parse, Markdown", &mut t);
    let wanted = prepared
        .spoken
        .iter()
        .chain(prepared.translations.iter().flat_map(|t| &t.spoken))
        .any(Option::is_some);
    let recorded = crate::pipeline::recordings::synthesiser(&prepared.site, wanted, &mut prepared.warnings);
    if let Some(synthesiser) = &recorded {
        let progress = options.progress;
        crate::pipeline::recordings::record(
            synthesiser,
            &mut prepared.site,
            &prepared.spoken,
            &mut prepared.warnings,
            progress,
        );
        for t in &mut prepared.translations {
            crate::pipeline::recordings::record(
                synthesiser,
                &mut t.site,
                &t.spoken,
                &mut prepared.warnings,
                progress,
            );
        }
    }
    lap("recordings", &mut t);
    let (mut files, mut copies, assets) = collect_assets(&prepared.site, &prepared.theme);
    copies.extend(image_copies(
        std::iter::once(&prepared.contents).chain(prepared.translations.iter().map(|t| &t.contents)),
    ));
    files.extend(
        crate::pipeline::offline::files(&prepared.site, &prepared.theme, &assets).map_err(|d| vec![d])?,
    );
    copies.extend(crate::pipeline::recordings::copies(&prepared.site));
    for t in &prepared.translations {
        copies.extend(crate::pipeline::recordings::copies(&t.site));
    }
    // Pages and the search index are made side by side, each file written into the staging
    // folder as soon as it is rendered, so both cores stay busy and the site is never all in
    // memory. Nothing replaces the output until everything succeeded.
    let settings = if prepared.site.config.precompress { write::PRECOMPRESSED } else { "" };
    let staging = write::Staging::new(root, &options.output, settings).map_err(|d| vec![d])?;
    let languages = std::iter::once((&prepared.site, &prepared.theme, &prepared.contents))
        .chain(prepared.translations.iter().map(|t| (&t.site, &t.theme, &t.contents)));
    let mut page_count = 0;
    let mut search_time = Duration::ZERO;
    for (site, theme, contents) in languages {
        let (pages, search) = rayon::join(
            || render::render_site(site, theme, contents, &assets, &staging),
            || {
                let t = Instant::now();
                crate::pipeline::search::build(site, contents, &staging).map(|()| t.elapsed())
            },
        );
        page_count += pages?;
        search_time += search.map_err(|d| vec![d])?;
    }
    lap("templates and search index", &mut t);
    files.par_iter().try_for_each(|f| staging.write(f)).map_err(|d| vec![d])?;
    copies.par_iter().try_for_each(|c| staging.copy(c)).map_err(|d| vec![d])?;
    let precompressed = if prepared.site.config.precompress {
        let t = Instant::now();
        crate::pipeline::precompress::run(root, staging.path(), &staging.kept_hashes())
            .map_err(|d| vec![d])?;
        Some(t.elapsed())
    } else {
        None
    };
    let (files_written, files_reused) = (staging.files(), staging.reused());
    staging.publish().map_err(|d| vec![d])?;
    lap("theme files, copies and swap", &mut t);
    timings.insert(3, ("  of which search index (alongside)", search_time));
    timings.extend(precompressed.map(|d| ("  of which precompression", d)));
    prepared.images.prune();
    if let Some(synthesiser) = &recorded {
        synthesiser.prune();
    }
    let stats = &prepared.images.stats;
    let audio = |count: Option<&std::sync::atomic::AtomicUsize>| {
        count.map_or(0, |c| c.load(std::sync::atomic::Ordering::Relaxed))
    };
    let report = Report {
        pages: page_count,
        files: files_written,
        lessons: prepared.site.lessons.len(),
        topics: prepared.site.topics.len(),
        warnings: std::mem::take(&mut prepared.warnings),
        elapsed: start.elapsed(),
        timings,
        images_decoded: stats.decoded.load(std::sync::atomic::Ordering::Relaxed),
        images_encoded: stats.encoded.load(std::sync::atomic::Ordering::Relaxed),
        images_reused: stats.reused.load(std::sync::atomic::Ordering::Relaxed),
        files_reused,
        audio_made: audio(recorded.as_ref().map(|s| &s.stats.synthesised)),
        audio_reused: audio(recorded.as_ref().map(|s| &s.stats.reused)),
    };
    Ok((report, Kept { prepared, assets }))
}

/// The image processor, with a progress bar on a terminal when asked for.
fn image_processor(root: &Path, progress: bool) -> Processor {
    let processor = Processor::new(root);
    if !progress || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return processor;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} {pos}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.set_message("Xử lý ảnh / processing images:");
    processor.with_progress(move || bar.inc(1))
}

/// Every processed image file referenced by a page of any language, once.
fn image_copies<'a>(languages: impl Iterator<Item = &'a Contents>) -> Vec<CopyFile> {
    let mut seen = std::collections::HashSet::new();
    languages
        .flat_map(Contents::all_rendered)
        .flat_map(|r| r.images.iter())
        .filter(|(_, to)| seen.insert(to.clone()))
        .map(|(from, to)| CopyFile { from: from.clone(), to: to.clone() })
        .collect()
}

fn finish(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostic::sort(&mut problems);
    problems.dedup();
    problems
}

/// Each lesson's source taken out of `site` to be dropped as it is rendered ([`Sources::Drop`]);
/// none taken for [`Sources::Keep`].
fn take_bodies(site: &mut Site, sources: Sources) -> Vec<String> {
    match sources {
        Sources::Keep => Vec::new(),
        Sources::Drop => site.lessons.iter_mut().map(|l| std::mem::take(&mut l.core.body)).collect(),
    }
}

/// The Markdown of every page, and of every leaflet summary, rendered in parallel. A lesson
/// whose source is in `lesson_bodies` (taken out of the site) is rendered from there, and the
/// source dropped as soon as its HTML is made.
fn render_markdown(env: &Env<'_>, mut lesson_bodies: Vec<String>) -> Contents {
    let site = env.site;
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
            render_page(env, kind, &core.path, body, core.body_line)
        })
        .collect();
    let mut contents = Contents::default();
    // `Site::every_page` lists each kind in index order, so pushing keeps `Contents` indexed as the site.
    for (kind, r) in kinds.into_iter().zip(rendered) {
        match kind {
            PageKind::Home => contents.home = r,
            PageKind::Topic(_) => contents.topics.push(r),
            PageKind::Lesson(_) => contents.lessons.push(r),
            PageKind::Page(_) => contents.pages.push(r),
        }
    }
    contents.leaflet_summaries = (0..site.lessons.len())
        .into_par_iter()
        .map(|i| {
            let l = &site.lessons[i];
            // An untranslated lesson of a translation is not rendered there at all.
            let summary = l.meta.leaflet_summary.as_deref().filter(|_| l.core.lang.is_none())?;
            // Its own front-matter field, so its lines are counted from the top of the file.
            Some(render_page(env, PageKind::Lesson(i), &l.core.path, summary, 2))
        })
        .collect();
    let paper = site.config.leaflet.paper;
    contents.leaflet_pages = (0..site.lessons.len())
        .into_par_iter()
        .map(|i| {
            let l = &site.lessons[i];
            crate::assets::leaflet::estimate_pages(
                contents.leaflet_html(i),
                &l.meta.title,
                &l.meta.summary,
                paper,
            )
        })
        .collect();
    contents
}

/// Renders Markdown written in page `kind` (`body` starting on line `body_line` of `path`).
/// What differs between kinds is decided here: only lessons have bundle files, link glossary
/// terms, and print as a leaflet when they ask to.
fn render_page(env: &Env<'_>, kind: PageKind, path: &Path, body: &str, body_line: usize) -> Rendered {
    let lesson = match kind {
        PageKind::Lesson(i) => Some(&env.site.lessons[i]),
        PageKind::Home | PageKind::Topic(_) | PageKind::Page(_) => None,
    };
    let leaflet_id = lesson.filter(|l| l.meta.leaflet).map(|l| paths::leaflet_id(&l.core.url));
    // The packs render::render_site prints in full: its topic's, and the whole site's, each when
    // it holds at most PACK_MAX leaflets.
    let site = env.site;
    let printed = |l: &&crate::pipeline::assemble::Lesson| l.meta.leaflet && l.core.lang.is_none();
    let in_full_pack = lesson.is_some_and(|l| {
        let topic = &site.topics[l.topic];
        // Counting stops past PACK_MAX: on a large site this runs once per lesson.
        let small = |n: usize| n <= render::PACK_MAX;
        small(
            topic
                .lessons
                .iter()
                .map(|&j| &site.lessons[j])
                .filter(printed)
                .take(render::PACK_MAX + 1)
                .count(),
        ) || small(site.lessons.iter().filter(printed).take(render::PACK_MAX + 1).count())
    });
    markdown::render(
        env,
        &PageInput {
            path,
            body,
            body_line,
            bundle_files: lesson.map_or(&[], |l| &l.bundle_files),
            link_terms: lesson.is_some(),
            leaflet_id: leaflet_id.as_deref(),
            in_full_pack,
        },
    )
}

/// What reading one file's front matter gave.
type Parsing = Result<parse::Parsed, Vec<Diagnostic>>;

/// The Markdown of a file whose front matter did not parse: not a page of the site, but its
/// body can still hold a broken link or an image without alt text, and the person fixing the
/// front matter should learn about those in the same run.
struct Unparsed {
    path: PathBuf,
    body: String,
    body_line: usize,
}

/// The problems in the Markdown of the files whose front matter failed.
fn check_unparsed(env: &Env<'_>, unparsed: &[Unparsed], bundles: &[load::BundleFile]) -> Vec<Diagnostic> {
    unparsed
        .par_iter()
        .flat_map_iter(|u| {
            let files: Vec<load::BundleFile> =
                bundles.iter().filter(|f| f.lesson == u.path).cloned().collect();
            let input = PageInput {
                path: &u.path,
                body: &u.body,
                body_line: u.body_line,
                bundle_files: &files,
                link_terms: false,
                leaflet_id: None,
                in_full_pack: false,
            };
            markdown::render(env, &input).diagnostics
        })
        .collect()
}

/// A leaflet that will likely print on more than one sheet (two pages) gets a warning.
fn check_leaflet_length(site: &Site, contents: &Contents) -> Vec<Diagnostic> {
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
fn check_anchors<'a>(
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
    let ids_by_url: std::collections::HashMap<&str, &[String]> =
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
    ids.sort_by_cached_key(|id| crate::core::diagnostic::edit_distance(id, anchor));
    ids.into_iter().take(8).cloned().collect()
}

/// Theme static files (CSS and JS fingerprinted), the site's `static/`, and bundle files.
fn collect_assets(site: &Site, theme: &Theme) -> (Vec<OutFile>, Vec<CopyFile>, AssetUrls) {
    let mut files = Vec::new();
    let mut copies = Vec::new();
    let mut urls = AssetUrls::new();
    let base = site.config.base_path();
    for (name, bytes) in &theme.static_files {
        // CSS and JS get a content hash in their name, so browsers may cache them for good.
        let published = if name.ends_with(".css") || name.ends_with(".js") {
            let hash = crate::core::digest::hex(&crate::core::digest::of(bytes));
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            format!("{stem}.{}.{ext}", &hash[..10])
        } else {
            name.clone()
        };
        urls.insert(name.clone(), format!("{base}{published}"));
        files.push(OutFile { path: PathBuf::from(published), bytes: bytes.clone() });
    }
    // The site's own files, as they are. Templates find them by name too (`assets["logo.svg"]`),
    // so a commune that drops in a favicon or a logo sees it used without editing a template.
    for (name, path) in files_under(&site.root.join(paths::STATIC_DIR)) {
        urls.insert(name.clone(), format!("{base}{name}"));
        copies.push(CopyFile { from: path, to: PathBuf::from(name) });
    }
    for lesson in &site.lessons {
        let dir = paths::output_dir(&base, &lesson.core.url);
        // Images are published by the image processor, resized and without metadata.
        for f in lesson.bundle_files.iter().filter(|f| !crate::assets::images::is_image(&f.name)) {
            copies.push(CopyFile { from: site.root.join(&f.path), to: dir.join(&f.name) });
        }
    }
    (files, copies, urls)
}
