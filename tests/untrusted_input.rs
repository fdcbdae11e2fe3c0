//! Untrusted input (issue 14, items 3 and 4): paths a user writes (aliases, images, static
//! files, audio, the theme) stay inside the folder they belong to, names and a `base_url` that
//! would break the page are refused, and an SVG is published without its tricks.
//! Each test is the minimal input of a finding; on the code before the fix it wrote or read
//! outside the site, or published markup it should not have.

mod common;

use std::path::{Path, PathBuf};

use common::{Fixture, lesson, png};

fn has(errors: &[String], needle: &str) -> bool {
    errors.iter().any(|e| e.contains(needle))
}

/// Every file below `dir`, relative to it.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| e.path().strip_prefix(dir).ok().map(Path::to_path_buf))
        .collect();
    out.sort();
    out
}

/// A lesson whose front matter lists `aliases` (TOML array items as written).
fn with_aliases(f: &Fixture, aliases: &str) {
    f.write(
        "content/an-toan/otp.md",
        &format!("+++\ntitle = \"OTP\"\nsummary = \"S\"\naliases = [{aliases}]\n+++\nNội dung.\n"),
    );
}

/// `aliases = ["../../x"]` wrote `<staging>/../../x/index.html`, outside the output folder.
#[test]
fn an_alias_with_dot_dot_is_refused_and_nothing_is_written_outside() {
    let f = Fixture::new();
    with_aliases(&f, "\"../../x\"");
    // Output two folders down, so `../../x` from the staging folder lands inside the fixture.
    let output = f.path().join("a/b/public");
    let result = hocso::pipeline::build::build(&hocso::pipeline::build::BuildOptions {
        root: f.path().to_path_buf(),
        output: output.clone(),
        drafts: false,
        progress: Default::default(),
    });
    assert!(!f.path().join("a/x/index.html").exists(), "the redirect was written outside the output");
    let errors: Vec<String> = match result {
        Ok(_) => panic!("build should have failed"),
        Err(problems) => problems.iter().map(|d| d.render(hocso::core::lang::Lang::En)).collect(),
    };
    assert!(
        has(
            &errors,
            "error: content/an-toan/otp.md:4: `../../x` uses `..` to go outside the folder --output/."
        ),
        "{errors:#?}"
    );
    assert!(has(&errors, "without `..`"), "{errors:#?}");
    assert!(!output.exists());
}

/// `%2e%2e` is `..` too.
#[test]
fn a_percent_encoded_alias_escape_is_refused() {
    let f = Fixture::new();
    with_aliases(&f, "\"%2e%2e/%2E%2E/x\"");
    let errors = f.build_errors();
    assert!(has(&errors, "otp.md:4: `%2e%2e/%2E%2E/x` uses `..`"), "{errors:#?}");
}

/// `aliases = ["/"]` replaced the home page with a redirect; hocso's own pages likewise.
#[test]
fn an_alias_on_the_home_page_or_a_page_of_hocso_is_refused() {
    let f = Fixture::new();
    with_aliases(&f, "\"/\", \"/tim-kiem/\", \"/thuat-ngu\", \"/to-roi/an-toan/\", \"/an-toan/otp/to-roi/\"");
    let errors = f.build_errors();
    for alias in ["`/`", "`/tim-kiem/`", "`/thuat-ngu`", "`/to-roi/an-toan/`", "`/an-toan/otp/to-roi/`"] {
        assert!(
            has(
                &errors,
                &format!(
                    "error: content/an-toan/otp.md:4: The alias {alias} is the address of the home page"
                )
            ),
            "{alias}: {errors:#?}"
        );
    }
}

/// An alias written another way than the page it would replace (`./`, capitals) is still
/// that page.
#[test]
fn an_alias_on_a_topic_or_lesson_is_refused_however_written() {
    let f = Fixture::new();
    f.write("content/an-toan/mat-khau.md", &lesson("Mật khẩu", "S", "Nội dung.\n"));
    with_aliases(&f, "\"/An-Toan/\", \"./an-toan/./mat-khau\"");
    let errors = f.build_errors();
    assert!(has(&errors, "/an-toan/"), "{errors:#?}");
    assert_eq!(errors.iter().filter(|e| e.contains("otp.md")).count(), 2, "{errors:#?}");
    // A plain old address still works.
    with_aliases(&f, "\"/cu/otp/\"");
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(f.read_output("cu/otp/index.html").contains("/an-toan/otp/"));
}

/// `![a](/../outside/secret.png)` (and `%2e%2e`) read a PNG outside `static/` and wrote its
/// resized copies outside the output.
#[test]
fn an_image_outside_static_is_neither_read_nor_written() {
    let f = Fixture::new();
    f.write_bytes("outside/secret.png", &png(600, 400));
    f.write("static/logo.txt", "x");
    f.write(
        "content/an-toan/anh.md",
        &lesson(
            "Ảnh",
            "S",
            "Một.\n\n![Bí mật](/../outside/secret.png)\n\n![Bí mật](/%2e%2e/outside/secret.png)\n",
        ),
    );
    let result = f.build();
    assert_eq!(
        files(&f.path().join("outside")),
        vec![PathBuf::from("secret.png")],
        "resized copies written outside"
    );
    let errors: Vec<String> = match result {
        Ok(_) => panic!("build should have failed"),
        Err(problems) => problems.iter().map(|d| d.render(hocso::core::lang::Lang::En)).collect(),
    };
    assert!(has(&errors, "content/an-toan/anh.md:7:1:"), "{errors:#?}");
    assert!(has(&errors, "content/an-toan/anh.md:9:1:"), "{errors:#?}");
    assert!(!f.path().join("public").exists());
}

