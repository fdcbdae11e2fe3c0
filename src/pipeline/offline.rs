//! Offline reading and "Thêm vào màn hình chính": the service worker, the web app manifest and
//! the manifest's icons, written with every build.
//!
//! Mobile help points run where the connection drops, and many residents pay for data by the
//! megabyte. The worker (the theme's `templates/sw.js`, filled in here) precaches only the shell
//! (CSS, JS, fonts, icons, home, offline and saved-lessons pages, the search page and its index
//! list) and keeps what a resident opens or saves. Its caches are named after a hash of the
//! shell, so a build that changes a stylesheet gets new caches and the old ones are deleted,
//! while a build that only changes lessons leaves the worker, and what residents saved, alone.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageFormat, ImageReader, Limits, imageops::FilterType};
use serde::Serialize;

use crate::assets::theme::{Theme, error_chain, files_under};
use crate::core::diagnostic::{Diagnostic, Problem};
use crate::core::output::OutFile;
use crate::core::paths::{self, SiteUrls};
use crate::pipeline::assemble::Site;
use crate::pipeline::render::AssetUrls;

/// The header band's colour (`--brand` in hocso.css): the phone's title bar matches the site.
pub const THEME_COLOR: &str = "#0a3a8c";
/// The splash screen behind the icon while the site opens from the home screen.
pub const BACKGROUND_COLOR: &str = "#ffffff";
/// Icon sizes Android asks a manifest for (the home screen, and the splash screen).
pub const ICON_SIZES: [(u32, &str); 2] = [(192, paths::ICON_192_FILE), (512, paths::ICON_512_FILE)];
/// The theme's files the worker keeps from the first visit on (by their name in the theme).
const SHELL_ASSETS: [&str; 4] = ["css/hocso.css", "js/hocso.js", "js/offline.js", "js/search.js"];
/// The site's own icons, kept too when the site has them.
const SITE_ICONS: [&str; 2] = ["logo.svg", "favicon.ico"];
/// Icons larger than this on a side are not read (a site icon is a few hundred pixels).
const ICON_MAX_SIDE: u32 = 4096;

/// What the worker is told, written into it as JSON.
#[derive(Serialize)]
struct WorkerConfig<'a> {
    build: &'a str,
    scope: &'a str,
    sw: &'a str,
    offline: &'a str,
    search: &'a str,
    index: &'a str,
    shell: &'a [String],
}

/// The manifest, the icons it names, and (when `offline` is on) the service worker.
pub fn files(site: &Site, theme: &Theme, assets: &AssetUrls) -> Result<Vec<OutFile>, Diagnostic> {
    let config = &site.config;
    let base = config.base_path();
    let urls = SiteUrls::new(&base);
    let icons = icons(&site.root.join(paths::STATIC_DIR));
    let mut out: Vec<OutFile> = Vec::new();
    let mut icon_list = Vec::new();
    for (size, name, bytes) in icons {
        icon_list.push(serde_json::json!({
            "src": format!("{base}{name}"),
            "sizes": format!("{size}x{size}"),
            "type": "image/png",
            "purpose": "any",
        }));
        out.push(OutFile { path: PathBuf::from(name), bytes });
    }
    out.push(OutFile { path: PathBuf::from(paths::MANIFEST_FILE), bytes: manifest(site, icon_list) });
    if !config.offline {
        return Ok(out);
    }

    let mut shell: Vec<String> = SHELL_ASSETS.iter().filter_map(|n| assets.get(*n).cloned()).collect();
    shell.extend(
        assets
            .iter()
            .filter(|(n, _)| n.starts_with("fonts/") && n.ends_with(".woff2"))
            .map(|(_, u)| u.clone()),
    );
    shell.extend(SITE_ICONS.iter().filter_map(|n| assets.get(*n).cloned()));
    // The manifest's PNG icons are left out: a phone reads them when the site is added to the
    // home screen, online, and the large one alone would be a third of the shell.
    shell.extend([
        urls.manifest.clone(),
        urls.home.clone(),
        urls.offline.clone(),
        urls.saved.clone(),
        urls.search.clone(),
        format!("{}meta.json", urls.search_index),
    ]);

    // The build's hash covers what the shell holds and the worker itself: the worker rendered
    // without a hash, the shell's addresses, and the bytes of the files whose names carry none.
    let render = |build: &str| {
        let worker = WorkerConfig {
            build,
            scope: &base,
            sw: &urls.service_worker,
            offline: &urls.offline,
            search: &urls.search,
            index: &urls.search_index,
            shell: &shell,
        };
        let mut ctx = tera::Context::new();
        ctx.insert("config", &serde_json::to_string(&worker).unwrap_or_default());
        theme.tera.render("sw.js", &ctx).map_err(|e| {
            Diagnostic::error(theme.template_path("sw.js"), 0, 0, Problem::Template(error_chain(&e)))
        })
    };
    let mut hasher = crate::core::digest::Hasher::new();
    hasher.update(render("")?.as_bytes());
    for url in &shell {
        hasher.update(url.as_bytes());
        hasher.update(b"\n");
    }
    for (name, bytes) in &theme.static_files {
        if name.starts_with("fonts/") {
            hasher.update(bytes);
        }
    }
    for name in SITE_ICONS {
        hasher.update(&std::fs::read(site.root.join(paths::STATIC_DIR).join(name)).unwrap_or_default());
    }
    for file in &out {
        hasher.update(&file.bytes);
    }
    let build = crate::core::digest::hex(&hasher.finish())[..12].to_owned();
    out.push(OutFile {
        path: PathBuf::from(paths::SERVICE_WORKER_FILE),
        bytes: render(&build)?.into_bytes(),
    });
    Ok(out)
}

