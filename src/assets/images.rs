//! Images: resized to a few widths, re-encoded as WebP with the original format as fallback,
//! cached by content so an unchanged image costs nothing on the next build.
//!
//! Screenshots and pictures carry half of a guide's meaning, but residents read on cheap phones
//! over slow links. So every raster image referenced from Markdown is decoded once (with limits,
//! so a "decompression bomb" is an error, not an out-of-memory crash), turned upright by its EXIF
//! orientation, and written at 480, 800 and 1200 px wide (never enlarged). Re-encoding drops all
//! metadata, GPS position included, and colour profiles are ignored consistently (pixels are
//! treated as sRGB). SVG files are parsed and written out again with only what draws (see
//! [`crate::assets::svg`]).
//!
//! The cache lives in `<site>/.hocso-cache/img/<key>/`, where the key hashes the source bytes
//! and the processing parameters; entries not used by a successful build are pruned.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use serde::{Deserialize, Serialize};

/// Widths written for every raster image (those wider than the original are skipped).
pub const WIDTHS: [u32; 3] = [480, 800, 1200];
/// Largest side accepted. A 50-megapixel phone photo (about 8,700 px) passes; a 20,000 px
/// "decompression bomb" does not.
pub const MAX_SIDE: u32 = 12_000;
/// Pixels above which an image is accepted but the author is advised to shrink it.
pub const LARGE_PIXELS: u64 = 24_000_000;
/// Bump when processing changes, so old cache entries are not reused.
const VERSION: &str = "img-v3;svg=allowlist;name=file-ext-width;q=75/80;w=480,800,1200";
/// Cache folder, under the site root.
pub const CACHE_DIR: &str = ".hocso-cache/img";

/// One written size of an image.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// WebP file name in the cache entry.
    pub webp: String,
    /// Fallback (JPEG or PNG) file name in the cache entry.
    pub fallback: String,
}

/// What processing an image produced (also the cache entry's `info.json`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Processed {
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
    /// Folder of the cache entry holding the files.
    #[serde(skip)]
    pub cache_dir: PathBuf,
    /// For SVG: the cleaned file's name in the cache entry; no variants.
    pub svg: Option<String>,
    /// Megapixels when the source is large enough to deserve a warning.
    pub large: Option<f64>,
}

/// Why an image could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageProblem {
    Missing,
    /// Not an image, or a format we cannot read (with the decoder's words).
    Unreadable(String),
    /// Larger than [`MAX_SIDE`] on a side.
    TooLarge {
        width: u32,
        height: u32,
    },
    Io(String),
}

/// Counts of real work, so tests and benchmarks can prove the cache works.
#[derive(Debug, Default)]
pub struct Stats {
    pub decoded: AtomicUsize,
    pub encoded: AtomicUsize,
    pub reused: AtomicUsize,
}

/// The result of processing one image, filled by the first page that asks for it.
type Slot = OnceLock<Result<Processed, ImageProblem>>;

/// Processes images on demand, once each, from any thread.
pub struct Processor {
    cache_root: PathBuf,
    results: Mutex<HashMap<PathBuf, Arc<Slot>>>,
    used_keys: Mutex<HashSet<String>>,
    pub stats: Stats,
    /// Called after each image that needed real work (progress display).
    on_work: Option<Box<dyn Fn() + Send + Sync>>,
    /// `false` for `hocso check`: images are read and checked, nothing is written.
    write: bool,
}

impl Processor {
    pub fn new(root: &Path) -> Processor {
        Processor {
            cache_root: root.join(CACHE_DIR),
            results: Mutex::new(HashMap::new()),
            used_keys: Mutex::new(HashSet::new()),
            stats: Stats::default(),
            on_work: None,
            write: true,
        }
    }

    /// A processor that only checks images (decodes them) and writes nothing, not even the cache.
    pub fn checking(root: &Path) -> Processor {
        Processor { write: false, ..Processor::new(root) }
    }

    /// Reports each image that needed decoding (for a progress bar).
    pub fn with_progress(mut self, f: impl Fn() + Send + Sync + 'static) -> Processor {
        self.on_work = Some(Box::new(f));
        self
    }

