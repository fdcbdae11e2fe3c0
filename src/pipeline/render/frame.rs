//! What every page's context has: the part all pages share, built once per render (the site,
//! UI strings, menus, asset addresses), and the fields each page sets for itself, [`Frame`] (its
//! title and address, the menu's marks, the trail above it, its versions in other languages).

use std::borrow::Cow;

use serde::Serialize;
use tera::Context;

use super::AssetUrls;
use super::engine::Shared;
use crate::assets::theme::Theme;
use crate::core::paths::{self, SiteUrls};
use crate::pipeline::assemble::{LanguageRef, PageCore, Site};

/// The site as templates see it (`site.title`, `site.contact`…).
#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: String,
    language: &'a str,
    contact: &'a crate::pipeline::config::Contact,
    /// Offline reading is on: pages register the worker and lessons offer "save".
    offline: bool,
    /// The one worker of the whole site, every language included, and the address it covers
    /// (the default language's home), as pages register it.
    worker: String,
    worker_scope: String,
    /// The web app manifest, one for the whole site too.
    manifest: String,
}

/// The context every page shares: the site, the UI strings (`t`), the menus, the addresses of
/// assets and of hocso's own pages.
pub(super) fn base_context(site: &Site, theme: &Theme, assets: &AssetUrls) -> Context {
    let config = &site.config;
    // The home of the site's own language: the offline worker's scope, translations included.
    let worker_scope = config.base_path();
    let mut ctx = Context::new();
    ctx.insert(
        "site",
        &SiteCtx {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            // The home of this language: `/`, or `/en/` on the English translation.
            base_path: site.home.core.url.clone(),
            language: &config.language,
            contact: &config.contact,
            offline: config.offline,
            worker: if config.offline {
                format!("{worker_scope}{}", paths::SERVICE_WORKER_FILE)
            } else {
                String::new()
            },
            manifest: format!("{worker_scope}{}", paths::MANIFEST_FILE),
            worker_scope,
        },
    );
    ctx.insert("t", &theme.strings);
    let nav: Vec<Link<'_>> = site.topics.iter().map(|t| Link::to(&t.meta.title, &t.core)).collect();
    ctx.insert("nav", &nav);
    let pages: Vec<Link<'_>> = site.pages.iter().map(|p| Link::to(&p.meta.title, &p.core)).collect();
    ctx.insert("footer_pages", &pages);
    ctx.insert("assets", assets);
    ctx.insert("urls", &SiteUrls::new(&site.home.core.url));
    // Which campaign pages exist, for the footer's links.
    ctx.insert("has_help_points", &site.campaign.has_help_points());
    ctx.insert("has_results", &!site.campaign.quarters.is_empty());
    ctx
}

/// A titled link. Mostly borrowed; owned where the title is a UI string or the address is
/// computed (a leaflet's).
#[derive(Serialize)]
pub(super) struct Link<'a> {
    title: Cow<'a, str>,
    url: Cow<'a, str>,
    /// On a translation, the language of a page not yet translated (its title is in it, and
    /// the link leads to it): templates write it as `lang` and `hreflang`.
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
}

impl<'a> Link<'a> {
    pub(super) fn new(title: impl Into<Cow<'a, str>>, url: impl Into<Cow<'a, str>>) -> Self {
        Link { title: title.into(), url: url.into(), lang: None }
    }

    /// A link to a page of the site, titled `title`, marked with its language when it is not
    /// the site's.
    pub(super) fn to(title: &'a str, core: &'a PageCore) -> Self {
        Link { title: title.into(), url: core.url.as_str().into(), lang: core.lang.as_deref() }
    }
}

/// The fields every page's context has, whatever its kind. `page` and `breadcrumbs` are left
/// out, not empty, where a page has none: a theme may ask `is defined`.
#[derive(Serialize, Default)]
pub(super) struct Frame<'a> {
    /// None on the site-wide files (sitemap, feed, robots.txt).
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<PageCtx<'a>>,
    /// The page's own address, compared with the topic menu's; "" when not in it.
    current_url: &'a str,
    /// The address of the topic the page belongs to; "" when none.
    current_topic_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    breadcrumbs: Option<Vec<Link<'a>>>,
    /// The page in every language it exists in, itself included, for `hreflang`; empty on a
    /// site of one language.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alternates: Vec<Version>,
    /// The language switcher: every listed language, leading to this page in it, or to that
    /// language's home page where the page is not translated.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    switcher: Vec<Version>,
}

