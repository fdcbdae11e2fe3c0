//! The lists of the site: the search page (which lists every lesson A to Z itself on a small
//! site), the A–Z list on its own numbered pages on a large one, and the glossary.

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use super::{Pagination, list_pages, own};
use crate::core::paths;
use crate::pipeline::assemble::{Lesson, Site};
use crate::pipeline::render::engine::{Job, Made, Shared, render};
use crate::pipeline::render::frame::{Frame, Link};
use crate::pipeline::render::{AZ_INLINE_MAX, LIST_PAGE_SIZE};

/// The glossary, the search page, and on a large site every page of the A–Z list.
pub(super) fn jobs(site: &Site) -> Vec<Job<'_>> {
    let mut jobs = vec![Job::new(|s| render(s, glossary_page(s))), Job::new(|s| render(s, search_page(s)))];
    let count = site.lessons.iter().filter(|l| own(&l.core)).count();
    if count > AZ_INLINE_MAX {
        // Sorted once, by the first of its pages to need it, for all of them.
        let az: Arc<OnceLock<Vec<AzTopic<'_>>>> = Arc::default();
        jobs.extend((0..list_pages(count)).map(|page| {
            let az = Arc::clone(&az);
            Job::new(move |s| render(s, a_to_z_page(s, az.get_or_init(|| az_list(site)), page)))
        }));
    }
    jobs
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

/// Page `page` (from 0) of the A–Z list `az`: its [`LIST_PAGE_SIZE`] lessons, under their
/// topics.
fn a_to_z_page<'a>(s: &'a Shared<'_>, az: &'a [AzTopic<'a>], page: usize) -> Made<AzCtx<'a>> {
    let theme = s.theme;
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

    #[test]
    fn letters_that_differ_get_different_ids() {
        let letters = ["A", "Ă", "Â", "D", "Đ", "E", "Ê", "O", "Ô", "Ơ", "U", "Ư"];
        let ids: std::collections::HashSet<String> = letters.iter().map(|l| letter_slug(l)).collect();
        assert_eq!(ids.len(), letters.len(), "{ids:?}");
        assert_eq!(letter_slug("Đ"), "dd");
    }
}
