//! The `hocso` command line and features seen from the outside: exit codes, summaries,
//! languages, drafts, template overrides, sanitizing, ordering, serving.

mod common;

use std::io::{Read as _, Write as _};

use common::{Fixture, hocso, lesson, stderr, stdout};

#[test]
fn build_succeeds_with_a_vietnamese_summary_and_exit_0() {
    // The one-lesson site's pages, and the reader's "Bài tôi đã học".
    let f = Fixture::new();
    let o = hocso(f.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    // One page per lesson: the lesson page prints as its leaflet (and the progress page of issue 19).
    assert!(out.starts_with("Đã tạo 12 trang trong ") && out.trim_end().ends_with(" giây"), "{out}");
    assert!(out.contains(','), "Vietnamese decimal comma: {out}");
    assert!(f.path().join("public/an-toan/otp/index.html").is_file());
}

#[test]
fn english_on_request_by_flag_or_environment() {
    let f = Fixture::new();
    let o = hocso(f.path(), &["build", "--lang", "en"]);
    assert!(stdout(&o).starts_with("Built 12 pages in "), "{}", stdout(&o));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_hocso"))
        .arg("build")
        .current_dir(f.path())
        .env("HOCSO_LANG", "en")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(stdout(&o).starts_with("Built 12 pages in "), "{}", stdout(&o));
}

#[test]
fn content_errors_exit_1_and_usage_errors_exit_2() {
    let f = Fixture::new();
    f.write("content/an-toan/hong.md", "+++\ntitle = \"A\"\n");
    let o = hocso(f.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("lỗi: content/an-toan/hong.md:1:1:"), "{err}");
    assert!(err.contains("Cách sửa:"), "{err}");
    assert!(err.contains("Không tạo được trang: 1 lỗi"), "{err}");

    let o = hocso(f.path(), &["biuld"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("lỗi: câu lệnh chưa đúng"), "{}", stderr(&o));
}

#[test]
fn quiet_prints_nothing_on_success_and_version_works() {
    let f = Fixture::new();
    let o = hocso(f.path(), &["build", "-q"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).is_empty() && stderr(&o).is_empty());
    let o = hocso(f.path(), &["--version"]);
    assert_eq!(stdout(&o).trim(), format!("hocso {}", env!("CARGO_PKG_VERSION")));
    let o = hocso(f.path(), &["build", "--help"]);
    assert!(stdout(&o).contains("--drafts"));
}

#[test]
fn root_and_output_flags() {
    let f = Fixture::new();
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = elsewhere.path().join("site-out");
    let root = f.path().to_string_lossy().into_owned();
    let o = hocso(elsewhere.path(), &["build", "--root", &root, "--output", "site-out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("index.html").is_file());
    assert!(!f.path().join("public").exists());
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let f = Fixture::new();
    f.write(
        "content/an-toan/nhap.md",
        "+++\ntitle = \"Nháp\"\nsummary = \"Chưa xong.\"\ndraft = true\n+++\n",
    );
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!f.path().join("public/an-toan/nhap").exists());
    assert!(!f.read_output("sitemap.xml").contains("nhap"));
    let o = hocso(f.path(), &["build", "--drafts"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(f.path().join("public/an-toan/nhap/index.html").is_file());
}

#[test]
fn a_site_template_overrides_the_theme() {
    let f = Fixture::new();
    f.write(
        "templates/lesson.html",
        "{% extends \"base.html\" %}{% block main %}<h1>RIÊNG: {{ page.title }}</h1>{{ content | safe }}{% endblock main %}",
    );
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(f.read_output("an-toan/otp/index.html").contains("<h1>RIÊNG: Giữ kín OTP</h1>"));
    // Other pages still use the theme.
    assert!(f.read_output("an-toan/index.html").contains("class=\"cards\""));
}

#[test]
fn raw_html_is_sanitized_unless_the_site_opts_out() {
    let f = Fixture::new();
    let body = "Chữ <b onclick=\"x()\">đậm</b>.\n\n<script>alert(1)</script>\n\n> [!WARNING]\n> Cẩn thận.\n";
    f.write("content/an-toan/html.md", &lesson("HTML", "Có HTML.", body));
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let html = f.read_output("an-toan/html/index.html");
    assert!(!html.contains("<script>alert"), "script kept");
    assert!(!html.contains("onclick"), "handler kept");
    assert!(html.contains("<b>đậm</b>"));
    assert!(html.contains("callout-warning"), "our own markup survives sanitizing");

    f.write("site.toml", &format!("{}unsafe_html = true\n", common::SITE_TOML));
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(f.read_output("an-toan/html/index.html").contains("<script>alert(1)</script>"));
}

#[test]
fn lessons_are_ordered_by_weight_then_vietnamese_title() {
    let f = Fixture::new();
    f.remove("content/an-toan/otp.md");
    for (file, title, weight) in
        [("a", "Đăng ký", 0), ("b", "Dịch vụ", 0), ("c", "Ăn uống", 0), ("d", "Zalo", -1), ("e", "An", 0)]
    {
        f.write(
            &format!("content/an-toan/{file}.md"),
            &format!("+++\ntitle = \"{title}\"\nsummary = \"S\"\nweight = {weight}\n+++\n"),
        );
    }
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let html = f.read_output("an-toan/index.html");
    let doc = scraper::Html::parse_document(&html);
    let titles = common::texts(&doc, ".card-title");
    assert_eq!(titles, vec!["Zalo", "An", "Ăn uống", "Dịch vụ", "Đăng ký"]);
    // Previous/next follow the same order.
    let e = f.read_output("an-toan/e/index.html");
    assert!(
        e.contains("href=\"/an-toan/d/\" rel=\"prev\"") && e.contains("href=\"/an-toan/c/\" rel=\"next\"")
    );
}

#[test]
fn aliases_redirect_to_the_lesson() {
    let f = Fixture::new();
    f.write(
        "content/an-toan/otp.md",
        "+++\ntitle = \"OTP\"\nsummary = \"S\"\naliases = [\"/cu/otp/\"]\n+++\n",
    );
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let html = f.read_output("cu/otp/index.html");
    assert!(html.contains("url=/an-toan/otp/") && html.contains("href=\"/an-toan/otp/\""), "{html}");
}

#[test]
fn serve_answers_pages_types_404_and_refuses_escape() {
    let f = Fixture::new();
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    f.write("secret.txt", "bí mật");
    let running = hocso::app::serve::start(&f.path().join("public"), "127.0.0.1", 0, "/", None)
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = running.addr;
    let get = |path: &str, method: &str| -> String {
        let mut s = std::net::TcpStream::connect(addr).unwrap_or_else(|e| panic!("{e}"));
        write!(s, "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    };
    let page = get("/an-toan/otp/", "GET");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("Content-Type: text/html; charset=utf-8"));
    assert!(page.contains("<h1>Giữ kín OTP</h1>"));
    let css_url = page.split("href=\"").find_map(|p| p.split('"').next().filter(|u| u.ends_with(".css")));
    let css = get(css_url.unwrap_or("/none.css"), "GET");
    assert!(css.contains("Content-Type: text/css"), "{css}");
    let missing = get("/khong-co/", "GET");
    assert!(missing.starts_with("HTTP/1.1 404") && missing.contains("Không tìm thấy trang"), "{missing}");
    for evil in ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/..\\secret.txt"] {
        let r = get(evil, "GET");
        assert!(!r.contains("bí mật"), "{evil} escaped: {r}");
    }
    assert!(get("/", "POST").starts_with("HTTP/1.1 405"));
    let head = get("/an-toan/otp/", "HEAD");
    assert!(head.starts_with("HTTP/1.1 200") && !head.contains("<h1>"));
    assert!(get("/an-toan", "GET").starts_with("HTTP/1.1 301"));
    running.stop();
}

#[test]
fn audio_recordings_are_published_with_a_native_player_and_checked() {
    let f = Fixture::new();
    f.write(
        "content/an-toan/nghe/index.md",
        "+++\ntitle = \"Nghe\"\nsummary = \"Có bản ghi âm.\"\naudio = \"doc-bai.mp3\"\n+++\nNội dung.\n",
    );
    f.write_bytes("content/an-toan/nghe/doc-bai.mp3", b"ID3 fake");
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let html = f.read_output("an-toan/nghe/index.html");
    assert!(
        html.contains("<audio controls preload=\"none\" src=\"/an-toan/nghe/doc-bai.mp3\"></audio>"),
        "{html}"
    );
    assert!(
        html.contains("href=\"#noi-dung-bai\"") && html.contains("id=\"noi-dung-bai\""),
        "transcript link"
    );
    assert!(f.path().join("public/an-toan/nghe/doc-bai.mp3").is_file());

    f.write(
        "content/an-toan/nghe/index.md",
        "+++\ntitle = \"Nghe\"\nsummary = \"S\"\naudio = \"khong-co.mp3\"\n+++\n",
    );
    let errors = f.build_errors();
    assert!(
        errors.iter().any(|e| e.contains("nghe/index.md: File named here not found: khong-co.mp3")),
        "{errors:#?}"
    );
}

#[test]
fn standalone_pages_are_built_and_linked_from_every_footer() {
    let f = Fixture::new();
    f.write(
        "content/tuyen-bo-tiep-can.md",
        "+++\ntitle = \"Tuyên bố về khả năng tiếp cận\"\nsummary = \"Trang dùng được cho mọi người.\"\n+++\n## Bạn có thể làm gì\n\nPhóng to chữ.\n",
    );
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let page = f.read_output("tuyen-bo-tiep-can/index.html");
    assert!(page.contains("<h1>Tuyên bố về khả năng tiếp cận</h1>"));
    for rel in ["index.html", "an-toan/index.html", "an-toan/otp/index.html", "404.html"] {
        let html = f.read_output(rel);
        assert!(html.contains("<a href=\"/tuyen-bo-tiep-can/\">Tuyên bố về khả năng tiếp cận</a>"), "{rel}");
    }
    assert!(f.read_output("sitemap.xml").contains("https://thu.example.vn/tuyen-bo-tiep-can/"));
}

#[test]
fn every_page_carries_the_reader_controls_hidden_until_javascript_runs() {
    let f = Fixture::new();
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let html = f.read_output("an-toan/otp/index.html");
    assert!(
        html.contains("<div class=\"reader-tools\" id=\"reader-tools\" hidden"),
        "toolbar hidden without JS"
    );
    assert!(html.contains("Chữ lớn hơn") && html.contains("Tương phản cao"));
    assert!(
        html.contains("<div class=\"listen\" id=\"listen\" hidden"),
        "read-aloud hidden until a voice is found"
    );
    // The saved choice is applied in <head>, before the stylesheet paints anything.
    let head = html.split("</head>").next().unwrap_or_default();
    let script = head.find("localStorage.getItem(\"hocso-size\")").unwrap_or(usize::MAX);
    let css = head.find("rel=\"stylesheet\"").unwrap_or(0);
    assert!(script < css, "inline size/theme script must come before the stylesheet");
}
