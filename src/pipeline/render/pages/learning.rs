//! The pages and page parts of the learning aids (issue 19): a journey's page in the GOV.UK
//! step-by-step pattern, its printable checklist, the "part of a journey" box on each member
//! lesson, journey lists on the home and topic pages, and the reader's "lessons I have learnt"
//! page, whose list `learning.js` fills from the phone's own storage.

use serde::Serialize;

use crate::core::ids::{LessonId, TopicId};
use crate::core::paths;
use crate::pipeline::assemble::{Journey, Site};
use crate::pipeline::journey::{Connector, Step};
use crate::pipeline::render::engine::{Job, Made, Shared, render};
use crate::pipeline::render::frame::{Frame, Link};

/// Each journey's page and printable checklist, and "Bài tôi đã học".
pub(super) fn jobs(site: &Site) -> Vec<Job<'_>> {
    let journeys = 0..site.journeys.len();
    let mut jobs: Vec<Job<'_>> = journeys
        .flat_map(|j| {
            [
                Job::new(move |s| render(s, journey_page(s, j))),
                Job::new(move |s| render(s, journey_leaflet_page(s, j))),
            ]
        })
        .collect();
    jobs.push(Job::new(|s| render(s, progress_page(s))));
    jobs
}

/// A journey in a list (home page, topic page).
#[derive(Serialize)]
pub(super) struct JourneyCard<'a> {
    title: &'a str,
    url: &'a str,
    summary: &'a str,
    steps: usize,
    /// The minutes of its lessons (each counted once), 0 when none says.
    minutes: u32,
}

fn journey_card<'a>(site: &'a Site, journey: &'a Journey) -> JourneyCard<'a> {
    JourneyCard {
        title: &journey.meta.title,
        url: &journey.core.url,
        summary: &journey.meta.summary,
        steps: journey.body.steps.len(),
        minutes: journey_lessons(journey).iter().filter_map(|&l| site.lessons[l].meta.duration).sum(),
    }
}

/// Every lesson of a journey once, in step order.
fn journey_lessons(journey: &Journey) -> Vec<LessonId> {
    let mut seen = Vec::new();
    for task in journey.body.steps.iter().flat_map(|s| &s.tasks) {
        if !seen.contains(&task.lesson) {
            seen.push(task.lesson);
        }
    }
    seen
}

/// Every journey, for the home page's "Bắt đầu từ đây".
pub(super) fn journey_cards<'a>(s: &'a Shared<'_>) -> Vec<JourneyCard<'a>> {
    s.site.journeys.iter().map(|j| journey_card(s.site, j)).collect()
}

/// The journeys that take a lesson of topic `topic`.
pub(super) fn topic_journeys<'a>(s: &'a Shared<'_>, topic: TopicId) -> Vec<JourneyCard<'a>> {
    let site = s.site;
    site.journeys
        .iter()
        .filter(|j| journey_lessons(j).iter().any(|&l| site.lessons[l].topic == topic))
        .map(|j| journey_card(site, j))
        .collect()
}

/// Where a step sends a reader: straight to its lesson when it has one, else to the step on the
/// journey page, where its lessons are listed.
fn step_url(journey: &Journey, site: &Site, n: usize) -> String {
    match &journey.body.steps[n].tasks[..] {
        [only] => site.lessons[only.lesson].core.url.clone(),
        _ => format!("{}#{}{}", journey.core.url, paths::JOURNEY_STEP_ID_PREFIX, n + 1),
    }
}

/// A step named in a lesson's journey box.
#[derive(Serialize)]
struct StepLink<'a> {
    number: usize,
    title: &'a str,
    url: String,
}

/// The "Thuộc lộ trình: … — Bước 2 trên 5" box of a lesson, one per journey that has it.
#[derive(Serialize)]
pub(super) struct JourneyPlace<'a> {
    title: &'a str,
    url: &'a str,
    step: usize,
    steps: usize,
    prev: Option<StepLink<'a>>,
    next: Option<StepLink<'a>>,
}

pub(super) fn lesson_journeys<'a>(s: &'a Shared<'_>, lesson: LessonId) -> Vec<JourneyPlace<'a>> {
    let site = s.site;
    site.journey_places(lesson)
        .into_iter()
        .map(|(j, n)| {
            let journey = &site.journeys[j];
            let link = |n: usize| StepLink {
                number: n + 1,
                title: &journey.body.steps[n].title,
                url: step_url(journey, site, n),
            };
            JourneyPlace {
                title: &journey.meta.title,
                url: &journey.core.url,
                step: n + 1,
                steps: journey.body.steps.len(),
                prev: n.checked_sub(1).map(link),
                next: (n + 1 < journey.body.steps.len()).then(|| link(n + 1)),
            }
        })
        .collect()
}

