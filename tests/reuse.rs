//! A build reuses the files of the previous output that did not change (hard links, listed in
//! the output's manifest), and the result is exactly what a build from nothing writes.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use common::{Fixture, lesson, snapshot};
use hocso::pipeline::build::{BuildOptions, Report, build};
use hocso::pipeline::write::{MARKER, UPDATING};

/// A site with two topics, a few lessons, a static file and a bundle file (copies).
fn site() -> Fixture {
    let f = Fixture::new();
    f.write("content/an-toan/mat-khau.md", &lesson("Mật khẩu", "Đặt mật khẩu khó đoán.", "Dài và khó.\n"));
    f.write(
        "content/dien-thoai/_index.md",
        "+++\ntitle = \"Điện thoại\"\ndescription = \"Dùng điện thoại.\"\n+++\n",
    );
    f.write("content/dien-thoai/goi.md", &lesson("Gọi điện", "Bấm số rồi bấm gọi.", "Bấm nút xanh.\n"));
    f.write("content/dien-thoai/wifi/index.md", &lesson("Wi-Fi", "Bật Wi-Fi.", "[Mẫu](mau.txt)\n"));
    f.write("content/dien-thoai/wifi/mau.txt", "Tên mạng: Nhà (minh họa)\n");
    f.write("static/bieu-mau/don.txt", "Đơn mẫu (minh họa)\n");
    f
}

fn build_into(f: &Fixture, output: &Path) -> Report {
    let options = BuildOptions {
        root: f.path().to_path_buf(),
        output: output.to_path_buf(),
        drafts: false,
        progress: Default::default(),
    };
    build(&options).unwrap_or_else(|e| panic!("{e:?}"))
}

/// The reused `public/` is byte for byte, path for path, what a build into an empty folder writes.
fn assert_same_as_clean_build(f: &Fixture, what: &str) -> Report {
    let report = build_into(f, &f.path().join("public"));
    let clean = f.path().join("clean");
    let _ = std::fs::remove_dir_all(&clean);
    // From nothing: without the search index's cache of words either (the reused build read
    // the one the previous clean build left).
    let _ = std::fs::remove_dir_all(f.path().join(".hocso-cache"));
    build_into(f, &clean);
    let (reused, fresh) = (snapshot(&f.path().join("public")), snapshot(&clean));
    let names = |m: &BTreeMap<PathBuf, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    let only = |a: &BTreeMap<PathBuf, Vec<u8>>, b: &BTreeMap<PathBuf, Vec<u8>>| {
        a.keys().filter(|k| !b.contains_key(*k)).cloned().collect::<Vec<_>>()
    };
    assert_eq!(
        names(&reused),
        names(&fresh),
        "{what}: not the same files; only reused: {:?}, only clean: {:?}",
        only(&reused, &fresh),
        only(&fresh, &reused)
    );
    for (path, bytes) in &fresh {
        assert!(reused.get(path) == Some(bytes), "{what}: {} differs from a clean build", path.display());
    }
    report
}

fn inodes(dir: &Path) -> BTreeMap<PathBuf, u64> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| Some((e.path().strip_prefix(dir).ok()?.to_path_buf(), e.metadata().ok()?.ino())))
        .collect()
}

