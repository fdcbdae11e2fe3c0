//! Properties of a whole built site that no single page test sees: every address resolves under
//! a sub-path `base_url`, a large print pack still reaches every leaflet, and ids stay unique
//! when a lesson's heading repeats an id the templates use.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use common::{Fixture, copy_dir, html_pages, lesson, repo, sel};

/// The output file a site-relative address is served from, if any: `/hoc/a/` → `a/index.html`.
fn file_for(out: &Path, base_path: &str, address: &str) -> Option<PathBuf> {
    let path = address.split(['#', '?']).next().unwrap_or_default();
    let rel = path.strip_prefix(base_path)?;
    let decoded = percent_decode(rel);
    let candidate = if decoded.is_empty() || decoded.ends_with('/') {
        out.join(&decoded).join("index.html")
    } else {
        out.join(&decoded)
    };
    candidate.is_file().then_some(candidate)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every address a page asks the browser to load or follow, with where it was found.
fn addresses(out: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for (page, doc) in html_pages(out) {
        for (selector, attr) in [
            ("a[href]", "href"),
            ("link[href]", "href"),
            ("script[src]", "src"),
            ("img[src]", "src"),
            ("form[action]", "action"),
            ("audio[src]", "src"),
            ("source[src]", "src"),
        ] {
            for el in doc.select(&sel(selector)) {
                if let Some(v) = el.value().attr(attr) {
                    found.push((page.clone(), v.to_owned()));
                }
            }
        }
        for el in doc.select(&sel("[srcset]")) {
            for part in el.value().attr("srcset").unwrap_or_default().split(',') {
                if let Some(url) = part.split_whitespace().next() {
                    found.push((page.clone(), url.to_owned()));
                }
            }
        }
        for el in doc.select(&sel("[data-index]")) {
            found.push((page.clone(), el.value().attr("data-index").unwrap_or_default().to_owned()));
        }
    }
    // Stylesheets name fonts and images too.
    for entry in walkdir::WalkDir::new(out).into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_some_and(|e| e == "css") {
            let css = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for part in css.split("url(").skip(1) {
                let url = part.split(')').next().unwrap_or_default().trim_matches(['"', '\'']);
                found.push((
                    entry.path().strip_prefix(out).unwrap_or(entry.path()).to_path_buf(),
                    url.to_owned(),
                ));
            }
        }
    }
    found
}

