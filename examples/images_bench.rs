//! Image-processing benchmark (a documented script, not a timed test):
//!
//! ```sh
//! cargo run --release --example images_bench -- [--images 200] [--dir /tmp/hocso-images-bench]
//! ```
//!
//! Writes a site with one lesson bundle holding N photo-like 2000×1500 JPEGs, then builds it
//! three times: cold (empty cache), warm (nothing changed) and after changing one image. Prints
//! wall times, how many images were decoded, and output bytes against input bytes.

use std::path::{Path, PathBuf};
use std::time::Instant;

fn photo(seed: u32) -> Vec<u8> {
    let (w, h) = (2000u32, 1500u32);
    // Smooth gradients with some texture: compresses like a photo, not like a flat diagram.
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let n = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503) ^ seed).rotate_left(7) % 24;
        image::Rgb([((x * 200 / w) + n) as u8, ((y * 200 / h) + n) as u8, (((x + y + seed) % 200) + n) as u8])
    });
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88);
    let _ = encoder.encode_image(&img);
    out
}

fn dir_bytes(dir: &Path, filter: impl Fn(&Path) -> bool) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && filter(e.path()))
        .filter_map(|e| e.metadata().ok().map(|m| m.len()))
        .sum()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| args.windows(2).find(|w| w[0] == flag).map(|w| w[1].clone());
    let count: u32 = value("--images").and_then(|v| v.parse().ok()).unwrap_or(200);
    let root = PathBuf::from(value("--dir").unwrap_or_else(|| "/tmp/hocso-images-bench".into()));
    let _ = std::fs::remove_dir_all(&root);
    let bundle = root.join("content/anh/nhieu-anh");
    std::fs::create_dir_all(&bundle).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(root.join("site.toml"), "title = \"Thử ảnh\"\nbase_url = \"https://hocso.example.vn/\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        root.join("content/anh/_index.md"),
        "+++\ntitle = \"Ảnh\"\ndescription = \"Thử ảnh.\"\n+++\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut body = String::from(
        "+++\ntitle = \"Nhiều ảnh\"\nsummary = \"Bài thử với nhiều ảnh.\"\nleaflet = false\n+++\n",
    );
    for i in 0..count {
        std::fs::write(bundle.join(format!("anh-{i}.jpg")), photo(i)).unwrap_or_else(|e| panic!("{e}"));
        body.push_str(&format!("![Ảnh thử số {i}](anh-{i}.jpg)\n\n"));
    }
    std::fs::write(bundle.join("index.md"), body).unwrap_or_else(|e| panic!("{e}"));
    // The default theme from this repository.
    let theme_src = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for entry in walkdir::WalkDir::new(&theme_src).into_iter().filter_map(Result::ok) {
        let rel = entry.path().strip_prefix(&theme_src).unwrap_or(entry.path());
        let dest = root.join("themes/default").join(rel);
        if entry.file_type().is_dir() {
            let _ = std::fs::create_dir_all(&dest);
        } else {
            let _ = std::fs::copy(entry.path(), &dest);
        }
    }
    let input = dir_bytes(&bundle, |p| p.extension().is_some_and(|e| e == "jpg"));
    let options = hocso::pipeline::build::BuildOptions {
        root: root.clone(),
        output: root.join("public"),
        drafts: false,
        progress: Default::default(),
    };
    let run = |label: &str| {
        let t = Instant::now();
        let report = hocso::pipeline::build::build(&options).unwrap_or_else(|e| panic!("{e:?}"));
        println!(
            "{label:<22} {:>8.2} s   decoded {:>4}  encoded {:>5}  reused {:>4}",
            t.elapsed().as_secs_f64(),
            report.images_decoded,
            report.images_encoded,
            report.images_reused
        );
    };
    println!("{count} images of 2000×1500, {:.1} MB of JPEG in", input as f64 / 1e6);
    run("cold (empty cache)");
    run("warm (no change)");
    std::fs::write(bundle.join("anh-0.jpg"), photo(count + 1)).unwrap_or_else(|e| panic!("{e}"));
    run("one image changed");
    let public = root.join("public/anh/nhieu-anh");
    let webp = dir_bytes(&public, |p| p.extension().is_some_and(|e| e == "webp"));
    let jpg = dir_bytes(&public, |p| p.extension().is_some_and(|e| e == "jpg"));
    let w800 = dir_bytes(&public, |p| p.to_string_lossy().ends_with("-800.webp"));
    println!(
        "output: WebP {:.1} MB, JPEG {:.1} MB (all sizes); a phone loads the 800 px WebP: {:.1} MB in all = {:.0}% of the originals",
        webp as f64 / 1e6,
        jpg as f64 / 1e6,
        w800 as f64 / 1e6,
        100.0 * w800 as f64 / input as f64
    );
}
