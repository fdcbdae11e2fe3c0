//! Arrange parsed pages into a [`Site`]: topics, lessons, order, URLs, neighbours.
//!
//! After this stage every page has its final URL, so Markdown links between files can be
//! resolved while rendering, in parallel, without looking at other pages' content.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::ids::{Id, LessonId, PageId, Table, TopicId};
use crate::core::paths::{self, CONTENT_DIR};
use crate::core::text::{slugify, sort_key_vi};
use crate::pipeline::config::Config;
use crate::pipeline::glossary::Glossary;
use crate::pipeline::load::{BundleFile, Kind};
use crate::pipeline::parse::{HomeMeta, LessonMeta, Level, Meta, PageMeta, Parsed, TopicMeta};

mod links;
pub use links::{Links, Target};

/// What every page has, whatever its kind: where it comes from, where it is published and
/// its Markdown. Held once by each kind of page so that code walking every page ([`Site::every_page`])
/// reads one shape instead of four.
#[derive(Debug, Default)]
pub struct PageCore {
    /// Source file, relative to the site root.
    pub path: PathBuf,
    /// Last part of the URL; empty for the home page.
    pub slug: String,
    pub url: String,
    pub body: String,
    /// Line of `path` on which `body` starts.
    pub body_line: usize,
    /// On a translation, a page not yet translated: the language its content is in, and
    /// `url` is that language's page. `None` for a page in the site's own language.
    pub lang: Option<String>,
}

impl PageCore {
    /// The core of a page published at `parent` + the slug of `name` + `/`.
    fn at(parent: &str, name: &str, path: PathBuf, body: String, body_line: usize) -> PageCore {
        let slug = slugify(name);
        PageCore { url: format!("{parent}{slug}/"), slug, path, body, body_line, lang: None }
    }
}

/// Which page of the [`Site`] a [`PageCore`] belongs to; the numbers index [`Site::topics`],
/// [`Site::lessons`] and [`Site::pages`] (and the same fields of the rendered contents).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageKind {
    Home,
    Topic(TopicId),
    Lesson(LessonId),
    Page(PageId),
}

/// The home page.
#[derive(Debug, Default)]
pub struct Home {
    pub core: PageCore,
    pub meta: HomeMeta,
}

/// A topic with its lessons, in reading order.
#[derive(Debug)]
pub struct Topic {
    pub core: PageCore,
    pub meta: TopicMeta,
    pub lessons: Vec<LessonId>,
}

/// A lesson, with its place in its topic.
#[derive(Debug)]
pub struct Lesson {
    pub core: PageCore,
    pub topic: TopicId,
    pub meta: LessonMeta,
    pub level: Option<Level>,
    pub updated: Option<NaiveDate>,
    /// The lessons before and after it in its topic.
    pub prev: Option<LessonId>,
    pub next: Option<LessonId>,
    /// Files beside a bundle's `index.md`, published next to the lesson page.
    pub bundle_files: Vec<BundleFile>,
    /// URL of the recording named by `audio`, once resolved.
    pub audio_url: Option<String>,
    /// The addresses of the redirect pages its `aliases` ask for, checked and cleaned.
    pub alias_urls: Vec<String>,
}

impl Lesson {
    /// A lesson at its place in topic `topic`, not yet in reading order (no neighbours), its
    /// recording and aliases not yet resolved.
    pub fn new(
        core: PageCore,
        topic: TopicId,
        meta: LessonMeta,
        level: Option<Level>,
        updated: Option<NaiveDate>,
        bundle_files: Vec<BundleFile>,
    ) -> Lesson {
        Lesson {
            core,
            topic,
            meta,
            level,
            updated,
            prev: None,
            next: None,
            bundle_files,
            audio_url: None,
            alias_urls: Vec::new(),
        }
    }
}

/// A standalone page (`content/<name>.md`), such as the accessibility statement.
#[derive(Debug)]
pub struct Page {
    pub core: PageCore,
    pub meta: PageMeta,
}

