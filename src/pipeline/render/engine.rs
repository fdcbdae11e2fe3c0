//! What every page goes through: the jobs rendered in parallel, each page's template and context
//! hashed first so that a page the previous build made from the same is kept rather than
//! rendered again, and the rendered files handed to the output.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::frame::base_context;
use super::scratch::Scratch;
use super::stand_in::{self, Qr};
use super::{Input, fold};
use crate::assets::audio::Recording;
use crate::assets::theme::{Theme, error_chain};
use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::digest::{self, Digest};
use crate::core::ids::{LessonId, Table};
use crate::core::output::{OutFile, Sink};
use crate::core::paths::{SiteUrls, output_path};
use crate::pipeline::assemble::{Alternates, Site};
use crate::pipeline::markdown::Contents;

/// How a job makes its file from what the render shares.
type Make<'a> = Box<dyn Fn(&Shared<'_>) -> Result<Output, Diagnostic> + Send + Sync + 'a>;

/// One page (or site-wide file) to make. Each family of pages plans its own (`pages`).
pub struct Job<'a> {
    make: Make<'a>,
    /// The lessons whose QR code the page shows, so each code is drawn once for all its pages.
    qr_codes: Vec<LessonId>,
}

impl<'a> Job<'a> {
    /// A job that makes its file with `make`, for a page `|s| render(s, its_page(s, …))`.
    pub(super) fn new(make: impl Fn(&Shared<'_>) -> Result<Output, Diagnostic> + Send + Sync + 'a) -> Self {
        Job { make: Box::new(make), qr_codes: Vec::new() }
    }

    /// The same job, for a page that shows the QR codes of `lessons`.
    pub(super) fn showing_qr_codes(self, lessons: Vec<LessonId>) -> Self {
        Job { qr_codes: lessons, ..self }
    }
}

/// Renders the given pages in parallel into `sink`; returns how many HTML pages were made.
pub fn render_jobs(input: Input<'_>, jobs: &[Job<'_>], sink: &dyn Sink) -> Result<usize, Vec<Diagnostic>> {
    let shared = Shared::new(input, jobs, sink);
    let results: Vec<Result<bool, Diagnostic>> = jobs.par_iter().map(|job| shared.put(job)).collect();
    let mut pages = 0;
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(html) => pages += usize::from(html),
            Err(d) => problems.push(d),
        }
    }
    // The same template error on every lesson is one problem, not a thousand.
    problems.dedup_by(|a, b| a.file == b.file && a.problem == b.problem);
    if problems.is_empty() { Ok(pages) } else { Err(problems) }
}

/// What every job reads: the site, its theme and rendered Markdown, and what the jobs share,
/// computed once.
pub(super) struct Shared<'a> {
    pub(super) site: &'a Site,
    pub(super) theme: &'a Theme,
    pub(super) contents: &'a Contents,
    /// Each lesson's recording, in the order of the site's lessons.
    pub(super) recordings: &'a Table<LessonId, Option<Recording>>,
    /// Where each page is in every edition.
    pub(super) languages: &'a Alternates,
    pub(super) urls: SiteUrls,
    /// The address of each page of this language → its position in [`Site::every_page`],
    /// where [`Alternates`](crate::pipeline::assemble::Alternates) finds its other versions.
    pub(super) positions: HashMap<String, usize>,
    /// The QR code of each lesson a job shows one of, by the lesson's index.
    qrs: HashMap<LessonId, Qr>,
    /// The context every page shares.
    base: Context,
    /// The hash of everything pages share besides their own context ([`shared_inputs`]).
    inputs: Digest,
    /// Where pages go; asked first whether the previous build's page can be kept.
    sink: &'a dyn Sink,
    /// Copies of `base` free for a page to lay its own context over (see [`Scratch`]).
    scratch: Mutex<Vec<Context>>,
    /// The theme's templates with the shared values they print written in ([`fold`]), and
    /// the shared keys that were.
    tera: tera::Tera,
    folded: std::collections::HashSet<String>,
}

