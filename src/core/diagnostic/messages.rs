//! Each problem's stable code and its message in Vietnamese and in English, as one table.

use super::words::{megabytes, short_number, unsafe_path_words, value_message_vi};
use super::{Problem, closest_word};
use crate::core::lang::Lang;

/// Generates [`Problem::code`] and [`Problem::explain`] from one table, so that each problem's
/// code and its Vietnamese and English texts stand side by side and adding a problem is one entry.
///
/// An entry is `pattern => "code",`, then any `let name = value;` that prepares a placeholder,
/// then `vi "what" "fix", en "what" "fix";`. The texts are `format!` templates, so a `{name}`
/// placeholder must be a field bound by the pattern or a prepared `let` (the compiler checks it),
/// and a literal brace is written twice (`{{`). The table names the language parameter (`lang;`)
/// because macro hygiene would otherwise hide it from a `let` that depends on the language.
macro_rules! problem_messages {
    ($lang:ident; $(
        $pattern:pat => $code:literal,
        $(let $name:ident = $value:expr;)*
        vi $vi_what:literal $vi_fix:literal,
        en $en_what:literal $en_fix:literal;
    )*) => {
        impl Problem {
            /// A stable identifier of the kind of problem, for `hocso check --format json`.
            #[allow(unused_variables)] // the patterns bind the fields that the messages need
            pub fn code(&self) -> &'static str {
                match self {
                    $($pattern => $code,)*
                }
            }

            /// What is wrong, and how to fix it, in the reader's language.
            pub fn explain(&self, $lang: Lang) -> (String, String) {
                match self {
                    $($pattern => {
                        $(let $name = $value;)*
                        match $lang {
                            Lang::Vi => (format!($vi_what), format!($vi_fix)),
                            Lang::En => (format!($en_what), format!($en_fix)),
                        }
                    })*
                }
            }
        }

        /// Every code in table order, so that a test can demand a sample of every problem.
        #[cfg(test)]
        const CODES: &[&str] = &[$($code),*];
    };
}

