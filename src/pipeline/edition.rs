//! Editions: the site in each of its languages, each a finished [`Site`] with its theme, its
//! rendered Markdown and its spoken texts.
//!
//! An edition is one language of one site (a province adds the commune as a second key). The
//! default language comes first; every other stage of the build is one loop over
//! [`Editions::all`]. A page a translation has not translated stands in as itself at the same
//! position, so position `n` of [`Site::every_page`] is the same page in every edition.
//!
//! [`prepare`] is the staged constructor. Each stage returns finished values; none writes into
//! what an earlier one made:
//! 1. **read**: the content is loaded and parsed while every edition's theme and glossary are
//!    read alongside (they do not depend on the content);
//! 2. **arrange**: the default language's pages into topics, lessons and addresses, its
//!    campaign data made from its lessons inside the constructor ([`assemble`]), then each
//!    translation over them ([`translate`]), each a finished [`Site`];
//! 3. **link**: where each page is in every edition ([`Alternates`]), made once from all the
//!    sites and handed to each [`Edition`] as it is made;
//! 4. **spoken texts** (before the sources may be dropped), **Markdown** to HTML
//!    ([`contents`]) and the **checks** that need it ([`checks`]), one edition after another.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::assets::images::Processor;
use crate::assets::theme::{self, Theme};
use crate::core::diagnostic::{self, Diagnostic, Problem};
use crate::core::ids::{LessonId, Table};
use crate::pipeline::assemble::{self, Alternates, LanguageRef, Lesson, Site};
use crate::pipeline::campaign::Campaign;
use crate::pipeline::config::Config;
use crate::pipeline::glossary::Glossary;
use crate::pipeline::markdown::{Contents, Env};
use crate::pipeline::{campaign, checks, config, contents, load, parse, recordings, translate};

/// One language of the site, ready to render.
pub struct Edition {
    pub site: Site,
    /// The theme with this language's UI strings.
    pub theme: Theme,
    /// Every page's Markdown as HTML, indexed like [`Edition::site`].
    pub contents: Contents,
    /// Each lesson's spoken text, when it gets a recording made at build time.
    pub spoken: Table<LessonId, Option<String>>,
    /// Where each page is in every edition (the switcher, `hreflang`, the sitemap); one list
    /// shared by all the editions of a build.
    pub languages: Arc<Alternates>,
}

/// Every edition of the site, read, checked and rendered to Markdown, not yet put into
/// templates.
pub struct Editions {
    /// The default language first, then site.toml's `[languages.<code>]` in order.
    pub all: Vec<Edition>,
    pub warnings: Vec<Diagnostic>,
    pub images: Processor,
}

impl Editions {
    /// The edition in the site's own language.
    pub fn default_edition(&self) -> &Edition {
        &self.all[0]
    }
}

/// Whether the prepared site keeps each lesson's Markdown source after rendering it to HTML.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sources {
    /// Kept: `hocso serve` tells an edit from a save without change by them, `hocso check`
    /// lints them.
    Keep,
    /// Dropped one by one as each is rendered (a build that ends the process): on a large site
    /// the sources are as large as their HTML, and holding both was a build's peak memory.
    Drop,
}

/// What one edition is made from before its pages are arranged: its settings, its pages as
/// parsed, its theme and its glossary.
struct Source {
    config: Config,
    pages: Vec<parse::Parsed>,
    theme: Result<Theme, Vec<Diagnostic>>,
    glossary: Result<Glossary, Vec<Diagnostic>>,
}

/// Reads and checks everything; returns every problem found if any is an error.
///
/// `images` decides what happens to images: processed into the cache for a build, or only
/// checked ([`Processor::checking`]) for `hocso check`.
pub fn prepare(
    root: &Path,
    drafts: bool,
    images: Processor,
    sources: Sources,
) -> Result<Editions, Vec<Diagnostic>> {
    let mut problems: Vec<Diagnostic> = Vec::new();
    let config = config::load(root).unwrap_or_else(|d| {
        problems.push(d);
        Config::placeholder()
    });
    let (read, editions) = read(root, config, &mut problems);
    let sites = arrange(root, &read, editions, drafts, &mut problems)
        .ok_or_else(|| finish(std::mem::take(&mut problems)))?;
    let languages = alternates(&sites);
    let mut all = Vec::with_capacity(sites.len());
    for (site, theme) in sites {
        all.push(edition(site, theme, languages.clone(), &images, sources, &mut problems));
    }
    let (original, translations) = (&all[0], &all[1..]);
    let labels = original.theme.labels();
    let env = Env { site: &original.site, labels: &labels, images: &images };
    problems.extend(checks::unparsed(&env, &read.unparsed, &read.unparsed_bundles));
    problems.extend(checks::edition(&original.site, &original.contents, None));
    for e in translations {
        problems.extend(checks::edition(&e.site, &e.contents, Some((&original.site, &original.contents))));
    }
    let warnings = finish(problems);
    if diagnostic::has_errors(&warnings) {
        return Err(warnings);
    }
    Ok(Editions { all, warnings, images })
}

