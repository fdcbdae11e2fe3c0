//! How a long stage says how far it has come without knowing who shows it: the build reports
//! each item done, `app::progress` draws a bar on a terminal (and nothing elsewhere).

use std::sync::Arc;

/// The long stages a progress display may show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    /// Images decoded and resized (how many is not known in advance: they are found as pages
    /// are rendered).
    Images,
    /// Lesson recordings made by the speech engine.
    Recordings,
}

/// Shows the progress of long stages.
pub trait Progress: Send + Sync {
    /// `work` starts with `total` items when known; the returned ticker is told of each one done
    /// and dropped when the stage ends.
    fn start(&self, work: Work, total: Option<u64>) -> Box<dyn Ticker>;
}

/// The progress of one stage.
pub trait Ticker: Send + Sync {
    /// One more item done.
    fn tick(&self);
}

/// Where a build shows its progress: nowhere (the default, for tests and `--quiet`) or on a
/// [`Progress`] display.
#[derive(Clone, Default)]
pub struct Display(Option<Arc<dyn Progress>>);

impl Display {
    /// Progress shown on `display`.
    pub fn on(display: Arc<dyn Progress>) -> Display {
        Display(Some(display))
    }

    /// The ticker of a stage of `work` with `total` items; `None` when nothing is shown.
    pub fn start(&self, work: Work, total: Option<u64>) -> Option<Box<dyn Ticker>> {
        self.0.as_ref().map(|p| p.start(work, total))
    }
}

impl std::fmt::Debug for Display {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Display(shown)" } else { "Display(hidden)" })
    }
}
