//! Printable leaflets: the QR code back to the online lesson, and an estimate of how many
//! sheets a leaflet will take, so a trainer never prints a lesson that spills onto a third page.

use qrcode::{Color, EcLevel};

/// Leaflets in one print pack at most; a larger topic's pack lists its leaflets instead, since
/// nobody prints hundreds of sheets at once and the page would be too heavy to open. The
/// Markdown stage needs it too: a lesson printed in full in a pack gets print-only ids.
pub const PACK_MAX: usize = 100;

/// Paper sizes a leaflet can be laid out for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub enum Paper {
    #[default]
    A4,
    A5,
}

impl Paper {
    /// "Estimate lines" one page holds, and characters per line, after margins.
    ///
    /// Calibrated on Chromium's print layout of the 16 sample leaflets (the browser suite
    /// compares this estimate with the measured height of each leaflet). Since the compact
    /// print layout (QR beside the title, help on the first side, 1.3 line height) the
    /// block-by-block count below runs about 1.28 times what it did against the page, so an A4
    /// page "holds" 70 of them (a little under 56 × 1.28, to err towards warning). A5 scales by
    /// its text area.
    fn capacity(self) -> (f64, f64) {
        match self {
            Paper::A4 => (70.0, 68.0),
            Paper::A5 => (49.0, 47.0),
        }
    }

    /// CSS class of the leaflet for this paper.
    pub fn class(self) -> &'static str {
        match self {
            Paper::A4 => "paper-a4",
            Paper::A5 => "paper-a5",
        }
    }
}

/// An inline SVG QR code for `url`, error correction M, with a quiet zone of 4 modules.
///
/// Drawn as one path of unit squares so it stays sharp at any print size and weighs about 2 KB.
/// The caller supplies the accessible name (`label`).
pub fn qr_svg(url: &str, label: &str) -> Option<String> {
    let (width, colors) = qr_modules(url)?;
    let quiet = 4;
    let size = width + 2 * quiet;
    // One rectangle per horizontal run of dark modules: `M{x} {y}h{run}v1h-{run}z`. Numbers
    // are pushed digit by digit: through `write!`, the few hundred runs of each code were two
    // thirds of drawing it.
    let mut path = String::with_capacity(width * width * 2);
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let run = row[x..].iter().take_while(|c| **c == Color::Dark).count();
                path.push('M');
                push_number(&mut path, x + quiet);
                path.push(' ');
                push_number(&mut path, y + quiet);
                path.push('h');
                push_number(&mut path, run);
                path.push_str("v1h-");
                push_number(&mut path, run);
                path.push('z');
                x += run;
            } else {
                x += 1;
            }
        }
    }
    let label = crate::core::html::escape(label);
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{label}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

/// Appends `n` in decimal. Coordinates and runs of a QR code are below 1,000 (the largest code
/// is 185 wide with its margin): they take no recursion.
fn push_number(out: &mut String, n: usize) {
    let digit = |d: usize| char::from(b'0' + (d % 10) as u8);
    if n >= 1000 {
        push_number(out, n / 1000);
    }
    if n >= 100 {
        out.push(digit(n / 100));
    }
    if n >= 10 {
        out.push(digit(n / 10));
    }
    out.push(digit(n));
}

/// The modules of a QR code for `text`, error correction M.
///
/// The mask is fixed (checkerboard) instead of the best of eight: choosing the best scores all
/// eight, which was a sixth of the whole build time, and any mask is valid for every reader.
/// The browser suite decodes the printed codes with zbarimg and the Rust tests with rqrr.
fn qr_modules(text: &str) -> Option<(usize, Vec<Color>)> {
    use qrcode::canvas::{Canvas, MaskPattern};
    let bits = qrcode::bits::encode_auto(text.as_bytes(), EcLevel::M).ok()?;
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    canvas.apply_mask(MaskPattern::Checkerboard);
    let width = usize::try_from(version.width()).ok()?;
    Some((width, canvas.into_colors()))
}

