//! Stage 5b — put rendered Markdown into the theme's templates, every page in parallel.
//!
//! Each page gets a context built from borrowed site data; the parts every page shares (site,
//! UI strings, navigation, asset URLs) are built once and cloned.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::assets::theme::{Theme, error_chain};
use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::output::{OutFile, Sink};
use crate::core::paths::{self, SiteUrls, output_path};
use crate::pipeline::assemble::{Lesson, Site};
use crate::pipeline::markdown::Contents;
use crate::pipeline::parse::Level;

/// Leaflets in one print pack at most; a larger topic's pack lists its leaflets instead, since
/// nobody prints hundreds of sheets at once and the page would be too heavy to open.
pub const PACK_MAX: usize = 100;
/// Lessons the search page lists itself (its no-JavaScript help); a larger site's list moves to
/// its own page, linked from the search page. 10,000 links made the search page 965 KB, and a
/// cheap phone spent most of a search laying that list out again.
pub const AZ_INLINE_MAX: usize = 300;

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
}

#[derive(Serialize)]
struct Link<'a> {
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct LessonCard<'a> {
    title: &'a str,
    url: &'a str,
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
    let mut jobs: Vec<Job<'_>> = vec![Job::Home, Job::NotFound, Job::Sitemap, Job::Atom, Job::Robots];
    jobs.extend((0..site.topics.len()).map(Job::Topic));
    jobs.extend((0..site.lessons.len()).map(Job::Lesson));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.extend((0..site.lessons.len()).filter(|&i| site.lessons[i].meta.leaflet).map(Job::Leaflet));
    jobs.push(Job::LeafletIndex);
    jobs.push(Job::Glossary);
    jobs.push(Job::Search);
    if site.lessons.len() > AZ_INLINE_MAX {
        jobs.push(Job::SearchAll);
    }
    jobs.push(Job::LeafletPack(None));
    jobs.extend((0..site.topics.len()).map(|t| Job::LeafletPack(Some(t))));
    for lesson in &site.lessons {
        jobs.extend(lesson.meta.aliases.iter().map(|a| Job::Alias(a, lesson)));
    }
    render_jobs(site, theme, contents, assets, &jobs, sink)
}

/// The pages that show lesson `i`'s content: its page, its leaflet and the print packs that
/// hold it. After an edit of the lesson's text alone, only these change.
pub fn lesson_jobs(site: &Site, i: usize) -> Vec<Job<'_>> {
    let mut jobs = vec![Job::Lesson(i)];
    if site.lessons[i].meta.leaflet {
        jobs.push(Job::Leaflet(i));
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
    // QR codes are drawn once per lesson that needs one: a leaflet appears on up to three pages.
    let label = theme.t("leaflet_qr_label");
    let mut needed: Vec<usize> = jobs
        .iter()
        .flat_map(|job| match *job {
            Job::Leaflet(i) => vec![i],
            // A pack over PACK_MAX lists links only, without QR codes.
            Job::LeafletPack(pack) => {
                let lessons = pack_lessons(site, pack);
                if lessons.len() <= PACK_MAX { lessons } else { Vec::new() }
            }
            _ => Vec::new(),
        })
        .collect();
    needed.sort_unstable();
    needed.dedup();
    let qrs: HashMap<usize, String> = needed
        .into_par_iter()
        .map(|i| {
            let url = site.config.absolute(&site.lessons[i].url);
            let short = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
            (i, crate::assets::leaflet::qr_svg(&url, &format!("{label} {short}")).unwrap_or_default())
        })
        .collect();
    let urls = SiteUrls::new(&site.config.base_path());
    let shared = Shared { base, qrs, urls };
    let results: Vec<Result<bool, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let file = render_job(site, theme, contents, &shared, job)?;
            let html = file.path.extension().is_some_and(|e| e == "html");
            sink.put(file).map(|()| html)
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
    Leaflet(usize),
    LeafletIndex,
    Glossary,
    Search,
    /// The A–Z list of every lesson, on its own page when the site is large.
    SearchAll,
    /// Every leaflet of one topic, or of the whole site.
    LeafletPack(Option<usize>),
    Alias(&'a str, &'a Lesson),
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
            base_path: config.base_path(),
            language: &config.language,
            contact: &config.contact,
        },
    );
    ctx.insert("t", &theme.strings);
    let nav: Vec<Link<'_>> = site.topics.iter().map(|t| Link { title: &t.meta.title, url: &t.url }).collect();
    ctx.insert("nav", &nav);
    let pages: Vec<Link<'_>> =
        site.pages.iter().map(|p| Link { title: &p.meta.title, url: &p.url }).collect();
    ctx.insert("footer_pages", &pages);
    ctx.insert("assets", assets);
    ctx.insert("urls", &SiteUrls::new(&config.base_path()));
    ctx.insert("current_url", "");
    ctx.insert("current_topic_url", "");
    ctx
}

