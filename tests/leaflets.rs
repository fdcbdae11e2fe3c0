//! Leaflets: where they are, what they print, their QR code, and the overflow warning.

mod common;

use common::{Fixture, lesson, sel, texts};

/// Reads our QR SVG back into modules, draws it as pixels and decodes it with rqrr.
fn decode_qr_svg(svg: &str) -> String {
    let view = svg.split("viewBox=\"0 0 ").nth(1).and_then(|r| r.split(' ').next()).unwrap_or("0");
    let size: usize = view.parse().unwrap_or_else(|e| panic!("viewBox in {svg}: {e}"));
    let d = svg.split(" d=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default();
    let mut dark = vec![false; size * size];
    for cmd in d.split('M').filter(|c| !c.is_empty()) {
        // "x yhNv1h-Nz"
        let (xy, rest) = cmd.split_once('h').unwrap_or_else(|| panic!("bad path {cmd}"));
        let (x, y) = xy.split_once(' ').unwrap_or_else(|| panic!("bad path {cmd}"));
        let run: usize = rest.split('v').next().unwrap_or("0").parse().unwrap_or(0);
        let (x, y): (usize, usize) = (x.parse().unwrap_or(0), y.parse().unwrap_or(0));
        for i in 0..run {
            dark[y * size + x + i] = true;
        }
    }
    let scale = 6;
    let px = size * scale;
    let image = image::GrayImage::from_fn(px as u32, px as u32, |x, y| {
        let m = (y as usize / scale) * size + (x as usize / scale);
        image::Luma([if dark[m] { 0 } else { 255 }])
    });
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    let (meta, content) = grids[0].decode().unwrap_or_else(|e| panic!("decode: {e:?}"));
    // rqrr reports the format bits: 0 = M, 1 = L, 2 = H, 3 = Q. We always encode M.
    assert_eq!(meta.ecc_level, 0, "error correction level M");
    content
}

#[test]
fn qr_code_of_every_sample_leaflet_decodes_to_its_lesson() {
    let out = common::sample_output();
    let (mut checked, mut recorded_count) = (0, 0);
    for (path, doc) in common::html_pages(out) {
        // A journey's checklist has its own QR codes (tests/learning.rs) and no recording.
        if !path.ends_with("to-roi/index.html")
            || path.components().count() != 4
            || path.starts_with(hocso::core::paths::JOURNEYS_DIR)
        {
            continue;
        }
        let svg =
            doc.select(&sel("svg.qr")).next().unwrap_or_else(|| panic!("{}: no QR", path.display())).html();
        let lesson =
            path.parent().and_then(|p| p.parent()).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        // A lesson with a recording: the code opens the page at its player (the caption says "nghe đọc").
        let recorded = out.join(&lesson).join(hocso::core::paths::RECORDING_FILE).is_file();
        let anchor = if recorded { "#nghe" } else { "" };
        recorded_count += usize::from(recorded);
        assert_eq!(
            decode_qr_svg(&svg),
            format!("https://hocso.example.vn/{lesson}/{anchor}"),
            "{}",
            path.display()
        );
        let label =
            doc.select(&sel("svg.qr")).next().and_then(|e| e.value().attr("aria-label")).unwrap_or("");
        assert!(label.contains(&format!("hocso.example.vn/{lesson}/")), "{label}");
        checked += 1;
    }
    assert!(checked >= 16, "{checked} leaflets");
    // The sample site asks for recordings (espeak-ng and opus-tools must be installed).
    assert_eq!(recorded_count, checked, "every sample lesson has a recording");
}

#[test]
fn error_correction_is_at_least_m() {
    let svg =
        hocso::assets::leaflet::qr_svg("https://hocso.example.vn/an-toan/otp/", "QR").unwrap_or_default();
    let url = decode_qr_svg(&svg);
    assert_eq!(url, "https://hocso.example.vn/an-toan/otp/");
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M)
        .map(|c| c.error_correction_level());
    assert_eq!(code.ok(), Some(qrcode::EcLevel::M));
}

