//! Charts drawn at build time as inline SVG: no JavaScript, no chart library in the browser.
//!
//! Everything is drawn in `currentColor`, so a chart follows the page's light, dark and high
//! contrast modes and prints black on white. Series differ by pattern, dash and marker shape, and
//! each is labelled in words beside it, never by colour alone. The chart is `role="img"` named by
//! a summary sentence on the page (`aria-labelledby`); the table beside it holds the full data.

use std::fmt::Write as _;

use crate::core::html::escape;

/// Width of every chart's drawing, in its own units (the page scales it).
const WIDTH: u64 = 480;

/// One bar: a village's share toward a target.
pub struct BarItem {
    pub label: String,
    /// The share, in thousandths (853 = 85,3 %).
    pub permille: u64,
    /// The share and whether the target is reached, in words ("85,3 % – Đạt").
    pub value_text: String,
    pub met: bool,
}

/// Horizontal bars, one per village, with the target marked as a dashed line. A reached target
/// is a solid bar, one not reached a hatched bar, and the words say which.
pub fn bars(
    id: &str,
    labelled_by: &str,
    items: &[BarItem],
    target_permille: u64,
    target_text: &str,
) -> String {
    const ROW: u64 = 56;
    const TOP: u64 = 30;
    let height = TOP + ROW * items.len() as u64 + 4;
    let x = |permille: u64| WIDTH * permille.min(1000) / 1000;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart chart-bars\" role=\"img\" aria-labelledby=\"{labelled_by}\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" focusable=\"false\">\
         <defs><pattern id=\"{id}-hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"8\" fill=\"currentColor\"/></pattern></defs>"
    );
    let tx = x(target_permille);
    let anchor = if tx > WIDTH / 2 { "end" } else { "start" };
    let _ = write!(
        svg,
        "<text x=\"{tx}\" y=\"18\" text-anchor=\"{anchor}\" font-size=\"16\" fill=\"currentColor\">{}</text>",
        escape(target_text)
    );
    for (i, item) in items.iter().enumerate() {
        let y = TOP + ROW * i as u64;
        let fill = if item.met { "currentColor".to_owned() } else { format!("url(#{id}-hatch)") };
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" font-size=\"17\" fill=\"currentColor\">{}: <tspan font-weight=\"700\">{}</tspan></text>\
             <rect x=\"1\" y=\"{}\" width=\"{}\" height=\"20\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1\"/>\
             <rect x=\"1\" y=\"{}\" width=\"{}\" height=\"20\" fill=\"{fill}\" stroke=\"currentColor\" stroke-width=\"2\"/>",
            y + 18,
            escape(&item.label),
            escape(&item.value_text),
            y + 26,
            WIDTH - 2,
            y + 26,
            x(item.permille).max(2).min(WIDTH - 2),
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"{tx}\" y1=\"24\" x2=\"{tx}\" y2=\"{}\" stroke=\"currentColor\" stroke-width=\"3\" stroke-dasharray=\"6 4\"/></svg>",
        height - 2
    );
    svg
}

/// One line: a village across the quarters.
pub struct Series {
    pub label: String,
    /// The share in each quarter, in thousandths; `None` where the village has no row.
    pub points: Vec<Option<u64>>,
}

/// Dash patterns and marker shapes, one per series in turn.
const DASHES: [&str; 6] = ["", "10 5", "3 4", "14 4 3 4", "6 6", "1 3"];

/// A marker of shape `n` centred on (x, y).
fn marker(n: usize, x: i64, y: i64) -> String {
    match n % 5 {
        0 => format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"6\" fill=\"currentColor\"/>"),
        1 => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"11\" height=\"11\" fill=\"currentColor\"/>",
            x - 5,
            y - 5
        ),
        2 => format!("<path d=\"M{x} {}l7 12h-14z\" fill=\"currentColor\"/>", y - 7),
        3 => format!("<path d=\"M{x} {}l7 7l-7 7l-7-7z\" fill=\"currentColor\"/>", y - 7),
        _ => format!(
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"5\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"3\"/>"
        ),
    }
}

