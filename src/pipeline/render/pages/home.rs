//! The home page: the site's own text, its topics, the newest lessons, the journeys and the next
//! help points.

use serde::Serialize;

use super::learning;
use super::{HelpPointCtx, LessonCard, lesson_card, upcoming_help_points};
use crate::pipeline::assemble::{Lesson, Site};
use crate::pipeline::render::engine::{Job, Made, Shared, render};
use crate::pipeline::render::frame::Frame;
use crate::pipeline::render::stand_in::body_html;

/// The home page, in every build.
pub(super) fn jobs(_: &Site) -> Vec<Job<'_>> {
    vec![Job::new(|s| render(s, home_page(s)))]
}

#[derive(Serialize)]
struct TopicCard<'a> {
    title: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    description: &'a str,
    icon_svg: &'a str,
    lesson_count: usize,
}

#[derive(Serialize)]
struct HomeCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    #[serde(serialize_with = "body_html")]
    content: &'a str,
    topics: Vec<TopicCard<'a>>,
    newest: Vec<LessonCard<'a>>,
    journeys: Vec<learning::JourneyCard<'a>>,
    help_points: Vec<HelpPointCtx<'a>>,
}

fn home_page<'a>(s: &'a Shared<'_>) -> Made<HomeCtx<'a>> {
    let (site, theme, config) = (s.site, s.theme, &s.site.config);
    let topics = site
        .topics
        .iter()
        .map(|t| TopicCard {
            title: &t.meta.title,
            url: &t.core.url,
            lang: t.core.lang.as_deref(),
            description: &t.meta.description,
            icon_svg: theme.icons.get(&t.meta.icon).map_or("", String::as_str),
            lesson_count: t.lessons.len(),
        })
        .collect();
    let mut newest: Vec<&Lesson> =
        site.lessons.iter().filter(|l| l.updated.is_some() && l.core.lang.is_none()).collect();
    newest.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.core.url.cmp(&b.core.url)));
    let newest = newest.into_iter().take(6).map(|l| lesson_card(site, theme, l)).collect();
    let title = site.home.meta.title.as_deref().unwrap_or(&config.title);
    let description = site.home.meta.description.as_deref().unwrap_or(&config.description);
    let frame = Frame::page(s, title, description, &s.urls.home);
    let help_points = upcoming_help_points(site, theme);
    let journeys = learning::journey_cards(s);
    (
        "index.html",
        s.urls.home.clone(),
        HomeCtx { frame, content: &s.contents.home.html, topics, newest, help_points, journeys },
    )
}