impl<'a> Shared<'a> {
    fn new(input: Input<'a>, jobs: &[Job<'_>], sink: &'a dyn Sink) -> Shared<'a> {
        let Input { edition, recordings, assets } = input;
        let (site, theme, contents) = (&edition.site, &edition.theme, &edition.contents);
        let base = base_context(site, theme, assets);
        let inputs = shared_inputs(theme, &base);
        let (tera, folded) = fold::fold_shared(&theme.tera, &base);
        let positions = site
            .every_page()
            .enumerate()
            .filter(|(_, (_, core))| core.lang.is_none())
            .map(|(n, (_, core))| (core.url.clone(), n))
            .collect();
        Shared {
            site,
            theme,
            contents,
            recordings,
            languages: &edition.languages,
            urls: SiteUrls::new(&site.home.core.url),
            positions,
            qrs: stand_in::qr_codes(site, theme, recordings, jobs.iter().flat_map(|job| &job.qr_codes)),
            base,
            inputs,
            sink,
            scratch: Mutex::new(Vec::new()),
            tera,
            folded,
        }
    }

    /// Lesson `i`'s QR code, if a job said it shows it.
    pub(super) fn qr(&self, i: LessonId) -> Option<&Qr> {
        self.qrs.get(&i)
    }

    /// Makes one job's file and hands it to the sink; true for an HTML page.
    fn put(&self, job: &Job<'_>) -> Result<bool, Diagnostic> {
        let html = |path: &Path| path.extension().is_some_and(|e| e == "html");
        match (job.make)(self)? {
            Output::Kept(path) => Ok(html(&path)),
            Output::Made(file, made_from) => {
                let is_html = html(&file.path);
                match made_from {
                    Some(hash) => self.sink.put_made(file, &hash),
                    None => self.sink.put(file),
                }
                .map(|()| is_html)
            }
        }
    }
}

/// What a page builder makes: the template, the page's URL path and its context.
pub(super) type Made<C> = (&'static str, String, C);

/// What making one job gave.
pub(super) enum Output {
    /// A file to write, and for a page the hash of what it was made from.
    Made(OutFile, Option<Digest>),
    /// The previous build's file at this path (relative to the output), kept: it was made from
    /// the very same template and context.
    Kept(PathBuf),
}

/// A file that was not rendered from a template (a calendar, a copied table).
pub(super) fn made(file: OutFile) -> Output {
    Output::Made(file, None)
}

/// Puts one page's context over the shared one and renders its template, unless the previous
/// build made this page from the same template and context (then it is kept, not rendered).
pub(super) fn render<C: Serialize>(
    s: &Shared<'_>,
    (template, url, page): Made<C>,
) -> Result<Output, Diagnostic> {
    let problem = |e: &tera::Error| {
        Diagnostic::error(s.theme.template_path(template), 0, 0, Problem::Template(error_chain(e)))
    };
    let path = output_path(&s.site.config.base_path(), &url);
    // Hashing the context costs a small part of rendering it: serialising straight into the
    // hash, no copy, the body and QR codes by their stand-ins. A context that cannot be
    // serialised gets no hash; rendering reports why.
    let mut inputs = digest::Hasher::new();
    inputs.update(&s.inputs);
    inputs.update(template.as_bytes());
    inputs.update(&[0]);
    let made_from = digest::feed_serialized(&mut inputs, &page).ok().map(|()| inputs.finish());
    if let Some(hash) = &made_from
        && s.sink.keep(&path, hash)
    {
        return Ok(Output::Kept(path));
    }
    let own = tera::to_value(&page).map_err(tera::Error::json).map_err(|e| problem(&e))?;
    let mut ctx = Scratch::take(&s.base, &s.scratch, &s.folded);
    let laid = ctx.lay(own);
    // Straight into bytes: `Tera::render` would check the whole page is UTF-8 once more.
    let mut bytes = Vec::with_capacity(32 * 1024);
    let rendered = laid.and_then(|()| s.tera.render_to(template, ctx.context(), &mut bytes));
    ctx.give_back();
    rendered.map_err(|e| problem(&e))?;
    Ok(Output::Made(OutFile { path, bytes }, made_from))
}

/// What every page of one render shares besides its own context: the program, the templates
/// and the shared context (site, UI strings, menus). A page whose own context and template are
/// unchanged under the same shared inputs renders to the same bytes.
fn shared_inputs(theme: &Theme, base: &Context) -> Digest {
    let mut h = digest::Hasher::new();
    h.update(&crate::pipeline::manifest::program_identity());
    h.update(&theme.templates_hash);
    if digest::feed_serialized(&mut h, &base.clone().into_json()).is_err() {
        // Never happens for a Context; if it did, nothing is kept rather than something wrong.
        return crate::pipeline::manifest::program_identity();
    }
    h.finish()
}
