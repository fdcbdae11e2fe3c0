//! The campaign's pages: the help-point calendar (all villages and each village, past ones
//! folded under "Đã diễn ra"), its calendar files, the month's poster, and the quarterly results
//! with their charts, the CSV as published and the printable report.

use std::borrow::Cow;

use chrono::{Datelike as _, NaiveDate};
use serde::Serialize;

use crate::core::output::OutFile;
use crate::core::paths::{CALENDAR_FILE, REPORT_DIR, output_path};
use crate::pipeline::assemble::Site;
use crate::pipeline::campaign::charts::{self, BarItem, Series};
use crate::pipeline::campaign::ics::{self, EventInfo};
use crate::pipeline::campaign::{
    HelpPoint, Quarter, TARGETS, Target, format_count, format_percent, permille,
};
use crate::pipeline::render::engine::{Job, Made, Shared, made, render};
use crate::pipeline::render::frame::{Frame, Link};

/// Every campaign page and file of the site: none when it has neither help points nor results.
pub(super) fn jobs(site: &Site) -> Vec<Job<'_>> {
    let c = &site.campaign;
    let mut jobs = Vec::new();
    if c.has_help_points() {
        // The calendar page and file of every village, then of each village that has a help point.
        let villages =
            c.villages.iter().enumerate().filter(|(_, v)| c.help_points.iter().any(|p| p.village == v.name));
        for village in std::iter::once(None).chain(villages.map(|(i, _)| Some(i))) {
            jobs.push(Job::new(move |s| render(s, help_points_page(s, village))));
            jobs.push(Job::new(move |s| Ok(made(calendar_file(s, village)))));
        }
        jobs.extend((0..c.help_points.len()).map(|i| Job::new(move |s| Ok(made(event_file(s, i))))));
        let months = poster_months(site).into_iter();
        jobs.extend(months.map(|(year, month)| Job::new(move |s| render(s, poster_page(s, year, month)))));
    }
    if !c.quarters.is_empty() {
        jobs.push(Job::new(|s| render(s, results_page(s, None))));
        for i in 0..c.quarters.len() {
            jobs.push(Job::new(move |s| render(s, results_page(s, Some(i)))));
            jobs.push(Job::new(move |s| Ok(made(results_csv(s, i)))));
            jobs.push(Job::new(move |s| render(s, report_page(s, i))));
        }
    }
    jobs
}

/// The months with help points still to come, soonest first: each gets a poster.
fn poster_months(site: &Site) -> Vec<(i32, u32)> {
    let mut months: Vec<(i32, u32)> =
        site.campaign.upcoming().map(|p| (p.date.year(), p.date.month())).collect();
    months.dedup();
    months
}

/// A quarter's CSV as published, byte for byte.
fn results_csv(s: &Shared<'_>, i: usize) -> OutFile {
    let q = &s.site.campaign.quarters[i];
    let url = format!("{}{}.csv", s.urls.results, q.slug());
    OutFile { path: output_path(&s.urls.home, &url), bytes: q.bytes.clone() }
}

/// "Thứ Bảy, 5/12/2026": how a date is said, with the theme's weekday names.
pub(super) fn date_in_words(s_theme: &crate::assets::theme::Theme, date: NaiveDate) -> String {
    let weekdays = s_theme.t("weekdays");
    let weekday = weekdays.split('|').nth(date.weekday().num_days_from_monday() as usize).unwrap_or_default();
    format!("{weekday}, {}", date.format("%-d/%-m/%Y"))
}

/// One help point as pages show it.
#[derive(Serialize)]
struct PointCtx<'a> {
    id: &'a str,
    date_iso: String,
    date_words: String,
    hours: String,
    place: &'a str,
    village: &'a str,
    village_url: Option<String>,
    offers: &'a [String],
    lessons: Vec<Link<'a>>,
    bring: &'a str,
    contact: &'a str,
    note: &'a str,
    ics_url: String,
}