/// A step-by-step journey (`content/lo-trinh/<slug>.md`), its lessons resolved.
#[derive(Debug)]
pub struct Journey {
    pub core: PageCore,
    pub meta: PageMeta,
    pub body: crate::pipeline::journey::Body,
}

/// Every page of a site with its kind, in one order: home, topics, lessons, standalone pages.
/// Shared by [`Site::every_page`] and [`assemble`], which walks the pages before the site exists.
pub fn all_pages<'a>(
    home: &'a Home,
    topics: &'a Table<TopicId, Topic>,
    lessons: &'a Table<LessonId, Lesson>,
    pages: &'a Table<PageId, Page>,
) -> impl Iterator<Item = (PageKind, &'a PageCore)> {
    std::iter::once((PageKind::Home, &home.core))
        .chain(topics.enumerate().map(|(i, t)| (PageKind::Topic(i), &t.core)))
        .chain(lessons.enumerate().map(|(i, l)| (PageKind::Lesson(i), &l.core)))
        .chain(pages.enumerate().map(|(i, p)| (PageKind::Page(i), &p.core)))
}

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub root: PathBuf,
    pub home: Home,
    pub topics: Table<TopicId, Topic>,
    /// The lessons in reading order: topic by topic.
    pub lessons: Table<LessonId, Lesson>,
    /// Standalone pages, in footer order.
    pub pages: Table<PageId, Page>,
    /// Where every page and file is, for links written in the Markdown.
    pub links: Links,
    /// The glossary, its lesson links resolved.
    pub glossary: Glossary,
    /// Step-by-step journeys, by weight then title.
    pub journeys: Vec<Journey>,
    /// The help points and quarterly results, read after the lessons they link to.
    pub campaign: crate::pipeline::campaign::Campaign,
    /// On a translation, the address of each page not yet translated → its language, so a
    /// link to it can say where it leads (`hreflang`).
    pub foreign: HashMap<String, String>,
}

/// One language of the site, as the switcher shows it.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct LanguageRef {
    pub code: String,
    /// Its name in itself ("English").
    pub name: String,
    /// Its home page.
    pub home: String,
    /// Offered in the switcher.
    pub listed: bool,
}

/// Where each page of the site is in each language. Every language's [`Site`] lists the same
/// topics, lessons and pages in the same order (an untranslated one stands in for itself), so
/// one position in [`Site::every_page`] names a page in all of them.
#[derive(Debug, Default)]
pub struct Alternates {
    /// The default language first.
    pub languages: Vec<LanguageRef>,
    /// `urls[language][position]`: the page's address in that language, if translated.
    pub urls: Vec<Vec<Option<String>>>,
}

impl Alternates {
    /// Collects every language's pages; `sites` in the order of `languages`.
    pub fn new(languages: Vec<LanguageRef>, sites: &[&Site]) -> Alternates {
        let urls = sites
            .iter()
            .map(|site| {
                site.every_page().map(|(_, core)| core.lang.is_none().then(|| core.url.clone())).collect()
            })
            .collect();
        Alternates { languages, urls }
    }

    /// The versions of the page at `position`: (language, address), the default language first.
    pub fn of(&self, position: usize) -> Vec<(&LanguageRef, &str)> {
        self.languages
            .iter()
            .zip(&self.urls)
            .filter_map(|(lang, urls)| Some((lang, urls.get(position)?.as_deref()?)))
            .collect()
    }
}

/// A lesson read from disk whose topic is not known yet.
struct PendingLesson {
    topic_dir: String,
    name: String,
    bundle: bool,
    path: PathBuf,
    meta: LessonMeta,
    level: Option<Level>,
    updated: Option<NaiveDate>,
    body: String,
    body_line: usize,
}