/// What reading the content gave besides the editions' sources.
struct Read {
    bundle_files: Vec<load::BundleFile>,
    topic_dirs: Vec<String>,
    /// Files whose front matter failed, kept to check their Markdown.
    unparsed: Vec<checks::Unparsed>,
    unparsed_bundles: Vec<load::BundleFile>,
}

/// Stage 1: the content loaded and parsed, and every edition's theme and glossary read
/// alongside it: parsing the templates alone takes one core ~15 ms, while the other would wait.
fn read(root: &Path, config: Config, problems: &mut Vec<Diagnostic>) -> (Read, Vec<Source>) {
    let codes: Vec<String> = config.languages.keys().cloned().collect();
    let configs: Vec<Config> =
        std::iter::once(config.clone()).chain(codes.iter().map(|c| config.for_language(c))).collect();
    let ((mut loaded, parsed), themed) = rayon::join(
        || {
            let mut loaded = load::load(root, &codes);
            let parsed = parse_sources(std::mem::take(&mut loaded.sources));
            (loaded, parsed)
        },
        || {
            configs
                .par_iter()
                .map(|c| {
                    let own = (c.language != config.language).then_some(c.language.as_str());
                    (theme::load(root, &c.theme, &c.language, &config.language), Glossary::load(root, own))
                })
                .collect::<Vec<_>>()
        },
    );
    problems.append(&mut loaded.diagnostics);
    // Most pages are the default language's: room for all of them at once, not grown by doubling
    // (ten thousand parsed pages are megabytes, and a doubling holds both copies for a moment).
    let mut pages: Vec<Vec<parse::Parsed>> = configs.iter().map(|_| Vec::new()).collect();
    pages[0].reserve_exact(parsed.len());
    let mut unparsed = Vec::new();
    for (result, body) in parsed {
        match result {
            Ok(page) => {
                let at = page
                    .lang
                    .as_ref()
                    .map_or(Some(0), |code| codes.iter().position(|c| c == code).map(|i| i + 1));
                if let Some(at) = at {
                    pages[at].push(page);
                }
            }
            Err(d) => problems.extend(d),
        }
        unparsed.extend(body);
    }
    let unparsed_bundles: Vec<load::BundleFile> = loaded
        .bundle_files
        .iter()
        .filter(|f| unparsed.iter().any(|u: &checks::Unparsed| u.path == f.lesson))
        .cloned()
        .collect();
    let sources = configs
        .into_iter()
        .zip(pages)
        .zip(themed)
        .map(|((config, pages), (theme, glossary))| Source { config, pages, theme, glossary })
        .collect();
    let read =
        Read { bundle_files: loaded.bundle_files, topic_dirs: loaded.topic_dirs, unparsed, unparsed_bundles };
    (read, sources)
}

/// Parses every source's front matter, in parallel. A file whose front matter is wrong still
/// has its Markdown checked later, so one run shows every problem of the file, not the first
/// one only: only such a file keeps a copy of its body.
fn parse_sources(sources: Vec<load::Source>) -> Vec<(Parsing, Option<checks::Unparsed>)> {
    sources
        .into_par_iter()
        .map(|source| {
            let result = parse::parse(&source);
            let unparsed = result.as_ref().err().and_then(|_| {
                let split = parse::split(&source.path, &source.text).ok()?;
                Some(checks::Unparsed {
                    path: source.path.clone(),
                    body: split.body.to_owned(),
                    body_line: split.body_line,
                })
            });
            (result, unparsed)
        })
        .collect()
}

/// What reading one file's front matter gave.
type Parsing = Result<parse::Parsed, Vec<Diagnostic>>;

