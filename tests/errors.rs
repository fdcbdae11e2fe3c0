//! Bad input: every problem is reported with file and line, all at once, and the previous
//! output stays exactly as it was.

mod common;

use common::{Fixture, lesson, snapshot};

fn has(errors: &[String], needle: &str) -> bool {
    errors.iter().any(|e| e.contains(needle))
}

#[test]
fn bad_toml_names_file_and_line() {
    let f = Fixture::new();
    f.write("content/an-toan/hong.md", "+++\ntitle = \"A\"\nsummary = chưa có ngoặc\n+++\nNội dung\n");
    let errors = f.build_errors();
    assert!(has(&errors, "error: content/an-toan/hong.md:3:"), "{errors:#?}");
}

#[test]
fn unknown_front_matter_key_lists_the_known_keys() {
    let f = Fixture::new();
    f.write("content/an-toan/typo.md", "+++\ntitle = \"A\"\nsumary = \"B\"\n+++\n");
    let errors = f.build_errors();
    let e = errors.iter().find(|e| e.contains("typo.md:3")).unwrap_or_else(|| panic!("{errors:#?}"));
    assert!(e.contains("Unknown key `sumary`. Did you mean `summary`?"), "{e}");
    assert!(
        e.contains("title, summary, updated, level, duration, tags, weight, draft, leaflet, aliases"),
        "{e}"
    );
}

#[test]
fn unknown_site_toml_key_is_an_error_with_known_keys() {
    let f = Fixture::new();
    f.write("site.toml", &format!("{}titel = \"x\"\n", common::SITE_TOML));
    let errors = f.build_errors();
    assert!(has(&errors, "site.toml:3:1: Unknown key `titel`"), "{errors:#?}");
    assert!(has(&errors, "base_url"), "{errors:#?}");
}

#[test]
fn missing_required_keys_are_named() {
    let f = Fixture::new();
    f.write("content/an-toan/thieu.md", "+++\ntitle = \"Chỉ có tiêu đề\"\n+++\n");
    let errors = f.build_errors();
    assert!(has(&errors, "thieu.md:2:1: Missing required key `summary`"), "{errors:#?}");
}

#[test]
fn broken_link_and_anchor_name_file_and_line() {
    let f = Fixture::new();
    f.write(
        "content/an-toan/lien-ket.md",
        &lesson(
            "Liên kết",
            "Có liên kết hỏng.",
            "Dòng một.\n\nXem [bài này](../khong-co/bai.md).\n\nVà [đây](otp.md#khong-co-muc).\n\nCòn [bài kia](opt.md).\n",
        ),
    );
    let errors = f.build_errors();
    assert!(
        has(&errors, "lien-ket.md:7:5: Link to a page that does not exist: ../khong-co/bai.md"),
        "{errors:#?}"
    );
    assert!(
        has(
            &errors,
            "lien-ket.md:9:4: The page otp.md#khong-co-muc has no heading #khong-co-muc. Its headings are: #buoc-1."
        ),
        "{errors:#?}"
    );
    // A link one slip away from a real file says which file was meant.
    let typo =
        errors.iter().find(|e| e.contains("lien-ket.md:11:5:")).unwrap_or_else(|| panic!("{errors:#?}"));
    assert!(typo.contains("opt.md") && typo.contains("Did you mean otp.md?"), "{typo}");
}

#[test]
fn all_problems_are_reported_in_one_run() {
    let f = Fixture::new();
    f.write("content/an-toan/a.md", "+++\ntitle = \"A\"\n+++\n");
    f.write("content/an-toan/b.md", "không có phần đầu\n");
    f.write("content/an-toan/c.md", "+++\ntitle = \"C\"\nsummary = \"C\"\n");
    f.write("content/an-toan/d.md", "");
    f.write("content/an-toan/e.md", &lesson("E", "E", "# Tiêu đề cấp một\n\n### Nhảy cấp\n"));
    f.write("content/an-toan/f.md", &lesson("F", "F", "![](khong-co.png)\n"));
    let errors = f.build_errors();
    for needle in [
        "a.md:2:1: Missing required key `summary`",
        "b.md:1:1: The file does not start with front matter",
        "c.md:1:1: The front matter opens with +++ but never closes",
        "d.md: The file is empty",
        "e.md:5:1: A level-1 heading (#)",
        "e.md:7:1: Heading jumps from level 1 to level 3",
        "f.md:5:1: Image not found: khong-co.png",
    ] {
        assert!(has(&errors, needle), "missing {needle:?} in {errors:#?}");
    }
    // Every problem also says how to fix it.
    assert!(errors.iter().all(|e| e.contains("How to fix:")), "{errors:#?}");
}

#[test]
fn failed_build_leaves_previous_output_byte_for_byte() {
    let f = Fixture::new();
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let before = snapshot(&f.path().join("public"));
    assert!(before.len() > 5);
    f.write("content/an-toan/hong.md", "+++\ntitle = \n+++\n");
    f.build_errors();
    assert_eq!(snapshot(&f.path().join("public")), before);
    assert_no_leftovers(&f);
}

/// A failed build leaves no temporary folders behind (staging or set-aside output).
fn assert_no_leftovers(f: &Fixture) {
    let leftovers: Vec<_> = std::fs::read_dir(f.path())
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    // `.hocso-cache` holds caches kept on purpose (the search index's words, images); only a
    // file being written there would be left over.
    let temporary = |n: &String| n.starts_with(".hocso") && n != ".hocso-cache";
    assert!(!leftovers.iter().any(temporary), "{leftovers:?}");
    let partial = walkdir::WalkDir::new(f.path().join(".hocso-cache"))
        .into_iter()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().contains("partial"));
    assert!(!partial, "a cache file left half-written");
}

