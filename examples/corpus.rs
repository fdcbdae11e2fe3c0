//! Writes a deterministic benchmark corpus of realistic Vietnamese lessons.
//!
//! ```sh
//! cargo run --release --example corpus -- --lessons 10000 --out /tmp/corpus-10k
//! cargo run --release --example corpus -- --lessons 1000 --out /tmp/c1k --zola /tmp/c1k-zola --hugo /tmp/c1k-hugo
//! ```
//!
//! The hocso site goes to `--out` (site.toml, theme copied from this repository, content/).
//! With `--zola` / `--hugo` / `--mdbook`, the same lessons are written in those generators' layouts with
//! minimal comparable templates (lesson: title, content, previous/next lesson of its topic, as
//! hocso's; topic: the list of its lessons), so every generator parses, renders and writes the
//! same Markdown. mdBook has no templates to trim: its book layout (SUMMARY.md, a sidebar and
//! previous/next links on every page) is the closest it comes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const TOPICS: [(&str, &str); 4] = [
    ("dich-vu-cong", "Dịch vụ công trực tuyến"),
    ("thanh-toan", "Thanh toán không dùng tiền mặt"),
    ("an-toan", "An toàn trên mạng"),
    ("ai-co-ban", "Trí tuệ nhân tạo cơ bản"),
];

const SUBJECTS: &[&str] = &[
    "Bạn",
    "Người dân",
    "Cán bộ xã",
    "Con cháu trong nhà",
    "Tổ chuyển đổi số",
    "Nhân viên ngân hàng",
    "Người bán hàng",
];
const VERBS: &[&str] = &[
    "mở",
    "kiểm tra",
    "bấm vào",
    "đọc kỹ",
    "ghi lại",
    "chọn",
    "nhập",
    "xác nhận",
    "tải về",
    "cài đặt",
    "đăng nhập",
    "quét",
    "gửi",
    "lưu",
    "hỏi lại",
];
const OBJECTS: &[&str] = &[
    "ứng dụng VNeID",
    "mã QR của cửa hàng",
    "tên người nhận",
    "số tài khoản",
    "mã OTP",
    "mật khẩu mới",
    "hồ sơ trực tuyến",
    "tin nhắn của ngân hàng",
    "đường link lạ",
    "chữ ký số",
    "Cổng Dịch vụ công",
    "thông báo biến động số dư",
    "trợ lý AI",
    "số điện thoại chính chủ",
    "thẻ căn cước",
    "lịch sử giao dịch",
];
const TAILS: &[&str] = &[
    "trước khi bấm xác nhận",
    "trên điện thoại của mình",
    "thật cẩn thận",
    "tại điểm hỗ trợ của xã",
    "theo hướng dẫn trên màn hình",
    "khi có người lạ gọi điện",
    "mỗi lần chuyển tiền",
    "ở nhà văn hóa thôn",
    "cùng con cháu",
    "trong vòng năm phút",
];
const TITLE_WORDS: &[&str] =
    &["Cách", "Hướng dẫn", "Mẹo", "Những điều cần biết về", "Làm quen với", "Kiểm tra", "Bảo vệ", "Sử dụng"];

/// A small deterministic generator (xorshift64*), so every run writes the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn sentence(rng: &mut Rng) -> String {
    format!("{} {} {} {}.", rng.pick(SUBJECTS), rng.pick(VERBS), rng.pick(OBJECTS), rng.pick(TAILS))
}

fn step(rng: &mut Rng) -> String {
    let verb = rng.pick(VERBS);
    let mut chars = verb.chars();
    let first: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    format!("{first}{} {} {}.", chars.as_str(), rng.pick(OBJECTS), rng.pick(TAILS))
}

struct Lesson {
    topic: usize,
    slug: String,
    title: String,
    summary: String,
    body: String,
}