#[test]
fn under_a_sub_path_every_link_image_stylesheet_and_script_resolves() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = dir.path().join("site");
    for part in ["content", "themes", "static"] {
        if repo().join(part).exists() {
            copy_dir(&repo().join(part), &site.join(part));
        }
    }
    // The sample's recordings, as earlier builds of the sample left them: only missing ones
    // are made again (a cold synthesis of 16 lessons takes about 16 s of CPU).
    let cache = repo().join(hocso::assets::audio::CACHE_DIR);
    if cache.is_dir() {
        copy_dir(&cache, &site.join(hocso::assets::audio::CACHE_DIR));
    }
    let toml = std::fs::read_to_string(repo().join("site.toml")).unwrap_or_default();
    let toml: String = toml
        .lines()
        .map(|l| if l.starts_with("base_url") { "base_url = \"https://xa.example.vn/hoc/\"" } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(site.join("site.toml"), toml).unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("public");
    let built = common::hocso(&site, &["build", "--output", out.to_str().unwrap_or_default()]);
    assert!(built.status.success(), "{}", common::stderr(&built));

    let all = addresses(&out);
    assert!(all.len() > 500, "too few addresses found to be a real crawl: {}", all.len());
    let mut broken = BTreeSet::new();
    let mut checked = 0;
    for (page, address) in &all {
        let site_address = if let Some(rest) = address.strip_prefix("https://xa.example.vn") {
            rest.to_owned()
        } else if address.starts_with("http://")
            || address.starts_with("https://")
            || address.starts_with("mailto:")
            || address.starts_with("tel:")
            || address.starts_with('#')
            || address.starts_with("data:")
        {
            continue;
        } else if address.starts_with('/') {
            address.clone()
        } else {
            // Relative to the page (or stylesheet): resolve against its folder.
            let from = Path::new("/hoc/").join(page.parent().unwrap_or(Path::new("")));
            let mut joined = PathBuf::new();
            for c in from.join(address).components() {
                match c {
                    std::path::Component::ParentDir => {
                        joined.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => joined.push(other),
                }
            }
            let mut s = joined.to_string_lossy().into_owned();
            if address.ends_with('/') {
                s.push('/');
            }
            s
        };
        checked += 1;
        if !site_address.starts_with("/hoc/") || file_for(&out, "/hoc/", &site_address).is_none() {
            // The search index address is a folder whose files the script names itself.
            if site_address.ends_with("/tim-kiem/du-lieu/")
                && out.join("tim-kiem/du-lieu/meta.json").is_file()
            {
                continue;
            }
            broken.insert(format!("{}: {address}", page.display()));
        }
    }
    assert!(
        broken.is_empty(),
        "{} of {checked} addresses do not resolve under /hoc/: {broken:#?}",
        broken.len()
    );
}

#[test]
fn a_print_pack_over_the_limit_still_links_every_lesson() {
    let f = Fixture::new();
    let extra = hocso::assets::leaflet::PACK_MAX + 1;
    for n in 0..extra {
        f.write(
            &format!("content/an-toan/bai-{n:03}.md"),
            &lesson(&format!("Bài số {n}"), "Tóm tắt.", "Một bước.\n"),
        );
    }
    f.build().unwrap_or_else(|p| panic!("{p:?}"));
    let pack = scraper::Html::parse_document(&f.read_output("to-roi/an-toan/index.html"));
    let links: BTreeSet<String> =
        pack.select(&sel("main a[href]")).filter_map(|a| a.value().attr("href")).map(str::to_owned).collect();
    let mut missing = Vec::new();
    for n in 0..extra {
        // The lesson page, which prints as its leaflet.
        let leaflet = format!("/an-toan/bai-{n:03}/");
        if !links.contains(&leaflet) {
            missing.push(leaflet);
        }
    }
    assert!(links.contains("/an-toan/otp/"), "the fixture's own lesson is listed");
    assert!(missing.is_empty(), "{} lessons not linked from the oversized pack: {missing:?}", missing.len());
    // And it holds no leaflet bodies: the links replace them.
    assert_eq!(pack.select(&sel(".leaflet-qr, svg.qr")).count(), 0);
}

#[test]
fn headings_that_repeat_template_ids_get_unique_ids() {
    let f = Fixture::new();
    f.write(
        "content/an-toan/otp.md",
        &lesson(
            "Giữ kín OTP",
            "Không đưa mã OTP cho ai.",
            "## Nội dung bài\n\nA.\n\n## Listen\n\nB.\n\n## Main\n\nC.\n\n## Search\n\nD.\n\n## Title 1\n\nE.\n\n## Từ ngữ trong bài\n\nF.\n\n## Nội dung bài\n\nG.\n",
        ),
    );
    f.build().unwrap_or_else(|p| panic!("{p:?}"));
    for page in ["an-toan/otp/index.html", "to-roi/an-toan/index.html"] {
        let doc = scraper::Html::parse_document(&f.read_output(page));
        let mut seen: HashMap<String, usize> = HashMap::new();
        for el in doc.select(&sel("[id]")) {
            *seen.entry(el.value().attr("id").unwrap_or_default().to_owned()).or_default() += 1;
        }
        let duplicates: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
        assert!(duplicates.is_empty(), "{page}: duplicate ids {duplicates:?}");
        // Every heading of the lesson is still there, with an id.
        let ids: Vec<String> =
            doc.select(&sel("h2[id]")).filter_map(|h| h.value().attr("id")).map(str::to_owned).collect();
        assert!(ids.len() >= 7, "{page}: {ids:?}");
    }
}

#[test]
fn the_sites_own_files_are_published_as_they_are_and_used() {
    let out = common::sample_output();
    for name in ["favicon.ico", "logo.svg", "apple-touch-icon.png", "bieu-mau/phieu-dang-ky-ho-tro.pdf"] {
        let source =
            std::fs::read(repo().join("static").join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let published = std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(source == published, "{name} changed on its way out");
    }
    assert!(
        std::fs::read(out.join("bieu-mau/phieu-dang-ky-ho-tro.pdf"))
            .unwrap_or_default()
            .starts_with(b"%PDF-")
    );
    let home =
        scraper::Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap_or_default());
    let icons: Vec<&str> =
        home.select(&sel("link[rel~=icon]")).filter_map(|l| l.value().attr("href")).collect();
    assert!(icons.contains(&"/favicon.ico") && icons.contains(&"/logo.svg"), "{icons:?}");
    assert_eq!(
        home.select(&sel("header img.site-logo[alt='']")).count(),
        1,
        "the logo sits by the title, silent for screen readers"
    );
    assert_eq!(home.select(&sel("main a[href='/bieu-mau/phieu-dang-ky-ho-tro.pdf']")).count(), 1);
}
