//! Stage 5b — put rendered Markdown into the theme's templates, every page in parallel.
//!
//! Each kind of page has one function that builds one typed context from borrowed site data;
//! the parts every page shares (site, UI strings, navigation, asset URLs) are built once and
//! cloned, and the per-page fields every page has (`page`, `current_url`, `current_topic_url`,
//! `breadcrumbs`) are set in one place, `Frame`.

mod campaign_pages;
mod fold;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::assets::theme::{Theme, error_chain};
use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::digest::{self, Digest};
use crate::core::output::{OutFile, Sink};
use crate::core::paths::{self, SiteUrls, output_path};
use crate::pipeline::assemble::{LanguageRef, Lesson, PageCore, Site};
use crate::pipeline::markdown::Contents;
use crate::pipeline::parse::Level;

mod learning;

/// Leaflets in one print pack at most; a larger topic's pack lists its leaflets instead, since
/// nobody prints hundreds of sheets at once and the page would be too heavy to open.
pub const PACK_MAX: usize = 100;
/// Lessons the search page lists itself (its no-JavaScript help); a larger site's list moves to
/// its own page, linked from the search page. 10,000 links made the search page 965 KB, and a
/// cheap phone spent most of a search laying that list out again.
pub const AZ_INLINE_MAX: usize = 300;
/// Lessons on one page of a topic's list or of the A–Z list; a longer list gets numbered pages
/// (`/an-toan/trang-2/`), so a phone on a slow line opens each one quickly.
pub const LIST_PAGE_SIZE: usize = 50;

/// URLs of the fingerprinted theme files, by their name in the theme (`css/hocso.css`).
pub type AssetUrls = std::collections::BTreeMap<String, String>;

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: String,
    language: &'a str,
    contact: &'a crate::pipeline::config::Contact,
    /// Offline reading is on: pages register the worker and lessons offer "save".
    offline: bool,
    /// The one worker of the whole site, every language included, and the address it covers
    /// (the default language's home), as pages register it.
    worker: String,
    worker_scope: &'a str,
    /// The web app manifest, one for the whole site too.
    manifest: String,
}

/// A titled link. Mostly borrowed; owned where the title is a UI string or the address is
/// computed (a leaflet's).
#[derive(Serialize)]
struct Link<'a> {
    title: Cow<'a, str>,
    url: Cow<'a, str>,
    /// On a translation, the language of a page not yet translated (its title is in it, and
    /// the link leads to it): templates write it as `lang` and `hreflang`.
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
}

impl<'a> Link<'a> {
    fn new(title: impl Into<Cow<'a, str>>, url: impl Into<Cow<'a, str>>) -> Self {
        Link { title: title.into(), url: url.into(), lang: None }
    }

    /// A link to a page of the site, titled `title`, marked with its language when it is not
    /// the site's.
    fn to(title: &'a str, core: &'a PageCore) -> Self {
        Link { title: title.into(), url: core.url.as_str().into(), lang: core.lang.as_deref() }
    }
}

#[derive(Serialize)]
struct LessonCard<'a> {
    title: &'a str,
    url: &'a str,
    /// The lesson's language when it is not the site's (not yet translated).
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    summary: &'a str,
    level: Option<String>,
    duration: Option<u32>,
    updated_iso: Option<String>,
    updated_display: Option<String>,
    topic: Link<'a>,
}

#[derive(Serialize)]
struct TopicCard<'a> {
    title: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    description: &'a str,
    icon_svg: &'a str,
    lesson_count: usize,
}

/// Renders every page and the site-wide files (feeds, sitemap, robots, 404, aliases) into
/// `sink`; returns how many HTML pages were made.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    contents: &Contents,
    assets: &AssetUrls,
    sink: &dyn Sink,
) -> Result<usize, Vec<Diagnostic>> {
    // A translation renders its translated pages; the site-wide files are the site's alone.
    let own = |core: &PageCore| core.lang.is_none();
    let mut jobs: Vec<Job<'_>> = vec![Job::Home, Job::Atom];
    if !site.is_translation() {
        jobs.extend([Job::NotFound, Job::Sitemap, Job::Robots]);
    }
    jobs.extend((0..site.topics.len()).filter(|&i| own(&site.topics[i].core)).map(Job::Topic));
    let lessons = || (0..site.lessons.len()).filter(|&i| own(&site.lessons[i].core));
    jobs.extend(lessons().map(Job::Lesson));
    jobs.extend((0..site.pages.len()).filter(|&i| own(&site.pages[i].core)).map(Job::Page));
    jobs.push(Job::LeafletIndex);
    jobs.push(Job::Glossary);
    jobs.push(Job::Search);
    if lessons().count() > AZ_INLINE_MAX {
        jobs.push(Job::SearchAll);
        jobs.extend((1..list_pages(lessons().count())).map(Job::SearchAllPage));
    }
    for (t, topic) in site.topics.iter().enumerate().filter(|(_, t)| own(&t.core)) {
        jobs.extend((1..list_pages(topic.lessons.len())).map(|p| Job::TopicPage(t, p)));
    }
    jobs.push(Job::LeafletPack(None));
    jobs.extend((0..site.topics.len()).map(|t| Job::LeafletPack(Some(t))));
    jobs.extend((0..site.journeys.len()).flat_map(|j| [Job::Journey(j), Job::JourneyLeaflet(j)]));
    jobs.push(Job::Progress);
    for lesson in &site.lessons {
        jobs.extend(lesson.alias_urls.iter().map(|url| Job::Alias(url, lesson)));
    }
    if site.config.offline {
        jobs.extend([Job::Saved, Job::Offline]);
    }
    jobs.extend(campaign_pages::jobs(site).into_iter().map(Job::Campaign));
    render_jobs(site, theme, contents, assets, &jobs, sink)
}

/// The pages that show lesson `i`'s content: its page (which prints as its leaflet) and the
/// print packs that hold it. After an edit of the lesson's text alone, only these change.
pub fn lesson_jobs(site: &Site, i: usize) -> Vec<Job<'_>> {
    let mut jobs = vec![Job::Lesson(i)];
    if site.lessons[i].meta.leaflet {
        // A pack over PACK_MAX only lists titles, which an edit of the text does not change;
        // re-rendering the 10,000-link list was most of an edit's time on a large site.
        for pack in [Some(site.lessons[i].topic), None] {
            if pack_lessons(site, pack).len() <= PACK_MAX {
                jobs.push(Job::LeafletPack(pack));
            }
        }
    }
    jobs
}

