//! The recordings stage: with `[audio] engine` set in site.toml, every lesson without a
//! recording of its own (`audio = "…"`) gets one, said from its spoken text
//! ([`crate::pipeline::speech`]) by [`crate::assets::audio`], and published beside its page.
//!
//! A missing engine is a warning, never a failure: the site is built without recordings and the
//! pages show none. A lesson whose recording fails is published without one, with a warning.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::assets::audio::{Engine, Recording, Synthesiser};
use crate::assets::theme::{Labels, Theme};
use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::ids::{LessonId, Table};
use crate::core::paths;
use crate::core::progress::{Display, Work};
use crate::pipeline::assemble::Site;
use crate::pipeline::speech::{Speech, unsayable};
use crate::pipeline::write::CopyFile;

/// Each edition's lessons' recordings, in the order of its lessons (`None` for a lesson without; an
/// empty list when the build makes none).
pub type Recordings = Vec<Table<LessonId, Option<Recording>>>;

/// Each lesson's spoken text when the site asks for recordings (`None` for a lesson with its
/// own), and a warning for each lesson whose text holds characters the engine cannot say. An
/// empty list when the site asks for none (or the theme's speech file is broken: its error).
pub fn spoken_texts(
    site: &Site,
    theme: &Theme,
    labels: &Labels,
) -> (Table<LessonId, Option<String>>, Vec<Diagnostic>) {
    let config = &site.config;
    if config.audio.engine.is_none() {
        return (Table::default(), Vec::new());
    }
    let speech = match Speech::load(theme, &config.language, &config.audio.words) {
        Ok(speech) => speech,
        Err(d) => return (Table::default(), vec![d]),
    };
    let texts: Table<LessonId, Option<String>> = site
        .lessons
        .as_slice()
        .par_iter()
        .map(|l| {
            // A translation's untranslated lessons are the original's pages, recorded there.
            if l.core.lang.is_some() {
                return None;
            }
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

/// The synthesiser of this build, shared by every language (one cache, pruned once); `None`
/// when no recordings were asked for or the engine is missing (then one warning says so).
pub fn synthesiser(root: &Path, wanted: bool, warnings: &mut Vec<Diagnostic>) -> Option<Synthesiser> {
    if !wanted {
        return None;
    }
    let engine = match Engine::find() {
        Ok(engine) => engine,
        Err(program) => {
            let line = std::fs::read_to_string(root.join(paths::CONFIG_FILE))
                .ok()
                .and_then(|t| t.lines().position(|l| l.trim() == "[audio]"))
                .map_or(0, |i| i + 1);
            let warning =
                Diagnostic::warning(paths::CONFIG_FILE, line, 0, Problem::AudioEngineMissing(program));
            warnings.push(warning);
            return None;
        }
    };
    Some(Synthesiser::new(root, engine))
}

/// Makes (or finds in the cache) the recording of every lesson of `site` that gets one, in
/// parallel, in the voice of the site's language: each lesson's recording, in the order of
/// the site's lessons. Problems become warnings of the build.
pub fn record(
    synthesiser: &Synthesiser,
    site: &Site,
    spoken: &Table<LessonId, Option<String>>,
    warnings: &mut Vec<Diagnostic>,
    progress: &Display,
) -> Table<LessonId, Option<Recording>> {
    let voice = &site.config.language;
    let jobs: Vec<(LessonId, &str)> =
        spoken.enumerate().filter_map(|(i, t)| Some((i, t.as_deref()?))).collect();
    // The cache is asked first, so the progress bar counts only the lessons that need work.
    let cached: Vec<_> = jobs.par_iter().map(|&(i, text)| (i, synthesiser.cached(text, voice))).collect();
    let missing: Vec<(LessonId, &str)> =
        jobs.iter().zip(&cached).filter(|(_, (_, c))| c.is_none()).map(|(job, _)| *job).collect();
    let ticker =
        (!missing.is_empty()).then(|| progress.start(Work::Recordings, Some(missing.len() as u64))).flatten();
    // External programs, one per core at most (rayon's pool): each lesson takes well under a
    // second, and a 2-core machine stays usable.
    let made: Vec<_> = missing
        .par_iter()
        .map(|&(i, text)| {
            let result = synthesiser.get(text, voice);
            if let Some(ticker) = &ticker {
                ticker.tick();
            }
            (i, result)
        })
        .collect();
    drop(ticker);
    let mut recordings: Table<LessonId, Option<Recording>> = site.lessons.iter().map(|_| None).collect();
    for (i, found) in cached {
        recordings[i] = found;
    }
    for (i, result) in made {
        match result {
            Ok(recording) => recordings[i] = Some(recording),
            Err(why) => {
                let path = site.lessons[i].core.path.clone();
                warnings.push(Diagnostic::warning(path, 0, 0, Problem::AudioFailed(why)));
            }
        }
    }
    recordings
}

/// Every lesson's recording, copied from the cache beside its page.
pub fn copies(site: &Site, recordings: &Table<LessonId, Option<Recording>>) -> Vec<CopyFile> {
    let base = site.config.base_path();
    site.lessons
        .iter()
        .zip(recordings)
        .filter_map(|(l, recording)| {
            let recording = recording.as_ref()?;
            let to: PathBuf = paths::output_dir(&base, &paths::recording_url(&l.core.url));
            Some(CopyFile { from: recording.file.clone(), to })
        })
        .collect()
}
