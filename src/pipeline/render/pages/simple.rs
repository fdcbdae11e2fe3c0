//! Pages with little of their own: a standalone page of the site's text, the "not found" page,
//! and hocso's pages whose content their template and script make ("Bài đã lưu", offline).

use serde::Serialize;

use super::own;
use crate::core::ids::PageId;
use crate::pipeline::assemble::Site;
use crate::pipeline::render::engine::{Job, Made, Shared, render};
use crate::pipeline::render::frame::Frame;
use crate::pipeline::render::stand_in::body_html;

/// The "not found" page, the standalone pages of this language, and with offline reading on,
/// "Bài đã lưu" and the offline page.
pub(super) fn jobs(site: &Site) -> Vec<Job<'_>> {
    let mut jobs = Vec::new();
    // One "not found" page for the whole site, every language included.
    if !site.is_translation() {
        jobs.push(Job::new(|s| render(s, not_found_page(s))));
    }
    let pages = site.pages.enumerate().filter(|(_, p)| own(&p.core)).map(|(i, _)| i);
    jobs.extend(pages.map(|i| Job::new(move |s| render(s, standalone_page(s, i)))));
    if site.config.offline {
        jobs.push(Job::new(|s| {
            render(s, utility_page(s, "saved.html", "saved_title", "saved_description", &s.urls.saved))
        }));
        jobs.push(Job::new(|s| {
            render(
                s,
                utility_page(s, "offline.html", "offline_title", "offline_description", &s.urls.offline),
            )
        }));
    }
    jobs
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
struct StandaloneCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    #[serde(serialize_with = "body_html")]
    content: &'a str,
}

fn standalone_page<'a>(s: &'a Shared<'_>, i: PageId) -> Made<StandaloneCtx<'a>> {
    let page = &s.site.pages[i];
    let frame = Frame::page(s, &page.meta.title, &page.meta.summary, &page.core.url)
        .current(&page.core.url)
        .breadcrumbs(s, vec![]);
    ("page.html", page.core.url.clone(), StandaloneCtx { frame, content: &s.contents.pages[i].html })
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
