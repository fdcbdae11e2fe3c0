//! The campaign's own data, read beside the lessons: the mobile help points ("Bình dân học vụ số
//! lưu động", `data/diem-ho-tro.toml` or `.csv`, and the older `[[help_points]]` of site.toml)
//! and the quarterly results per village (`data/ket-qua/<year>-q<n>.csv`).
//!
//! Staff keep both in spreadsheets, so the CSV reader takes what Excel writes (a byte-order mark,
//! `;` between cells, CRLF, headers with or without diacritics), and every mistake is reported on
//! its file, line and column with the fix, like a mistake in a lesson.

pub mod charts;
pub mod helppoints;
pub mod ics;
pub mod results;
mod table;

use std::path::Path;

use chrono::NaiveDate;

use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::text::{fold, slugify};
use crate::pipeline::config::Config;

pub use helppoints::{HelpPoint, LessonRef};
pub use results::{Quarter, Row, TARGETS, Target};

/// The environment variable that sets the build date (`2026-11-30`): which help points are
/// still to come, and the `DTSTAMP` of the calendars. Tests set it so a build is the same on any
/// day; unset, the date is today's in Vietnam.
pub const TODAY_VAR: &str = "HOCSO_TODAY";

/// Everything the campaign pages show.
#[derive(Debug, Default)]
pub struct Campaign {
    /// The build date: help points on it or later are "upcoming".
    pub today: NaiveDate,
    /// Every help point, soonest first.
    pub help_points: Vec<HelpPoint>,
    /// The villages, as first spelt, in the order of the results (then of the help points).
    pub villages: Vec<Village>,
    /// The quarters, oldest first.
    pub quarters: Vec<Quarter>,
}

/// A village (thôn) and the last part of its pages' addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Village {
    pub name: String,
    pub slug: String,
}

impl Campaign {
    /// Whether there is anything for the help-point pages to show.
    pub fn has_help_points(&self) -> bool {
        !self.help_points.is_empty()
    }

    /// The help points from the build date on, soonest first.
    pub fn upcoming(&self) -> impl Iterator<Item = &HelpPoint> {
        self.help_points.iter().filter(|p| p.date >= self.today)
    }

    /// The village named `name` (as spelt in the data).
    pub fn village(&self, name: &str) -> Option<&Village> {
        self.villages.iter().find(|v| v.name == name)
    }
}

/// The build date: [`TODAY_VAR`] when set and valid, else today in Vietnam (UTC+7, which has no
/// summer time), whatever the time zone of the machine that builds.
pub fn today() -> Result<NaiveDate, Diagnostic> {
    match std::env::var(TODAY_VAR) {
        Ok(written) => NaiveDate::parse_from_str(written.trim(), "%Y-%m-%d").map_err(|_| {
            Diagnostic::error(
                TODAY_VAR,
                0,
                0,
                Problem::CampaignBadCell {
                    column: TODAY_VAR.into(),
                    value: written,
                    kind: crate::core::diagnostic::CellKind::Date,
                },
            )
        }),
        Err(_) => Ok((chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()),
    }
}

/// Reads the help points and the results under `root`. `lessons` are the site's lessons, for the
/// help points' links; every problem found is returned, not only the first.
pub fn load(
    root: &Path,
    config: &Config,
    lessons: &[LessonRef],
    today: NaiveDate,
) -> Result<Campaign, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let quarters = results::load(root).unwrap_or_else(|d| {
        problems.extend(d);
        Vec::new()
    });
    let help_points = helppoints::load(root, config, lessons).unwrap_or_else(|d| {
        problems.extend(d);
        Vec::new()
    });
    let mut villages: Vec<(Village, std::path::PathBuf)> = Vec::new();
    let mut note = |name: &str, file: &Path, line: usize, column: usize, problems: &mut Vec<Diagnostic>| {
        let key = fold(name.trim());
        match villages.iter().find(|(v, _)| fold(&v.name) == key || v.slug == slugify(name)) {
            Some((v, _)) if v.name == name => {}
            Some((v, first)) => problems.push(Diagnostic::error(
                file,
                line,
                column,
                Problem::CampaignVillageSpelling {
                    written: name.into(),
                    earlier: v.name.clone(),
                    file: first.as_path().into(),
                },
            )),
            None => villages.push((Village { name: name.into(), slug: slugify(name) }, file.to_path_buf())),
        }
    };
    for q in &quarters {
        for row in &q.rows {
            note(&row.village, &q.file, row.line, row.village_column, &mut problems);
        }
    }
    for p in help_points.iter().filter(|p| !p.village.is_empty()) {
        note(&p.village, &p.file, p.line, p.village_column, &mut problems);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Campaign { today, help_points, villages: villages.into_iter().map(|(v, _)| v).collect(), quarters })
}

/// A whole number the Vietnamese way: `1234` → `1.234`.
pub fn format_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `count` out of `of` in thousandths, cut (not rounded); 0 of nobody is 0.
pub fn permille(count: u64, of: u64) -> u64 {
    count.saturating_mul(1000).checked_div(of).unwrap_or(0)
}

/// A share the Vietnamese way, to one decimal, cut (not rounded) so that 99,96 % never shows as a
/// reached 100 %: `0.853` → `85,3 %`, `0.92` → `92 %`.
pub fn format_percent(count: u64, of: u64) -> String {
    let tenths = permille(count, of);
    let (whole, tenth) = (tenths / 10, tenths % 10);
    if tenth == 0 { format!("{whole}\u{a0}%") } else { format!("{whole},{tenth}\u{a0}%") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_the_vietnamese_way() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1234), "1.234");
        assert_eq!(format_count(1_234_567), "1.234.567");
        assert_eq!(format_percent(853, 1000), "85,3\u{a0}%");
        assert_eq!(format_percent(92, 100), "92\u{a0}%");
        assert_eq!(format_percent(9996, 10000), "99,9\u{a0}%", "never rounded up to a reached target");
        assert_eq!(format_percent(5, 0), "0\u{a0}%");
    }
}
