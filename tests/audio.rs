//! Recordings made at build time (`[audio]` in site.toml): what a lesson's recording says, that
//! a build publishes one playable, small file per lesson, that the cache spares unchanged
//! lessons, and that a machine without the engine still builds the site.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use scraper::Html;

/// Every sample lesson's spoken text, as the build computes it.
fn sample_spoken() -> Vec<(PathBuf, String)> {
    let root = repo();
    let editions = hocso::pipeline::edition::prepare(
        &root,
        false,
        hocso::assets::images::Processor::checking(&root),
        hocso::pipeline::edition::Sources::Keep,
    )
    .unwrap_or_else(|p| panic!("sample site: {p:?}"));
    let edition = editions.all.into_iter().next().unwrap_or_else(|| panic!("no edition"));
    edition
        .site
        .lessons
        .iter()
        .zip(edition.spoken)
        .filter_map(|(l, text)| Some((l.core.path.clone(), text?)))
        .collect()
}

/// The spoken text of a sample lesson, against a golden file: steps numbered, callout words,
/// alt text, numbers and dates in words, no address. After a deliberate change, regenerate with
/// `HOCSO_BLESS=1 cargo test --test audio` and read the diff.
#[test]
fn spoken_text_of_a_sample_lesson_matches_the_golden_file() {
    let spoken = sample_spoken();
    assert_eq!(spoken.len(), 16, "every sample lesson is spoken");
    let golden = repo().join("tests/golden/spoken-thanh-toan-bang-ma-qr.txt");
    let (_, text) = spoken
        .iter()
        .find(|(p, _)| p.ends_with("thanh-toan-bang-ma-qr/index.md"))
        .unwrap_or_else(|| panic!("no spoken text for the QR lesson"));
    if std::env::var_os("HOCSO_BLESS").is_some() {
        std::fs::write(&golden, text).unwrap_or_else(|e| panic!("{e}"));
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
    assert_eq!(text, &expected);
    for needed in ["Bước một.", "Cảnh báo lừa đảo.", "Hình: ", "bốn mươi lăm nghìn đồng", "kiu a"]
    {
        assert!(text.contains(needed), "{needed:?} missing from:\n{text}");
    }
}

/// What no recording may say: a web address, a digit, a Markdown mark, the glossary list.
#[test]
fn no_sample_lesson_says_an_address_a_digit_or_markup() {
    for (path, text) in sample_spoken() {
        for bad in ["http", "://", "](", "**", "[!", "|", "Từ ngữ trong bài"] {
            assert!(!text.contains(bad), "{}: says {bad:?}:\n{text}", path.display());
        }
        assert!(!text.chars().any(|c| c.is_ascii_digit()), "{}: digits left:\n{text}", path.display());
        assert!(hocso::pipeline::speech::unsayable(&text).is_empty(), "{}", path.display());
    }
}

/// A site with two lessons long enough to hear, asking for recordings.
fn audio_site() -> Fixture {
    let f = Fixture::new();
    f.write("site.toml", &format!("{SITE_TOML}\n[audio]\nengine = \"espeak-ng\"\n"));
    let body = "Mã OTP là dãy số ngân hàng gửi cho bạn. Không đọc mã cho ai qua điện thoại.\n\n\
                1. Mở tin nhắn.\n2. Đọc kỹ số tiền: 45.000 đồng.\n3. Gọi 024 0000 0113 nếu thấy lạ.\n";
    f.write("content/an-toan/otp.md", &lesson("Giữ kín mã OTP", "Không đưa mã OTP cho ai.", body));
    f.write(
        "content/an-toan/mat-khau.md",
        &lesson(
            "Đặt mật khẩu",
            "Một mật khẩu riêng cho mỗi tài khoản.",
            "Ngày 24/11/2026, xã mở lớp học.\n\n1. Chọn một câu dễ nhớ.\n2. Ghi vào sổ, cất ở nhà.\n",
        ),
    );
    f
}

/// A stand-in for espeak-ng that logs each synthesis (not the `--version` asked once a build)
/// to `calls.log`, then runs the real one.
fn counting_engine(f: &Fixture) -> PathBuf {
    let script = f.path().join("espeak-counting");
    let log = f.path().join("calls.log");
    f.write(
        "espeak-counting",
        &format!(
            "#!/bin/sh\n[ \"$1\" = --version ] || echo run >> '{}'\nexec espeak-ng \"$@\"\n",
            log.display()
        ),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    script
}

fn calls(f: &Fixture) -> usize {
    std::fs::read_to_string(f.path().join("calls.log")).map_or(0, |t| t.lines().count())
}

/// `hocso build` with the speech engine named by `engine`.
fn build_with(f: &Fixture, engine: &Path) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_hocso"))
        .args(["build", "--lang", "en"])
        .current_dir(f.path())
        .env(hocso::assets::audio::ENGINE_VAR, engine)
        .output()
        .unwrap_or_else(|e| panic!("cannot run hocso: {e}"));
    assert!(out.status.success(), "build failed: {}", stderr(&out));
    out
}

/// Decodes a recording with opusdec (it plays) and returns (seconds, channels, bits a second).
fn decode(file: &Path) -> (f64, u16, f64) {
    let wav = file.with_extension("wav");
    let out = Command::new("opusdec")
        .args(["--quiet", "--rate", "16000"])
        .arg(file)
        .arg(&wav)
        .output()
        .unwrap_or_else(|e| panic!("opusdec (opus-tools) is needed: {e}"));
    assert!(out.status.success(), "{} does not decode: {}", file.display(), stderr(&out));
    let bytes = std::fs::read(&wav).unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_file(&wav);
    let seconds = hocso::assets::audio::wav_seconds(&bytes).unwrap_or_else(|| panic!("no sound"));
    let channels = u16::from_le_bytes([bytes[22], bytes[23]]);
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or_default();
    (seconds, channels, size as f64 * 8.0 / seconds)
}

fn recordings(f: &Fixture) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(f.path().join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == hocso::core::paths::RECORDING_FILE)
        .map(|e| e.into_path())
        .collect();
    found.sort();
    found
}

