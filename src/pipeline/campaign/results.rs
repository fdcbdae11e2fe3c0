//! The quarterly results: `data/ket-qua/<year>-q<n>.csv`, one row per village, and the three
//! targets of 2026 they are measured against.

use std::path::{Path, PathBuf};

use crate::core::diagnostic::{Diagnostic, Problem};
use crate::pipeline::campaign::table::Table;

/// The results folder, from the site root.
pub const RESULTS_DIR: &str = "data/ket-qua";

/// The columns of a results file, by key, in the order of [`Row::counts`].
pub const COLUMNS: [&str; 8] = [
    "thon",
    "so_nguoi_lon",
    "nguoi_duoc_huong_dan",
    "ho_so_truc_tuyen",
    "chu_ky_so",
    "nguoi_co_ky_nang_so",
    "nguoi_co_dien_thoai_thong_minh",
    "nguoi_co_tai_khoan_thanh_toan",
];

/// A target of the plan: a share of adults, reached when the count is at least (`strict`:
/// more than) `percent` of them.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// Which count of [`Row::counts`] it measures.
    pub count: usize,
    pub percent: u64,
    pub strict: bool,
    /// Key of its name among the theme's UI strings.
    pub label_key: &'static str,
}

impl Target {
    /// The fewest people that reach the target among `adults`.
    pub fn needed(&self, adults: u64) -> u64 {
        if self.strict {
            adults.saturating_mul(self.percent) / 100 + 1
        } else {
            adults.saturating_mul(self.percent).div_ceil(100)
        }
        .min(adults.max(1))
    }

    /// How many more people it takes to reach the target; 0 when reached.
    pub fn missing(&self, count: u64, adults: u64) -> u64 {
        if adults == 0 {
            return 0;
        }
        self.needed(adults).saturating_sub(count)
    }
}

/// The targets of 2026: every adult with basic digital skills, more than 85 % with a
/// smartphone, more than half with an electronic payment account.
pub const TARGETS: [Target; 3] = [
    Target { count: 5, percent: 100, strict: false, label_key: "results_target_skills" },
    Target { count: 6, percent: 85, strict: true, label_key: "results_target_smartphone" },
    Target { count: 7, percent: 50, strict: true, label_key: "results_target_payment" },
];

/// One village in one quarter.
#[derive(Debug, Clone)]
pub struct Row {
    pub village: String,
    /// The counts in the order of [`COLUMNS`] after `thon`: adults, guided, applications,
    /// signatures, with skills, with a smartphone, with a payment account. Index 0 is adults.
    pub counts: [u64; 7],
    /// Where the row is, for messages.
    pub line: usize,
    pub village_column: usize,
}

impl Row {
    /// The number of adults.
    pub fn adults(&self) -> u64 {
        self.counts[0]
    }

    /// Count `i` of [`COLUMNS`] (1 = adults … 7 = payment accounts); `i` counts `thon` as 0.
    pub fn count(&self, column: usize) -> u64 {
        self.counts.get(column.wrapping_sub(1)).copied().unwrap_or(0)
    }
}

/// One quarter's file.
#[derive(Debug, Clone)]
pub struct Quarter {
    pub year: i32,
    pub quarter: u8,
    /// Relative to the site root.
    pub file: PathBuf,
    /// The file as published, for download.
    pub bytes: Vec<u8>,
    pub rows: Vec<Row>,
}

impl Quarter {
    /// `2026-q4`: the last part of the quarter's addresses.
    pub fn slug(&self) -> String {
        format!("{}-q{}", self.year, self.quarter)
    }

    /// The sum of count `column` over the villages.
    pub fn total(&self, column: usize) -> u64 {
        self.rows.iter().map(|r| r.count(column)).sum()
    }
}

/// `2026-q1.csv` → (2026, 1).
fn quarter_of(name: &str) -> Option<(i32, u8)> {
    let stem = name.strip_suffix(".csv")?;
    let (year, q) = stem.split_once("-q")?;
    let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
    let q: u8 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
    Some((year, q))
}

