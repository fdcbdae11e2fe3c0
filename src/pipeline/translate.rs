//! A translation of the site: the site's own pages, each replaced by its
//! translation where one exists (`bai.en.md` for `bai.md`), at `/<code>/…`.
//!
//! A translated site lists the same topics, lessons and pages in the same order as the site
//! it translates. A page not yet translated stays in the list as itself — its address is the
//! original's and [`PageCore::lang`] says its language — so a topic page in English still lists
//! every lesson (the untranslated ones marked as Vietnamese), a link to a lesson nobody has
//! translated yet leads to the Vietnamese one instead of failing, and position `n` of
//! [`Site::every_page`] is the same page in every language.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::ids::{LessonId, PageId, Table, TopicId};
use crate::core::text::slugify;
use crate::pipeline::assemble::{Home, Lesson, Links, Page, PageCore, Site, Topic, all_pages};
use crate::pipeline::config::Config;
use crate::pipeline::glossary::Glossary;
use crate::pipeline::parse::{Meta, Parsed};

/// The source path a translation translates: `content/a/bai.en.md` → `content/a/bai.md`.
pub fn original_path(translation: &Path, code: &str) -> PathBuf {
    let name = translation.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let original =
        name.strip_suffix(&format!(".{code}.md")).map_or(name.clone(), |stem| format!("{stem}.md"));
    translation.with_file_name(original)
}

/// The path a translation of `original` into `code` has: `content/a/bai.md` → `content/a/bai.en.md`.
pub fn translation_path(original: &Path, code: &str) -> PathBuf {
    let name = original.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = name.strip_suffix(".md").unwrap_or(&name);
    original.with_file_name(format!("{stem}.{code}.md"))
}

/// Builds the site of language `config.language` over `original` from the translated pages
/// `pages` (all of that language). Returns the site, or the problems that stop it, and the
/// warnings (translations of pages that do not exist).
pub fn translate(
    original: &Site,
    config: Config,
    pages: Vec<Parsed>,
    mut glossary: Glossary,
    drafts: bool,
) -> (Result<Site, Vec<Diagnostic>>, Vec<Diagnostic>) {
    let code = config.language.clone();
    let (mut by_original, warnings) = by_original(original, &code, pages, drafts);
    // `config` is the translation's own: its language is `code`, its pages under `/<code>/`.
    let at =
        Place { home: format!("{}{code}/", config.base_path()), default_lang: &original.config.language };
    let home = home(original, &at, &mut by_original);
    let topics = topics(original, &at, &mut by_original);
    let (lessons, problems) = lessons(original, &at, &mut by_original);
    let pages_out = standalone_pages(original, &at, &mut by_original);
    if !problems.is_empty() {
        return (Err(problems), warnings);
    }
    // Links written in a translation may name the original (`bai.md`) or the translation
    // (`bai.en.md`): both lead to this language's page when there is one, else to the original.
    let mut url_by_source = HashMap::new();
    let mut page_urls = original.links.page_urls.clone();
    for ((_, core), (_, original_core)) in
        all_pages(&home, &topics, &lessons, &pages_out).zip(original.every_page())
    {
        url_by_source.insert(original_core.path.clone(), core.url.clone());
        url_by_source.insert(translation_path(&original_core.path, &code), core.url.clone());
        page_urls.insert(core.url.clone());
    }
    let foreign = all_pages(&home, &topics, &lessons, &pages_out)
        .filter_map(|(_, core)| Some((core.url.clone(), core.lang.clone()?)))
        .collect();
    let glossary_problems = glossary.resolve_lessons(&url_by_source);
    if !glossary_problems.is_empty() {
        return (Err(glossary_problems), warnings);
    }
    let links =
        Links::new(&config, &original.root, url_by_source, page_urls, original.links.bundle_urls.clone());
    let site = Site {
        config,
        root: original.root.clone(),
        home,
        topics,
        lessons,
        pages: pages_out,
        links,
        glossary,
        foreign,
        // Journeys are the default language's only, for now.
        journeys: Vec::new(),
        // The campaign's pages are published in the site's own language only.
        campaign: crate::pipeline::campaign::Campaign::default(),
    };
    (Ok(site), warnings)
}

/// Each translated page by the source path of the page it translates; a translation of a page
/// that does not exist is a warning, a draft is left out unless asked for.
fn by_original(
    original: &Site,
    code: &str,
    pages: Vec<Parsed>,
    drafts: bool,
) -> (HashMap<PathBuf, Parsed>, Vec<Diagnostic>) {
    let known: HashSet<&Path> = original.every_page().map(|(_, core)| core.path.as_path()).collect();
    let mut by_original = HashMap::new();
    let mut warnings = Vec::new();
    for page in pages {
        let source = original_path(&page.path, code);
        if matches!(&page.meta, Meta::Lesson { meta, .. } if meta.draft && !drafts) {
            continue;
        }
        if known.contains(source.as_path()) {
            by_original.insert(source, page);
        } else {
            let problem = Problem::TranslationWithoutSource { lang: code.to_owned(), source };
            warnings.push(Diagnostic::warning(&page.path, 0, 0, problem));
        }
    }
    (by_original, warnings)
}

/// Where the translation's pages go.
struct Place<'a> {
    /// Its home page (`/en/`).
    home: String,
    /// The site's own language, which untranslated pages keep.
    default_lang: &'a str,
}

