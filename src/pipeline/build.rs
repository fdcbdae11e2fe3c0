//! `hocso build`: the pipeline as a short list of named stages, each timed.
//!
//! 1. **prepare**: every edition read, arranged, its Markdown rendered and checked
//!    ([`edition::prepare`]); any error stops the build before anything is written;
//! 2. **recordings**: each lesson that gets a recording has it made or taken from the cache;
//! 3. **pages and search index**: the files that are not pages are gathered
//!    ([`site_files`]), then each edition's pages and search index are rendered side by side
//!    into a staging folder beside the output ([`render`], [`search`]);
//! 4. **files, copies and swap**: the theme's and site's files are written and copied, precompressed
//!    when asked, and the staging folder replaces the output in one step ([`write`]).
//!
//! Each stage reports problems instead of stopping, and the pipeline goes as far as the data
//! allows, so one run shows every problem it can find.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::assets::audio::Synthesiser;
use crate::assets::images::Processor;
use crate::core::diagnostic::Diagnostic;
use crate::core::ids::Table;
use crate::core::progress::{self, Work};
use crate::pipeline::assemble::Site;
use crate::pipeline::edition::{self, Editions, Sources};
use crate::pipeline::recordings::{self, Recordings};
use crate::pipeline::render::AssetUrls;
use crate::pipeline::site_files::{self, SiteFiles};
use crate::pipeline::{precompress, render, search, write};

