//! `hocso new` and `hocso init`: start a lesson, or a whole site, without remembering the format.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::core::lang::Lang;
use crate::core::paths::{CONFIG_FILE, CONTENT_DIR};
use crate::core::text::slugify;

/// Why a scaffold could not be written; each says what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("exists")]
    Exists(PathBuf),
    #[error("unknown topic")]
    UnknownTopic { topic: String, known: Vec<String> },
    #[error("no slug")]
    NoSlug,
    #[error("io")]
    Io(PathBuf, std::io::Error),
    #[error("not a site")]
    NotASite(PathBuf),
    #[error("name too long")]
    SlugTooLong { slug: String },
    /// `new --lang <code>` named no existing lesson to translate.
    #[error("no original")]
    NoOriginal,
    /// `new --lang <code>` for a language site.toml does not list.
    #[error("unknown language")]
    UnknownLanguage(String),
}

/// The longest topic or lesson name `hocso new` writes. Names become folder and file names and
/// addresses people may read aloud or type; 80 characters is already a long sentence, and far
/// below the 255-byte file name limit of common file systems.
pub const MAX_SLUG_CHARS: usize = 80;

impl ScaffoldError {
    /// The message for the person at the keyboard.
    pub fn explain(&self, lang: Lang) -> String {
        match self {
            ScaffoldError::Exists(path) => match lang {
                Lang::Vi => format!("lỗi: {} đã có. hocso không ghi đè; chọn tên khác.", path.display()),
                Lang::En => format!("error: {} already exists. hocso does not overwrite; choose another name.", path.display()),
            },
            ScaffoldError::UnknownTopic { topic, known } => match lang {
                Lang::Vi => format!(
                    "lỗi: chưa có chủ đề “{topic}”. Các chủ đề hiện có: {}.\n    → Cách sửa: dùng một chủ đề ở trên, hoặc thêm --new-topic để tạo chủ đề mới.",
                    known.join(", ")
                ),
                Lang::En => format!(
                    "error: there is no topic “{topic}”. Topics: {}.\n    → How to fix: use one of them, or add --new-topic to create it.",
                    known.join(", ")
                ),
            },
            ScaffoldError::NoSlug => lang
                .pick(
                    "lỗi: cần tên bài. Viết hocso new chu-de/ten-bai, hoặc hocso new chu-de --title \"Tên bài\".",
                    "error: a lesson name is needed. Write hocso new topic/lesson-name, or hocso new topic --title \"Title\".",
                )
                .to_owned(),
            ScaffoldError::Io(path, e) => format!("{}: {}: {e}", lang.pick("lỗi", "error"), path.display()),
            ScaffoldError::NotASite(dir) => match lang {
                Lang::Vi => format!(
                    "lỗi: thư mục {} không phải thư mục trang (không có {CONFIG_FILE}); hocso không tạo gì ở đó.\n    → Cách sửa: chạy lệnh trong thư mục trang, hoặc ghi đúng --root; trang mới thì tạo bằng hocso init.",
                    dir.display()
                ),
                Lang::En => format!(
                    "error: {} is not a site folder (it has no {CONFIG_FILE}); hocso created nothing there.\n    → How to fix: run the command in the site folder, or give the right --root; start a new site with hocso init.",
                    dir.display()
                ),
            },
            ScaffoldError::NoOriginal => lang
                .pick(
                    "lỗi: không có bài gốc để dịch. Viết hocso new chu-de/ten-bai --lang en với tên một bài đã có.",
                    "error: there is no original lesson to translate. Write hocso new topic/lesson-name --lang en with an existing lesson's name.",
                )
                .to_owned(),
            ScaffoldError::UnknownLanguage(code) => match lang {
                Lang::Vi => format!(
                    "lỗi: site.toml chưa có ngôn ngữ “{code}”.\n    → Cách sửa: thêm hai dòng vào site.toml:\n      [languages.{code}]\n      title = \"Tên trang bằng ngôn ngữ này\""
                ),
                Lang::En => format!(
                    "error: site.toml has no language “{code}”.\n    → How to fix: add two lines to site.toml:\n      [languages.{code}]\n      title = \"The site's name in that language\""
                ),
            },
            ScaffoldError::SlugTooLong { slug } => {
                let n = slug.chars().count();
                match lang {
                    Lang::Vi => format!(
                        "lỗi: tên “{slug}” quá dài ({n} ký tự, tối đa {MAX_SLUG_CHARS}).\n    → Cách sửa: đặt tên ngắn, ví dụ hocso new chu-de/ten-ngan --title \"Tên bài đầy đủ\"."
                    ),
                    Lang::En => format!(
                        "error: the name “{slug}” is too long ({n} characters, at most {MAX_SLUG_CHARS}).\n    → How to fix: give a short name, e.g. hocso new topic/short-name --title \"The full title\"."
                    ),
                }
            }
        }
    }
}

