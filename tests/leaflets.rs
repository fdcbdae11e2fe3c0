//! Leaflets: a lesson page prints as its leaflet, print packs hold many; what they print, their
//! QR code, and the overflow warning.

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

/// The sample's lesson pages (`<topic>/<lesson>/index.html`), Vietnamese and English.
fn sample_lesson_pages() -> Vec<(std::path::PathBuf, scraper::Html)> {
    common::html_pages(common::sample_output())
        .into_iter()
        .filter(|(p, d)| !p.starts_with("to-roi") && d.select(&sel("article.lesson")).next().is_some())
        .collect()
}

#[test]
fn qr_code_of_every_sample_lesson_page_is_print_only_and_decodes_to_the_lesson() {
    let out = common::sample_output();
    let (mut checked, mut recorded_count) = (0, 0);
    for (path, doc) in sample_lesson_pages() {
        // One code, for paper only: it stands beside the title when the page is printed.
        let codes: Vec<_> = doc.select(&sel("svg.qr")).collect();
        assert_eq!(codes.len(), 1, "{}: {} QR codes", path.display(), codes.len());
        assert_eq!(
            doc.select(&sel(
                "article.lesson.leaflet > header.leaflet-head > .leaflet-qr.print-only > svg.qr"
            ))
            .count(),
            1,
            "{}: the QR code is not the print-only one beside the title",
            path.display()
        );
        let svg = codes[0].html();
        let lesson = path.parent().unwrap_or(&path).to_string_lossy().replace('\\', "/");
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
    assert!(checked >= 16, "{checked} lesson pages");
    // The sample site asks for recordings (espeak-ng and opus-tools must be installed), its
    // English translations too, in an English voice.
    assert_eq!(recorded_count, sample_lesson_pages().len(), "every sample lesson has a recording");
}

#[test]
fn one_html_file_per_lesson_and_no_leaflet_page_under_it() {
    let out = common::sample_output();
    let lessons = sample_lesson_pages();
    assert!(lessons.len() >= 16);
    for (path, _) in &lessons {
        let dir = out.join(path.parent().unwrap_or(path));
        let mut html = Vec::new();
        for entry in walkdir::WalkDir::new(&dir).into_iter().filter_map(Result::ok) {
            if entry.path().extension().is_some_and(|e| e == "html") {
                html.push(entry.path().strip_prefix(out).unwrap_or(entry.path()).to_path_buf());
            }
        }
        assert_eq!(html, vec![path.clone()], "{}", dir.display());
        assert!(!dir.join("to-roi").exists(), "{}: a leaflet page of its own", dir.display());
    }
    // Nothing in the site links to a lesson's old leaflet address any more.
    for (path, doc) in common::html_pages(out) {
        for href in doc.select(&sel("a[href]")).filter_map(|a| a.value().attr("href")) {
            // A journey's checklist (issue 19) is a page of its own, not a lesson's leaflet.
            let journey = href.starts_with(&format!("/{}/", hocso::core::paths::JOURNEYS_DIR));
            let old = !journey && href.ends_with("/to-roi/") && href.trim_matches('/').split('/').count() > 2;
            assert!(!old, "{}: links to {href}", path.display());
        }
    }
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
fn the_lesson_page_is_its_leaflet_on_paper_and_the_print_index_lists_lesson_pages() {
    let out = common::sample_output();
    let html = std::fs::read_to_string(out.join("an-toan/duong-link-gia/index.html")).unwrap_or_default();
    let lesson = scraper::Html::parse_document(&html);
    assert_eq!(texts(&lesson, "h1"), vec!["Cẩn thận với đường link lạ và ứng dụng giả"]);
    assert_eq!(lesson.select(&sel("article.lesson.leaflet.paper-a4[data-estimated-pages] h1")).count(), 1);
    // What only paper shows: the leaflet's site line, call line, QR code, address and help.
    let only = |selector: &str| texts(&lesson, &format!("article {selector}.print-only")).join(" ");
    assert_eq!(
        only(".leaflet-site"),
        "Học số – Bình dân học vụ số · An toàn trên mạng · Cập nhật ngày 19/11/2026"
    );
    assert_eq!(only(".leaflet-call"), "Cần giúp? Gọi 024 0000 0000");
    assert!(only(".leaflet-qr").contains("Quét mã để xem bài đầy đủ và nghe đọc"));
    assert_eq!(
        texts(&lesson, ".leaflet-address.print-only .qr-url").join(""),
        "hocso.example.vn/an-toan/duong-link-gia/"
    );
    let help = only(".leaflet-foot");
    assert!(help.contains("024 0000 0000") && help.contains("Cập nhật ngày 19/11/2026"), "{help}");
    // The lesson has neither `{.khong-in}` nor a `leaflet_summary`: its body prints as it is,
    // written once.
    assert_eq!(lesson.select(&sel(".lesson-body.leaflet-body:not(.screen-only)")).count(), 1);
    assert_eq!(lesson.select(&sel(".print-only.leaflet-body")).count(), 0);
    assert_eq!(html.matches("Không trả lời tin nhắn.").count(), 1);
    // "In tờ rơi" prints this page: a button shown by JavaScript and never printed, and without
    // JavaScript a sentence on how to print. No link to a leaflet page.
    assert_eq!(lesson.select(&sel(".print-actions[hidden].screen-only button[data-print]")).count(), 1);
    assert!(html.contains("<noscript><p class=\"print-howto screen-only\">Bài này in ra thành một tờ rơi"));
    assert!(!html.contains("/an-toan/duong-link-gia/to-roi/"), "no link to a leaflet page");

    let index = scraper::Html::parse_document(
        &std::fs::read_to_string(out.join("to-roi/index.html")).unwrap_or_default(),
    );
    assert_eq!(texts(&index, "main h2").len(), 4, "a section per topic");
    let listed: Vec<&str> =
        index.select(&sel(".leaflet-list a")).filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(listed.len(), 16);
    assert!(listed.contains(&"/an-toan/duong-link-gia/"), "the index leads to the lesson pages: {listed:?}");
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

    // `{.khong-in}`: the web body keeps the section, for the screen only; paper gets the body
    // without it.
    let dai = scraper::Html::parse_document(&f.read_output("an-toan/dai/index.html"));
    let screen = texts(&dai, ".lesson-body.screen-only").join(" ");
    let paper = texts(&dai, ".leaflet-body.print-only").join(" ");
    assert!(screen.contains("KHÔNG IN ĐOẠN NÀY") && screen.contains("Làm."), "{screen}");
    assert!(!paper.contains("KHÔNG IN ĐOẠN NÀY") && paper.contains("Làm."), "{paper}");
    assert_eq!(dai.select(&sel(".leaflet-body")).count(), 1, "one body prints");
    assert_eq!(dai.select(&sel("article.lesson.leaflet.paper-a5")).count(), 1);
    let help = texts(&dai, ".leaflet-foot.print-only").join(" ");
    assert!(
        help.contains("Nhà văn hóa thôn Đông") && help.contains(", 6/12/2099") && !help.contains("Đã qua")
    );
    // The pack prints the same.
    let pack = f.read_output("to-roi/an-toan/index.html");
    assert!(!pack.contains("KHÔNG IN ĐOẠN NÀY") && pack.contains("<li>Làm.</li>"));

    // `leaflet_summary` replaces the body on paper.
    let ngan = scraper::Html::parse_document(&f.read_output("an-toan/ngan/index.html"));
    let screen = texts(&ngan, ".lesson-body.screen-only").join(" ");
    let paper = texts(&ngan, ".leaflet-body.print-only").join(" ");
    assert!(
        screen.contains("Nội dung dài trên mạng.") && !screen.contains("Chỉ một bước để in."),
        "{screen}"
    );
    assert!(paper.contains("Chỉ một bước để in.") && !paper.contains("Nội dung dài trên mạng."), "{paper}");

    // `leaflet = false`: a plain lesson page, printed as a page, not as a leaflet.
    let khong = f.read_output("an-toan/khong/index.html");
    for leaflet_part in ["class=\"lesson leaflet", "svg", "print-only", "data-print", "print-howto"] {
        assert!(!khong.contains(leaflet_part), "{leaflet_part} on a lesson without a leaflet");
    }
    assert!(!f.read_output("to-roi/index.html").contains("Không</a>"));
    assert!(!f.path().join("public/an-toan/dai/to-roi").exists());
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
        progress: Default::default(),
    };
    let (_, mut kept) =
        hocso::pipeline::build::build_keeping(&options, hocso::pipeline::edition::Sources::Keep)
            .unwrap_or_else(|e| panic!("{e:?}"));
    let count = |f: &Fixture| {
        let pack = scraper::Html::parse_document(&f.read_output("to-roi/an-toan/index.html"));
        (pack.select(&sel(".leaflet-qr")).count(), pack.select(&sel(".leaflet-qr svg.qr")).count())
    };
    assert_eq!(count(&f), (97, 97), "every sheet of the pack has its QR code");
    // After an edit of one lesson's text in `serve`, the pack is redone with all its codes too.
    f.write("content/an-toan/bai-50.md", "+++\ntitle = \"Bài 50\"\nsummary = \"Tóm tắt.\"\n+++\nĐã sửa.\n");
    let rebuilt = hocso::pipeline::incremental::rebuild_lesson(
        &mut kept,
        &options,
        &f.path().join("content/an-toan/bai-50.md"),
    );
    assert!(matches!(rebuilt, Some(Ok(_))), "an edit of the text alone is rebuilt in place");
    assert!(f.read_output("to-roi/an-toan/index.html").contains("Đã sửa."));
    assert_eq!(count(&f), (97, 97), "every sheet of the redone pack has its QR code");
    let page = scraper::Html::parse_document(&f.read_output("an-toan/bai-50/index.html"));
    assert!(texts(&page, ".lesson-body").join("").contains("Đã sửa."));
    assert_eq!(
        page.select(&sel(".leaflet-qr.print-only svg.qr")).count(),
        1,
        "the redone page keeps its code"
    );
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
    // The lesson page keeps its ids; the print version it carries (a `leaflet_summary`, a body
    // without `{.khong-in}` sections) has the prefixed ones, so no id is there twice.
    let page = f.read_output("an-toan/mot/index.html");
    assert!(page.contains("<h2 id=\"ban-can-chuan-bi\">") && page.contains("href=\"#cac-buoc\""), "{page}");
    f.write(
        "content/an-toan/bon.md",
        &lesson(
            "Bốn",
            "S",
            &format!("{body}\n## Chi tiết {{.khong-in}}\n\nDài.[^2]\n\n[^2]: Ghi chú hai.\n"),
        ),
    );
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    for lesson_page in ["an-toan/mot/index.html", "an-toan/ba/index.html", "an-toan/bon/index.html"] {
        let html = f.read_output(lesson_page);
        assert_eq!(duplicate_ids_and_dangling_anchors(&html), (Vec::new(), Vec::new()), "{lesson_page}");
    }
    let ba = f.read_output("an-toan/ba/index.html");
    assert!(ba.contains("id=\"ban-can-chuan-bi\"") && ba.contains("id=\"an-toan--ba--ban-can-chuan-bi\""));
    let bon = f.read_output("an-toan/bon/index.html");
    assert!(bon.contains("href=\"#an-toan--bon--cac-buoc\"") && bon.contains("href=\"#cac-buoc\""), "{bon}");
    // So does every pack, and every lesson page, of the sample site.
    for (path, doc) in sample_lesson_pages() {
        assert_eq!(
            duplicate_ids_and_dangling_anchors(&doc.html()),
            (Vec::new(), Vec::new()),
            "{}",
            path.display()
        );
    }
    for pack in ["an-toan", "thanh-toan", "dich-vu-cong", "ai-co-ban", "tat-ca"] {
        let html =
            std::fs::read_to_string(common::sample_output().join("to-roi").join(pack).join("index.html"))
                .unwrap_or_else(|e| panic!("{pack}: {e}"));
        assert_eq!(duplicate_ids_and_dangling_anchors(&html), (Vec::new(), Vec::new()), "{pack}");
    }
}