/// Renders the given pages in parallel into `sink`; returns how many HTML pages were made.
pub fn render_jobs(
    site: &Site,
    theme: &Theme,
    contents: &Contents,
    assets: &AssetUrls,
    jobs: &[Job<'_>],
    sink: &dyn Sink,
) -> Result<usize, Vec<Diagnostic>> {
    let base = base_context(site, theme, assets);
    // QR codes are drawn once per lesson that needs one: a leaflet appears on up to three pages
    // (the lesson's own, printed, and two packs). Counted, so each is dropped after its last page.
    let label = theme.t("leaflet_qr_label");
    let mut needed: HashMap<usize, usize> = HashMap::new();
    for i in jobs.iter().flat_map(|job| match *job {
        Job::Lesson(i) if site.lessons[i].meta.leaflet => vec![i],
        // A pack over PACK_MAX lists links only, without QR codes.
        Job::LeafletPack(pack) => {
            let lessons = pack_lessons(site, pack);
            if lessons.len() <= PACK_MAX { lessons } else { Vec::new() }
        }
        _ => Vec::new(),
    }) {
        *needed.entry(i).or_default() += 1;
    }
    let qrs: HashMap<usize, Qr> = needed
        .into_iter()
        .map(|(i, pages)| {
            let url = site.config.absolute(&site.lessons[i].core.url);
            let short = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
            let caption = format!("{label} {short}");
            // The caption promises "nghe đọc": with a recording, the code opens at its player.
            let target = match site.lessons[i].recording {
                Some(_) => format!("{url}#{}", paths::RECORDING_ID),
                None => url.clone(),
            };
            (i, Qr { target, caption, pages: AtomicUsize::new(pages), svg: Mutex::new(None) })
        })
        .collect();
    let urls = SiteUrls::new(&site.home.core.url);
    let positions = site
        .every_page()
        .enumerate()
        .filter(|(_, (_, core))| core.lang.is_none())
        .map(|(n, (_, core))| (core.url.clone(), n))
        .collect();
    let inputs = shared_inputs(theme, &base);
    let (tera, folded) = fold::fold_shared(&theme.tera, &base);
    let shared = Shared {
        site,
        theme,
        contents,
        base,
        inputs,
        sink,
        qrs,
        urls,
        positions,
        az: std::sync::OnceLock::new(),
        scratch: Mutex::new(Vec::new()),
        tera,
        folded,
    };
    let results: Vec<Result<bool, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let html = |path: &Path| path.extension().is_some_and(|e| e == "html");
            match render_job(&shared, job)? {
                Output::Kept(path) => Ok(html(&path)),
                Output::Made(file, made_from) => {
                    let is_html = html(&file.path);
                    match made_from {
                        Some(hash) => sink.put_made(file, &hash),
                        None => sink.put(file),
                    }
                    .map(|()| is_html)
                }
            }
        })
        .collect();
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

/// One page (or site-wide file) to render.
pub enum Job<'a> {
    Home,
    NotFound,
    Sitemap,
    Atom,
    Robots,
    Topic(usize),
    Lesson(usize),
    Page(usize),
    LeafletIndex,
    Glossary,
    Search,
    /// The A–Z list of every lesson, on its own page when the site is large.
    SearchAll,
    /// Every leaflet of one topic, or of the whole site.
    LeafletPack(Option<usize>),
    Alias(&'a str, &'a Lesson),
    /// A step-by-step journey's page, and its printable checklist.
    Journey(usize),
    JourneyLeaflet(usize),
    /// "Bài tôi đã học", the reader's own list.
    Progress,
    /// "Bài đã lưu": the lessons kept for offline reading (listed by the page's script).
    Saved,
    /// What the offline worker shows for a page it does not have.
    Offline,
    /// A page or file of the help-point calendar or of the quarterly results.
    Campaign(campaign_pages::CampaignJob),
    /// Page `.1` (from 0; page 0 is [`Job::Topic`]) of a long topic's list of lessons.
    TopicPage(usize, usize),
    /// Page `n` (from 0; page 0 is [`Job::SearchAll`]) of a long A–Z list.
    SearchAllPage(usize),
}

/// The home of the site's own language: the offline worker's scope, translations included.
fn worker_scope(site: &Site) -> &str {
    site.languages.languages.first().map_or(&site.home.core.url, |l| &l.home)
}

fn base_context(site: &Site, theme: &Theme, assets: &AssetUrls) -> Context {
    let config = &site.config;
    let mut ctx = Context::new();
    ctx.insert(
        "site",
        &SiteCtx {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            // The home of this language: `/`, or `/en/` on the English translation.
            base_path: site.home.core.url.clone(),
            language: &config.language,
            contact: &config.contact,
            offline: config.offline,
            worker: if config.offline {
                format!("{}{}", worker_scope(site), paths::SERVICE_WORKER_FILE)
            } else {
                String::new()
            },
            worker_scope: worker_scope(site),
            manifest: format!("{}{}", worker_scope(site), paths::MANIFEST_FILE),
        },
    );
    ctx.insert("t", &theme.strings);
    let nav: Vec<Link<'_>> = site.topics.iter().map(|t| Link::to(&t.meta.title, &t.core)).collect();
    ctx.insert("nav", &nav);
    let pages: Vec<Link<'_>> = site.pages.iter().map(|p| Link::to(&p.meta.title, &p.core)).collect();
    ctx.insert("footer_pages", &pages);
    ctx.insert("assets", assets);
    ctx.insert("urls", &SiteUrls::new(&site.home.core.url));
    // Which campaign pages exist, for the footer's links.
    ctx.insert("has_help_points", &site.campaign.has_help_points());
    ctx.insert("has_results", &!site.campaign.quarters.is_empty());
    ctx
}

/// What every page job reads: the site, its theme and rendered Markdown, and what the jobs
/// share, computed once.
struct Shared<'a> {
    site: &'a Site,
    theme: &'a Theme,
    contents: &'a Contents,
    base: Context,
    /// The hash of everything pages share besides their own context ([`shared_inputs`]).
    inputs: Digest,
    /// Where pages go; asked first whether the previous build's page can be kept.
    sink: &'a dyn Sink,
    qrs: HashMap<usize, Qr>,
    urls: SiteUrls,
    /// The address of each page of this language → its position in [`Site::every_page`],
    /// where [`Alternates`](crate::pipeline::assemble::Alternates) finds its other versions.
    positions: HashMap<String, usize>,
    /// The A–Z list, sorted once for all its pages.
    az: std::sync::OnceLock<Vec<AzTopic<'a>>>,
    /// Copies of `base` free for a page to lay its own context over (see [`Scratch`]).
    scratch: Mutex<Vec<Context>>,
    /// The theme's templates with the shared values they print written in ([`fold`]), and
    /// the shared keys that were.
    tera: tera::Tera,
    folded: std::collections::HashSet<String>,
}

