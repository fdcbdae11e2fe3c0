//! The offline search index, built with the site and served as static JSON files.
//!
//! Residents type without diacritics ("thanh toan qr"), so every word is indexed under its
//! *folded* form (no tone or vowel marks, `đ` → `d`, lower case) and, inside that, under each
//! spelling that occurs, so a query typed with diacritics can rank the exact spelling first.
//!
//! Files (under `/tim-kiem/du-lieu/`):
//! - `meta.json`: `{"v":2,"docs":N,"rows":32,"topics":["Dịch vụ công…",…],"shards":["an",…]}`:
//!   the lesson count, lessons per row file, topic titles and the shard keys;
//! - `s/<key>.json`: `{"<folded>":{"<spelling>":"<postings>"}}` for every folded word whose
//!   longest shard key is `<key>`. Postings are a string of base-32 varints (see
//!   `Postings::push`), one per lesson holding the spelling: `gap × 32 + fields`, where `gap`
//!   is the lesson number minus the previous one and `fields` a bit set (see [`Field`]). A
//!   string, not a JSON array of numbers: about 2.5 times smaller, and a phone decodes it into
//!   typed arrays far faster than `JSON.parse` builds an array of ten thousand numbers;
//! - `d/<k>.json`: `[[title, address, topic number, summary], …]` for lessons `k × rows` to
//!   `k × rows + rows − 1`, fetched only for the results shown.
//!
//! The snippet around the match is cut from the lesson page itself, which the search page
//! fetches for the results shown (and the browser then has in its cache if the resident opens
//! it). A copy of every lesson's text in the index would double what a build writes (80 MB and
//! 10,000 more files for 10,000 lessons) for what ten small page loads give.
//!
//! Shards start at two folded letters and split by one more letter while a shard is larger than
//! [`SHARD_LIMIT`] bytes, so a query on a 10,000-lesson site downloads a few small files rather
//! than one big index. Lessons are numbered in reading order (topic weight, then lesson
//! weight), so a lower number also breaks ties the way the issue asks: by topic weight.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::core::diagnostic::Diagnostic;
use crate::core::digest::{self, Digest};
use crate::core::html;
use crate::core::ids::{Id, LessonId};
use crate::core::output::{OutFile, Sink};
use crate::core::text::fold;
use crate::pipeline::assemble::Site;
use crate::pipeline::markdown::Contents;

mod cache;

/// A shard above this many bytes is split by one more letter.
pub const SHARD_LIMIT: usize = 48 * 1024;

/// Where in a lesson a word occurs; the search ranks title > headings and tags > summary >
/// glossary > body.
#[derive(Clone, Copy)]
#[repr(u8)]
pub enum Field {
    Body = 1,
    Glossary = 2,
    Summary = 4,
    Heading = 8,
    Title = 16,
}

/// The distinct words of one lesson (runs of letters and digits, lower case), each with the
/// fields it occurs in.
///
/// Text must be NFC: in NFD a combining mark is not a letter and would cut "Mã" in two. Every
/// source is normalised when it is read (load.rs, glossary.rs), so this does not do it again;
/// checking 60 KB of text per lesson was a tenth of the index's time.
#[derive(Default)]
struct LessonWords {
    /// Words of up to 16 bytes (nearly every Vietnamese word, and most pairs), packed into a
    /// number ([`Word`]): hashed and compared in one step, no key allocated. Looking words up
    /// as strings was a quarter of the index's time, most of it comparing them.
    short: FxHashMap<u128, u8>,
    /// The longer ones.
    long: FxHashMap<String, u8>,
    word: Word,
}

/// The word being read, lower case, written straight into 16 bytes while it fits and into a
/// string only past that. Packed, it is those bytes then zeros, as one number: no word holds a
/// zero byte (it is not a word character, nor the pair joiner), so two words never pack alike.
#[derive(Default)]
struct Word {
    bytes: [u8; 16],
    len: usize,
    /// The whole word, once it is longer than 16 bytes; empty before.
    long: String,
}