/// Starts the translation into `code` of the lesson `spec` (`topic/lesson`): `bai.en.md`
/// beside `bai.md` (or `index.en.md` in a bundle), with the original's front matter as a
/// draft, without its old addresses, and the body left for the translator. Returns its path
/// relative to the site root.
pub fn new_translation(root: &Path, spec: &str, code: &str) -> Result<PathBuf, ScaffoldError> {
    let config =
        crate::pipeline::config::load(root).map_err(|_| ScaffoldError::NotASite(root.to_path_buf()))?;
    let (topic, name) = spec.trim_matches('/').split_once('/').ok_or(ScaffoldError::NoOriginal)?;
    let (topic, name) = (slugify(topic), slugify(name.trim_end_matches(".md")));
    if topic.is_empty() || name.is_empty() {
        return Err(ScaffoldError::NoOriginal);
    }
    let dir = Path::new(CONTENT_DIR).join(&topic);
    let original = [dir.join(format!("{name}.md")), dir.join(&name).join("index.md")]
        .into_iter()
        .find(|p| root.join(p).is_file())
        .ok_or(ScaffoldError::NoOriginal)?;
    if !config.languages.contains_key(code) {
        return Err(ScaffoldError::UnknownLanguage(code.to_owned()));
    }
    let target = crate::pipeline::translate::translation_path(&original, code);
    let io = |e| ScaffoldError::Io(root.join(&target), e);
    let text = std::fs::read_to_string(root.join(&original))
        .map_err(|e| ScaffoldError::Io(root.join(&original), e))?;
    let front =
        crate::pipeline::parse::split(&original, &text).map(|s| s.front.to_owned()).unwrap_or_default();
    let mut table: toml::Table = toml::from_str(&front).unwrap_or_default();
    table.remove("aliases");
    table.insert("draft".into(), toml::Value::Boolean(true));
    let front = toml::to_string(&table).unwrap_or_default();
    let note = format!(
        "<!-- Dịch nội dung của {} vào đây, rồi xóa dòng draft = true ở trên. / Translate the text of {} here, then delete the draft = true line above. -->\n",
        original.display(),
        original.display()
    );
    let mut file =
        std::fs::OpenOptions::new().write(true).create_new(true).open(root.join(&target)).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                ScaffoldError::Exists(target.clone())
            } else {
                io(e)
            }
        })?;
    std::io::Write::write_all(&mut file, format!("+++\n{front}+++\n\n{note}").as_bytes()).map_err(io)?;
    Ok(target)
}