/// A line per village across the quarters, each with its own dash and marker and its name at
/// its end; `target` (thousandths, words) is drawn as a thin dashed line across.
pub fn lines(
    labelled_by: &str,
    x_labels: &[String],
    series: &[Series],
    target: Option<(u64, &str)>,
) -> String {
    const HEIGHT: i64 = 300;
    const LEFT: i64 = 52;
    const RIGHT: i64 = 290;
    const TOP: i64 = 16;
    const BOTTOM: i64 = 256;
    let y = |permille: u64| BOTTOM - (BOTTOM - TOP) * i64::try_from(permille.min(1000)).unwrap_or(0) / 1000;
    let steps = i64::try_from(x_labels.len().saturating_sub(1)).unwrap_or(0).max(1);
    let x = |i: usize| LEFT + (RIGHT - LEFT) * i64::try_from(i).unwrap_or(0) / steps;
    let mut svg = format!(
        "<svg class=\"chart chart-lines\" role=\"img\" aria-labelledby=\"{labelled_by}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
         width=\"{WIDTH}\" height=\"{HEIGHT}\" focusable=\"false\">"
    );
    for pct in [0u64, 25, 50, 75, 100] {
        let gy = y(pct * 10);
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" y1=\"{gy}\" x2=\"{RIGHT}\" y2=\"{gy}\" stroke=\"currentColor\" stroke-width=\"1\" opacity=\"0.4\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"15\" fill=\"currentColor\">{pct}\u{a0}%</text>",
            LEFT - 6,
            gy + 5
        );
    }
    for (i, label) in x_labels.iter().enumerate() {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"15\" fill=\"currentColor\">{}</text>",
            x(i),
            HEIGHT - 18,
            escape(label)
        );
    }
    if let Some((permille, words)) = target {
        let ty = y(permille);
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" y1=\"{ty}\" x2=\"{RIGHT}\" y2=\"{ty}\" stroke=\"currentColor\" stroke-width=\"2\" stroke-dasharray=\"2 6\"/>\
             <text x=\"{LEFT}\" y=\"{}\" font-size=\"14\" fill=\"currentColor\">{}</text>",
            ty - 5,
            escape(words)
        );
    }
    // Names at the end of each line, pushed apart so that close lines keep readable names.
    let mut ends: Vec<(i64, usize)> = Vec::new();
    for (n, s) in series.iter().enumerate() {
        let points: Vec<(i64, i64)> =
            s.points.iter().enumerate().filter_map(|(i, p)| p.map(|p| (x(i), y(p)))).collect();
        let path: Vec<String> = points.iter().map(|(px, py)| format!("{px},{py}")).collect();
        let dash = DASHES[n % DASHES.len()];
        let dash = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
        let _ = write!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"3\"{dash}/>",
            path.join(" ")
        );
        for (px, py) in &points {
            svg.push_str(&marker(n, *px, *py));
        }
        if let Some(&(_, py)) = points.last() {
            ends.push((py, n));
        }
    }
    ends.sort_unstable();
    let mut placed: Vec<(i64, usize)> = Vec::new();
    for (py, n) in ends {
        let min = placed.last().map_or(TOP, |(prev, _)| prev + 22);
        placed.push((py.max(min), n));
    }
    // Pushed past the bottom: move the whole column up.
    if let Some(&(last, _)) = placed.last() {
        let over = (last - (HEIGHT - 40)).max(0);
        for p in &mut placed {
            p.0 -= over;
        }
    }
    for (ly, n) in placed {
        let _ = write!(
            svg,
            "{}<text x=\"{}\" y=\"{}\" font-size=\"15\" fill=\"currentColor\">{}</text>",
            marker(n, RIGHT + 18, ly),
            RIGHT + 30,
            ly + 5,
            escape(&series[n].label)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_named_images_drawn_in_the_text_colour() {
        let items = [
            BarItem {
                label: "Thôn <Đông>".into(),
                permille: 920,
                value_text: "92 % – Đạt".into(),
                met: true,
            },
            BarItem { label: "Thôn Tây".into(), permille: 700, value_text: "70 %".into(), met: false },
        ];
        let svg = bars("c1", "c1-sum", &items, 850, "Mục tiêu: trên 85 %");
        assert!(svg.starts_with("<svg class=\"chart chart-bars\" role=\"img\" aria-labelledby=\"c1-sum\""));
        assert!(svg.contains("Thôn &lt;Đông&gt;"), "labels are escaped");
        assert!(svg.contains("url(#c1-hatch)"), "a target not reached is hatched");
        assert!(!svg.contains("=\"#"), "no colour is written: {svg}");
        let series = [
            Series { label: "A".into(), points: vec![Some(500), Some(600)] },
            Series { label: "B".into(), points: vec![Some(500), None] },
        ];
        let svg = lines("c2-sum", &["Q1".into(), "Q2".into()], &series, Some((850, "Mục tiêu")));
        assert!(svg.contains("role=\"img\" aria-labelledby=\"c2-sum\""));
        assert!(svg.contains("stroke-dasharray=\"10 5\""), "the second line is dashed");
    }
}