fn point_ctx<'a>(s: &'a Shared<'_>, p: &'a HelpPoint) -> PointCtx<'a> {
    let campaign = &s.site.campaign;
    PointCtx {
        id: &p.id,
        date_iso: p.date.format("%Y-%m-%d").to_string(),
        date_words: date_in_words(s.theme, p.date),
        hours: p.hours_text(),
        place: &p.place,
        village: &p.village,
        village_url: campaign.village(&p.village).map(|v| s.urls.village_help_points(&v.slug)),
        offers: &p.offers,
        lessons: p.lessons.iter().map(|(title, url)| Link::new(title.as_str(), url.as_str())).collect(),
        bring: &p.bring,
        contact: &p.contact,
        note: &p.note,
        ics_url: s.urls.help_point_event(&p.id),
    }
}

/// The help points of one month.
#[derive(Serialize)]
struct MonthGroup<'a> {
    title: String,
    id: String,
    points: Vec<PointCtx<'a>>,
    poster_url: String,
}

#[derive(Serialize)]
struct VillageLink {
    name: String,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct HelpPointsCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    village: Option<&'a str>,
    villages: Vec<VillageLink>,
    months: Vec<MonthGroup<'a>>,
    past: Vec<PointCtx<'a>>,
    calendar_url: String,
}

/// The help points of one village, or all.
fn points_of(site: &Site, village: Option<usize>) -> impl Iterator<Item = &HelpPoint> {
    let name = village.map(|v| site.campaign.villages[v].name.as_str());
    site.campaign.help_points.iter().filter(move |p| name.is_none_or(|n| p.village == n))
}

fn month_title(s: &Shared<'_>, year: i32, month: u32) -> String {
    format!("{} {month}/{year}", s.theme.t("help_points_month"))
}

fn help_points_page<'a>(s: &'a Shared<'_>, village: Option<usize>) -> Made<HelpPointsCtx<'a>> {
    let (site, theme) = (s.site, s.theme);
    let campaign = &site.campaign;
    let today = campaign.today;
    let mut months: Vec<MonthGroup<'_>> = Vec::new();
    let mut past = Vec::new();
    for p in points_of(site, village) {
        if p.date < today {
            past.push(point_ctx(s, p));
            continue;
        }
        let (year, month) = (p.date.year(), p.date.month());
        let id = format!("thang-{year}-{month:02}");
        match months.last_mut() {
            Some(g) if g.id == id => g.points.push(point_ctx(s, p)),
            _ => months.push(MonthGroup {
                title: month_title(s, year, month),
                id,
                points: vec![point_ctx(s, p)],
                poster_url: s.urls.help_points_poster(year, month),
            }),
        }
    }
    // The most recent first: the one people remember.
    past.reverse();
    let villages = campaign
        .villages
        .iter()
        .enumerate()
        .filter(|(_, v)| campaign.help_points.iter().any(|p| p.village == v.name))
        .map(|(i, v)| VillageLink {
            name: v.name.clone(),
            url: s.urls.village_help_points(&v.slug),
            current: village == Some(i),
        })
        .collect();
    let title = theme.t("help_points_title");
    let (page_title, url, calendar_url, crumbs) = match village {
        Some(v) => {
            let v = &campaign.villages[v];
            let url = s.urls.village_help_points(&v.slug);
            let calendar = format!("{url}{}", CALENDAR_FILE);
            (
                format!("{title}: {}", v.name),
                url,
                calendar,
                vec![Link::new(title.clone(), s.urls.help_points.as_str())],
            )
        }
        None => (title, s.urls.help_points.clone(), s.urls.help_points_calendar.clone(), Vec::new()),
    };
    let frame = Frame::page(s, page_title, theme.t("help_points_description"), url.clone())
        .current(&s.urls.help_points)
        .breadcrumbs(s, crumbs);
    let ctx = HelpPointsCtx {
        frame,
        village: village.map(|v| campaign.villages[v].name.as_str()),
        villages,
        months,
        past,
        calendar_url,
    };
    ("help-points.html", url, ctx)
}

