//! A lesson's page (which prints as its leaflet where it has one), and the pages at its old
//! addresses that send the reader on to it.

use crate::assets::audio::Recording;
use crate::core::ids::{Id, LessonId};
use serde::Serialize;

use super::learning;
use super::print::{LeafletCtx, leaflet_ctx};
use super::{HelpPointCtx, LessonCard, lesson_card, own, upcoming_help_points};
use crate::assets::theme::Theme;
use crate::core::paths;
use crate::pipeline::assemble::{Lesson, Site};
use crate::pipeline::render::engine::{Job, Made, Shared, render};
use crate::pipeline::render::frame::{Frame, Link};
use crate::pipeline::render::stand_in::body_html;

/// Every lesson of this language, and every old address of every lesson.
pub(super) fn jobs(site: &Site) -> Vec<Job<'_>> {
    let mut jobs: Vec<Job<'_>> =
        site.lessons.enumerate().filter(|(_, l)| own(&l.core)).map(|(i, _)| job(site, i)).collect();
    for lesson in &site.lessons {
        jobs.extend(
            lesson.alias_urls.iter().map(|url| Job::new(move |s| render(s, alias_page(s, url, lesson)))),
        );
    }
    jobs
}

/// Lesson `i`'s page, which shows the lesson's QR code where it has a leaflet.
pub(super) fn job(site: &Site, i: LessonId) -> Job<'static> {
    let job = Job::new(move |s| render(s, lesson_page(s, i)));
    if site.lessons[i].meta.leaflet { job.showing_qr_codes(vec![i]) } else { job }
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
    fn new(theme: &Theme, lesson: &Lesson, recording: Option<&Recording>) -> Option<RecordingCtx> {
        let recording = recording?;
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

fn lesson_page<'a>(s: &'a Shared<'_>, i: LessonId) -> Made<LessonCtx<'a>> {
    let (site, theme) = (s.site, s.theme);
    let lesson = &site.lessons[i];
    let topic = &site.topics[lesson.topic];
    let rendered = &s.contents.lessons[i];
    let link = |j: Option<LessonId>| j.map(|j| Link::to(&site.lessons[j].meta.title, &site.lessons[j].core));
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
        search_row: format!(
            "{}d/{}.json",
            s.urls.search_index,
            i.index() / crate::pipeline::search::ROWS_PER_FILE
        ),
        urgent_help: site.config.urgent_help.as_ref().filter(|u| u.applies_to(&lesson.meta.tags)),
        journeys: learning::lesson_journeys(s, i),
        recording: RecordingCtx::new(theme, lesson, s.recordings.get(i).and_then(Option::as_ref)),
    };
    ("lesson.html", lesson.core.url.clone(), ctx)
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