/// One playable, small recording per lesson, shown on its page; the cache spares every
/// unchanged lesson and an edit re-makes only the edited one.
#[test]
fn each_lesson_gets_a_playable_recording_made_once() {
    let f = audio_site();
    let engine = counting_engine(&f);
    build_with(&f, &engine);
    assert_eq!(calls(&f), 2, "one engine run per lesson");
    let files = recordings(&f);
    assert_eq!(files.len(), 2, "{files:?}");
    for file in &files {
        let (seconds, channels, bitrate) = decode(file);
        assert!(seconds > 5.0, "{}: {seconds} s", file.display());
        assert_eq!(channels, 1, "{}: mono", file.display());
        assert!(bitrate <= 24_000.0, "{}: {bitrate} bit/s", file.display());
    }
    let page = Html::parse_document(&f.read_output("an-toan/otp/index.html"));
    let audio = page.select(&sel("figure#nghe audio[controls][preload=none]")).next();
    assert_eq!(audio.and_then(|a| a.value().attr("src")), Some("/an-toan/otp/nghe.opus"));
    let caption = texts(&page, "figure#nghe figcaption").join("");
    assert!(
        caption.starts_with("Nghe bài học (") && caption.ends_with(" MB)") || caption.ends_with(" KB)"),
        "{caption}"
    );
    let download = page.select(&sel("figure#nghe a[download]")).next().and_then(|a| a.value().attr("href"));
    assert_eq!(download, Some("/an-toan/otp/nghe.opus"));
    // The lesson page prints as its leaflet, with a QR code for paper only.
    assert_eq!(page.select(&sel(".leaflet-qr.print-only svg.qr")).count(), 1, "leaflet without QR code");

    let before = std::fs::read(&files[0]).unwrap_or_default();
    build_with(&f, &engine);
    assert_eq!(calls(&f), 2, "an unchanged site runs the engine no more");
    assert_eq!(std::fs::read(&files[0]).unwrap_or_default(), before);

    f.write(
        "content/an-toan/otp.md",
        &lesson(
            "Giữ kín mã OTP",
            "Không đưa mã OTP cho ai, kể cả người quen.",
            "Mã OTP chỉ dùng một lần. Ai hỏi mã là kẻ lừa đảo.\n",
        ),
    );
    build_with(&f, &engine);
    assert_eq!(calls(&f), 3, "one edited lesson, one engine run");
    let cache: Vec<_> = std::fs::read_dir(f.path().join(hocso::assets::audio::CACHE_DIR))
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert_eq!(cache.len(), 4, "the old recording is pruned, two entries of two files stay: {cache:?}");
}

/// No engine on the machine: the site is built, with one warning and no player anywhere.
#[test]
fn without_the_engine_the_build_warns_once_and_shows_no_player() {
    let f = audio_site();
    let out = build_with(&f, &f.path().join("no-such-espeak-ng"));
    let err = stderr(&out);
    assert_eq!(err.matches("cannot be run on this machine").count(), 1, "{err}");
    assert!(err.contains("apt-get install espeak-ng"), "{err}");
    assert!(recordings(&f).is_empty());
    for (path, page) in html_pages(&f.path().join("public")) {
        assert_eq!(page.select(&sel("audio, figure#nghe")).count(), 0, "{}", path.display());
    }
    assert!(!f.path().join(hocso::assets::audio::CACHE_DIR).exists(), "nothing half-made in the cache");
}

/// `hocso check` names the characters no Vietnamese voice can say.
#[test]
fn check_reports_characters_the_engine_cannot_say() {
    let f = audio_site();
    f.write("content/an-toan/otp.md", &lesson("Giữ kín mã OTP", "Không đưa mã.", "Chào 你好 bạn 😀.\n"));
    let out = hocso(f.path(), &["check", "--lang", "en"]);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(text.contains("cannot say these characters"), "{text}");
    assert!(text.contains("“你”, “好”, “😀”"), "{text}");
}