fn lesson(rng: &mut Rng, n: usize, count: usize) -> Lesson {
    let topic = n % TOPICS.len();
    let title = format!("{} {} (bài {n})", rng.pick(TITLE_WORDS), rng.pick(OBJECTS));
    let summary = sentence(rng);
    let mut body = String::with_capacity(6000);
    for section in 0..4 {
        let _ = writeln!(body, "## Phần {}: {} {}\n", section + 1, rng.pick(VERBS), rng.pick(OBJECTS));
        for _ in 0..3 {
            let para: Vec<String> = (0..4).map(|_| sentence(rng)).collect();
            let _ = writeln!(body, "{}\n", para.join(" "));
        }
        for i in 1..=6 {
            let _ = writeln!(body, "{i}. {}", step(rng));
        }
        body.push('\n');
        if section == 1 {
            body.push_str("| Việc cần làm | Lưu ý |\n|---|---|\n");
            for _ in 0..4 {
                let _ = writeln!(body, "| {} | {} |", step(rng), rng.pick(TAILS));
            }
            body.push('\n');
        }
        if section == 2 {
            let _ = writeln!(body, "> [!WARNING]\n> {} {}\n", sentence(rng), sentence(rng));
        }
    }
    // Links to two other lessons, as staff write them: relative .md paths.
    for _ in 0..2 {
        let other = rng.below(count);
        if other != n {
            let (dir, _) = TOPICS[other % TOPICS.len()];
            let _ = writeln!(body, "Xem thêm [bài {other}](../{dir}/bai-{other}.md).\n");
        }
    }
    Lesson { topic, slug: format!("bai-{n}"), title, summary, body }
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            let _ = std::fs::create_dir_all(&dest);
        } else {
            let _ = std::fs::copy(entry.path(), &dest);
        }
    }
}

fn write_hocso(out: &Path, lessons: &[Lesson]) {
    write(&out.join("site.toml"), "title = \"Học số – thử tải\"\nbase_url = \"https://hocso.example.vn/\"\n");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("themes"), &out.join("themes"));
    write(&out.join("content/_index.md"), "+++\ntitle = \"Học số\"\n+++\nTrang thử tải.\n");
    for (i, (dir, name)) in TOPICS.iter().enumerate() {
        write(
            &out.join(format!("content/{dir}/_index.md")),
            &format!("+++\ntitle = \"{name}\"\ndescription = \"Các bài về {name}.\"\nweight = {i}\n+++\n"),
        );
    }
    for l in lessons {
        let (dir, _) = TOPICS[l.topic];
        let text = format!(
            "+++\ntitle = \"{}\"\nsummary = \"{}\"\nupdated = 2026-11-{:02}\nlevel = \"co-ban\"\nduration = 10\n+++\n{}",
            l.title,
            l.summary,
            1 + l.slug.len() % 28,
            l.body
        );
        write(&out.join(format!("content/{dir}/{}.md", l.slug)), &text);
    }
}

fn write_zola(out: &Path, lessons: &[Lesson]) {
    write(
        &out.join("config.toml"),
        "base_url = \"https://hocso.example.vn\"\ntitle = \"Học số\"\ncompile_sass = false\nbuild_search_index = false\n\n[markdown]\n",
    );
    write(&out.join("content/_index.md"), "+++\ntitle = \"Học số\"\n+++\n");
    for (dir, name) in TOPICS {
        write(
            &out.join(format!("content/{dir}/_index.md")),
            &format!("+++\ntitle = \"{name}\"\nsort_by = \"title\"\n+++\n"),
        );
    }
    for l in lessons {
        let (dir, _) = TOPICS[l.topic];
        let text = format!(
            "+++\ntitle = \"{}\"\ndescription = \"{}\"\n+++\n{}",
            l.title,
            l.summary,
            l.body.replace("> [!WARNING]\n", "")
        );
        write(&out.join(format!("content/{dir}/{}.md", l.slug)), &text.replace("(../", "(@/"));
    }
    // Like hocso's lesson page: title, content, previous and next lesson of the topic.
    let page = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{{ page.title }}</title></head><body><main><h1>{{ page.title }}</h1>{{ page.content | safe }}</main><nav>{% if page.lower %}<a href=\"{{ page.lower.permalink }}\">{{ page.lower.title }}</a>{% endif %}{% if page.higher %}<a href=\"{{ page.higher.permalink }}\">{{ page.higher.title }}</a>{% endif %}</nav></body></html>";
    let section = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{{ section.title }}</title></head><body><h1>{{ section.title }}</h1><ul>{% for p in section.pages %}<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a></li>{% endfor %}</ul></body></html>";
    write(&out.join("templates/page.html"), page);
    write(&out.join("templates/section.html"), section);
    write(&out.join("templates/index.html"), section);
}