/// What every page job shares, computed once.
pub struct Shared {
    base: Context,
    qrs: HashMap<usize, String>,
    urls: SiteUrls,
}

fn render_job(
    site: &Site,
    theme: &Theme,
    contents: &Contents,
    shared: &Shared,
    job: &Job<'_>,
) -> Result<OutFile, Diagnostic> {
    let config = &site.config;
    let mut ctx = shared.base.clone();
    let urls = &shared.urls;
    let (template, url_path) = match *job {
        Job::Home => {
            let topics: Vec<TopicCard<'_>> = site
                .topics
                .iter()
                .map(|t| TopicCard {
                    title: &t.meta.title,
                    url: &t.url,
                    description: &t.meta.description,
                    icon_svg: theme.icons.get(&t.meta.icon).map_or("", String::as_str),
                    lesson_count: t.lessons.len(),
                })
                .collect();
            let mut newest: Vec<&Lesson> = site.lessons.iter().filter(|l| l.updated.is_some()).collect();
            newest.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.url.cmp(&b.url)));
            let newest: Vec<LessonCard<'_>> =
                newest.into_iter().take(6).map(|l| lesson_card(site, theme, l)).collect();
            let title = site.home.meta.title.as_deref().unwrap_or(&config.title);
            let description = site.home.meta.description.as_deref().unwrap_or(&config.description);
            ctx.insert("page", &PageCtx::new(site, title, description, &config.base_path()));
            ctx.insert("content", &contents.home.html);
            ctx.insert("topics", &topics);
            ctx.insert("newest", &newest);
            ("index.html", config.base_path())
        }
        Job::NotFound => {
            let title = theme.t("not_found_title");
            let url = urls.not_found.clone();
            ctx.insert("page", &PageCtx::new(site, &title, &theme.t("not_found_text"), &url));
            ("404.html", url)
        }
        Job::Sitemap => {
            let lessons: Vec<LessonCard<'_>> =
                site.lessons.iter().map(|l| lesson_card(site, theme, l)).collect();
            // Topic pages and standalone pages: every page that is neither a lesson nor the home.
            let sections: Vec<Link<'_>> = site
                .topics
                .iter()
                .map(|t| Link { title: &t.meta.title, url: &t.url })
                .chain(site.pages.iter().map(|p| Link { title: &p.meta.title, url: &p.url }))
                .collect();
            let glossary_url = urls.glossary.clone();
            let mut sections = sections;
            if !site.glossary.is_empty() {
                sections.push(Link { title: "", url: &glossary_url });
            }
            ctx.insert("lessons", &lessons);
            ctx.insert("sections", &sections);
            ctx.insert("abs", &config.absolute(""));
            ("sitemap.xml", urls.sitemap.clone())
        }
        Job::Atom => {
            let mut newest: Vec<&Lesson> = site.lessons.iter().collect();
            newest.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.url.cmp(&b.url)));
            let lessons: Vec<LessonCard<'_>> =
                newest.into_iter().take(30).map(|l| lesson_card(site, theme, l)).collect();
            let feed_updated = site.lessons.iter().filter_map(|l| l.updated).max();
            ctx.insert("lessons", &lessons);
            ctx.insert("abs", &config.absolute(""));
            // A feed needs a date; without any dated lesson, the Unix epoch says "unknown" honestly.
            let feed_updated =
                feed_updated.map_or_else(|| "1970-01-01".to_owned(), |d| d.format("%Y-%m-%d").to_string());
            ctx.insert("feed_updated", &feed_updated);
            ("atom.xml", urls.atom.clone())
        }
        Job::Robots => {
            ctx.insert("abs", &config.absolute(""));
            ("robots.txt", urls.robots.clone())
        }
        Job::Topic(i) => {
            let topic = &site.topics[i];
            let lessons: Vec<LessonCard<'_>> =
                topic.lessons.iter().map(|&l| lesson_card(site, theme, &site.lessons[l])).collect();
            ctx.insert("page", &PageCtx::new(site, &topic.meta.title, &topic.meta.description, &topic.url));
            ctx.insert("content", &contents.topics[i].html);
            ctx.insert("lessons", &lessons);
            ctx.insert("icon_svg", theme.icons.get(&topic.meta.icon).map_or("", String::as_str));
            ctx.insert("current_url", &topic.url);
            ctx.insert("current_topic_url", &topic.url);
            ctx.insert("breadcrumbs", &[Link { title: &theme.t("home"), url: &config.base_path() }]);
            ("topic.html", topic.url.clone())
        }
        Job::Lesson(i) => {
            let lesson = &site.lessons[i];
            let topic = &site.topics[lesson.topic];
            let link = |j: Option<usize>| {
                j.map(|j| Link { title: &site.lessons[j].meta.title, url: &site.lessons[j].url })
            };
            let headings: Vec<serde_json::Value> = contents.lessons[i]
                .headings
                .iter()
                .filter(|(level, _, _)| *level == 2)
                .map(|(_, id, text)| serde_json::json!({ "id": id, "text": text }))
                .collect();
            ctx.insert("page", &PageCtx::new(site, &lesson.meta.title, &lesson.meta.summary, &lesson.url));
            ctx.insert("lesson", &lesson_card(site, theme, lesson));
            ctx.insert("tags", &lesson.meta.tags);
            ctx.insert("audio_url", &lesson.audio_url);
            let terms: Vec<serde_json::Value> = contents.lessons[i]
                .terms
                .iter()
                .map(|&t| {
                    let t = &site.glossary.terms[t];
                    serde_json::json!({
                        "term": t.entry.term, "id": t.id, "definition": t.entry.definition,
                        "url": format!("{}#{}", urls.glossary, t.id),
                    })
                })
                .collect();
            ctx.insert("terms", &terms);
            ctx.insert("leaflet_url", &lesson.meta.leaflet.then(|| leaflet_url(lesson)));
            ctx.insert("content", &contents.lessons[i].html);
            ctx.insert("headings", &headings);
            ctx.insert("prev", &link(lesson.prev));
            ctx.insert("next", &link(lesson.next));
            ctx.insert("current_url", &lesson.url);
            ctx.insert("current_topic_url", &topic.url);
            ctx.insert(
                "breadcrumbs",
                &[
                    Link { title: &theme.t("home"), url: &config.base_path() },
                    Link { title: &topic.meta.title, url: &topic.url },
                ],
            );
            ("lesson.html", lesson.url.clone())
        }
        Job::Page(i) => {
            let page = &site.pages[i];
            ctx.insert("page", &PageCtx::new(site, &page.meta.title, &page.meta.summary, &page.url));
            ctx.insert("content", &contents.pages[i].html);
            ctx.insert("current_url", &page.url);
            ctx.insert("breadcrumbs", &[Link { title: &theme.t("home"), url: &config.base_path() }]);
            ("page.html", page.url.clone())
        }
        Job::Leaflet(i) => {
            let lesson = &site.lessons[i];
            let title = format!("{} {}", theme.t("leaflet_title_prefix"), lesson.meta.title);
            ctx.insert("page", &PageCtx::new(site, &title, &lesson.meta.summary, &leaflet_url(lesson)));
            ctx.insert("leaflets", &[leaflet_ctx(site, theme, contents, shared, i)]);
            ctx.insert("help_points", &upcoming_help_points(site, theme));
            ctx.insert("current_topic_url", &site.topics[lesson.topic].url);
            ctx.insert(
                "breadcrumbs",
                &[
                    Link { title: &theme.t("home"), url: &config.base_path() },
                    Link {
                        title: &site.topics[lesson.topic].meta.title,
                        url: &site.topics[lesson.topic].url,
                    },
                    Link { title: &lesson.meta.title, url: &lesson.url },
                ],
            );
            ("leaflet.html", leaflet_url(lesson))
        }
        Job::Search => {
            let url = urls.search.clone();
            let title = theme.t("search_title");
            // Without JavaScript the page still helps: every lesson, A to Z, by topic; on a
            // large site, a link to that list on its own page.
            if site.lessons.len() > AZ_INLINE_MAX {
                ctx.insert("az_url", &urls.search_all);
                ctx.insert("lesson_count", &site.lessons.len().to_string());
            } else {
                ctx.insert("az", &az_list(site));
            }
            ctx.insert("page", &PageCtx::new(site, &title, &theme.t("search_description"), &url));
            ctx.insert("index_url", &urls.search_index);
            ctx.insert("current_url", &url);
            ctx.insert("breadcrumbs", &[Link { title: &theme.t("home"), url: &config.base_path() }]);
            ("search.html", url)
        }
        Job::SearchAll => {
            let search_url = urls.search.clone();
            let url = urls.search_all.clone();
            let title = theme.t("search_az");
            ctx.insert("page", &PageCtx::new(site, &title, &theme.t("search_description"), &url));
            ctx.insert("az", &az_list(site));
            ctx.insert("current_url", &url);
            ctx.insert(
                "breadcrumbs",
                &[
                    Link { title: &theme.t("home"), url: &config.base_path() },
                    Link { title: &theme.t("search_title"), url: &search_url },
                ],
            );
            ("a-z.html", url)
        }
        Job::Glossary => {
            let url = urls.glossary.clone();
            let title = theme.t("glossary_title");
            let mut groups: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
            for t in &site.glossary.terms {
                let letter = initial_letter(&t.entry.term);
                let lesson_title = t
                    .lesson_url
                    .as_ref()
                    .and_then(|u| site.lessons.iter().find(|l| &l.url == u).map(|l| l.meta.title.clone()));
                let item = serde_json::json!({
                    "term": t.entry.term, "id": t.id, "aliases": t.entry.aliases,
                    "definition": t.entry.definition, "lesson_url": t.lesson_url, "lesson_title": lesson_title,
                });
                match groups.last_mut() {
                    Some((l, items)) if *l == letter => items.push(item),
                    _ => groups.push((letter, vec![item])),
                }
            }
            let groups: Vec<serde_json::Value> = groups
                .into_iter()
                .map(|(letter, terms)| serde_json::json!({ "letter": letter, "id": format!("chu-{}", crate::core::text::slugify(&letter)), "terms": terms }))
                .collect();
            ctx.insert("page", &PageCtx::new(site, &title, &theme.t("glossary_description"), &url));
            ctx.insert("groups", &groups);
            ctx.insert("current_url", &url);
            ctx.insert("breadcrumbs", &[Link { title: &theme.t("home"), url: &config.base_path() }]);
            ("glossary.html", url)
        }
        Job::LeafletIndex => {
            let url = urls.leaflets.clone();
            let title = theme.t("leaflets_title");
            let groups: Vec<serde_json::Value> = site
                .topics
                .iter()
                .map(|t| {
                    let items: Vec<serde_json::Value> = t
                        .lessons
                        .iter()
                        .map(|&l| &site.lessons[l])
                        .filter(|l| l.meta.leaflet)
                        .map(|l| serde_json::json!({ "title": l.meta.title, "url": leaflet_url(l), "id": leaflet_id(l) }))
                        .collect();
                    serde_json::json!({ "title": t.meta.title, "pack_url": format!("{url}{}/", t.slug), "leaflets": items })
                })
                .collect();
            ctx.insert("page", &PageCtx::new(site, &title, &theme.t("leaflets_description"), &url));
            ctx.insert("groups", &groups);
            ctx.insert("all_url", &urls.leaflets_all);
            ctx.insert("breadcrumbs", &[Link { title: &theme.t("home"), url: &config.base_path() }]);
            ("leaflets.html", url)
        }
        Job::LeafletPack(topic) => {
            let index_url = urls.leaflets.clone();
            let (title, url) = match topic {
                Some(t) => {
                    let t = &site.topics[t];
                    (format!("{}: {}", theme.t("leaflets_title"), t.meta.title), urls.leaflet_pack(&t.slug))
                }
                None => (theme.t("leaflets_all_title"), urls.leaflets_all.clone()),
            };
            let lessons = pack_lessons(site, topic);
            if lessons.len() > PACK_MAX {
                let links: Vec<serde_json::Value> = lessons
                    .iter()
                    .map(|&i| serde_json::json!({ "title": site.lessons[i].meta.title, "url": leaflet_url(&site.lessons[i]) }))
                    .collect();
                ctx.insert("too_many", &links);
                ctx.insert("leaflets", &Vec::<LeafletCtx<'_>>::new());
            } else {
                let leaflets: Vec<LeafletCtx<'_>> =
                    lessons.into_iter().map(|i| leaflet_ctx(site, theme, contents, shared, i)).collect();
                ctx.insert("leaflets", &leaflets);
            }
            ctx.insert("page", &PageCtx::new(site, &title, &theme.t("leaflets_description"), &url));
            ctx.insert("help_points", &upcoming_help_points(site, theme));
            ctx.insert("pack", &true);
            ctx.insert(
                "breadcrumbs",
                &[
                    Link { title: &theme.t("home"), url: &config.base_path() },
                    Link { title: &theme.t("leaflets_title"), url: &index_url },
                ],
            );
            ("leaflet.html", url)
        }
        Job::Alias(alias, lesson) => {
            let url = paths::normalize_url_path(&config.base_path(), alias);
            ctx.insert("page", &PageCtx::new(site, &lesson.meta.title, &lesson.meta.summary, &lesson.url));
            ctx.insert("target", &lesson.url);
            ("alias.html", url)
        }
    };
    // Straight into bytes: `Tera::render` would check the whole page is UTF-8 once more.
    let mut bytes = Vec::with_capacity(32 * 1024);
    theme.tera.render_to(template, &ctx, &mut bytes).map_err(|e| {
        let file = theme.template_path(template);
        Diagnostic::error(file, 0, 0, Problem::Template(error_chain(&e)))
    })?;
    Ok(OutFile { path: output_path(&config.base_path(), &url_path), bytes })
}