/// What a page function makes: the template, the page's URL path and its context.
type Made<C> = (&'static str, String, C);

/// Builds one job's context and renders it.
fn render_job(s: &Shared<'_>, job: &Job<'_>) -> Result<Output, Diagnostic> {
    match *job {
        Job::Home => render(s, home_page(s)),
        Job::NotFound => render(s, not_found_page(s)),
        Job::Sitemap => render(s, sitemap_xml(s)),
        Job::Atom => render(s, atom_xml(s)),
        Job::Robots => render(s, robots_txt(s)),
        Job::Topic(i) => render(s, topic_page(s, i, 0)),
        Job::TopicPage(i, page) => render(s, topic_page(s, i, page)),
        Job::SearchAllPage(page) => render(s, a_to_z_page(s, page)),
        Job::Lesson(i) => render(s, lesson_page(s, i)),
        Job::Page(i) => render(s, standalone_page(s, i)),
        Job::LeafletIndex => render(s, leaflet_index_page(s)),
        Job::Glossary => render(s, glossary_page(s)),
        Job::Search => render(s, search_page(s)),
        Job::SearchAll => render(s, a_to_z_page(s, 0)),
        Job::LeafletPack(topic) => render(s, leaflet_pack_page(s, topic)),
        Job::Alias(alias, lesson) => render(s, alias_page(s, alias, lesson)),
        Job::Journey(j) => render(s, learning::journey_page(s, j)),
        Job::JourneyLeaflet(j) => render(s, learning::journey_leaflet_page(s, j)),
        Job::Progress => render(s, learning::progress_page(s)),
        Job::Saved => {
            render(s, utility_page(s, "saved.html", "saved_title", "saved_description", &s.urls.saved))
        }
        Job::Offline => render(
            s,
            utility_page(s, "offline.html", "offline_title", "offline_description", &s.urls.offline),
        ),
        Job::Campaign(ref job) => campaign_pages::render_job(s, job),
    }
}

/// What rendering one job gave.
pub(crate) enum Output {
    /// A file to write, and for a page the hash of what it was made from.
    Made(OutFile, Option<Digest>),
    /// The previous build's file at this path (relative to the output), kept: it was made from
    /// the very same template and context.
    Kept(PathBuf),
}

/// A file that was not rendered from a template (a calendar, a copied table).
pub(crate) fn made(file: OutFile) -> Output {
    Output::Made(file, None)
}

/// Puts one page's context over the shared one and renders its template, unless the previous
/// build made this page from the same template and context (then it is kept, not rendered).
fn render<C: Serialize>(s: &Shared<'_>, (template, url, page): Made<C>) -> Result<Output, Diagnostic> {
    let problem = |e: &tera::Error| {
        Diagnostic::error(s.theme.template_path(template), 0, 0, Problem::Template(error_chain(e)))
    };
    let path = output_path(&s.site.config.base_path(), &url);
    // Hashing the context costs a small part of rendering it: serialising straight into the
    // hash, no copy. A context that cannot be serialised gets no hash; rendering reports why.
    let mut inputs = digest::Hasher::new();
    inputs.update(&s.inputs);
    inputs.update(template.as_bytes());
    inputs.update(&[0]);
    HASHING.set(true);
    let hashed = digest::feed_serialized(&mut inputs, &page);
    HASHING.set(false);
    let made_from = hashed.ok().map(|()| inputs.finish());
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
    let rendered = laid.and_then(|()| s.tera.render_to(template, &ctx.context, &mut bytes));
    ctx.give_back();
    rendered.map_err(|e| problem(&e))?;
    Ok(Output::Made(OutFile { path, bytes }, made_from))
}

/// The shared context with one page's own context laid over it, for one render.
///
/// Copying the shared context (site, every UI string, menus, asset addresses) for each page
/// was a tenth of the time spent in templates; instead a few copies are reused: a page's keys
/// are added, and after rendering removed again (and any shared value they hid put back), so
/// the next page sees the shared context exactly as it was.
struct Scratch<'s> {
    base: &'s Context,
    pool: &'s Mutex<Vec<Context>>,
    /// Shared keys written into the templates: a page must not hide them.
    folded: &'s std::collections::HashSet<String>,
    context: Context,
    /// The keys the page added.
    laid: Vec<String>,
}

impl<'s> Scratch<'s> {
    /// A free copy of `base` from `pool`, or a new one.
    fn take(
        base: &'s Context,
        pool: &'s Mutex<Vec<Context>>,
        folded: &'s std::collections::HashSet<String>,
    ) -> Scratch<'s> {
        let free = pool.lock().unwrap_or_else(std::sync::PoisonError::into_inner).pop();
        Scratch { base, pool, folded, context: free.unwrap_or_else(|| base.clone()), laid: Vec::new() }
    }

    /// Adds the page's own context (a JSON object) over the shared one.
    fn lay(&mut self, own: serde_json::Value) -> tera::Result<()> {
        if let serde_json::Value::Object(map) = &own {
            if let Some(key) = map.keys().find(|k| self.folded.contains(*k)) {
                // The templates already print the shared value: this page's would not show.
                return Err(tera::Error::msg(format!("a page's own `{key}` hides the shared one")));
            }
            self.laid = map.keys().cloned().collect();
        }
        self.context.extend(Context::from_value(own)?);
        Ok(())
    }

    /// Takes the page's keys out again and returns the copy for the next page.
    fn give_back(mut self) {
        for key in std::mem::take(&mut self.laid) {
            self.context.remove(&key);
            if let Some(hidden) = self.base.get(&key) {
                self.context.insert(key, hidden);
            }
        }
        self.pool.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(self.context);
    }
}

thread_local! {
    /// Set while a page's context is serialised into its hash rather than for its template.
    static HASHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A lesson's QR code, drawn only when a page that shows it is really rendered, and then once
/// for all of them (a leaflet is on the lesson's page and in up to two print packs): drawing
/// ten thousand codes was a tenth of a rebuild in which nothing had changed. In a page's hash it
/// stands as what it is drawn from.
///
/// The drawing is kept only until the last of its pages took it: kept for the whole render,
/// ten thousand 4 KB drawings (and their spare capacity) were a quarter of a cold build's peak
/// memory.
pub(crate) struct Qr {
    target: String,
    caption: String,
    /// Pages still to show this code.
    pages: AtomicUsize,
    svg: Mutex<Option<String>>,
}

impl Qr {
    fn draw(&self) -> String {
        crate::assets::leaflet::qr_svg(&self.target, &self.caption).unwrap_or_default()
    }
}

impl Serialize for Qr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if HASHING.get() {
            return (self.target.as_str(), self.caption.as_str()).serialize(serializer);
        }
        let before =
            self.pages.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| Some(n.saturating_sub(1)));
        let mut kept = self.svg.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if before.unwrap_or(0) <= 1 {
            // The last page (or one more than counted): nothing keeps the drawing after this.
            let svg = kept.take().unwrap_or_else(|| self.draw());
            drop(kept);
            return serializer.serialize_str(&svg);
        }
        let svg = kept.get_or_insert_with(|| self.draw());
        serializer.serialize_str(svg)
    }
}

/// A page's rendered Markdown. In the page's hash it stands as its own digest, hashed
/// raw: escaped as JSON first, the bodies of ten thousand lessons were most of the time spent
/// hashing contexts.
fn body_html<S: serde::Serializer>(html: &&str, serializer: S) -> Result<S::Ok, S::Error> {
    if HASHING.get() {
        return serializer.serialize_bytes(&digest::of(html.as_bytes()));
    }
    serializer.serialize_str(html)
}

fn qr_or_empty<S: serde::Serializer>(qr: &Option<&Qr>, serializer: S) -> Result<S::Ok, S::Error> {
    match qr {
        Some(qr) => qr.serialize(serializer),
        None => serializer.serialize_str(""),
    }
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

/// The fields every page's context has, whatever its kind. `page` and `breadcrumbs` are left
/// out, not empty, where a page has none: a theme may ask `is defined`.
#[derive(Serialize, Default)]
struct Frame<'a> {
    /// None on the site-wide files (sitemap, feed, robots.txt).
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<PageCtx<'a>>,
    /// The page's own address, compared with the topic menu's; "" when not in it.
    current_url: &'a str,
    /// The address of the topic the page belongs to; "" when none.
    current_topic_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    breadcrumbs: Option<Vec<Link<'a>>>,
    /// The page in every language it exists in, itself included, for `hreflang`; empty on a
    /// site of one language.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alternates: Vec<Version>,
    /// The language switcher: every listed language, leading to this page in it, or to that
    /// language's home page where the page is not translated.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    switcher: Vec<Version>,
}

/// One language's version of a page.
#[derive(Serialize)]
struct Version {
    code: String,
    /// The language's name in itself.
    name: String,
    url: String,
    /// The absolute address, for `<link rel="alternate">`.
    abs: String,
    /// The language of the page being shown.
    current: bool,
}