#[test]
fn an_unchanged_rebuild_links_every_file_and_an_edited_site_matches_a_clean_build() {
    let f = site();
    let out = f.path().join("public");
    let first = build_into(&f, &out);
    assert_eq!(first.files_reused, 0, "nothing to reuse the first time");
    let before = inodes(&out);
    let again = assert_same_as_clean_build(&f, "nothing changed");
    assert_eq!(again.files_reused, again.files, "every file is linked: {again:?}");
    let after = inodes(&out);
    let kept: Vec<_> = before.iter().filter(|(p, ino)| after.get(*p) == Some(ino)).collect();
    // All but the manifest, written anew by each build: the output is updated in place.
    assert_eq!(kept.len(), before.len() - 1, "same files on disk, not rewritten");
    assert_eq!(before.get(Path::new(MARKER)), after.get(Path::new(MARKER)), "the marker stays");
    assert!(out.join("bieu-mau/don.txt").is_file() && out.join("dien-thoai/wifi/mau.txt").is_file());
    assert_eq!(
        before.get(Path::new("bieu-mau/don.txt")),
        after.get(Path::new("bieu-mau/don.txt")),
        "copies too"
    );

    // One lesson edited: its pages and the lists holding it change, the rest is linked.
    f.write(
        "content/an-toan/otp.md",
        &lesson("Giữ kín OTP", "Không đưa mã OTP cho ai.", "## Bước 1\n\nKhông đọc mã OTP cho ai.\n"),
    );
    let edited = assert_same_as_clean_build(&f, "one lesson edited");
    assert!(edited.files_reused > 0 && edited.files_reused < edited.files, "{edited:?}");
    let now = inodes(&out);
    let page = Path::new("an-toan/otp/index.html");
    assert_ne!(after.get(page), now.get(page), "the edited lesson is written anew");
    let other = Path::new("dien-thoai/goi/index.html");
    assert_eq!(after.get(other), now.get(other), "an untouched lesson is linked");

    // What pages show of other pages: a title in the menu, lists and the next/previous links,
    // the site's name in every header, a glossary term linked from lessons.
    f.write(
        "content/an-toan/mat-khau.md",
        &lesson("Mật khẩu mạnh", "Đặt mật khẩu khó đoán.", "Dài và khó.\n"),
    );
    assert_same_as_clean_build(&f, "one lesson's title changed");
    assert!(f.read_output("an-toan/otp/index.html").contains("Mật khẩu mạnh"), "its neighbour shows it");
    let config = std::fs::read_to_string(f.path().join("site.toml")).unwrap_or_else(|e| panic!("{e}"));
    f.write("site.toml", &config.replacen("title = \"", "title = \"Cổng học số — ", 1));
    assert_same_as_clean_build(&f, "the site's title changed");
    assert!(f.read_output("dien-thoai/goi/index.html").contains("Cổng học số — "));
    f.write("content/thuat-ngu.toml", "[[term]]\nterm = \"OTP\"\ndefinition = \"Mã số dùng một lần.\"\n");
    assert_same_as_clean_build(&f, "a glossary term added");
    let otp = f.read_output("an-toan/otp/index.html");
    assert!(otp.contains("thuat-ngu/#"), "the lesson links the new term");
    // A file put into the output by hand goes, as it would with a clean build.
    f.write("public/tu-them.html", "<p>thêm tay</p>");
    f.write("public/an-toan/tu-them/index.html", "<p>thêm tay</p>");
    assert_same_as_clean_build(&f, "files added to the output by hand");
    assert!(!out.join("an-toan/tu-them").exists(), "its folder goes too");

    f.remove("content/an-toan/mat-khau.md");
    assert_same_as_clean_build(&f, "one lesson deleted");
    assert!(!out.join("an-toan/mat-khau/index.html").exists());

    let base = f.path().join("themes/default/templates/base.html");
    let text = std::fs::read_to_string(&base).unwrap_or_else(|e| panic!("{e}"));
    f.write("themes/default/templates/base.html", &text.replacen("<body", "<body data-x=\"1\"", 1));
    let template = assert_same_as_clean_build(&f, "a template changed");
    for page in ["index.html", "an-toan/index.html", "dien-thoai/goi/index.html"] {
        assert!(f.read_output(page).contains("data-x=\"1\""), "{page} has the new template");
    }
    assert!(
        template.files - template.files_reused >= template.pages,
        "every page written anew: {template:?}"
    );

    f.write("static/bieu-mau/don.txt", "Đơn mẫu mới (minh họa)\n");
    f.write("themes/default/static/css/hocso.css", "body{color:#000}\n");
    assert_same_as_clean_build(&f, "a static file and the theme's CSS changed");
    assert_eq!(f.read_output("bieu-mau/don.txt"), "Đơn mẫu mới (minh họa)\n");
}