/// Stage 2: the default language's pages arranged into a site (with the campaign's data,
/// made from its lessons), then each translation over it, each with its theme. `None` when the
/// default language cannot be arranged or has no theme (its problems are in `problems`); a
/// translation that cannot be made is left out, its problems reported.
fn arrange(
    root: &Path,
    read: &Read,
    sources: Vec<Source>,
    drafts: bool,
    problems: &mut Vec<Diagnostic>,
) -> Option<Vec<(Site, Theme)>> {
    let mut sources = sources.into_iter();
    let first = sources.next()?;
    let glossary = first.glossary.unwrap_or_else(|d| {
        problems.extend(d);
        Glossary::default()
    });
    let theme = first.theme.map_err(|d| problems.extend(d)).ok();
    let mut campaign_problems = Vec::new();
    let campaign = Box::new(|lessons: &Table<LessonId, Lesson>| {
        load_campaign(root, &first.config, lessons).unwrap_or_else(|d| {
            campaign_problems = d;
            Campaign::default()
        })
    });
    let input = assemble::Input {
        config: first.config.clone(),
        root,
        pages: first.pages,
        bundle_files: &read.bundle_files,
        topic_dirs: &read.topic_dirs,
        glossary,
        drafts,
    };
    let site = assemble::assemble(input, campaign);
    problems.append(&mut campaign_problems);
    let site = site.map_err(|d| problems.extend(d)).ok()?;
    let mut all = vec![(site, theme?)];
    for source in sources {
        if let Some(made) = arrange_translation(&all[0].0, source, drafts, problems) {
            all.push(made);
        }
    }
    Some(all)
}

/// One more language over the default one: its theme strings, its glossary and its pages over
/// the site's own. `None` when one of its problems stops this language.
fn arrange_translation(
    original: &Site,
    source: Source,
    drafts: bool,
    problems: &mut Vec<Diagnostic>,
) -> Option<(Site, Theme)> {
    let code = source.config.language.clone();
    let theme = source.theme.map_err(|d| problems.extend(d)).ok();
    if let Some(theme) = &theme
        && !theme.missing_strings.is_empty()
    {
        let file = theme.origin.join("i18n").join(format!("{code}.toml"));
        let problem = Problem::MissingUiStrings { lang: code.clone(), keys: theme.missing_strings.clone() };
        problems.push(Diagnostic::warning(file, 0, 0, problem));
    }
    let glossary = source.glossary.unwrap_or_else(|d| {
        problems.extend(d);
        Glossary::default()
    });
    let (result, warnings) = translate::translate(original, source.config, source.pages, glossary, drafts);
    problems.extend(warnings);
    let translated = result.map_err(|d| problems.extend(d)).ok()?;
    Some((translated, theme?))
}

/// Stage 3: where each page is in every edition (switcher, `hreflang`, sitemap), made from
/// the arranged editions, one list for all of them.
fn alternates(sites: &[(Site, Theme)]) -> Arc<Alternates> {
    let config = &sites[0].0.config;
    let languages: Vec<LanguageRef> = config
        .language_codes()
        .into_iter()
        .map(|code| LanguageRef {
            name: config.language_name(&code),
            home: config.language_base(&code),
            listed: config.languages.get(&code).is_none_or(|l| l.listed),
            code,
        })
        .collect();
    let all: Vec<&Site> = sites.iter().map(|(s, _)| s).collect();
    Arc::new(Alternates::new(languages, &all))
}

/// The help points and quarterly results, their lesson links resolved against the lessons.
fn load_campaign(
    root: &Path,
    config: &Config,
    lessons: &Table<LessonId, Lesson>,
) -> Result<Campaign, Vec<Diagnostic>> {
    let today = campaign::today().map_err(|d| vec![d])?;
    let lessons: Vec<campaign::LessonRef> = lessons
        .iter()
        .map(|l| campaign::LessonRef {
            source: l
                .core
                .path
                .strip_prefix(crate::core::paths::CONTENT_DIR)
                .unwrap_or(&l.core.path)
                .to_string_lossy()
                .replace('\\', "/"),
            url: l.core.url.clone(),
            title: l.meta.title.clone(),
        })
        .collect();
    campaign::load(root, config, &lessons, today)
}

/// Stage 4, for one edition: the spoken texts (made from the sources, so before they may be
/// dropped), then every page's Markdown as HTML.
fn edition(
    mut site: Site,
    theme: Theme,
    languages: Arc<Alternates>,
    images: &Processor,
    sources: Sources,
    problems: &mut Vec<Diagnostic>,
) -> Edition {
    let labels = theme.labels();
    let (spoken, unsayable) = recordings::spoken_texts(&site, &theme, &labels);
    problems.extend(unsayable);
    let bodies = match sources {
        Sources::Keep => Table::default(),
        Sources::Drop => site.take_lesson_bodies(),
    };
    let contents = contents::render(&site, &labels, images, bodies);
    Edition { site, theme, contents, spoken, languages }
}

/// The problems sorted as they are shown, duplicates dropped.
pub fn finish(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostic::sort(&mut problems);
    problems.dedup();
    problems
}