/// The versions of the page at `url` in every language: a page of the content by its place in
/// the site, one of hocso's own pages by the same address under each language's home.
fn versions<'a>(s: &'a Shared<'_>, url: &str) -> Vec<(&'a LanguageRef, String)> {
    let languages = &s.site.languages;
    if languages.languages.len() < 2 {
        return Vec::new();
    }
    if let Some(&position) = s.positions.get(url) {
        return languages.of(position).into_iter().map(|(l, u)| (l, u.to_owned())).collect();
    }
    let urls = &s.urls;
    let own = [&urls.search, &urls.glossary, &urls.leaflets, &urls.leaflets_all];
    let is_own = own.iter().any(|u| *u == url)
        || s.site.topics.iter().any(|t| url == s.urls.leaflet_pack(&t.core.slug));
    match url.strip_prefix(urls.home.as_str()) {
        Some(rel) if is_own => languages.languages.iter().map(|l| (l, format!("{}{rel}", l.home))).collect(),
        _ => Vec::new(),
    }
}

impl<'a> Frame<'a> {
    /// An HTML page with its title, description and address.
    fn page(
        s: &Shared<'_>,
        title: impl Into<Cow<'a, str>>,
        description: impl Into<Cow<'a, str>>,
        url: impl Into<Cow<'a, str>>,
    ) -> Self {
        let url: Cow<'a, str> = url.into();
        let here = &s.site.config.language;
        let versions = versions(s, &url);
        let version = |l: &LanguageRef, url: String| Version {
            abs: s.site.config.absolute(&url),
            code: l.code.clone(),
            name: l.name.clone(),
            url,
            current: &l.code == here,
        };
        // A page in one language has no alternates to announce; the switcher is on every page
        // of a site in several languages (leading home where there is no translation).
        let alternates: Vec<Version> = if versions.len() > 1 {
            versions.iter().map(|(l, u)| version(l, u.clone())).collect()
        } else {
            Vec::new()
        };
        let switcher = if s.site.languages.languages.len() < 2 {
            Vec::new()
        } else {
            s.site
                .languages
                .languages
                .iter()
                .filter(|l| l.listed || &l.code == here)
                .map(|l| {
                    let url = versions.iter().find(|(v, _)| v.code == l.code).map_or(&l.home, |(_, u)| u);
                    version(l, url.clone())
                })
                .collect()
        };
        Frame {
            page: Some(PageCtx::new(s.site, title.into(), description.into(), url)),
            alternates,
            switcher,
            ..Frame::default()
        }
    }

    /// Marks the page's own entry in the topic menu (a topic page's).
    fn current(self, url: &'a str) -> Self {
        Frame { current_url: url, ..self }
    }

    /// Marks the topic the page belongs to in the topic menu.
    fn in_topic(self, topic_url: &'a str) -> Self {
        Frame { current_topic_url: topic_url, ..self }
    }

    /// The trail above the page: the home page, then `after_home`.
    fn breadcrumbs(self, s: &'a Shared<'_>, after_home: Vec<Link<'a>>) -> Self {
        let home = Link::new(s.theme.t("home"), &s.urls.home);
        Frame { breadcrumbs: Some(std::iter::once(home).chain(after_home).collect()), ..self }
    }
}

#[derive(Serialize)]
struct HomeCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    #[serde(serialize_with = "body_html")]
    content: &'a str,
    topics: Vec<TopicCard<'a>>,
    newest: Vec<LessonCard<'a>>,
    journeys: Vec<learning::JourneyCard<'a>>,
    help_points: Vec<HelpPointCtx<'a>>,
}

fn home_page<'a>(s: &'a Shared<'_>) -> Made<HomeCtx<'a>> {
    let (site, theme, config) = (s.site, s.theme, &s.site.config);
    let topics = site
        .topics
        .iter()
        .map(|t| TopicCard {
            title: &t.meta.title,
            url: &t.core.url,
            lang: t.core.lang.as_deref(),
            description: &t.meta.description,
            icon_svg: theme.icons.get(&t.meta.icon).map_or("", String::as_str),
            lesson_count: t.lessons.len(),
        })
        .collect();
    let mut newest: Vec<&Lesson> =
        site.lessons.iter().filter(|l| l.updated.is_some() && l.core.lang.is_none()).collect();
    newest.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.core.url.cmp(&b.core.url)));
    let newest = newest.into_iter().take(6).map(|l| lesson_card(site, theme, l)).collect();
    let title = site.home.meta.title.as_deref().unwrap_or(&config.title);
    let description = site.home.meta.description.as_deref().unwrap_or(&config.description);
    let frame = Frame::page(s, title, description, &s.urls.home);
    let help_points = upcoming_help_points(site, theme);
    let journeys = learning::journey_cards(s);
    (
        "index.html",
        s.urls.home.clone(),
        HomeCtx { frame, content: &s.contents.home.html, topics, newest, help_points, journeys },
    )
}

#[derive(Serialize)]
struct NotFoundCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
}

fn not_found_page<'a>(s: &'a Shared<'_>) -> Made<NotFoundCtx<'a>> {
    let url = &s.urls.not_found;
    let frame = Frame::page(s, s.theme.t("not_found_title"), s.theme.t("not_found_text"), url);
    ("404.html", url.clone(), NotFoundCtx { frame })
}

#[derive(Serialize)]
struct SitemapCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    entries: Vec<SitemapEntry>,
}

/// One address of the sitemap, with the other languages' versions of its page.
#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
    /// (language, absolute address) of every version, itself included; empty when the page
    /// exists in one language only.
    alternates: Vec<(String, String)>,
}

/// Every page of every language: the content's pages, then the glossary. A page in several
/// languages lists all its versions in each of its entries (`xhtml:link`), as search engines ask.
fn sitemap_xml<'a>(s: &'a Shared<'_>) -> Made<SitemapCtx<'a>> {
    let site = s.site;
    let languages = &site.languages;
    let mut entries = Vec::new();
    for (position, (kind, core)) in site.every_page().enumerate() {
        let lastmod = match kind {
            crate::pipeline::assemble::PageKind::Lesson(i) => {
                site.lessons[i].updated.map(|d| d.format("%Y-%m-%d").to_string())
            }
            _ => None,
        };
        let mut versions: Vec<(String, String)> = languages
            .of(position)
            .into_iter()
            .map(|(l, url)| (l.code.clone(), site.config.absolute(url)))
            .collect();
        if versions.is_empty() {
            versions.push((site.config.language.clone(), site.config.absolute(&core.url)));
        }
        let alternates = if versions.len() > 1 { versions.clone() } else { Vec::new() };
        for (_, loc) in versions {
            entries.push(SitemapEntry { loc, lastmod: lastmod.clone(), alternates: alternates.clone() });
        }
    }
    if !site.glossary.is_empty() {
        let loc = site.config.absolute(&s.urls.glossary);
        entries.push(SitemapEntry { loc, lastmod: None, alternates: Vec::new() });
    }
    for journey in &site.journeys {
        let loc = site.config.absolute(&journey.core.url);
        entries.push(SitemapEntry { loc, lastmod: None, alternates: Vec::new() });
    }
    // The campaign's pages (in the site's own language only).
    let campaign = &site.campaign;
    let mut campaign_urls = Vec::new();
    if campaign.has_help_points() {
        campaign_urls.push(s.urls.help_points.clone());
        for v in campaign.villages.iter().filter(|v| campaign.help_points.iter().any(|p| p.village == v.name))
        {
            campaign_urls.push(s.urls.village_help_points(&v.slug));
        }
    }
    if !campaign.quarters.is_empty() {
        campaign_urls.push(s.urls.results.clone());
        campaign_urls.extend(campaign.quarters.iter().map(|q| s.urls.quarter(&q.slug())));
    }
    for url in campaign_urls {
        entries.push(SitemapEntry { loc: site.config.absolute(&url), lastmod: None, alternates: Vec::new() });
    }
    let ctx = SitemapCtx { frame: Frame::default(), entries };
    ("sitemap.xml", s.urls.sitemap.clone(), ctx)
}