/// One language's version of a page.
#[derive(Serialize)]
struct Version {
    code: String,
    /// The language's name in itself.
    name: String,
    url: String,
    /// The absolute address, for `<link rel="alternate">`.
    abs: String,
    /// The language of the page being shown.
    current: bool,
}

/// The versions of the page at `url` in every language: a page of the content by its place in
/// the site, one of hocso's own pages by the same address under each language's home.
fn versions<'a>(s: &'a Shared<'_>, url: &str) -> Vec<(&'a LanguageRef, String)> {
    let languages = s.languages;
    if languages.languages.len() < 2 {
        return Vec::new();
    }
    if let Some(&position) = s.positions.get(url) {
        return languages.of(position).into_iter().map(|(l, u)| (l, u.to_owned())).collect();
    }
    let urls = &s.urls;
    let own = [&urls.search, &urls.glossary, &urls.leaflets, &urls.leaflets_all];
    let is_own = own.iter().any(|u| *u == url)
        || s.site.topics.iter().any(|t| url == s.urls.leaflet_pack(&t.core.slug));
    match url.strip_prefix(urls.home.as_str()) {
        Some(rel) if is_own => languages.languages.iter().map(|l| (l, format!("{}{rel}", l.home))).collect(),
        _ => Vec::new(),
    }
}

impl<'a> Frame<'a> {
    /// An HTML page with its title, description and address.
    pub(super) fn page(
        s: &Shared<'_>,
        title: impl Into<Cow<'a, str>>,
        description: impl Into<Cow<'a, str>>,
        url: impl Into<Cow<'a, str>>,
    ) -> Self {
        let url: Cow<'a, str> = url.into();
        let here = &s.site.config.language;
        let versions = versions(s, &url);
        let version = |l: &LanguageRef, url: String| Version {
            abs: s.site.config.absolute(&url),
            code: l.code.clone(),
            name: l.name.clone(),
            url,
            current: &l.code == here,
        };
        // A page in one language has no alternates to announce; the switcher is on every page
        // of a site in several languages (leading home where there is no translation).
        let alternates: Vec<Version> = if versions.len() > 1 {
            versions.iter().map(|(l, u)| version(l, u.clone())).collect()
        } else {
            Vec::new()
        };
        let switcher = if s.languages.languages.len() < 2 {
            Vec::new()
        } else {
            s.languages
                .languages
                .iter()
                .filter(|l| l.listed || &l.code == here)
                .map(|l| {
                    let url = versions.iter().find(|(v, _)| v.code == l.code).map_or(&l.home, |(_, u)| u);
                    version(l, url.clone())
                })
                .collect()
        };
        Frame {
            page: Some(PageCtx::new(s.site, title.into(), description.into(), url)),
            alternates,
            switcher,
            ..Frame::default()
        }
    }

    /// Marks the page's own entry in the topic menu (a topic page's).
    pub(super) fn current(self, url: &'a str) -> Self {
        Frame { current_url: url, ..self }
    }

    /// Marks the topic the page belongs to in the topic menu.
    pub(super) fn in_topic(self, topic_url: &'a str) -> Self {
        Frame { current_topic_url: topic_url, ..self }
    }

    /// The trail above the page: the home page, then `after_home`.
    pub(super) fn breadcrumbs(self, s: &'a Shared<'_>, after_home: Vec<Link<'a>>) -> Self {
        let home = Link::new(s.theme.t("home"), &s.urls.home);
        Frame { breadcrumbs: Some(std::iter::once(home).chain(after_home).collect()), ..self }
    }
}

/// Fields every HTML page has.
#[derive(Serialize)]
struct PageCtx<'a> {
    title: Cow<'a, str>,
    description: Cow<'a, str>,
    url: Cow<'a, str>,
    /// Absolute URL, for `<link rel="canonical">` and Open Graph.
    canonical: String,
}

impl<'a> PageCtx<'a> {
    fn new(site: &Site, title: Cow<'a, str>, description: Cow<'a, str>, url: Cow<'a, str>) -> Self {
        let canonical = site.config.absolute(&url);
        PageCtx { title, description, url, canonical }
    }
}
