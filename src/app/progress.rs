//! The progress bars of a build, drawn on a terminal only: images being processed and lessons
//! being recorded. The build tells [`crate::core::progress`] of each item; this draws it.

use std::io::IsTerminal as _;
use std::sync::Arc;

use crate::core::progress::{Display, Progress, Ticker, Work};

/// Progress bars on standard error, when it is a terminal.
struct Terminal;

/// Where a build started by a person shows its progress: bars on a terminal, nothing when
/// `quiet` or when standard error is not a terminal (a log, CI).
pub fn display(quiet: bool) -> Display {
    if quiet || !std::io::stderr().is_terminal() {
        return Display::default();
    }
    Display::on(Arc::new(Terminal))
}

impl Progress for Terminal {
    fn start(&self, work: Work, total: Option<u64>) -> Box<dyn Ticker> {
        let (bar, template) = match (work, total) {
            (Work::Images, _) | (Work::Recordings, None) => {
                (indicatif::ProgressBar::new_spinner(), "{spinner} {msg} {pos}")
            }
            (Work::Recordings, Some(total)) => (
                indicatif::ProgressBar::new(total),
                "{spinner} Làm bản ghi âm / recording lessons: {pos}/{len} bài, còn khoảng / about {eta} left",
            ),
        };
        bar.set_style(
            indicatif::ProgressStyle::with_template(template)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        match work {
            Work::Images => bar.set_message("Xử lý ảnh / processing images:"),
            Work::Recordings => bar.enable_steady_tick(std::time::Duration::from_millis(200)),
        }
        Box::new(Bar { bar, clear: work == Work::Recordings })
    }
}

/// One stage's bar; a recording bar is cleared when its stage ends.
struct Bar {
    bar: indicatif::ProgressBar,
    clear: bool,
}

impl Ticker for Bar {
    fn tick(&self) {
        self.bar.inc(1);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if self.clear {
            self.bar.finish_and_clear();
        }
    }
}
