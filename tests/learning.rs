//! Learning aids (issue 19): journeys, their pages and checklists, the journey box on member
//! lessons, self-check questions on the page and on the leaflet, and their mistakes reported
//! with file and line.

mod common;

use common::{Fixture, lesson, sel, texts};
use scraper::Html;

fn page(rel: &str) -> Html {
    let path = common::sample_output().join(rel);
    Html::parse_document(
        &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The sample journey page: numbered step headings (the number inside the heading), every
/// lesson link resolved to a page that exists, "và" and "hoặc" said in words, notes shown.
#[test]
fn journey_page_has_numbered_step_headings_and_resolved_links() {
    let doc = page("lo-trinh/thanh-toan-bang-dien-thoai-an-toan/index.html");
    assert_eq!(texts(&doc, "h1"), vec!["Bắt đầu thanh toán bằng điện thoại an toàn"]);
    let headings: Vec<String> =
        doc.select(&sel("ol.step-nav > li > h2")).map(|h| flat(&h.text().collect::<String>())).collect();
    assert_eq!(
        headings,
        vec![
            "Bước 1: Cài ứng dụng ngân hàng",
            "Bước 2: Giữ kín mã và tránh đường link lạ",
            "Bước 3: Trả tiền lần đầu",
            "Bước 4: Nếu bạn buôn bán: nhận tiền bằng mã QR",
            "Bước 5: Biết làm gì khi nghi bị lừa",
        ]
    );
    let ids: Vec<&str> =
        doc.select(&sel("ol.step-nav > li")).filter_map(|li| li.value().attr("id")).collect();
    assert_eq!(
        ids,
        vec!["lo-trinh-buoc-1", "lo-trinh-buoc-2", "lo-trinh-buoc-3", "lo-trinh-buoc-4", "lo-trinh-buoc-5"]
    );
    let out = common::sample_output();
    let links: Vec<&str> =
        doc.select(&sel(".step-nav-task > a")).filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(links.len(), 7);
    for href in &links {
        let file = out.join(href.trim_start_matches('/')).join("index.html");
        assert!(file.is_file(), "{href} leads nowhere");
    }
    let and =
        doc.select(&sel(".step-nav-and")).map(|e| flat(&e.text().collect::<String>())).collect::<Vec<_>>();
    assert_eq!(and, vec!["và Cẩn thận với đường link lạ và ứng dụng giả (khoảng 10 phút)"]);
    let or =
        doc.select(&sel(".step-nav-or")).map(|e| flat(&e.text().collect::<String>())).collect::<Vec<_>>();
    assert_eq!(or, vec!["hoặc Chuyển khoản bằng số tài khoản (khoảng 10 phút)"]);
    assert!(texts(&doc, ".step-nav-note").iter().any(|n| n.contains("Chỉ tải ứng dụng từ CH Play")));
    // Every step is open without JavaScript: no collapsed parts.
    assert_eq!(doc.select(&sel("main details")).count(), 0);
    assert_eq!(texts(&doc, ".journey-facts"), vec!["5 bước, tổng cộng khoảng 81 phút"]);
}

/// The box on a member lesson names the journey, the step and its neighbours; a lesson in two
/// journeys shows both.
#[test]
fn journey_box_shows_the_step_and_its_neighbours_for_every_journey() {
    let doc = page("an-toan/bao-ve-ma-otp-mat-khau/index.html");
    let boxes: Vec<String> = doc
        .select(&sel("aside.journey-box"))
        .map(|b| flat(&b.text().collect::<Vec<_>>().join(" ")))
        .collect();
    assert_eq!(
        boxes,
        vec![
            "Thuộc lộ trình: Làm thủ tục hành chính trên điện thoại — Bước 2 trên 5 Bước trước: 1. Kích hoạt tài khoản định danh điện tử mức 2 Bước tiếp theo: 3. Đăng nhập Cổng Dịch vụ công quốc gia",
            "Thuộc lộ trình: Bắt đầu thanh toán bằng điện thoại an toàn — Bước 2 trên 5 Bước trước: 1. Cài ứng dụng ngân hàng Bước tiếp theo: 3. Trả tiền lần đầu",
        ]
    );
    let hrefs: Vec<&str> =
        doc.select(&sel("aside.journey-box a")).filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(
        hrefs,
        vec![
            "/lo-trinh/lam-thu-tuc-hanh-chinh-tren-dien-thoai/",
            "/dich-vu-cong/kich-hoat-vneid-muc-2/",
            "/dich-vu-cong/dang-nhap-cong-dich-vu-cong/",
            "/lo-trinh/thanh-toan-bang-dien-thoai-an-toan/",
            "/thanh-toan/cai-dat-ung-dung-ngan-hang/",
            // Step 3 has two lessons ("hoặc"): the link goes to the step on the journey page.
            "/lo-trinh/thanh-toan-bang-dien-thoai-an-toan/#lo-trinh-buoc-3",
        ]
    );
    // The last step has no next one; a lesson in no journey has no box.
    let last = page("an-toan/lam-gi-khi-bi-lua/index.html");
    let text = flat(
        &last.select(&sel("aside.journey-box")).map(|b| b.text().collect::<String>()).collect::<String>(),
    );
    assert!(
        text.contains("Bước 5 trên 5") && text.contains("Bước trước: 4.") && !text.contains("Bước tiếp theo"),
        "{text}"
    );
    assert_eq!(page("ai-co-ban/ai-la-gi/index.html").select(&sel("aside.journey-box")).count(), 0);
}

/// Journeys are listed on the home page and on the topics they cross, in the sitemap, and
/// print as a checklist with a QR code per step.
#[test]
fn journeys_are_listed_where_they_are_found_and_print_as_checklists() {
    let home = page("index.html");
    let listed: Vec<String> = texts(&home, ".journey-cards .card-title");
    assert_eq!(
        listed,
        vec!["Làm thủ tục hành chính trên điện thoại", "Bắt đầu thanh toán bằng điện thoại an toàn"]
    );
    assert!(texts(&home, "h2").contains(&"Bắt đầu từ đây".to_owned()));
    let ai = page("ai-co-ban/index.html");
    assert_eq!(ai.select(&sel(".journey-cards")).count(), 0, "no journey crosses the AI topic");
    let safety = page("an-toan/index.html");
    assert_eq!(texts(&safety, ".journey-cards .card-title").len(), 2);
    let sitemap = std::fs::read_to_string(common::sample_output().join("sitemap.xml")).unwrap_or_default();
    assert!(sitemap.contains("/lo-trinh/lam-thu-tuc-hanh-chinh-tren-dien-thoai/</loc>"), "{sitemap}");

    let sheet = page("lo-trinh/lam-thu-tuc-hanh-chinh-tren-dien-thoai/to-roi/index.html");
    let steps = texts(&sheet, ".checklist-title");
    assert_eq!(steps.len(), 5);
    assert!(steps[0].starts_with("☐ Bước 1: Kích hoạt"), "{steps:?}");
    // One QR code for the journey, one per step.
    assert_eq!(sheet.select(&sel("svg.qr")).count(), 6);
    let step_qr =
        sheet.select(&sel(".checklist-qr svg.qr")).next().and_then(|s| s.value().attr("aria-label"));
    assert!(
        step_qr.is_some_and(|l| l.ends_with("hocso.example.vn/dich-vu-cong/kich-hoat-vneid-muc-2/")),
        "{step_qr:?}"
    );
}

/// A question renders with its choices and its answer in `<details>`, and prints after the
/// lesson with the answers in one line.
#[test]
fn questions_on_the_page_and_on_the_leaflet() {
    let doc = page("an-toan/bao-ve-ma-otp-mat-khau/index.html");
    assert_eq!(doc.select(&sel(".lesson-body .quiz")).count(), 2);
    assert_eq!(texts(&doc, ".quiz-question")[0], "Ai gọi điện đòi mã OTP của bạn là ai?");
    assert_eq!(texts(&doc, ".quiz details > summary")[0], "Xem đáp án");
    assert_eq!(texts(&doc, ".quiz-solution")[0], "Đáp án đúng: B. Kẻ lừa đảo");
    // The lesson page is its leaflet (issue 21): on paper, the print-only body asks the questions
    // at the end with the answers in one line, and no web question prints.
    assert_eq!(doc.select(&sel(".print-only .quiz")).count(), 0, "no web question on paper");
    assert_eq!(doc.select(&sel(".lesson-body.screen-only .quiz")).count(), 2, "web questions on screen only");
    assert_eq!(texts(&doc, ".print-only .quiz-print-question").len(), 2);
    assert_eq!(texts(&doc, ".print-only .quiz-print-answers"), vec!["Đáp án: 1 – B; 2 – C."]);
    // At least eight sample lessons ask something.
    let asking = common::html_pages(common::sample_output())
        .into_iter()
        .filter(|(path, doc)| {
            !path.starts_with("en")
                && !path.to_string_lossy().contains("to-roi")
                && doc.select(&sel("article.lesson .quiz")).next().is_some()
        })
        .count();
    assert!(asking >= 8, "{asking} lessons with questions");
}

const QUESTION: &str = "```cau-hoi\nquestion = \"Ai đòi mã OTP?\"\n\n[[choice]]\ntext = \"Ngân hàng\"\nwhy = \"Ngân hàng không hỏi mã.\"\n\n[[choice]]\ntext = \"Kẻ gian\"\nright = true\nwhy = \"Chỉ kẻ gian đòi mã.\"\n```\n";

/// A malformed question fails the build with the file and the line inside the block.
#[test]
fn a_malformed_question_fails_with_file_and_line() {
    let f = Fixture::new();
    // Front matter is lines 1-4, the body starts on line 5; the block's fence is line 7.
    let body = format!("Mở đầu.\n\n{}", QUESTION.replace("right = true\n", "right = true\nrigth = true\n"));
    f.write("content/an-toan/otp.md", &lesson("Giữ kín OTP", "Không đưa mã OTP cho ai.", &body));
    let errors = f.build_errors();
    assert!(
        errors.iter().any(|e| e.contains("content/an-toan/otp.md:17") && e.contains("rigth")),
        "{errors:?}"
    );

    let two_right = format!(
        "Mở đầu.\n\n{}",
        QUESTION
            .replace("why = \"Ngân hàng không hỏi mã.\"", "why = \"Ngân hàng không hỏi mã.\"\nright = true")
    );
    f.write("content/an-toan/otp.md", &lesson("Giữ kín OTP", "Không đưa mã OTP cho ai.", &two_right));
    let errors = f.build_errors();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("error: content/an-toan/otp.md:17") && e.contains("2 right choices")),
        "{errors:?}"
    );

    f.write(
        "content/an-toan/otp.md",
        &lesson("Giữ kín OTP", "Không đưa mã OTP cho ai.", &format!("Mở đầu.\n\n{QUESTION}")),
    );
    assert!(f.build().is_ok(), "the good question builds");
}