/// The parsed pages sorted by kind, each at its address; lessons not yet in their topics.
struct Sorted {
    home: Home,
    topics: Vec<Topic>,
    topic_by_dir: HashMap<String, usize>,
    lessons: Vec<PendingLesson>,
    pages: Vec<Page>,
    journeys: Vec<Journey>,
}

/// What the site's own language is arranged from.
pub struct Input<'a> {
    pub config: Config,
    /// The site folder.
    pub root: &'a Path,
    /// Its pages as parsed.
    pub pages: Vec<Parsed>,
    /// The files beside each bundle lesson's `index.md`.
    pub bundle_files: &'a [BundleFile],
    /// The folders of `content/`, so a folder of lessons without `_index.md` can be reported.
    pub topic_dirs: &'a [String],
    pub glossary: Glossary,
    /// Keep lessons marked `draft = true`.
    pub drafts: bool,
}

/// The campaign's data of a site, made from its lessons once they are in order (the
/// translations have none: see [`crate::pipeline::translate`]).
pub type CampaignOf<'a> = dyn FnOnce(&Table<LessonId, Lesson>) -> crate::pipeline::campaign::Campaign + 'a;

/// Arranges the pages of the site's own language into a finished [`Site`]. `drafts` keeps
/// lessons marked `draft = true`; `campaign` makes the campaign's data from the lessons in
/// order. The stages: pages sorted by kind, lessons put in their topics, addresses claimed
/// (one page each), reading order, then the links between files resolved.
pub fn assemble(input: Input<'_>, campaign: Box<CampaignOf<'_>>) -> Result<Site, Vec<Diagnostic>> {
    let Input { config, root, pages, bundle_files, topic_dirs, mut glossary, drafts } = input;
    let mut problems = Vec::new();
    let base = config.base_path();
    let sorted = sort_pages(&base, pages, drafts);
    problems.extend(topics_without_index(&sorted, topic_dirs));
    let Sorted { home, topics, topic_by_dir, lessons, pages, journeys } = sorted;
    let mut lessons = place_lessons(lessons, &topics, &topic_by_dir, bundle_files, &mut problems);
    let aliases = claim_urls(root, &base, (&home, &topics, &lessons, &pages), &journeys, &mut problems);
    for (i, url) in aliases {
        lessons[i].alias_urls.push(url);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let (topics, mut lessons) = reading_order(topics, lessons);
    let mut pages = pages;
    pages.sort_by_cached_key(|p| (p.meta.weight, sort_key_vi(&p.meta.title)));
    let pages = Table::from(pages);
    let mut journeys = journeys;
    journeys.sort_by_cached_key(|j| (j.meta.weight, sort_key_vi(&j.meta.title)));
    let url_by_source: HashMap<PathBuf, String> = all_pages(&home, &topics, &lessons, &pages)
        .map(|(_, core)| (core.path.clone(), core.url.clone()))
        .chain(journeys.iter().map(|j| (j.core.path.clone(), j.core.url.clone())))
        .collect();
    let glossary_problems = glossary.resolve_lessons(&url_by_source);
    if !glossary_problems.is_empty() {
        return Err(glossary_problems);
    }
    let bundle_urls = lessons
        .iter()
        .filter(|l| !l.bundle_files.is_empty())
        .map(|l| (l.core.path.clone(), l.core.url.clone()))
        .collect();
    let page_urls = url_by_source.values().cloned().collect();
    let links = Links::new(&config, root, url_by_source, page_urls, bundle_urls);
    let audio_urls = resolve_audio(&links, &lessons)?;
    for (lesson, url) in lessons.iter_mut().zip(audio_urls) {
        lesson.audio_url = url;
    }
    let journeys = resolve_journeys(&links, &lessons, journeys)?;
    let campaign = campaign(&lessons);
    Ok(Site {
        config,
        root: root.to_path_buf(),
        home,
        topics,
        lessons,
        pages,
        links,
        glossary,
        journeys,
        campaign,
        foreign: HashMap::new(),
    })
}

/// Sorts the parsed pages by kind, each at its address; drafts are left out unless asked for.
fn sort_pages(base: &str, pages: Vec<Parsed>, drafts: bool) -> Sorted {
    let home_core = |path, body, body_line| PageCore {
        path,
        url: base.to_owned(),
        body,
        body_line,
        ..PageCore::default()
    };
    let journeys_base = format!("{base}{}/", paths::JOURNEYS_DIR);
    let mut sorted = Sorted {
        home: Home {
            core: home_core(PathBuf::from(CONTENT_DIR).join("_index.md"), String::new(), 0),
            meta: HomeMeta::default(),
        },
        topics: Vec::new(),
        topic_by_dir: HashMap::new(),
        lessons: Vec::new(),
        pages: Vec::new(),
        journeys: Vec::new(),
    };
    for Parsed { path, kind, meta, body, body_line, .. } in pages {
        match (kind, meta) {
            (Kind::Home, Meta::Home(meta)) => {
                sorted.home = Home { core: home_core(path, body, body_line), meta }
            }
            (Kind::Topic { dir }, Meta::Topic(meta)) => {
                let core = PageCore::at(base, &dir, path, body, body_line);
                sorted.topic_by_dir.insert(dir, sorted.topics.len());
                sorted.topics.push(Topic { core, meta, lessons: Vec::new() });
            }
            (Kind::Lesson { topic_dir, name, bundle }, Meta::Lesson { meta, level, updated }) => {
                if meta.draft && !drafts {
                    continue;
                }
                sorted.lessons.push(PendingLesson {
                    topic_dir,
                    name,
                    bundle,
                    path,
                    meta,
                    level,
                    updated,
                    body,
                    body_line,
                });
            }
            (Kind::Page { name }, Meta::Page(meta)) => {
                sorted.pages.push(Page { core: PageCore::at(base, &name, path, body, body_line), meta });
            }
            (Kind::Journey { name }, Meta::Page(meta)) => {
                let core = PageCore::at(&journeys_base, &name, path, body, body_line);
                sorted.journeys.push(Journey { core, meta, body: Default::default() });
            }
            _ => {}
        }
    }
    sorted
}

/// A folder with lessons but no _index.md: the lessons would have no topic page.
fn topics_without_index(sorted: &Sorted, topic_dirs: &[String]) -> Vec<Diagnostic> {
    let mut reported_dirs = HashSet::new();
    let mut problems = Vec::new();
    for dir in topic_dirs {
        let has_lessons = sorted.lessons.iter().any(|l| &l.topic_dir == dir);
        if has_lessons && !sorted.topic_by_dir.contains_key(dir) && reported_dirs.insert(dir.clone()) {
            problems.push(Diagnostic::error(
                PathBuf::from(CONTENT_DIR).join(dir).join("_index.md"),
                0,
                0,
                Problem::TopicWithoutIndex,
            ));
        }
    }
    problems
}

/// Each lesson at its address under its topic, with its bundle's files; a lesson without a
/// usable slug is reported and left out.
fn place_lessons(
    pending: Vec<PendingLesson>,
    topics: &[Topic],
    topic_by_dir: &HashMap<String, usize>,
    bundle_files: &[BundleFile],
    problems: &mut Vec<Diagnostic>,
) -> Vec<Lesson> {
    let mut lessons = Vec::new();
    for PendingLesson { topic_dir, name, bundle, path, meta, level, updated, body, body_line } in pending {
        let Some(&topic) = topic_by_dir.get(&topic_dir) else { continue };
        let name = meta.slug.as_deref().unwrap_or(&name);
        let core = PageCore::at(&topics[topic].core.url, name, path, body, body_line);
        if core.slug.is_empty() {
            problems.push(Diagnostic::error(&core.path, 0, 0, Problem::EmptySlug));
            continue;
        }
        // `trang-2` is the second page of the topic's list of lessons.
        if paths::is_list_page_slug(&core.slug) {
            problems.push(Diagnostic::error(&core.path, 0, 0, Problem::ReservedSlug(core.slug.clone())));
            continue;
        }
        let files = if bundle {
            bundle_files.iter().filter(|f| f.lesson == core.path).cloned().collect()
        } else {
            Vec::new()
        };
        // The topic's place before topics are put in order (`reading_order`).
        lessons.push(Lesson::new(core, TopicId::at(topic), meta, level, updated, files));
    }
    lessons
}

/// Every page claims its address, and each lesson's aliases theirs; a second claim, a
/// reserved name or an unsafe alias is reported. Returns each alias's address with its lesson.
fn claim_urls(
    root: &Path,
    base: &str,
    (home, topics, lessons, pages): (&Home, &[Topic], &[Lesson], &[Page]),
    journeys: &[Journey],
    problems: &mut Vec<Diagnostic>,
) -> Vec<(usize, String)> {
    let mut url_owner: HashMap<String, PathBuf> = HashMap::new();
    let mut claim = |url: &str, path: &Path, problems: &mut Vec<Diagnostic>| {
        if let Some(other) = url_owner.get(url) {
            problems.push(Diagnostic::error(
                path,
                0,
                0,
                Problem::DuplicateSlug { url: url.to_owned(), other: other.clone() },
            ));
        } else {
            url_owner.insert(url.to_owned(), path.to_path_buf());
        }
    };
    // Topics and standalone pages are named at the top of the site, beside hocso's own
    // addresses; a lesson's slug is checked in `place_lessons`, where an empty one drops it.
    let cores = std::iter::once((false, &home.core))
        .chain(topics.iter().map(|t| (true, &t.core)))
        .chain(lessons.iter().map(|l| (false, &l.core)))
        .chain(pages.iter().map(|p| (true, &p.core)));
    for (at_top, core) in cores {
        if at_top {
            if core.slug.is_empty() {
                problems.push(Diagnostic::error(&core.path, 0, 0, Problem::EmptySlug));
            }
            if paths::RESERVED_SLUGS.contains(&core.slug.as_str()) {
                problems.push(Diagnostic::error(&core.path, 0, 0, Problem::ReservedSlug(core.slug.clone())));
            }
        }
        claim(&core.url, &core.path, problems);
    }
    for journey in journeys {
        if journey.core.slug.is_empty() {
            problems.push(Diagnostic::error(&journey.core.path, 0, 0, Problem::EmptySlug));
        }
        claim(&journey.core.url, &journey.core.path, problems);
    }
    let leaflets: HashSet<String> = lessons.iter().map(|l| paths::leaflet_url(&l.core.url)).collect();
    let mut alias_urls = Vec::new();
    for (i, lesson) in lessons.iter().enumerate() {
        let path = &lesson.core.path;
        for alias in &lesson.meta.aliases {
            let error = |problem| Diagnostic::error(path, alias_line(root, path, alias), 0, problem);
            match alias_url(base, alias) {
                Err(why) => problems.push(error(Problem::UnsafePath {
                    written: alias.clone(),
                    root: ALIAS_ROOT.into(),
                    why,
                })),
                Ok(None) => problems.push(error(Problem::AliasTaken(alias.clone()))),
                // Compared in lower case: two addresses one file system writes to one folder.
                Ok(Some(url)) if leaflets.contains(&url.to_lowercase()) => {
                    problems.push(error(Problem::AliasTaken(alias.clone())))
                }
                Ok(Some(url)) => {
                    claim(&url.to_lowercase(), path, problems);
                    alias_urls.push((i, url));
                }
            }
        }
    }
    alias_urls
}

/// Reading order: topics and lessons by weight, then title in Vietnamese order; each topic
/// lists its lessons, each lesson knows its neighbours.
fn reading_order(
    topics: Vec<Topic>,
    mut lessons: Vec<Lesson>,
) -> (Table<TopicId, Topic>, Table<LessonId, Lesson>) {
    let mut topic_order: Vec<usize> = (0..topics.len()).collect();
    topic_order.sort_by_cached_key(|&t| (topics[t].meta.weight, sort_key_vi(&topics[t].meta.title)));
    let mut topics: Vec<Option<Topic>> = topics.into_iter().map(Some).collect();
    let mut topics: Table<TopicId, Topic> = topic_order.iter().filter_map(|&i| topics[i].take()).collect();
    let new_index: HashMap<usize, usize> =
        topic_order.iter().enumerate().map(|(new, &old)| (old, new)).collect();
    for lesson in &mut lessons {
        lesson.topic = TopicId::at(new_index.get(&lesson.topic.index()).copied().unwrap_or(0));
    }
    // In parallel: the Vietnamese sort key of ten thousand titles is a few dozen milliseconds.
    lessons.par_sort_by_cached_key(|l| (l.topic, l.meta.weight, sort_key_vi(&l.meta.title)));
    let mut lessons = Table::from(lessons);
    for (i, lesson) in lessons.enumerate() {
        topics[lesson.topic].lessons.push(i);
    }
    for topic in topics.iter() {
        for pair in topic.lessons.windows(2) {
            lessons[pair[0]].next = Some(pair[1]);
            lessons[pair[1]].prev = Some(pair[0]);
        }
    }
    (topics, lessons)
}
/// What an alias is resolved inside, for messages: the output folder.
const ALIAS_ROOT: &str = "--output";

/// The address an alias redirects from (`/cu/otp/`), cleaned; `None` for an address hocso uses
/// itself (the home page, search, glossary, leaflets, the sitemap and feeds). The redirect page
/// is written to that address in the output, so it is resolved like every user-given path
/// ([`paths::inside`]): `../../x` or `%2e%2e/x` would write outside the output.
fn alias_url(base: &str, alias: &str) -> Result<Option<String>, paths::Unsafe> {
    let decoded = crate::core::text::percent_decode(alias).unwrap_or_else(|| alias.to_owned());
    let rel = paths::inside(None, &crate::core::text::nfc(&decoded))?;
    let rel = rel.to_string_lossy().replace('\\', "/");
    let first = rel.split('/').next().unwrap_or_default().to_lowercase();
    if rel.is_empty()
        || paths::RESERVED_SLUGS.contains(&first.as_str())
        || paths::RESERVED_FILES.contains(&first.as_str())
    {
        return Ok(None);
    }
    Ok(Some(format!("{base}{rel}/")))
}

/// The line of the front matter of `path` that lists `alias`, for messages (0 if not found).
/// Read again only when there is something to report.
fn alias_line(root: &Path, path: &Path, alias: &str) -> usize {
    let Ok(text) = std::fs::read_to_string(root.join(path)) else { return 0 };
    let quoted = [format!("\"{alias}\""), format!("'{alias}'")];
    let line = |f: &dyn Fn(&str) -> bool| text.lines().position(f).map(|i| i + 1);
    line(&|l| quoted.iter().any(|q| l.contains(q.as_str())))
        .or_else(|| line(&|l| l.trim_start().starts_with("aliases")))
        .unwrap_or(0)
}

/// A lesson's `audio` must name a file that will be published: each lesson's recording
/// address, if it names one.
fn resolve_audio(
    links: &Links,
    lessons: &Table<LessonId, Lesson>,
) -> Result<Vec<Option<String>>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let resolved: Vec<Option<String>> = lessons
        .iter()
        .map(|l| {
            let audio = l.meta.audio.as_deref()?;
            match links.resolve(&l.core.path, audio, &l.bundle_files) {
                Ok(Target::File { url, .. }) => Some(url),
                Ok(Target::External) => Some(audio.to_owned()),
                Err(problem) => {
                    problems.push(Diagnostic::error(&l.core.path, 0, 0, problem));
                    None
                }
                Ok(_) => {
                    problems.push(Diagnostic::error(
                        &l.core.path,
                        0,
                        0,
                        Problem::MissingFileNamed(audio.to_owned()),
                    ));
                    None
                }
            }
        })
        .collect();
    if problems.is_empty() { Ok(resolved) } else { Err(problems) }
}

