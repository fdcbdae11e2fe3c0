//! The campaign's pages, checked against their sources computed independently here: the sample
//! calendar read by a real iCalendar parser, the results' totals summed from the CSV files, and
//! the errors a staffer's spreadsheet can cause placed on their file, line and column.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{Fixture, repo, sel, stderr};
use scraper::Html;

/// The build date the sample is built on: December 2026 and January 2027 are to come.
const TODAY: &str = "2026-11-30";

/// The sample site built by the binary with the build date set, once per test binary.
fn built() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = common::scratch("campaign");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_hocso"))
            .args(["build", "--output"])
            .arg(&out)
            .current_dir(repo())
            .env("HOCSO_TODAY", TODAY)
            .env_remove("HOCSO_LANG")
            .output()
            .unwrap_or_else(|e| panic!("cannot run hocso: {e}"));
        assert!(o.status.success(), "sample build failed: {}", stderr(&o));
        out
    })
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(built().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The upcoming help points of the sample, read from its TOML here: (date, start) as iCalendar
/// writes them (`20261205`, `080000`).
fn upcoming_in_source() -> Vec<(String, String)> {
    let text =
        std::fs::read_to_string(repo().join("data/diem-ho-tro.toml")).unwrap_or_else(|e| panic!("{e}"));
    let value: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let points = value.get("diem").and_then(toml::Value::as_array).cloned().unwrap_or_default();
    points
        .iter()
        .filter_map(|p| {
            let date = p.get("ngay")?.as_datetime()?.to_string();
            let start = p.get("bat_dau")?.as_str()?.to_owned();
            (date.as_str() >= TODAY).then(|| {
                let (h, m) = start.split_once(':').unwrap_or((&start, "00"));
                (date.replace('-', ""), format!("{h:0>2}{m}00"))
            })
        })
        .collect()
}

#[test]
fn the_calendar_parses_and_holds_every_upcoming_help_point_at_its_local_time() {
    let text = read("diem-ho-tro/lich.ics");
    assert!(text.ends_with("\r\n"));
    for (n, line) in text.split("\r\n").enumerate() {
        assert!(line.len() <= 75, "line {}: {} octets", n + 1, line.len());
        assert!(!line.contains('\n') && !line.contains('\r'), "line {} has a bare line break", n + 1);
    }
    let unfolded = icalendar::parser::unfold(&text);
    let calendar = icalendar::parser::read_calendar(&unfolded).unwrap_or_else(|e| panic!("{e}"));
    let timezone =
        calendar.components.iter().find(|c| c.name == "VTIMEZONE").unwrap_or_else(|| panic!("no VTIMEZONE"));
    let standard =
        timezone.components.iter().find(|c| c.name == "STANDARD").unwrap_or_else(|| panic!("no STANDARD"));
    let offset = standard.find_prop("TZOFFSETTO").map(|p| p.val.to_string());
    assert_eq!(offset.as_deref(), Some("+0700"));
    let mut events: BTreeMap<String, (String, String)> = BTreeMap::new();
    for event in calendar.components.iter().filter(|c| c.name == "VEVENT") {
        let prop = |name: &str| event.find_prop(name).unwrap_or_else(|| panic!("an event lacks {name}"));
        let start = prop("DTSTART");
        let tzid =
            start.params.iter().find(|p| p.key == "TZID").and_then(|p| p.val.as_ref()).map(|v| v.to_string());
        assert_eq!(tzid.as_deref(), Some("Asia/Ho_Chi_Minh"), "DTSTART in local time of Vietnam");
        assert_eq!(prop("DTSTAMP").val.to_string(), "20261130T000000Z");
        assert!(prop("URL").val.to_string().starts_with("https://hocso.example.vn/diem-ho-tro/"));
        assert!(!prop("LOCATION").val.to_string().is_empty());
        let uid = prop("UID").val.to_string();
        let (day, time) = start
            .val
            .to_string()
            .split_once('T')
            .map(|(d, t)| (d.to_owned(), t.to_owned()))
            .unwrap_or_default();
        assert!(events.insert(uid, (day, time)).is_none(), "two events share a UID");
    }
    let expected = upcoming_in_source();
    assert!(expected.len() >= 8, "the sample has {} upcoming help points", expected.len());
    let found: Vec<&(String, String)> = events.values().collect();
    for e in &expected {
        assert!(found.contains(&e), "{e:?} is not in the calendar: {found:?}");
    }
    // Each help point's own file holds it alone, under the same UID as in the whole calendar.
    let first = events.keys().next().cloned().unwrap_or_default();
    let id = first.split('@').next().unwrap_or_default();
    let single = read(&format!("diem-ho-tro/{id}.ics"));
    assert_eq!(single.matches("BEGIN:VEVENT").count(), 1);
    assert!(single.contains(&format!("UID:{first}")));
}

/// A results CSV read here, without hocso's reader: (village, counts by header key).
fn read_csv_by_hand(path: &Path) -> Vec<(String, BTreeMap<String, u64>)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    let text = text.trim_start_matches('\u{feff}');
    let sep = if text.lines().next().unwrap_or_default().contains(';') { ';' } else { ',' };
    let mut lines = text.lines();
    let keys: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split(sep)
        .map(|h| hocso::core::text::slugify(h).replace('-', "_"))
        .collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.trim_end_matches('\r').split(sep).collect();
            let counts = keys
                .iter()
                .zip(&cells)
                .skip(1)
                .map(|(k, c)| {
                    (k.clone(), c.replace('.', "").parse::<u64>().unwrap_or_else(|e| panic!("{c}: {e}")))
                })
                .collect();
            (cells[0].to_owned(), counts)
        })
        .collect()
}