/// What `hocso build` was asked to do.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// The site folder (holds site.toml and content/).
    pub root: PathBuf,
    /// Where the finished site goes.
    pub output: PathBuf,
    /// Include lessons marked `draft = true`.
    pub drafts: bool,
    /// Where long stages (images, recordings) show their progress.
    pub progress: progress::Display,
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
    pub(crate) fn one_lesson(site: &Site, files: usize, label: &'static str, start: Instant) -> Report {
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

/// What `hocso serve` keeps between builds to redo only what an edit touches
/// ([`crate::pipeline::incremental`]).
pub struct Kept {
    pub editions: Editions,
    pub recordings: Recordings,
    pub assets: AssetUrls,
}

/// How long each stage took, in the order they ran.
#[derive(Default)]
struct Timings(Vec<(&'static str, Duration)>);

impl Timings {
    /// Runs `stage`, noting its time under `label`.
    fn time<T>(&mut self, label: &'static str, stage: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = stage();
        self.0.push((label, start.elapsed()));
        out
    }

    /// Notes the time of a part of the stage before it (indented under it).
    fn part(&mut self, label: &'static str, took: Duration) {
        self.0.push((label, took));
    }
}

/// Builds the site into `options.output`, replacing it only if everything succeeded.
pub fn build(options: &BuildOptions) -> Result<Report, Vec<Diagnostic>> {
    build_keeping(options, Sources::Drop).map(|(report, _)| report)
}

/// A full build that also hands back what was built, for incremental rebuilds (which need
/// [`Sources::Keep`]).
pub fn build_keeping(options: &BuildOptions, sources: Sources) -> Result<(Report, Kept), Vec<Diagnostic>> {
    let start = Instant::now();
    let root = &options.root;
    // Refuse a dangerous output folder before doing any work.
    write::check_output(root, &options.output).map_err(|d| vec![d])?;
    let mut timings = Timings::default();
    let images = image_processor(root, &options.progress);
    let mut editions =
        timings.time("read, parse, Markdown", || edition::prepare(root, options.drafts, images, sources))?;
    let (recordings, synthesiser) = timings.time("recordings", || record(&mut editions, &options.progress));
    let (staging, site_files, pages, search_time) = timings.time("templates and search index", || {
        let site_files = site_files::collect(&editions, &recordings).map_err(|d| vec![d])?;
        // Nothing replaces the output until everything succeeded.
        let precompressed = editions.default_edition().site.config.precompress;
        let settings = if precompressed { write::PRECOMPRESSED } else { "" };
        let staging = write::Staging::new(root, &options.output, settings).map_err(|d| vec![d])?;
        let (pages, search_time) = render_editions(&editions, &recordings, &site_files.assets, &staging)?;
        Ok::<_, Vec<Diagnostic>>((staging, site_files, pages, search_time))
    })?;
    timings.part("  of which search index (alongside)", search_time);
    let SiteFiles { files, copies, assets } = site_files;
    let (precompressed, files_written, files_reused) =
        timings.time("theme files, copies and swap", || {
            files.par_iter().try_for_each(|f| staging.write(f)).map_err(|d| vec![d])?;
            copies.par_iter().try_for_each(|c| staging.copy(c)).map_err(|d| vec![d])?;
            let precompressed = precompress(root, &editions, &staging)?;
            let (written, reused) = (staging.files(), staging.reused());
            staging.publish().map_err(|d| vec![d])?;
            Ok::<_, Vec<Diagnostic>>((precompressed, written, reused))
        })?;
    if let Some(took) = precompressed {
        timings.part("  of which precompression", took);
    }
    editions.images.prune();
    if let Some(synthesiser) = &synthesiser {
        synthesiser.prune();
    }
    let report = Report {
        pages,
        files: files_written,
        files_reused,
        elapsed: start.elapsed(),
        timings: timings.0,
        ..counts(&mut editions, synthesiser.as_ref())
    };
    Ok((report, Kept { editions, recordings, assets }))
}

/// Images are processed on demand as pages need them, with a spinner on a terminal.
fn image_processor(root: &Path, progress: &progress::Display) -> Processor {
    let processor = Processor::new(root);
    match progress.start(Work::Images, None) {
        Some(ticker) => processor.with_progress(move || ticker.tick()),
        None => processor,
    }
}

/// Makes the recordings of every edition that asks for them: each edition's, and the
/// synthesiser, to prune its cache once the build succeeded. None at all when no lesson gets
/// one or the speech engine is missing (a warning says so).
fn record(editions: &mut Editions, progress: &progress::Display) -> (Recordings, Option<Synthesiser>) {
    // No recordings: an empty list per edition (a lesson past its end has none).
    let none = |editions: &Editions| editions.all.iter().map(|_| Table::default()).collect();
    let wanted = editions.all.iter().flat_map(|e| &e.spoken).any(Option::is_some);
    let root = editions.default_edition().site.root.clone();
    let Some(synthesiser) = recordings::synthesiser(&root, wanted, &mut editions.warnings) else {
        return (none(editions), None);
    };
    let mut made = Vec::with_capacity(editions.all.len());
    for e in &editions.all {
        made.push(recordings::record(&synthesiser, &e.site, &e.spoken, &mut editions.warnings, progress));
    }
    (made, Some(synthesiser))
}

/// Each edition's pages and search index, made side by side: each file is written into the
/// staging folder as soon as it is rendered, so both cores stay busy and the site is never all
/// in memory. Returns the pages made and the time the search index took.
fn render_editions(
    editions: &Editions,
    recordings: &Recordings,
    assets: &AssetUrls,
    staging: &write::Staging,
) -> Result<(usize, Duration), Vec<Diagnostic>> {
    let mut pages = 0;
    let mut search_time = Duration::ZERO;
    for (e, recordings) in editions.all.iter().zip(recordings) {
        let (made, searched) = rayon::join(
            || render::render_site(render::Input { edition: e, recordings, assets }, staging),
            || {
                let start = Instant::now();
                search::build(&e.site, &e.contents, staging).map(|()| start.elapsed())
            },
        );
        pages += made?;
        search_time += searched.map_err(|d| vec![d])?;
    }
    Ok((pages, search_time))
}

/// Brotli and gzip copies beside the text files, when site.toml asks for them.
fn precompress(
    root: &Path,
    editions: &Editions,
    staging: &write::Staging,
) -> Result<Option<Duration>, Vec<Diagnostic>> {
    if !editions.default_edition().site.config.precompress {
        return Ok(None);
    }
    let start = Instant::now();
    precompress::run(root, staging.path(), &staging.kept_hashes()).map_err(|d| vec![d])?;
    Ok(Some(start.elapsed()))
}

/// The counts of a finished build that are not about files: lessons, topics, warnings, images
/// and recordings.
fn counts(editions: &mut Editions, synthesiser: Option<&Synthesiser>) -> Report {
    let site = &editions.default_edition().site;
    let stats = &editions.images.stats;
    let load = |count: &AtomicUsize| count.load(Ordering::Relaxed);
    Report {
        pages: 0,
        files: 0,
        lessons: site.lessons.len(),
        topics: site.topics.len(),
        warnings: std::mem::take(&mut editions.warnings),
        elapsed: Duration::ZERO,
        timings: Vec::new(),
        images_decoded: load(&stats.decoded),
        images_encoded: load(&stats.encoded),
        images_reused: load(&stats.reused),
        files_reused: 0,
        audio_made: synthesiser.map_or(0, |s| load(&s.stats.synthesised)),
        audio_reused: synthesiser.map_or(0, |s| load(&s.stats.reused)),
    }
}
