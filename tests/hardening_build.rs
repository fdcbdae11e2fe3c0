//! Hardening of reading, writing and scaffolding (issue 14): sources that are not files or are
//! absurdly large, builds killed mid-way, and `hocso new` given awkward input.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Fixture, hocso, stderr};
use hocso::pipeline::write::{self, MARKER, OLD_PREFIX, STAGING_PREFIX};

/// Runs `hocso build -q` in `dir`, killed after `limit` (a hang is a failure, not a stuck test).
fn build_within(dir: &Path, limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hocso"))
        .args(["build", "-q"])
        .current_dir(dir)
        .env_remove("HOCSO_LANG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run hocso: {e}"));
    let start = Instant::now();
    while child.try_wait().unwrap_or_else(|e| panic!("{e}")).is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("hocso build still running after {limit:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    let status = Command::new("mkfifo").arg(path).status().unwrap_or_else(|e| panic!("mkfifo: {e}"));
    assert!(status.success(), "mkfifo {}", path.display());
}

// ---- 2. Only regular files are read; a huge source is refused by name ----

#[cfg(unix)]
#[test]
fn a_named_pipe_as_glossary_site_toml_or_lesson_is_an_error_naming_it_not_a_hang() {
    for rel in ["content/thuat-ngu.toml", "site.toml", "content/an-toan/ong.md"] {
        let f = Fixture::new();
        mkfifo(&f.path().join(rel));
        let o = build_within(f.path(), Duration::from_secs(60));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{rel}: {err}");
        assert!(err.contains(&format!("lỗi: {rel}: ")), "{rel}: {err}");
        assert!(err.contains("không phải một tệp bình thường"), "{rel}: {err}");
    }
}

#[test]
fn a_source_of_megabytes_is_refused_with_its_size() {
    let f = Fixture::new();
    let limit = usize::try_from(hocso::core::files::MAX_SOURCE_BYTES).unwrap_or(usize::MAX);
    let body = "<".repeat(limit + 1);
    f.write("content/an-toan/dan-nham.md", &common::lesson("Dán nhầm", "S", &body));
    let o = build_within(f.path(), Duration::from_secs(60));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("lỗi: content/an-toan/dan-nham.md: Tệp quá lớn: 1,0 MB (tối đa 1,0 MB)"), "{err}");
    // A glossary is held to the same limit.
    let f = Fixture::new();
    f.write("content/thuat-ngu.toml", &format!("# {}\n", "x".repeat(limit)));
    let errors = f.build_errors().join("\n");
    assert!(errors.contains("content/thuat-ngu.toml: File too large"), "{errors}");
}

// ---- 5. Killed builds: leftovers removed, the output always present ----

