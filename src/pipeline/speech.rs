//! A lesson's spoken text: what its recording says, in the order a resident sees the page.
//!
//! Title, summary, then the body: headings, paragraphs, "Bước 1. …" for each step, callouts
//! announced by their word ("Cảnh báo lừa đảo. …"), table rows as "column: value", images by
//! their alt text, links by their text. Code blocks, raw HTML and footnote marks are left out;
//! the glossary list is not in the Markdown at all (the template adds it).
//!
//! The walk reads the Markdown with pulldown-cmark (the same options as [`markdown`]), not the
//! rendered HTML: the structure is there as written (which list is numbered and from where, which
//! alert, which row is the head), nothing added for sight or screen readers needs taking out
//! again ("(mở trang ngoài)", "Xem ảnh lớn"), and no HTML parser is needed in the build.
//!
//! Each block is then said the Vietnamese way ([`Speech::say`]): numbers, dates, times, money,
//! phone numbers and abbreviations become the words a neighbour would say, since a speech engine
//! reads "24/11/2026" or "OTP" by rules of its own. Words come from the theme's
//! `speech/<language>.toml`, extended by the site's `[audio] words`.

use std::collections::HashMap;
use std::sync::LazyLock;

use pulldown_cmark::{BlockQuoteKind, Event, Parser, Tag, TagEnd};
use regex::{Captures, Regex};
use serde::Deserialize;

use crate::assets::theme::{Labels, Theme};
use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::vi_number::{date, decimal, each_digit, number_str, spell};
use crate::pipeline::config::UrgentHelp;
use crate::pipeline::markdown;

/// The theme's `speech/<language>.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeechFile {
    /// Said before each step's number: "Bước".
    step: String,
    /// Said before an image's alt text: "Hình".
    image: String,
    /// How words are said: `OTP = "ô tê pê"`.
    #[serde(default)]
    words: HashMap<String, String>,
}

/// How a site's lessons are read aloud.
#[derive(Debug)]
pub struct Speech {
    step: String,
    image: String,
    words: HashMap<String, String>,
    /// Numbers and dates are said in Vietnamese words (other languages: left to the engine).
    vietnamese: bool,
}

impl Speech {
    /// The theme's words for `language`, with the site's own (`[audio] words`) over them.
    pub fn load(
        theme: &Theme,
        language: &str,
        site_words: &HashMap<String, String>,
    ) -> Result<Speech, Diagnostic> {
        let (path, text) = theme.speech.as_ref().ok_or_else(|| {
            Diagnostic::error(
                theme.origin.join(format!("speech/{language}.toml")),
                0,
                0,
                Problem::MissingFile,
            )
        })?;
        let file: SpeechFile = crate::core::tomlcheck::parse(path, text, 1)?;
        let mut words = file.words;
        words.extend(site_words.iter().map(|(k, v)| (k.clone(), v.clone())));
        Ok(Speech { step: file.step, image: file.image, words, vietnamese: language == "vi" })
    }

    /// The "just scammed?" box at the top of lessons about scams, as the page shows it: its
    /// title, then its three steps (the police's number said digit by digit).
    pub fn urgent_help(&self, theme: &Theme, help: &UrgentHelp) -> Vec<String> {
        let name =
            if help.police_name.is_empty() { String::new() } else { format!(" ({})", help.police_name) };
        let police = format!("{} {}{name}.", theme.t("urgent_police"), help.police_phone);
        let steps = [theme.t("urgent_bank"), police, theme.t("urgent_keep")];
        let mut blocks = vec![theme.t("urgent_title")];
        blocks.extend(steps.iter().enumerate().map(|(i, s)| format!("{} {}. {s}", self.step, i + 1)));
        blocks
    }