fn vi_count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn vi_percent(count: u64, of: u64) -> String {
    let tenths = count * 1000 / of;
    if tenths.is_multiple_of(10) {
        format!("{} %", tenths / 10)
    } else {
        format!("{},{} %", tenths / 10, tenths % 10)
    }
}

#[test]
fn totals_and_shares_on_the_results_page_equal_the_csv_sums() {
    let latest = repo().join("data/ket-qua/2026-q4.csv");
    let rows = read_csv_by_hand(&latest);
    assert_eq!(rows.len(), 5);
    let sum = |key: &str| rows.iter().map(|(_, c)| c[key]).sum::<u64>();
    let adults = sum("so_nguoi_lon");
    let doc = Html::parse_document(&read("ket-qua/index.html"));
    let norm = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let footers: Vec<Vec<String>> = doc
        .select(&sel("table.results-table tfoot tr"))
        .map(|tr| tr.select(&sel("td")).map(|td| norm(td.text().collect::<Vec<_>>().join(" "))).collect())
        .collect();
    assert_eq!(footers.len(), 4, "three targets and the activity table, each with a totals row");
    // The activity table: adults, helped, applications, signatures.
    let activity: Vec<String> = ["so_nguoi_lon", "nguoi_duoc_huong_dan", "ho_so_truc_tuyen", "chu_ky_so"]
        .iter()
        .map(|k| vi_count(sum(k)))
        .collect();
    assert_eq!(footers[3], activity);
    let targets = [
        ("nguoi_co_ky_nang_so", 100, false),
        ("nguoi_co_dien_thoai_thong_minh", 85, true),
        ("nguoi_co_tai_khoan_thanh_toan", 50, true),
    ];
    for (i, (key, percent, strict)) in targets.into_iter().enumerate() {
        let count = sum(key);
        assert_eq!(footers[i][0], format!("{} ({})", vi_percent(count, adults), vi_count(count)), "{key}");
        let needed = if strict { adults * percent / 100 + 1 } else { (adults * percent).div_ceil(100) };
        let status = if count >= needed {
            "✔ Đạt".to_owned()
        } else {
            format!("✘ Chưa đạt: còn thiếu {} người", vi_count(needed - count))
        };
        assert_eq!(footers[i][1], status, "{key}");
    }
    // Each village's row, for the first target.
    let cells: Vec<String> = doc
        .select(&sel("table.results-table"))
        .next()
        .map(|t| {
            t.select(&sel("tbody td.num")).map(|td| norm(td.text().collect::<Vec<_>>().join(" "))).collect()
        })
        .unwrap_or_default();
    let by_hand: Vec<String> = rows
        .iter()
        .map(|(_, c)| {
            format!(
                "{} ({})",
                vi_percent(c["nguoi_co_ky_nang_so"], c["so_nguoi_lon"]),
                vi_count(c["nguoi_co_ky_nang_so"])
            )
        })
        .collect();
    assert_eq!(cells, by_hand);
    // The quarter's file is published as it is.
    let published = std::fs::read(built().join("ket-qua/2026-q4.csv")).unwrap_or_default();
    assert_eq!(published, std::fs::read(&latest).unwrap_or_default());
}

