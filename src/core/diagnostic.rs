//! Problems found in a site, with the place they were found and how to fix them.
//!
//! Every stage of the pipeline reports into a list of [`Diagnostic`]s instead of stopping at the
//! first problem: a staffer who fixes one typo should not have to run the build again to learn
//! about the next one. Each problem knows how to explain itself in Vietnamese and in English.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::core::lang::Lang;

/// How bad a problem is: errors stop the build, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, where it is, and what kind it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, e.g. `content/an-toan/otp.md`.
    pub file: PathBuf,
    /// 1-based line, 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    pub problem: Problem,
}

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
    /// TOML that does not parse (message from the TOML parser).
    TomlSyntax(String),
    /// A key nobody knows; carries the keys that are allowed there.
    UnknownKey {
        key: String,
        known: Vec<String>,
    },
    MissingKey(String),
    /// A key whose value has the wrong type or form (message from the parser).
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
    BrokenLink(String),
    /// A link to a heading that does not exist on its page.
    BrokenAnchor {
        target: String,
        anchor: String,
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
    /// A link or image address whose scheme (`javascript`, `data`…) is not http, https, mailto
    /// or tel: it could run code in the reader's browser.
    ForbiddenScheme {
        scheme: String,
        url: String,
    },
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, line: usize, column: usize, problem: Problem) -> Self {
        Diagnostic { severity: Severity::Error, file: file.into(), line, column, problem }
    }

    pub fn warning(file: impl Into<PathBuf>, line: usize, column: usize, problem: Problem) -> Self {
        Diagnostic { severity: Severity::Warning, file: file.into(), line, column, problem }
    }

    /// The location as editors understand it: `file:line:column`.
    pub fn location(&self) -> String {
        let file = self.file.display();
        match (self.line, self.column) {
            (0, _) => format!("{file}"),
            (l, 0) => format!("{file}:{l}"),
            (l, c) => format!("{file}:{l}:{c}"),
        }
    }

    /// A two-line human report: where and what, then how to fix it.
    pub fn render(&self, lang: Lang) -> String {
        let label = match self.severity {
            Severity::Error => lang.pick("lỗi", "error"),
            Severity::Warning => lang.pick("cảnh báo", "warning"),
        };
        let (what, fix) = self.problem.explain(lang);
        let mut out = format!("{label}: {}: {what}", self.location());
        if !fix.is_empty() {
            let _ = write!(out, "\n    → {} {fix}", lang.pick("Cách sửa:", "How to fix:"));
        }
        out
    }
}

