//! SVG pictures, parsed and written out again keeping only what draws.
//!
//! An SVG is a document that can carry scripts, links and references to other files, and the
//! cleaned file is published on the site's own address, where a resident may open it directly.
//! Scanning the text for `<script` and `on…=` misses what XML allows to be written another way
//! (`&#106;avascript:`, `xlink:href`, `<set attributeName="onclick">`), so the file is parsed with
//! a real XML parser (roxmltree: small, no dependencies, entity loops refused) and re-serialised
//! from an allowlist of elements and attributes. Anything not on the list is left out, so a new
//! trick is dropped by default rather than published.
//!
//! Kept: shapes, text, groups, `<use href="#…">`, gradients, patterns, clip paths, masks,
//! markers, filters, `<title>`/`<desc>` (what a screen reader says), `viewBox`, sizes and
//! presentation attributes. Left out: scripts, event attributes, `<set>`/`<animate…>`,
//! `<foreignObject>`, `<style>` sheets and `style` attributes that fetch anything, links other
//! than `#fragment`, references to other files (an `<image>` may only embed a PNG, JPEG, GIF or
//! WebP as `data:`), comments, processing instructions and the DOCTYPE. A file that declares
//! entities is refused.

use std::fmt::Write as _;

use roxmltree::{Document, Node, NodeType, ParsingOptions};

use crate::core::html;

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Elements kept, with their content (if that is kept too).
#[rustfmt::skip]
const ELEMENTS: &[&str] = &[
    "svg", "g", "defs", "symbol", "use", "title", "desc", "a", "switch", "style",
    // Shapes and text.
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath",
    "image",
    // Paint servers, clipping, markers.
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
    // Filters (no feImage: it fetches).
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
    "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA",
    "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology",
    "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
];

/// Attributes (without namespace) kept on any kept element. No `on…`, no `attributeName`,
/// no `cursor` (it takes a URL); `href` and `style` are checked on their own.
#[rustfmt::skip]
const ATTRIBUTES: &[&str] = &[
    // Core.
    "id", "class", "lang", "tabindex", "role", "aria-label", "aria-hidden", "aria-labelledby",
    "aria-describedby", "focusable", "transform", "transform-origin", "version", "baseProfile",
    // Geometry.
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "width",
    "height", "d", "points", "pathLength", "viewBox", "preserveAspectRatio", "dx", "dy", "rotate",
    "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side",
    // Presentation.
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset",
    "stroke-opacity", "opacity", "color", "display", "visibility", "overflow", "clip",
    "clip-path", "clip-rule", "mask", "filter", "marker-start", "marker-mid", "marker-end",
    "stop-color", "stop-opacity", "flood-color", "flood-opacity", "lighting-color",
    "color-interpolation", "color-interpolation-filters", "color-rendering", "shape-rendering",
    "text-rendering", "image-rendering", "vector-effect", "paint-order", "mix-blend-mode",
    "isolation", "font", "font-family", "font-size", "font-size-adjust", "font-stretch",
    "font-style", "font-variant", "font-weight", "text-anchor", "text-decoration",
    "dominant-baseline", "alignment-baseline", "baseline-shift", "letter-spacing",
    "word-spacing", "writing-mode", "direction", "unicode-bidi", "white-space",
    // Paint servers, clipping, markers.
    "gradientUnits", "gradientTransform", "spreadMethod", "offset", "patternUnits",
    "patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits", "maskContentUnits",
    "markerWidth", "markerHeight", "markerUnits", "refX", "refY", "orient",
    // Filters.
    "filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode", "type",
    "values", "operator", "k1", "k2", "k3", "k4", "scale", "xChannelSelector",
    "yChannelSelector", "baseFrequency", "numOctaves", "seed", "stitchTiles", "order",
    "kernelMatrix", "divisor", "bias", "targetX", "targetY", "edgeMode", "kernelUnitLength",
    "preserveAlpha", "surfaceScale", "diffuseConstant", "specularConstant", "specularExponent",
    "azimuth", "elevation", "pointsAtX", "pointsAtY", "pointsAtZ", "z", "limitingConeAngle",
    "tableValues", "slope", "intercept", "amplitude", "exponent", "radius",
    // `<style>` sheets (their text is checked like a `style` attribute).
    "media",
];

