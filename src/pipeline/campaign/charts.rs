//! Charts drawn at build time as inline SVG: no JavaScript, no chart library in the browser.
//!
//! Everything is drawn in `currentColor`, so a chart follows the page's light, dark and high
//! contrast modes and prints black on white. Series differ by pattern, dash and marker shape, and
//! each is labelled in words beside it, never by colour alone. The chart is `role="img"` named by
//! a summary sentence on the page (`aria-labelledby`); the table beside it holds the full data.

use std::fmt::Write as _;

use crate::core::html::escape;

/// Width of every chart's drawing, in its own units. About a phone's width in CSS pixels, so
/// that on a phone the 16-unit text is drawn near 16 px; wider screens cap the chart's width.
const WIDTH: u64 = 360;

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
    const ROW: u64 = 74;
    const TOP: u64 = 28;
    let height = TOP + ROW * items.len() as u64;
    let x = |permille: u64| (WIDTH - 2) * permille.min(1000) / 1000 + 1;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart chart-bars\" role=\"img\" aria-labelledby=\"{labelled_by}\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" focusable=\"false\">\
         <defs><pattern id=\"{id}-hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"8\" fill=\"currentColor\"/></pattern></defs>"
    );
    let tx = x(target_permille);
    // The key of the dashed target line, at the top left where no bar's words are.
    let _ = write!(
        svg,
        "<line x1=\"4\" y1=\"2\" x2=\"4\" y2=\"22\" stroke=\"currentColor\" stroke-width=\"3\" stroke-dasharray=\"6 4\"/>\
         <text x=\"14\" y=\"17\" font-size=\"15\" fill=\"currentColor\">{}</text>",
        escape(target_text)
    );
    for (i, item) in items.iter().enumerate() {
        let y = TOP + ROW * i as u64;
        let fill = if item.met { "currentColor".to_owned() } else { format!("url(#{id}-hatch)") };
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" font-size=\"16\" fill=\"currentColor\">{}</text>\
             <text x=\"0\" y=\"{}\" font-size=\"16\" font-weight=\"700\" fill=\"currentColor\">{}</text>\
             <rect x=\"1\" y=\"{}\" width=\"{}\" height=\"18\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1\"/>\
             <rect x=\"1\" y=\"{}\" width=\"{}\" height=\"18\" fill=\"{fill}\" stroke=\"currentColor\" stroke-width=\"2\"/>",
            y + 16,
            escape(&item.label),
            y + 36,
            escape(&item.value_text),
            y + 44,
            WIDTH - 2,
            y + 44,
            x(item.permille).saturating_sub(1).max(2),
        );
        // The target across the bar only, so that it never runs through the words.
        let _ = write!(
            svg,
            "<line x1=\"{tx}\" y1=\"{}\" x2=\"{tx}\" y2=\"{}\" stroke=\"currentColor\" stroke-width=\"3\" stroke-dasharray=\"6 4\"/>",
            y + 40,
            y + 66
        );
    }
    svg.push_str("</svg>");
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

/// A line per village across the quarters, each with its own dash and marker, named in a key
/// under the plot that shows the same dash and marker; `target` (thousandths, words) is drawn as
/// a thin dashed line across.
pub fn lines(
    labelled_by: &str,
    x_labels: &[String],
    series: &[Series],
    target: Option<(u64, &str)>,
) -> String {
    const LEFT: i64 = 50;
    const RIGHT: i64 = 340;
    const TOP: i64 = 12;
    const BOTTOM: i64 = 212;
    const KEY_ROW: i64 = 26;
    let width = i64::try_from(WIDTH).unwrap_or(360);
    let key_top = BOTTOM + 48;
    let rows = i64::try_from(series.len()).unwrap_or(0) + i64::from(target.is_some());
    let height = key_top + KEY_ROW * rows;
    let y = |permille: u64| BOTTOM - (BOTTOM - TOP) * i64::try_from(permille.min(1000)).unwrap_or(0) / 1000;
    let steps = i64::try_from(x_labels.len().saturating_sub(1)).unwrap_or(0).max(1);
    let x = |i: usize| LEFT + 14 + (RIGHT - LEFT - 28) * i64::try_from(i).unwrap_or(0) / steps;
    let mut svg = format!(
        "<svg class=\"chart chart-lines\" role=\"img\" aria-labelledby=\"{labelled_by}\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" focusable=\"false\">"
    );
    for pct in [0u64, 25, 50, 75, 100] {
        let gy = y(pct * 10);
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" y1=\"{gy}\" x2=\"{RIGHT}\" y2=\"{gy}\" stroke=\"currentColor\" stroke-width=\"1\" opacity=\"0.5\"/>\
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
            BOTTOM + 24,
            escape(label)
        );
    }
    // The target: a thin dotted line across, named in the last row of the key (on the plot its
    // name would run through the lines near it).
    if let Some((permille, words)) = target {
        let ty = y(permille);
        let ky = key_top + KEY_ROW * i64::try_from(series.len()).unwrap_or(0);
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" y1=\"{ty}\" x2=\"{RIGHT}\" y2=\"{ty}\" stroke=\"currentColor\" stroke-width=\"2\" stroke-dasharray=\"2 6\"/>\
             <line x1=\"0\" y1=\"{ky}\" x2=\"44\" y2=\"{ky}\" stroke=\"currentColor\" stroke-width=\"2\" stroke-dasharray=\"2 6\"/>\
             <text x=\"54\" y=\"{}\" font-size=\"15\" fill=\"currentColor\">{}</text>",
            ky + 6,
            escape(words)
        );
    }
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
        // The key: the same dash and marker, then the name.
        let ky = key_top + KEY_ROW * i64::try_from(n).unwrap_or(0);
        let _ = write!(
            svg,
            "<line x1=\"0\" y1=\"{ky}\" x2=\"44\" y2=\"{ky}\" stroke=\"currentColor\" stroke-width=\"3\"{dash}/>{}\
             <text x=\"54\" y=\"{}\" font-size=\"16\" fill=\"currentColor\">{}</text>",
            marker(n, 22, ky),
            ky + 6,
            escape(&s.label)
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