#[test]
fn leaflet_pages_lesson_links_and_the_print_index() {
    let out = common::sample_output();
    let lesson = std::fs::read_to_string(out.join("an-toan/duong-link-gia/index.html")).unwrap_or_default();
    assert!(lesson.contains("href=\"/an-toan/duong-link-gia/to-roi/\""), "lesson links to its leaflet");
    let leaflet = scraper::Html::parse_document(
        &std::fs::read_to_string(out.join("an-toan/duong-link-gia/to-roi/index.html")).unwrap_or_default(),
    );
    assert_eq!(texts(&leaflet, "h1"), vec!["Cẩn thận với đường link lạ và ứng dụng giả"]);
    assert!(texts(&leaflet, ".qr-caption").join("").contains("Quét mã để xem bài đầy đủ và nghe đọc"));
    assert_eq!(texts(&leaflet, ".qr-url").join(""), "hocso.example.vn/an-toan/duong-link-gia/");
    let help = texts(&leaflet, ".leaflet-help").join(" ");
    assert!(help.contains("024 0000 0000") && help.contains("Cập nhật ngày 19/11/2026"), "{help}");
    // The only control is the print button, shown by JavaScript and never printed.
    let controls: Vec<_> = leaflet.select(&sel("article.leaflet button, article.leaflet input")).collect();
    assert!(controls.is_empty());
    let print = leaflet.select(&sel(".print-actions[hidden].screen-only button[data-print]")).count();
    assert_eq!(print, 1);

    let index = scraper::Html::parse_document(
        &std::fs::read_to_string(out.join("to-roi/index.html")).unwrap_or_default(),
    );
    assert_eq!(texts(&index, "main h2").len(), 4, "a section per topic");
    assert_eq!(index.select(&sel(".leaflet-list a")).count(), 16);
    assert_eq!(index.select(&sel("input[type=checkbox][name=chon]")).count(), 16);
    let all = std::fs::read_to_string(out.join("to-roi/tat-ca/index.html")).unwrap_or_default();
    assert_eq!(all.matches("<article class=\"leaflet paper-a4\"").count(), 16);
    let topic = std::fs::read_to_string(out.join("to-roi/an-toan/index.html")).unwrap_or_default();
    assert_eq!(topic.matches("<article class=\"leaflet").count(), 4);
}

#[test]
fn print_css_hides_every_control_and_all_navigation() {
    let css = std::fs::read_to_string(common::repo().join("themes/default/static/css/hocso.css"))
        .unwrap_or_default();
    let print: String = css.split("@media print").skip(1).collect::<Vec<_>>().join("\n");
    for hidden in
        [".site-header", ".breadcrumbs", ".skip-link", ".reader-tools", ".listen", "button", ".screen-only"]
    {
        assert!(print.contains(hidden), "print CSS does not hide {hidden}");
    }
    assert!(
        print.contains("font-size: 14pt")
            && print.contains("font-size: 18pt")
            && print.contains("font-size: 24pt")
    );
    assert!(print.contains("break-inside: avoid"));
}

