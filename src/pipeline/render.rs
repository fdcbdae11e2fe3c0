//! Put rendered Markdown into the theme's templates, every page in parallel.
//!
//! A **job** is one page or site-wide file to make (a lesson's page, one page of a topic's list,
//! the sitemap, a help point's calendar). Each family of pages (`pages/*.rs`) plans its own jobs
//! from the site; [`render_site`] renders them all, [`lesson_jobs`] only those an edit of one
//! lesson's text changes.
//!
//! A **page** is made from a typed context: its builder borrows what it shows from the site and
//! puts it under the fields every page has ([`Frame`](frame::Frame): its title and address, the
//! menu's marks, the trail above it, its other languages). The context every page shares (the
//! site, UI strings, menus, asset addresses) is built once per render, and much of it written
//! into the templates beforehand ([`fold`]).
//!
//! A page is **reused** when it can be: its template and context are hashed first (the body's
//! HTML and QR drawings by a short stand-in for themselves, [`stand_in`]), and a page the
//! previous build made from the same hash is kept as it is, neither rendered nor written. Any
//! other page is rendered into a reused copy of the shared context ([`scratch`]) and handed, with
//! its hash, to the output, which writes it and records the hash for the next build.

mod engine;
mod fold;
mod frame;
mod pages;
mod scratch;
mod stand_in;

use crate::assets::audio::Recording;
use crate::core::diagnostic::Diagnostic;
use crate::core::ids::{LessonId, Table};
use crate::core::output::Sink;
use crate::pipeline::edition::Edition;

pub use engine::{Job, render_jobs};
pub use pages::lesson_jobs;

/// Lessons the search page lists itself (its no-JavaScript help); a larger site's list moves to
/// its own page, linked from the search page. 10,000 links made the search page 965 KB, and a
/// cheap phone spent most of a search laying that list out again.
pub const AZ_INLINE_MAX: usize = 300;
/// Lessons on one page of a topic's list or of the A–Z list; a longer list gets numbered pages
/// (`/an-toan/trang-2/`), so a phone on a slow line opens each one quickly.
pub const LIST_PAGE_SIZE: usize = 50;

/// URLs of the fingerprinted theme files, by their name in the theme (`css/hocso.css`).
pub type AssetUrls = std::collections::BTreeMap<String, String>;

/// What the pages of one edition are made from: the edition, its lessons' recordings (made
/// by the build after the edition, in the order of its lessons) and the published addresses
/// of the theme's and site's files.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub edition: &'a Edition,
    pub recordings: &'a Table<LessonId, Option<Recording>>,
    pub assets: &'a AssetUrls,
}

/// Renders every page and the site-wide files (feeds, sitemap, robots, 404, aliases) of an
/// edition into `sink`; returns how many HTML pages were made.
pub fn render_site(input: Input<'_>, sink: &dyn Sink) -> Result<usize, Vec<Diagnostic>> {
    render_jobs(input, &pages::plan(&input.edition.site), sink)
}
