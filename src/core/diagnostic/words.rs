//! The details of some problems put into the reader's words: sizes and numbers with the right
//! decimal separator, the TOML reader's type errors in Vietnamese, why a path is unsafe.

use crate::core::lang::Lang;

/// What an unsafe path does wrong, and the fix, in the reader's language.
pub(super) fn unsafe_path_words(
    why: &crate::core::paths::Unsafe,
    lang: Lang,
) -> (&'static str, &'static str) {
    use crate::core::paths::Unsafe;
    let what = match why {
        Unsafe::Parent => lang.pick("dùng `..` để đi ra ngoài thư mục", "uses `..` to go outside the folder"),
        Unsafe::Absolute => lang.pick(
            "chỉ tới ổ đĩa khác hoặc dùng dấu `\\`, nên ra ngoài thư mục",
            "names a drive or uses `\\`, which leaves the folder",
        ),
        Unsafe::Symlink => lang.pick(
            "đi qua một lối tắt (symlink) trỏ ra ngoài thư mục",
            "goes through a shortcut (symlink) that points outside the folder",
        ),
        Unsafe::Char(_) => lang.pick(
            "có ký tự không được dùng trong địa chỉ web, trong thư mục",
            "has a character that cannot be used in a web address, in the folder",
        ),
    };
    let fix = match why {
        Unsafe::Char(_) => lang.pick(
            "Đổi tên tệp hoặc thư mục, chỉ dùng chữ, số và dấu gạch ngang (-), rồi sửa đường dẫn cho khớp.",
            "Rename the file or folder using only letters, digits and hyphens (-), then update the path.",
        ),
        Unsafe::Symlink => lang.pick(
            "Chép tệp thật vào trong thư mục đó thay cho lối tắt.",
            "Copy the real file into that folder instead of the shortcut.",
        ),
        Unsafe::Parent | Unsafe::Absolute => lang.pick(
            "Đặt tệp vào trong thư mục đó và viết đường dẫn bằng dấu /, không có `..` (ví dụ /anh/logo.png).",
            "Put the file inside that folder and write the path with /, without `..` (e.g. /anh/logo.png).",
        ),
    };
    (what, fix)
}

/// The TOML reader's "invalid type: string \"nặng\", expected i64" in Vietnamese words: what was
/// written, and what the key needs. A message of another shape is kept as it is.
pub(super) fn value_message_vi(message: &str) -> String {
    let Some(rest) = message.strip_prefix("invalid type: ") else { return message.to_owned() };
    let Some((found, expected)) = rest.split_once(", expected ") else { return message.to_owned() };
    let found = [
        ("string ", "chữ "),
        ("integer ", "số "),
        ("floating point ", "số thập phân "),
        ("boolean ", "giá trị đúng/sai "),
        ("sequence", "một danh sách"),
        ("map", "một nhóm khóa"),
    ]
    .iter()
    .find_map(|(en, vi)| found.strip_prefix(en).map(|v| format!("{vi}{v}")))
    .unwrap_or_else(|| found.to_owned());
    let (expected, key) = match expected.split_once(" for key ") {
        Some((e, k)) => (e, format!(" (khóa {k})")),
        None => (expected, String::new()),
    };
    let expected = match expected.trim() {
        "i64" | "i32" | "u64" | "u32" | "u16" | "u8" | "usize" | "an integer" => {
            "một số nguyên, không có ngoặc kép"
        }
        "f64" | "f32" | "a float" => "một số, không có ngoặc kép",
        "a string" | "a borrowed string" => "chữ trong ngoặc kép",
        "a sequence" => "một danh sách trong ngoặc vuông, ví dụ [\"a\", \"b\"]",
        "a boolean" => "true (có) hoặc false (không)",
        other => other,
    };
    format!("đã viết {found}, nhưng ở đây cần {expected}{key}")
}

/// `10,0 MB` / `10.0 MB`.
pub(super) fn megabytes(lang: Lang, bytes: u64) -> String {
    let text = format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0));
    match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    }
}

/// `number` rounded to two decimals, with the decimal separator of `lang`, and without trailing
/// zeros nor a separator left alone: 2.4 → "2,4" / "2.4", 3.0 → "3", 24.257 → "24,26" / "24.26".
pub(super) fn short_number(lang: Lang, number: f64) -> String {
    lang.seconds(number).trim_end_matches('0').trim_end_matches([',', '.']).to_string()
}