#[test]
fn leaflet_options_summary_omitted_sections_paper_and_opt_out() {
    let f = Fixture::new();
    f.write(
        "site.toml",
        &format!(
            "{}[leaflet]\npaper = \"A5\"\n\n[[help_points]]\nplace = \"Nhà văn hóa thôn Đông\"\ndate = 2099-12-06\nhours = \"8 giờ – 11 giờ\"\n\n[[help_points]]\nplace = \"Đã qua\"\ndate = 2001-01-01\n",
            common::SITE_TOML
        ),
    );
    f.write(
        "content/an-toan/dai.md",
        &lesson("Dài", "S", "## Các bước\n\n1. Làm.\n\n## Chi tiết {.khong-in}\n\nKHÔNG IN ĐOẠN NÀY.\n"),
    );
    f.write(
        "content/an-toan/ngan.md",
        "+++\ntitle = \"Ngắn\"\nsummary = \"S\"\nleaflet_summary = \"\"\"\n1. Chỉ một bước để in.\n\"\"\"\n+++\n## Bài đầy đủ\n\nNội dung dài trên mạng.\n",
    );
    f.write("content/an-toan/khong.md", "+++\ntitle = \"Không\"\nsummary = \"S\"\nleaflet = false\n+++\n");
    f.build().unwrap_or_else(|e| panic!("{e:?}"));

    let dai = f.read_output("an-toan/dai/to-roi/index.html");
    assert!(!dai.contains("KHÔNG IN ĐOẠN NÀY") && dai.contains("<li>Làm.</li>"), "{dai}");
    assert!(f.read_output("an-toan/dai/index.html").contains("KHÔNG IN ĐOẠN NÀY"), "the web page keeps it");
    assert!(dai.contains("class=\"leaflet paper-a5\""));
    assert!(dai.contains("Nhà văn hóa thôn Đông") && dai.contains(", 6/12/2099") && !dai.contains("Đã qua"));

    let ngan = f.read_output("an-toan/ngan/to-roi/index.html");
    assert!(ngan.contains("Chỉ một bước để in.") && !ngan.contains("Nội dung dài trên mạng."));

    assert!(!f.path().join("public/an-toan/khong/to-roi").exists());
    assert!(!f.read_output("an-toan/khong/index.html").contains("/an-toan/khong/to-roi/"));
    assert!(!f.read_output("to-roi/index.html").contains("Không</a>"));
}

#[test]
fn a_long_lesson_gets_an_overflow_warning_but_still_builds() {
    let f = Fixture::new();
    let steps: String = (1..=70)
        .map(|i| format!("{i}. Bấm vào nút thứ {i} trên màn hình rồi đợi một chút cho ứng dụng mở ra.\n"))
        .collect();
    f.write("content/an-toan/rat-dai.md", &lesson("Rất dài", "S", &format!("## Các bước\n\n{steps}")));
    let report = f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let warnings: Vec<String> =
        report.warnings.iter().map(|d| d.render(hocso::core::lang::Lang::En)).collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0]
            .starts_with("warning: content/an-toan/rat-dai.md: This lesson's leaflet may run to about"),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].contains("leaflet_summary"));
    let o = common::hocso(f.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        common::stderr(&o)
            .contains("cảnh báo: content/an-toan/rat-dai.md: Tờ rơi của bài này có thể dài khoảng")
    );
}

#[test]
fn reserved_addresses_cannot_be_taken_by_a_topic() {
    let f = Fixture::new();
    f.write("content/to-roi/_index.md", "+++\ntitle = \"Tờ rơi\"\ndescription = \"D\"\n+++\n");
    let errors = f.build_errors();
    assert!(
        errors.iter().any(|e| e.contains("hocso uses this address for its own page: /to-roi/")),
        "{errors:#?}"
    );
}

#[test]
fn a_pack_holds_a_qr_code_for_every_leaflet_when_opt_outs_bring_it_under_the_limit() {
    // 107 lessons in one topic, 10 of them without a leaflet: 97 leaflets, one printable pack.
    let f = Fixture::new();
    for n in 0..106 {
        let opt_out = if n < 10 { "leaflet = false\n" } else { "" };
        f.write(
            &format!("content/an-toan/bai-{n}.md"),
            &format!("+++\ntitle = \"Bài {n}\"\nsummary = \"Tóm tắt.\"\n{opt_out}+++\nNội dung.\n"),
        );
    }
    let options = hocso::pipeline::build::BuildOptions {
        root: f.path().to_path_buf(),
        output: f.path().join("public"),
        drafts: false,
        progress: false,
    };
    let (_, mut kept) = hocso::pipeline::build::build_keeping(&options).unwrap_or_else(|e| panic!("{e:?}"));
    let count = |f: &Fixture| {
        let pack = scraper::Html::parse_document(&f.read_output("to-roi/an-toan/index.html"));
        (pack.select(&sel(".leaflet-qr")).count(), pack.select(&sel(".leaflet-qr svg.qr")).count())
    };
    assert_eq!(count(&f), (97, 97), "every sheet of the pack has its QR code");
    // After an edit of one lesson's text in `serve`, the pack is redone with all its codes too.
    f.write("content/an-toan/bai-50.md", "+++\ntitle = \"Bài 50\"\nsummary = \"Tóm tắt.\"\n+++\nĐã sửa.\n");
    let rebuilt = hocso::pipeline::build::rebuild_lesson(
        &mut kept,
        &options,
        &f.path().join("content/an-toan/bai-50.md"),
    );
    assert!(matches!(rebuilt, Some(Ok(_))), "an edit of the text alone is rebuilt in place");
    assert!(f.read_output("to-roi/an-toan/index.html").contains("Đã sửa."));
    assert_eq!(count(&f), (97, 97), "every sheet of the redone pack has its QR code");
}