impl Problem {
    /// A stable identifier of the kind of problem, for `hocso check --format json`.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::MissingFile => "missing-file",
            Problem::Io(_) => "io",
            Problem::InvalidUtf8 => "invalid-utf8",
            Problem::EmptyFile => "empty-file",
            Problem::FrontMatterMissing => "front-matter-missing",
            Problem::FrontMatterUnclosed => "front-matter-unclosed",
            Problem::TomlSyntax(_) => "toml-syntax",
            Problem::UnknownKey { .. } => "unknown-key",
            Problem::MissingKey(_) => "missing-key",
            Problem::InvalidValue(_) => "invalid-value",
            Problem::InvalidLevel(_) => "invalid-level",
            Problem::TopicWithoutIndex => "topic-without-index",
            Problem::DuplicateSlug { .. } => "duplicate-address",
            Problem::EmptySlug => "empty-address",
            Problem::UnexpectedFile => "unexpected-file",
            Problem::BrokenLink(_) => "broken-link",
            Problem::BrokenAnchor { .. } => "broken-anchor",
            Problem::HeadingLevelOne => "heading-level-one",
            Problem::HeadingSkip { .. } => "heading-skip",
            Problem::MissingImage(_) => "missing-image",
            Problem::ImageWithoutAlt(_) => "image-without-alt",
            Problem::AltTooLong(_) => "alt-too-long",
            Problem::ExternalImage(_) => "external-image",
            Problem::ImageUnreadable { .. } => "image-unreadable",
            Problem::ImageTooLarge { .. } => "image-too-large",
            Problem::ImageLarge { .. } => "image-large",
            Problem::MissingFileNamed(_) => "missing-file-named",
            Problem::LeafletTooLong { .. } => "leaflet-too-long",
            Problem::ReservedSlug(_) => "reserved-address",
            Problem::VagueLinkText(_) => "vague-link-text",
            Problem::LongSentence(_) => "long-sentence",
            Problem::LongParagraph(_) => "long-paragraph",
            Problem::StepManyActions => "step-many-actions",
            Problem::PlainHttp(_) => "plain-http",
            Problem::NotNfc => "not-nfc",
            Problem::Stale { .. } => "stale",
            Problem::ThemeMissing(_) => "theme-missing",
            Problem::Template(_) => "template",
            Problem::OutputUnsafe(_) => "output-unsafe",
            Problem::OutputNotOurs(_) => "output-not-ours",
            Problem::ForbiddenScheme { .. } => "forbidden-scheme",
        }
    }

    /// What is wrong, and how to fix it, in the reader's language.
    pub fn explain(&self, lang: Lang) -> (String, String) {
        let vi = lang == Lang::Vi;
        let pair = |a: String, b: String| (a, b);
        match self {
            Problem::MissingFile => pair(
                lang.pick("Không tìm thấy tệp này.", "This file does not exist.").into(),
                lang.pick(
                    "Kiểm tra tên tệp, hoặc chạy lệnh trong đúng thư mục trang (nơi có site.toml).",
                    "Check the name, or run the command in the site folder (where site.toml is).",
                )
                .into(),
            ),
            Problem::Io(msg) => pair(
                format!("{} {msg}", lang.pick("Không đọc/ghi được:", "Could not read/write:")),
                lang.pick(
                    "Kiểm tra quyền truy cập thư mục và dung lượng ổ đĩa.",
                    "Check folder permissions and free disk space.",
                )
                .into(),
            ),
            Problem::InvalidUtf8 => pair(
                lang.pick(
                    "Tệp không phải văn bản UTF-8 (có thể lưu bằng bảng mã khác).",
                    "The file is not UTF-8 text (it may use another encoding).",
                )
                .into(),
                lang.pick(
                    "Mở tệp bằng trình soạn thảo và lưu lại với bảng mã UTF-8.",
                    "Open it in an editor and save it again as UTF-8.",
                )
                .into(),
            ),
            Problem::EmptyFile => pair(
                lang.pick("Tệp trống.", "The file is empty.").into(),
                lang.pick(
                    "Thêm phần đầu bài +++ … +++ (ít nhất title và summary) rồi nội dung, hoặc xóa tệp.",
                    "Add a +++ … +++ front matter (at least title and summary) and content, or delete the file.",
                )
                .into(),
            ),
            Problem::FrontMatterMissing => pair(
                lang.pick(
                    "Tệp không bắt đầu bằng phần đầu bài (dòng +++).",
                    "The file does not start with front matter (a +++ line).",
                )
                .into(),
                lang.pick(
                    "Dòng đầu tiên phải là +++, sau đó title = \"…\", summary = \"…\", rồi một dòng +++ nữa.",
                    "The first line must be +++, then title = \"…\", summary = \"…\", then another +++ line.",
                )
                .into(),
            ),
            Problem::FrontMatterUnclosed => pair(
                lang.pick(
                    "Phần đầu bài mở bằng +++ nhưng không có dòng +++ đóng lại.",
                    "The front matter opens with +++ but never closes.",
                )
                .into(),
                lang.pick(
                    "Thêm một dòng chỉ có +++ sau các khóa title, summary….",
                    "Add a line containing only +++ after the title, summary… keys.",
                )
                .into(),
            ),
            Problem::TomlSyntax(msg) => pair(
                format!("{} {msg}", lang.pick("Sai cú pháp TOML:", "TOML syntax error:")),
                lang.pick(
                    "Mỗi dòng có dạng khóa = \"giá trị\"; chữ phải nằm trong ngoặc kép; ngày viết 2026-11-25.",
                    "Each line is key = \"value\"; text goes in double quotes; dates are written 2026-11-25.",
                )
                .into(),
            ),
            Problem::UnknownKey { key, known } => pair(
                format!("{} `{key}`.", lang.pick("Khóa không hợp lệ", "Unknown key")),
                format!(
                    "{} {}.",
                    lang.pick(
                        "Có thể gõ nhầm. Các khóa hợp lệ ở đây là:",
                        "Perhaps a typo. The keys allowed here are:"
                    ),
                    known.join(", ")
                ),
            ),
            Problem::MissingKey(key) => pair(
                format!("{} `{key}`.", lang.pick("Thiếu khóa bắt buộc", "Missing required key")),
                if vi {
                    format!("Thêm dòng {key} = \"…\" vào phần đầu bài (giữa hai dòng +++).")
                } else {
                    format!("Add a line {key} = \"…\" to the front matter (between the +++ lines).")
                },
            ),
            Problem::InvalidValue(msg) => pair(
                format!("{} {msg}", lang.pick("Giá trị không hợp lệ:", "Invalid value:")),
                lang.pick(
                    "Chữ viết trong ngoặc kép, số viết không có ngoặc, ngày viết 2026-11-25, true/false cho có/không.",
                    "Text in double quotes, numbers without quotes, dates as 2026-11-25, true/false for yes/no.",
                )
                .into(),
            ),
            Problem::InvalidLevel(value) => pair(
                format!("{} `{value}`.", lang.pick("Mức độ không hợp lệ", "Invalid level")),
                lang.pick(
                    "Dùng level = \"co-ban\" (cơ bản) hoặc level = \"nang-cao\" (nâng cao).",
                    "Use level = \"co-ban\" (basic) or level = \"nang-cao\" (advanced).",
                )
                .into(),
            ),
            Problem::TopicWithoutIndex => pair(
                lang.pick(
                    "Thư mục chủ đề này chưa có tệp _index.md.",
                    "This topic folder has no _index.md.",
                )
                .into(),
                lang.pick(
                    "Tạo tệp _index.md trong thư mục, gồm: một dòng +++, dòng title = \"Tên chủ đề\", dòng description = \"Một câu giới thiệu\", rồi một dòng +++.",
                    "Create _index.md in the folder: a +++ line, title = \"Topic name\", description = \"One sentence\", then a +++ line.",
                )
                .into(),
            ),
            Problem::DuplicateSlug { url, other } => pair(
                format!(
                    "{} {url} {} {}.",
                    lang.pick("Địa chỉ", "The address"),
                    lang.pick("trùng với tệp", "is also produced by"),
                    other.display()
                ),
                lang.pick(
                    "Đổi tên một trong hai tệp (tên tệp không dấu quyết định địa chỉ trang).",
                    "Rename one of the two files (the file name, without diacritics, decides the address).",
                )
                .into(),
            ),
            Problem::EmptySlug => pair(
                lang.pick(
                    "Tên tệp không tạo được địa chỉ trang (không có chữ hoặc số).",
                    "The file name gives no page address (it has no letters or digits).",
                )
                .into(),
                lang.pick(
                    "Đặt tên tệp bằng chữ, ví dụ kich-hoat-vneid.md.",
                    "Name the file with words, e.g. kich-hoat-vneid.md.",
                )
                .into(),
            ),
            Problem::UnexpectedFile => pair(
                lang.pick(
                    "Tệp Markdown nằm ở chỗ hocso không đọc.",
                    "A Markdown file where hocso does not look.",
                )
                .into(),
                lang.pick(
                    "Bài học nằm ở content/<chủ-đề>/<bài>.md hoặc content/<chủ-đề>/<bài>/index.md.",
                    "Lessons live at content/<topic>/<lesson>.md or content/<topic>/<lesson>/index.md.",
                )
                .into(),
            ),
            Problem::BrokenLink(target) => pair(
                format!("{} {target}", lang.pick("Liên kết tới trang không tồn tại:", "Link to a page that does not exist:")),
                lang.pick(
                    "Viết đường dẫn tới tệp .md của bài, tính từ tệp này, ví dụ ../thanh-toan/ma-qr.md.",
                    "Link to the lesson's .md file, relative to this file, e.g. ../thanh-toan/ma-qr.md.",
                )
                .into(),
            ),
            Problem::BrokenAnchor { target, anchor } => pair(
                if vi {
                    format!("Trang {target} không có đề mục #{anchor}.")
                } else {
                    format!("The page {target} has no heading #{anchor}.")
                },
                lang.pick(
                    "Phần sau dấu # là tên đề mục viết không dấu, chữ thường, nối bằng gạch ngang (## Bước 1 → #buoc-1).",
                    "The part after # is the heading without diacritics, lower case, joined by hyphens (## Bước 1 → #buoc-1).",
                )
                .into(),
            ),
            Problem::HeadingLevelOne => pair(
                lang.pick(
                    "Đề mục cấp 1 (#) trong nội dung: tiêu đề bài đã là đề mục cấp 1.",
                    "A level-1 heading (#) in the content: the title already is the level-1 heading.",
                )
                .into(),
                lang.pick("Dùng ## cho các phần của bài.", "Use ## for the sections of a page.").into(),
            ),
            Problem::HeadingSkip { from, to } => pair(
                if vi {
                    format!("Đề mục nhảy từ cấp {from} xuống cấp {to}, bỏ qua một cấp.")
                } else {
                    format!("Heading jumps from level {from} to level {to}, skipping a level.")
                },
                if vi {
                    format!("Dùng {} cho đề mục này.", "#".repeat(usize::from(*from) + 1))
                } else {
                    format!("Use {} for this heading.", "#".repeat(usize::from(*from) + 1))
                },
            ),
            Problem::MissingImage(src) => pair(
                format!("{} {src}", lang.pick("Không tìm thấy ảnh:", "Image not found:")),
                lang.pick(
                    "Đặt ảnh cạnh bài (bài dạng thư mục <bài>/index.md) hoặc trong static/, và kiểm tra tên tệp.",
                    "Put the image beside the lesson (a <lesson>/index.md bundle) or in static/, and check the name.",
                )
                .into(),
            ),
            Problem::ImageWithoutAlt(src) => pair(
                format!("{} {src}", lang.pick("Ảnh chưa có lời mô tả (alt):", "Image without alt text:")),
                lang.pick(
                    "Viết mô tả trong ngoặc vuông: ![Nút Quét QR ở giữa thanh dưới cùng](anh.png). Ảnh chỉ để trang trí thì viết ![](anh.png \"trang trí\").",
                    "Describe it in the brackets: ![The Scan QR button in the bottom bar](image.png). For a purely decorative image write ![](image.png \"decorative\").",
                )
                .into(),
            ),
            Problem::AltTooLong(n) => pair(
                if vi {
                    format!("Lời mô tả ảnh dài {n} ký tự; người nghe bằng trình đọc màn hình sẽ mệt.")
                } else {
                    format!("The alt text is {n} characters long; screen-reader users will tire.")
                },
                lang.pick(
                    "Giữ mô tả dưới 150 ký tự; phần giải thích dài hơn viết thành một đoạn văn ngay dưới ảnh.",
                    "Keep alt text under 150 characters; put a longer explanation in a paragraph below the image.",
                )
                .into(),
            ),
            Problem::ExternalImage(src) => pair(
                format!("{} {src}", lang.pick("Ảnh lấy từ trang khác:", "Image from another site:")),
                lang.pick(
                    "Tải ảnh về, đặt cạnh bài (bài dạng thư mục) hoặc trong static/, rồi dẫn tới tệp đó.",
                    "Download the image, put it beside the lesson (a bundle) or in static/, and link to that file.",
                )
                .into(),
            ),
            Problem::ImageUnreadable { src, why } => pair(
                format!("{} {src} ({why})", lang.pick("Không đọc được ảnh:", "Cannot read image:")),
                lang.pick(
                    "Tệp có thể hỏng hoặc không phải ảnh. Mở ảnh trên máy tính, lưu lại dạng PNG hoặc JPG rồi thử lại.",
                    "The file may be damaged or not an image. Open it on a computer, save it as PNG or JPG, and try again.",
                )
                .into(),
            ),
            Problem::ImageTooLarge { src, width, height } => pair(
                if vi {
                    format!("Ảnh {src} quá lớn ({width} × {height} điểm ảnh).")
                } else {
                    format!("Image {src} is too large ({width} × {height} pixels).")
                },
                lang.pick(
                    "Thu nhỏ ảnh xuống dưới 4000 điểm ảnh mỗi chiều rồi thử lại.",
                    "Shrink it below 4000 pixels on each side and try again.",
                )
                .into(),
            ),
            Problem::ImageLarge { src, megapixels } => pair(
                if vi {
                    format!("Ảnh {src} rất lớn ({} triệu điểm ảnh); tạo trang sẽ chậm.", lang.seconds(*megapixels).trim_end_matches('0').trim_end_matches([',', '.']))
                } else {
                    format!("Image {src} is very large ({megapixels} megapixels); builds will be slow.")
                },
                lang.pick(
                    "Nên thu nhỏ ảnh còn khoảng 2000 điểm ảnh chiều rộng trước khi đưa vào bài.",
                    "Shrink it to about 2000 pixels wide before adding it.",
                )
                .into(),
            ),
            Problem::MissingFileNamed(name) => pair(
                format!("{} {name}", lang.pick("Không tìm thấy tệp được nêu:", "File named here not found:")),
                lang.pick(
                    "Đặt tệp cạnh bài (bài dạng thư mục <bài>/index.md) hoặc trong static/ rồi viết /tên-tệp.",
                    "Put the file beside the lesson (a <lesson>/index.md bundle) or in static/ and write /file-name.",
                )
                .into(),
            ),
            Problem::LeafletTooLong { pages } => pair(
                if vi {
                    format!("Tờ rơi của bài này có thể dài khoảng {} trang, quá một tờ giấy (2 mặt).", lang.seconds(*pages).trim_end_matches('0').trim_end_matches([',', '.']))
                } else {
                    format!("This lesson's leaflet may run to about {} pages, more than one sheet (2 sides).", lang.seconds(*pages).trim_end_matches('0').trim_end_matches([',', '.']))
                },
                lang.pick(
                    "Thêm leaflet_summary = \"\"\"…\"\"\" (bản ngắn để in) vào phần đầu bài, hoặc thêm {.khong-in} sau đề mục không cần in, ví dụ ## Chi tiết {.khong-in}.",
                    "Add leaflet_summary = \"\"\"…\"\"\" (a short version to print) to the front matter, or add {.khong-in} after headings not to print, e.g. ## Details {.khong-in}.",
                )
                .into(),
            ),
            Problem::ReservedSlug(slug) => pair(
                format!("{} /{slug}/", lang.pick("hocso đã dùng địa chỉ này cho trang riêng:", "hocso uses this address for its own page:")),
                lang.pick("Đổi tên thư mục hoặc tệp này.", "Rename this folder or file.").into(),
            ),
            Problem::VagueLinkText(text) => pair(
                format!("{} “{text}”", lang.pick("Chữ của liên kết không nói nó dẫn đi đâu:", "Link text does not say where it leads:")),
                lang.pick(
                    "Viết tên bài hay việc cần làm làm chữ liên kết, ví dụ [cách thanh toán bằng mã QR](…), thay cho “bấm vào đây”.",
                    "Use the lesson or action as the link text, e.g. [how to pay by QR code](…), instead of “click here”.",
                )
                .into(),
            ),
            Problem::LongSentence(n) => pair(
                if vi { format!("Câu dài {n} chữ.") } else { format!("A sentence of {n} words.") },
                lang.pick("Tách thành câu ngắn, mỗi câu dưới 25 chữ.", "Split it into short sentences of under 25 words.").into(),
            ),
            Problem::LongParagraph(n) => pair(
                if vi { format!("Đoạn văn dài {n} chữ.") } else { format!("A paragraph of {n} words.") },
                lang.pick("Tách thành đoạn ngắn hơn, hoặc thành các bước.", "Split it into shorter paragraphs, or into steps.").into(),
            ),
            Problem::StepManyActions => pair(
                lang.pick("Một bước có vẻ gồm nhiều việc.", "A step seems to hold more than one action.").into(),
                lang.pick(
                    "Mỗi bước chỉ một việc, một câu: tách “Mở ứng dụng rồi bấm Đăng nhập” thành hai bước.",
                    "One action, one sentence per step: split “Open the app then tap Log in” into two steps.",
                )
                .into(),
            ),
            Problem::PlainHttp(url) => pair(
                format!("{} {url}", lang.pick("Liên kết không mã hóa (http://):", "Unencrypted link (http://):")),
                lang.pick("Dùng địa chỉ https:// nếu trang đó có.", "Use the https:// address if the site has one.").into(),
            ),
            Problem::NotNfc => pair(
                lang.pick(
                    "Tệp không lưu ở dạng chuẩn NFC (dấu tiếng Việt tách rời chữ); hocso đã tự chuẩn hóa.",
                    "The file is not saved in NFC (Vietnamese marks stored apart from letters); hocso normalised it.",
                )
                .into(),
                lang.pick(
                    "Lưu lại tệp bằng trình soạn thảo đặt chuẩn Unicode NFC để tìm kiếm và sửa chữ dễ hơn.",
                    "Save the file with an editor set to Unicode NFC so searching and editing behave.",
                )
                .into(),
            ),
            Problem::Stale { days } => pair(
                if vi { format!("Bài chưa được cập nhật {days} ngày.") } else { format!("The lesson has not been updated for {days} days.") },
                lang.pick(
                    "Kiểm tra lại các bước với ứng dụng hiện nay, rồi sửa ngày updated.",
                    "Check the steps against today's apps, then change the updated date.",
                )
                .into(),
            ),
            Problem::ThemeMissing(theme) => pair(
                format!("{} {theme}", lang.pick("Không tìm thấy giao diện (theme):", "Theme not found:")),
                lang.pick(
                    "Kiểm tra theme = \"…\" trong site.toml và thư mục themes/.",
                    "Check theme = \"…\" in site.toml and the themes/ folder.",
                )
                .into(),
            ),
            Problem::Template(msg) => pair(
                format!("{} {msg}", lang.pick("Lỗi mẫu trang (template):", "Template error:")),
                lang.pick(
                    "Kiểm tra biến và thẻ {{ … }} {% … %} trong mẫu trang; tên biến phải đúng như tài liệu.",
                    "Check the {{ … }} and {% … %} tags in the template; variable names must match the docs.",
                )
                .into(),
            ),
            Problem::OutputUnsafe(path) => pair(
                format!(
                    "{} {}",
                    lang.pick("Thư mục xuất không an toàn:", "Unsafe output folder:"),
                    path.display()
                ),
                lang.pick(
                    "Thư mục xuất không được là thư mục trang hay chứa nội dung; dùng public/.",
                    "The output must not be the site folder or hold its sources; use public/.",
                )
                .into(),
            ),
            Problem::OutputNotOurs(path) => pair(
                format!(
                    "{} {}",
                    lang.pick(
                        "Thư mục xuất đã có và không phải do hocso tạo:",
                        "The output folder exists and was not made by hocso:"
                    ),
                    path.display()
                ),
                lang.pick(
                    "hocso không ghi đè để tránh mất dữ liệu. Chọn thư mục khác bằng --output, hoặc tự xóa thư mục đó.",
                    "hocso will not overwrite it, to avoid losing data. Pick another with --output, or delete it yourself.",
                )
                .into(),
            ),
            Problem::ForbiddenScheme { scheme, url } => pair(
                if vi {
                    format!("Địa chỉ kiểu \"{scheme}:\" không được phép, vì có thể chạy mã độc trên máy người đọc: {url}")
                } else {
                    format!("Addresses starting with \"{scheme}:\" are not allowed: they can run harmful code on the reader's device: {url}")
                },
                lang.pick(
                    "Liên kết chỉ được bắt đầu bằng https://, http://, mailto: (thư điện tử) hoặc tel: (số điện thoại), hoặc trỏ tới tệp .md của bài khác; ảnh phải là tệp đặt cạnh bài. Xóa hoặc sửa địa chỉ này.",
                    "A link may only start with https://, http://, mailto: (email) or tel: (phone number), or point to another lesson's .md file; an image must be a file next to the lesson. Remove or correct this address.",
                )
                .into(),
            ),
        }
    }
}