/// A symbolic link inside `static/` that leads out of it is not followed.
#[cfg(unix)]
#[test]
fn an_image_through_a_symlink_out_of_static_is_refused() {
    let f = Fixture::new();
    f.write_bytes("outside/secret.png", &png(600, 400));
    std::fs::create_dir_all(f.path().join("static")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(f.path().join("outside"), f.path().join("static/lien-ket"))
        .unwrap_or_else(|e| panic!("{e}"));
    f.write("content/an-toan/anh.md", &lesson("Ảnh", "S", "![Bí mật](/lien-ket/secret.png)\n"));
    let errors = f.build_errors();
    assert!(has(&errors, "content/an-toan/anh.md:5:1:"), "{errors:#?}");
    // Front matter names the reason itself.
    f.write(
        "content/an-toan/anh.md",
        "+++\ntitle = \"Ảnh\"\nsummary = \"S\"\naudio = \"/lien-ket/secret.png\"\n+++\nMột.\n",
    );
    let errors = f.build_errors();
    assert!(has(&errors, "`/lien-ket/secret.png` goes through a shortcut (symlink)"), "{errors:#?}");
}

/// A static folder named `x" onerror="alert(1)` reached `<img src="…">` as it was.
#[test]
fn a_file_name_that_would_break_the_markup_is_refused() {
    let f = Fixture::new();
    f.write_bytes("static/x\" onerror=\"alert(1)/a.png", &png(300, 200));
    f.write("content/an-toan/anh.md", &lesson("Ảnh", "S", "![Ảnh](</x\" onerror=\"alert(1)/a.png>)\n"));
    let errors = f.build_errors();
    assert!(has(&errors, "content/an-toan/anh.md:5:1:"), "{errors:#?}");
    f.write(
        "content/an-toan/anh.md",
        "+++\ntitle = \"Ảnh\"\nsummary = \"S\"\naudio = \"/x\\\" onerror=\\\"alert(1)/a.png\"\n+++\nMột.\n",
    );
    let errors = f.build_errors();
    assert!(
        has(&errors, "has a character that cannot be used in a web address, in the folder static/ (\")."),
        "{errors:#?}"
    );
    assert!(has(&errors, "Rename the file or folder"), "{errors:#?}");
}

/// `theme = "../../../t"` loaded a theme from outside the site.
#[test]
fn a_theme_outside_themes_is_refused() {
    let f = Fixture::new();
    f.write("site.toml", &format!("{}theme = \"../outside-theme\"\n", common::SITE_TOML));
    common::copy_dir(&common::repo().join("themes/default"), &f.path().join("outside-theme"));
    let errors = f.build_errors();
    assert!(
        has(&errors, "error: site.toml:3:1: `../outside-theme` uses `..` to go outside the folder themes/."),
        "{errors:#?}"
    );
}

/// `base_url = "https://x.vn/a\"><script>…"` reached glossary links as it was.
#[test]
fn a_base_url_that_would_break_the_markup_is_refused() {
    let f = Fixture::new();
    f.write("site.toml", "title = \"Thử\"\nbase_url = \"https://x.vn/a\\\"><script>alert(1)</script>\"\n");
    let errors = f.build_errors();
    assert!(has(&errors, "error: site.toml:2:1: base_url must be a full web address"), "{errors:#?}");
    assert!(has(&errors, "base_url = \"https://hocso.xa.gov.vn/\""), "{errors:#?}");
}

/// An SVG with `&#106;avascript:`, a `data:` link and `<set attributeName="onmouseover">` was
/// published as it was; the sample SVG must come out with every element it had.
#[test]
fn a_hostile_svg_is_published_without_its_tricks() {
    let f = Fixture::new();
    f.write(
        "content/an-toan/anh/hinh.svg",
        r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 50">
<a href="&#106;avascript:alert(1)"><rect width="10" height="10"/></a>
<a xlink:href="data:text/html,&lt;script&gt;alert(2)&lt;/script&gt;"><circle r="5"/></a>
<rect x="20" width="10" height="10"><set attributeName="onmouseover" to="alert(3)"/></rect>
</svg>"##,
    );
    let sample =
        std::fs::read(common::repo().join("content/thanh-toan/thanh-toan-bang-ma-qr/nut-quet-qr.svg"))
            .unwrap_or_else(|e| panic!("{e}"));
    f.write_bytes("content/an-toan/anh/nut.svg", &sample);
    f.write(
        "content/an-toan/anh/index.md",
        &lesson("Ảnh", "S", "![Hình vẽ](hinh.svg)\n\n![Nút quét QR](nut.svg)\n"),
    );
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let svg = f.read_output("an-toan/anh/hinh-svg.svg");
    for bad in ["javascript", "data:", "alert", "<set", "onmouseover", "href"] {
        assert!(!svg.contains(bad), "{bad} survived: {svg}");
    }
    assert!(svg.contains("<rect width=\"10\" height=\"10\"/>") && svg.contains("<circle r=\"5\"/>"), "{svg}");
    let nut = f.read_output("an-toan/anh/nut-svg.svg");
    for kept in ["<text", "<rect", "<circle", "<line", "<path", "Bấm vào đây", "viewBox=\"0 0 360 640\""]
    {
        assert!(nut.contains(kept), "{kept} lost: {nut}");
    }
    let html = f.read_output("an-toan/anh/index.html");
    assert!(
        html.contains("src=\"/an-toan/anh/nut-svg.svg\" alt=\"Nút quét QR\" width=\"360\" height=\"640\""),
        "{html}"
    );
}