/// The web app manifest: the name on the home screen, the icon, the colours, and the site's
/// address as where it starts and what it covers.
fn manifest(site: &Site, icons: Vec<serde_json::Value>) -> Vec<u8> {
    let config = &site.config;
    let base = config.base_path();
    // "Học số – Bình dân học vụ số" → "Học số": the home screen shows about 12 letters.
    let short = config.title.split(" – ").next().unwrap_or(&config.title).trim();
    let manifest = serde_json::json!({
        "lang": config.language,
        "name": config.title,
        "short_name": short,
        "description": config.description,
        "start_url": base,
        "scope": base,
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": icons,
    });
    serde_json::to_vec_pretty(&manifest).unwrap_or_default()
}

/// The manifest's PNG icons, made from the largest PNG icon in the site's `static/` folder
/// (`apple-touch-icon.png`, `icon.png`, `logo.png`…), centred on a square. None when the site
/// has no PNG icon, or it cannot be read: the manifest then names no icon and phones draw one.
fn icons(static_dir: &Path) -> Vec<(u32, &'static str, Vec<u8>)> {
    let candidates = files_under(static_dir).into_iter().filter(|(name, _)| {
        let lower = name.to_ascii_lowercase();
        !lower.contains('/')
            && lower.ends_with(".png")
            && ["icon", "logo"].iter().any(|w| lower.contains(w))
            && !paths::RESERVED_FILES.contains(&lower.as_str())
    });
    let Some(source) = candidates
        .filter_map(|(_, path)| {
            let (w, h) = ImageReader::open(&path).ok()?.with_guessed_format().ok()?.into_dimensions().ok()?;
            (w <= ICON_MAX_SIDE && h <= ICON_MAX_SIDE).then_some((w.min(h), path))
        })
        .max_by_key(|(side, _)| *side)
        .and_then(|(_, path)| decode(&path))
    else {
        return Vec::new();
    };
    ICON_SIZES
        .iter()
        .filter_map(|&(size, name)| {
            let fitted = source.resize(size, size, FilterType::Lanczos3).to_rgba8();
            let mut square = image::RgbaImage::new(size, size);
            let x = i64::from((size - fitted.width()) / 2);
            let y = i64::from((size - fitted.height()) / 2);
            image::imageops::overlay(&mut square, &fitted, x, y);
            let mut bytes = Vec::new();
            DynamicImage::ImageRgba8(square).write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png).ok()?;
            Some((size, name, bytes))
        })
        .collect()
}

/// Decodes an icon under limits, so a broken or hostile file is skipped, never a crash.
fn decode(path: &Path) -> Option<DynamicImage> {
    let mut reader = ImageReader::open(path).ok()?.with_guessed_format().ok()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(ICON_MAX_SIDE);
    limits.max_image_height = Some(ICON_MAX_SIDE);
    limits.max_alloc = Some(128 * 1024 * 1024);
    reader.limits(limits);
    reader.decode().ok()
}