/// The lessons with a leaflet in one topic's print pack, or (`None`) in the pack of all.
fn pack_lessons(site: &Site, topic: Option<usize>) -> Vec<usize> {
    let all: Vec<usize> = match topic {
        Some(t) => site.topics[t].lessons.clone(),
        None => (0..site.lessons.len()).collect(),
    };
    all.into_iter().filter(|&i| site.lessons[i].meta.leaflet).collect()
}

/// Every lesson by topic, each topic's lessons A to Z in Vietnamese order.
fn az_list(site: &Site) -> Vec<serde_json::Value> {
    site.topics
        .iter()
        .map(|t| {
            let mut lessons: Vec<&Lesson> = t.lessons.iter().map(|&l| &site.lessons[l]).collect();
            lessons.sort_by_cached_key(|l| crate::core::text::sort_key_vi(&l.meta.title));
            let lessons: Vec<Link<'_>> =
                lessons.into_iter().map(|l| Link { title: &l.meta.title, url: &l.url }).collect();
            serde_json::json!({ "title": t.meta.title, "slug": t.slug, "lessons": lessons })
        })
        .collect()
}

/// Fields every HTML page has.
#[derive(Serialize)]
struct PageCtx<'a> {
    title: &'a str,
    description: &'a str,
    url: &'a str,
    /// Absolute URL, for `<link rel="canonical">` and Open Graph.
    canonical: String,
}