/// Every quarter under `root/data/ket-qua/`, oldest first; none when the folder is absent.
pub fn load(root: &Path) -> Result<Vec<Quarter>, Vec<Diagnostic>> {
    let dir = root.join(RESULTS_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(Vec::new()) };
    let mut names: Vec<String> =
        entries.flatten().filter_map(|e| e.file_name().to_str().map(str::to_owned)).collect();
    names.sort();
    let mut quarters = Vec::new();
    let mut problems = Vec::new();
    for name in names.iter().filter(|n| !n.starts_with('.')) {
        let file = Path::new(RESULTS_DIR).join(name);
        let Some((year, quarter)) = quarter_of(name) else {
            problems.push(Diagnostic::error(
                &file,
                0,
                0,
                Problem::CampaignBadFile(format!(
                    "{name} (<năm>-q<quý>.csv / <year>-q<quarter>.csv, 2026-q1.csv)"
                )),
            ));
            continue;
        };
        match read_quarter(root, &file, year, quarter) {
            Ok(q) => quarters.push(q),
            Err(d) => problems.extend(d),
        }
    }
    if problems.is_empty() { Ok(quarters) } else { Err(problems) }
}

/// One results file, every problem in it.
fn read_quarter(root: &Path, file: &Path, year: i32, quarter: u8) -> Result<Quarter, Vec<Diagnostic>> {
    let table = Table::read(root, file)?;
    let columns: Vec<Result<usize, Diagnostic>> = COLUMNS.iter().map(|c| table.column(c)).collect();
    let missing: Vec<Diagnostic> = columns.iter().filter_map(|c| c.as_ref().err().cloned()).collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let columns: Vec<usize> = columns.into_iter().flatten().collect();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (line, cells) in &table.rows {
        let village = cells.get(columns[0]).cloned().unwrap_or_default();
        let mut counts = [0u64; 7];
        for (i, &col) in columns.iter().enumerate().skip(1) {
            match table.count(*line, cells, col) {
                Ok(n) => counts[i - 1] = n,
                Err(d) => problems.push(d),
            }
        }
        for (i, &col) in columns.iter().enumerate().skip(2) {
            if counts[i - 1] > counts[0] {
                problems.push(table.error_at(
                    *line,
                    col,
                    Problem::CampaignCountOverAdults {
                        column: table.header(col).to_owned(),
                        count: counts[i - 1],
                        adults: counts[0],
                    },
                ));
            }
        }
        if village.is_empty() {
            problems.push(table.error_at(*line, columns[0], Problem::MissingKey(COLUMNS[0].into())));
        }
        let village_column = table.cell_column(*line, columns[0]);
        rows.push(Row { village, counts, line: *line, village_column });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Quarter { year, quarter, file: file.to_path_buf(), bytes: table.bytes, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_count_the_people_still_missing() {
        let [skills, phone, pay] = TARGETS;
        assert_eq!(skills.missing(988, 1000), 12);
        assert_eq!(skills.missing(1000, 1000), 0);
        assert_eq!(phone.missing(850, 1000), 1, "85 % is not more than 85 %");
        assert_eq!(phone.missing(851, 1000), 0);
        assert_eq!(pay.missing(500, 1000), 1);
        assert_eq!(pay.missing(2, 3), 0);
        assert_eq!(pay.missing(0, 0), 0);
    }

    #[test]
    fn file_names_give_the_quarter() {
        assert_eq!(quarter_of("2026-q1.csv"), Some((2026, 1)));
        assert_eq!(quarter_of("2026-q5.csv"), None);
        assert_eq!(quarter_of("quy-1.csv"), None);
    }

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::create_dir_all(dir.join(RESULTS_DIR)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.join(RESULTS_DIR).join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }

    const HEADER: &str = "thon,so_nguoi_lon,nguoi_duoc_huong_dan,ho_so_truc_tuyen,chu_ky_so,nguoi_co_ky_nang_so,nguoi_co_dien_thoai_thong_minh,nguoi_co_tai_khoan_thanh_toan\n";

    #[test]
    fn a_count_over_the_adults_and_a_bad_number_are_errors_on_their_cells() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(dir.path(), "2026-q1.csv", &format!("{HEADER}Thôn Đông,100,10,5,5,50,101,x\n"));
        let d = load(dir.path()).err().unwrap_or_else(|| panic!("accepted"));
        let found: Vec<(usize, usize, &str)> =
            d.iter().map(|d| (d.line, d.column, d.problem.code())).collect();
        assert!(found.contains(&(2, 29, "campaign-bad-cell")), "{found:?}");
        assert!(found.contains(&(2, 25, "campaign-count-over-adults")), "{found:?}");
    }

    #[test]
    fn a_missing_column_is_named() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(dir.path(), "2026-q1.csv", "thon,so_nguoi_lon\nThôn Đông,100\n");
        let d = load(dir.path()).err().unwrap_or_else(|| panic!("accepted"));
        assert_eq!(d.len(), 6);
        assert!(
            matches!(&d[0].problem, Problem::CampaignMissingColumn { column, .. } if column == "nguoi_duoc_huong_dan")
        );
    }
}