impl Word {
    fn push(&mut self, c: char) {
        if self.long.is_empty() {
            if let Some(room) = self.bytes.get_mut(self.len..self.len + c.len_utf8()) {
                c.encode_utf8(room);
                self.len += room.len();
                return;
            }
            // Whole characters were written, so this is never empty for want of UTF-8.
            self.long.push_str(std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default());
        }
        self.long.push(c);
    }

    /// `text` in lower case.
    fn push_lower(&mut self, text: &str) {
        for c in text.chars() {
            lower_char(c, |l| self.push(l));
        }
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn clear(&mut self) {
        self.bytes = [0; 16];
        self.len = 0;
        self.long.clear();
    }

    /// The word packed into a number, when it is short enough.
    fn packed(&self) -> Option<u128> {
        self.long.is_empty().then(|| u128::from_le_bytes(self.bytes))
    }
}

/// One lesson's word as the index gathers it: packed into a number when it fits (see [`Word`]),
/// so that merging ten thousand lessons' words costs integer compares and no string copies.
#[derive(Debug, PartialEq, Eq, Hash)]
enum Spelling {
    Packed(u128),
    Text(String),
}

impl Spelling {
    /// `word`, packed the way [`Word`] packs it when it is 16 bytes or shorter.
    fn of(word: &str) -> Spelling {
        let bytes = word.as_bytes();
        let mut packed = [0; 16];
        match packed.get_mut(..bytes.len()) {
            Some(room) => {
                room.copy_from_slice(bytes);
                Spelling::Packed(u128::from_le_bytes(packed))
            }
            None => Spelling::Text(word.to_owned()),
        }
    }

    /// Appends the word to `out`.
    fn push_to(&self, out: &mut String) {
        match self {
            Spelling::Packed(packed) => {
                let bytes = packed.to_le_bytes();
                let len = 16 - (packed.leading_zeros() / 8) as usize;
                // Packed from whole characters, so always UTF-8.
                out.push_str(std::str::from_utf8(&bytes[..len]).unwrap_or_default());
            }
            Spelling::Text(text) => out.push_str(text),
        }
    }

    fn into_string(self) -> String {
        match self {
            Spelling::Text(text) => text,
            packed => {
                let mut out = String::new();
                packed.push_to(&mut out);
                out
            }
        }
    }
}

impl LessonWords {
    /// Each word of `text` in lower case. One pass over the characters, splitting and
    /// lowering together: this is most of the index's time (a lesson is a few thousand words).
    fn add(&mut self, text: &str, field: Field) {
        self.word.clear();
        for c in text.chars() {
            if is_word_char(c) {
                lower_char(c, |l| self.word.push(l));
            } else if !self.word.is_empty() {
                self.mark(field);
            }
        }
        if !self.word.is_empty() {
            self.mark(field);
        }
    }

    /// Also adds each pair of adjacent words (`lừa_đảo`), so a query whose words stand together
    /// in a title, tag or summary ranks above one whose words are scattered through the text.
    /// Only for those short fields: pairs of the whole body would double the index.
    fn add_with_pairs(&mut self, text: &str, field: Field) {
        self.add(text, field);
        let mut previous: Option<&str> = None;
        for word in text.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()) {
            if let Some(first) = previous {
                self.word.push_lower(first);
                self.word.push(PAIR_JOINER);
                self.word.push_lower(word);
                self.mark(field);
            }
            previous = Some(word);
        }
    }

    /// The words gathered so far, each with its fields, leaving this empty for the next lesson.
    /// The table keeps its size: one per thread, reused, instead of one per lesson growing
    /// from nothing through eight doublings (each hashing every word again).
    fn take(&mut self) -> Vec<(Spelling, u8)> {
        let mut words = Vec::with_capacity(self.short.len() + self.long.len());
        words.extend(self.short.drain().map(|(packed, bits)| (Spelling::Packed(packed), bits)));
        words.extend(self.long.drain().map(|(text, bits)| (Spelling::Text(text), bits)));
        words
    }

