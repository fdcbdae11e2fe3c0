//! Whole-page snapshots: one page of every kind the sample site makes, its full HTML kept in
//! `tests/snapshots/*.snap`, so that a change to any template or page builder shows up in review
//! as a diff of the pages it changes. After a deliberate change, regenerate with
//! `INSTA_UPDATE=always cargo test --test snapshots` and read the diff of `tests/snapshots/`.
//!
//! The sample site is built once, by the `hocso` binary, from a copy in a scratch folder, so
//! that nothing here depends on the machine or on other tests:
//!
//! - The build date is fixed (`HOCSO_TODAY`): the help points, the posters and the results
//!   show what is still to come. A child process takes the variable; setting it in this process
//!   would race with the other tests.
//! - The copy has its own recording cache (`.hocso-cache/`), so nothing here prunes the cache a
//!   build in the repository keeps.
//! - Recordings change pages beyond their own player: a lesson with one shows its length and
//!   size, and every QR code that leads to it (lesson pages, print packs) encodes the address
//!   of its player (`#nghe`), so the whole QR drawing differs. With the real espeak-ng the
//!   length and size would depend on the engine's version, and without espeak-ng there would
//!   be no player and other QR codes. Normalising that would hide most of what a recording
//!   changes; leaving recordings off would leave the player's markup out of every snapshot.
//!   So the build runs with stand-ins for espeak-ng and opusenc (named by `HOCSO_ESPEAK_NG` and
//!   `HOCSO_OPUSENC`, as on a machine where they are not on `PATH`) that give every lesson the
//!   same 90 seconds of silence: every page is the page the real build makes, with a fixed
//!   "2 minutes, 91 KB" in each player, on every machine, and nothing has to be filtered. The
//!   stand-ins are shell scripts, hence Unix only (as CI and the other engine tests are).
//! - Everything else in a page is the same on every machine and stays in the snapshot,
//!   fingerprinted asset names included: a CSS change shows as one changed line per page.
#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{copy_dir, repo, scratch, stderr};
use insta::assert_snapshot;

/// The build date of the snapshots: December 2026 and January 2027 are to come.
const TODAY: &str = "2026-12-01";

/// What the sample site is made of, at the repository root (the rest is the project's code).
const SITE_PARTS: [&str; 5] = ["site.toml", "content", "data", "static", "themes"];

/// The length of every stand-in recording: long enough to be shown as more than one minute.
const RECORDING_SECONDS: usize = 90;

/// The sample site, copied and built once per test run; its output folder.
fn built() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = scratch("site");
        let site = dir.join("site");
        for part in SITE_PARTS {
            let from = repo().join(part);
            if from.is_dir() {
                copy_dir(&from, &site.join(part));
            } else {
                std::fs::create_dir_all(&site).unwrap_or_else(|e| panic!("{e}"));
                std::fs::copy(&from, site.join(part)).unwrap_or_else(|e| panic!("{part}: {e}"));
            }
        }
        let (espeak, opusenc) = stand_ins(&dir);
        let out = dir.join("public");
        let o = Command::new(env!("CARGO_BIN_EXE_hocso"))
            .args(["build", "--root"])
            .arg(&site)
            .arg("--output")
            .arg(&out)
            .env(hocso::pipeline::campaign::TODAY_VAR, TODAY)
            .env(hocso::assets::audio::ENGINE_VAR, espeak)
            .env(hocso::assets::audio::ENCODER_VAR, opusenc)
            .env_remove("HOCSO_LANG")
            .output()
            .unwrap_or_else(|e| panic!("cannot run hocso: {e}"));
        assert!(o.status.success(), "sample build failed: {}", stderr(&o));
        let recording =
            out.join("an-toan/cuoc-goi-gia-danh-cong-an").join(hocso::core::paths::RECORDING_FILE);
        assert!(recording.exists(), "the stand-in engine made no recording: {}", stderr(&o));
        out
    })
}

