//! The mobile help points: `data/diem-ho-tro.toml` (written by hand) and `data/diem-ho-tro.csv`
//! (exported from a spreadsheet), plus the `[[help_points]]` of site.toml that came first, which
//! keep working (they have a place, a date and hours in words, no village or times).

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;

use crate::core::diagnostic::{CellKind, Diagnostic, Problem, closest_word};
use crate::core::files::read_source_file;
use crate::core::lines::LineIndex;
use crate::core::paths::CONFIG_FILE;
use crate::core::text::{nfc, slugify};
use crate::core::tomlcheck;
use crate::pipeline::campaign::table::Table;
use crate::pipeline::config::Config;

/// The help points written by hand.
pub const TOML_FILE: &str = "data/diem-ho-tro.toml";
/// The help points exported from a spreadsheet.
pub const CSV_FILE: &str = "data/diem-ho-tro.csv";

/// A lesson a help point may name: its file from `content/` (`an-toan/otp.md`), address, title.
#[derive(Debug, Clone)]
pub struct LessonRef {
    pub source: String,
    pub url: String,
    pub title: String,
}

/// One help point, read and checked.
#[derive(Debug, Clone)]
pub struct HelpPoint {
    /// A stable id (`2026-12-05-thon-dong-0800`): the calendar `UID` and the `.ics` file name, so
    /// that a phone that added the event updates it instead of adding a second one.
    pub id: String,
    /// The village (thôn); empty for an old `[[help_points]]` entry.
    pub village: String,
    pub place: String,
    pub date: NaiveDate,
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
    /// Hours in words, from an old `[[help_points]]` entry.
    pub hours: String,
    /// What is offered, in words.
    pub offers: Vec<String>,
    /// The lessons it covers (title, address).
    pub lessons: Vec<(String, String)>,
    pub bring: String,
    pub contact: String,
    pub note: String,
    /// Where it is written, for messages.
    pub file: PathBuf,
    pub line: usize,
    pub village_column: usize,
}

impl HelpPoint {
    /// "8:00 – 11:00", or the hours in words of an old entry.
    pub fn hours_text(&self) -> String {
        match (self.start, self.end) {
            (Some(s), Some(e)) => format!("{} – {}", s.format("%-H:%M"), e.format("%-H:%M")),
            (Some(s), None) => s.format("%-H:%M").to_string(),
            _ => self.hours.clone(),
        }
    }
}

/// `data/diem-ho-tro.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    diem: Vec<TomlPoint>,
}

/// One `[[diem]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlPoint {
    thon: toml::Spanned<String>,
    noi: String,
    ngay: toml::value::Datetime,
    bat_dau: toml::Spanned<String>,
    #[serde(default)]
    ket_thuc: Option<toml::Spanned<String>>,
    #[serde(default)]
    noi_dung: Vec<String>,
    #[serde(default)]
    bai: Vec<toml::Spanned<String>>,
    #[serde(default)]
    mang_theo: String,
    #[serde(default)]
    lien_he: String,
    #[serde(default)]
    ghi_chu: String,
}

