//! Offline reading and bytes (issue 17), as the build writes them: the web app manifest and its
//! icons, the service worker and its build hash, precompressed copies, and `hocso serve`
//! sending those copies only to a browser that accepts them.

mod common;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;

use common::{Fixture, SITE_TOML, png, sample_output};

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_manifest_names_the_site_and_icons_of_the_right_sizes() {
    let out = sample_output();
    let manifest: serde_json::Value = serde_json::from_slice(&read(&out.join("manifest.webmanifest")))
        .unwrap_or_else(|e| panic!("manifest is not JSON: {e}"));
    assert_eq!(manifest["lang"], "vi");
    assert_eq!(manifest["name"], "Học số – Bình dân học vụ số");
    assert_eq!(manifest["short_name"], "Học số");
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["start_url"], "/");
    assert_eq!(manifest["scope"], "/");
    assert_eq!(manifest["theme_color"], "#0a3a8c");
    let icons = manifest["icons"].as_array().unwrap_or_else(|| panic!("no icons: {manifest}"));
    assert_eq!(icons.len(), 2);
    for (icon, size) in icons.iter().zip([192u32, 512]) {
        assert_eq!(icon["sizes"], format!("{size}x{size}"));
        assert_eq!(icon["type"], "image/png");
        let src = icon["src"].as_str().unwrap_or_default();
        let decoded = image::load_from_memory(&read(&out.join(src.trim_start_matches('/'))))
            .unwrap_or_else(|e| panic!("{src}: {e}"));
        assert_eq!((decoded.width(), decoded.height()), (size, size), "{src}");
    }
    let home = std::fs::read_to_string(out.join("index.html")).unwrap_or_default();
    assert!(home.contains("<link rel=\"manifest\" href=\"/manifest.webmanifest\">"));
}

/// The `"build"` the worker names its caches after.
fn build_hash(worker: &str) -> String {
    let at = worker.find("\"build\":\"").unwrap_or_else(|| panic!("no build hash in {worker}")) + 9;
    worker[at..].chars().take_while(char::is_ascii_hexdigit).collect()
}

#[test]
fn the_worker_carries_the_build_hash_which_follows_the_stylesheet() {
    let f = Fixture::new();
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let worker = f.read_output("sw.js");
    let first = build_hash(&worker);
    assert_eq!(first.len(), 12, "{worker}");
    assert!(worker.contains("'hocso-shell-' + C.build"), "caches are named after the build");
    assert!(!worker.contains("{#") && !worker.contains("{{"), "template syntax left in the worker");
    let css = worker.split('"').find(|s| s.contains("/css/hocso.")).unwrap_or_default().to_owned();
    assert!(css.ends_with(".css"), "the stylesheet is in the shell: {worker}");

    // A lesson edit leaves the worker (and what residents saved) alone…
    f.write("content/an-toan/otp.md", &common::lesson("Giữ kín OTP", "Khác.", "Đã sửa.\n"));
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(build_hash(&f.read_output("sw.js")), first);
    // …a stylesheet edit gives new caches.
    let css_path = f.path().join("themes/default/static/css/hocso.css");
    let mut text = std::fs::read_to_string(&css_path).unwrap_or_default();
    text.push_str("\n.doi { color: inherit; }\n");
    f.write("themes/default/static/css/hocso.css", &text);
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let changed = f.read_output("sw.js");
    assert_ne!(build_hash(&changed), first);
    assert!(!changed.contains(&css), "the old stylesheet left the shell");
}

#[test]
fn offline_false_writes_no_worker_and_no_offline_pages() {
    let f = Fixture::new();
    f.write("site.toml", &format!("{SITE_TOML}offline = false\n"));
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let out = f.path().join("public");
    assert!(!out.join("sw.js").exists());
    assert!(!out.join("bai-da-luu").exists() && !out.join("khong-co-mang").exists());
    assert!(out.join("manifest.webmanifest").is_file(), "the manifest does not depend on offline");
    let lesson = f.read_output("an-toan/otp/index.html");
    assert!(!lesson.contains("save-lesson"), "no save button");
    assert!(lesson.contains("data-sw=\"\""), "pages are told to remove an old worker");
    f.write("site.toml", SITE_TOML);
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(f.read_output("an-toan/otp/index.html").contains("data-sw=\"/sw.js\""));
}

fn long_lesson() -> String {
    common::lesson("Giữ kín OTP", "Không đưa mã OTP cho ai.", &"Mã OTP là của riêng bạn. ".repeat(200))
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap_or_else(|e| panic!("{e}")))
}