fn write_hugo(out: &Path, lessons: &[Lesson]) {
    write(
        &out.join("hugo.toml"),
        "baseURL = \"https://hocso.example.vn/\"\ntitle = \"Học số\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\"]\n[markup.goldmark.renderer]\nunsafe = false\n",
    );
    write(&out.join("content/_index.md"), "+++\ntitle = \"Học số\"\n+++\n");
    for (dir, name) in TOPICS {
        write(&out.join(format!("content/{dir}/_index.md")), &format!("+++\ntitle = \"{name}\"\n+++\n"));
    }
    for l in lessons {
        let (dir, _) = TOPICS[l.topic];
        let body = l.body.replace("> [!WARNING]\n", "");
        // Hugo resolves .md links with its ref shortcode; plain relative links are kept as written.
        let text = format!("+++\ntitle = \"{}\"\ndescription = \"{}\"\n+++\n{}", l.title, l.summary, body);
        write(&out.join(format!("content/{dir}/{}.md", l.slug)), &text);
    }
    // Like hocso's lesson page: title, content, previous and next lesson of the topic.
    let single = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1>{{ .Content }}</main><nav>{{ with .PrevInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</nav></body></html>";
    let list = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>";
    write(&out.join("layouts/_default/single.html"), single);
    write(&out.join("layouts/_default/list.html"), list);
    write(&out.join("layouts/index.html"), list);
}

fn write_mdbook(out: &Path, lessons: &[Lesson]) {
    // mdBook's own search index and print page are turned off: the other peers build neither.
    write(
        &out.join("book.toml"),
        "[book]\ntitle = \"Học số\"\nlanguage = \"vi\"\n\n[output.html]\nno-section-label = true\n\n[output.html.search]\nenable = false\n\n[output.html.print]\nenable = false\n",
    );
    let mut summary = String::from("# Học số\n\n");
    for (i, (dir, name)) in TOPICS.iter().enumerate() {
        write(&out.join(format!("src/{dir}/README.md")), &format!("# {name}\n"));
        let _ = writeln!(summary, "- [{name}]({dir}/README.md)");
        for l in lessons.iter().filter(|l| l.topic == i) {
            let _ = writeln!(summary, "  - [{}]({dir}/{}.md)", l.title.replace(['[', ']'], ""), l.slug);
            let body = l.body.replace("> [!WARNING]\n", "");
            write(
                &out.join(format!("src/{dir}/{}.md", l.slug)),
                &format!("# {}\n\n{}\n\n{}", l.title, l.summary, body),
            );
        }
    }
    write(&out.join("src/SUMMARY.md"), &summary);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| args.windows(2).find(|w| w[0] == flag).map(|w| w[1].clone());
    let count: usize = value("--lessons").and_then(|v| v.parse().ok()).unwrap_or(1000);
    let out = PathBuf::from(value("--out").unwrap_or_else(|| "corpus".into()));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let lessons: Vec<Lesson> = (0..count).map(|n| lesson(&mut rng, n, count)).collect();
    let _ = std::fs::remove_dir_all(&out);
    write_hocso(&out, &lessons);
    if let Some(z) = value("--zola") {
        let _ = std::fs::remove_dir_all(&z);
        write_zola(Path::new(&z), &lessons);
    }
    if let Some(h) = value("--hugo") {
        let _ = std::fs::remove_dir_all(&h);
        write_hugo(Path::new(&h), &lessons);
    }
    if let Some(m) = value("--mdbook") {
        let _ = std::fs::remove_dir_all(&m);
        write_mdbook(Path::new(&m), &lessons);
    }
    let words: usize = lessons.iter().map(|l| hocso::core::text::word_count(&l.body)).sum();
    println!("{count} lessons, {} words each on average → {}", words / count.max(1), out.display());
}
