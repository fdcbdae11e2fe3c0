//! The site-wide files read by machines: the sitemap, the Atom feed and `robots.txt`.

use serde::Serialize;

use super::{LessonCard, lesson_card};
use crate::pipeline::assemble::{Lesson, Site};
use crate::pipeline::render::engine::{Job, Made, Shared, render};
use crate::pipeline::render::frame::Frame;

/// The feed of this language, and on the site itself (not a translation) the sitemap and
/// robots.txt.
pub(super) fn jobs(site: &Site) -> Vec<Job<'_>> {
    let mut jobs = vec![Job::new(|s| render(s, atom_xml(s)))];
    // The sitemap lists every language's pages; robots.txt is read at the site's root only.
    if !site.is_translation() {
        jobs.push(Job::new(|s| render(s, sitemap_xml(s))));
        jobs.push(Job::new(|s| render(s, robots_txt(s))));
    }
    jobs
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
    let languages = s.languages;
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