/// Raster images an `<image>` may embed (as `data:` only).
const DATA_IMAGES: &[&str] =
    &["data:image/png;", "data:image/jpeg;", "data:image/jpg;", "data:image/gif;", "data:image/webp;"];

/// The cleaned SVG and its size in CSS pixels (`width`/`height`, else the `viewBox`), or the
/// reason it cannot be used (in the words shown to the author).
pub fn clean(text: &str) -> Result<(String, Option<(u32, u32)>), String> {
    if text.contains("<!ENTITY") {
        return Err("SVG khai báo thực thể (<!ENTITY>); hãy xuất lại tệp SVG thường".into());
    }
    // A DOCTYPE naming the SVG 1.1 DTD is common in exported files; it is read (never fetched)
    // and not written out.
    let options = ParsingOptions { allow_dtd: true, nodes_limit: 1_000_000, ..ParsingOptions::default() };
    let doc = Document::parse_with_options(text, options)
        .map_err(|e| format!("SVG không đọc được (XML lỗi): {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" || root.tag_name().namespace() != Some(SVG_NS) {
        return Err("không phải tệp SVG (thiếu <svg xmlns=\"http://www.w3.org/2000/svg\">)".into());
    }
    let mut out = String::with_capacity(text.len());
    write_element(&mut out, root, true);
    Ok((out, size(root)))
}

/// Writes `node` and what is kept of its content.
fn write_element(out: &mut String, node: Node<'_, '_>, is_root: bool) {
    let name = node.tag_name().name();
    out.push('<');
    out.push_str(name);
    if is_root {
        let _ = write!(out, " xmlns=\"{SVG_NS}\" xmlns:xlink=\"{XLINK_NS}\"");
    }
    for attr in node.attributes() {
        let Some(qualified) = kept_attribute(name, attr.namespace(), attr.name(), attr.value()) else {
            continue;
        };
        let _ = write!(out, " {qualified}=\"");
        html::escape_into(out, attr.value());
        out.push('"');
    }
    let children: Vec<Node<'_, '_>> = node.children().filter(|c| kept_node(*c)).collect();
    if children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for child in children {
        match child.node_type() {
            NodeType::Element => write_element(out, child, false),
            _ => html::escape_into(out, child.text().unwrap_or_default()),
        }
    }
    let _ = write!(out, "</{name}>");
}

/// Whether a child node is written out.
fn kept_node(node: Node<'_, '_>) -> bool {
    match node.node_type() {
        NodeType::Element => {
            let tag = node.tag_name();
            tag.namespace() == Some(SVG_NS)
                && ELEMENTS.contains(&tag.name())
                && (tag.name() != "style" || safe_css(&text_of(node)))
        }
        NodeType::Text => true,
        // Comments, processing instructions: nothing a picture needs.
        _ => false,
    }
}

/// The attribute as written out (`fill`, `xlink:href`, `xml:space`), or `None` to leave it out.
fn kept_attribute(element: &str, namespace: Option<&str>, name: &str, value: &str) -> Option<String> {
    match namespace {
        None if name == "href" => safe_href(element, value).then(|| name.to_owned()),
        Some(XLINK_NS) if name == "href" => safe_href(element, value).then(|| format!("xlink:{name}")),
        Some(XLINK_NS) if name == "title" => Some(format!("xlink:{name}")),
        Some(XML_NS) if matches!(name, "lang" | "space") => Some(format!("xml:{name}")),
        None if name == "style" => safe_css(value).then(|| name.to_owned()),
        None if ATTRIBUTES.contains(&name) => safe_value(value).then(|| name.to_owned()),
        _ => None,
    }
}

/// Links and references: `#fragment` only, and for `<image>` an embedded raster image.
fn safe_href(element: &str, value: &str) -> bool {
    let value = value.trim();
    if value.starts_with('#') {
        return !value.contains(['(', ')', '\\']);
    }
    let lower = value.to_ascii_lowercase();
    element == "image"
        && DATA_IMAGES.iter().any(|p| lower.starts_with(p))
        && lower.split(',').next().is_some_and(|head| head.ends_with(";base64"))
}

/// A value that fetches nothing: a `url(…)` must point into the document (`url(#clip)`).
fn safe_value(value: &str) -> bool {
    let lower: String = value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    if lower.contains("javascript:") || lower.contains("data:") || lower.contains("expression(") {
        return false;
    }
    lower.match_indices("url(").all(|(i, _)| {
        let rest = lower[i + 4..].trim_start_matches(['"', '\'']);
        rest.starts_with('#')
    })
}

/// CSS (a `<style>` sheet or a `style` attribute) that fetches nothing and hides no escapes.
fn safe_css(css: &str) -> bool {
    let lower = css.to_ascii_lowercase();
    safe_value(css)
        && !lower.contains("@import")
        && !lower.contains("behavior")
        && !lower.contains("binding")
        && !css.contains('\\')
        && !css.contains("</")
}

/// All the text inside an element (a `<style>` sheet may be split by CDATA sections).
fn text_of(node: Node<'_, '_>) -> String {
    node.descendants().filter(Node::is_text).filter_map(|t| t.text()).collect()
}

/// Width and height from the root's `width`/`height` (`px` or plain numbers), else its viewBox.
fn size(root: Node<'_, '_>) -> Option<(u32, u32)> {
    let number = |v: &str| v.trim().trim_end_matches("px").trim().parse::<f64>().ok().filter(|n| *n > 0.0);
    let dimension = |name| root.attribute(name).and_then(number);
    if let (Some(w), Some(h)) = (dimension("width"), dimension("height")) {
        return Some((w.round() as u32, h.round() as u32));
    }
    let vb: Vec<f64> = root
        .attribute("viewBox")?
        .split([' ', ','])
        .filter(|v| !v.is_empty())
        .filter_map(|v| v.parse().ok())
        .collect();
    (vb.len() == 4 && vb[2] > 0.0 && vb[3] > 0.0).then(|| (vb[2].round() as u32, vb[3].round() as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(svg: &str) -> String {
        clean(svg).unwrap_or_else(|e| panic!("{e}")).0
    }

    /// The three tricks of issue 14, each published as it was by the old text scanner.
    #[test]
    fn encoded_javascript_data_links_and_set_are_removed() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">
<a href="&#106;avascript:alert(1)"><rect width="4" height="4"/></a>
<a xlink:href="data:text/html,&lt;script&gt;alert(2)&lt;/script&gt;"><circle r="2"/></a>
<rect width="5" height="5"><set attributeName="onmouseover" to="alert(3)"/></rect>
<text><animate attributeName="href" to="javascript:alert(4)"/>Bấm</text>
</svg>"##;
        let clean = cleaned(svg);
        for bad in ["javascript", "data:", "alert", "<set", "<animate", "onmouseover", "href"] {
            assert!(!clean.contains(bad), "{bad} survived: {clean}");
        }
        assert!(
            clean.contains("<rect width=\"4\" height=\"4\"/>") && clean.contains("<circle r=\"2\"/>"),
            "{clean}"
        );
        assert!(clean.contains("<text>Bấm</text>"), "{clean}");
    }

    #[test]
    fn scripts_handlers_foreign_objects_and_external_references_are_removed() {
        let svg = r##"<?xml version="1.0"?><?xml-stylesheet href="https://evil.example/x.css"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:ev="http://www.w3.org/2001/xml-events" width="40" height="20" onload="steal()">
<script>alert(1)</script><SCRIPT>alert(1)</SCRIPT>
<foreignObject><p xmlns="http://www.w3.org/1999/xhtml" onclick="x()">x</p></foreignObject>
<rect width="4" height="4" onclick='x()' ev:event="click" fill="url(https://evil.example/p#x)"/>
<image href="https://evil.example/track.png" width="1" height="1"/>
<image xlink:href="other.svg" width="1" height="1"/>
<image href="data:image/svg+xml;base64,PHN2Zz4=" width="1" height="1"/>
<use href="https://evil.example/sprite.svg#icon"/>
<feImage href="https://evil.example/x.png"/>
<style>@import url(https://evil.example/a.css); rect { fill: red }</style>
<circle r="3" style="fill: url('https://evil.example/x')"/>
<h1 xmlns="http://www.w3.org/1999/xhtml">x</h1>
<!-- a comment --><![CDATA[ <script>alert(5)</script> ]]>
</svg>"##;
        let clean = cleaned(svg);
        for bad in [
            "<script",
            "<SCRIPT",
            "steal",
            "onclick",
            "foreignObject",
            "evil",
            "other.svg",
            "svg+xml",
            "href",
            "feImage",
            "@import",
            "<h1",
            "ev:",
            "comment",
            "<?",
        ] {
            assert!(!clean.contains(bad), "{bad} survived: {clean}");
        }
        // CDATA is text: kept, escaped, so it is never markup.
        assert!(clean.contains("&lt;script&gt;alert(5)"), "{clean}");
        assert!(
            clean.contains("<rect width=\"4\" height=\"4\"/>") && clean.contains("<circle r=\"3\"/>"),
            "{clean}"
        );
    }

    #[test]
    fn drawings_keep_what_they_need() {
        let png = "data:image/png;base64,iVBORw0KGgo=";
        let svg = format!(
            r##"<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 50" role="img" aria-labelledby="t">
<title id="t">Nút &amp; mã QR</title><desc>Hình nút quét mã</desc>
<defs><linearGradient id="g" x2="1"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#000"/></linearGradient>
<symbol id="s"><path d="M0 0h10v10z"/></symbol><clipPath id="c"><rect width="50" height="50"/></clipPath></defs>
<g clip-path="url(#c)" fill="url(#g)" style="stroke: #123; stroke-width: 2"><use href="#s" x="5"/><use xlink:href="#s" x="20"/></g>
<a href="#t"><text xml:space="preserve" font-size="12">A &lt; B</text></a>
<image href="{png}" width="10" height="10"/>
<style>.x {{ fill: #0a3a8c }}</style>
</svg>"##
        );
        let (clean, size) = clean(&svg).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(size, Some((100, 50)));
        for kept in [
            "viewBox=\"0 0 100 50\"",
            "<title id=\"t\">Nút &amp; mã QR</title>",
            "<desc>Hình nút quét mã</desc>",
            "<linearGradient id=\"g\" x2=\"1\"><stop offset=\"0\" stop-color=\"#fff\"/>",
            "clip-path=\"url(#c)\" fill=\"url(#g)\" style=\"stroke: #123; stroke-width: 2\"",
            "<use href=\"#s\" x=\"5\"/>",
            "<use xlink:href=\"#s\" x=\"20\"/>",
            "<a href=\"#t\"><text xml:space=\"preserve\" font-size=\"12\">A &lt; B</text></a>",
            &format!("<image href=\"{png}\" width=\"10\" height=\"10\"/>"),
            "<style>.x { fill: #0a3a8c }</style>",
        ] {
            assert!(clean.contains(kept), "{kept} lost: {clean}");
        }
        assert!(!clean.contains("DOCTYPE"), "{clean}");
        // The result is itself well-formed SVG.
        assert!(Document::parse(&clean).is_ok(), "{clean}");
    }

    #[test]
    fn entities_and_broken_files_are_refused() {
        let laughs = "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>&b;</text></svg>";
        assert!(clean(laughs).is_err());
        assert!(clean("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect></svg>").is_err());
        assert!(clean("<html><svg xmlns=\"http://www.w3.org/2000/svg\"/></html>").is_err());
        assert!(
            clean("<svg><rect/></svg>").is_err(),
            "an SVG without its namespace is not drawn by browsers"
        );
        assert!(clean("").is_err());
    }

    /// The sample site's SVG loses nothing: every element and attribute is written again.
    #[test]
    fn the_sample_svg_is_kept_whole() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content/thanh-toan/thanh-toan-bang-ma-qr/nut-quet-qr.svg");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
        let (clean, size) = clean(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(size, Some((360, 640)));
        let before = Document::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        let after = Document::parse(&clean).unwrap_or_else(|e| panic!("{e}"));
        type Shape = (String, Vec<(String, String)>, String);
        let shape = |doc: &Document<'_>| -> Vec<Shape> {
            doc.descendants()
                .filter(Node::is_element)
                .map(|n| {
                    let attrs = n.attributes().map(|a| (a.name().to_owned(), a.value().to_owned())).collect();
                    let text =
                        n.children().filter(Node::is_text).filter_map(|t| t.text()).collect::<String>();
                    (n.tag_name().name().to_owned(), attrs, text.trim().to_owned())
                })
                .collect()
        };
        assert_eq!(shape(&before), shape(&after));
        assert_eq!(shape(&after).len(), 19);
    }
}