/// A journey's mistakes fail the build with the file and the line: a link to a lesson that
/// does not exist, a line that is neither step, link nor note.
#[test]
fn a_malformed_journey_fails_with_file_and_line() {
    let f = Fixture::new();
    f.write(
        "content/lo-trinh/thu.md",
        "+++\ntitle = \"Thử\"\nsummary = \"Một lộ trình.\"\n+++\n1. Bước một\n   [Giữ kín OTP](../an-toan/otp.md)\n2. Bước hai\n   [Không có](../an-toan/khong-co.md)\n   Dòng lạ\n",
    );
    let errors = f.build_errors();
    assert!(
        errors.iter().any(|e| e.contains("content/lo-trinh/thu.md:8:4") && e.contains("khong-co.md")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("content/lo-trinh/thu.md:9:4") && e.contains("Dòng lạ")),
        "{errors:?}"
    );

    // Fixed, it builds into a page and a checklist, and the lesson gets its box.
    f.write(
        "content/lo-trinh/thu.md",
        "+++\ntitle = \"Thử\"\nsummary = \"Một lộ trình.\"\n+++\n1. Bước một\n   [Giữ kín OTP](../an-toan/otp.md)\n",
    );
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(f.read_output("lo-trinh/thu/index.html").contains("Bước một"));
    assert!(f.read_output("lo-trinh/thu/to-roi/index.html").contains("class=\"checklist\""));
    assert!(f.read_output("an-toan/otp/index.html").contains("Bước 1 trên 1"));

    // The folder is reserved: a topic or page cannot take its name.
    f.write("content/lo-trinh.md", "+++\ntitle = \"Trang\"\nsummary = \"Tóm tắt.\"\n+++\nChữ.\n");
    let errors = f.build_errors();
    assert!(errors.iter().any(|e| e.contains("/lo-trinh/")), "{errors:?}");
}
