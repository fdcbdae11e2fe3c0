//! What can be wrong: one variant per kind of problem, carrying what its message needs.

use std::path::{Path, PathBuf};

use super::TomlMistake;
use crate::core::lang::Lang;

/// What is wrong. Each variant carries what its message needs.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// A file is required but absent (site.toml, a theme template …).
    MissingFile,
    /// Reading or writing failed at the operating-system level.
    Io(String),
    InvalidUtf8,
    EmptyFile,
    /// A Markdown page does not start with `+++`.
    FrontMatterMissing,
    /// The `+++` block never closes.
    FrontMatterUnclosed,
    /// TOML that does not parse, sorted into the mistakes people make.
    TomlSyntax(TomlMistake),
    /// A key nobody knows; carries the keys that are allowed there.
    UnknownKey {
        key: String,
        known: Vec<String>,
    },
    MissingKey(String),
    /// A key whose value has the wrong form (message from the parser).
    InvalidValue(String),
    /// `level` must be one of the known levels.
    InvalidLevel(String),
    /// A folder under `content/` holds lessons but no `_index.md`.
    TopicWithoutIndex,
    /// Two files produce the same URL.
    DuplicateSlug {
        url: String,
        other: PathBuf,
    },
    /// A file name gives an empty slug (e.g. only punctuation).
    EmptySlug,
    /// A Markdown file where none is expected (e.g. nested too deep).
    UnexpectedFile,
    /// A link to a page that does not exist.
    BrokenLink {
        target: String,
        /// The existing file whose name is closest to what was written, as it should be written.
        closest: Option<String>,
    },
    /// A link to a heading that does not exist on its page.
    BrokenAnchor {
        target: String,
        anchor: String,
        /// The headings the target really has (ids), the nearest first, a few at most.
        known: Vec<String>,
    },
    /// A `#` heading inside a page body: the title is already the page's only h1.
    HeadingLevelOne,
    /// A heading level that skips one (h2 → h4).
    HeadingSkip {
        from: u8,
        to: u8,
    },
    /// An image whose file does not exist.
    MissingImage(String),
    /// An image without alt text (and not marked decorative).
    ImageWithoutAlt(String),
    /// Alt text longer than a screen-reader user wants to hear (characters).
    AltTooLong(usize),
    /// An image from another site: it would leak residents' visits and may vanish.
    ExternalImage(String),
    /// A file that is not an image hocso can read.
    ImageUnreadable {
        src: String,
        why: String,
    },
    /// An image larger than hocso accepts.
    ImageTooLarge {
        src: String,
        width: u32,
        height: u32,
    },
    /// A very large image: accepted, but slow to build and better shrunk first.
    ImageLarge {
        src: String,
        megapixels: f64,
    },
    /// A file named in front matter (e.g. `audio`) that does not exist.
    MissingFileNamed(String),
    /// A leaflet that will likely need more than one sheet of paper.
    LeafletTooLong {
        pages: f64,
    },
    /// A topic or page name that hocso uses for its own pages.
    ReservedSlug(String),
    /// Link text that says nothing out of context ("bấm vào đây").
    VagueLinkText(String),
    /// A sentence with this many words.
    LongSentence(usize),
    /// A paragraph with this many words.
    LongParagraph(usize),
    /// A step that seems to hold more than one action.
    StepManyActions,
    /// A plain `http://` link.
    PlainHttp(String),
    /// The file was not saved in NFC (hocso normalises it, but editors may show it oddly).
    NotNfc,
    /// A lesson not updated for this many days.
    Stale {
        days: i64,
    },
    /// The theme named in site.toml has no folder.
    ThemeMissing(String),
    /// A template failed to parse or render.
    Template(String),
    /// The output folder would destroy something that is not ours.
    OutputUnsafe(PathBuf),
    /// The output folder exists and was not made by hocso.
    OutputNotOurs(PathBuf),
    /// A path a user wrote would reach outside the folder it belongs to (`root`, e.g. `static/`),
    /// or holds a character that would break the page it is written into.
    UnsafePath {
        written: String,
        root: String,
        why: crate::core::paths::Unsafe,
    },
    /// An alias that is the address of the home page or of a page hocso makes itself.
    AliasTaken(String),
    /// `base_url` is not an absolute `http(s)://` address that can be written into pages as is.
    InvalidBaseUrl(String),
    /// A source is a named pipe, a device or a socket, not a file: reading it could wait forever.
    NotRegularFile,
    /// A source file is far larger than any real lesson.
    FileTooLarge {
        bytes: u64,
        limit: u64,
    },
    /// A link or image address whose scheme (`javascript`, `data`…) is not http, https, mailto
    /// or tel: it could run code in the reader's browser.
    ForbiddenScheme {
        scheme: String,
        url: String,
    },
    /// A page holds more tags of raw HTML than can be cleaned in reasonable time.
    TooMuchRawHtml(usize),
    /// `[languages.<code>]` names no usable language code (or the site's own language).
    BadLanguageCode(String),
    /// A file named like a translation (`bai.fr.md`) into a language site.toml does not list.
    UnknownLanguage(String),
    /// A translation (`bai.en.md`) without the page it translates (`bai.md`).
    TranslationWithoutSource {
        lang: String,
        source: PathBuf,
    },
    /// The theme has no UI strings, or not all of them, for a language: the default language's
    /// are shown instead.
    MissingUiStrings {
        lang: String,
        keys: Vec<String>,
    },
    /// A lesson not yet translated into a language of the site.
    Untranslated(String),
    /// A translation older than the page it translates: the original changed since.
    OutdatedTranslation {
        lang: String,
        translation: PathBuf,
    },
    /// A cell of a campaign file (`data/…`) that should hold a count, a date or a time holds
    /// something else.
    CampaignBadCell {
        column: String,
        value: String,
        kind: CellKind,
    },
    /// A campaign CSV file lacks a column it needs (`found`: the headers it has).
    CampaignMissingColumn {
        column: String,
        found: Vec<String>,
    },
    /// A village is spelt here otherwise than in another file (`Thôn Đông` / `thon dong`): the
    /// two would count as two villages.
    CampaignVillageSpelling {
        written: String,
        earlier: String,
        /// Boxed: a `PathBuf` beside two strings made every diagnostic larger.
        file: Box<Path>,
    },
    /// A count is larger than the number of adults of its village.
    CampaignCountOverAdults {
        column: String,
        count: u64,
        adults: u64,
    },
    /// A help point names a lesson that is not in `content/`.
    HelpPointUnknownLesson {
        written: String,
        closest: Option<String>,
    },
    /// A CSV row that cannot be read (wrong number of cells, an unclosed quote), or a file name
    /// hocso cannot place (`data/ket-qua/quy-1.csv`).
    CampaignBadFile(String),
    /// A CSV row with more or fewer cells than the header row.
    CampaignRowLength {
        cells: usize,
        expected: usize,
    },
    /// `[audio] engine` is set but the speech engine or the encoder cannot be run.
    AudioEngineMissing(String),
    /// The engine or the encoder failed on one lesson (with what it said).
    AudioFailed(String),
    /// A lesson's spoken text holds characters the speech engine cannot say.
    Unsayable(String),
    /// A line of a journey that is neither a step, a link to a lesson nor a note.
    JourneyLine(String),
    /// A journey step without a link to a lesson.
    JourneyStepWithoutLesson,
    /// A journey without any step.
    JourneyWithoutSteps,
    /// A further lesson of a journey step without "và" or "hoặc" before it.
    JourneyMissingConnector,
    /// A journey step that links to a page that is not a lesson (a topic, a standalone page).
    JourneyNotLesson(String),
    /// A self-check question with fewer than 2 or more than 4 choices.
    QuizChoiceCount(usize),
    /// A self-check question whose number of right choices is not one.
    QuizRightCount(usize),
}