/// Every help point, soonest first.
pub fn load(root: &Path, config: &Config, lessons: &[LessonRef]) -> Result<Vec<HelpPoint>, Vec<Diagnostic>> {
    let mut points = Vec::new();
    let mut problems = Vec::new();
    if root.join(TOML_FILE).exists() {
        match read_toml(root, lessons) {
            Ok(p) => points.extend(p),
            Err(d) => problems.extend(d),
        }
    }
    if root.join(CSV_FILE).exists() {
        match read_csv(root, lessons) {
            Ok(p) => points.extend(p),
            Err(d) => problems.extend(d),
        }
    }
    for old in &config.help_points {
        let Some(d) = old.date.date else { continue };
        let Some(date) = NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        else {
            continue;
        };
        points.push(HelpPoint {
            id: String::new(),
            village: String::new(),
            place: old.place.clone(),
            date,
            start: None,
            end: None,
            hours: old.hours.clone(),
            offers: Vec::new(),
            lessons: Vec::new(),
            bring: String::new(),
            contact: String::new(),
            note: String::new(),
            file: PathBuf::from(CONFIG_FILE),
            line: 0,
            village_column: 0,
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    points.sort_by(|a, b| {
        (a.date, a.start, &a.village, &a.place).cmp(&(b.date, b.start, &b.village, &b.place))
    });
    let mut seen = std::collections::HashSet::new();
    for p in &mut points {
        let who = if p.village.is_empty() { &p.place } else { &p.village };
        let time = p.start.map_or_else(String::new, |t| t.format("-%H%M").to_string());
        let base = format!("{}-{}{time}", p.date.format("%Y-%m-%d"), slugify(who));
        let mut id = base.clone();
        let mut n = 2;
        while !seen.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        p.id = id;
    }
    Ok(points)
}

fn read_toml(root: &Path, lessons: &[LessonRef]) -> Result<Vec<HelpPoint>, Vec<Diagnostic>> {
    let file = PathBuf::from(TOML_FILE);
    let bytes = read_source_file(&root.join(&file)).map_err(|p| vec![Diagnostic::error(&file, 0, 0, p)])?;
    let text =
        String::from_utf8(bytes).map_err(|_| vec![Diagnostic::error(&file, 0, 0, Problem::InvalidUtf8)])?;
    let text = nfc(&text).into_owned();
    let parsed: TomlFile = tomlcheck::parse(&file, &text, 1).map_err(|d| vec![d])?;
    let index = LineIndex::new(&text, 1);
    let at = |span: std::ops::Range<usize>| index.at(span.start);
    let mut points = Vec::new();
    let mut problems = Vec::new();
    for p in parsed.diem {
        let (line, village_column) = at(p.thon.span());
        let date = p
            .ngay
            .date
            .and_then(|d| NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day)));
        let Some(date) = date else {
            problems.push(Diagnostic::error(
                &file,
                line,
                1,
                Problem::CampaignBadCell {
                    column: "ngay".into(),
                    value: p.ngay.to_string(),
                    kind: CellKind::Date,
                },
            ));
            continue;
        };
        let time = |s: &toml::Spanned<String>, column: &str, problems: &mut Vec<Diagnostic>| {
            parse_time(s.get_ref()).or_else(|| {
                let (l, c) = at(s.span());
                problems.push(Diagnostic::error(
                    &file,
                    l,
                    c,
                    Problem::CampaignBadCell {
                        column: column.into(),
                        value: s.get_ref().clone(),
                        kind: CellKind::Time,
                    },
                ));
                None
            })
        };
        let start = time(&p.bat_dau, "bat_dau", &mut problems);
        let end = p.ket_thuc.as_ref().and_then(|e| time(e, "ket_thuc", &mut problems));
        let mut linked = Vec::new();
        for written in &p.bai {
            match resolve(written.get_ref(), lessons) {
                Ok(l) => linked.push(l),
                Err(problem) => {
                    let (l, c) = at(written.span());
                    problems.push(Diagnostic::error(&file, l, c, problem));
                }
            }
        }
        points.push(HelpPoint {
            id: String::new(),
            village: p.thon.into_inner().trim().to_owned(),
            place: p.noi,
            date,
            start,
            end,
            hours: String::new(),
            offers: p.noi_dung,
            lessons: linked,
            bring: p.mang_theo,
            contact: p.lien_he,
            note: p.ghi_chu,
            file: file.clone(),
            line,
            village_column,
        });
    }
    if problems.is_empty() { Ok(points) } else { Err(problems) }
}

fn read_csv(root: &Path, lessons: &[LessonRef]) -> Result<Vec<HelpPoint>, Vec<Diagnostic>> {
    let table = Table::read(root, Path::new(CSV_FILE))?;
    let required: Vec<Result<usize, Diagnostic>> =
        ["thon", "noi", "ngay", "bat_dau"].iter().map(|c| table.column(c)).collect();
    let missing: Vec<Diagnostic> = required.iter().filter_map(|c| c.as_ref().err().cloned()).collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let [thon, noi, ngay, bat_dau] = [0, 1, 2, 3].map(|i| required[i].as_ref().map_or(0, |c| *c));
    let optional = |key| table.optional_column(key);
    let mut points = Vec::new();
    let mut problems = Vec::new();
    for (line, cells) in &table.rows {
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).cloned().unwrap_or_default();
        let bad = |i: usize, kind| {
            table.error_at(
                *line,
                i,
                Problem::CampaignBadCell { column: table.header(i).to_owned(), value: cell(Some(i)), kind },
            )
        };
        let date = parse_date(&cell(Some(ngay)));
        let start = parse_time(&cell(Some(bat_dau)));
        let end_written = cell(optional("ket_thuc"));
        let end = parse_time(&end_written);
        if date.is_none() {
            problems.push(bad(ngay, CellKind::Date));
        }
        if start.is_none() {
            problems.push(bad(bat_dau, CellKind::Time));
        }
        if let (Some(i), None, false) = (optional("ket_thuc"), end, end_written.is_empty()) {
            problems.push(bad(i, CellKind::Time));
        }
        let mut linked = Vec::new();
        if let Some(i) = optional("bai") {
            for written in list(&cell(Some(i))) {
                match resolve(&written, lessons) {
                    Ok(l) => linked.push(l),
                    Err(p) => problems.push(table.error_at(*line, i, p)),
                }
            }
        }
        let Some(date) = date else { continue };
        points.push(HelpPoint {
            id: String::new(),
            village: cell(Some(thon)),
            place: cell(Some(noi)),
            date,
            start,
            end,
            hours: String::new(),
            offers: list(&cell(optional("noi_dung"))),
            lessons: linked,
            bring: cell(optional("mang_theo")),
            contact: cell(optional("lien_he")),
            note: cell(optional("ghi_chu")),
            file: table.file.clone(),
            line: *line,
            village_column: table.cell_column(*line, thon),
        });
    }
    if problems.is_empty() { Ok(points) } else { Err(problems) }
}