    /// The spoken text of a lesson: one block a line, each ending in a pause. `intro` is said
    /// between the title and the summary, where the page shows the urgent-help box.
    pub fn lesson(
        &self,
        labels: &Labels,
        title: &str,
        intro: &[String],
        summary: &str,
        body: &str,
    ) -> String {
        let mut blocks = vec![title.to_owned()];
        blocks.extend(intro.iter().cloned());
        blocks.push(summary.to_owned());
        let mut walk = Walk {
            speech: self,
            labels,
            blocks,
            current: String::new(),
            pending: String::new(),
            lists: Vec::new(),
            skipping: 0,
            alt: None,
            head: Vec::new(),
            row: Vec::new(),
            cell: None,
            in_head: false,
        };
        for event in Parser::new_ext(body, markdown::OPTIONS) {
            walk.event(event);
        }
        walk.flush();
        let mut out = String::new();
        for block in walk.blocks {
            let said = self.say(&block.split_whitespace().collect::<Vec<_>>().join(" "));
            let said = said.trim();
            if said.is_empty() {
                continue;
            }
            out.push_str(said);
            if !said.ends_with(['.', '!', '?', ':', ';', '…']) {
                out.push('.');
            }
            out.push('\n');
        }
        out
    }

    /// `text` with numbers, dates, times, money, addresses and abbreviations in words.
    pub fn say(&self, text: &str) -> String {
        let mut text = say_addresses(text);
        if self.vietnamese {
            text = say_numbers(&text);
        }
        self.say_words(&text)
    }

    /// Words from the table; other words in capitals spelled (`ATM`) or read as words (`MINH`).
    fn say_words(&self, text: &str) -> String {
        static WORD: LazyLock<Regex> = LazyLock::new(|| re(r"[\p{L}\p{M}\p{N}]+"));
        WORD.replace_all(text, |c: &Captures<'_>| {
            let word = &c[0];
            if let Some(said) = self.words.get(word) {
                return said.clone();
            }
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            if letters < 2 || word.chars().any(|c| c.is_lowercase() || c.is_numeric()) {
                return word.to_owned();
            }
            // A short word in capitals without Vietnamese marks, or one without a vowel, is an
            // abbreviation; a longer one is a word written in capitals ("TẠP HÓA MINH HỌA").
            let vowel = word.chars().any(|c| "AEIOUY".contains(c) || !c.is_ascii());
            if self.vietnamese && (!vowel || (letters <= 3 && word.is_ascii())) {
                spell(word).unwrap_or_else(|| word.to_lowercase())
            } else {
                word.to_lowercase()
            }
        })
        .into_owned()
    }
}

/// Characters of `text` a Vietnamese voice cannot say: letters of other scripts (Chinese,
/// Khmer, Cyrillic…), emoji and symbols. Latin letters with any marks, digits, spaces and
/// punctuation are fine. Each character once, in order of appearance.
pub fn unsayable(text: &str) -> Vec<char> {
    let latin = |c: char| {
        c.is_ascii_alphanumeric()
            || ('\u{00C0}'..='\u{024F}').contains(&c)
            || ('\u{1E00}'..='\u{1EFF}').contains(&c)
            || ('\u{0300}'..='\u{036F}').contains(&c)
    };
    let punctuation = |c: char| c.is_ascii_punctuation() || "–—…“”‘’«»·•°\u{a0}".contains(c);
    let mut found = Vec::new();
    for c in text.chars() {
        if !(latin(c) || c.is_whitespace() || punctuation(c) || found.contains(&c)) {
            found.push(c);
        }
    }
    found
}

fn re(pattern: &str) -> Regex {
    // The patterns are constants of this file, checked by its tests.
    Regex::new(pattern).unwrap_or_else(|e| panic!("speech pattern {pattern}: {e}"))
}