#[derive(Serialize)]
struct AtomCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    lessons: Vec<LessonCard<'a>>,
    abs: String,
    feed_updated: String,
}

fn atom_xml<'a>(s: &'a Shared<'_>) -> Made<AtomCtx<'a>> {
    let site = s.site;
    let mut newest: Vec<&Lesson> = site.lessons.iter().filter(|l| l.core.lang.is_none()).collect();
    newest.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.core.url.cmp(&b.core.url)));
    let lessons = newest.into_iter().take(30).map(|l| lesson_card(site, s.theme, l)).collect();
    // A feed needs a date; without any dated lesson, the Unix epoch says "unknown" honestly.
    let feed_updated = site
        .lessons
        .iter()
        .filter_map(|l| l.updated)
        .max()
        .map_or_else(|| "1970-01-01".to_owned(), |d| d.format("%Y-%m-%d").to_string());
    let ctx = AtomCtx { frame: Frame::default(), lessons, abs: site.config.absolute(""), feed_updated };
    ("atom.xml", s.urls.atom.clone(), ctx)
}

#[derive(Serialize)]
struct RobotsCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    abs: String,
}

fn robots_txt<'a>(s: &'a Shared<'_>) -> Made<RobotsCtx<'a>> {
    (
        "robots.txt",
        s.urls.robots.clone(),
        RobotsCtx { frame: Frame::default(), abs: s.site.config.absolute("") },
    )
}

#[derive(Serialize)]
struct TopicCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    #[serde(serialize_with = "body_html")]
    content: &'a str,
    lessons: Vec<LessonCard<'a>>,
    icon_svg: &'a str,
    journeys: Vec<learning::JourneyCard<'a>>,
    /// Only on a topic with more than [`LIST_PAGE_SIZE`] lessons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pagination: Option<Pagination>,
}

/// Page `page` (from 0) of topic `i`; a topic of up to [`LIST_PAGE_SIZE`] lessons has only one.
fn topic_page<'a>(s: &'a Shared<'_>, i: usize, page: usize) -> Made<TopicCtx<'a>> {
    let (site, theme) = (s.site, s.theme);
    let topic = &site.topics[i];
    let total = list_pages(topic.lessons.len());
    // Lessons not yet translated are listed too, in their own language, marked as such.
    let lessons = topic
        .lessons
        .iter()
        .skip(page * LIST_PAGE_SIZE)
        .take(LIST_PAGE_SIZE)
        .map(|&l| lesson_card(site, theme, &site.lessons[l]))
        .collect();
    let pagination = (total > 1).then(|| Pagination::new(theme, &topic.core.url, page, total));
    let title: Cow<'a, str> = match &pagination {
        Some(p) if page > 0 => format!("{} – {}", topic.meta.title, p.label).into(),
        _ => Cow::Borrowed(&topic.meta.title),
    };
    let url = paths::list_page_url(&topic.core.url, page + 1);
    let frame = Frame::page(s, title, &topic.meta.description, url.clone())
        .current(&topic.core.url)
        .in_topic(&topic.core.url)
        .breadcrumbs(s, vec![]);
    let ctx = TopicCtx {
        frame,
        // The topic's own text opens its first page only.
        content: if page == 0 { &s.contents.topics[i].html } else { "" },
        lessons,
        icon_svg: theme.icons.get(&topic.meta.icon).map_or("", String::as_str),
        journeys: learning::topic_journeys(s, i),
        pagination,
    };
    ("topic.html", url, ctx)
}

/// How many pages a list of `n` lessons takes (at least one).
fn list_pages(n: usize) -> usize {
    n.div_ceil(LIST_PAGE_SIZE).max(1)
}

/// The numbered links under a long list: "Trang 2 trên 50", the previous and next pages, and
/// every page's number.
#[derive(Serialize)]
struct Pagination {
    label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    prev: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
    pages: Vec<PageNumber>,
}

#[derive(Serialize)]
struct PageNumber {
    number: usize,
    url: String,
    current: bool,
}

impl Pagination {
    /// Page `page` (from 0) of `total`, the first at `first`.
    fn new(theme: &Theme, first: &str, page: usize, total: usize) -> Pagination {
        let url = |i: usize| paths::list_page_url(first, i + 1);
        Pagination {
            label: theme
                .t("list_page_of")
                .replace("{n}", &(page + 1).to_string())
                .replace("{total}", &total.to_string()),
            prev: (page > 0).then(|| url(page - 1)),
            next: (page + 1 < total).then(|| url(page + 1)),
            pages: (0..total)
                .map(|i| PageNumber { number: i + 1, url: url(i), current: i == page })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct LessonCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    lesson: LessonCard<'a>,
    tags: &'a [String],
    audio_url: Option<&'a str>,
    /// The glossary terms the lesson uses, listed under it.
    terms: Vec<TermLink<'a>>,
    #[serde(serialize_with = "body_html")]
    content: &'a str,
    /// What paper shows of the page, where the lesson has a leaflet: the page prints as it.
    #[serde(skip_serializing_if = "Option::is_none")]
    leaflet: Option<LeafletCtx<'a>>,
    /// The leaflet prints its own version of the body (`leaflet.content`), and the web body is
    /// for the screen only; otherwise the web body prints as it is, and is not written twice.
    print_own_body: bool,
    help_points: Vec<HelpPointCtx<'a>>,
    /// The lesson's `##` headings, for its table of contents.
    headings: Vec<Heading<'a>>,
    prev: Option<Link<'a>>,
    next: Option<Link<'a>>,
    /// The search index file holding this lesson's row, kept with it when it is saved for
    /// offline reading, so an offline search can show it.
    search_row: String,
    /// The "just scammed?" box, on lessons about scams.
    #[serde(skip_serializing_if = "Option::is_none")]
    urgent_help: Option<&'a crate::pipeline::config::UrgentHelp>,
    /// The journeys the lesson is a step of.
    journeys: Vec<learning::JourneyPlace<'a>>,
    /// The recording made at build time.
    #[serde(skip_serializing_if = "Option::is_none")]
    recording: Option<RecordingCtx>,
}

/// A lesson's recording made at build time, as its player shows it.
#[derive(Serialize)]
struct RecordingCtx {
    url: String,
    /// The player's id (the leaflet's QR code leads to it).
    id: &'static str,
    /// Whole minutes, at least 1.
    minutes: u64,
    /// "0,9 MB" or "85 KB".
    size: String,
    /// The name a download is saved under: `<lesson slug>.opus`.
    download: String,
}

impl RecordingCtx {
    fn new(theme: &Theme, lesson: &Lesson) -> Option<RecordingCtx> {
        let recording = lesson.recording.as_ref()?;
        let comma = theme.t("decimal_separator");
        let size = if recording.bytes < 100_000 {
            format!("{} KB", recording.bytes.div_ceil(1000))
        } else {
            format!("{:.1} MB", recording.bytes as f64 / 1_000_000.0).replace('.', &comma)
        };
        let slug = lesson.core.url.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
        let ext = paths::RECORDING_FILE.rsplit('.').next().unwrap_or_default();
        Some(RecordingCtx {
            url: paths::recording_url(&lesson.core.url),
            id: paths::RECORDING_ID,
            minutes: ((recording.seconds / 60.0).round() as u64).max(1),
            size,
            download: format!("{slug}.{ext}"),
        })
    }
}

#[derive(Serialize)]
struct TermLink<'a> {
    term: &'a str,
    id: &'a str,
    definition: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Heading<'a> {
    id: &'a str,
    text: &'a str,
}

fn lesson_page<'a>(s: &'a Shared<'_>, i: usize) -> Made<LessonCtx<'a>> {
    let (site, theme) = (s.site, s.theme);
    let lesson = &site.lessons[i];
    let topic = &site.topics[lesson.topic];
    let rendered = &s.contents.lessons[i];
    let link = |j: Option<usize>| j.map(|j| Link::to(&site.lessons[j].meta.title, &site.lessons[j].core));
    let terms = rendered
        .terms
        .iter()
        .map(|&t| {
            let t = &site.glossary.terms[t];
            TermLink {
                term: &t.entry.term,
                id: &t.id,
                definition: &t.entry.definition,
                url: format!("{}#{}", s.urls.glossary, t.id),
            }
        })
        .collect();
    let headings = rendered
        .headings
        .iter()
        .filter(|(level, _, _)| *level == 2)
        .map(|(_, id, text)| Heading { id, text })
        .collect();
    let frame = Frame::page(s, &lesson.meta.title, &lesson.meta.summary, &lesson.core.url)
        .current(&lesson.core.url)
        .in_topic(&topic.core.url)
        .breadcrumbs(s, vec![Link::to(&topic.meta.title, &topic.core)]);
    let ctx = LessonCtx {
        frame,
        lesson: lesson_card(site, theme, lesson),
        tags: &lesson.meta.tags,
        audio_url: lesson.audio_url.as_deref(),
        terms,
        content: &rendered.html,
        leaflet: lesson.meta.leaflet.then(|| leaflet_ctx(s, i)),
        print_own_body: lesson.meta.leaflet && s.contents.prints_differently(i),
        help_points: if lesson.meta.leaflet { upcoming_help_points(site, theme) } else { Vec::new() },
        headings,
        prev: link(lesson.prev),
        next: link(lesson.next),
        search_row: format!("{}d/{}.json", s.urls.search_index, i / crate::pipeline::search::ROWS_PER_FILE),
        urgent_help: site.config.urgent_help.as_ref().filter(|u| u.applies_to(&lesson.meta.tags)),
        journeys: learning::lesson_journeys(s, i),
        recording: RecordingCtx::new(theme, lesson),
    };
    ("lesson.html", lesson.core.url.clone(), ctx)
}

#[derive(Serialize)]
struct StandaloneCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    #[serde(serialize_with = "body_html")]
    content: &'a str,
}