/// Reads each journey's steps, its links resolved to lessons of the site.
fn resolve_journeys(
    links: &Links,
    lessons: &Table<LessonId, Lesson>,
    mut journeys: Vec<Journey>,
) -> Result<Vec<Journey>, Vec<Diagnostic>> {
    let lesson_by_url: HashMap<&str, LessonId> =
        lessons.enumerate().map(|(i, l)| (l.core.url.as_str(), i)).collect();
    let mut problems = Vec::new();
    for journey in &mut journeys {
        let core = &journey.core;
        let mut resolve = |dest: &str| match links.resolve(&core.path, dest, &[])? {
            Target::Page { url, .. } => lesson_by_url
                .get(url.as_str())
                .copied()
                .ok_or_else(|| Problem::JourneyNotLesson(dest.to_owned())),
            _ => Err(Problem::BrokenLink { target: dest.to_owned(), closest: None }),
        };
        match crate::pipeline::journey::parse(&core.path, &core.body, core.body_line, &mut resolve) {
            Ok(body) => journey.body = body,
            Err(d) => problems.extend(d),
        }
    }
    if problems.is_empty() { Ok(journeys) } else { Err(problems) }
}
impl Site {
    /// Where lesson `lesson` stands in the journeys: (journey, step) for each journey that has
    /// it, at its first step there.
    pub fn journey_places(&self, lesson: LessonId) -> Vec<(usize, usize)> {
        self.journeys
            .iter()
            .enumerate()
            .filter_map(|(j, journey)| {
                let step =
                    journey.body.steps.iter().position(|s| s.tasks.iter().any(|t| t.lesson == lesson))?;
                Some((j, step))
            })
            .collect()
    }