/// Web and mail addresses said the way one reads them out: "hocso chấm example chấm vn".
fn say_addresses(text: &str) -> String {
    static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:https?://|www\.)[^\s<>()“”]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|gov|edu|info|xyz|top|online|site|app)\b(?:/[^\s<>()“”]*)?",
        )
    });
    // A file's or an address's ending on its own: ".apk", ".gov.vn".
    static ENDING: LazyLock<Regex> = LazyLock::new(|| re(r"(^|[\s(“\x22'])\.(\p{L}[\p{L}\d]*(?:\.\p{L}+)*)"));
    let text =
        ENDING.replace_all(text, |c: &Captures<'_>| format!("{}chấm {}", &c[1], c[2].replace('.', " chấm ")));
    ADDRESS
        .replace_all(&text, |c: &Captures<'_>| {
            let address = c[0].trim_end_matches(['.', ',', ';', ':', '!', '?', '/']);
            // Sentence marks after an address are kept; a closing `/` is not said.
            let tail = c[0][address.len()..].replace('/', "");
            let lower = address.to_lowercase();
            let bare =
                ["https://", "http://"].iter().fold(lower.as_str(), |a, p| a.strip_prefix(p).unwrap_or(a));
            let mut out = String::new();
            for ch in bare.chars() {
                match ch {
                    '.' => out.push_str(" chấm "),
                    '/' => out.push_str(" gạch chéo "),
                    '-' => out.push_str(" gạch ngang "),
                    '_' => out.push_str(" gạch dưới "),
                    '@' => out.push_str(" a còng "),
                    '?' | '=' | '&' | '#' | '%' | ':' => out.push(' '),
                    c => out.push(c),
                }
            }
            format!("{}{tail}", out.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .into_owned()
}

/// Whether the text before a date already says "ngày".
fn ends_with_ngay(before: &str) -> bool {
    before.trim_end().to_lowercase().ends_with("ngày")
}

/// Dates, times, phone numbers, money, percentages, decimals, ranges and plain numbers in words.
fn say_numbers(text: &str) -> String {
    static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"));
    static DATE: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\b"));
    static TIME: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{1,2})(?::|h)(\d{2})\b|\b(\d{1,2})h\b"));
    static PHONE: LazyLock<Regex> =
        LazyLock::new(|| re(r"\b(?:0\d{2,3}(?:[ .-]\d{3,4}){2}|0\d{9,10}|1[89]00(?:[ .-]?\d{3,4}){1,2})\b"));
    static MONEY: LazyLock<Regex> = LazyLock::new(|| {
        re(r"\b(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(?:đồng|VNĐ|VND|vnđ|đ)(?:[^\p{L}\p{M}]|$)")
    });
    static PERCENT: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d+)(?:,(\d+))?\s*%"));
    static THOUSANDS: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?\b"));
    static DECIMAL: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d+),(\d+)\b"));
    static VERSION: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d+)\.(\d{1,2})\b"));
    static RANGE: LazyLock<Regex> =
        LazyLock::new(|| re(r"(\d|\bgiờ|\bphút|\bngày|\btháng|\bnăm|\bđồng)\s*[–—-]\s*(\d)"));
    static ORDINAL: LazyLock<Regex> = LazyLock::new(|| re(r"\b([Tt]hứ)\s+(\d+)\b"));
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| re(r"\d+"));

    let text = ISO_DATE.replace_all(text, |c: &Captures<'_>| {
        let (y, m, d) = (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0), c[3].parse().unwrap_or(0));
        if (1..=12).contains(&m) && (1..=31).contains(&d) {
            let said = date(d, m, Some(y));
            let before = c.get(0).map_or("", |m0| &text[..m0.start()]);
            if ends_with_ngay(before) { said["ngày ".len()..].to_owned() } else { said }
        } else {
            c[0].to_owned()
        }
    });
    let text = DATE.replace_all(&text, |c: &Captures<'_>| {
        let (d, m): (u32, u32) = (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0));
        let year = c.get(3).and_then(|y| y.as_str().parse().ok());
        let before = c.get(0).map_or("", |m0| &text[..m0.start()]);
        let valid = (1..=12).contains(&m) && (1..=31).contains(&d);
        // Without a year, "24/7" is a date only after "ngày"; otherwise it is "24 trên 7".
        if valid && (year.is_some() || ends_with_ngay(before)) {
            let said = date(d, m, year);
            if ends_with_ngay(before) { said["ngày ".len()..].to_owned() } else { said }
        } else {
            format!("{} trên {}", number_str(&c[1]), number_str(&c[2]))
        }
    });
    let text = TIME.replace_all(&text, |c: &Captures<'_>| {
        let (hour, minute) = match (c.get(1), c.get(2), c.get(3)) {
            (Some(h), Some(m), _) => (h.as_str(), m.as_str()),
            (_, _, Some(h)) => (h.as_str(), "00"),
            _ => return c[0].to_owned(),
        };
        let (h, m): (u32, u32) = (hour.parse().unwrap_or(99), minute.parse().unwrap_or(99));
        if h > 24 || m > 59 {
            return c[0].to_owned();
        }
        if m == 0 {
            format!("{} giờ", number_str(hour))
        } else {
            format!("{} giờ {}", number_str(hour), number_str(minute))
        }
    });
    let text = PHONE.replace_all(&text, |c: &Captures<'_>| {
        let written = &c[0];
        let groups: Vec<&str> = written.split([' ', '.', '-']).filter(|g| !g.is_empty()).collect();
        let groups = if groups.len() > 1 {
            groups
        } else {
            // One run of digits: said in groups of four, three, three, as it is written on cards.
            let (a, rest) = written.split_at(4.min(written.len()));
            let (b, c) = rest.split_at(3.min(rest.len()));
            [a, b, c].into_iter().filter(|g| !g.is_empty()).collect()
        };
        groups.iter().map(|g| each_digit(g)).collect::<Vec<_>>().join(", ")
    });
    let text = RANGE.replace_all(&text, "$1 đến $2");
    let whole = |s: &str| number_str(&s.replace('.', ""));
    let amount = |c: &Captures<'_>| match c.get(2) {
        Some(f) => decimal(&c[1].replace('.', ""), f.as_str()),
        None => whole(&c[1]),
    };
    let text = MONEY.replace_all(&text, |c: &Captures<'_>| {
        // The character after the unit was matched to know the unit ended; it is given back.
        let after =
            c[0].chars().last().filter(|ch| !ch.is_alphabetic()).map(String::from).unwrap_or_default();
        format!("{} đồng{after}", amount(c))
    });
    let text = PERCENT.replace_all(&text, |c: &Captures<'_>| format!("{} phần trăm", amount(c)));
    let text = THOUSANDS.replace_all(&text, |c: &Captures<'_>| amount(c));
    let text = DECIMAL.replace_all(&text, |c: &Captures<'_>| decimal(&c[1], &c[2]));
    let text = VERSION
        .replace_all(&text, |c: &Captures<'_>| format!("{} chấm {}", number_str(&c[1]), number_str(&c[2])));
    let text = ORDINAL.replace_all(&text, |c: &Captures<'_>| {
        let n = match &c[2] {
            "1" => "nhất".to_owned(),
            "4" => "tư".to_owned(),
            n => number_str(n),
        };
        format!("{} {n}", &c[1])
    });
    NUMBER
        .replace_all(&text, |c: &Captures<'_>| {
            let digits = &c[0];
            // A long number written without dots, or one starting with 0, is a code: each digit.
            if digits.len() >= 5 || (digits.len() >= 2 && digits.starts_with('0')) {
                each_digit(digits)
            } else {
                number_str(digits)
            }
        })
        .into_owned()
}

/// The walk through one lesson's Markdown events, gathering blocks of speech.
struct Walk<'a> {
    speech: &'a Speech,
    labels: &'a Labels,
    blocks: Vec<String>,
    current: String,
    /// Said before the next block's text: a step's number, a callout's word.
    pending: String,
    /// For each open list, the number of its next item (`None`: not numbered).
    lists: Vec<Option<u64>>,
    /// Depth of code blocks and raw HTML blocks: nothing in them is said.
    skipping: usize,
    /// The alt text of the image being read.
    alt: Option<String>,
    /// Table: its head cells, the row being read, the cell being read.
    head: Vec<String>,
    row: Vec<String>,
    cell: Option<String>,
    in_head: bool,
}