/// Folders beside `public` whose name starts with `prefix`.
fn beside(f: &Fixture, prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(f.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// A folder as a killed build leaves it: some pages, and the marker when `marked`.
fn leftover(f: &Fixture, name: &str, marked: bool) -> PathBuf {
    let dir = f.path().join(name);
    std::fs::create_dir_all(dir.join("an-toan/otp")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("an-toan/otp/index.html"), "<p>nửa chừng</p>").unwrap_or_else(|e| panic!("{e}"));
    if marked {
        std::fs::write(dir.join(MARKER), "hocso\n").unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

#[test]
fn staging_folders_left_by_killed_builds_are_removed_only_when_marked() {
    let f = Fixture::new();
    let killed: Vec<PathBuf> =
        (0..3).map(|i| leftover(&f, &format!("{STAGING_PREFIX}killed{i}"), true)).collect();
    let foreign = leftover(&f, &format!("{STAGING_PREFIX}not-ours"), false);
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    for dir in &killed {
        assert!(!dir.exists(), "{} left behind", dir.display());
    }
    assert!(foreign.join("an-toan/otp/index.html").is_file(), "a folder without the marker is kept");
    assert_eq!(beside(&f, STAGING_PREFIX), vec![foreign], "this build leaves no staging folder");
    assert!(f.path().join("public").join(MARKER).is_file());
}

#[test]
fn the_staging_folder_of_a_running_build_is_left_alone() {
    let f = Fixture::new();
    let output = f.path().join("public");
    let running = write::Staging::new(f.path(), &output, "").unwrap_or_else(|d| panic!("{d:?}"));
    let live = beside(&f, STAGING_PREFIX);
    assert_eq!(live.len(), 1);
    assert!(live[0].join(MARKER).is_file(), "the marker is there from the start");
    // Another build runs to the end meanwhile.
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(live[0].join(MARKER).is_file(), "a live build's folder was removed");
    // The first build fails (dropped unpublished): its folder goes, the output stays.
    drop(running);
    assert!(beside(&f, STAGING_PREFIX).is_empty());
    assert!(output.join("index.html").is_file());
}

#[test]
fn an_interrupted_swap_is_recovered_even_when_the_next_build_fails() {
    let f = Fixture::new();
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let output = f.path().join("public");
    let before = common::snapshot(&output);
    // Killed between the two renames of the old swap: the site is aside, no output.
    let aside = f.path().join(format!("{OLD_PREFIX}4242"));
    std::fs::rename(&output, &aside).unwrap_or_else(|e| panic!("{e}"));
    leftover(&f, &format!("{STAGING_PREFIX}half"), true);
    // The next build fails on content, yet the old site is back in place.
    f.write("content/an-toan/hong.md", "+++\ntitle = \"A\"\n");
    assert!(!f.build_errors().is_empty());
    assert_eq!(common::snapshot(&output), before, "the set-aside site is restored as it was");
    assert!(beside(&f, OLD_PREFIX).is_empty() && beside(&f, STAGING_PREFIX).is_empty());
    // A set-aside site beside an existing output is a leftover; a good build replaces cleanly.
    std::fs::remove_file(f.path().join("content/an-toan/hong.md")).unwrap_or_else(|e| panic!("{e}"));
    leftover(&f, &format!("{OLD_PREFIX}4243"), true);
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(beside(&f, OLD_PREFIX).is_empty(), "{:?}", beside(&f, OLD_PREFIX));
    assert_eq!(common::snapshot(&output), before);
}

#[test]
fn the_output_is_present_at_every_instant_of_repeated_swaps() {
    let f = Fixture::new();
    let output = f.path().join("public");
    let files = [hocso::core::output::OutFile { path: "index.html".into(), bytes: b"<p>1</p>".to_vec() }];
    write::write_atomically(f.path(), &output, &files, &[]).unwrap_or_else(|d| panic!("{d:?}"));
    let done = std::sync::atomic::AtomicBool::new(false);
    let missing = std::thread::scope(|s| {
        let watcher = s.spawn(|| {
            let mut missing = 0usize;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                if !output.join("index.html").is_file() {
                    missing += 1;
                }
            }
            missing
        });
        for _ in 0..300 {
            write::write_atomically(f.path(), &output, &files, &[]).unwrap_or_else(|d| panic!("{d:?}"));
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        watcher.join().unwrap_or(usize::MAX)
    });
    assert_eq!(missing, 0, "the output was missing {missing} times during swaps");
    assert!(beside(&f, STAGING_PREFIX).is_empty() && beside(&f, OLD_PREFIX).is_empty());
}

// ---- 6. `hocso new` with awkward input ----

#[test]
fn new_with_a_title_holding_a_line_break_and_quotes_writes_a_draft_that_builds() {
    let f = Fixture::new();
    let title = "Tin nhắn \"giả\"\nngân hàng \\ ngay";
    let o = hocso(f.path(), &["new", "an-toan/tin-gia", "--title", title]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = hocso(f.path(), &["build", "--drafts", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = f.read_output("an-toan/tin-gia/index.html");
    assert!(page.contains("<h1>Tin nhắn &quot;giả&quot; ngân hàng \\ ngay</h1>"), "{page}");
}

#[test]
fn new_outside_a_site_creates_nothing_and_names_the_folder() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let not_a_site = dir.path().join("nham-cho");
    std::fs::create_dir_all(&not_a_site).unwrap_or_else(|e| panic!("{e}"));
    let o = hocso(dir.path(), &["new", "an-toan/bai", "--new-topic", "--root", "nham-cho"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("nham-cho") && err.contains("không có site.toml"), "{err}");
    assert!(!not_a_site.join("content").exists(), "content/ was created outside a site");
}

#[test]
fn new_with_a_very_long_name_is_refused_in_plain_words() {
    let f = Fixture::new();
    let long = "a".repeat(500);
    let o = hocso(f.path(), &["new", &format!("an-toan/{long}")]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("quá dài (500 ký tự, tối đa 80)"), "{err}");
    let title = "Rất dài ".repeat(60);
    let o = hocso(f.path(), &["--lang", "en", "new", "an-toan", "--title", &title]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is too long"), "{}", stderr(&o));
    let o = hocso(f.path(), &["new", &format!("{long}/bai"), "--new-topic"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!f.path().join("content").join(&long).exists());
    // 80 characters is still fine.
    let o = hocso(f.path(), &["new", &format!("an-toan/{}", "b".repeat(80))]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
