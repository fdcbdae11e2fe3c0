//! A topic's page: its own text and its lessons, on numbered pages when there are many.

use std::borrow::Cow;

use serde::Serialize;

use super::learning;
use super::{LessonCard, Pagination, lesson_card, list_pages, own};
use crate::core::ids::TopicId;
use crate::core::paths;
use crate::pipeline::assemble::Site;
use crate::pipeline::render::LIST_PAGE_SIZE;
use crate::pipeline::render::engine::{Job, Made, Shared, render};
use crate::pipeline::render::frame::Frame;
use crate::pipeline::render::stand_in::body_html;

/// Every page of every topic of this language.
pub(super) fn jobs(site: &Site) -> Vec<Job<'_>> {
    let topics = site.topics.enumerate().filter(|(_, t)| own(&t.core));
    topics
        .flat_map(|(i, t)| {
            (0..list_pages(t.lessons.len()))
                .map(move |page| Job::new(move |s| render(s, topic_page(s, i, page))))
        })
        .collect()
}

#[derive(Serialize)]
struct TopicCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    #[serde(serialize_with = "body_html")]
    content: &'a str,
    lessons: Vec<LessonCard<'a>>,
    icon_svg: &'a str,
    journeys: Vec<learning::JourneyCard<'a>>,
    /// Only on a topic with more than [`LIST_PAGE_SIZE`] lessons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pagination: Option<Pagination>,
}

/// Page `page` (from 0) of topic `i`; a topic of up to [`LIST_PAGE_SIZE`] lessons has only one.
fn topic_page<'a>(s: &'a Shared<'_>, i: TopicId, page: usize) -> Made<TopicCtx<'a>> {
    let (site, theme) = (s.site, s.theme);
    let topic = &site.topics[i];
    let total = list_pages(topic.lessons.len());
    // Lessons not yet translated are listed too, in their own language, marked as such.
    let lessons = topic
        .lessons
        .iter()
        .skip(page * LIST_PAGE_SIZE)
        .take(LIST_PAGE_SIZE)
        .map(|&l| lesson_card(site, theme, &site.lessons[l]))
        .collect();
    let pagination = (total > 1).then(|| Pagination::new(theme, &topic.core.url, page, total));
    let title: Cow<'a, str> = match &pagination {
        Some(p) if page > 0 => format!("{} – {}", topic.meta.title, p.label).into(),
        _ => Cow::Borrowed(&topic.meta.title),
    };
    let url = paths::list_page_url(&topic.core.url, page + 1);
    let frame = Frame::page(s, title, &topic.meta.description, url.clone())
        .current(&topic.core.url)
        .in_topic(&topic.core.url)
        .breadcrumbs(s, vec![]);
    let ctx = TopicCtx {
        frame,
        // The topic's own text opens its first page only.
        content: if page == 0 { &s.contents.topics[i].html } else { "" },
        lessons,
        icon_svg: theme.icons.get(&topic.meta.icon).map_or("", String::as_str),
        journeys: learning::topic_journeys(s, i),
        pagination,
    };
    ("topic.html", url, ctx)
}
