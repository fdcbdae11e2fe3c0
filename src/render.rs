//! Stage 5b — put rendered Markdown into the theme's templates, every page in parallel.
//!
//! Each page gets a context built from borrowed site data; the parts every page shares (site,
//! UI strings, navigation, asset URLs) are built once and cloned.

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::assemble::{Lesson, Site};
use crate::diagnostic::{Diagnostic, Problem};
use crate::markdown::Rendered;
use crate::parse::Level;
use crate::theme::{Theme, error_chain};

/// A file to write into the output, path relative to the output folder.
#[derive(Debug)]
pub struct OutFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Rendered Markdown of every page, in the same order as in the [`Site`].
pub struct Contents {
    pub home: Rendered,
    pub topics: Vec<Rendered>,
    pub lessons: Vec<Rendered>,
    pub pages: Vec<Rendered>,
}

/// URLs of the fingerprinted theme files, by their name in the theme (`css/hocso.css`).
pub type AssetUrls = std::collections::BTreeMap<String, String>;

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: String,
    language: &'a str,
    contact: &'a crate::config::Contact,
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

/// Renders every page and the site-wide files (feeds, sitemap, robots, 404, aliases).
pub fn render_site(
    site: &Site,
    theme: &Theme,
    contents: &Contents,
    assets: &AssetUrls,
) -> Result<Vec<OutFile>, Vec<Diagnostic>> {
    let base = base_context(site, theme, assets);
    let mut jobs: Vec<Job<'_>> = vec![Job::Home, Job::NotFound, Job::Sitemap, Job::Atom, Job::Robots];
    jobs.extend((0..site.topics.len()).map(Job::Topic));
    jobs.extend((0..site.lessons.len()).map(Job::Lesson));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    for lesson in &site.lessons {
        jobs.extend(lesson.meta.aliases.iter().map(|a| Job::Alias(a, lesson)));
    }
    let results: Vec<Result<OutFile, Diagnostic>> =
        jobs.par_iter().map(|job| render_job(site, theme, contents, &base, job)).collect();
    let mut files = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => problems.push(d),
        }
    }
    // The same template error on every lesson is one problem, not a thousand.
    problems.dedup_by(|a, b| a.file == b.file && a.problem == b.problem);
    if problems.is_empty() { Ok(files) } else { Err(problems) }
}

enum Job<'a> {
    Home,
    NotFound,
    Sitemap,
    Atom,
    Robots,
    Topic(usize),
    Lesson(usize),
    Page(usize),
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
    ctx.insert("current_url", "");
    ctx.insert("current_topic_url", "");
    ctx
}

fn render_job(
    site: &Site,
    theme: &Theme,
    contents: &Contents,
    base: &Context,
    job: &Job<'_>,
) -> Result<OutFile, Diagnostic> {
    let config = &site.config;
    let mut ctx = base.clone();
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
            let url = format!("{}404.html", config.base_path());
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
            ctx.insert("lessons", &lessons);
            ctx.insert("sections", &sections);
            ctx.insert("abs", &config.absolute(""));
            ("sitemap.xml", format!("{}sitemap.xml", config.base_path()))
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
            ("atom.xml", format!("{}atom.xml", config.base_path()))
        }
        Job::Robots => {
            ctx.insert("abs", &config.absolute(""));
            ("robots.txt", format!("{}robots.txt", config.base_path()))
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
        Job::Alias(alias, lesson) => {
            let url = crate::assemble::normalize_url_path(&config.base_path(), alias);
            ctx.insert("page", &PageCtx::new(site, &lesson.meta.title, &lesson.meta.summary, &lesson.url));
            ctx.insert("target", &lesson.url);
            ("alias.html", url)
        }
    };
    let html = theme.tera.render(template, &ctx).map_err(|e| {
        let file = theme_template_path(site, theme, template);
        Diagnostic::error(file, 0, 0, Problem::Template(error_chain(&e)))
    })?;
    Ok(OutFile { path: output_path(&config.base_path(), &url_path), bytes: html.into_bytes() })
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

/// Where a URL's file goes in the output: `/a/b/` → `a/b/index.html`, `/404.html` → `404.html`.
fn output_path(base_path: &str, url: &str) -> PathBuf {
    if url.ends_with('/') {
        output_dir(base_path, url).join("index.html")
    } else {
        output_dir(base_path, url)
    }
}

/// The output path of a URL, relative to the output folder, without `index.html`.
pub fn output_dir(base_path: &str, url: &str) -> PathBuf {
    PathBuf::from(url.strip_prefix(base_path).unwrap_or(url.trim_start_matches('/')))
}

/// The template file a name comes from, for error messages (site override first).
fn theme_template_path(site: &Site, theme: &Theme, name: &str) -> PathBuf {
    let own = site.root.join("templates").join(name);
    let path = if own.is_file() { own } else { theme.dir.join("templates").join(name) };
    crate::diagnostic::relative(&site.root, &path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths() {
        assert_eq!(output_path("/", "/"), PathBuf::from("index.html"));
        assert_eq!(output_path("/", "/an-toan/otp/"), PathBuf::from("an-toan/otp/index.html"));
        assert_eq!(output_path("/hoc/", "/hoc/404.html"), PathBuf::from("404.html"));
    }
}