fn standalone_page<'a>(s: &'a Shared<'_>, i: usize) -> Made<StandaloneCtx<'a>> {
    let page = &s.site.pages[i];
    let frame = Frame::page(s, &page.meta.title, &page.meta.summary, &page.core.url)
        .current(&page.core.url)
        .breadcrumbs(s, vec![]);
    ("page.html", page.core.url.clone(), StandaloneCtx { frame, content: &s.contents.pages[i].html })
}

/// A print pack of many leaflets (`leaflet.html`); a lesson's own leaflet is its page, printed.
#[derive(Serialize)]
struct LeafletsCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    leaflets: Vec<LeafletCtx<'a>>,
    help_points: Vec<HelpPointCtx<'a>>,
    /// A pack over [`PACK_MAX`] leaflets lists links to them instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    too_many: Option<Vec<Link<'a>>>,
}

fn leaflet_pack_page<'a>(s: &'a Shared<'_>, topic: Option<usize>) -> Made<LeafletsCtx<'a>> {
    let (site, theme) = (s.site, s.theme);
    let (title, url) = match topic {
        Some(t) => {
            let t = &site.topics[t];
            (format!("{}: {}", theme.t("leaflets_title"), t.meta.title), s.urls.leaflet_pack(&t.core.slug))
        }
        None => (theme.t("leaflets_all_title"), s.urls.leaflets_all.clone()),
    };
    let lessons = pack_lessons(site, topic);
    let (leaflets, too_many) = if lessons.len() > PACK_MAX {
        let links =
            lessons.iter().map(|&i| Link::to(&site.lessons[i].meta.title, &site.lessons[i].core)).collect();
        (Vec::new(), Some(links))
    } else {
        (lessons.into_iter().map(|i| leaflet_ctx(s, i)).collect(), None)
    };
    let frame = Frame::page(s, title, theme.t("leaflets_description"), url.clone())
        .breadcrumbs(s, vec![Link::new(theme.t("leaflets_title"), &s.urls.leaflets)]);
    let help_points = upcoming_help_points(site, theme);
    ("leaflet.html", url, LeafletsCtx { frame, leaflets, help_points, too_many })
}

#[derive(Serialize)]
struct LeafletIndexCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    /// The leaflets by topic.
    groups: Vec<LeafletGroup<'a>>,
    all_url: &'a str,
}

#[derive(Serialize)]
struct LeafletGroup<'a> {
    title: &'a str,
    pack_url: String,
    leaflets: Vec<LeafletItem<'a>>,
}

#[derive(Serialize)]
struct LeafletItem<'a> {
    title: &'a str,
    /// The lesson's page, which prints as its leaflet.
    url: &'a str,
    id: String,
}

fn leaflet_index_page<'a>(s: &'a Shared<'_>) -> Made<LeafletIndexCtx<'a>> {
    let (site, theme) = (s.site, s.theme);
    let groups = site
        .topics
        .iter()
        .map(|t| LeafletGroup {
            title: &t.meta.title,
            pack_url: s.urls.leaflet_pack(&t.core.slug),
            leaflets: t
                .lessons
                .iter()
                .map(|&l| &site.lessons[l])
                .filter(|l| l.meta.leaflet && l.core.lang.is_none())
                .map(|l| LeafletItem {
                    title: &l.meta.title,
                    url: &l.core.url,
                    id: paths::leaflet_id(&l.core.url),
                })
                .collect(),
        })
        .collect();
    let url = &s.urls.leaflets;
    let frame = Frame::page(s, theme.t("leaflets_title"), theme.t("leaflets_description"), url)
        .breadcrumbs(s, vec![]);
    ("leaflets.html", url.clone(), LeafletIndexCtx { frame, groups, all_url: &s.urls.leaflets_all })
}

#[derive(Serialize)]
struct GlossaryCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    /// The terms by initial letter.
    groups: Vec<GlossaryGroup<'a>>,
}

#[derive(Serialize)]
struct GlossaryGroup<'a> {
    letter: String,
    id: String,
    terms: Vec<GlossaryTerm<'a>>,
}

#[derive(Serialize)]
struct GlossaryTerm<'a> {
    term: &'a str,
    id: &'a str,
    aliases: &'a [String],
    definition: &'a str,
    /// The lesson that explains the term more, if any.
    lesson_url: Option<&'a str>,
    lesson_title: Option<&'a str>,
}

fn glossary_page<'a>(s: &'a Shared<'_>) -> Made<GlossaryCtx<'a>> {
    let site = s.site;
    let mut groups: Vec<GlossaryGroup<'_>> = Vec::new();
    for t in &site.glossary.terms {
        let letter = initial_letter(&t.entry.term);
        let lesson_title = t
            .lesson_url
            .as_ref()
            .and_then(|u| site.lessons.iter().find(|l| &l.core.url == u).map(|l| l.meta.title.as_str()));
        let item = GlossaryTerm {
            term: &t.entry.term,
            id: &t.id,
            aliases: &t.entry.aliases,
            definition: &t.entry.definition,
            lesson_url: t.lesson_url.as_deref(),
            lesson_title,
        };
        match groups.last_mut() {
            Some(group) if group.letter == letter => group.terms.push(item),
            _ => {
                let id = format!("chu-{}", letter_slug(&letter));
                groups.push(GlossaryGroup { letter, id, terms: vec![item] });
            }
        }
    }
    let url = &s.urls.glossary;
    let frame = Frame::page(s, s.theme.t("glossary_title"), s.theme.t("glossary_description"), url)
        .current(url)
        .breadcrumbs(s, vec![]);
    ("glossary.html", url.clone(), GlossaryCtx { frame, groups })
}