impl Place<'_> {
    /// A page left untranslated: itself, in its own language, without its text (never rendered).
    fn stand_in(&self, core: &PageCore) -> PageCore {
        PageCore {
            path: core.path.clone(),
            slug: core.slug.clone(),
            url: core.url.clone(),
            body: String::new(),
            body_line: 0,
            lang: Some(self.default_lang.to_owned()),
        }
    }

    /// A translated page at `url`.
    fn translated(parsed: &Parsed, url: String, slug: String) -> PageCore {
        PageCore {
            path: parsed.path.clone(),
            slug,
            url,
            body: parsed.body.clone(),
            body_line: parsed.body_line,
            lang: None,
        }
    }

    /// The translated address of a page named `slug` at the top of the site (a topic, a page).
    fn top(&self, slug: &str) -> String {
        format!("{}{slug}/", self.home)
    }
}

/// The translated home page, or the original's at the translation's address.
fn home(original: &Site, at: &Place<'_>, by_original: &mut HashMap<PathBuf, Parsed>) -> Home {
    match by_original.remove(&original.home.core.path) {
        Some(parsed) => {
            let meta = match &parsed.meta {
                Meta::Home(meta) => meta.clone(),
                _ => Default::default(),
            };
            Home { core: Place::translated(&parsed, at.home.clone(), String::new()), meta }
        }
        None => Home {
            core: PageCore {
                path: original.home.core.path.clone(),
                url: at.home.clone(),
                ..PageCore::default()
            },
            meta: Default::default(),
        },
    }
}

/// Every topic of the original, translated or standing in.
fn topics(
    original: &Site,
    at: &Place<'_>,
    by_original: &mut HashMap<PathBuf, Parsed>,
) -> Table<TopicId, Topic> {
    original
        .topics
        .iter()
        .map(|topic| {
            let (core, meta) = match by_original.remove(&topic.core.path).as_ref() {
                Some(parsed @ Parsed { meta: Meta::Topic(meta), .. }) => {
                    let slug = topic.core.slug.clone();
                    (Place::translated(parsed, at.top(&slug), slug), meta.clone())
                }
                _ => (at.stand_in(&topic.core), topic.meta.clone()),
            };
            Topic { core, meta, lessons: topic.lessons.clone() }
        })
        .collect()
}

/// Every lesson of the original, translated or standing in, in the original's order; a
/// translated lesson keeps its topic and neighbours (the reading order is one for all
/// languages). Returns the problems of the translated slugs too.
fn lessons(
    original: &Site,
    at: &Place<'_>,
    by_original: &mut HashMap<PathBuf, Parsed>,
) -> (Table<LessonId, Lesson>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut claimed: HashMap<String, PathBuf> = HashMap::new();
    let lessons = original
        .lessons
        .iter()
        .map(|lesson| {
            let in_order = |made: Lesson| Lesson { prev: lesson.prev, next: lesson.next, ..made };
            let removed = by_original.remove(&lesson.core.path);
            let Some(parsed @ Parsed { meta: Meta::Lesson { meta, level, updated }, .. }) = removed.as_ref()
            else {
                let core = at.stand_in(&lesson.core);
                let made = Lesson::new(
                    core,
                    lesson.topic,
                    lesson.meta.clone(),
                    lesson.level,
                    lesson.updated,
                    Vec::new(),
                );
                return Lesson { audio_url: lesson.audio_url.clone(), ..in_order(made) };
            };
            let slug = meta.slug.as_deref().map_or_else(|| lesson.core.slug.clone(), slugify);
            if slug.is_empty() {
                problems.push(Diagnostic::error(&parsed.path, 0, 0, Problem::EmptySlug));
            }
            let topic_slug = &original.topics[lesson.topic].core.slug;
            let url = format!("{}{topic_slug}/{slug}/", at.home);
            if let Some(other) = claimed.insert(url.clone(), parsed.path.clone()) {
                let problem = Problem::DuplicateSlug { url: url.clone(), other };
                problems.push(Diagnostic::error(&parsed.path, 0, 0, problem));
            }
            let mut meta = meta.clone();
            // Old addresses belong to the original; a copied list would claim them twice.
            meta.aliases.clear();
            let core = Place::translated(parsed, url, slug);
            in_order(Lesson::new(core, lesson.topic, meta, *level, *updated, lesson.bundle_files.clone()))
        })
        .collect();
    (lessons, problems)
}

/// Every standalone page of the original, translated or standing in.
fn standalone_pages(
    original: &Site,
    at: &Place<'_>,
    by_original: &mut HashMap<PathBuf, Parsed>,
) -> Table<PageId, Page> {
    original
        .pages
        .iter()
        .map(|page| match by_original.remove(&page.core.path).as_ref() {
            Some(parsed @ Parsed { meta: Meta::Page(meta), .. }) => {
                let slug = page.core.slug.clone();
                Page { core: Place::translated(parsed, at.top(&slug), slug), meta: meta.clone() }
            }
            _ => Page { core: at.stand_in(&page.core), meta: page.meta.clone() },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translation_paths_go_both_ways() {
        let t = Path::new("content/an-toan/otp.en.md");
        assert_eq!(original_path(t, "en"), PathBuf::from("content/an-toan/otp.md"));
        assert_eq!(translation_path(Path::new("content/an-toan/otp.md"), "en"), t);
        assert_eq!(
            original_path(Path::new("content/thanh-toan/qr/index.hmn.md"), "hmn"),
            PathBuf::from("content/thanh-toan/qr/index.md")
        );
        assert_eq!(
            original_path(Path::new("content/_index.en.md"), "en"),
            PathBuf::from("content/_index.md")
        );
    }
}