impl<'a> PageCtx<'a> {
    fn new(site: &Site, title: &'a str, description: &'a str, url: &'a str) -> Self {
        PageCtx { title, description, url, canonical: site.config.absolute(url) }
    }
}

/// One leaflet: the lesson, what it prints, and its QR code.
#[derive(Serialize)]
struct LeafletCtx<'a> {
    id: String,
    lesson: LessonCard<'a>,
    content: &'a str,
    qr_svg: &'a str,
    /// The lesson's address without `https://`, printed under the QR code, cut after each `/`
    /// so a narrow column breaks it only there.
    short_url: String,
    short_url_parts: Vec<String>,
    absolute_url: String,
    paper: &'static str,
    /// hocso's estimate of printed pages, written on the page for checking against real prints.
    estimated_pages: String,
}

fn leaflet_ctx<'a>(
    site: &'a Site,
    theme: &Theme,
    contents: &'a Contents,
    shared: &'a Shared,
    i: usize,
) -> LeafletCtx<'a> {
    let lesson = &site.lessons[i];
    let absolute_url = site.config.absolute(&lesson.url);
    let short_url = absolute_url.split_once("://").map_or(absolute_url.as_str(), |(_, r)| r).to_owned();
    let short_url_parts = short_url.split_inclusive('/').map(str::to_owned).collect();
    LeafletCtx {
        short_url_parts,
        id: leaflet_id(lesson),
        lesson: lesson_card(site, theme, lesson),
        content: contents.leaflet_html(i),
        qr_svg: shared.qrs.get(&i).map_or("", String::as_str),
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

/// `/an-toan/otp/` → `/an-toan/otp/to-roi/`.
pub fn leaflet_url(lesson: &Lesson) -> String {
    paths::leaflet_url(&lesson.url)
}

/// A stable id for a leaflet in a print pack: `an-toan--otp`.
fn leaflet_id(lesson: &Lesson) -> String {
    lesson.url.trim_matches('/').replace('/', "--")
}

/// The next mobile help points (today or later), at most three, soonest first.
fn upcoming_help_points(site: &Site, theme: &Theme) -> Vec<serde_json::Value> {
    let today = chrono::Local::now().date_naive();
    let weekdays: Vec<String> = theme.t("weekdays").split('|').map(str::to_owned).collect();
    let mut points: Vec<(chrono::NaiveDate, &crate::pipeline::config::HelpPoint)> = site
        .config
        .help_points
        .iter()
        .filter_map(|p| {
            let d = p.date.date?;
            chrono::NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .map(|d| (d, p))
        })
        .filter(|(d, _)| *d >= today)
        .collect();
    points.sort_by_key(|(d, _)| *d);
    points
        .into_iter()
        .take(3)
        .map(|(d, p)| {
            use chrono::Datelike as _;
            let weekday =
                weekdays.get(d.weekday().num_days_from_monday() as usize).cloned().unwrap_or_default();
            serde_json::json!({
                "place": p.place,
                "hours": p.hours,
                "date_iso": d.format("%Y-%m-%d").to_string(),
                "date_display": format!("{weekday}, {}", d.format("%d/%m/%Y")),
            })
        })
        .collect()
}

fn lesson_card<'a>(site: &'a Site, theme: &Theme, lesson: &'a Lesson) -> LessonCard<'a> {
    let topic = &site.topics[lesson.topic];
    LessonCard {
        title: &lesson.meta.title,
        url: &lesson.url,
        summary: &lesson.meta.summary,
        level: lesson.level.map(|l| match l {
            Level::CoBan => theme.t("level_co_ban"),
            Level::NangCao => theme.t("level_nang_cao"),
        }),
        duration: lesson.meta.duration,
        updated_iso: lesson.updated.map(|d| d.format("%Y-%m-%d").to_string()),
        updated_display: lesson.updated.map(|d| d.format("%d/%m/%Y").to_string()),
        topic: Link { title: &topic.meta.title, url: &topic.url },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initial_letters_keep_vietnamese_letters_but_not_tones() {
        assert_eq!(initial_letter("ứng dụng"), "Ư");
        assert_eq!(initial_letter("Đường link giả"), "Đ");
        assert_eq!(initial_letter("ẩn"), "Â");
        assert_eq!(initial_letter("OTP"), "O");
        assert_eq!(initial_letter("ồ"), "Ô");
    }
}