/// Estimated printed pages of a leaflet whose body is `html`.
///
/// Counts the text of each block element, wraps it at the paper's line length (steps and
/// callouts are indented, so they get a shorter line), and adds the fixed parts of every
/// leaflet: title, summary, QR code and help block.
pub fn estimate_pages(html: &str, title: &str, summary: &str, paper: Paper) -> f64 {
    let (lines_per_page, chars_per_line) = paper.capacity();
    // Title at 24 pt (two body lines each), summary, and the QR + help block (about 9 lines).
    let mut lines = 2.0 * wrap(title.chars().count(), chars_per_line * 0.55)
        + wrap(summary.chars().count(), chars_per_line)
        + 10.0;
    for block in blocks(html) {
        let (factor, spacing) = match block.tag {
            "h2" | "h3" | "h4" => (0.75, 1.2),
            "li" => (0.85, 0.45),
            "td" | "th" => (0.45, 0.2),
            _ => (1.0, 0.5),
        };
        if block.chars > 0 {
            lines += wrap(block.chars, chars_per_line * factor) + spacing;
        }
        if block.tag == "img" {
            lines += 9.0;
        }
    }
    lines / lines_per_page
}

fn wrap(chars: usize, per_line: f64) -> f64 {
    if chars == 0 { 0.0 } else { (chars as f64 / per_line).ceil() }
}

struct Block {
    tag: &'static str,
    chars: usize,
}

/// Splits HTML into blocks at the closing tags of block elements and counts their text.
fn blocks(html: &str) -> Vec<Block> {
    const TAGS: [&str; 9] = ["p", "li", "h2", "h3", "h4", "td", "th", "pre", "img"];
    let mut out = Vec::new();
    let mut chars = 0usize;
    let mut text = String::new();
    for piece in crate::core::html::pieces(html) {
        match piece {
            crate::core::html::Piece::Text(t) => {
                text.clear();
                crate::core::html::decode_into(&mut text, t);
                chars += text.chars().count();
            }
            crate::core::html::Piece::Tag { name, closing } => {
                let Some(t) = TAGS.iter().find(|t| **t == name) else { continue };
                if closing || *t == "img" {
                    out.push(Block { tag: t, chars });
                    chars = 0;
                } else if chars > 0 {
                    // Text before a nested block (e.g. "Step" then a list inside it).
                    out.push(Block { tag: "p", chars });
                    chars = 0;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in (0..=2000).chain([9_999, 10_000, 10_001, 123_456_789, usize::MAX]) {
            let mut out = String::from("M");
            push_number(&mut out, n);
            assert_eq!(out, format!("M{n}"));
        }
    }

    #[test]
    fn qr_svg_is_labelled_and_square() {
        let svg = qr_svg("https://hocso.example.vn/an-toan/otp/", "Mã QR").unwrap_or_default();
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 37 37\""),
            "{svg}"
        );
        assert!(svg.contains("M4 4h7v1h-7z"), "finder pattern drawn as one run: {svg}");
        assert!(svg.contains("role=\"img\" aria-label=\"Mã QR\""));
    }

    #[test]
    fn longer_content_estimates_more_pages() {
        let short = estimate_pages("<p>Một bước.</p>", "Tiêu đề", "Tóm tắt", Paper::A4);
        let step = "<li>Mở ứng dụng ngân hàng trên điện thoại và đăng nhập bằng mật khẩu của bạn.</li>";
        let long = estimate_pages(&step.repeat(60), "Tiêu đề", "Tóm tắt", Paper::A4);
        assert!(short < 0.35, "{short}");
        assert!(long > 2.0, "{long}");
        assert!(
            estimate_pages(&step.repeat(20), "T", "S", Paper::A5)
                > estimate_pages(&step.repeat(20), "T", "S", Paper::A4)
        );
    }

    #[test]
    fn blocks_count_text_without_tags_or_entities() {
        let b = blocks(
            "<p>A &amp; B</p><ol class=\"steps\"><li>Mở <strong>app</strong></li></ol><img src=\"x\" alt=\"y\">",
        );
        let got: Vec<_> = b.iter().map(|b| (b.tag, b.chars)).collect();
        assert_eq!(got, vec![("p", 5), ("li", 6), ("img", 0)]);
    }
}
