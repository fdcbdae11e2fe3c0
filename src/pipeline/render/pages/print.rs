//! The print packs (every leaflet of a topic, or of the whole site, on one page to print) and
//! the list of leaflets; and a leaflet as pages show it, the lesson's own page included (it
//! prints as its leaflet).

use serde::Serialize;

use super::{HelpPointCtx, LessonCard, lesson_card, upcoming_help_points};
use crate::assets::leaflet::PACK_MAX;
use crate::core::ids::{LessonId, TopicId};
use crate::core::paths;
use crate::pipeline::assemble::Site;
use crate::pipeline::render::engine::{Job, Made, Shared, render};
use crate::pipeline::render::frame::{Frame, Link};
use crate::pipeline::render::stand_in::{Qr, body_html, qr_or_empty};

/// The list of leaflets, the pack of all, and each topic's pack.
pub(super) fn jobs(site: &Site) -> Vec<Job<'_>> {
    let mut jobs = vec![Job::new(|s| render(s, leaflet_index_page(s))), pack_job(site, None)];
    jobs.extend(site.topics.ids().map(|t| pack_job(site, Some(t))));
    jobs
}

/// The print pack of topic `topic`, or (`None`) of all; it shows its leaflets' QR codes unless
/// it is too long to print and lists links instead.
pub(super) fn pack_job(site: &Site, topic: Option<TopicId>) -> Job<'static> {
    let lessons = pack_lessons(site, topic);
    let job = Job::new(move |s| render(s, leaflet_pack_page(s, topic)));
    if lessons.len() <= PACK_MAX { job.showing_qr_codes(lessons) } else { job }
}

/// A print pack of many leaflets (`leaflet.html`); a lesson's own leaflet is its page, printed.
#[derive(Serialize)]
struct LeafletsCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    leaflets: Vec<LeafletCtx<'a>>,
    help_points: Vec<HelpPointCtx<'a>>,
    /// A pack over [`PACK_MAX`] leaflets lists links to them instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    too_many: Option<Vec<Link<'a>>>,
}

fn leaflet_pack_page<'a>(s: &'a Shared<'_>, topic: Option<TopicId>) -> Made<LeafletsCtx<'a>> {
    let (site, theme) = (s.site, s.theme);
    let (title, url) = match topic {
        Some(t) => {
            let t = &site.topics[t];
            (format!("{}: {}", theme.t("leaflets_title"), t.meta.title), s.urls.leaflet_pack(&t.core.slug))
        }
        None => (theme.t("leaflets_all_title"), s.urls.leaflets_all.clone()),
    };
    let lessons = pack_lessons(site, topic);
    let (leaflets, too_many) = if lessons.len() > PACK_MAX {
        let links =
            lessons.iter().map(|&i| Link::to(&site.lessons[i].meta.title, &site.lessons[i].core)).collect();
        (Vec::new(), Some(links))
    } else {
        (lessons.into_iter().map(|i| leaflet_ctx(s, i)).collect(), None)
    };
    let frame = Frame::page(s, title, theme.t("leaflets_description"), url.clone())
        .breadcrumbs(s, vec![Link::new(theme.t("leaflets_title"), &s.urls.leaflets)]);
    let help_points = upcoming_help_points(site, theme);
    ("leaflet.html", url, LeafletsCtx { frame, leaflets, help_points, too_many })
}

#[derive(Serialize)]
struct LeafletIndexCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    /// The leaflets by topic.
    groups: Vec<LeafletGroup<'a>>,
    all_url: &'a str,
}

#[derive(Serialize)]
struct LeafletGroup<'a> {
    title: &'a str,
    pack_url: String,
    leaflets: Vec<LeafletItem<'a>>,
}

#[derive(Serialize)]
struct LeafletItem<'a> {
    title: &'a str,
    /// The lesson's page, which prints as its leaflet.
    url: &'a str,
    id: String,
}

fn leaflet_index_page<'a>(s: &'a Shared<'_>) -> Made<LeafletIndexCtx<'a>> {
    let (site, theme) = (s.site, s.theme);
    let groups = site
        .topics
        .iter()
        .map(|t| LeafletGroup {
            title: &t.meta.title,
            pack_url: s.urls.leaflet_pack(&t.core.slug),
            leaflets: t
                .lessons
                .iter()
                .map(|&l| &site.lessons[l])
                .filter(|l| l.meta.leaflet && l.core.lang.is_none())
                .map(|l| LeafletItem {
                    title: &l.meta.title,
                    url: &l.core.url,
                    id: paths::leaflet_id(&l.core.url),
                })
                .collect(),
        })
        .collect();
    let url = &s.urls.leaflets;
    let frame = Frame::page(s, theme.t("leaflets_title"), theme.t("leaflets_description"), url)
        .breadcrumbs(s, vec![]);
    ("leaflets.html", url.clone(), LeafletIndexCtx { frame, groups, all_url: &s.urls.leaflets_all })
}