/// One lesson of a step, as the journey page and its checklist show it.
#[derive(Serialize)]
struct TaskCtx<'a> {
    connector: Connector,
    title: &'a str,
    url: &'a str,
    duration: Option<u32>,
}

/// One step of a journey.
#[derive(Serialize)]
struct StepCtx<'a> {
    number: usize,
    id: String,
    title: &'a str,
    note: Option<&'a str>,
    tasks: Vec<TaskCtx<'a>>,
    /// Its QR code, on the printed checklist only.
    qr_svg: String,
}

fn steps<'a>(site: &'a Site, journey: &'a Journey, qr_label: Option<&str>) -> Vec<StepCtx<'a>> {
    journey
        .body
        .steps
        .iter()
        .enumerate()
        .map(|(n, step): (usize, &'a Step)| StepCtx {
            number: n + 1,
            id: format!("{}{}", paths::JOURNEY_STEP_ID_PREFIX, n + 1),
            title: &step.title,
            note: step.note.as_deref(),
            tasks: step
                .tasks
                .iter()
                .map(|t| {
                    let lesson = &site.lessons[t.lesson];
                    TaskCtx {
                        connector: t.connector,
                        title: if t.text.is_empty() { &lesson.meta.title } else { &t.text },
                        url: &lesson.core.url,
                        duration: lesson.meta.duration,
                    }
                })
                .collect(),
            qr_svg: qr_label.map_or_else(String::new, |label| {
                let url = site.config.absolute(&step_url(journey, site, n));
                crate::assets::leaflet::qr_svg(&url, &format!("{label} {}", short(&url))).unwrap_or_default()
            }),
        })
        .collect()
}

/// An address without `https://`, as printed under a QR code.
fn short(url: &str) -> &str {
    url.split_once("://").map_or(url, |(_, rest)| rest)
}

#[derive(Serialize)]
struct JourneyCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    journey: JourneyCard<'a>,
    intro: &'a [String],
    steps: Vec<StepCtx<'a>>,
    /// How many lessons, each once, for "Đã học 3/5 bài".
    lesson_count: usize,
    leaflet_url: String,
}

fn journey_page<'a>(s: &'a Shared<'_>, j: usize) -> Made<JourneyCtx<'a>> {
    let site = s.site;
    let journey = &site.journeys[j];
    let url = &journey.core.url;
    let frame = Frame::page(s, &journey.meta.title, &journey.meta.summary, url).breadcrumbs(s, vec![]);
    let ctx = JourneyCtx {
        frame,
        journey: journey_card(site, journey),
        intro: &journey.body.intro,
        steps: steps(site, journey, None),
        lesson_count: journey_lessons(journey).len(),
        leaflet_url: paths::leaflet_url(url),
    };
    ("journey.html", url.clone(), ctx)
}

#[derive(Serialize)]
struct JourneyLeafletCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    journey: JourneyCard<'a>,
    steps: Vec<StepCtx<'a>>,
    /// The QR code to the journey page, and its address as printed.
    qr_svg: String,
    short_url_parts: Vec<String>,
    paper: &'static str,
}

fn journey_leaflet_page<'a>(s: &'a Shared<'_>, j: usize) -> Made<JourneyLeafletCtx<'a>> {
    let (site, theme) = (s.site, s.theme);
    let journey = &site.journeys[j];
    let url = paths::leaflet_url(&journey.core.url);
    let title = format!("{} {}", theme.t("journey_leaflet_title_prefix"), journey.meta.title);
    let frame = Frame::page(s, title, &journey.meta.summary, url.clone())
        .breadcrumbs(s, vec![Link::new(&journey.meta.title, &journey.core.url)]);
    let absolute = site.config.absolute(&journey.core.url);
    let label = theme.t("leaflet_qr_label");
    let ctx = JourneyLeafletCtx {
        frame,
        journey: journey_card(site, journey),
        steps: steps(site, journey, Some(&theme.t("journey_qr_label"))),
        qr_svg: crate::assets::leaflet::qr_svg(&absolute, &format!("{label} {}", short(&absolute)))
            .unwrap_or_default(),
        short_url_parts: short(&absolute).split_inclusive('/').map(str::to_owned).collect(),
        paper: site.config.leaflet.paper.class(),
    };
    ("journey-leaflet.html", url, ctx)
}

#[derive(Serialize)]
struct ProgressCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
}

/// "Bài tôi đã học": only words and an empty list here; the list lives on the reader's phone.
fn progress_page<'a>(s: &'a Shared<'_>) -> Made<ProgressCtx<'a>> {
    let url = &s.urls.progress;
    let frame = Frame::page(s, s.theme.t("progress_title"), s.theme.t("progress_description"), url)
        .current(url)
        .breadcrumbs(s, vec![]);
    ("progress.html", url.clone(), ProgressCtx { frame })
}
