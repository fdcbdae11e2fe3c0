//! The glossary page, glossary links in lessons, and the search index files.

mod common;

use common::{Fixture, lesson, sample_output, sel, texts};
use scraper::Html;

fn read(rel: &str) -> String {
    std::fs::read_to_string(sample_output().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn glossary_page_lists_at_least_25_terms_a_to_z_with_anchors() {
    let doc = Html::parse_document(&read("thuat-ngu/index.html"));
    let terms = texts(&doc, ".glossary dt");
    assert!(terms.len() >= 25, "{} terms", terms.len());
    let mut sorted = terms.clone();
    sorted.sort_by(|a, b| hocso::core::text::compare_vi(a, b));
    assert_eq!(terms, sorted, "Vietnamese dictionary order");
    for required in [
        "VNeID",
        "Định danh điện tử mức 2",
        "Cổng Dịch vụ công quốc gia",
        "Chữ ký số",
        "Mã OTP",
        "Mã QR",
        "Deepfake",
    ] {
        assert!(terms.iter().any(|t| t == required), "missing {required}");
    }
    assert!(doc.select(&sel(".glossary-entry#ma-otp")).next().is_some());
    let letters = texts(&doc, "h2.letter");
    let d = letters.iter().position(|l| l == "D");
    let dd = letters.iter().position(|l| l == "Đ");
    assert!(d.is_some() && dd.is_some() && d < dd, "{letters:?}");
    // Entries link to their lessons.
    assert!(doc.select(&sel("#ma-otp a[href=\"/an-toan/bao-ve-ma-otp-mat-khau/\"]")).next().is_some());
}

#[test]
fn first_use_of_a_term_in_a_lesson_links_to_its_definition_on_the_same_page() {
    let html = read("an-toan/bao-ve-ma-otp-mat-khau/index.html");
    let doc = Html::parse_document(&html);
    let links: Vec<_> =
        doc.select(&sel(".lesson-body a.term")).filter_map(|a| a.value().attr("href")).collect();
    assert!(links.contains(&"#nghia-ma-otp"), "{links:?}");
    assert_eq!(links.iter().filter(|l| **l == "#nghia-ma-otp").count(), 1, "only the first use");
    // Every term link lands on its definition in the lesson's word list, which links on to the
    // glossary page.
    for link in &links {
        let id = link.trim_start_matches('#');
        let dt = doc.select(&sel(&format!(".terms dt#{id}"))).next();
        assert!(dt.is_some(), "{link} has no entry in the word list");
    }
    assert!(doc.select(&sel(".terms dt#nghia-ma-otp a[href=\"/thuat-ngu/#ma-otp\"]")).next().is_some());
    let in_place = texts(&doc, ".terms dt");
    assert!(in_place.iter().any(|t| t == "Mã OTP"), "{in_place:?}");
    assert!(texts(&doc, ".terms dd").iter().any(|d| d.contains("Dãy số dùng một lần")));
    // Never inside headings, other links, bold or italic words (button names), or steps.
    assert_eq!(
        doc.select(&sel("h1 a.term, h2 a.term, h3 a.term, a a.term, strong a.term, em a.term, ol a.term"))
            .count(),
        0
    );
    // "Ai" (who) is not the acronym AI.
    let kich_hoat = read("dich-vu-cong/kich-hoat-vneid-muc-2/index.html");
    assert!(!kich_hoat.contains("#tri-tue-nhan-tao\">Ai</a>"));
}

#[test]
fn terms_are_not_linked_in_code_or_links_and_missing_lessons_are_errors() {
    let f = Fixture::new();
    f.write(
        "content/thuat-ngu.toml",
        "[[term]]\nterm = \"Mã OTP\"\naliases = [\"OTP\"]\ndefinition = \"Mã dùng một lần.\"\nlesson = \"an-toan/otp.md\"\n",
    );
    f.write(
        "content/an-toan/dung.md",
        &lesson(
            "Dùng",
            "S",
            "## OTP là gì\n\n`OTP` và [OTP](otp.md) không đổi.\n\nĐây mới là OTP, còn OTP sau thì không.\n",
        ),
    );
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let html = f.read_output("an-toan/dung/index.html");
    assert!(html.contains("<code>OTP</code>"));
    assert!(html.contains("<a href=\"/an-toan/otp/\">OTP</a>"));
    assert!(
        html.contains("Đây mới là <a class=\"term\" href=\"#nghia-ma-otp\">OTP</a>, còn OTP sau"),
        "{html}"
    );
    assert!(f.read_output("thuat-ngu/index.html").contains("id=\"ma-otp\""));
    // Not in bold button names or in steps, where a resident follows one action at a time;
    // the term is still listed under the lesson.
    f.write("content/an-toan/dung.md", &lesson("Dùng", "S", "1. Nhập mã OTP.\n2. Bấm **Gửi OTP**.\n"));
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let html = f.read_output("an-toan/dung/index.html");
    assert!(!html.contains("class=\"term\""), "{html}");
    assert!(html.contains("<dt id=\"nghia-ma-otp\">"), "{html}");

    f.write(
        "content/thuat-ngu.toml",
        "[[term]]\nterm = \"A\"\ndefinition = \"B\"\n\n[[term]]\nterm = \"Mã OTP\"\ndefinition = \"C\"\nlesson = \"an-toan/khong-co.md\"\n",
    );
    let errors = f.build_errors();
    assert!(
        errors.iter().any(|e| e
            .contains("content/thuat-ngu.toml:6:1: Link to a page that does not exist: an-toan/khong-co.md")),
        "{errors:#?}"
    );
    f.write("content/thuat-ngu.toml", "[[term]]\nterm = \"A\"\ndefiniton = \"B\"\n");
    let errors = f.build_errors();
    assert!(errors.iter().any(|e| e.contains("thuat-ngu.toml:3:1: Unknown key `definiton`")), "{errors:#?}");
}

#[test]
fn search_index_shards_by_folded_prefix_and_keeps_spellings() {
    let out = sample_output();
    let meta: serde_json::Value =
        serde_json::from_str(&read("tim-kiem/du-lieu/meta.json")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(meta["docs"], 16);
    let keys: Vec<&str> =
        meta["shards"].as_array().map(|a| a.iter().filter_map(|k| k.as_str()).collect()).unwrap_or_default();
    assert!(keys.contains(&"th") && keys.contains(&"ma"), "{keys:?}");
    let ma: serde_json::Value =
        serde_json::from_str(&read("tim-kiem/du-lieu/s/ma.json")).unwrap_or_else(|e| panic!("{e}"));
    let spellings: Vec<&String> = ma["ma"].as_object().map(|o| o.keys().collect()).unwrap_or_default();
    assert!(spellings.iter().any(|s| *s == "mã"), "{spellings:?}");
    // A title hit carries the title bit (16) for the QR payment lesson (number 4 in reading order).
    assert_eq!(meta["rows"], 32);
    assert_eq!(meta["topics"][1], "Thanh toán không dùng tiền mặt");
    let rows: serde_json::Value =
        serde_json::from_str(&read("tim-kiem/du-lieu/d/0.json")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.as_array().map(Vec::len), Some(16), "one row per lesson");
    let row4 = &rows[4];
    assert_eq!(row4[0], "Thanh toán bằng mã QR (VietQR)");
    assert_eq!(row4[1], "/thanh-toan/thanh-toan-bang-ma-qr/");
    assert_eq!(row4[2], 1, "topic number");
    assert!(row4[3].as_str().is_some_and(|s| !s.is_empty()), "summary");
    let qr = &serde_json::from_str::<serde_json::Value>(&read("tim-kiem/du-lieu/s/qr.json"))
        .unwrap_or_default()["qr"]["qr"];
    let postings = qr.as_str().unwrap_or_default();
    let found = decode_postings(postings).into_iter().find(|&(doc, _)| doc == 4).map(|(_, bits)| bits);
    assert!(found.is_some_and(|bits| bits & 16 == 16), "{postings}");
    assert!(out.join("tim-kiem/index.html").is_file());
}

#[test]
fn every_page_has_a_search_form_and_the_search_page_lists_all_lessons() {
    for (path, doc) in common::html_pages(sample_output()) {
        if path.starts_with("cu") {
            continue;
        }
        // Each language searches its own index: the English pages search under /en/.
        let action = if path.starts_with("en") { "/en/tim-kiem/" } else { "/tim-kiem/" };
        let form = doc.select(&sel(&format!("form[role=search][action=\"{action}\"] input[name=q]"))).count();
        assert!(form >= 1, "{}: no search form", path.display());
    }
    let doc = Html::parse_document(&read("tim-kiem/index.html"));
    assert_eq!(doc.select(&sel(".a-z li a")).count(), 16);
    assert!(doc.select(&sel("#search-status[role=status][aria-live=polite]")).next().is_some());
}

/// Reads a postings string the way the search script does: base-32 varints of `gap × 32 +
/// fields`, least significant digit first, the upper half of the alphabet meaning "more follows".
fn decode_postings(encoded: &str) -> Vec<(u64, u64)> {
    const DIGITS: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
    let mut out = Vec::new();
    let (mut doc, mut value, mut shift) = (0u64, 0u64, 0u32);
    for c in encoded.chars() {
        let d = DIGITS.find(c).unwrap_or_else(|| panic!("{c:?} is not a postings digit")) as u64;
        value |= (d & 31) << shift;
        if d >= 32 {
            shift += 5;
            continue;
        }
        doc += value >> 5;
        out.push((doc, value & 31));
        (value, shift) = (0, 0);
    }
    out
}

#[test]
fn a_large_site_moves_the_a_to_z_list_off_the_search_page() {
    let f = Fixture::new();
    let extra = hocso::pipeline::render::AZ_INLINE_MAX;
    for n in 0..extra {
        f.write(
            &format!("content/an-toan/bai-them-{n}.md"),
            &lesson(&format!("Bài thêm số {n}"), "Tóm tắt.", "Nội dung."),
        );
    }
    let report = f.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(report.lessons > extra);
    let search = Html::parse_document(&f.read_output("tim-kiem/index.html"));
    assert_eq!(search.select(&sel(".a-z li a")).count(), 0, "no 300-link list on the search page");
    let link = texts(&search, ".a-z a[href=\"/tim-kiem/tat-ca/\"]");
    assert_eq!(link, vec![format!("Xem danh sách {} bài học, theo chủ đề, từ A đến Z", report.lessons)]);
    let all = Html::parse_document(&f.read_output("tim-kiem/tat-ca/index.html"));
    // 50 lessons a page (`trang-2/`…), every lesson on one of them.
    let pages = report.lessons.div_ceil(hocso::pipeline::render::LIST_PAGE_SIZE);
    let listed: usize = (2..=pages)
        .map(|n| Html::parse_document(&f.read_output(&format!("tim-kiem/tat-ca/trang-{n}/index.html"))))
        .map(|page| page.select(&sel(".a-z li a")).count())
        .sum::<usize>()
        + all.select(&sel(".a-z li a")).count();
    assert_eq!(listed, report.lessons);
    assert_eq!(texts(&all, "h1"), vec!["Tất cả bài học, theo chủ đề"]);
    // Each topic A to Z: "Bài thêm số 10" sorts before "Bài thêm số 2" as text does.
    let safety = texts(&all, "#a-z-an-toan + ul a");
    let mut sorted = safety.clone();
    sorted.sort_by(|a, b| hocso::core::text::compare_vi(a, b));
    assert_eq!(safety, sorted);
}