    /// The processed image for `source` (an absolute path), processing it on first request.
    pub fn get(&self, source: &Path) -> Result<Processed, ImageProblem> {
        let cell = {
            let mut map = self.results.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(map.entry(source.to_path_buf()).or_default())
        };
        cell.get_or_init(|| self.process(source)).clone()
    }

    fn process(&self, source: &Path) -> Result<Processed, ImageProblem> {
        let bytes = std::fs::read(source).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ImageProblem::Missing,
            _ => ImageProblem::Io(e.to_string()),
        })?;
        let is_svg = source.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"));
        let mut hasher = crate::core::digest::Hasher::new();
        hasher.update(VERSION.as_bytes());
        hasher.update(&bytes);
        let key = crate::core::digest::hex(&hasher.finish())[..20].to_string();
        self.used_keys.lock().unwrap_or_else(|e| e.into_inner()).insert(key.clone());
        let dir = self.cache_root.join(&key);
        let info = dir.join("info.json");
        let cached =
            std::fs::read_to_string(&info).ok().and_then(|t| serde_json::from_str::<Processed>(&t).ok());
        if let Some(mut cached) = cached {
            self.stats.reused.fetch_add(1, Ordering::Relaxed);
            cached.cache_dir = dir;
            return Ok(cached);
        }
        if !self.write {
            return self.check_only(&bytes, is_svg);
        }
        let stem =
            source.file_name().map(|s| crate::core::text::slugify(&s.to_string_lossy())).unwrap_or_default();
        let stem = if stem.is_empty() { "anh".to_owned() } else { stem };
        let tmp = self.cache_root.join(format!(".tmp-{key}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).map_err(|e| ImageProblem::Io(e.to_string()))?;
        let result = if is_svg {
            self.process_svg(&bytes, &stem, &tmp)
        } else {
            self.process_raster(&bytes, &stem, &tmp)
        };
        let mut processed = match result {
            Ok(p) => p,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(e);
            }
        };
        let json = serde_json::to_vec_pretty(&processed).map_err(|e| ImageProblem::Io(e.to_string()))?;
        std::fs::write(tmp.join("info.json"), json).map_err(|e| ImageProblem::Io(e.to_string()))?;
        // Publish the entry atomically; another process may have made it meanwhile.
        if std::fs::rename(&tmp, &dir).is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        if let Some(f) = &self.on_work {
            f();
        }
        processed.cache_dir = dir;
        Ok(processed)
    }

    /// Reads the image as a build would, without encoding or writing anything.
    fn check_only(&self, bytes: &[u8], is_svg: bool) -> Result<Processed, ImageProblem> {
        let empty = |width, height| Processed {
            width,
            height,
            variants: Vec::new(),
            cache_dir: PathBuf::new(),
            svg: is_svg.then(String::new),
            large: None,
        };
        if is_svg {
            let (_, size) = cleaned_svg(bytes)?;
            let (width, height) = size.unwrap_or((0, 0));
            return Ok(empty(width, height));
        }
        let format = checked_format(bytes)?;
        let img = ImageReader::with_format(Cursor::new(bytes), format)
            .decode()
            .map_err(|e| ImageProblem::Unreadable(e.to_string()))?;
        self.stats.decoded.fetch_add(1, Ordering::Relaxed);
        Ok(empty(img.width(), img.height()))
    }

    fn process_svg(&self, bytes: &[u8], stem: &str, dir: &Path) -> Result<Processed, ImageProblem> {
        let (clean, size) = cleaned_svg(bytes)?;
        let (width, height) = size.unwrap_or((0, 0));
        let name = format!("{stem}.svg");
        std::fs::write(dir.join(&name), clean).map_err(|e| ImageProblem::Io(e.to_string()))?;
        Ok(Processed {
            width,
            height,
            variants: Vec::new(),
            cache_dir: PathBuf::new(),
            svg: Some(name),
            large: None,
        })
    }

    fn process_raster(&self, bytes: &[u8], stem: &str, dir: &Path) -> Result<Processed, ImageProblem> {
        let unreadable = |e: image::ImageError| ImageProblem::Unreadable(e.to_string());
        let format = checked_format(bytes)?;
        let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
        let mut limits = Limits::default();
        limits.max_image_width = Some(MAX_SIDE);
        limits.max_image_height = Some(MAX_SIDE);
        limits.max_alloc = Some(1024 * 1024 * 1024);
        reader.limits(limits);
        let mut decoder = reader.into_decoder().map_err(unreadable)?;
        let orientation = decoder.orientation().map_err(unreadable)?;
        let mut img = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
        img.apply_orientation(orientation);
        self.stats.decoded.fetch_add(1, Ordering::Relaxed);
        let (width, height) = (img.width(), img.height());
        let fallback_png = format == ImageFormat::Png
            || format == ImageFormat::Gif
            || (format != ImageFormat::Jpeg && img.color().has_alpha());

        let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|&x| x < width).collect();
        if widths.len() < WIDTHS.len() {
            widths.push(width.min(WIDTHS[WIDTHS.len() - 1]));
        }
        widths.dedup();
        let mut variants = Vec::new();
        for target in widths {
            let resized = if target == width {
                img.clone()
            } else {
                let th = ((u64::from(height) * u64::from(target)) / u64::from(width)).max(1) as u32;
                img.resize_exact(target, th, image::imageops::FilterType::CatmullRom)
            };
            let (vw, vh) = (resized.width(), resized.height());
            let rgba = resized.to_rgba8();
            let webp = webp::Encoder::from_rgba(rgba.as_raw(), vw, vh).encode(75.0);
            let webp_name = format!("{stem}-{vw}.webp");
            std::fs::write(dir.join(&webp_name), &*webp).map_err(|e| ImageProblem::Io(e.to_string()))?;
            let (fallback_name, fallback_bytes) = if fallback_png {
                let mut out = Vec::new();
                resized.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).map_err(unreadable)?;
                (format!("{stem}-{vw}.png"), out)
            } else {
                let mut out = Vec::new();
                let rgb = resized.to_rgb8();
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
                    .encode_image(&rgb)
                    .map_err(unreadable)?;
                (format!("{stem}-{vw}.jpg"), out)
            };
            std::fs::write(dir.join(&fallback_name), fallback_bytes)
                .map_err(|e| ImageProblem::Io(e.to_string()))?;
            self.stats.encoded.fetch_add(2, Ordering::Relaxed);
            variants.push(Variant { width: vw, height: vh, webp: webp_name, fallback: fallback_name });
        }
        let pixels = u64::from(width) * u64::from(height);
        let large = (pixels > LARGE_PIXELS).then(|| (pixels as f64 / 100_000.0).round() / 10.0);
        Ok(Processed { width, height, variants, cache_dir: PathBuf::new(), svg: None, large })
    }

    /// Removes cache entries this build did not use (call after a successful build).
    pub fn prune(&self) -> usize {
        let used = self.used_keys.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(entries) = std::fs::read_dir(&self.cache_root) else { return 0 };
        let mut removed = 0;
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !used.contains(&name) && std::fs::remove_dir_all(entry.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

/// The format of a raster image, after reading only its header: a file that is not an image,
/// or one larger than [`MAX_SIDE`] (a "decompression bomb"), is refused before any decoding.
fn checked_format(bytes: &[u8]) -> Result<ImageFormat, ImageProblem> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageProblem::Io(e.to_string()))?;
    let format =
        reader.format().ok_or_else(|| ImageProblem::Unreadable("không nhận ra định dạng ảnh".into()))?;
    let (w, h) = reader.into_dimensions().map_err(|e| ImageProblem::Unreadable(e.to_string()))?;
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(ImageProblem::TooLarge { width: w, height: h });
    }
    Ok(format)
}

/// Whether a file name is an image the processor publishes (raster or SVG).
pub fn is_image(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    matches!(ext.as_str(), "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg")
}

/// An SVG file's cleaned text and size (see [`crate::assets::svg`]).
fn cleaned_svg(bytes: &[u8]) -> Result<(String, Option<(u32, u32)>), ImageProblem> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| ImageProblem::Unreadable("SVG không phải UTF-8".into()))?;
    crate::assets::svg::clean(text.strip_prefix('\u{feff}').unwrap_or(text)).map_err(ImageProblem::Unreadable)
}
