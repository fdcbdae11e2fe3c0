//! Hot stages of a build, one by one (`cargo bench`): front-matter parsing, Markdown rendering,
//! templates, the search index, slugs and folding. Run on a generated 200-lesson site.

use std::path::PathBuf;

use hocso::assets::images::Processor;
use hocso::pipeline::edition::{Edition, Sources, prepare};
use hocso::pipeline::load::{Kind, Source};
use hocso::pipeline::markdown::{Env, PageInput};

fn main() {
    divan::main();
}

const BODY: &str = "Một hai câu giới thiệu: bài này giúp bạn thanh toán bằng mã QR.\n\n## Bạn cần chuẩn bị\n\n- Điện thoại có mạng.\n- Ứng dụng ngân hàng.\n\n## Các bước\n\n1. Mở ứng dụng ngân hàng.\n2. Bấm nút **Quét QR**.\n3. Đọc tên người nhận.\n4. Nhập số tiền.\n5. Bấm **Xác nhận**.\n\n| Việc | Lưu ý |\n|---|---|\n| Quét mã | Kiểm tra tên |\n| Nhập tiền | Đọc lại |\n\n> [!WARNING]\n> Kẻ gian có thể dán mã QR giả đè lên mã thật. Mã OTP không bao giờ đọc cho ai.\n\nXem thêm [bài khác](bai-1.md).\n";

fn lesson_text(n: usize) -> String {
    format!(
        "+++\ntitle = \"Thanh toán bằng mã QR, bài {n}\"\nsummary = \"Quét mã QR rồi kiểm tra tên người nhận.\"\nupdated = 2026-11-20\nlevel = \"co-ban\"\nduration = 10\n+++\n{}",
        BODY.repeat(4)
    )
}

/// A 200-lesson site on disk, prepared once.
fn site() -> (tempfile::TempDir, Edition) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap_or(root)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
    };
    write("site.toml", "title = \"Thử\"\nbase_url = \"https://hocso.example.vn/\"\n");
    write("content/thanh-toan/_index.md", "+++\ntitle = \"Thanh toán\"\ndescription = \"D\"\n+++\n");
    for n in 0..200 {
        write(&format!("content/thanh-toan/bai-{n}.md"), &lesson_text(n));
    }
    let prepared =
        prepare(root, false, Processor::new(root), Sources::Keep).unwrap_or_else(|e| panic!("{e:?}"));
    let edition = prepared.all.into_iter().next().unwrap_or_else(|| panic!("no edition"));
    (dir, edition)
}

#[divan::bench]
fn front_matter_parse(b: divan::Bencher) {
    let text = lesson_text(1);
    b.bench(|| {
        hocso::pipeline::parse::parse(&Source {
            path: PathBuf::from("content/thanh-toan/bai-1.md"),
            kind: Kind::Lesson { topic_dir: "thanh-toan".into(), name: "bai-1".into(), bundle: false },
            text: text.clone(),
            was_nfc: true,
            lang: None,
        })
    });
}

#[divan::bench]
fn markdown_render(b: divan::Bencher) {
    let (dir, prepared) = site();
    let labels = prepared.theme.labels();
    let images = Processor::checking(dir.path());
    let env = Env { site: &prepared.site, labels: &labels, images: &images };
    let lesson = prepared.site.lessons.iter().next().unwrap_or_else(|| panic!("no lesson"));
    // As the build renders it: a lesson with a leaflet also gets its print version.
    let leaflet_id = lesson.meta.leaflet.then(|| hocso::core::paths::leaflet_id(&lesson.core.url));
    b.bench(|| {
        hocso::pipeline::markdown::to_html(
            &env,
            &PageInput {
                path: &lesson.core.path,
                body: &lesson.core.body,
                body_line: lesson.core.body_line,
                bundle_files: &[],
                link_terms: true,
                leaflet_id: leaflet_id.as_deref(),
                in_full_pack: true,
            },
        )
    });
}

#[divan::bench(sample_count = 10)]
fn templates_200_lessons(b: divan::Bencher) {
    let (_dir, prepared) = site();
    let assets = hocso::pipeline::render::AssetUrls::from([
        ("css/hocso.css".to_owned(), "/css/hocso.css".to_owned()),
        ("js/hocso.js".to_owned(), "/js/hocso.js".to_owned()),
        ("js/search.js".to_owned(), "/js/search.js".to_owned()),
        ("fonts/be-vietnam-pro-vietnamese-400-normal.woff2".to_owned(), "/fonts/v.woff2".to_owned()),
    ]);
    b.bench(|| {
        let files = hocso::core::output::Collect::default();
        let recordings = prepared.site.lessons.iter().map(|_| None).collect();
        let input =
            hocso::pipeline::render::Input { edition: &prepared, recordings: &recordings, assets: &assets };
        let pages = hocso::pipeline::render::render_site(input, &files);
        (pages.is_ok(), files.into_files())
    });
}

#[divan::bench(sample_count = 10)]
fn search_index_200_lessons(b: divan::Bencher) {
    let (_dir, prepared) = site();
    b.bench(|| {
        let files = hocso::core::output::Collect::default();
        let done = hocso::pipeline::search::build(&prepared.site, &prepared.contents, &files);
        (done.is_ok(), files.into_files())
    });
}

#[divan::bench]
fn slug_and_fold() -> (String, String) {
    let text = divan::black_box("Bước 1: Mở ứng dụng Định danh điện tử VNeID và kiểm tra thông tin");
    (hocso::core::text::slugify(text), hocso::core::text::fold(text))
}
