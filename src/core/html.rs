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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_characters_only() {
        assert_eq!(escape("a<b>&\"c\"'/đ"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;/đ");
        assert_eq!(escape(""), "");
    }
}
