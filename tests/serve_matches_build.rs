//! What `hocso serve` leaves in `public/` after each kind of edit is exactly what a full
//! `hocso build` of the same sources writes: an incremental rebuild may skip work, never change
//! the result.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{Fixture, get, hocso, lesson, serve, snapshot};

/// Waits until the preview server has published generation `next` (a reload signal).
fn wait_generation(port: u16, since: u64) {
    let response = get(port, &format!("/__hocso/wait?since={since}&error=0"));
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("");
    let state: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {response}"));
    assert!(state["error"].is_null(), "the edit failed to build: {state}");
    assert_eq!(state["generation"], since + 1, "{state}");
}

/// Names of the files that differ between two trees (missing on one side counts).
fn differences(a: &Path, b: &Path) -> Vec<String> {
    let (a, b) = (snapshot(a), snapshot(b));
    let mut names: Vec<String> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .chain(b.iter().filter(|(k, _)| !a.contains_key(*k)))
        .map(|(k, _)| k.display().to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Builds the fixture from scratch into `fresh/` and compares it with the served `public/`.
/// The search index of an incremental rebuild is refreshed just after the reload signal, so the
/// comparison is retried for a few seconds before it counts as a failure.
fn assert_same_as_full_build(f: &Fixture, what: &str) {
    let fresh = f.path().join("fresh");
    let _ = std::fs::remove_dir_all(&fresh);
    let out = hocso(f.path(), &["build", "--output", "fresh"]);
    assert!(out.status.success(), "{what}: full build failed: {}", common::stderr(&out));
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let diff = differences(&f.path().join("public"), &fresh);
        if diff.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: served output differs from a full build in {diff:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn every_kind_of_edit_leaves_the_output_a_full_build_would_write() {
    let f = Fixture::new();
    f.write(
        "content/an-toan/lua-dao.md",
        &lesson("Cuộc gọi lừa đảo", "Nhận biết cuộc gọi giả.", "## Dấu hiệu\n\nHọ đòi mã OTP.\n"),
    );
    f.write("content/thuat-ngu.toml", "[[term]]\nterm = \"OTP\"\ndefinition = \"Mã dùng một lần.\"\n");
    let server = serve(&f);
    let port = server.1;
    assert_same_as_full_build(&f, "first build");
    let mut generation = 0;
    let mut edit = |what: &str, change: &dyn Fn(&Fixture)| {
        let waiter = std::thread::spawn(move || wait_generation(port, generation));
        std::thread::sleep(Duration::from_millis(300));
        change(&f);
        if let Err(e) = waiter.join() {
            std::panic::resume_unwind(e);
        }
        generation += 1;
        assert_same_as_full_build(&f, what);
    };
    edit("lesson text", &|f| {
        f.write(
            "content/an-toan/otp.md",
            &lesson(
                "Giữ kín OTP",
                "Không đưa mã OTP cho ai.",
                "## Bước 1\n\nKhông đọc mã OTP qua điện thoại.\n",
            ),
        )
    });
    edit("front matter", &|f| {
        f.write(
            "content/an-toan/otp.md",
            &lesson(
                "Giữ kín mã OTP",
                "Mã OTP là của riêng bạn.",
                "## Bước 1\n\nKhông đọc mã OTP qua điện thoại.\n",
            ),
        )
    });
    edit("new lesson", &|f| {
        f.write(
            "content/an-toan/mat-khau.md",
            &lesson("Đặt mật khẩu mạnh", "Mật khẩu dài, khó đoán.", "## Cách làm\n\nDùng câu dài.\n"),
        )
    });
    edit("deleted lesson", &|f| f.remove("content/an-toan/lua-dao.md"));
    edit("glossary", &|f| {
        f.write(
            "content/thuat-ngu.toml",
            "[[term]]\nterm = \"OTP\"\ndefinition = \"Mã dùng một lần, gửi qua tin nhắn.\"\n\n[[term]]\nterm = \"mật khẩu\"\ndefinition = \"Chữ và số chỉ bạn biết.\"\n",
        )
    });
}
