//! Helpers shared by the integration tests: the sample site built once, small fixture sites
//! written into temporary folders, and the `hocso` binary.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use scraper::{Html, Selector};

/// The repository root (holds the sample site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the sample site once per test binary and returns its output folder.
pub fn sample_output() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let output = scratch("sample").join("public");
        let options = hocso::pipeline::build::BuildOptions {
            root: repo(),
            output: output.clone(),
            drafts: false,
            progress: Default::default(),
        };
        match hocso::pipeline::build::build(&options) {
            Ok(_) => output,
            Err(problems) => {
                let text: Vec<String> =
                    problems.iter().map(|d| d.render(hocso::core::lang::Lang::En)).collect();
                panic!("sample site failed to build:\n{}", text.join("\n"))
            }
        }
    })
}

/// A folder in Cargo's scratch space for the test binary, named after it and `name`, emptied
/// first. For what a test binary keeps for its whole run: a fixed name (not a process id) so
/// that repeated runs reuse one folder instead of piling up copies of the sample site.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{}-{name}", env!("CARGO_CRATE_NAME")));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Runs the hocso binary with `args` in `dir`.
pub fn hocso(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hocso"))
        .args(args)
        .current_dir(dir)
        .env_remove("HOCSO_LANG")
        .output()
        .unwrap_or_else(|e| panic!("cannot run hocso: {e}"))
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A small site in a temporary folder, with the default theme copied in.
pub struct Fixture {
    /// Removed when the fixture is dropped; `None` for a fixture in a [`scratch`] folder.
    temp: Option<tempfile::TempDir>,
    path: PathBuf,
}

pub const SITE_TOML: &str = "title = \"Thử\"\nbase_url = \"https://thu.example.vn/\"\n";

impl Fixture {
    /// A site with one topic and one valid lesson.
    pub fn new() -> Fixture {
        let f = Fixture::empty();
        f.fill();
        f
    }

    /// Writes the files of [`Fixture::new`]'s site.
    fn fill(&self) {
        self.write("site.toml", SITE_TOML);
        self.write("content/_index.md", "+++\ntitle = \"Trang chủ\"\n+++\nChào bạn.\n");
        self.write(
            "content/an-toan/_index.md",
            "+++\ntitle = \"An toàn\"\ndescription = \"Giữ an toàn.\"\n+++\n",
        );
        self.write(
            "content/an-toan/otp.md",
            &lesson("Giữ kín OTP", "Không đưa mã OTP cho ai.", "## Bước 1\n\nLàm.\n"),
        );
    }

    /// Only the theme, nothing else.
    pub fn empty() -> Fixture {
        let temp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = temp.path().to_path_buf();
        copy_dir(&repo().join("themes/default"), &path.join("themes/default"));
        Fixture { temp: Some(temp), path }
    }

    /// Like [`Fixture::new`], in the [`scratch`] folder `name`: for a fixture kept in a `static`
    /// (statics are never dropped, so a temporary folder there would be left behind every run).
    pub fn kept(name: &str) -> Fixture {
        let path = scratch(name);
        copy_dir(&repo().join("themes/default"), &path.join("themes/default"));
        let f = Fixture { temp: None, path };
        f.fill();
        f
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(p, bytes).unwrap_or_else(|e| panic!("{e}"));
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path().join(rel)).unwrap_or_else(|e| panic!("{e}"));
    }

    pub fn read_output(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join("public").join(rel))
            .unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }

    /// Builds with the library; the list of problems on failure.
    pub fn build(&self) -> Result<hocso::pipeline::build::Report, Vec<hocso::core::diagnostic::Diagnostic>> {
        hocso::pipeline::build::build(&hocso::pipeline::build::BuildOptions {
            root: self.path().to_path_buf(),
            output: self.path().join("public"),
            drafts: false,
            progress: Default::default(),
        })
    }

    /// Builds and expects failure; returns every problem rendered in English.
    pub fn build_errors(&self) -> Vec<String> {
        match self.build() {
            Ok(_) => panic!("build should have failed"),
            Err(problems) => problems.iter().map(|d| d.render(hocso::core::lang::Lang::En)).collect(),
        }
    }
}

/// Front matter + body of a lesson.
pub fn lesson(title: &str, summary: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nsummary = \"{summary}\"\n+++\n{body}")
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let rel = entry.path().strip_prefix(from).unwrap_or_else(|e| panic!("{e}"));
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap_or_else(|e| panic!("{e}"));
        } else {
            std::fs::copy(entry.path(), &dest).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// Every file under `dir` with its bytes, to compare folders byte for byte.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        // The manifest records which files on disk hold the site (inode numbers), not the site.
        .filter(|e| e.file_type().is_file() && e.file_name() != hocso::pipeline::manifest::MANIFEST)
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf();
            (rel, std::fs::read(e.path()).unwrap_or_default())
        })
        .collect()
}

/// Every HTML page of an output folder, parsed.
pub fn html_pages(out: &Path) -> Vec<(PathBuf, Html)> {
    walkdir::WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            (e.path().strip_prefix(out).unwrap_or(e.path()).to_path_buf(), Html::parse_document(&text))
        })
        .collect()
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("bad selector {s}: {e:?}"))
}

/// Text of all matches of a selector.
pub fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector)).map(|e| e.text().collect::<String>().trim().to_owned()).collect()
}

/// A running `hocso serve` (killed when dropped) and its port.
pub struct Server(pub Child, pub u16);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(18_765)
}

/// Starts `hocso serve` (watching) on a free port in the fixture and waits until it answers.
pub fn serve(f: &Fixture) -> Server {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_hocso"))
        .args(["serve", "--port", &port.to_string()])
        .current_dir(f.path())
        .env_remove("HOCSO_LANG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let server = Server(child, port);
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if get(port, "/").starts_with("HTTP/1.1 200") {
            return server;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("server did not start");
}

/// A plain HTTP/1.1 GET on loopback; the whole response, or "" when nothing answered.
pub fn get(port: u16, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { return String::new() };
    let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
    let _ = write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// A PNG of `w` × `h` pixels with a gradient (so it does not compress to nothing).
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img =
        image::RgbaImage::from_fn(w, h, |x, y| image::Rgba([(x % 256) as u8, (y % 256) as u8, 90, 255]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap_or_else(|e| panic!("{e}"));
    out
}