/// The calendar of every help point (of one village), past ones included: a phone that added
/// the calendar keeps the events it showed.
fn calendar_file(s: &Shared<'_>, village: Option<usize>) -> OutFile {
    let site = s.site;
    let title = s.theme.t("help_points_title");
    let (name, url) = match village {
        Some(v) => {
            let v = &site.campaign.villages[v];
            (
                format!("{title}: {}", v.name),
                format!("{}{}", s.urls.village_help_points(&v.slug), CALENDAR_FILE),
            )
        }
        None => (title, s.urls.help_points_calendar.clone()),
    };
    let events: Vec<EventInfo<'_>> = points_of(site, village).map(|p| event_info(s, p)).collect();
    let text = ics::calendar(&name, &host(site), site.campaign.today, &events);
    OutFile { path: output_path(&s.urls.home, &url), bytes: text.into_bytes() }
}

/// One help point's calendar, behind its "Thêm vào lịch" link.
fn event_file(s: &Shared<'_>, i: usize) -> OutFile {
    let site = s.site;
    let p = &site.campaign.help_points[i];
    let info = event_info(s, p);
    let name = info.summary.clone();
    let text = ics::calendar(&name, &host(site), site.campaign.today, &[info]);
    OutFile { path: output_path(&s.urls.home, &s.urls.help_point_event(&p.id)), bytes: text.into_bytes() }
}

/// The site's host name, which makes the events' UIDs unique worldwide.
fn host(site: &Site) -> String {
    url::Url::parse(&site.config.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default()
}

fn event_info<'a>(s: &Shared<'_>, p: &'a HelpPoint) -> EventInfo<'a> {
    let t = |k: &str| s.theme.t(k);
    let who = if p.village.is_empty() { p.place.as_str() } else { p.village.as_str() };
    let mut description = Vec::new();
    if !p.hours.is_empty() {
        description.push(p.hours.clone());
    }
    if !p.offers.is_empty() {
        description.push(format!("{}: {}.", t("help_points_offers"), p.offers.join("; ")));
    }
    if !p.bring.is_empty() {
        description.push(format!("{}: {}", t("help_points_bring"), p.bring));
    }
    if !p.contact.is_empty() {
        description.push(format!("{}: {}", t("help_points_contact"), p.contact));
    }
    if !p.note.is_empty() {
        description.push(format!("{}: {}", t("help_points_note"), p.note));
    }
    let page = match s.site.campaign.village(&p.village) {
        Some(v) => s.urls.village_help_points(&v.slug),
        None => s.urls.help_points.clone(),
    };
    EventInfo {
        point: p,
        summary: format!("{}: {who}", t("help_points_event")),
        description: description.join("\n"),
        url: s.site.config.absolute(&format!("{page}#{}", p.id)),
    }
}

#[derive(Serialize)]
struct PosterCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    month: String,
    points: Vec<PointCtx<'a>>,
    qr_svg: String,
    short_url: String,
}

fn poster_page<'a>(s: &'a Shared<'_>, year: i32, month: u32) -> Made<PosterCtx<'a>> {
    let (site, theme) = (s.site, s.theme);
    let today = site.campaign.today;
    let points = site
        .campaign
        .upcoming()
        .filter(|p| p.date >= today && p.date.year() == year && p.date.month() == month)
        .map(|p| point_ctx(s, p))
        .collect();
    let absolute = site.config.absolute(&s.urls.help_points);
    let short_url = absolute.split_once("://").map_or(absolute.as_str(), |(_, r)| r).to_owned();
    let qr_svg =
        crate::assets::leaflet::qr_svg(&absolute, &format!("{} {short_url}", theme.t("poster_qr_label")))
            .unwrap_or_default();
    let month_words = month_title(s, year, month);
    let url = s.urls.help_points_poster(year, month);
    let title = format!("{} – {month_words}", theme.t("help_points_title"));
    let frame = Frame::page(s, title, theme.t("help_points_description"), url.clone())
        .breadcrumbs(s, vec![Link::new(theme.t("help_points_title"), s.urls.help_points.as_str())]);
    ("poster.html", url, PosterCtx { frame, month: month_words, points, qr_svg, short_url })
}