/// The lessons with a leaflet in one topic's print pack, or (`None`) in the pack of all.
pub(super) fn pack_lessons(site: &Site, topic: Option<TopicId>) -> Vec<LessonId> {
    let all: Vec<LessonId> = match topic {
        Some(t) => site.topics[t].lessons.clone(),
        None => site.lessons.ids().collect(),
    };
    all.into_iter().filter(|&i| site.lessons[i].meta.leaflet && site.lessons[i].core.lang.is_none()).collect()
}

/// One leaflet: the lesson, what it prints, and its QR code.
#[derive(Serialize)]
pub(super) struct LeafletCtx<'a> {
    id: String,
    lesson: LessonCard<'a>,
    #[serde(serialize_with = "body_html")]
    content: &'a str,
    /// Empty where the page needs no code (a pack too long to print).
    #[serde(serialize_with = "qr_or_empty")]
    qr_svg: Option<&'a Qr>,
    /// The lesson's address without `https://`, printed under the QR code, cut after each `/`
    /// so a narrow column breaks it only there.
    short_url: String,
    short_url_parts: Vec<String>,
    absolute_url: String,
    paper: &'static str,
    /// hocso's estimate of printed pages, written on the page for checking against real prints.
    estimated_pages: String,
}

pub(super) fn leaflet_ctx<'a>(s: &'a Shared<'_>, i: LessonId) -> LeafletCtx<'a> {
    let (site, contents) = (s.site, s.contents);
    let lesson = &site.lessons[i];
    let absolute_url = site.config.absolute(&lesson.core.url);
    let short_url = absolute_url.split_once("://").map_or(absolute_url.as_str(), |(_, r)| r).to_owned();
    let short_url_parts = short_url.split_inclusive('/').map(str::to_owned).collect();
    LeafletCtx {
        short_url_parts,
        id: paths::leaflet_id(&lesson.core.url),
        lesson: lesson_card(site, s.theme, lesson),
        content: contents.leaflet_html(i),
        qr_svg: s.qr(i),
        short_url,
        absolute_url,
        paper: site.config.leaflet.paper.class(),
        estimated_pages: format!("{:.2}", contents.leaflet_pages[i]),
    }
}

#[cfg(test)]
mod tests {
    use tera::Context;

    use super::*;
    use crate::pipeline::render::stand_in::tests::{drawn, qr};

    /// A theme may ask `breadcrumbs is defined` or `too_many is defined`: where a page has none
    /// of these, its context must leave them out, as the contexts before the typed ones did,
    /// while the menu markers are always there.
    #[test]
    fn fields_a_page_lacks_are_left_out_not_null() {
        let pack = LeafletsCtx {
            frame: Frame::default(),
            leaflets: Vec::new(),
            help_points: Vec::new(),
            too_many: None,
        };
        let ctx = Context::from_serialize(pack).unwrap_or_else(|e| panic!("{e}"));
        for absent in ["page", "breadcrumbs", "too_many"] {
            assert!(!ctx.contains_key(absent), "{absent} should be left out");
        }
        for present in ["current_url", "current_topic_url", "leaflets", "help_points"] {
            assert!(ctx.contains_key(present), "{present} should be there");
        }
    }

    /// Only the serializer says whether a QR code is drawn (`stand_in`): hashing a pack must not
    /// draw its leaflets' codes nor count a page, however deep in the context they are.
    #[test]
    fn hashing_a_pack_draws_no_qr_code() {
        let qr = qr(2);
        let lesson = LessonCard {
            title: "Tin nhắn lừa đảo",
            url: "/an-toan/tin-nhan/",
            lang: None,
            summary: "",
            level: None,
            duration: None,
            updated_iso: None,
            updated_display: None,
            topic: Link::new("An toàn", "/an-toan/"),
        };
        let leaflet = LeafletCtx {
            id: "to-tin-nhan".into(),
            lesson,
            content: "<p>Không bấm vào đường link lạ.</p>",
            qr_svg: Some(&qr),
            short_url: String::new(),
            short_url_parts: Vec::new(),
            absolute_url: String::new(),
            paper: "a4",
            estimated_pages: String::new(),
        };
        let pack = LeafletsCtx {
            frame: Frame::default(),
            leaflets: vec![leaflet],
            help_points: Vec::new(),
            too_many: None,
        };
        let mut hash = crate::core::digest::Hasher::new();
        assert!(crate::core::digest::feed_serialized(&mut hash, &pack).is_ok());
        assert!(!drawn(&qr), "hashing draws nothing");
        let page = tera::to_value(&pack).unwrap_or_default();
        assert!(page["leaflets"][0]["qr_svg"].as_str().is_some_and(|svg| svg.contains("<svg")), "{page}");
        assert!(drawn(&qr), "kept for the second page: hashing counted none");
    }
}