#[test]
fn a_template_error_fails_the_build_and_keeps_old_output() {
    let f = Fixture::new();
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let before = snapshot(&f.path().join("public"));
    f.write(
        "templates/lesson.html",
        "{% extends \"base.html\" %}{% block main %}{{ khong_co_bien }}{% endblock main %}",
    );
    let errors = f.build_errors();
    assert!(has(&errors, "templates/lesson.html: Template error:"), "{errors:#?}");
    assert!(has(&errors, "khong_co_bien"), "{errors:#?}");
    assert_eq!(snapshot(&f.path().join("public")), before);
    // Pages are written into a staging folder while they render; it goes when the build fails.
    assert_no_leftovers(&f);
}

#[test]
fn invalid_utf8_and_nfd_files_do_not_crash() {
    let f = Fixture::new();
    f.write_bytes("content/an-toan/latin1.md", b"+++\ntitle = \"Ch\xe0o\"\nsummary = \"x\"\n+++\n");
    let errors = f.build_errors();
    assert!(has(&errors, "latin1.md:2:12: The file is not UTF-8"), "{errors:#?}");

    let f = Fixture::new();
    // "Lừa đảo" written in NFD, as macOS saves it.
    let nfd = "+++\ntitle = \"Lu\u{300}\u{31b}a \u{111}a\u{309}o\"\nsummary = \"Tho\u{302}\u{301}ng\"\n+++\n## Bu\u{31b}o\u{31b}\u{301}c mo\u{323}\u{302}t\n";
    f.write("content/an-toan/lua-dao.md", nfd);
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let html = f.read_output("an-toan/lua-dao/index.html");
    assert!(html.contains("<h1>Lừa đảo</h1>"), "title not NFC");
    assert!(html.contains("<h2 id=\"buoc-mot\">Bước một</h2>"), "heading not NFC");

    // Saved by Notepad: a byte order mark before the front matter.
    let f = Fixture::new();
    f.write("content/an-toan/bom.md", &format!("\u{feff}{}", lesson("Có dấu BOM", "Tóm tắt.", "Làm.\n")));
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(f.read_output("an-toan/bom/index.html").contains("<h1>Có dấu BOM</h1>"));
}

#[test]
fn duplicate_slugs_and_topics_without_index_are_errors() {
    let f = Fixture::new();
    f.write("content/an-toan/Giữ kín OTP.md", &lesson("B", "B", ""));
    f.write("content/an-toan/giu-kin-otp.md", &lesson("C", "C", ""));
    f.write("content/mo-coi/bai.md", &lesson("D", "D", ""));
    let errors = f.build_errors();
    assert!(has(&errors, "The address /an-toan/giu-kin-otp/ is also produced by"), "{errors:#?}");
    assert!(has(&errors, "content/mo-coi/_index.md: This topic folder has no _index.md"), "{errors:#?}");
}

#[test]
fn output_folder_not_made_by_hocso_is_never_replaced() {
    let f = Fixture::new();
    f.write("public/thu-cua-toi.txt", "đừng xóa");
    let errors = f.build_errors();
    assert!(has(&errors, "was not made by hocso"), "{errors:#?}");
    assert_eq!(
        std::fs::read_to_string(f.path().join("public/thu-cua-toi.txt")).unwrap_or_default(),
        "đừng xóa"
    );

    let out = hocso::pipeline::build::BuildOptions {
        root: f.path().to_path_buf(),
        output: f.path().join("content"),
        drafts: false,
        progress: Default::default(),
    };
    let errors = hocso::pipeline::build::build(&out).err().unwrap_or_default();
    assert!(
        errors.iter().any(|d| matches!(d.problem, hocso::core::diagnostic::Problem::OutputUnsafe(_))),
        "{errors:?}"
    );
    let out = hocso::pipeline::build::BuildOptions {
        root: f.path().to_path_buf(),
        output: f.path().to_path_buf(),
        drafts: false,
        progress: Default::default(),
    };
    assert!(hocso::pipeline::build::build(&out).is_err(), "the site folder itself is refused");
    assert!(f.path().join("content/an-toan/otp.md").is_file());
}

#[test]
fn invalid_level_and_date_are_explained() {
    let f = Fixture::new();
    f.write(
        "content/an-toan/muc.md",
        "+++\ntitle = \"A\"\nsummary = \"B\"\nlevel = \"de\"\nupdated = 2026-11-25T10:00:00\n+++\n",
    );
    let errors = f.build_errors();
    assert!(has(&errors, "muc.md:4:1: Invalid level `de`"), "{errors:#?}");
    assert!(has(&errors, "muc.md:5:1: Invalid value: updated"), "{errors:#?}");
}

#[test]
fn missing_site_toml_and_theme_are_reported() {
    let f = Fixture::new();
    f.remove("site.toml");
    let errors = f.build_errors();
    assert!(has(&errors, "site.toml: This file does not exist"), "{errors:#?}");
    let f = Fixture::new();
    f.write("site.toml", &format!("{}theme = \"khong-co\"\n", common::SITE_TOML));
    let errors = f.build_errors();
    assert!(has(&errors, "Theme not found: themes/khong-co"), "{errors:#?}");
}