#[test]
fn every_chart_is_an_image_named_by_a_sentence_on_the_page() {
    for page in ["ket-qua/index.html", "ket-qua/2026-q1/index.html"] {
        let doc = Html::parse_document(&read(page));
        let charts: Vec<_> = doc.select(&sel("svg.chart")).collect();
        assert!(charts.len() >= 3, "{page}: {} charts", charts.len());
        for svg in charts {
            assert_eq!(svg.value().attr("role"), Some("img"), "{page}");
            let id =
                svg.value().attr("aria-labelledby").unwrap_or_else(|| panic!("{page}: a chart has no name"));
            let name: String = doc
                .select(&sel(&format!("[id=\"{id}\"]")))
                .next()
                .map(|e| e.text().collect())
                .unwrap_or_default();
            assert!(
                name.contains("thôn đạt mục tiêu") || name.contains("tăng nhiều nhất"),
                "{page}: {id} says {name:?}"
            );
            // Drawn in the text colour only: prints in black and white, follows dark mode.
            let markup = svg.html();
            assert!(!markup.contains("=\"#"), "{page}: a colour is written into a chart");
        }
    }
}

#[test]
fn the_help_point_pages_list_upcoming_ones_by_month_and_fold_past_ones() {
    let doc = Html::parse_document(&read("diem-ho-tro/index.html"));
    let months: Vec<String> = common::texts(&doc, ".hp-month h3");
    assert_eq!(months, ["Tháng 12/2026", "Tháng 1/2027"]);
    let first = common::texts(&doc, ".hp-month .hp-when").into_iter().next().unwrap_or_default();
    assert!(first.starts_with("Thứ Bảy, 5/12/2026"), "{first}");
    assert!(doc.select(&sel("details.hp-past .hp")).count() >= 1, "past help points are folded");
    assert!(doc.select(&sel(".hp-month a[href^='/dich-vu-cong/']")).count() >= 1, "lessons are linked");
    let village = Html::parse_document(&read("diem-ho-tro/thon-dong-minh-hoa/index.html"));
    let places: Vec<String> = common::texts(&village, ".hp-month .hp dd");
    assert!(places.iter().all(|p| !p.contains("thôn Tây")), "another village on Thôn Đông's page");
    assert!(std::fs::metadata(built().join("diem-ho-tro/thon-dong-minh-hoa/lich.ics")).is_ok());
    // The next three, on the home page and on the leaflets.
    let home = Html::parse_document(&read("index.html"));
    assert_eq!(common::texts(&home, ".hp-next li").len(), 3);
    let sitemap = read("sitemap.xml");
    assert!(sitemap.contains("/diem-ho-tro/thon-dong-minh-hoa/") && sitemap.contains("/ket-qua/2026-q4/"));
}

const HEADER_VI: &str = "Thôn;Số người lớn;Người được hướng dẫn;Hồ sơ trực tuyến;Chữ ký số;Người có kỹ năng số;Người có điện thoại thông minh;Người có tài khoản thanh toán";

#[test]
fn an_excel_file_with_a_byte_order_mark_semicolons_and_crlf_reads() {
    let f = Fixture::new();
    let csv = format!("\u{feff}{HEADER_VI}\r\nThôn Đông;1.234;97;146;96;1.234;1.135;756\r\n;;;;;;;\r\n");
    f.write("data/ket-qua/2026-q4.csv", &csv);
    f.build().unwrap_or_else(|d| panic!("{d:?}"));
    let page = f.read_output("ket-qua/index.html");
    assert!(page.contains("Thôn Đông") && page.contains("1.234"), "{page}");
}