/// What a campaign cell should have held, for [`Problem::CampaignBadCell`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellKind {
    /// A whole number of people, written `1234` or `1.234`.
    Count,
    /// A day, written `2026-12-06` or `6/12/2026`.
    Date,
    /// A time of day, written `8:00` or `8h00`.
    Time,
}

impl CellKind {
    /// What the cell should hold, and how to write it, in `lang`.
    pub(super) fn words(self, lang: Lang) -> (&'static str, &'static str) {
        match (self, lang) {
            (CellKind::Count, Lang::Vi) => {
                ("một số người", "1234 hoặc 1.234, không có chữ, dấu phẩy thập phân hay dấu trừ")
            }
            (CellKind::Count, Lang::En) => {
                ("a number of people", "1234 or 1.234, without letters, decimal commas or minus signs")
            }
            (CellKind::Date, Lang::Vi) => ("một ngày", "2026-12-06 hoặc 6/12/2026"),
            (CellKind::Date, Lang::En) => ("a date", "2026-12-06 or 6/12/2026"),
            (CellKind::Time, Lang::Vi) => ("một giờ trong ngày", "8:00, 8h00 hoặc 13:30"),
            (CellKind::Time, Lang::En) => ("a time of day", "8:00, 8h00 or 13:30"),
        }
    }
}