    /// Records that the word read occurs in `field`, and starts the next one.
    fn mark(&mut self, field: Field) {
        if let Some(packed) = self.word.packed() {
            *self.short.entry(packed).or_default() |= field as u8;
        } else {
            // Most words repeat: look up before allocating a key.
            match self.long.get_mut(self.word.long.as_str()) {
                Some(bits) => *bits |= field as u8,
                None => {
                    self.long.insert(self.word.long.clone(), field as u8);
                }
            }
        }
        self.word.clear();
    }

    /// The fields `word` (lower case) was met in so far.
    #[cfg(test)]
    fn get(&self, word: &str) -> Option<u8> {
        match Spelling::of(word) {
            Spelling::Packed(packed) => self.short.get(&packed).copied(),
            Spelling::Text(text) => self.long.get(&text).copied(),
        }
    }
}

/// Joins the two words of an adjacent pair in the index. Never a word character, so no word is
/// mistaken for a pair, and safe in a shard's file name. The search script uses the same.
pub const PAIR_JOINER: char = '_';

/// `c` in lower case, as [`char::to_lowercase`] gives it. The letters of Vietnamese are
/// answered by their code points (upper and lower case side by side), the rest by Unicode's
/// tables, which a binary search per character made a tenth of the index's time.
fn lower_char(c: char, mut push: impl FnMut(char)) {
    let lower = match c {
        'A'..='Z' => char::from(c as u8 + 32),
        _ if c.is_ascii() => c,
        // Latin-1 capitals, and Vietnamese's letters with marks: the lower case follows.
        'À'..='Þ' if c != '×' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        'ß'..='ÿ' | 'đ' | 'ă' | 'ĩ' | 'ũ' | 'ơ' | 'ư' => c,
        'Đ' | 'Ă' | 'Ĩ' | 'Ũ' | 'Ơ' | 'Ư' => char::from_u32(c as u32 + 1).unwrap_or(c),
        '\u{1EA0}'..='\u{1EF9}' => char::from_u32(c as u32 | 1).unwrap_or(c),
        _ => return c.to_lowercase().for_each(push),
    };
    push(lower);
}

/// Letters and digits, but not the "letterlike" symbols (ℹ, №, ™) that icons are made of.
///
/// Vietnamese text is ASCII and Latin letters with marks; those are answered by ranges, the
/// rest by Unicode's tables (which were a fifth of the index's time when asked for every
/// character).
fn is_word_char(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        '\u{C0}'..='\u{24F}' => c != '×' && c != '÷',
        '\u{1E00}'..='\u{1EFF}' => true,
        _ => c.is_alphanumeric() && !('\u{2100}'..='\u{214F}').contains(&c),
    }
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "li",
    "ol",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "tr",
    "table",
    "div",
    "br",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "section",
    "figure",
    "figcaption",
];

/// Visible text of rendered HTML, for finding its words: tags dropped (block edges become a
/// space, so words of two paragraphs do not run together; inline tags do not, so
/// `<b>QR</b>.` stays `QR.`) and the few entities we write decoded, so `&amp;` is no word "amp".
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    for piece in html::pieces(html) {
        match piece {
            html::Piece::Text(text) => html::decode_into(&mut out, text),
            html::Piece::Tag { name, .. } if BLOCK_TAGS.contains(&name) => out.push(' '),
            html::Piece::Tag { .. } => {}
        }
    }
    out
}

#[derive(Serialize)]
struct Meta<'a> {
    v: u32,
    docs: usize,
    /// How words were folded: `vi` or `plain` (see [`Folding`]); the search page folds queries
    /// the same way.
    fold: &'static str,
    rows: usize,
    topics: Vec<&'a str>,
    shards: &'a [String],
}

/// Lessons per `d/<k>.json` file: small enough that ten results cost little even when they are
/// far apart, large enough that a 10,000-lesson site has a few hundred files, not 10,000.
pub const ROWS_PER_FILE: usize = 32;

