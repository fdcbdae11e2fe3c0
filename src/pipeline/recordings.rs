//! The recordings stage: with `[audio] engine` set in site.toml, every lesson without a
//! recording of its own (`audio = "…"`) gets one, said from its spoken text
//! ([`crate::pipeline::speech`]) by [`crate::assets::audio`], and published beside its page.
//!
//! A missing engine is a warning, never a failure: the site is built without recordings and the
//! pages show none. A lesson whose recording fails is published without one, with a warning.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::assets::audio::{Engine, Synthesiser};
use crate::assets::theme::{Labels, Theme};
use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::paths;
use crate::pipeline::assemble::Site;
use crate::pipeline::speech::{Speech, unsayable};
use crate::pipeline::write::CopyFile;

/// Each lesson's spoken text when the site asks for recordings (`None` for a lesson with its
/// own), and a warning for each lesson whose text holds characters the engine cannot say. An
/// empty list when the site asks for none (or the theme's speech file is broken: its error).
pub fn spoken_texts(site: &Site, theme: &Theme, labels: &Labels) -> (Vec<Option<String>>, Vec<Diagnostic>) {
    let config = &site.config;
    if config.audio.engine.is_none() {
        return (Vec::new(), Vec::new());
    }
    let speech = match Speech::load(theme, &config.language, &config.audio.words) {
        Ok(speech) => speech,
        Err(d) => return (Vec::new(), vec![d]),
    };
    let texts: Vec<Option<String>> = site
        .lessons
        .par_iter()
        .map(|l| {
            let own =
                l.meta.audio.is_some() || l.bundle_files.iter().any(|f| f.name == paths::RECORDING_FILE);
            let urgent = config.urgent_help.as_ref().filter(|u| u.applies_to(&l.meta.tags));
            let intro = urgent.map(|u| speech.urgent_help(theme, u)).unwrap_or_default();
            (!own).then(|| speech.lesson(labels, &l.meta.title, &intro, &l.meta.summary, &l.core.body))
        })
        .collect();
    let warnings: Vec<Diagnostic> = site
        .lessons
        .iter()
        .zip(&texts)
        .filter_map(|(l, text)| {
            let chars = unsayable(text.as_deref()?);
            let list = chars.iter().map(|c| format!("“{c}”")).collect::<Vec<_>>().join(", ");
            (!chars.is_empty()).then(|| Diagnostic::warning(&l.core.path, 0, 0, Problem::Unsayable(list)))
        })
        .collect();
    (texts, warnings)
}

/// Makes (or finds in the cache) the recording of every lesson that gets one, in parallel, and
/// sets it on the lesson. Problems become warnings of the build. Returns the synthesiser, to
/// prune its cache once the build succeeded; `None` when no recordings were asked for or the
/// engine is missing.
pub fn record(
    site: &mut Site,
    spoken: &[Option<String>],
    warnings: &mut Vec<Diagnostic>,
    progress: bool,
) -> Option<Synthesiser> {
    if spoken.iter().all(Option::is_none) {
        return None;
    }
    let engine = match Engine::find() {
        Ok(engine) => engine,
        Err(program) => {
            let line = std::fs::read_to_string(site.root.join(paths::CONFIG_FILE))
                .ok()
                .and_then(|t| t.lines().position(|l| l.trim() == "[audio]"))
                .map_or(0, |i| i + 1);
            let warning =
                Diagnostic::warning(paths::CONFIG_FILE, line, 0, Problem::AudioEngineMissing(program));
            warnings.push(warning);
            return None;
        }
    };
    let synthesiser = Synthesiser::new(&site.root, engine);
    let voice = site.config.language.clone();
    let jobs: Vec<(usize, &str)> =
        spoken.iter().enumerate().filter_map(|(i, t)| Some((i, t.as_deref()?))).collect();
    // The cache is asked first, so the progress bar counts only the lessons that need work.
    let cached: Vec<_> = jobs.par_iter().map(|&(i, text)| (i, synthesiser.cached(text, &voice))).collect();
    let missing: Vec<(usize, &str)> =
        jobs.iter().zip(&cached).filter(|(_, (_, c))| c.is_none()).map(|(job, _)| *job).collect();
    let bar = progress_bar(progress, missing.len());
    // External programs, one per core at most (rayon's pool): each lesson takes well under a
    // second, and a 2-core machine stays usable.
    let made: Vec<_> = missing
        .par_iter()
        .map(|&(i, text)| {
            let result = synthesiser.get(text, &voice);
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            (i, result)
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for (i, found) in cached {
        site.lessons[i].recording = found;
    }
    for (i, result) in made {
        match result {
            Ok(recording) => site.lessons[i].recording = Some(recording),
            Err(why) => {
                let path = site.lessons[i].core.path.clone();
                warnings.push(Diagnostic::warning(path, 0, 0, Problem::AudioFailed(why)));
            }
        }
    }
    Some(synthesiser)
}

/// Every lesson's recording, copied from the cache beside its page.
pub fn copies(site: &Site) -> Vec<CopyFile> {
    let base = site.config.base_path();
    site.lessons
        .iter()
        .filter_map(|l| {
            let recording = l.recording.as_ref()?;
            let to: PathBuf = paths::output_dir(&base, &paths::recording_url(&l.core.url));
            Some(CopyFile { from: recording.file.clone(), to })
        })
        .collect()
}

/// "Làm bản ghi âm: 3/16 bài, còn khoảng 5 giây" on a terminal, when there is work to show.
fn progress_bar(progress: bool, len: usize) -> Option<indicatif::ProgressBar> {
    if !progress || len == 0 || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} Làm bản ghi âm / recording lessons: {pos}/{len} bài, còn khoảng / about {eta} left",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    Some(bar)
}