/// One count or share in a table, with whether it reaches its target.
#[derive(Serialize)]
struct TargetCell {
    count: String,
    share: String,
    met: bool,
    status: String,
}

#[derive(Serialize)]
struct RowCtx<'a> {
    village: Cow<'a, str>,
    /// Adults, helped, applications, signatures, formatted.
    activity: Vec<String>,
    targets: Vec<TargetCell>,
}

/// One target in one quarter: its table column, chart and summary.
#[derive(Serialize)]
struct TargetCtx {
    label: String,
    rule: String,
    id: String,
    summary: String,
    chart: String,
}

#[derive(Serialize)]
struct QuarterCtx<'a> {
    title: String,
    slug: String,
    rows: Vec<RowCtx<'a>>,
    total: RowCtx<'a>,
    targets: Vec<TargetCtx>,
    csv_url: String,
    report_url: String,
    url: String,
}

/// A target's trend: its chart and the share of each village in each quarter.
#[derive(Serialize)]
struct TrendCtx {
    label: String,
    id: String,
    summary: String,
    chart: String,
    rows: Vec<(String, Vec<String>)>,
}

#[derive(Serialize)]
struct ResultsCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    quarter: QuarterCtx<'a>,
    /// Every quarter, newest first, with the one shown marked.
    quarters: Vec<QuarterLink>,
    quarter_titles: Vec<String>,
    trend: Vec<TrendCtx>,
    /// The overview (the latest quarter and the trend) rather than one quarter's page.
    overview: bool,
}

#[derive(Serialize)]
struct QuarterLink {
    title: String,
    url: String,
    current: bool,
}

fn quarter_title(s: &Shared<'_>, q: &Quarter) -> String {
    format!("{} {}/{}", s.theme.t("results_quarter"), q.quarter, q.year)
}

fn target_cell(s: &Shared<'_>, target: &Target, count: u64, adults: u64) -> TargetCell {
    let missing = target.missing(count, adults);
    TargetCell {
        count: format_count(count),
        share: format_percent(count, adults),
        met: missing == 0,
        status: if missing == 0 {
            s.theme.t("results_met")
        } else {
            s.theme.t("results_not_met").replace("{n}", &format_count(missing))
        },
    }
}

fn target_rule(s: &Shared<'_>, target: &Target) -> String {
    if target.strict {
        s.theme.t("results_rule_over").replace("{p}", &target.percent.to_string())
    } else {
        s.theme.t("results_rule_all")
    }
}