/// How a language's words are folded for matching. Vietnamese readers type without marks, and
/// `đ` as `d`; other languages are matched in lower case with Latin accents dropped (`café`
/// → `cafe`), which leaves scripts without such marks (Khmer, Chinese) as they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folding {
    Vietnamese,
    Plain,
}

impl Folding {
    pub fn of(language: &str) -> Folding {
        if language == "vi" || language.starts_with("vi-") { Folding::Vietnamese } else { Folding::Plain }
    }

    pub fn fold(self, word: &str) -> String {
        match self {
            Folding::Vietnamese => fold(word),
            Folding::Plain => crate::core::text::fold_plain(word),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Folding::Vietnamese => "vi",
            Folding::Plain => "plain",
        }
    }
}

/// Spelling → its postings.
type Spellings = BTreeMap<String, Postings>;

/// The lessons holding one spelling, already in the file's form (see [`Postings::push`]).
///
/// Encoded as they arrive rather than kept as `(lesson, fields)` pairs: a 10,000-lesson site
/// has millions of postings, eight bytes each as pairs (plus a growing vector's spare room) but
/// one or two characters encoded, which kept the index the largest thing in a build's memory.
#[derive(Default)]
struct Postings {
    last: u32,
    text: String,
}

impl Postings {
    /// Appends lesson `doc` (never lower than the last one pushed) with its field bits as a
    /// base-32 varint of `gap × 32 + fields`; a lesson met in every lesson of a topic costs two
    /// characters, where a JSON array spends five ("1,17,"). The search script's `eachPosting`
    /// reads them back.
    fn push(&mut self, doc: u32, fields: u8) {
        let gap = doc.saturating_sub(self.last) as usize;
        self.last = doc;
        let mut v = (gap << 5) | usize::from(fields & 31);
        while v >= 32 {
            self.text.push(char::from(DIGITS[32 + (v & 31)]));
            v >>= 5;
        }
        self.text.push(char::from(DIGITS[v]));
    }
}

/// Lessons whose words are gathered at once: enough to keep both cores busy, few enough that
/// their word lists are a few megabytes.
const WORDS_BATCH: usize = 256;