/// The stable JSON report of `hocso check --format json` (documented in the README).
pub fn to_json(diagnostics: &[Diagnostic], lang: Lang) -> String {
    let problems: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let (message, hint) = d.problem.explain(lang);
            serde_json::json!({
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "code": d.problem.code(),
                "file": d.file.to_string_lossy().replace('\\', "/"),
                "line": d.line,
                "column": d.column,
                "message": message,
                "hint": hint,
            })
        })
        .collect();
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let report = serde_json::json!({
        "format": "hocso-check",
        "version": 1,
        "errors": errors,
        "warnings": diagnostics.len() - errors,
        "problems": problems,
    });
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// Sorts diagnostics for display: errors first, then by file and line.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (a.severity, &a.file, a.line, a.column).cmp(&(b.severity, &b.file, b.line, b.column))
    });
}

/// True when at least one diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// A path shown relative to the site root when it lies inside it.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_names_place_and_fix_in_both_languages() {
        let d = Diagnostic::error(
            "content/a.md",
            3,
            1,
            Problem::UnknownKey { key: "titel".into(), known: vec!["title".into(), "summary".into()] },
        );
        let vi = d.render(Lang::Vi);
        assert!(vi.starts_with("lỗi: content/a.md:3:1: Khóa không hợp lệ `titel`."), "{vi}");
        assert!(vi.contains("title, summary"));
        let en = d.render(Lang::En);
        assert!(en.starts_with("error: content/a.md:3:1: Unknown key `titel`."), "{en}");
    }
}