/// Writes a new draft lesson from the archetype; returns its path relative to the site root.
///
/// `spec` is `topic/slug` or just `topic` (then the slug comes from `title`). `root` must be a
/// site (hold `site.toml`): a mistyped `--root` must not scatter `content/` folders elsewhere.
pub fn new_lesson(
    root: &Path,
    theme: &str,
    spec: &str,
    title: Option<&str>,
    new_topic: bool,
    today: NaiveDate,
) -> Result<PathBuf, ScaffoldError> {
    let (topic, name) = match spec.trim_matches('/').split_once('/') {
        Some((t, n)) => (t.to_owned(), Some(n.to_owned())),
        None => (spec.trim_matches('/').to_owned(), None),
    };
    let topic = slugify(&topic);
    let slug = match (name, title) {
        (Some(n), _) => slugify(&n),
        (None, Some(t)) => slugify(t),
        (None, None) => String::new(),
    };
    if slug.is_empty() || topic.is_empty() {
        return Err(ScaffoldError::NoSlug);
    }
    if let Some(long) = [&topic, &slug].into_iter().find(|s| s.chars().count() > MAX_SLUG_CHARS) {
        return Err(ScaffoldError::SlugTooLong { slug: long.clone() });
    }
    if !root.join(CONFIG_FILE).is_file() {
        return Err(ScaffoldError::NotASite(root.to_path_buf()));
    }
    let content = root.join(CONTENT_DIR);
    let topic_dir = content.join(&topic);
    if !topic_dir.join("_index.md").is_file() {
        if !new_topic {
            return Err(ScaffoldError::UnknownTopic { topic, known: topics(&content) });
        }
        let index = topic_dir.join("_index.md");
        let title = toml_string(&topic.replace('-', " "));
        write_new(
            &index,
            &format!("+++\ntitle = {title}\ndescription = \"Một câu giới thiệu chủ đề.\"\n+++\n"),
        )?;
    }
    let file = topic_dir.join(format!("{slug}.md"));
    if file.exists() || topic_dir.join(&slug).exists() {
        return Err(ScaffoldError::Exists(crate::core::diagnostic::relative(root, &file)));
    }
    // A title is one line: a line break pasted with it (or typed in a shell) is dropped.
    let title =
        title.map_or_else(|| slug.replace('-', " "), |t| t.split_whitespace().collect::<Vec<_>>().join(" "));
    // `"{{title}}"` in front matter becomes a TOML string written by the toml crate, so quotes,
    // backslashes and control characters are escaped as TOML wants; elsewhere the plain title.
    let text = archetype(root, theme)
        .replace("\"{{title}}\"", &toml_string(&title))
        .replace("{{title}}", &title)
        .replace("{{date}}", &today.format("%Y-%m-%d").to_string());
    write_new(&file, &text)?;
    Ok(crate::core::diagnostic::relative(root, &file))
}

/// `text` as a TOML basic string, quotes included.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// The lesson archetype: the site's own `archetypes/lesson.md`, or the theme's.
fn archetype(root: &Path, theme: &str) -> String {
    // Read like a source: a named pipe left in its place must not make `hocso new` wait forever.
    let own = crate::core::files::read_source_file(&root.join("archetypes/lesson.md"));
    if let Some(text) = own.ok().and_then(|b| String::from_utf8(b).ok()) {
        return text;
    }
    crate::assets::theme::theme_files(root, theme)
        .and_then(|(_, files)| files.into_iter().find(|(n, _)| n == "archetypes/lesson.md"))
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_else(|| {
            "+++\ntitle = \"{{title}}\"\nsummary = \"…\"\nupdated = {{date}}\ndraft = true\n+++\n".into()
        })
}

/// Topic folders (those with an `_index.md`).
fn topics(content: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(content)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.path().join("_index.md").is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    if path.exists() {
        return Err(ScaffoldError::Exists(path.to_path_buf()));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| ScaffoldError::Io(parent.to_path_buf(), e))?;
    }
    std::fs::write(path, text).map_err(|e| ScaffoldError::Io(path.to_path_buf(), e))
}