/// Builds every file of the index into `sink`, paths relative to the output folder.
pub fn build(site: &Site, contents: &Contents, sink: &dyn Sink) -> Result<(), Diagnostic> {
    // Each language has its own index, under its own search page (`/en/tim-kiem/du-lieu/`),
    // holding the lessons written in it: an untranslated lesson is found in its own language.
    let base = crate::core::paths::output_dir(&site.config.base_path(), &site.home.core.url)
        .join(crate::core::paths::SEARCH_DIR)
        .join(crate::core::paths::SEARCH_INDEX_DIR);
    let docs: Vec<LessonId> =
        site.lessons.enumerate().filter(|(_, l)| l.core.lang.is_none()).map(|(i, _)| i).collect();
    let folding = Folding::of(&site.config.language);
    // Hashing what the index is made from costs a tenth of making it: when nothing it reads
    // changed, the previous build's index files are kept as they are.
    let (made_from, lesson_inputs) = inputs(site, contents, &docs, folding);
    if sink.keep_folder(&base, &made_from) {
        return Ok(());
    }
    let put = |path: PathBuf, bytes: Vec<u8>| sink.put_made(OutFile { path, bytes }, &made_from);
    // Each lesson's words are read back from the last build's cache when what they are made
    // from hashes the same (see `cache`), and gathered otherwise.
    let cache_path = cache::path(&site.root, &base);
    let previous = cache::Previous::read(&cache_path);
    let known = previous.lessons();
    let mut next = cache::Next::create(&cache_path);
    let words_of = |words: &mut LessonWords, k: usize| -> Vec<(Spelling, u8)> {
        let hex = digest::hex(&lesson_inputs[k]);
        if let Some(words) = known.get(hex.as_str()).and_then(|w| cache::decode(w)) {
            return words;
        }
        lesson_words(site, contents, docs[k], words)
    };
    docs.par_chunks(ROWS_PER_FILE).enumerate().try_for_each(|(k, lessons)| {
        let rows: Vec<(&str, &str, usize, &str)> = lessons
            .iter()
            .map(|&n| &site.lessons[n])
            .map(|l| (l.meta.title.as_str(), l.core.url.as_str(), l.topic.index(), l.meta.summary.as_str()))
            .collect();
        put(base.join("d").join(format!("{k}.json")), json(&rows))
    })?;
    // spelling → postings (lesson, fields), lessons ascending; then folded → spellings. Folding
    // once per distinct spelling, not once per lesson and spelling, is what keeps this fast.
    // Lessons are read a batch at a time (in parallel) and merged in order, so postings come
    // out sorted and only one batch's word lists are in memory at once, not every lesson's.
    let mut by_spelling: FxHashMap<Spelling, Postings> = FxHashMap::default();
    for first in (0..docs.len()).step_by(WORDS_BATCH) {
        let batch = first..(first + WORDS_BATCH).min(docs.len());
        let words: Vec<Vec<(Spelling, u8)>> =
            batch.into_par_iter().map_init(LessonWords::default, words_of).collect();
        for (j, spellings) in words.into_iter().enumerate() {
            let k = first + j;
            if let (Some(next), Some(hash)) = (next.as_mut(), lesson_inputs.get(k)) {
                next.push(hash, &spellings);
            }
            let n = u32::try_from(k).unwrap_or(u32::MAX);
            for (spelling, fields) in spellings {
                by_spelling.entry(spelling).or_default().push(n, fields);
            }
        }
    }
    if let Some(next) = next {
        next.finish();
    }
    // The last build's words (a few megabytes) are not needed for the rest, which is when the
    // index holds the most.
    drop(known);
    drop(previous);
    let keys = write_shards(by_spelling, folding, &|key, body| {
        put(base.join("s").join(format!("{key}.json")), body)
    })?;
    let meta = Meta {
        v: 2,
        docs: docs.len(),
        fold: folding.name(),
        rows: ROWS_PER_FILE,
        topics: site.topics.iter().map(|t| t.meta.title.as_str()).collect(),
        shards: &keys,
    };
    put(base.join("meta.json"), json(&meta))
}

/// The words of lesson `n`, gathered with the field each is found in.
fn lesson_words(
    site: &Site,
    contents: &Contents,
    n: LessonId,
    words: &mut LessonWords,
) -> Vec<(Spelling, u8)> {
    let lesson = &site.lessons[n];
    let rendered = &contents.lessons[n];
    let body = visible_text(&rendered.html);
    words.add_with_pairs(&lesson.meta.title, Field::Title);
    for (_, _, heading) in &rendered.headings {
        words.add(heading, Field::Heading);
    }
    // Tags say what a lesson is about as plainly as a heading does.
    for tag in &lesson.meta.tags {
        words.add_with_pairs(tag, Field::Heading);
    }
    words.add_with_pairs(&lesson.meta.summary, Field::Summary);
    for &t in &rendered.terms {
        let term = &site.glossary.terms[t].entry;
        words.add(&term.term, Field::Glossary);
        for alias in &term.aliases {
            words.add(alias, Field::Glossary);
        }
    }
    words.add(&body, Field::Body);
    words.take()
}

/// Writes one shard of the index: its key, its bytes.
type ShardWriter<'a> = dyn Fn(&str, Vec<u8>) -> Result<(), Diagnostic> + 'a;