    /// Whether this is a translation of the site: its pages live under `/<code>/`, so its home
    /// is not the site's base path.
    pub fn is_translation(&self) -> bool {
        self.home.core.url != self.config.base_path()
    }

    /// Every page with its kind: the home page, the topics, the lessons, the standalone pages,
    /// each in the order of its list (the field [`Site::pages`] holds the standalone pages alone).
    pub fn every_page(&self) -> impl Iterator<Item = (PageKind, &PageCore)> {
        all_pages(&self.home, &self.topics, &self.lessons, &self.pages)
    }

    /// Each lesson's Markdown source taken out of the site, for a build that drops each one as
    /// soon as its HTML is made (see [`crate::pipeline::edition::Sources::Drop`]).
    pub fn take_lesson_bodies(&mut self) -> Table<LessonId, String> {
        self.lessons.iter_mut().map(|l| std::mem::take(&mut l.core.body)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_urls_are_contained_and_keep_clear_of_hocso_pages() {
        assert_eq!(alias_url("/", "/cu/otp/"), Ok(Some("/cu/otp/".into())));
        assert_eq!(
            alias_url("/hoc/", "Cu/./OTP"),
            Ok(Some("/hoc/Cu/OTP/".into())),
            "written as its author spelt it"
        );
        assert_eq!(alias_url("/", "../../../x"), Err(paths::Unsafe::Parent));
        assert_eq!(alias_url("/", "%2e%2e/x"), Err(paths::Unsafe::Parent));
        assert_eq!(alias_url("/", "/"), Ok(None));
        assert_eq!(alias_url("/", "/tim-kiem/tat-ca/"), Ok(None));
        assert_eq!(alias_url("/", "/Thuat-Ngu"), Ok(None));
        assert_eq!(alias_url("/", "/404.html"), Ok(None));
        assert_eq!(alias_url("/", "sitemap.xml"), Ok(None));
    }
}