fn quarter_ctx<'a>(s: &'a Shared<'_>, i: usize, prefix: &str) -> QuarterCtx<'a> {
    let q = &s.site.campaign.quarters[i];
    let title = quarter_title(s, q);
    let row = |village: Cow<'a, str>, counts: [u64; 8]| RowCtx {
        village,
        activity: counts[1..5].iter().map(|&n| format_count(n)).collect(),
        targets: TARGETS.iter().map(|t| target_cell(s, t, counts[t.count], counts[1])).collect(),
    };
    let counts_of = |r: &crate::pipeline::campaign::Row| {
        let mut c = [0u64; 8];
        for (col, slot) in c.iter_mut().enumerate().skip(1) {
            *slot = r.count(col);
        }
        c
    };
    let rows = q.rows.iter().map(|r| row(Cow::Borrowed(r.village.as_str()), counts_of(r))).collect();
    let mut totals = [0u64; 8];
    for (col, slot) in totals.iter_mut().enumerate().skip(1) {
        *slot = q.total(col);
    }
    let total = row(Cow::Owned(s.theme.t("results_total")), totals);
    let targets = TARGETS
        .iter()
        .enumerate()
        .map(|(n, t)| {
            let label = s.theme.t(t.label_key);
            let id = format!("{prefix}muc-tieu-{}-{}", q.slug(), n + 1);
            let items: Vec<BarItem> = q
                .rows
                .iter()
                .map(|r| {
                    let cell = target_cell(s, t, r.count(t.count), r.adults());
                    BarItem {
                        label: r.village.clone(),
                        permille: permille(r.count(t.count), r.adults()),
                        value_text: format!("{} – {}", cell.share, cell.status),
                        met: cell.met,
                    }
                })
                .collect();
            let summary_id = format!("{id}-tom-tat");
            let rule = target_rule(s, t);
            let chart = charts::bars(&id, &summary_id, &items, t.percent * 10, &rule);
            let summary = bar_summary(s, q, t, &title);
            TargetCtx { label, rule, id, summary, chart }
        })
        .collect();
    let url = s.urls.quarter(&q.slug());
    QuarterCtx {
        title,
        slug: q.slug(),
        rows,
        total,
        targets,
        csv_url: format!("{}{}.csv", s.urls.results, q.slug()),
        report_url: format!("{url}{REPORT_DIR}/"),
        url,
    }
}

/// "Quý 4/2026: Thôn Đông đạt 92 %, cao nhất xã; Thôn Nam thấp nhất, 71 %. 3 trên 5 thôn đạt
/// mục tiêu."
fn bar_summary(s: &Shared<'_>, q: &Quarter, t: &Target, title: &str) -> String {
    let share = |r: &crate::pipeline::campaign::Row| permille(r.count(t.count), r.adults());
    let best = q.rows.iter().max_by_key(|r| share(r));
    let worst = q.rows.iter().min_by_key(|r| share(r));
    let (Some(best), Some(worst)) = (best, worst) else { return String::new() };
    let met = q.rows.iter().filter(|r| t.missing(r.count(t.count), r.adults()) == 0).count();
    s.theme
        .t("results_bar_summary")
        .replace("{what}", &s.theme.t(t.label_key))
        .replace("{quarter}", &title.to_lowercase())
        .replace("{best}", &best.village)
        .replace("{best_pct}", &format_percent(best.count(t.count), best.adults()))
        .replace("{worst}", &worst.village)
        .replace("{worst_pct}", &format_percent(worst.count(t.count), worst.adults()))
        .replace("{met}", &met.to_string())
        .replace("{n}", &q.rows.len().to_string())
}