#[test]
fn a_file_edited_by_hand_in_the_output_is_written_again() {
    let f = site();
    let out = f.path().join("public");
    build_into(&f, &out);
    let page = out.join("dien-thoai/goi/index.html");
    let good = std::fs::read(&page).unwrap_or_else(|e| panic!("{e}"));
    // Same size, one letter changed, written in place (same inode): only the time tells.
    let mut edited = good.clone();
    let at = edited.iter().position(|&b| b == b'<').unwrap_or(0);
    edited[at + 1] = b'X';
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::OpenOptions::new()
        .write(true)
        .open(&page)
        .and_then(|mut file| std::io::Write::write_all(&mut file, &edited))
        .unwrap_or_else(|e| panic!("{e}"));
    // Another one replaced by a copy with the same bytes: a new inode, not the file written.
    let other = out.join("an-toan/otp/index.html");
    let bytes = std::fs::read(&other).unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_file(&other).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&other, &bytes).unwrap_or_else(|e| panic!("{e}"));
    // And the manifest itself damaged halfway through a line.
    let manifest = out.join(hocso::pipeline::manifest::MANIFEST);
    let text = std::fs::read_to_string(&manifest).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&manifest, &text[..text.len() * 2 / 3]).unwrap_or_else(|e| panic!("{e}"));
    let report = assert_same_as_clean_build(&f, "files edited by hand");
    assert_eq!(std::fs::read(&page).unwrap_or_default(), good, "the hand edit was trusted");
    assert!(report.files_reused > 0 && report.files_reused < report.files - 1, "{report:?}");
}

#[test]
fn a_failed_build_after_a_good_one_leaves_the_output_as_it_was() {
    let f = site();
    let out = f.path().join("public");
    build_into(&f, &out);
    let (before, ids) = (snapshot(&out), inodes(&out));
    f.write("content/an-toan/otp.md", "+++\ntitle = \"OTP\nsummary = 1\n+++\nHỏng.\n");
    assert!(!f.build_errors().is_empty());
    assert_eq!(snapshot(&out), before, "the old site is intact");
    assert_eq!(inodes(&out), ids, "not a file of it was touched");
    let beside: Vec<String> = std::fs::read_dir(f.path())
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    assert!(beside.iter().all(|n| !n.starts_with(".hocso-build")), "{beside:?}");
}

#[test]
fn an_update_cut_short_is_followed_by_a_whole_new_site() {
    let f = site();
    let out = f.path().join("public");
    build_into(&f, &out);
    let folder = std::fs::metadata(&out).map(|m| m.ino()).unwrap_or_default();
    build_into(&f, &out);
    assert_eq!(std::fs::metadata(&out).map(|m| m.ino()).unwrap_or_default(), folder, "updated in place");
    // As if the last build was killed while moving files in: its note is still there.
    f.write("public/.hocso-updating", "hocso\n");
    f.write("content/an-toan/mat-khau.md", &lesson("Mật khẩu", "Đặt mật khẩu khó đoán.", "Dài hơn.\n"));
    assert_same_as_clean_build(&f, "after an update cut short");
    assert!(!out.join(UPDATING).exists(), "the note goes with the old site");
    assert_ne!(
        std::fs::metadata(&out).map(|m| m.ino()).unwrap_or_default(),
        folder,
        "the whole site was swapped in, not updated"
    );
}

#[test]
fn the_search_index_reads_unchanged_lessons_words_from_its_cache() {
    let f = site();
    build_into(&f, &f.path().join("public"));
    let cache = f.path().join(".hocso-cache/search/tim-kiem_du-lieu.words");
    let text = std::fs::read_to_string(&cache).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.lines().count() >= 5, "a line per lesson: {text}");
    // A word planted in every cached lesson shows up in the index after another lesson is
    // edited: the unchanged lessons' words came from the cache, not from their text.
    let planted: String = text
        .lines()
        .map(|l| {
            // A lesson's line: its key (32 hex digits), a space, its words.
            if l.split_once(' ').is_some_and(|(key, _)| key.len() == 32) {
                format!("{l} 1zzcachezz\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(&cache, planted).unwrap_or_else(|e| panic!("{e}"));
    f.write("content/an-toan/moi.md", &lesson("Bài mới", "Một bài mới.", "Chữ mới.\n"));
    build_into(&f, &f.path().join("public"));
    let shard = f.path().join("public/tim-kiem/du-lieu/s");
    let found = std::fs::read_dir(&shard)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .any(|e| std::fs::read_to_string(e.path()).unwrap_or_default().contains("zzcachezz"));
    assert!(found, "the cached words were not used");
}
