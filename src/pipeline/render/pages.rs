//! The pages, one module per family, each with its contexts, its page builders and the jobs it
//! plans; and the parts several families show (a lesson's card, the next help points, the
//! numbered links under a long list).
//!
//! A new kind of page goes into its family's module: its context, the function that builds it,
//! and a job for each such page in the module's `jobs`. A new family is a module here, named
//! once in [`plan`].

mod campaign;
mod home;
mod learning;
mod lesson;
mod lists;
mod print;
mod simple;
mod site_files;
mod topic;

use serde::Serialize;

use super::LIST_PAGE_SIZE;
use super::engine::Job;
use super::frame::Link;
use crate::assets::leaflet::PACK_MAX;
use crate::assets::theme::Theme;
use crate::core::ids::LessonId;
use crate::core::paths;
use crate::pipeline::assemble::{Lesson, PageCore, Site};
use crate::pipeline::parse::Level;

/// Every page and site-wide file of the site.
pub(super) fn plan(site: &Site) -> Vec<Job<'_>> {
    [
        home::jobs(site),
        site_files::jobs(site),
        simple::jobs(site),
        topic::jobs(site),
        lesson::jobs(site),
        lists::jobs(site),
        print::jobs(site),
        learning::jobs(site),
        campaign::jobs(site),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The pages that show lesson `i`'s content: its page (which prints as its leaflet) and the
/// print packs that hold it. After an edit of the lesson's text alone, only these change.
pub fn lesson_jobs(site: &Site, i: LessonId) -> Vec<Job<'_>> {
    let mut jobs = vec![lesson::job(site, i)];
    if site.lessons[i].meta.leaflet {
        // A pack over PACK_MAX only lists titles, which an edit of the text does not change;
        // re-rendering the 10,000-link list was most of an edit's time on a large site.
        for pack in [Some(site.lessons[i].topic), None] {
            if print::pack_lessons(site, pack).len() <= PACK_MAX {
                jobs.push(print::pack_job(site, pack));
            }
        }
    }
    jobs
}

/// Whether a page is in the language being rendered: a translation renders its translated
/// pages, and links to the others where the site's own language has them.
fn own(core: &PageCore) -> bool {
    core.lang.is_none()
}

/// A lesson as lists, feeds and leaflets show it.
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
            date_display: campaign::date_in_words(theme, p.date),
            village: &p.village,
        })
        .collect()
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
