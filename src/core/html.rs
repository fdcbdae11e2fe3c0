//! The one HTML escaper: every piece of text hocso puts into markup goes through it.

/// Escapes text for HTML and XML, in element content and in quoted attributes. `/` is left as
/// it is (Tera's own escaper turns it into `&#x2F;`, which makes every URL longer to read).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

/// [`escape`], appended to `out`.
pub fn escape_into(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let replacement = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(replacement);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// One piece of HTML as [`pieces`] reads it.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text between tags, entities still encoded.
    Text(&'a str),
    /// A start or end tag, by its lower-level name (`p`, `li`, `img`).
    Tag { name: &'a str, closing: bool },
}

/// Splits HTML that hocso wrote into text and tags: the one scanner behind every count of
/// "visible text" (search words, leaflet length). Not a general HTML parser: it reads markup
/// that went through pulldown-cmark and, for raw HTML, the sanitiser, so it needs no comments,
/// CDATA or script handling. An unfinished tag at the end is dropped.
pub fn pieces(html: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = html;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if let Some(after) = rest.strip_prefix('<') {
            let Some(gt) = memchr::memchr(b'>', after.as_bytes()) else {
                rest = "";
                return None;
            };
            let tag = &after[..gt];
            rest = &after[gt + 1..];
            let closing = tag.starts_with('/');
            let name = tag.trim_start_matches('/').split([' ', '/', '\n']).next().unwrap_or("");
            return Some(Piece::Tag { name, closing });
        }
        let stop = memchr::memchr(b'<', rest.as_bytes()).unwrap_or(rest.len());
        let (text, after) = rest.split_at(stop);
        rest = after;
        Some(Piece::Text(text))
    })
}

/// The entities hocso's own escaping writes, decoded.
const ENTITIES: &[(&str, &str)] =
    &[("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")];

/// Appends `text` to `out` with the entities hocso writes decoded (others stay as written), so
/// `&amp;` never counts as the word "amp".
pub fn decode_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let entity = ENTITIES.iter().find(|(name, _)| rest.starts_with(name));
        let (skip, decoded) = entity.map_or((1, "&"), |(name, decoded)| (name.len(), *decoded));
        out.push_str(decoded);
        rest = &rest[skip..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_characters_only() {
        assert_eq!(escape("a<b>&\"c\"'/đ"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;/đ");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn pieces_split_text_and_tags() {
        let got: Vec<Piece<'_>> = pieces("a<p class=x>b</p><img src=y/>c<span").collect();
        assert_eq!(
            got,
            [
                Piece::Text("a"),
                Piece::Tag { name: "p", closing: false },
                Piece::Text("b"),
                Piece::Tag { name: "p", closing: true },
                Piece::Tag { name: "img", closing: false },
                Piece::Text("c"),
            ]
        );
        let mut out = String::new();
        decode_into(&mut out, "&lt;b&gt; &amp;amp; & &nbsp;");
        assert_eq!(out, "<b> &amp; & &nbsp;");
    }
}