#[test]
fn precompressed_copies_decode_to_the_file_and_are_reused_when_it_did_not_change() {
    let f = Fixture::new();
    f.write("content/an-toan/otp.md", &long_lesson());
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let out = f.path().join("public");
    assert!(!out.join("an-toan/otp/index.html.br").exists(), "off by default");
    assert!(!out.join("an-toan/otp/index.html.gz").exists(), "off by default");

    f.write("site.toml", &format!("{SITE_TOML}precompress = true\n"));
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&out).into_iter().filter_map(Result::ok) {
        let path = entry.path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else { continue };
        if !["html", "css", "js", "json", "svg", "xml"].contains(&ext) {
            continue;
        }
        let original = read(path);
        let br = path.with_extension(format!("{ext}.br"));
        let gz = path.with_extension(format!("{ext}.gz"));
        if original.len() <= 1024 {
            assert!(!br.exists() && !gz.exists(), "{} is too small to compress", path.display());
            continue;
        }
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &read(&br)[..], &mut back).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, original, "{}", br.display());
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&read(&gz)[..]).read_to_end(&mut back).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, original, "{}", gz.display());
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} files compressed");

    // A second build: unchanged files take their copies from the cache (the same file, linked),
    // a changed page gets new ones.
    let css = walkdir::WalkDir::new(out.join("css"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "br"))
        .map(|e| e.path().strip_prefix(&out).unwrap_or(e.path()).to_path_buf())
        .unwrap_or_else(|| panic!("no compressed stylesheet"));
    let page = Path::new("an-toan/otp/index.html.br");
    let before_css = read(&out.join(&css));
    let before_page = read(&out.join(page));
    #[cfg(unix)]
    let css_inode = inode(&out.join(&css));
    f.write("content/an-toan/otp.md", &long_lesson().replace("riêng bạn", "riêng mình"));
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(read(&out.join(&css)), before_css);
    #[cfg(unix)]
    assert_eq!(inode(&out.join(&css)), css_inode, "the unchanged stylesheet's copy was made again");
    assert_ne!(read(&out.join(page)), before_page, "the changed page kept its old copy");
}

/// Sends a GET with the given `Accept-Encoding` (none when empty); returns the head and body.
fn get_encoded(port: u16, path: &str, accept: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("{e}"));
    let accept = if accept.is_empty() { String::new() } else { format!("Accept-Encoding: {accept}\r\n") };
    write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n{accept}Connection: close\r\n\r\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap_or_else(|e| panic!("{e}"));
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(bytes.len());
    let head = String::from_utf8_lossy(&bytes[..split]).to_ascii_lowercase();
    (head, bytes.get(split + 4..).unwrap_or_default().to_vec())
}

#[test]
fn serve_sends_compressed_copies_only_to_browsers_that_accept_them() {
    let f = Fixture::new();
    f.write("site.toml", &format!("{SITE_TOML}precompress = true\n"));
    f.write("content/an-toan/otp.md", &long_lesson());
    f.write_bytes("static/anh.png", &png(40, 40));
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let out = f.path().join("public");
    let running = hocso::app::serve::start(&out, "127.0.0.1", 0, "/", None).unwrap_or_else(|e| panic!("{e}"));
    let port = running.addr.port();
    let page = read(&out.join("an-toan/otp/index.html"));

    let (head, body) = get_encoded(port, "/an-toan/otp/", "gzip, deflate, br");
    assert!(head.contains("content-encoding: br") && head.contains("vary: accept-encoding"), "{head}");
    let mut back = Vec::new();
    brotli::BrotliDecompress(&mut &body[..], &mut back).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, page);

    let (head, body) = get_encoded(port, "/an-toan/otp/", "gzip");
    assert!(head.contains("content-encoding: gzip"), "{head}");
    let mut back = Vec::new();
    flate2::read::GzDecoder::new(&body[..]).read_to_end(&mut back).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, page);

    for accept in ["", "identity", "br;q=0, gzip;q=0"] {
        let (head, body) = get_encoded(port, "/an-toan/otp/", accept);
        assert!(!head.contains("content-encoding"), "{accept:?}: {head}");
        assert!(head.contains("vary: accept-encoding"), "{head}");
        assert_eq!(body, page, "{accept:?}");
    }
    // An image has no compressed copy, whatever is accepted.
    let (head, _) = get_encoded(port, "/anh.png", "br, gzip");
    assert!(head.contains("200 ok") && !head.contains("content-encoding"), "{head}");
    running.stop();
}