/// The ids of a page that appear more than once, and the `#…` links that point to no id.
fn duplicate_ids_and_dangling_anchors(html: &str) -> (Vec<String>, Vec<String>) {
    let doc = scraper::Html::parse_document(html);
    let mut seen = std::collections::HashSet::new();
    let mut duplicates = Vec::new();
    for id in doc.select(&sel("[id]")).filter_map(|e| e.value().attr("id")) {
        if !seen.insert(id.to_owned()) {
            duplicates.push(id.to_owned());
        }
    }
    let dangling = doc
        .select(&sel("a[href^='#']"))
        .filter_map(|e| e.value().attr("href"))
        .filter(|href| href.len() > 1 && !seen.contains(&href[1..]))
        .map(str::to_owned)
        .collect();
    (duplicates, dangling)
}

#[test]
fn a_print_pack_has_no_duplicate_id_and_its_anchors_stay_on_their_leaflet() {
    // Issue 13: two leaflets with the same headings and footnotes on one pack page.
    let f = Fixture::new();
    let body =
        "## Bạn cần chuẩn bị\n\nXem [các bước](#cac-buoc)[^1].\n\n## Các bước\n\n1. Làm.\n\n[^1]: Ghi chú.\n";
    f.write("content/an-toan/mot.md", &lesson("Một", "S", body));
    f.write("content/an-toan/hai.md", &lesson("Hai", "S", body));
    f.write(
        "content/an-toan/ba.md",
        "+++\ntitle = \"Ba\"\nsummary = \"S\"\nleaflet_summary = \"\"\"\n## Bạn cần chuẩn bị\n\nĐiện thoại.\n\"\"\"\n+++\n## Bạn cần chuẩn bị\n\nMáy.\n",
    );
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    for pack in ["to-roi/an-toan/index.html", "to-roi/tat-ca/index.html"] {
        let html = f.read_output(pack);
        assert_eq!(duplicate_ids_and_dangling_anchors(&html), (Vec::new(), Vec::new()), "{pack}");
        // Each leaflet's links go to its own headings and footnotes.
        assert!(
            html.contains("href=\"#an-toan--mot--cac-buoc\"") && html.contains("id=\"an-toan--hai--fn-1\""),
            "{html}"
        );
    }
    // The lesson page keeps its ids.
    let page = f.read_output("an-toan/mot/index.html");
    assert!(page.contains("<h2 id=\"ban-can-chuan-bi\">") && page.contains("href=\"#cac-buoc\""), "{page}");
    // So does every pack of the sample site.
    for pack in ["an-toan", "thanh-toan", "dich-vu-cong", "ai-co-ban", "tat-ca"] {
        let html =
            std::fs::read_to_string(common::sample_output().join("to-roi").join(pack).join("index.html"))
                .unwrap_or_else(|e| panic!("{pack}: {e}"));
        assert_eq!(duplicate_ids_and_dangling_anchors(&html), (Vec::new(), Vec::new()), "{pack}");
    }
}