problem_messages! { lang;
    Problem::MissingFile => "missing-file",
        vi "Không tìm thấy tệp này."
           "Kiểm tra tên tệp, hoặc chạy lệnh trong đúng thư mục trang (nơi có site.toml).",
        en "This file does not exist."
           "Check the name, or run the command in the site folder (where site.toml is).";

    Problem::Io(msg) => "io",
        vi "Không đọc/ghi được: {msg}"
           "Kiểm tra quyền truy cập thư mục và dung lượng ổ đĩa.",
        en "Could not read/write: {msg}"
           "Check folder permissions and free disk space.";

    Problem::InvalidUtf8 => "invalid-utf8",
        vi "Tệp không phải văn bản UTF-8 (có thể lưu bằng bảng mã khác)."
           "Mở tệp bằng trình soạn thảo và lưu lại với bảng mã UTF-8.",
        en "The file is not UTF-8 text (it may use another encoding)."
           "Open it in an editor and save it again as UTF-8.";

    Problem::EmptyFile => "empty-file",
        vi "Tệp trống."
           "Thêm phần đầu bài +++ … +++ (ít nhất title và summary) rồi nội dung, hoặc xóa tệp.",
        en "The file is empty."
           "Add a +++ … +++ front matter (at least title and summary) and content, or delete the file.";

    Problem::FrontMatterMissing => "front-matter-missing",
        vi "Tệp không bắt đầu bằng phần đầu bài (dòng +++)."
           "Dòng đầu tiên phải là +++, sau đó title = \"…\", summary = \"…\", rồi một dòng +++ nữa.",
        en "The file does not start with front matter (a +++ line)."
           "The first line must be +++, then title = \"…\", summary = \"…\", then another +++ line.";

    Problem::FrontMatterUnclosed => "front-matter-unclosed",
        vi "Phần đầu bài mở bằng +++ nhưng không có dòng +++ đóng lại."
           "Thêm một dòng chỉ có +++ sau các khóa title, summary….",
        en "The front matter opens with +++ but never closes."
           "Add a line containing only +++ after the title, summary… keys.";

    Problem::TomlSyntax(mistake) => "toml-syntax",
        let vi_what = mistake.explain(Lang::Vi).0;
        let vi_fix = mistake.explain(Lang::Vi).1;
        let en_what = mistake.explain(Lang::En).0;
        let en_fix = mistake.explain(Lang::En).1;
        vi "Sai cách viết: {vi_what}"
           "{vi_fix}",
        en "Syntax error: {en_what}"
           "{en_fix}";

    Problem::UnknownKey { key, known } => "unknown-key",
        let closest = closest_word(key, known);
        let vi_guess = closest.map_or_else(String::new, |k| format!(" Có phải ý bạn là `{k}`?"));
        let en_guess = closest.map_or_else(String::new, |k| format!(" Did you mean `{k}`?"));
        let known = known.join(", ");
        vi "Khóa không hợp lệ `{key}`.{vi_guess}"
           "Có thể gõ nhầm. Các khóa hợp lệ ở đây là: {known}.",
        en "Unknown key `{key}`.{en_guess}"
           "Perhaps a typo. The keys allowed here are: {known}.";

    Problem::MissingKey(key) => "missing-key",
        vi "Thiếu khóa bắt buộc `{key}`."
           "Thêm dòng {key} = \"…\" vào phần đầu bài (giữa hai dòng +++).",
        en "Missing required key `{key}`."
           "Add a line {key} = \"…\" to the front matter (between the +++ lines).";

    Problem::InvalidValue(msg) => "invalid-value",
        let vi_msg = value_message_vi(msg);
        vi "Giá trị không hợp lệ: {vi_msg}"
           "Chữ viết trong ngoặc kép, số viết không có ngoặc, ngày viết 2026-11-25, true/false cho có/không.",
        en "Invalid value: {msg}"
           "Text in double quotes, numbers without quotes, dates as 2026-11-25, true/false for yes/no.";

    Problem::InvalidLevel(value) => "invalid-level",
        vi "Mức độ không hợp lệ `{value}`."
           "Dùng level = \"co-ban\" (cơ bản) hoặc level = \"nang-cao\" (nâng cao).",
        en "Invalid level `{value}`."
           "Use level = \"co-ban\" (basic) or level = \"nang-cao\" (advanced).";

    Problem::TopicWithoutIndex => "topic-without-index",
        vi "Thư mục chủ đề này chưa có tệp _index.md."
           "Tạo tệp _index.md trong thư mục, gồm: một dòng +++, dòng title = \"Tên chủ đề\", dòng description = \"Một câu giới thiệu\", rồi một dòng +++.",
        en "This topic folder has no _index.md."
           "Create _index.md in the folder: a +++ line, title = \"Topic name\", description = \"One sentence\", then a +++ line.";

    Problem::DuplicateSlug { url, other } => "duplicate-address",
        let other = other.display();
        vi "Địa chỉ {url} trùng với tệp {other}."
           "Đổi tên một trong hai tệp (tên tệp không dấu quyết định địa chỉ trang).",
        en "The address {url} is also produced by {other}."
           "Rename one of the two files (the file name, without diacritics, decides the address).";

    Problem::EmptySlug => "empty-address",
        vi "Tên tệp không tạo được địa chỉ trang (không có chữ hoặc số)."
           "Đặt tên tệp bằng chữ, ví dụ kich-hoat-vneid.md.",
        en "The file name gives no page address (it has no letters or digits)."
           "Name the file with words, e.g. kich-hoat-vneid.md.";

    Problem::UnexpectedFile => "unexpected-file",
        vi "Tệp Markdown nằm ở chỗ hocso không đọc."
           "Bài học nằm ở content/<chủ-đề>/<bài>.md hoặc content/<chủ-đề>/<bài>/index.md.",
        en "A Markdown file where hocso does not look."
           "Lessons live at content/<topic>/<lesson>.md or content/<topic>/<lesson>/index.md.";

    Problem::BrokenLink { target, closest } => "broken-link",
        let vi_fix = closest.as_ref().map_or_else(
            || "Viết đường dẫn tới tệp .md của bài, tính từ tệp này, ví dụ ../thanh-toan/ma-qr.md.".to_owned(),
            |c| format!("Có phải ý bạn là {c}? Sửa đường dẫn cho đúng tên tệp."),
        );
        let en_fix = closest.as_ref().map_or_else(
            || "Link to the lesson's .md file, relative to this file, e.g. ../thanh-toan/ma-qr.md.".to_owned(),
            |c| format!("Did you mean {c}? Correct the path to the file's real name."),
        );
        vi "Liên kết tới trang không tồn tại: {target}"
           "{vi_fix}",
        en "Link to a page that does not exist: {target}"
           "{en_fix}";

    Problem::BrokenAnchor { target, anchor, known } => "broken-anchor",
        let vi_known = if known.is_empty() {
            " Trang đó không có đề mục nào.".to_owned()
        } else {
            format!(" Các đề mục có ở đó: #{}.", known.join(", #"))
        };
        let en_known = if known.is_empty() {
            " That page has no headings.".to_owned()
        } else {
            format!(" Its headings are: #{}.", known.join(", #"))
        };
        vi "Trang {target} không có đề mục #{anchor}.{vi_known}"
           "Phần sau dấu # là tên đề mục viết không dấu, chữ thường, nối bằng gạch ngang (## Bước 1 → #buoc-1).",
        en "The page {target} has no heading #{anchor}.{en_known}"
           "The part after # is the heading without diacritics, lower case, joined by hyphens (## Bước 1 → #buoc-1).";

    Problem::HeadingLevelOne => "heading-level-one",
        vi "Đề mục cấp 1 (#) trong nội dung: tiêu đề bài đã là đề mục cấp 1."
           "Dùng ## cho các phần của bài.",
        en "A level-1 heading (#) in the content: the title already is the level-1 heading."
           "Use ## for the sections of a page.";

    Problem::HeadingSkip { from, to } => "heading-skip",
        let hashes = "#".repeat(usize::from(*from) + 1);
        vi "Đề mục nhảy từ cấp {from} xuống cấp {to}, bỏ qua một cấp."
           "Dùng {hashes} cho đề mục này.",
        en "Heading jumps from level {from} to level {to}, skipping a level."
           "Use {hashes} for this heading.";

    Problem::MissingImage(src) => "missing-image",
        vi "Không tìm thấy ảnh: {src}"
           "Đặt ảnh cạnh bài (bài dạng thư mục <bài>/index.md) hoặc trong static/, và kiểm tra tên tệp.",
        en "Image not found: {src}"
           "Put the image beside the lesson (a <lesson>/index.md bundle) or in static/, and check the name.";

    Problem::ImageWithoutAlt(src) => "image-without-alt",
        vi "Ảnh chưa có lời mô tả (alt): {src}"
           "Viết mô tả trong ngoặc vuông: ![Nút Quét QR ở giữa thanh dưới cùng](anh.png). Ảnh chỉ để trang trí thì viết ![](anh.png \"trang trí\").",
        en "Image without alt text: {src}"
           "Describe it in the brackets: ![The Scan QR button in the bottom bar](image.png). For a purely decorative image write ![](image.png \"decorative\").";

    Problem::AltTooLong(n) => "alt-too-long",
        vi "Lời mô tả ảnh dài {n} ký tự; người nghe bằng trình đọc màn hình sẽ mệt."
           "Giữ mô tả dưới 150 ký tự; phần giải thích dài hơn viết thành một đoạn văn ngay dưới ảnh.",
        en "The alt text is {n} characters long; screen-reader users will tire."
           "Keep alt text under 150 characters; put a longer explanation in a paragraph below the image.";

    Problem::ExternalImage(src) => "external-image",
        vi "Ảnh lấy từ trang khác: {src}"
           "Tải ảnh về, đặt cạnh bài (bài dạng thư mục) hoặc trong static/, rồi dẫn tới tệp đó.",
        en "Image from another site: {src}"
           "Download the image, put it beside the lesson (a bundle) or in static/, and link to that file.";

    Problem::ImageUnreadable { src, why } => "image-unreadable",
        vi "Không đọc được ảnh: {src} ({why})"
           "Tệp có thể hỏng hoặc không phải ảnh. Mở ảnh trên máy tính, lưu lại dạng PNG hoặc JPG rồi thử lại.",
        en "Cannot read image: {src} ({why})"
           "The file may be damaged or not an image. Open it on a computer, save it as PNG or JPG, and try again.";

    Problem::ImageTooLarge { src, width, height } => "image-too-large",
        vi "Ảnh {src} quá lớn ({width} × {height} điểm ảnh)."
           "Thu nhỏ ảnh xuống dưới 4000 điểm ảnh mỗi chiều rồi thử lại.",
        en "Image {src} is too large ({width} × {height} pixels)."
           "Shrink it below 4000 pixels on each side and try again.";

    Problem::ImageLarge { src, megapixels } => "image-large",
        let vi_megapixels = short_number(Lang::Vi, *megapixels);
        vi "Ảnh {src} rất lớn ({vi_megapixels} triệu điểm ảnh); tạo trang sẽ chậm."
           "Nên thu nhỏ ảnh còn khoảng 2000 điểm ảnh chiều rộng trước khi đưa vào bài.",
        en "Image {src} is very large ({megapixels} megapixels); builds will be slow."
           "Shrink it to about 2000 pixels wide before adding it.";

    Problem::MissingFileNamed(name) => "missing-file-named",
        vi "Không tìm thấy tệp được nêu: {name}"
           "Đặt tệp cạnh bài (bài dạng thư mục <bài>/index.md) hoặc trong static/ rồi viết /tên-tệp.",
        en "File named here not found: {name}"
           "Put the file beside the lesson (a <lesson>/index.md bundle) or in static/ and write /file-name.";

    Problem::LeafletTooLong { pages } => "leaflet-too-long",
        let pages = short_number(lang, *pages);
        vi "Tờ rơi của bài này có thể dài khoảng {pages} trang, quá một tờ giấy (2 mặt)."
           "Thêm leaflet_summary = \"\"\"…\"\"\" (bản ngắn để in) vào phần đầu bài, hoặc thêm {{.khong-in}} sau đề mục không cần in, ví dụ ## Chi tiết {{.khong-in}}.",
        en "This lesson's leaflet may run to about {pages} pages, more than one sheet (2 sides)."
           "Add leaflet_summary = \"\"\"…\"\"\" (a short version to print) to the front matter, or add {{.khong-in}} after headings not to print, e.g. ## Details {{.khong-in}}.";

    Problem::ReservedSlug(slug) => "reserved-address",
        vi "hocso đã dùng địa chỉ này cho trang riêng: /{slug}/"
           "Đổi tên thư mục hoặc tệp này.",
        en "hocso uses this address for its own page: /{slug}/"
           "Rename this folder or file.";

    Problem::VagueLinkText(text) => "vague-link-text",
        vi "Chữ của liên kết không nói nó dẫn đi đâu: “{text}”"
           "Dùng tên bài hoặc tên việc cần làm để làm chữ liên kết, ví dụ [cách thanh toán bằng mã QR](…), thay cho “bấm vào đây”.",
        en "Link text does not say where it leads: “{text}”"
           "Use the lesson or action as the link text, e.g. [how to pay by QR code](…), instead of “click here”.";

    Problem::LongSentence(n) => "long-sentence",
        vi "Câu dài {n} chữ."
           "Tách thành câu ngắn, mỗi câu dưới 25 chữ.",
        en "A sentence of {n} words."
           "Split it into short sentences of under 25 words.";

    Problem::LongParagraph(n) => "long-paragraph",
        vi "Đoạn văn dài {n} chữ."
           "Tách thành đoạn ngắn hơn, hoặc thành các bước.",
        en "A paragraph of {n} words."
           "Split it into shorter paragraphs, or into steps.";

    Problem::StepManyActions => "step-many-actions",
        vi "Một bước có vẻ gồm nhiều việc."
           "Mỗi bước chỉ một việc, một câu: tách “Mở ứng dụng rồi bấm Đăng nhập” thành hai bước.",
        en "A step seems to hold more than one action."
           "One action, one sentence per step: split “Open the app then tap Log in” into two steps.";

    Problem::PlainHttp(url) => "plain-http",
        vi "Liên kết không mã hóa (http://): {url}"
           "Dùng địa chỉ https:// nếu trang đó có.",
        en "Unencrypted link (http://): {url}"
           "Use the https:// address if the site has one.";

    Problem::NotNfc => "not-nfc",
        vi "Tệp không lưu ở dạng chuẩn NFC (dấu tiếng Việt tách rời chữ); hocso đã tự chuẩn hóa."
           "Lưu lại tệp bằng trình soạn thảo đặt chuẩn Unicode NFC để tìm kiếm và sửa chữ dễ hơn.",
        en "The file is not saved in NFC (Vietnamese marks stored apart from letters); hocso normalised it."
           "Save the file with an editor set to Unicode NFC so searching and editing behave.";

    Problem::Stale { days } => "stale",
        vi "Bài chưa được cập nhật {days} ngày."
           "Kiểm tra lại các bước với ứng dụng hiện nay, rồi sửa ngày updated.",
        en "The lesson has not been updated for {days} days."
           "Check the steps against today's apps, then change the updated date.";

    Problem::ThemeMissing(theme) => "theme-missing",
        vi "Không tìm thấy giao diện (theme): {theme}"
           "Kiểm tra theme = \"…\" trong site.toml và thư mục themes/.",
        en "Theme not found: {theme}"
           "Check theme = \"…\" in site.toml and the themes/ folder.";

    Problem::Template(msg) => "template",
        vi "Lỗi mẫu trang (template): {msg}"
           "Kiểm tra biến và thẻ {{{{ … }}}} {{% … %}} trong mẫu trang; tên biến phải đúng như tài liệu.",
        en "Template error: {msg}"
           "Check the {{{{ … }}}} and {{% … %}} tags in the template; variable names must match the docs.";

    Problem::OutputUnsafe(path) => "output-unsafe",
        let path = path.display();
        vi "Thư mục xuất không an toàn: {path}"
           "Thư mục xuất không được là thư mục trang hay chứa nội dung; dùng public/.",
        en "Unsafe output folder: {path}"
           "The output must not be the site folder or hold its sources; use public/.";

    Problem::OutputNotOurs(path) => "output-not-ours",
        let path = path.display();
        vi "Thư mục xuất đã có và không phải do hocso tạo: {path}"
           "hocso không ghi đè để tránh mất dữ liệu. Chọn thư mục khác bằng --output, hoặc tự xóa thư mục đó.",
        en "The output folder exists and was not made by hocso: {path}"
           "hocso will not overwrite it, to avoid losing data. Pick another with --output, or delete it yourself.";
    Problem::UnsafePath { written, root, why } => "unsafe-path",
        let vi_what = unsafe_path_words(why, Lang::Vi).0;
        let vi_fix = unsafe_path_words(why, Lang::Vi).1;
        let en_what = unsafe_path_words(why, Lang::En).0;
        let en_fix = unsafe_path_words(why, Lang::En).1;
        let character = match why {
            crate::core::paths::Unsafe::Char(c) if c.is_control() => format!(" ({})", c.escape_debug()),
            crate::core::paths::Unsafe::Char(c) => format!(" ({c})"),
            _ => String::new(),
        };
        vi "`{written}` {vi_what} {root}/{character}."
           "{vi_fix}",
        en "`{written}` {en_what} {root}/{character}."
           "{en_fix}";

    Problem::AliasTaken(alias) => "alias-taken",
        vi "Địa chỉ cũ (aliases) `{alias}` là địa chỉ của trang chủ hoặc của một trang hocso tự tạo (tìm kiếm, thuật ngữ, tờ rơi); trang chuyển hướng sẽ đè lên trang đó."
           "Xóa địa chỉ này khỏi aliases = […]; chỉ ghi những địa chỉ cũ mà bài này từng có.",
        en "The alias `{alias}` is the address of the home page or of a page hocso makes itself (search, glossary, leaflets); the redirect would replace that page."
           "Remove it from aliases = […]; list only old addresses this lesson used to have.";

    Problem::InvalidBaseUrl(why) => "invalid-base-url",
        vi "base_url phải là địa chỉ web đầy đủ bắt đầu bằng https:// (hoặc http://): {why}"
           "Viết địa chỉ nơi trang được đăng, chỉ dùng chữ không dấu, số, dấu gạch ngang và dấu /, không có dấu cách, dấu ngoặc kép, ? hay #. Ví dụ: base_url = \"https://hocso.xa.gov.vn/\".",
        en "base_url must be a full web address starting with https:// (or http://): {why}"
           "Write the address the site is published at, with plain letters, digits, hyphens and /, no spaces, quotes, ? or #. For example: base_url = \"https://hocso.xa.gov.vn/\".";

    Problem::NotRegularFile => "not-regular-file",
        vi "Đây không phải một tệp bình thường (mà là ống dẫn, thiết bị hoặc socket); hocso không đọc nó."
           "Xóa nó khỏi thư mục trang, hoặc thay bằng một tệp văn bản thật.",
        en "This is not an ordinary file (it is a pipe, a device or a socket); hocso does not read it."
           "Remove it from the site folder, or replace it with a real text file.";

    Problem::FileTooLarge { bytes, limit } => "file-too-large",
        let vi_size = megabytes(Lang::Vi, *bytes);
        let vi_max = megabytes(Lang::Vi, *limit);
        let en_size = megabytes(Lang::En, *bytes);
        let en_max = megabytes(Lang::En, *limit);
        vi "Tệp quá lớn: {vi_size} (tối đa {vi_max}). Một bài học thật chỉ vài chục KB."
           "Kiểm tra xem có dán nhầm nội dung khác vào không; chia bài dài thành nhiều bài; ảnh và tài liệu để thành tệp riêng.",
        en "File too large: {en_size} (at most {en_max}). A real lesson is a few tens of KB."
           "Check for something pasted by mistake; split a long lesson into several; keep images and documents as separate files.";

    Problem::ForbiddenScheme { scheme, url } => "forbidden-scheme",
        vi "Địa chỉ kiểu \"{scheme}:\" không được phép, vì có thể chạy mã độc trên máy người đọc: {url}"
           "Liên kết chỉ được bắt đầu bằng https://, http://, mailto: (thư điện tử) hoặc tel: (số điện thoại), hoặc trỏ tới tệp .md của bài khác; ảnh phải là tệp đặt cạnh bài. Xóa hoặc sửa địa chỉ này.",
        en "Addresses starting with \"{scheme}:\" are not allowed: they can run harmful code on the reader's device: {url}"
           "A link may only start with https://, http://, mailto: (email) or tel: (phone number), or point to another lesson's .md file; an image must be a file next to the lesson. Remove or correct this address.";

    Problem::TooMuchRawHtml(limit) => "too-much-raw-html",
        vi "Trang có quá nhiều thẻ HTML viết tay (hơn {limit}), hocso không làm sạch kịp."
           "Viết nội dung bằng Markdown thay cho HTML; nếu dán từ trang web khác, hãy dán dạng chữ thường.",
        en "The page holds too many hand-written HTML tags (over {limit}) to be cleaned in time."
           "Write the content in Markdown instead of HTML; when pasting from a web page, paste as plain text.";

    Problem::BadLanguageCode(code) => "bad-language-code",
        vi "Mã ngôn ngữ \"{code}\" trong [languages] không dùng được."
           "Dùng mã ngôn ngữ chuẩn viết thường, 2 hoặc 3 chữ cái: en (tiếng Anh), zh (tiếng Trung), km (tiếng Khmer), hmn (tiếng Mông). Không ghi ngôn ngữ chính của trang (language) vào [languages].",
        en "The language code \"{code}\" in [languages] cannot be used."
           "Use a standard lower-case language code of 2 or 3 letters: en (English), zh (Chinese), km (Khmer), hmn (Hmong). Do not list the site's main language (language) under [languages].";

    Problem::UnknownLanguage(code) => "unknown-language",
        vi "Tên tệp có đuôi ngôn ngữ \".{code}\" nhưng site.toml không có ngôn ngữ này, nên tệp bị bỏ qua."
           "Nếu đây là bản dịch, thêm [languages.{code}] vào site.toml. Nếu không, đổi tên tệp, bỏ \".{code}\" trước \".md\".",
        en "The file name ends in the language \".{code}\", which site.toml does not list, so the file is skipped."
           "If it is a translation, add [languages.{code}] to site.toml. If not, rename the file without \".{code}\" before \".md\".";

    Problem::TranslationWithoutSource { lang: code, source } => "translation-without-source",
        let source = source.display();
        vi "Bản dịch ({code}) này không có bài gốc {source}, nên chưa được đăng."
           "Tạo bài gốc {source} trước, hoặc đổi tên bản dịch cho khớp tên bài gốc.",
        en "This translation ({code}) has no original {source}, so it is not published."
           "Create the original {source} first, or rename the translation to match the original's name.";

    Problem::MissingUiStrings { lang: code, keys } => "missing-ui-strings",
        let count = keys.len();
        let keys = keys.join(", ");
        vi "Giao diện chưa có {count} câu chữ cho ngôn ngữ {code}; trang dùng câu tiếng Việt thay vào: {keys}"
           "Thêm các khóa này vào themes/<giao-diện>/i18n/{code}.toml (chép từ vi.toml rồi dịch).",
        en "The theme lacks {count} UI strings for the language {code}; pages show the default language's instead: {keys}"
           "Add these keys to themes/<theme>/i18n/{code}.toml (copy them from vi.toml and translate).";

    Problem::Untranslated(code) => "untranslated",
        vi "Bài chưa được dịch sang {code}; trang {code} hiện bài này bằng tiếng Việt."
           "Khi có người dịch: chạy hocso new --lang {code} với đường dẫn bài này để tạo bản dịch.",
        en "Not yet translated into {code}; the {code} pages show this lesson in the default language."
           "When a translator is available: run hocso new --lang {code} with this lesson's path to start a translation.";

    Problem::OutdatedTranslation { lang: code, translation } => "outdated-translation",
        let translation = translation.display();
        vi "Bài gốc được sửa sau bản dịch {code} ({translation}): bản dịch có thể đã cũ."
           "Nhờ người dịch xem phần đã sửa, cập nhật bản dịch rồi đổi ngày updated của bản dịch.",
        en "The original was updated after its {code} translation ({translation}): the translation may be out of date."
           "Ask the translator to check what changed, update the translation, then change its updated date.";
    Problem::CampaignBadCell { column, value, kind } => "campaign-bad-cell",
        let vi_kind = kind.words(Lang::Vi).0;
        let vi_example = kind.words(Lang::Vi).1;
        let en_kind = kind.words(Lang::En).0;
        let en_example = kind.words(Lang::En).1;
        vi "Cột `{column}` phải là {vi_kind}, nhưng ô này ghi \"{value}\"."
           "Sửa ô này trong bảng tính, viết ví dụ {vi_example}, rồi xuất lại tệp.",
        en "Column `{column}` must hold {en_kind}, but this cell says \"{value}\"."
           "Correct the cell in the spreadsheet, writing e.g. {en_example}, and export the file again.";

    Problem::CampaignMissingColumn { column, found } => "campaign-missing-column",
        let found = found.join(", ");
        vi "Thiếu cột `{column}`. Các cột có trong tệp: {found}."
           "Thêm cột `{column}` vào dòng đầu của bảng tính (viết có dấu hay không dấu đều được), rồi xuất lại tệp.",
        en "Column `{column}` is missing. The file's columns are: {found}."
           "Add a column `{column}` to the first row of the spreadsheet (with or without diacritics), and export the file again.";

    Problem::CampaignVillageSpelling { written, earlier, file } => "campaign-village-spelling",
        let file = file.display();
        vi "Tên thôn \"{written}\" viết khác với \"{earlier}\" trong {file}; hocso sẽ coi đây là hai thôn."
           "Viết tên thôn giống hệt nhau ở mọi tệp, ví dụ \"{earlier}\".",
        en "The village \"{written}\" is spelt differently from \"{earlier}\" in {file}; hocso would count two villages."
           "Spell the village the same way in every file, e.g. \"{earlier}\".";

    Problem::CampaignCountOverAdults { column, count, adults } => "campaign-count-over-adults",
        vi "Cột `{column}` ghi {count} người, nhiều hơn số người lớn của thôn ({adults})."
           "Kiểm tra lại hai ô này: số trong `{column}` không thể lớn hơn `so_nguoi_lon`.",
        en "Column `{column}` says {count} people, more than the village's adults ({adults})."
           "Check both cells: the number in `{column}` cannot be larger than `so_nguoi_lon`.";

    Problem::HelpPointUnknownLesson { written, closest } => "help-point-unknown-lesson",
        let vi_guess = closest.as_ref().map_or_else(String::new, |c| format!(" Có phải ý bạn là \"{c}\"?"));
        let en_guess = closest.as_ref().map_or_else(String::new, |c| format!(" Did you mean \"{c}\"?"));
        vi "Điểm hỗ trợ nhắc tới bài học không có: \"{written}\".{vi_guess}"
           "Viết đường dẫn tệp bài học tính từ thư mục content/, ví dụ \"dich-vu-cong/kich-hoat-vneid-muc-2.md\".",
        en "The help point names a lesson that does not exist: \"{written}\".{en_guess}"
           "Write the lesson's file path from the content/ folder, e.g. \"dich-vu-cong/kich-hoat-vneid-muc-2.md\".";

    Problem::CampaignBadFile(why) => "campaign-bad-file",
        vi "Không đọc được tệp số liệu: {why}"
           "Mở tệp bằng bảng tính, kiểm tra mỗi dòng có đủ số cột như dòng đầu, rồi lưu lại dạng CSV. Tệp kết quả đặt tên theo quý, ví dụ data/ket-qua/2026-q1.csv.",
        en "The data file cannot be read: {why}"
           "Open the file in a spreadsheet, check every row has as many cells as the first, and save it as CSV again. Results files are named by quarter, e.g. data/ket-qua/2026-q1.csv.";

    Problem::CampaignRowLength { cells, expected } => "campaign-row-length",
        vi "Dòng này có {cells} ô, nhưng dòng đầu (tên cột) có {expected} ô."
           "Mở tệp bằng bảng tính, kiểm tra dòng này không thừa hay thiếu ô (một dấu ; hoặc , thừa trong tên cũng làm thêm ô), rồi lưu lại dạng CSV.",
        en "This row has {cells} cells, but the first row (the column names) has {expected}."
           "Open the file in a spreadsheet, check the row has no cell too many or too few (a stray ; or , in a name adds a cell), and save it as CSV again.";

    Problem::AudioEngineMissing(program) => "audio-engine-missing",
        vi "site.toml yêu cầu làm bản ghi âm, nhưng máy này không chạy được `{program}`. Trang vẫn được xây dựng, không có bản ghi âm."
           "Cài chương trình đọc và nén âm thanh: `apt-get install espeak-ng opus-tools` (cần quyền quản trị), rồi xây dựng lại. Không cần bản ghi âm thì xóa mục [audio] trong site.toml.",
        en "site.toml asks for recordings, but `{program}` cannot be run on this machine. The site is built without recordings."
           "Install the speech engine and encoder: `apt-get install espeak-ng opus-tools` (as administrator), then build again. To go without recordings, remove [audio] from site.toml.";

    Problem::AudioFailed(why) => "audio-failed",
        vi "Không làm được bản ghi âm của bài này: {why}"
           "Bài vẫn được đăng, không có bản ghi âm. Xây dựng lại; nếu vẫn lỗi, báo lỗi kèm dòng này.",
        en "Could not make this lesson's recording: {why}"
           "The lesson is published without a recording. Build again; if it fails again, report it with this line.";

    Problem::Unsayable(chars) => "unsayable",
        vi "Bản ghi âm không đọc được các ký tự này trong bài: {chars}"
           "Viết lại bằng chữ tiếng Việt (ví dụ thay biểu tượng bằng lời), hoặc thêm cách đọc vào [audio] words trong site.toml.",
        en "The recording cannot say these characters of the lesson: {chars}"
           "Write them as Vietnamese words (e.g. a symbol as the word for it), or add how to say them to [audio] words in site.toml.";

    Problem::JourneyLine(text) => "journey-line",
        vi "Dòng này của lộ trình không phải một bước, một liên kết tới bài hay một ghi chú: {text}"
           "Mỗi bước là một dòng đánh số (\"1. Tên bước\"); dưới nó, mỗi dòng một liên kết tới bài ([Tên bài](../chu-de/bai.md)), bài sau bắt đầu bằng \"và\" hoặc \"hoặc\"; ghi chú viết \"Ghi chú: …\".",
        en "This line of the journey is neither a step, a link to a lesson nor a note: {text}"
           "Each step is a numbered line (\"1. Step name\"); under it, one link to a lesson per line ([Lesson](../topic/lesson.md)), each further one starting with \"và\" (and) or \"hoặc\" (or); a note is written \"Ghi chú: …\".";

    Problem::JourneyStepWithoutLesson => "journey-step-without-lesson",
        vi "Bước này của lộ trình chưa có liên kết tới bài học nào."
           "Dưới dòng tên bước, thêm một dòng liên kết tới bài: [Tên bài](../chu-de/bai.md).",
        en "This journey step links to no lesson."
           "Under the step's line, add a line linking to a lesson: [Lesson](../topic/lesson.md).";

    Problem::JourneyWithoutSteps => "journey-without-steps",
        vi "Lộ trình này chưa có bước nào."
           "Viết các bước thành danh sách đánh số: \"1. Tên bước\", rồi dòng liên kết tới bài ở dưới.",
        en "This journey has no steps."
           "Write the steps as a numbered list: \"1. Step name\", with a line linking to a lesson under it.";

    Problem::JourneyMissingConnector => "journey-missing-connector",
        vi "Bước này có thêm một bài, nhưng chưa nói người học làm cả hai hay chọn một."
           "Viết \"và\" trước liên kết nếu cần học cả hai bài, hoặc \"hoặc\" nếu chọn một trong hai: và [Tên bài](../chu-de/bai.md).",
        en "This step adds another lesson without saying whether to do both or one of them."
           "Write \"và\" (and) before the link when both lessons are needed, or \"hoặc\" (or) when either will do: và [Lesson](../topic/lesson.md).";

    Problem::JourneyNotLesson(target) => "journey-not-lesson",
        vi "Liên kết trong bước trỏ tới một trang không phải bài học: {target}"
           "Mỗi bước của lộ trình chỉ dẫn tới bài học (tệp .md trong một thư mục chủ đề), không dẫn tới trang chủ đề hay trang riêng.",
        en "A step links to a page that is not a lesson: {target}"
           "Journey steps only lead to lessons (.md files inside a topic folder), not to topic pages or standalone pages.";

    Problem::QuizChoiceCount(count) => "quiz-choice-count",
        vi "Câu hỏi tự kiểm tra có {count} lựa chọn; cần từ 2 đến 4."
           "Mỗi lựa chọn là một mục [[choice]] có text và why. Thêm hoặc bớt cho đủ 2 đến 4 lựa chọn.",
        en "The self-check question has {count} choices; it needs 2 to 4."
           "Each choice is a [[choice]] entry with text and why. Add or remove entries to have 2 to 4.";

    Problem::QuizRightCount(count) => "quiz-right-count",
        vi "Câu hỏi tự kiểm tra có {count} lựa chọn đúng; cần đúng một."
           "Viết right = true ở lựa chọn đúng, và chỉ ở một lựa chọn.",
        en "The self-check question has {count} right choices; it needs exactly one."
           "Write right = true on the right choice, and on that one only.";

}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::path::Path;

    use super::*;
    use crate::core::diagnostic::{CellKind, Diagnostic, TomlMistake};

    /// One realistic value of every problem, in the order of the message table.
    fn samples() -> Vec<Problem> {
        vec![
            Problem::MissingFile,
            Problem::Io("Permission denied (os error 13)".into()),
            Problem::InvalidUtf8,
            Problem::EmptyFile,
            Problem::FrontMatterMissing,
            Problem::FrontMatterUnclosed,
            Problem::TomlSyntax(TomlMistake::Unquoted),
            Problem::UnknownKey {
                key: "titel".into(),
                known: vec!["title".into(), "summary".into(), "updated".into(), "level".into()],
            },
            Problem::MissingKey("summary".into()),
            Problem::InvalidValue("invalid type: integer `3`, expected a string for key `title`".into()),
            Problem::InvalidLevel("kho".into()),
            Problem::TopicWithoutIndex,
            Problem::DuplicateSlug {
                url: "/an-toan/ma-otp/".into(),
                other: "content/an-toan/mã-otp.md".into(),
            },
            Problem::EmptySlug,
            Problem::UnexpectedFile,
            Problem::BrokenLink {
                target: "../thanh-toan/ma-qr.md".into(),
                closest: Some("../thanh-toan/thanh-toan-bang-ma-qr/index.md".into()),
            },
            Problem::BrokenAnchor {
                target: "../thanh-toan/ma-qr.md".into(),
                anchor: "buoc-3".into(),
                known: vec!["ban-can-chuan-bi".into(), "cac-buoc".into()],
            },
            Problem::HeadingLevelOne,
            Problem::HeadingSkip { from: 2, to: 4 },
            Problem::MissingImage("anh/quet-qr.png".into()),
            Problem::ImageWithoutAlt("quet-qr.png".into()),
            Problem::AltTooLong(212),
            Problem::ExternalImage("https://example.com/qr.png".into()),
            Problem::ImageUnreadable {
                src: "quet-qr.png".into(),
                why: "The image format could not be determined".into(),
            },
            Problem::ImageTooLarge { src: "toan-canh.jpg".into(), width: 12000, height: 9000 },
            Problem::ImageLarge { src: "man-hinh.png".into(), megapixels: 24.2 },
            Problem::MissingFileNamed("/am-thanh/otp.mp3".into()),
            Problem::LeafletTooLong { pages: 2.4 },
            Problem::ReservedSlug("tim-kiem".into()),
            Problem::VagueLinkText("bấm vào đây".into()),
            Problem::LongSentence(38),
            Problem::LongParagraph(142),
            Problem::StepManyActions,
            Problem::PlainHttp("http://dichvucong.gov.vn".into()),
            Problem::NotNfc,
            Problem::Stale { days: 400 },
            Problem::ThemeMissing("mac-dinh".into()),
            Problem::Template("Failed to parse 'lesson.html': unexpected `}}` at line 12".into()),
            Problem::OutputUnsafe("content".into()),
            Problem::OutputNotOurs("/home/xa/Documents".into()),
            Problem::UnsafePath {
                written: "/../../outside/secret.png".into(),
                root: "static".into(),
                why: crate::core::paths::Unsafe::Parent,
            },
            Problem::AliasTaken("/tim-kiem/".into()),
            Problem::InvalidBaseUrl("relative URL without a base".into()),
            Problem::NotRegularFile,
            Problem::FileTooLarge { bytes: 10 * 1024 * 1024, limit: 1024 * 1024 },
            Problem::ForbiddenScheme { scheme: "javascript".into(), url: "javascript:alert(1)".into() },
            Problem::TooMuchRawHtml(5_000),
            Problem::BadLanguageCode("EN".into()),
            Problem::UnknownLanguage("fr".into()),
            Problem::TranslationWithoutSource { lang: "en".into(), source: "content/an-toan/otp.md".into() },
            Problem::MissingUiStrings { lang: "hmn".into(), keys: vec!["home".into(), "search".into()] },
            Problem::Untranslated("en".into()),
            Problem::OutdatedTranslation {
                lang: "en".into(),
                translation: "content/an-toan/otp.en.md".into(),
            },
            Problem::CampaignBadCell {
                column: "so_nguoi_lon".into(),
                value: "12a".into(),
                kind: CellKind::Count,
            },
            Problem::CampaignMissingColumn {
                column: "chu_ky_so".into(),
                found: vec!["thon".into(), "so_nguoi_lon".into()],
            },
            Problem::CampaignVillageSpelling {
                written: "thon dong".into(),
                earlier: "Thôn Đông".into(),
                file: Path::new("data/ket-qua/2026-q1.csv").into(),
            },
            Problem::CampaignCountOverAdults { column: "chu_ky_so".into(), count: 1300, adults: 1234 },
            Problem::HelpPointUnknownLesson {
                written: "dich-vu-cong/vneid.md".into(),
                closest: Some("dich-vu-cong/kich-hoat-vneid-muc-2.md".into()),
            },
            Problem::CampaignBadFile(
                "data/ket-qua/quy-1.csv (<năm>-q<quý>.csv / <year>-q<quarter>.csv)".into(),
            ),
            Problem::CampaignRowLength { cells: 6, expected: 8 },
            Problem::AudioEngineMissing("espeak-ng".into()),
            Problem::AudioFailed("opusenc: exit status 1".into()),
            Problem::Unsayable("“你好”, “😀”".into()),
            Problem::JourneyLine("Bước hai: đăng nhập".into()),
            Problem::JourneyStepWithoutLesson,
            Problem::JourneyWithoutSteps,
            Problem::JourneyMissingConnector,
            Problem::JourneyNotLesson("../dich-vu-cong/_index.md".into()),
            Problem::QuizChoiceCount(5),
            Problem::QuizRightCount(2),
        ]
    }

    /// The table's match over `Problem` has no wildcard arm, so a new variant does not compile
    /// until it has an entry there; this test then fails until [`samples`] holds it too.
    #[test]
    fn every_problem_in_the_table_has_one_sample_in_table_order() {
        let sampled: Vec<&str> = samples().iter().map(Problem::code).collect();
        assert_eq!(sampled, CODES);
    }

    /// `hocso check --format json` names problems by code, so two problems must not share one.
    #[test]
    fn codes_are_unique() {
        let unique: std::collections::BTreeSet<&str> = CODES.iter().copied().collect();
        assert_eq!(unique.len(), CODES.len());
    }

    /// Every message, in both languages, alone and as rendered, for every sample.
    fn all_messages() -> String {
        let mut out = String::new();
        for (i, problem) in samples().into_iter().enumerate() {
            let (line, column) = [(0, 0), (12, 0), (12, 5)][i % 3];
            let diagnostic = if i % 2 == 0 {
                Diagnostic::error("content/an-toan/otp.md", line, column, problem)
            } else {
                Diagnostic::warning("content/an-toan/otp.md", line, column, problem)
            };
            let _ = writeln!(out, "## {}", diagnostic.problem.code());
            for lang in [Lang::Vi, Lang::En] {
                let (what, fix) = diagnostic.problem.explain(lang);
                let _ = writeln!(out, "{lang} what: {what}\n{lang} fix: {fix}");
            }
            for lang in [Lang::Vi, Lang::En] {
                let _ = writeln!(out, "{lang} render:\n{}", diagnostic.render(lang));
            }
            out.push('\n');
        }
        out
    }

    /// Messages are what staffers read; a reshaping of the code must not change one byte of them.
    /// After a deliberate change of wording, regenerate the file with
    /// `HOCSO_BLESS=1 cargo test --lib diagnostic` and review its diff.
    #[test]
    fn messages_match_the_golden_file() {
        let actual = all_messages();
        if std::env::var_os("HOCSO_BLESS").is_some() {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core/diagnostic_messages.txt");
            std::fs::write(&path, &actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            return;
        }
        let expected = include_str!("../diagnostic_messages.txt");
        for (n, (a, e)) in actual.lines().zip(expected.lines()).enumerate() {
            assert_eq!(a, e, "line {} of diagnostic_messages.txt differs", n + 1);
        }
        assert_eq!(actual.lines().count(), expected.lines().count(), "number of lines differs");
        assert_eq!(actual, expected);
    }
}