/// The search page. Without JavaScript it still helps: every lesson, A to Z, by topic; on a
/// large site, a link to that list on its own page.
#[derive(Serialize)]
struct SearchCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    index_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    az: Option<Vec<AzTopic<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    az_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lesson_count: Option<String>,
}

fn search_page<'a>(s: &'a Shared<'_>) -> Made<SearchCtx<'a>> {
    let (site, theme) = (s.site, s.theme);
    let url = &s.urls.search;
    let count = site.lessons.iter().filter(|l| l.core.lang.is_none()).count();
    let large = count > AZ_INLINE_MAX;
    let frame = Frame::page(s, theme.t("search_title"), theme.t("search_description"), url)
        .current(url)
        .breadcrumbs(s, vec![]);
    let ctx = SearchCtx {
        frame,
        index_url: &s.urls.search_index,
        az: (!large).then(|| az_list(site)),
        az_url: large.then_some(s.urls.search_all.as_str()),
        lesson_count: large.then(|| count.to_string()),
    };
    ("search.html", url.clone(), ctx)
}

#[derive(Serialize)]
struct AzCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    az: Vec<AzPart<'a>>,
    /// Only on a site with more than [`LIST_PAGE_SIZE`] lessons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pagination: Option<Pagination>,
}

/// The lessons of one topic shown on one page of the A–Z list (a topic may span pages).
#[derive(Serialize)]
struct AzPart<'a> {
    title: &'a str,
    slug: &'a str,
    lessons: &'a [Link<'a>],
}

/// Page `page` (from 0) of the A–Z list: its [`LIST_PAGE_SIZE`] lessons, under their topics.
fn a_to_z_page<'a>(s: &'a Shared<'_>, page: usize) -> Made<AzCtx<'a>> {
    let theme = s.theme;
    let az = s.az.get_or_init(|| az_list(s.site));
    let total = list_pages(az.iter().map(|t| t.lessons.len()).sum());
    let (mut skip, mut left) = (page * LIST_PAGE_SIZE, LIST_PAGE_SIZE);
    let mut parts = Vec::new();
    for topic in az {
        let shown = &topic.lessons[skip.min(topic.lessons.len())..];
        skip = skip.saturating_sub(topic.lessons.len());
        let shown = &shown[..left.min(shown.len())];
        left -= shown.len();
        if !shown.is_empty() {
            parts.push(AzPart { title: topic.title, slug: topic.slug, lessons: shown });
        }
    }
    let pagination = (total > 1).then(|| Pagination::new(theme, &s.urls.search_all, page, total));
    let title = match &pagination {
        Some(p) if page > 0 => format!("{} – {}", theme.t("search_az"), p.label),
        _ => theme.t("search_az"),
    };
    let url = paths::list_page_url(&s.urls.search_all, page + 1);
    let frame = Frame::page(s, title, theme.t("search_description"), url.clone())
        .current(&s.urls.search_all)
        .breadcrumbs(s, vec![Link::new(theme.t("search_title"), &s.urls.search)]);
    ("a-z.html", url, AzCtx { frame, az: parts, pagination })
}

/// An old address of a lesson, sending the reader on to it.
#[derive(Serialize)]
struct AliasCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    target: &'a str,
}

fn alias_page<'a>(s: &'a Shared<'_>, url: &str, lesson: &'a Lesson) -> Made<AliasCtx<'a>> {
    let url = url.to_owned();
    let frame = Frame::page(s, &lesson.meta.title, &lesson.meta.summary, &lesson.core.url);
    ("alias.html", url, AliasCtx { frame, target: &lesson.core.url })
}

/// A page of hocso's own whose content its template and script make: "Bài đã lưu" and the
/// offline page.
#[derive(Serialize)]
struct UtilityCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
}

fn utility_page<'a>(
    s: &'a Shared<'_>,
    template: &'static str,
    title: &str,
    description: &str,
    url: &'a str,
) -> Made<UtilityCtx<'a>> {
    let frame = Frame::page(s, s.theme.t(title), s.theme.t(description), url).breadcrumbs(s, vec![]);
    (template, url.to_owned(), UtilityCtx { frame })
}

/// The lessons with a leaflet in one topic's print pack, or (`None`) in the pack of all.
fn pack_lessons(site: &Site, topic: Option<usize>) -> Vec<usize> {
    let all: Vec<usize> = match topic {
        Some(t) => site.topics[t].lessons.clone(),
        None => (0..site.lessons.len()).collect(),
    };
    all.into_iter().filter(|&i| site.lessons[i].meta.leaflet && site.lessons[i].core.lang.is_none()).collect()
}

/// One topic in the A–Z list of lessons.
#[derive(Serialize)]
struct AzTopic<'a> {
    title: &'a str,
    slug: &'a str,
    lessons: Vec<Link<'a>>,
}

/// Every lesson by topic, each topic's lessons A to Z in Vietnamese order.
fn az_list(site: &Site) -> Vec<AzTopic<'_>> {
    site.topics
        .iter()
        .map(|t| {
            let mut lessons: Vec<&Lesson> =
                t.lessons.iter().map(|&l| &site.lessons[l]).filter(|l| l.core.lang.is_none()).collect();
            // In parallel: every A–Z page waits for this list, and ten thousand sort keys take
            // one core a few dozen milliseconds.
            lessons.par_sort_by_cached_key(|l| crate::core::text::sort_key_vi(&l.meta.title));
            let lessons = lessons.into_iter().map(|l| Link::new(&l.meta.title, &l.core.url)).collect();
            AzTopic { title: &t.meta.title, slug: &t.core.slug, lessons }
        })
        .collect()
}

/// Fields every HTML page has.
#[derive(Serialize)]
struct PageCtx<'a> {
    title: Cow<'a, str>,
    description: Cow<'a, str>,
    url: Cow<'a, str>,
    /// Absolute URL, for `<link rel="canonical">` and Open Graph.
    canonical: String,
}

impl<'a> PageCtx<'a> {
    fn new(site: &Site, title: Cow<'a, str>, description: Cow<'a, str>, url: Cow<'a, str>) -> Self {
        let canonical = site.config.absolute(&url);
        PageCtx { title, description, url, canonical }
    }
}

/// One leaflet: the lesson, what it prints, and its QR code.
#[derive(Serialize)]
struct LeafletCtx<'a> {
    id: String,
    lesson: LessonCard<'a>,
    #[serde(serialize_with = "body_html")]
    content: &'a str,
    /// Empty where the page needs no code (a pack too long to print).
    #[serde(serialize_with = "qr_or_empty")]
    qr_svg: Option<&'a Qr>,
    /// The lesson's address without `https://`, printed under the QR code, cut after each `/`
    /// so a narrow column breaks it only there.
    short_url: String,
    short_url_parts: Vec<String>,
    absolute_url: String,
    paper: &'static str,
    /// hocso's estimate of printed pages, written on the page for checking against real prints.
    estimated_pages: String,
}