/// Writes the stand-ins for espeak-ng and opusenc into `dir`: the first writes the same WAV
/// file of silence for any text, the second copies its input to its output (the size shown is
/// then the WAV file's). Both answer `--version`, which the build asks once.
fn stand_ins(dir: &Path) -> (PathBuf, PathBuf) {
    let wav = dir.join("silence.wav");
    std::fs::write(&wav, silence_wav(RECORDING_SECONDS)).unwrap_or_else(|e| panic!("{e}"));
    assert!(!wav.to_string_lossy().contains('\''), "the scripts quote {} in ''", wav.display());
    let espeak = script(
        dir,
        "espeak-ng",
        &format!(
            "[ \"$1\" = --version ] && {{ echo stand-in; exit 0; }}\n\
             while [ $# -gt 1 ]; do\n  [ \"$1\" = -w ] && exec cp '{}' \"$2\"\n  shift\ndone\nexit 1\n",
            wav.display()
        ),
    );
    let opusenc = script(
        dir,
        "opusenc",
        "[ \"$1\" = --version ] && { echo stand-in; exit 0; }\n\
         for arg; do src=$dst; dst=$arg; done\nexec cp \"$src\" \"$dst\"\n",
    );
    (espeak, opusenc)
}

/// An executable shell script `name` in `dir` running `body`.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap_or_else(|e| panic!("{e}"));
    path
}

/// A WAV file of `seconds` of silence, 8-bit mono at 1,000 Hz: 1,000 bytes a second, so the
/// stand-in recordings stay small.
fn silence_wav(seconds: usize) -> Vec<u8> {
    const RATE: u32 = 1000;
    let data = seconds * RATE as usize;
    let mut w = Vec::with_capacity(44 + data);
    w.extend_from_slice(b"RIFF");
    w.extend_from_slice(&((36 + data) as u32).to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&16u32.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes()); // PCM
    w.extend_from_slice(&1u16.to_le_bytes()); // mono
    w.extend_from_slice(&RATE.to_le_bytes());
    w.extend_from_slice(&RATE.to_le_bytes()); // bytes a second
    w.extend_from_slice(&1u16.to_le_bytes()); // bytes a frame
    w.extend_from_slice(&8u16.to_le_bytes()); // bits a sample
    w.extend_from_slice(b"data");
    w.extend_from_slice(&(data as u32).to_le_bytes());
    w.resize(44 + data, 0x80); // silence in unsigned 8-bit samples
    w
}

/// A built page, by its path in the output folder.
fn page(rel: &str) -> String {
    std::fs::read_to_string(built().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn home() {
    assert_snapshot!("home", page("index.html"));
}

#[test]
fn topic() {
    assert_snapshot!("topic", page("an-toan/index.html"));
}

/// A lesson of one Markdown file, with the urgent-help box (tagged "lừa đảo") and a recording.
#[test]
fn lesson() {
    assert_snapshot!("lesson", page("an-toan/cuoc-goi-gia-danh-cong-an/index.html"));
}

/// A lesson that is a folder: `index.md` with its own images beside it.
#[test]
fn lesson_bundle() {
    assert_snapshot!("lesson_bundle", page("thanh-toan/thanh-toan-bang-ma-qr/index.html"));
}

#[test]
fn lesson_english() {
    assert_snapshot!("lesson_english", page("en/an-toan/protect-otp-and-passwords/index.html"));
}

#[test]
fn glossary() {
    assert_snapshot!("glossary", page("thuat-ngu/index.html"));
}

#[test]
fn search() {
    assert_snapshot!("search", page("tim-kiem/index.html"));
}

/// A topic's print pack: its lessons as leaflets, each with a QR code.
#[test]
fn print_pack() {
    assert_snapshot!("print_pack", page("to-roi/an-toan/index.html"));
}

#[test]
fn help_points() {
    assert_snapshot!("help_points", page("diem-ho-tro/index.html"));
}

#[test]
fn results() {
    assert_snapshot!("results", page("ket-qua/index.html"));
}

#[test]
fn journey() {
    assert_snapshot!("journey", page("lo-trinh/thanh-toan-bang-dien-thoai-an-toan/index.html"));
}

#[test]
fn offline() {
    assert_snapshot!("offline", page("khong-co-mang/index.html"));
}

#[test]
fn saved() {
    assert_snapshot!("saved", page("bai-da-luu/index.html"));
}

#[test]
fn not_found() {
    assert_snapshot!("not_found", page("404.html"));
}