#[test]
fn spreadsheet_mistakes_are_errors_on_their_file_line_and_column() {
    let f = Fixture::new();
    let header = "thon,so_nguoi_lon,nguoi_duoc_huong_dan,ho_so_truc_tuyen,chu_ky_so,nguoi_co_ky_nang_so,nguoi_co_dien_thoai_thong_minh,nguoi_co_tai_khoan_thanh_toan";
    f.write(
        "data/ket-qua/2026-q1.csv",
        &format!("{header}\nThôn Đông,100,10,5,5,50,60,20\nThôn Tây,100,1O,5,5,50,60,20\n"),
    );
    f.write("data/ket-qua/2026-q2.csv", &format!("{header}\nthon dong,100,10,5,5,50,160,20\n"));
    f.write("data/ket-qua/2026-q3.csv", "thon,so_nguoi_lon\nThôn Đông,100\n");
    f.write("data/ket-qua/2026-q4.csv", &format!("{header}\nThôn Đông,100,10,5,5\n"));
    let errors = f.build_errors().join("\n");
    for expected in [
        "data/ket-qua/2026-q1.csv:3:14: Column `nguoi_duoc_huong_dan` must hold a number of people, but this cell says \"1O\"",
        "data/ket-qua/2026-q2.csv:2:25: Column `nguoi_co_dien_thoai_thong_minh` says 160 people, more than the village's adults (100)",
        "data/ket-qua/2026-q3.csv:1:1: Column `nguoi_duoc_huong_dan` is missing",
        "data/ket-qua/2026-q4.csv:2:1: This row has 5 cells, but the first row (the column names) has 8",
    ] {
        assert!(errors.contains(expected), "missing {expected:?} in:\n{errors}");
    }
    // The spelling of a village is compared once every file reads.
    f.write("data/ket-qua/2026-q1.csv", &format!("{header}\nThôn Đông,100,10,5,5,50,60,20\n"));
    f.write("data/ket-qua/2026-q2.csv", &format!("{header}\nthon dong,100,10,5,5,50,60,20\n"));
    f.remove("data/ket-qua/2026-q3.csv");
    f.remove("data/ket-qua/2026-q4.csv");
    let errors = f.build_errors().join("\n");
    assert!(
        errors.contains("data/ket-qua/2026-q2.csv:2:1: The village \"thon dong\" is spelt differently from \"Thôn Đông\" in data/ket-qua/2026-q1.csv"),
        "{errors}"
    );
}

#[test]
fn a_help_point_naming_a_missing_lesson_is_an_error_where_it_is_named() {
    let f = Fixture::new();
    f.write(
        "data/diem-ho-tro.toml",
        "[[diem]]\nthon = \"Thôn Đông\"\nnoi = \"Nhà văn hóa\"\nngay = 2099-12-05\nbat_dau = \"8:00\"\nbai = [\"an-toan/otp.md\", \"an-toan/otpp.md\"]\n",
    );
    let errors = f.build_errors().join("\n");
    assert!(
        errors.contains("data/diem-ho-tro.toml:6:26: The help point names a lesson that does not exist: \"an-toan/otpp.md\". Did you mean \"an-toan/otp.md\"?"),
        "{errors}"
    );
}

#[test]
fn old_help_points_in_site_toml_still_show_on_leaflets_and_get_a_calendar() {
    let f = Fixture::new();
    f.write(
        "site.toml",
        &format!("{}\n[[help_points]]\nplace = \"Nhà văn hóa thôn Đông\"\ndate = 2099-12-06\nhours = \"8 giờ – 11 giờ\"\n", common::SITE_TOML),
    );
    f.build().unwrap_or_else(|d| panic!("{d:?}"));
    // The lesson page, which prints as its leaflet.
    let leaflet = f.read_output("an-toan/otp/index.html");
    assert!(leaflet.contains("Nhà văn hóa thôn Đông") && leaflet.contains("8 giờ – 11 giờ"), "{leaflet}");
    let ics = f.read_output("diem-ho-tro/lich.ics");
    assert!(ics.contains("DTSTART;VALUE=DATE:20991206"), "{ics}");
}

#[test]
fn the_build_date_is_checked() {
    let f = Fixture::new();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_hocso"))
        .args(["build"])
        .current_dir(f.path())
        .env("HOCSO_TODAY", "30/11/2026")
        .env("HOCSO_LANG", "en")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("HOCSO_TODAY"), "{}", stderr(&o));
}