fn trend(s: &Shared<'_>) -> Vec<TrendCtx> {
    let campaign = &s.site.campaign;
    let quarters = &campaign.quarters;
    let short: Vec<String> = quarters.iter().map(|q| format!("Q{}/{}", q.quarter, q.year % 100)).collect();
    let villages: Vec<&str> = campaign
        .villages
        .iter()
        .filter(|v| quarters.iter().any(|q| q.rows.iter().any(|r| r.village == v.name)))
        .map(|v| v.name.as_str())
        .collect();
    TARGETS
        .iter()
        .enumerate()
        .map(|(n, t)| {
            let share_in = |q: &Quarter, v: &str| {
                q.rows.iter().find(|r| r.village == v).map(|r| (r.count(t.count), r.adults()))
            };
            let series: Vec<Series> = villages
                .iter()
                .map(|v| Series {
                    label: (*v).to_owned(),
                    points: quarters.iter().map(|q| share_in(q, v).map(|(c, a)| permille(c, a))).collect(),
                })
                .collect();
            let id = format!("xu-huong-{}", n + 1);
            let summary_id = format!("{id}-tom-tat");
            let rule = target_rule(s, t);
            let chart = charts::lines(&summary_id, &short, &series, Some((t.percent * 10, &rule)));
            let rows = villages
                .iter()
                .map(|v| {
                    let cells = quarters
                        .iter()
                        .map(|q| share_in(q, v).map_or_else(|| "–".to_owned(), |(c, a)| format_percent(c, a)))
                        .collect();
                    ((*v).to_owned(), cells)
                })
                .collect();
            let (first, last) = (quarters.first(), quarters.last());
            let summary = match (first, last) {
                (Some(first), Some(last)) => {
                    let rise = |v: &&str| {
                        let a = share_in(first, v).map_or(0, |(c, a)| permille(c, a));
                        let b = share_in(last, v).map_or(0, |(c, a)| permille(c, a));
                        i64::try_from(b).unwrap_or(0) - i64::try_from(a).unwrap_or(0)
                    };
                    let top = villages.iter().max_by_key(|v| rise(v)).copied().unwrap_or_default();
                    s.theme
                        .t("results_line_summary")
                        .replace("{from}", &format_percent(first.total(t.count), first.total(1)))
                        .replace("{to}", &format_percent(last.total(t.count), last.total(1)))
                        .replace("{first}", &quarter_title(s, first))
                        .replace("{last}", &quarter_title(s, last))
                        .replace("{village}", top)
                }
                _ => String::new(),
            };
            let label = s.theme.t(t.label_key);
            TrendCtx { summary: format!("{label}: {summary}"), label, id, chart, rows }
        })
        .collect()
}

fn results_page<'a>(s: &'a Shared<'_>, quarter: Option<usize>) -> Made<ResultsCtx<'a>> {
    let (site, theme) = (s.site, s.theme);
    let quarters = &site.campaign.quarters;
    let shown = quarter.unwrap_or(quarters.len().saturating_sub(1));
    let ctx_quarter = quarter_ctx(s, shown, "");
    let title = theme.t("results_title");
    let (page_title, url, crumbs) = match quarter {
        Some(_) => (
            format!("{title}: {}", ctx_quarter.title),
            ctx_quarter.url.clone(),
            vec![Link::new(title.clone(), s.urls.results.as_str())],
        ),
        None => (title, s.urls.results.clone(), Vec::new()),
    };
    let links = quarters
        .iter()
        .enumerate()
        .rev()
        .map(|(i, q)| QuarterLink {
            title: quarter_title(s, q),
            url: s.urls.quarter(&q.slug()),
            current: quarter == Some(i),
        })
        .collect();
    let frame = Frame::page(s, page_title, theme.t("results_description"), url.clone())
        .current(&s.urls.results)
        .breadcrumbs(s, crumbs);
    let ctx = ResultsCtx {
        frame,
        quarter: ctx_quarter,
        quarters: links,
        quarter_titles: quarters.iter().map(|q| quarter_title(s, q)).collect(),
        trend: if quarter.is_none() { trend(s) } else { Vec::new() },
        overview: quarter.is_none(),
    };
    ("results.html", url, ctx)
}

#[derive(Serialize)]
struct ReportCtx<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    quarter: QuarterCtx<'a>,
    generated: String,
}

fn report_page<'a>(s: &'a Shared<'_>, i: usize) -> Made<ReportCtx<'a>> {
    let theme = s.theme;
    let quarter = quarter_ctx(s, i, "in-");
    let url = quarter.report_url.clone();
    let title = format!("{}: {}", theme.t("results_report_title"), quarter.title);
    let frame = Frame::page(s, title, theme.t("results_description"), url.clone()).breadcrumbs(
        s,
        vec![
            Link::new(theme.t("results_title"), s.urls.results.as_str()),
            Link::new(quarter.title.clone(), quarter.url.clone()),
        ],
    );
    let generated = date_in_words(theme, s.site.campaign.today);
    ("results-report.html", url, ReportCtx { frame, quarter, generated })
}