/// The index folded (each spelling under its folded word), encoded once per folded word and
/// split into shards, each written by `put(key, bytes)`; returns the shards' keys in order.
fn write_shards(
    by_spelling: FxHashMap<Spelling, Postings>,
    folding: Folding,
    put: &ShardWriter<'_>,
) -> Result<Vec<String>, Diagnostic> {
    let mut index: FxHashMap<String, Spellings> = FxHashMap::default();
    for (spelling, postings) in by_spelling {
        let spelling = spelling.into_string();
        index.entry(folding.fold(&spelling)).or_default().insert(spelling, postings);
    }
    let mut index: Vec<(String, Spellings)> = index.into_iter().collect();
    index.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));

    // Encode every folded word once, then group into shards.
    let encoded: Vec<(String, String)> = index
        .into_par_iter()
        .map(|(folded, spellings)| {
            let value = encode_spellings(&spellings);
            (folded, value)
        })
        .collect();
    let mut shards: Vec<(String, Vec<usize>)> = Vec::new();
    split_into_shards(&encoded, (0..encoded.len()).collect(), 2, &mut shards);
    shards.sort_by(|a, b| a.0.cmp(&b.0));
    let keys: Vec<String> = shards.iter().map(|(k, _)| k.clone()).collect();
    for (key, members) in &shards {
        let mut body = String::from("{");
        for (i, &m) in members.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            let _ = write!(body, "{}:{}", json_string(&encoded[m].0), encoded[m].1);
        }
        body.push('}');
        put(key, body.into_bytes())?;
    }
    Ok(keys)
}

/// The hash of everything the index of `docs` is made from: this program, the folding, the
/// topic titles, and of each lesson what [`build`] reads (title, address, topic, summary,
/// tags, headings, glossary terms, rendered text). Each lesson is hashed on its own, in
/// parallel, then the lesson hashes in order; those are returned too, as the keys of each
/// lesson's words in the cache (they cover everything its words are made from).
fn inputs(site: &Site, contents: &Contents, docs: &[LessonId], folding: Folding) -> (Digest, Vec<Digest>) {
    fn field(h: &mut digest::Hasher, text: &str) {
        h.update(&(text.len() as u64).to_le_bytes());
        h.update(text.as_bytes());
    }
    let lessons: Vec<Digest> = docs
        .par_iter()
        .map(|&n| {
            let (lesson, rendered) = (&site.lessons[n], &contents.lessons[n]);
            let mut h = digest::Hasher::new();
            for text in [&lesson.meta.title, &lesson.core.url, &lesson.meta.summary, &rendered.html] {
                field(&mut h, text);
            }
            h.update(&(lesson.topic.index() as u64).to_le_bytes());
            for tag in &lesson.meta.tags {
                field(&mut h, tag);
            }
            h.update(b"|");
            for (_, _, heading) in &rendered.headings {
                field(&mut h, heading);
            }
            h.update(b"|");
            for &t in &rendered.terms {
                let term = &site.glossary.terms[t].entry;
                field(&mut h, &term.term);
                for alias in &term.aliases {
                    field(&mut h, alias);
                }
                h.update(b";");
            }
            h.finish()
        })
        .collect();
    let mut h = digest::Hasher::new();
    h.update(&crate::pipeline::manifest::program_identity());
    h.update(folding.name().as_bytes());
    for topic in &site.topics {
        field(&mut h, &topic.meta.title);
    }
    h.update(b"|");
    for (n, lesson) in docs.iter().zip(&lessons) {
        h.update(&(n.index() as u64).to_le_bytes());
        h.update(lesson);
    }
    (h.finish(), lessons)
}

/// `{"spelling":"postings",…}` for one folded word.
fn encode_spellings(spellings: &Spellings) -> String {
    let mut out = String::from("{");
    for (i, (spelling, postings)) in spellings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&json_string(spelling));
        out.push_str(":\"");
        out.push_str(&postings.text);
        out.push('"');
    }
    out.push('}');
    out
}

