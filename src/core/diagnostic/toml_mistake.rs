//! The mistakes people make writing TOML by hand, sorted from the parser's messages.

use crate::core::lang::Lang;

/// The mistakes people make writing TOML by hand, each explained without parser jargon. The
/// parser's own words ("string values must be quoted, expected literal string") mean nothing to
/// a commune staffer; these say what to type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TomlMistake {
    /// `summary = Xin chào`, or curly quotes “ ” pasted from a word processor.
    Unquoted,
    /// `title = "Giữ kín` with no closing quote on the line.
    UnclosedString,
    /// `title "A"`: no `=`.
    MissingEquals,
    /// The same key twice.
    DuplicateKey,
    /// `updated = 2026-13-45`.
    BadDate,
    /// Something after the value on the same line.
    TextAfterValue,
    /// `[leaflet` without `]`.
    UnclosedTable,
    /// `tags = ["a", ` without `]`.
    UnclosedList,
    /// A backslash in a quoted text (`"C:\thư mục"`).
    BadEscape,
    /// Anything else, in the parser's words.
    Other(String),
}

impl TomlMistake {
    /// Sorts a message of the `toml` crate into a mistake.
    pub fn from_parser(message: &str) -> TomlMistake {
        let m = message.trim();
        let has = |s: &str| m.contains(s);
        if has("must be quoted") {
            TomlMistake::Unquoted
        } else if has("invalid basic string") || has("invalid literal string") || has("unclosed string") {
            TomlMistake::UnclosedString
        } else if has("expected `=`") {
            TomlMistake::MissingEquals
        } else if has("duplicate key") {
            TomlMistake::DuplicateKey
        } else if has("invalid date") || has("invalid time") || has("invalid offset") {
            TomlMistake::BadDate
        } else if has("expected newline") {
            TomlMistake::TextAfterValue
        } else if has("unclosed table") || has("unclosed array of tables") {
            TomlMistake::UnclosedTable
        } else if has("unclosed array") {
            TomlMistake::UnclosedList
        } else if has("escape") {
            TomlMistake::BadEscape
        } else {
            TomlMistake::Other(m.to_owned())
        }
    }

    /// What is wrong, and how to write it, in the reader's language.
    pub fn explain(&self, lang: Lang) -> (String, String) {
        let (vi, en): ((&str, &str), (&str, &str)) = match self {
            TomlMistake::Unquoted => (
                (
                    "chữ phải nằm trong ngoặc kép.",
                    "Viết giá trị trong hai dấu ngoặc kép thẳng: title = \"Giữ kín mã OTP\". Ngoặc cong “ ” chép từ Word không dùng được.",
                ),
                (
                    "text must be in double quotes.",
                    "Write the value between straight double quotes: title = \"Keep your OTP secret\". Curly quotes “ ” pasted from a word processor do not work.",
                ),
            ),
            TomlMistake::UnclosedString => (
                (
                    "thiếu dấu ngoặc kép đóng ở cuối chữ.",
                    "Thêm dấu \" ở cuối giá trị, trên cùng dòng. Chữ nhiều dòng viết giữa ba dấu ngoặc kép \"\"\".",
                ),
                (
                    "the closing double quote is missing.",
                    "Add \" at the end of the value, on the same line. Text over several lines goes between triple quotes \"\"\".",
                ),
            ),
            TomlMistake::MissingEquals => (
                ("thiếu dấu = giữa tên khóa và giá trị.", "Viết khóa, dấu bằng, rồi giá trị: title = \"…\"."),
                (
                    "the = between the key and its value is missing.",
                    "Write the key, an equals sign, then the value: title = \"…\".",
                ),
            ),
            TomlMistake::DuplicateKey => (
                ("khóa này đã được viết ở một dòng phía trên.", "Giữ một dòng cho mỗi khóa; xóa dòng thừa."),
                (
                    "this key is already written on a line above.",
                    "Keep one line per key; delete the extra one.",
                ),
            ),
            TomlMistake::BadDate => (
                (
                    "ngày tháng không đúng.",
                    "Viết năm-tháng-ngày bằng số, không có ngoặc kép: updated = 2026-11-25 (tháng từ 01 đến 12, ngày từ 01 đến 31).",
                ),
                (
                    "the date is not valid.",
                    "Write year-month-day in digits, without quotes: updated = 2026-11-25 (months 01 to 12, days 01 to 31).",
                ),
            ),
            TomlMistake::TextAfterValue => (
                (
                    "có chữ thừa sau giá trị, trên cùng dòng.",
                    "Mỗi dòng chỉ một khóa = giá trị. Ghi chú thì bắt đầu bằng dấu #.",
                ),
                (
                    "there is extra text after the value on the same line.",
                    "One key = value per line. A comment starts with #.",
                ),
            ),
            TomlMistake::UnclosedTable => (
                (
                    "tên mục trong ngoặc vuông thiếu dấu ] đóng.",
                    "Viết tên mục trên một dòng riêng: [contact].",
                ),
                (
                    "a section name in square brackets lacks its closing ].",
                    "Write the section name on a line of its own: [contact].",
                ),
            ),
            TomlMistake::UnclosedList => (
                (
                    "danh sách thiếu dấu ] đóng.",
                    "Viết danh sách trong ngoặc vuông, các mục cách nhau bởi dấu phẩy: tags = [\"lừa đảo\", \"OTP\"].",
                ),
                (
                    "a list lacks its closing ].",
                    "Write a list in square brackets, items separated by commas: tags = [\"scam\", \"OTP\"].",
                ),
            ),
            TomlMistake::BadEscape => (
                (
                    "dấu gạch chéo ngược \\ trong chữ không đúng cách.",
                    "Viết \\\\ cho một dấu \\, hoặc đặt chữ trong ngoặc đơn: 'C:\\thư mục'.",
                ),
                (
                    "a backslash \\ in the text is not valid.",
                    "Write \\\\ for one \\, or put the text in single quotes: 'C:\\folder'.",
                ),
            ),
            TomlMistake::Other(message) => {
                return match lang {
                    Lang::Vi => (
                        format!("{message}."),
                        "Mỗi dòng có dạng khóa = \"giá trị\"; chữ phải nằm trong ngoặc kép; ngày viết 2026-11-25.".to_owned(),
                    ),
                    Lang::En => (
                        format!("{message}."),
                        "Each line is key = \"value\"; text goes in double quotes; dates are written 2026-11-25.".to_owned(),
                    ),
                };
            }
        };
        let (what, fix) = match lang {
            Lang::Vi => vi,
            Lang::En => en,
        };
        (what.to_owned(), fix.to_owned())
    }
}
