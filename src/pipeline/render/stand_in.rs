//! The parts of a page's context that feed its hash a short stand-in for themselves: the body's
//! HTML and the QR codes. Both are big, and a QR code is dear to draw, while a page is hashed
//! on every build, rendered only when its hash changed.
//!
//! Which form a value takes is the serializer's to say: the hash's
//! ([`digest::feed_serialized`]) is not human-readable, the one that hands the context to the
//! templates (JSON) is, and serde asks each value [`Serializer::is_human_readable`] for just
//! this, a costly readable form against a compact one. Nothing is set around the hashing, so
//! nothing can be left set. One limit: serde's `#[serde(flatten)]` does not pass the question
//! on (it answers "readable"), so a stand-in under a flattened field would hash as its whole
//! self: still right, only slower (a test in `pages::print` hashes the contexts that hold them).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use serde::{Serialize, Serializer};

use crate::assets::audio::Recording;
use crate::assets::theme::Theme;
use crate::core::digest;
use crate::core::ids::{LessonId, Table};
use crate::core::paths;
use crate::pipeline::assemble::Site;

/// A page's rendered Markdown, for `#[serde(serialize_with = "body_html")]`. In the page's hash
/// it stands as its own digest, hashed raw: escaped as JSON first, the bodies of ten thousand
/// lessons were most of the time spent hashing contexts.
pub(super) fn body_html<S: Serializer>(html: &&str, serializer: S) -> Result<S::Ok, S::Error> {
    if serializer.is_human_readable() {
        serializer.serialize_str(html)
    } else {
        serializer.serialize_bytes(&digest::of(html.as_bytes()))
    }
}

/// A lesson's QR code, drawn only when a page that shows it is really rendered, and then once
/// for all of them (a leaflet is on the lesson's page and in up to two print packs): drawing
/// ten thousand codes was a tenth of a rebuild in which nothing had changed. In a page's hash it
/// stands as what it is drawn from.
///
/// The drawing is kept only until the last of its pages took it: kept for the whole render,
/// ten thousand 4 KB drawings (and their spare capacity) were a quarter of a cold build's peak
/// memory.
pub(super) struct Qr {
    target: String,
    caption: String,
    /// Pages still to show this code.
    pages: AtomicUsize,
    svg: Mutex<Option<String>>,
}

impl Qr {
    fn new(target: String, caption: String, pages: usize) -> Qr {
        Qr { target, caption, pages: AtomicUsize::new(pages), svg: Mutex::new(None) }
    }

    fn draw(&self) -> String {
        crate::assets::leaflet::qr_svg(&self.target, &self.caption).unwrap_or_default()
    }
}

impl Serialize for Qr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            return (self.target.as_str(), self.caption.as_str()).serialize(serializer);
        }
        let before =
            self.pages.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| Some(n.saturating_sub(1)));
        let mut kept = self.svg.lock().unwrap_or_else(PoisonError::into_inner);
        if before.unwrap_or(0) <= 1 {
            // The last page (or one more than counted): nothing keeps the drawing after this.
            let svg = kept.take().unwrap_or_else(|| self.draw());
            drop(kept);
            return serializer.serialize_str(&svg);
        }
        let svg = kept.get_or_insert_with(|| self.draw());
        serializer.serialize_str(svg)
    }
}

/// A QR code where a page has one, `""` where it needs none (a pack too long to print), for
/// `#[serde(serialize_with = "qr_or_empty")]`.
pub(super) fn qr_or_empty<S: Serializer>(qr: &Option<&Qr>, serializer: S) -> Result<S::Ok, S::Error> {
    match qr {
        Some(qr) => qr.serialize(serializer),
        None => serializer.serialize_str(""),
    }
}

/// The QR code of each lesson in `shown`, which names a lesson once for each page showing its
/// code, so that each is drawn once and dropped after its last page.
pub(super) fn qr_codes<'j>(
    site: &Site,
    theme: &Theme,
    recordings: &Table<LessonId, Option<Recording>>,
    shown: impl Iterator<Item = &'j LessonId>,
) -> HashMap<LessonId, Qr> {
    let mut needed: HashMap<LessonId, usize> = HashMap::new();
    for &i in shown {
        *needed.entry(i).or_default() += 1;
    }
    let label = theme.t("leaflet_qr_label");
    needed
        .into_iter()
        .map(|(i, pages)| {
            let url = site.config.absolute(&site.lessons[i].core.url);
            let short = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
            let caption = format!("{label} {short}");
            // The caption promises "nghe đọc": with a recording, the code opens at its player.
            let target = match recordings.get(i).and_then(Option::as_ref) {
                Some(_) => format!("{url}#{}", paths::RECORDING_ID),
                None => url.clone(),
            };
            (i, Qr::new(target, caption, pages))
        })
        .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A code shown on `pages` pages, not drawn yet.
    pub(in crate::pipeline::render) fn qr(pages: usize) -> Qr {
        Qr::new("https://hocso.example.vn/a/".into(), "Quét mã".into(), pages)
    }

    /// Whether `qr` holds a drawing.
    pub(in crate::pipeline::render) fn drawn(qr: &Qr) -> bool {
        qr.svg.lock().map(|svg| svg.is_some()).unwrap_or(false)
    }

    fn hashed(value: &impl Serialize) -> digest::Digest {
        let mut h = digest::Hasher::new();
        assert!(digest::feed_serialized(&mut h, value).is_ok());
        h.finish()
    }

    #[test]
    fn a_qr_drawing_is_shared_by_its_pages_then_dropped() {
        let qr = qr(2);
        assert_eq!(hashed(&qr), hashed(&("https://hocso.example.vn/a/", "Quét mã")));
        assert!(!drawn(&qr), "hashing draws nothing");
        assert_eq!(qr.pages.load(Ordering::Acquire), 2, "nor counts a page");
        let first = serde_json::to_string(&qr).unwrap_or_default();
        assert!(first.contains("<svg"), "{first}");
        assert!(drawn(&qr), "kept for the second page");
        let second = serde_json::to_string(&qr).unwrap_or_default();
        assert_eq!(first, second);
        assert!(!drawn(&qr), "dropped after its last page");
        assert_eq!(
            serde_json::to_string(&qr).unwrap_or_default(),
            first,
            "a page more than counted still gets it"
        );
    }

    #[test]
    fn a_body_hashes_as_its_digest_and_renders_whole() {
        #[derive(Serialize)]
        struct Page<'a> {
            #[serde(serialize_with = "body_html")]
            content: &'a str,
        }
        /// What the body stands as in the hash: its digest, as bytes.
        struct Digested(digest::Digest);
        impl Serialize for Digested {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_bytes(&self.0)
            }
        }
        #[derive(Serialize)]
        struct Stood {
            content: Digested,
        }
        let html = "<p>Không bấm vào đường link lạ.</p>";
        let page = Page { content: html };
        assert_eq!(hashed(&page), hashed(&Stood { content: Digested(digest::of(html.as_bytes())) }));
        assert_eq!(serde_json::to_value(&page).ok(), Some(serde_json::json!({"content": html})));
    }
}