impl Walk<'_> {
    /// Where text goes now: the image's alt text, the table cell, or the block.
    fn out(&mut self) -> &mut String {
        if let Some(alt) = self.alt.as_mut() {
            alt
        } else if let Some(cell) = self.cell.as_mut() {
            cell
        } else {
            &mut self.current
        }
    }

    /// Ends the block being gathered; what is pending waits for the next block with text.
    fn flush(&mut self) {
        let block = std::mem::take(&mut self.current);
        if !block.trim().is_empty() {
            let pending = std::mem::take(&mut self.pending);
            self.blocks.push(format!("{pending}{}", block.trim()));
        }
    }

    fn callout_word(&self, kind: BlockQuoteKind) -> &str {
        match kind {
            BlockQuoteKind::Note => &self.labels.note,
            BlockQuoteKind::Tip => &self.labels.tip,
            BlockQuoteKind::Important => &self.labels.important,
            BlockQuoteKind::Warning => &self.labels.warning,
            BlockQuoteKind::Caution => &self.labels.caution,
        }
    }

    fn event(&mut self, event: Event<'_>) {
        if self.skipping > 0 {
            match event {
                Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => self.skipping += 1,
                Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => self.skipping -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => {
                self.flush();
                self.skipping = 1;
            }
            Event::Text(t) | Event::Code(t) => self.out().push_str(&t),
            Event::SoftBreak | Event::HardBreak => self.out().push(' '),
            Event::TaskListMarker(done) => {
                let word = if done { &self.labels.done } else { &self.labels.not_done };
                self.pending.push_str(word);
                self.pending.push(' ');
            }
            Event::Start(Tag::Heading { .. } | Tag::Paragraph | Tag::FootnoteDefinition(_)) => self.flush(),
            Event::End(
                TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item | TagEnd::FootnoteDefinition,
            )
            | Event::Rule => self.flush(),
            Event::Start(Tag::BlockQuote(kind)) => {
                self.flush();
                if let Some(kind) = kind {
                    let word = self.callout_word(kind).to_owned();
                    self.pending.push_str(&word);
                    self.pending.push_str(". ");
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => self.flush(),
            Event::Start(Tag::List(start)) => {
                self.flush();
                self.lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                self.flush();
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                self.flush();
                if let Some(Some(n)) = self.lists.last_mut() {
                    let step = format!("{} {n}. ", self.speech.step);
                    *n += 1;
                    self.pending.push_str(&step);
                }
            }
            Event::Start(Tag::Image { .. }) => self.alt = Some(String::new()),
            Event::End(TagEnd::Image) => {
                let alt = self.alt.take().unwrap_or_default();
                if !alt.trim().is_empty() {
                    let said = format!(" {}: {}. ", self.speech.image, alt.trim());
                    self.out().push_str(&said);
                }
            }
            Event::Start(Tag::Table(_)) => {
                self.flush();
                self.head.clear();
            }
            Event::Start(Tag::TableHead) => self.in_head = true,
            Event::End(TagEnd::TableHead) => self.in_head = false,
            Event::Start(Tag::TableRow) => self.row.clear(),
            Event::Start(Tag::TableCell) => self.cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                let cell = self.cell.take().unwrap_or_default().trim().to_owned();
                if self.in_head { self.head.push(cell) } else { self.row.push(cell) }
            }
            Event::End(TagEnd::TableRow) => {
                let pairs: Vec<String> = self
                    .row
                    .iter()
                    .enumerate()
                    .filter(|(_, value)| !value.is_empty())
                    .map(|(i, value)| match self.head.get(i).filter(|h| !h.is_empty()) {
                        Some(column) => format!("{column}: {value}"),
                        None => value.clone(),
                    })
                    .collect();
                self.blocks.push(pairs.join(". "));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speech() -> Speech {
        let words = [("OTP", "ô tê pê"), ("VNeID", "vê en e ai đi"), ("apk", "a pê ca")];
        Speech {
            step: "Bước".into(),
            image: "Hình".into(),
            words: words.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            vietnamese: true,
        }
    }

    fn say(text: &str) -> String {
        speech().say(text)
    }

    #[test]
    fn dates_in_words_without_saying_ngay_twice() {
        let full = "ngày hai mươi tư tháng mười một năm hai nghìn không trăm hai mươi sáu";
        assert_eq!(say("24/11/2026"), full);
        assert_eq!(say("Hạn chót ngày 24/11/2026."), format!("Hạn chót {full}."));
        assert_eq!(say("2026-11-24"), full);
        assert_eq!(say("ngày 4/4"), "ngày bốn tháng tư");
        // Without a year and without "ngày", a slash is "trên": 24/7 is all day, every day.
        assert_eq!(say("24/7"), "hai mươi tư trên bảy");
    }

    #[test]
    fn times_and_ranges() {
        assert_eq!(say("8 giờ – 11 giờ"), "tám giờ đến mười một giờ");
        assert_eq!(say("7:30"), "bảy giờ ba mươi");
        assert_eq!(say("8h"), "tám giờ");
        assert_eq!(say("14h05"), "mười bốn giờ năm");
        assert_eq!(say("từ 2-3 ngày"), "từ hai đến ba ngày");
    }

    #[test]
    fn money_and_big_numbers() {
        assert_eq!(say("45.000 đồng"), "bốn mươi lăm nghìn đồng");
        assert_eq!(say("45.000đ."), "bốn mươi lăm nghìn đồng.");
        assert_eq!(say("1.500.000 VNĐ"), "một triệu năm trăm nghìn đồng");
        assert_eq!(say("2 triệu đồng"), "hai triệu đồng");
        assert_eq!(say("5 điểm"), "năm điểm");
    }

    #[test]
    fn decimals_percent_versions_ordinals() {
        assert_eq!(say("1,5 kg"), "một phẩy năm kg");
        assert_eq!(say("0,05"), "không phẩy không năm");
        assert_eq!(say("400%"), "bốn trăm phần trăm");
        assert_eq!(say("2,5 %"), "hai phẩy năm phần trăm");
        assert_eq!(say("bản 2.2"), "bản hai chấm hai");
        assert_eq!(say("lần thứ 4"), "lần thứ tư");
        assert_eq!(say("Thứ 2"), "Thứ hai");
        assert_eq!(say("người thứ 1"), "người thứ nhất");
    }

    #[test]
    fn phone_numbers_and_codes_digit_by_digit_in_groups() {
        assert_eq!(
            say("Gọi 024 0000 0113."),
            "Gọi không hai bốn, không không không không, không một một ba."
        );
        assert_eq!(say("0912.345.678"), "không chín một hai, ba bốn năm, sáu bảy tám");
        assert_eq!(say("0912345678"), "không chín một hai, ba bốn năm, sáu bảy tám");
        assert_eq!(say("1900 1234"), "một chín không không, một hai ba bốn");
        assert_eq!(say("mã 123456"), "mã một hai ba bốn năm sáu");
        assert_eq!(say("năm 2026"), "năm hai nghìn không trăm hai mươi sáu");
    }

    #[test]
    fn abbreviations_from_the_table_and_capitals() {
        assert_eq!(say("mã OTP"), "mã ô tê pê");
        assert_eq!(say("VNeID mức 2"), "vê en e ai đi mức hai");
        assert_eq!(say("rút ở ATM"), "rút ở a tê em");
        assert_eq!(say("thẻ CCCD"), "thẻ xê xê xê đê");
        assert_eq!(say("TẠP HÓA MINH HỌA"), "tạp hóa minh họa");
        assert_eq!(say("tệp .apk"), "tệp chấm a pê ca");
    }

    #[test]
    fn addresses_are_read_out_never_as_urls() {
        assert_eq!(say("vào dichvucong.gov.vn."), "vào dichvucong chấm gov chấm vn.");
        assert_eq!(
            say("https://hocso.example.vn/an-toan/"),
            "hocso chấm example chấm vn gạch chéo an gạch ngang toan"
        );
        assert_eq!(say("hotro@xa.vn"), "hotro a còng xa chấm vn");
        assert_eq!(say("đuôi .gov.vn"), "đuôi chấm gov chấm vn");
    }

    fn labels() -> Labels {
        Labels::for_tests()
    }

    #[test]
    fn the_lesson_in_reading_order() {
        let body = "Mở [trang](https://x.vn/a) ngay.\n\n## Các bước\n\n3. Bấm **Gửi**.\n4. Chờ.\n\n\
                    > [!WARNING]\n> Đừng đưa mã.\n\n| Việc | Giờ |\n|---|---|\n| Họp | 8h |\n\n\
                    ![Nút Gửi màu xanh](a.png)\n\n![](hoa.png \"trang trí\")\n\n```\nmã nguồn\n```\n\n\
                    - [x] Đã cài\n\nCó chú thích[^1].\n\n[^1]: Ghi chú.\n\n<div>thô</div>\n";
        let text = speech().lesson(&labels(), "Tiêu đề", &["Hộp".into()], "Tóm tắt", body);
        assert_eq!(
            text,
            "Tiêu đề.\nHộp.\nTóm tắt.\nMở trang ngay.\nCác bước.\nBước ba. Bấm Gửi.\nBước bốn. Chờ.\n\
             Cảnh báo lừa đảo. Đừng đưa mã.\nViệc: Họp. Giờ: tám giờ.\nHình: Nút Gửi màu xanh.\n\
             Đã xong: Đã cài.\nCó chú thích.\nGhi chú.\n"
        );
    }

    #[test]
    fn unsayable_characters_are_other_scripts_and_symbols() {
        assert_eq!(unsayable("Tiếng Việt có dấu: ổn, “được” – ĐÚNG…"), Vec::<char>::new());
        assert_eq!(unsayable("你好 😀 Привет"), vec!['你', '好', '😀', 'П', 'р', 'и', 'в', 'е', 'т']);
    }
}