/// Digits of the postings strings: none needs escaping in JSON. The first 32 end a number, the
/// last 32 say more digits follow (least significant first).
const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// Groups words by their first `len` characters, splitting any group over the limit further.
fn split_into_shards(
    encoded: &[(String, String)],
    members: Vec<usize>,
    len: usize,
    out: &mut Vec<(String, Vec<usize>)>,
) {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for m in members {
        let key: String = encoded[m].0.chars().take(len).collect();
        groups.entry(key).or_default().push(m);
    }
    for (key, group) in groups {
        let size: usize = group.iter().map(|&m| encoded[m].0.len() + encoded[m].1.len() + 4).sum();
        let can_split = group.iter().any(|&m| encoded[m].0.chars().count() > len);
        if size > SHARD_LIMIT && can_split && len < 12 {
            // Words exactly as long as the key stay in a shard of their own key.
            let (short, long): (Vec<usize>, Vec<usize>) =
                group.into_iter().partition(|&m| encoded[m].0.chars().count() <= len);
            if !short.is_empty() {
                out.push((key, short));
            }
            split_into_shards(encoded, long, len + 1, out);
        } else {
            out.push((key, group));
        }
    }
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec())
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_follows_the_language() {
        assert_eq!(Folding::of("vi"), Folding::Vietnamese);
        assert_eq!(Folding::of("en"), Folding::Plain);
        assert_eq!(Folding::Vietnamese.fold("Đường"), "duong");
        assert_eq!(Folding::Plain.fold("Café"), "cafe");
        // Outside Vietnamese, đ is a letter of its own (it is not an accented d).
        assert_eq!(Folding::Plain.fold("Đường"), "đuong");
        assert_eq!(Folding::Plain.fold("ភាសាខ្មែរ"), "ភាសាខ្មែរ", "scripts without Latin accents are kept");
    }

    #[test]
    fn lower_case_is_unicode_lower_case() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut fast = String::new();
            lower_char(c, |l| fast.push(l));
            assert_eq!(fast, c.to_lowercase().collect::<String>(), "U+{:04X}", c as u32);
        }
    }

    /// `word` (lower case already) packed by [`Word`], when it is short enough; checked against
    /// [`Spelling::of`], which packs the cache's words.
    fn pack(word: &str) -> Option<u128> {
        let mut w = Word::default();
        word.chars().for_each(|c| w.push(c));
        assert_eq!(w.long.is_empty(), word.len() <= 16, "{word}");
        match w.packed() {
            Some(packed) => assert_eq!(Spelling::of(word), Spelling::Packed(packed)),
            None => assert_eq!(Spelling::of(word), Spelling::Text(w.long.clone())),
        }
        w.packed()
    }

    /// Words as text, sorted.
    fn texts(words: Vec<(Spelling, u8)>) -> Vec<(String, u8)> {
        let mut texts: Vec<(String, u8)> = words.into_iter().map(|(w, f)| (w.into_string(), f)).collect();
        texts.sort();
        texts
    }

    #[test]
    fn words_up_to_sixteen_bytes_are_packed_and_come_back() {
        for word in ["", "a", "mã", "nghiêng", "lừa_đảo", "0123456789abcdef", "xác_thực_mức"] {
            let packed = pack(word);
            assert_eq!(packed.is_some(), word.len() <= 16, "{word}");
            assert_eq!(
                packed.map(|p| Spelling::Packed(p).into_string()).as_deref(),
                (word.len() <= 16).then_some(word)
            );
        }
        assert_eq!(pack("0123456789abcdefg"), None);
        assert_ne!(pack("a"), pack("a0"));
        // Short and long words of one lesson all come out, each once.
        let mut words = LessonWords::default();
        words.add("Mã xác thực OTP: chungthucdientuquocgia chungthucdientuquocgia mã", Field::Body);
        let got = texts(words.take());
        let names: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(names, ["chungthucdientuquocgia", "mã", "otp", "thực", "xác"]);
        assert!(words.take().is_empty());
    }

    proptest::proptest! {
        /// The packed table finds exactly the words, and fields, a plain string table does.
        #[test]
        fn lesson_words_match_a_plain_table(
            fed in proptest::collection::vec(("[a-zA-Z0-9 ,.đĐàẢỨứİẞ_\\-]{0,60}", 0usize..5), 0..6)
        ) {
            let fields = [Field::Body, Field::Glossary, Field::Summary, Field::Heading, Field::Title];
            let mut words = LessonWords::default();
            let mut plain: std::collections::HashMap<String, u8> = std::collections::HashMap::new();
            for (text, f) in &fed {
                words.add(text, fields[*f]);
                for w in text.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()) {
                    *plain.entry(w.to_lowercase()).or_default() |= fields[*f] as u8;
                }
            }
            let got = texts(words.take());
            let mut want: Vec<(String, u8)> = plain.into_iter().collect();
            want.sort();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn short_fields_also_index_adjacent_pairs() {
        let mut words = LessonWords::default();
        words.add_with_pairs("Cảnh giác lừa đảo", Field::Title);
        words.add("lừa tiền, đảo nợ", Field::Body);
        assert_eq!(words.get("lừa_đảo"), Some(Field::Title as u8));
        assert_eq!(words.get("giác_lừa"), Some(Field::Title as u8));
        assert_eq!(words.get("tiền_đảo"), None, "the body adds no pairs");
        assert_eq!(words.get("lừa"), Some(Field::Title as u8 | Field::Body as u8));
        // Reused for the next lesson: nothing of this one is left.
        assert_eq!(words.take().len(), 9);
        words.add("OTP", Field::Body);
        assert_eq!(texts(words.take()), vec![("otp".to_owned(), Field::Body as u8)]);
    }

    #[test]
    fn visible_text_keeps_words_apart() {
        assert_eq!(
            visible_text("<p>Một</p><p>Hai &amp; ba</p><ol><li>Bốn</li><li>Năm</li></ol>"),
            " Một  Hai & ba   Bốn  Năm  "
        );
        assert_eq!(visible_text("<p>Bấm <strong>Quét QR</strong>.</p>"), " Bấm Quét QR. ");
        assert_eq!(
            visible_text("a &lt;b&gt; &quot;c&quot; &#39;d&#39; &amp;amp; e & f"),
            "a <b> \"c\" 'd' &amp; e & f"
        );
        assert_eq!(visible_text("x <span"), "x ");
    }

    #[test]
    fn lesson_words_are_lower_case_with_every_field_they_occur_in() {
        let mut words = LessonWords::default();
        words.add("Mã QR của Ngân hàng", Field::Title);
        words.add("Quét mã QR. ℹ Lưu ý", Field::Body);
        let found = texts(words.take());
        let expect = |w: &str, bits: u8| (w.to_owned(), bits);
        assert_eq!(
            found,
            vec![
                expect("của", 16),
                expect("hàng", 16),
                expect("lưu", 1),
                expect("mã", 17),
                expect("ngân", 16),
                expect("qr", 17),
                expect("quét", 1),
                expect("ý", 1)
            ]
        );
    }

    #[test]
    fn postings_are_gap_encoded_per_spelling() {
        let postings = |list: &[(u32, u8)]| {
            let mut p = Postings::default();
            for &(doc, fields) in list {
                p.push(doc, fields);
            }
            p
        };
        let mut spellings = BTreeMap::new();
        spellings.insert("mã".to_owned(), postings(&[(3, 16), (7, 1), (1000, 31)]));
        spellings.insert("má".to_owned(), postings(&[(2, 4)]));
        // The same string is pinned in the search script's unit test (tests/browser).
        assert_eq!(encode_spellings(&spellings), "{\"má\":\"A2\",\"mã\":\"M3x4_xv\"}");
    }

    #[test]
    fn large_groups_split_by_one_more_letter() {
        let big = "x".repeat(SHARD_LIMIT / 2);
        let encoded: Vec<(String, String)> = vec![
            ("th".into(), "{}".into()),
            ("thanh".into(), big.clone()),
            ("thoai".into(), big.clone()),
            ("tien".into(), "{}".into()),
        ];
        let mut shards = Vec::new();
        split_into_shards(&encoded, (0..4).collect(), 2, &mut shards);
        shards.sort();
        let keys: Vec<&str> = shards.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec!["th", "tha", "tho", "ti"]);
    }
}