/// A new site in `dir`: site.toml, a home page, one topic with one example lesson, static/.
/// It builds with the theme built into hocso.
pub fn init(dir: &Path, today: NaiveDate) -> Result<Vec<PathBuf>, ScaffoldError> {
    if dir.exists() && std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some()) {
        return Err(ScaffoldError::Exists(dir.to_path_buf()));
    }
    let date = today.format("%Y-%m-%d");
    let files = [
        (
            "site.toml",
            "# Cấu hình trang. Sửa tên, địa chỉ và thông tin liên hệ cho đúng với xã của bạn.\n\
             title = \"Học số\"\n\
             description = \"Bài học kỹ năng số dễ hiểu cho người dân.\"\n\
             base_url = \"https://hocso.example.vn/\"\n\
             language = \"vi\"\n\n\
             [contact]\n\
             name = \"Tổ Chuyển đổi số cộng đồng (điền tên thật)\"\n\
             phone = \"024 0000 0000\"\n\
             address = \"Nhà văn hóa xã\"\n\
             hours = \"Thứ Hai đến Thứ Sáu, 7 giờ 30 đến 17 giờ\"\n"
                .to_owned(),
        ),
        ("content/_index.md", "+++\ntitle = \"Học kỹ năng số, từng bước một\"\n+++\n\nMỗi bài hướng dẫn một việc cụ thể trên điện thoại.\n".to_owned()),
        (
            "content/an-toan/_index.md",
            "+++\ntitle = \"An toàn trên mạng\"\ndescription = \"Nhận biết lừa đảo và giữ kín mã OTP.\"\nicon = \"an-toan\"\nweight = 1\n+++\n".to_owned(),
        ),
        (
            "content/an-toan/giu-kin-ma-otp.md",
            format!(
                "+++\ntitle = \"Giữ kín mã OTP\"\nsummary = \"Mã OTP là chìa khóa tài khoản: không đọc cho ai, kể cả người xưng là nhân viên ngân hàng.\"\nupdated = {date}\nlevel = \"co-ban\"\nduration = 5\n+++\n\nMã OTP là dãy số gửi qua tin nhắn để xác nhận giao dịch.\n\n## Khi có người hỏi mã OTP\n\n1. Không đọc mã cho người đó.\n2. Tắt máy.\n3. Gọi số tổng đài in trên thẻ ngân hàng để báo.\n\n> [!WARNING]\n> Nhân viên ngân hàng thật không bao giờ hỏi mã OTP.\n"
            ),
        ),
        ("static/.gitkeep", String::new()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        write_new(&path, &text)?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default()
    }

    #[test]
    fn new_lesson_from_title_refuses_overwrite_and_unknown_topics() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/an-toan")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join(CONFIG_FILE), "").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            root.join("content/an-toan/_index.md"),
            "+++\ntitle = \"A\"\ndescription = \"B\"\n+++\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let path = new_lesson(root, "default", "an-toan", Some("Tin nhắn \"giả\" ngân hàng"), false, today())
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(path, PathBuf::from("content/an-toan/tin-nhan-gia-ngan-hang.md"));
        let text = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
        let front = text.split("+++").nth(1).unwrap_or_default();
        let front: toml::Table = toml::from_str(front).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(front.get("title").and_then(toml::Value::as_str), Some("Tin nhắn \"giả\" ngân hàng"));
        assert!(text.contains("updated = 2026-11-26"));
        assert!(text.contains("draft = true"));
        assert!(matches!(
            new_lesson(root, "default", "an-toan/tin-nhan-gia-ngan-hang", None, false, today()),
            Err(ScaffoldError::Exists(_))
        ));
        match new_lesson(root, "default", "khong-co/bai", None, false, today()) {
            Err(ScaffoldError::UnknownTopic { known, .. }) => assert_eq!(known, vec!["an-toan"]),
            other => panic!("{other:?}"),
        }
        assert!(new_lesson(root, "default", "moi/bai", None, true, today()).is_ok());
        assert!(root.join("content/moi/_index.md").is_file());
    }
}