/// A list in one spreadsheet cell: one item a line (Alt+Enter in Excel), or items between `|`.
fn list(cell: &str) -> Vec<String> {
    cell.split(['\n', '|']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// The lesson `written` names (its file from `content/`), or the problem with the nearest name.
fn resolve(written: &str, lessons: &[LessonRef]) -> Result<(String, String), Problem> {
    let key = written.trim().trim_start_matches('/');
    let key = key.strip_prefix("content/").unwrap_or(key);
    match lessons.iter().find(|l| l.source == key) {
        Some(l) => Ok((l.title.clone(), l.url.clone())),
        None => {
            let sources: Vec<String> = lessons.iter().map(|l| l.source.clone()).collect();
            let closest = closest_word(key, &sources).map(str::to_owned);
            Err(Problem::HelpPointUnknownLesson { written: written.to_owned(), closest })
        }
    }
}

/// A day as a spreadsheet writes it: `2026-12-06` or `6/12/2026` (day first, as in Vietnam).
fn parse_date(written: &str) -> Option<NaiveDate> {
    let w = written.trim();
    NaiveDate::parse_from_str(w, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(w, "%d/%m/%Y")).ok()
}

/// A time of day: `8:00`, `08:00:00`, `8h00`, `8h`, `13g30`.
fn parse_time(written: &str) -> Option<NaiveTime> {
    let w = written.trim().to_lowercase().replace(['h', 'g'], ":");
    let w = w.strip_suffix(':').map_or(w.clone(), |h| format!("{h}:00"));
    NaiveTime::parse_from_str(&w, "%H:%M").or_else(|_| NaiveTime::parse_from_str(&w, "%H:%M:%S")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_dates_as_staff_write_them() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(parse_time("8:00"), t(8, 0));
        assert_eq!(parse_time("8h00"), t(8, 0));
        assert_eq!(parse_time("8h"), t(8, 0));
        assert_eq!(parse_time("13g30"), t(13, 30));
        assert_eq!(parse_time("08:00:00"), t(8, 0));
        assert_eq!(parse_time("sáng"), None);
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_date("6/12/2026"), NaiveDate::from_ymd_opt(2026, 12, 6));
        assert_eq!(parse_date("2026-12-06"), NaiveDate::from_ymd_opt(2026, 12, 6));
        assert_eq!(parse_date("12/31/2026"), None);
    }

    fn lessons() -> Vec<LessonRef> {
        vec![LessonRef {
            source: "dich-vu-cong/kich-hoat-vneid-muc-2.md".into(),
            url: "/dich-vu-cong/kich-hoat-vneid-muc-2/".into(),
            title: "Kích hoạt VNeID".into(),
        }]
    }

    #[test]
    fn an_unknown_lesson_is_an_error_on_its_line_and_column() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(dir.path().join("data")).unwrap_or_else(|e| panic!("{e}"));
        let toml = "[[diem]]\nthon = \"Thôn Đông\"\nnoi = \"Nhà văn hóa\"\nngay = 2026-12-05\nbat_dau = \"8:00\"\nbai = [\"dich-vu-cong/kich-hoat-vneid-muc-2.md\", \"dich-vu-cong/kich-hoat-vneid-muc2.md\"]\n";
        std::fs::write(dir.path().join(TOML_FILE), toml).unwrap_or_else(|e| panic!("{e}"));
        let d =
            load(dir.path(), &Config::placeholder(), &lessons()).err().unwrap_or_else(|| panic!("accepted"));
        assert_eq!((d[0].file.as_path(), d[0].line, d[0].column), (Path::new(TOML_FILE), 6, 49));
        assert!(
            matches!(&d[0].problem, Problem::HelpPointUnknownLesson { closest: Some(c), .. } if c.contains("kich-hoat")),
            "{d:?}"
        );
    }

    #[test]
    fn a_spreadsheet_and_the_old_entries_read_and_ids_stay_apart() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(dir.path().join("data")).unwrap_or_else(|e| panic!("{e}"));
        let csv = "\u{feff}Thôn;Nơi;Ngày;Bắt đầu;Kết thúc;Bài\r\nThôn Đông;Nhà văn hóa;5/12/2026;8h00;11h00;dich-vu-cong/kich-hoat-vneid-muc-2.md\r\nThôn Đông;Sân đình;5/12/2026;8h00;;\r\n";
        std::fs::write(dir.path().join(CSV_FILE), csv).unwrap_or_else(|e| panic!("{e}"));
        let mut config = Config::placeholder();
        config.help_points = toml::from_str::<Config>(
            "title = \"T\"\nbase_url = \"https://x.vn/\"\n[[help_points]]\nplace = \"Nhà văn hóa xã\"\ndate = 2026-12-01\nhours = \"8 giờ – 11 giờ\"\n",
        )
        .map(|c| c.help_points)
        .unwrap_or_else(|e| panic!("{e}"));
        let points = load(dir.path(), &config, &lessons()).unwrap_or_else(|d| panic!("{d:?}"));
        let ids: Vec<&str> = points.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            ["2026-12-01-nha-van-hoa-xa", "2026-12-05-thon-dong-0800", "2026-12-05-thon-dong-0800-2"]
        );
        assert_eq!(points[0].hours_text(), "8 giờ – 11 giờ");
        assert_eq!(points[1].hours_text(), "8:00 – 11:00");
        assert_eq!(points[1].lessons[0].0, "Kích hoạt VNeID");
    }
}
