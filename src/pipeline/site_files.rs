//! The files of the site that are not rendered pages: the theme's files (CSS and JavaScript
//! named by a hash of their content), the site's `static/` folder, each lesson bundle's files,
//! the processed images, the recordings, and the offline files (manifest, icons, worker).

use std::collections::HashSet;
use std::path::PathBuf;

use crate::assets::theme::files_under;
use crate::core::diagnostic::Diagnostic;
use crate::core::digest;
use crate::core::output::OutFile;
use crate::core::paths;
use crate::pipeline::edition::Editions;
use crate::pipeline::markdown::Contents;
use crate::pipeline::recordings::Recordings;
use crate::pipeline::render::AssetUrls;
use crate::pipeline::write::CopyFile;
use crate::pipeline::{offline, recordings};

/// What is written or copied besides the pages, and the published address of each theme and
/// static file by name (`assets["logo.svg"]` in templates).
pub struct SiteFiles {
    pub files: Vec<OutFile>,
    pub copies: Vec<CopyFile>,
    pub assets: AssetUrls,
}

/// Every file of every edition that is not a rendered page.
pub fn collect(editions: &Editions, recordings: &Recordings) -> Result<SiteFiles, Diagnostic> {
    let default = editions.default_edition();
    let (site, theme) = (&default.site, &default.theme);
    let base = site.config.base_path();
    let (mut files, mut assets) = theme_files(theme, &base);
    // The site's own files, as they are. Templates find them by name too (`assets["logo.svg"]`),
    // so a commune that drops in a favicon or a logo sees it used without editing a template.
    let mut copies = Vec::new();
    for (name, path) in files_under(&site.root.join(paths::STATIC_DIR)) {
        assets.insert(name.clone(), format!("{base}{name}"));
        copies.push(CopyFile { from: path, to: PathBuf::from(name) });
    }
    copies.extend(bundle_files(site));
    copies.extend(image_copies(editions.all.iter().map(|e| &e.contents)));
    files.extend(offline::files(site, theme, &assets)?);
    for (edition, recordings) in editions.all.iter().zip(recordings) {
        copies.extend(recordings::copies(&edition.site, recordings));
    }
    Ok(SiteFiles { files, copies, assets })
}

/// The theme's static files. CSS and JS get a content hash in their name, so browsers may
/// cache them for good.
fn theme_files(theme: &crate::assets::theme::Theme, base: &str) -> (Vec<OutFile>, AssetUrls) {
    let mut files = Vec::new();
    let mut urls = AssetUrls::new();
    for (name, bytes) in &theme.static_files {
        let published = if name.ends_with(".css") || name.ends_with(".js") {
            let hash = digest::hex(&digest::of(bytes));
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            format!("{stem}.{}.{ext}", &hash[..10])
        } else {
            name.clone()
        };
        urls.insert(name.clone(), format!("{base}{published}"));
        files.push(OutFile { path: PathBuf::from(published), bytes: bytes.clone() });
    }
    (files, urls)
}

/// The files beside each bundle lesson's `index.md`, published next to its page. Images are
/// published by the image processor instead, resized and without metadata.
fn bundle_files(site: &crate::pipeline::assemble::Site) -> Vec<CopyFile> {
    let base = site.config.base_path();
    let mut copies = Vec::new();
    for lesson in &site.lessons {
        let dir = paths::output_dir(&base, &lesson.core.url);
        for f in lesson.bundle_files.iter().filter(|f| !crate::assets::images::is_image(&f.name)) {
            copies.push(CopyFile { from: site.root.join(&f.path), to: dir.join(&f.name) });
        }
    }
    copies
}

/// Every processed image file referenced by a page of any edition, once.
pub fn image_copies<'a>(editions: impl Iterator<Item = &'a Contents>) -> Vec<CopyFile> {
    let mut seen = HashSet::new();
    editions
        .flat_map(Contents::all_rendered)
        .flat_map(|r| r.images.iter())
        .filter(|(_, to)| seen.insert(to.clone()))
        .map(|(from, to)| CopyFile { from: from.clone(), to: to.clone() })
        .collect()
}