fn leaflet_ctx<'a>(s: &'a Shared<'_>, i: usize) -> LeafletCtx<'a> {
    let (site, contents) = (s.site, s.contents);
    let lesson = &site.lessons[i];
    let absolute_url = site.config.absolute(&lesson.core.url);
    let short_url = absolute_url.split_once("://").map_or(absolute_url.as_str(), |(_, r)| r).to_owned();
    let short_url_parts = short_url.split_inclusive('/').map(str::to_owned).collect();
    LeafletCtx {
        short_url_parts,
        id: paths::leaflet_id(&lesson.core.url),
        lesson: lesson_card(site, s.theme, lesson),
        content: contents.leaflet_html(i),
        qr_svg: s.qrs.get(&i),
        short_url,
        absolute_url,
        paper: site.config.leaflet.paper.class(),
        estimated_pages: format!("{:.2}", contents.leaflet_pages[i]),
    }
}

/// The letter a glossary term is filed under: its first letter without tone, keeping the
/// letters Vietnamese treats as their own (Ă, Â, Đ, Ê, Ô, Ơ, Ư).
fn initial_letter(term: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let first: String = term.trim().chars().take(1).collect();
    let without_tone: String = first
        .nfd()
        .filter(|c| !matches!(c, '\u{0300}' | '\u{0301}' | '\u{0303}' | '\u{0309}' | '\u{0323}'))
        .collect();
    without_tone.nfc().flat_map(char::to_uppercase).collect()
}

/// An id-safe name for a glossary letter that keeps Vietnamese letters apart, spelt the way
/// Telex types them: D → `d`, Đ → `dd`, A → `a`, Ă → `aw`, Â → `aa`. A plain slug made "chu-d"
/// of both D and Đ, two sections with one id.
fn letter_slug(letter: &str) -> String {
    letter
        .chars()
        .map(|c| match c {
            'Đ' => "dd".to_owned(),
            'Ă' => "aw".to_owned(),
            'Â' => "aa".to_owned(),
            'Ê' => "ee".to_owned(),
            'Ô' => "oo".to_owned(),
            'Ơ' => "ow".to_owned(),
            'Ư' => "uw".to_owned(),
            other => crate::core::text::slugify(&other.to_string()),
        })
        .collect()
}

/// A mobile help point, printed on leaflets and on the home page.
#[derive(Serialize)]
struct HelpPointCtx<'a> {
    place: &'a str,
    hours: String,
    date_iso: String,
    date_display: String,
    village: &'a str,
}

/// The next mobile help points (from the build date on), at most three, soonest first.
fn upcoming_help_points<'a>(site: &'a Site, theme: &Theme) -> Vec<HelpPointCtx<'a>> {
    site.campaign
        .upcoming()
        .take(3)
        .map(|p| HelpPointCtx {
            place: &p.place,
            hours: p.hours_text(),
            date_iso: p.date.format("%Y-%m-%d").to_string(),
            date_display: campaign_pages::date_in_words(theme, p.date),
            village: &p.village,
        })
        .collect()
}

fn lesson_card<'a>(site: &'a Site, theme: &Theme, lesson: &'a Lesson) -> LessonCard<'a> {
    let topic = &site.topics[lesson.topic];
    LessonCard {
        title: &lesson.meta.title,
        url: &lesson.core.url,
        lang: lesson.core.lang.as_deref(),
        summary: &lesson.meta.summary,
        level: lesson.level.map(|l| match l {
            Level::CoBan => theme.t("level_co_ban"),
            Level::NangCao => theme.t("level_nang_cao"),
        }),
        duration: lesson.meta.duration,
        updated_iso: lesson.updated.map(|d| d.format("%Y-%m-%d").to_string()),
        updated_display: lesson.updated.map(|d| d.format("%d/%m/%Y").to_string()),
        topic: Link::to(&topic.meta.title, &topic.core),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reused_context_is_the_shared_one_again_after_each_page() {
        let mut base = Context::new();
        base.insert("t", &serde_json::json!({"hello": "Xin chào"}));
        base.insert("current_url", "");
        let pool = Mutex::new(Vec::new());
        let folded = std::collections::HashSet::from(["t".to_owned()]);
        let mut first = Scratch::take(&base, &pool, &folded);
        let own = serde_json::json!({"current_url": "/a/", "leaflet": {"paper": "a4"}});
        assert!(first.lay(own).is_ok());
        assert_eq!(first.context.get("current_url"), Some(&serde_json::json!("/a/")));
        assert!(first.context.get("leaflet").is_some());
        first.give_back();
        // The next page gets the same copy back, with the first page's keys gone or restored.
        let second = Scratch::take(&base, &pool, &folded);
        assert!(pool.lock().map(|p| p.is_empty()).unwrap_or(false), "the copy was reused");
        assert_eq!(second.context.clone().into_json(), base.clone().into_json());
        let mut second = second;
        assert!(second.lay(serde_json::json!({"t": {}})).is_err(), "a page may not hide a folded key");
        second.give_back();
    }

    #[test]
    fn a_qr_drawing_is_shared_by_its_pages_then_dropped() {
        let qr = Qr {
            target: "https://hocso.example.vn/a/".into(),
            caption: "Quét mã".into(),
            pages: AtomicUsize::new(2),
            svg: Mutex::new(None),
        };
        let kept = || qr.svg.lock().map(|svg| svg.is_some()).unwrap_or(false);
        HASHING.set(true);
        let hashed = serde_json::to_string(&qr).unwrap_or_default();
        HASHING.set(false);
        assert!(hashed.contains("hocso.example.vn") && !hashed.contains("<svg"), "{hashed}");
        assert!(!kept(), "hashing draws nothing");
        let first = serde_json::to_string(&qr).unwrap_or_default();
        assert!(first.contains("<svg"), "{first}");
        assert!(kept(), "kept for the second page");
        let second = serde_json::to_string(&qr).unwrap_or_default();
        assert_eq!(first, second);
        assert!(!kept(), "dropped after its last page");
        assert_eq!(
            serde_json::to_string(&qr).unwrap_or_default(),
            first,
            "a page more than counted still gets it"
        );
    }

    #[test]
    fn initial_letters_keep_vietnamese_letters_but_not_tones() {
        assert_eq!(initial_letter("ứng dụng"), "Ư");
        assert_eq!(initial_letter("Đường link giả"), "Đ");
        assert_eq!(initial_letter("ẩn"), "Â");
        assert_eq!(initial_letter("OTP"), "O");
        assert_eq!(initial_letter("ồ"), "Ô");
    }

    #[test]
    fn letters_that_differ_get_different_ids() {
        let letters = ["A", "Ă", "Â", "D", "Đ", "E", "Ê", "O", "Ô", "Ơ", "U", "Ư"];
        let ids: std::collections::HashSet<String> = letters.iter().map(|l| letter_slug(l)).collect();
        assert_eq!(ids.len(), letters.len(), "{ids:?}");
        assert_eq!(letter_slug("Đ"), "dd");
    }

    /// A theme may ask `breadcrumbs is defined` or `too_many is defined`: where a page has none
    /// of these, its context must leave them out, as the contexts before the typed ones did,
    /// while the menu markers are always there.
    #[test]
    fn fields_a_page_lacks_are_left_out_not_null() {
        let pack = LeafletsCtx {
            frame: Frame::default(),
            leaflets: Vec::new(),
            help_points: Vec::new(),
            too_many: None,
        };
        let ctx = Context::from_serialize(pack).unwrap_or_else(|e| panic!("{e}"));
        for absent in ["page", "breadcrumbs", "too_many"] {
            assert!(!ctx.contains_key(absent), "{absent} should be left out");
        }
        for present in ["current_url", "current_topic_url", "leaflets", "help_points"] {
            assert!(ctx.contains_key(present), "{present} should be there");
        }
    }
}
