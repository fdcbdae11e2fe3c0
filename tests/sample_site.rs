//! The sample site, built once, checked page by page with an HTML parser.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use common::{html_pages, sample_output, sel, texts};
use scraper::Html;

/// Lesson pages: `<topic>/<lesson>/index.html`.
fn lesson_pages(out: &Path) -> Vec<(PathBuf, Html)> {
    html_pages(out)
        .into_iter()
        .filter(|(p, _)| p.components().count() == 3 && !p.starts_with("to-roi") && !p.starts_with("en"))
        // Journey pages are no lessons either.
        .filter(|(p, _)| !p.starts_with(hocso::core::paths::JOURNEYS_DIR))
        // The campaign's own pages (a village's calendar, a quarter's results) are no lessons.
        .filter(|(p, _)| {
            !p.starts_with(hocso::core::paths::HELP_POINTS_DIR)
                && !p.starts_with(hocso::core::paths::RESULTS_DIR)
        })
        .collect()
}

#[test]
fn sample_site_has_at_least_16_lessons_in_4_topics() {
    let out = sample_output();
    let topics: Vec<_> = html_pages(out)
        .into_iter()
        .filter(|(p, doc)| p.components().count() == 2 && doc.select(&sel(".topic-header")).next().is_some())
        .collect();
    assert_eq!(topics.len(), 4, "topic pages: {:?}", topics.iter().map(|t| &t.0).collect::<Vec<_>>());
    let lessons = lesson_pages(out);
    assert!(lessons.len() >= 16, "only {} lessons", lessons.len());
    for (path, _) in &topics {
        let dir = path.parent().unwrap_or(Path::new(""));
        let count = lessons.iter().filter(|(p, _)| p.starts_with(dir)).count();
        assert!(count >= 4, "{} has only {count} lessons", dir.display());
    }
}

#[test]
fn every_page_has_lang_one_h1_landmarks_and_a_skip_link() {
    for (path, doc) in html_pages(sample_output()) {
        let p = path.display();
        let html = doc.select(&sel("html")).next().unwrap_or_else(|| panic!("{p}: no html"));
        // The English translation lives under /en/ (issue 16); everything else is Vietnamese.
        let lang = if path.starts_with("en") { "en" } else { "vi" };
        assert_eq!(html.value().attr("lang"), Some(lang), "{p}: lang");
        assert_eq!(doc.select(&sel("h1")).count(), 1, "{p}: exactly one h1");
        for landmark in ["header", "nav", "main#main", "footer"] {
            assert!(doc.select(&sel(landmark)).next().is_some(), "{p}: missing {landmark}");
        }
        let first_link = doc.select(&sel("body a")).next().unwrap_or_else(|| panic!("{p}: no links"));
        assert_eq!(first_link.value().attr("href"), Some("#main"), "{p}: the first link skips to main");
        let title = texts(&doc, "title").join("");
        assert!(title.contains("Học số"), "{p}: title {title}");
        let description =
            doc.select(&sel("meta[name=description]")).next().and_then(|m| m.value().attr("content"));
        assert!(description.is_some_and(|d| !d.is_empty()), "{p}: meta description");
        let canonical = doc.select(&sel("link[rel=canonical]")).next().and_then(|m| m.value().attr("href"));
        assert!(
            canonical.is_some_and(|c| c.starts_with("https://hocso.example.vn/")),
            "{p}: canonical {canonical:?}"
        );
        for og in ["og:title", "og:description", "og:url"] {
            assert!(doc.select(&sel(&format!("meta[property=\"{og}\"]"))).next().is_some(), "{p}: {og}");
        }
    }
}

#[test]
fn headings_never_skip_a_level() {
    for (path, doc) in html_pages(sample_output()) {
        let mut previous = 0u8;
        for h in doc.select(&sel("h1, h2, h3, h4, h5, h6")) {
            let level = h.value().name()[1..].parse::<u8>().unwrap_or(0);
            assert!(
                level <= previous + 1,
                "{}: h{previous} followed by h{level} ({})",
                path.display(),
                h.inner_html()
            );
            previous = level;
        }
    }
}

#[test]
fn lesson_pages_show_title_summary_facts_breadcrumbs_and_neighbours() {
    let out = sample_output();
    let doc = Html::parse_document(
        &std::fs::read_to_string(out.join("an-toan/duong-link-gia/index.html")).unwrap_or_default(),
    );
    assert_eq!(
        texts(&doc, "title"),
        vec!["Cẩn thận với đường link lạ và ứng dụng giả – Học số – Bình dân học vụ số"]
    );
    assert_eq!(texts(&doc, "h1"), vec!["Cẩn thận với đường link lạ và ứng dụng giả"]);
    let crumbs = texts(&doc, ".breadcrumbs li");
    assert_eq!(crumbs, vec!["Trang chủ", "An toàn trên mạng", "Cẩn thận với đường link lạ và ứng dụng giả"]);
    let current = doc.select(&sel(".breadcrumbs [aria-current=page]")).count();
    assert_eq!(current, 1);
    let facts = texts(&doc, ".lesson-header .facts li").join(" | ");
    assert!(facts.contains("Cơ bản") && facts.contains("10 phút") && facts.contains("19/11/2026"), "{facts}");
    let pager = texts(&doc, ".pager a").join(" | ");
    assert!(pager.contains("Bài trước") && pager.contains("Bài tiếp theo"), "{pager}");
}

#[test]
fn internal_links_and_anchors_all_resolve() {
    let out = sample_output();
    let pages = html_pages(out);
    let ids: HashMap<PathBuf, HashSet<String>> = pages
        .iter()
        .map(|(p, d)| {
            (
                p.clone(),
                d.select(&sel("[id]")).filter_map(|e| e.value().attr("id").map(str::to_owned)).collect(),
            )
        })
        .collect();
    let mut checked = 0;
    for (path, doc) in &pages {
        for a in doc.select(&sel("a[href], link[href]")) {
            let href = a.value().attr("href").unwrap_or_default();
            if href.starts_with("http") || href.starts_with("tel:") || href.starts_with("mailto:") {
                continue;
            }
            let (target, anchor) = href.split_once('#').map_or((href, None), |(t, a)| (t, Some(a)));
            let file = if target.is_empty() {
                path.clone()
            } else {
                assert!(target.starts_with('/'), "{}: relative link {href}", path.display());
                let rel = target.trim_start_matches('/');
                if rel.is_empty() || rel.ends_with('/') {
                    PathBuf::from(rel).join("index.html")
                } else {
                    PathBuf::from(rel)
                }
            };
            assert!(out.join(&file).is_file(), "{}: broken link {href}", path.display());
            if let Some(anchor) = anchor {
                let found = ids.get(&file).is_some_and(|set| set.contains(anchor));
                assert!(found, "{}: link {href} names a missing anchor", path.display());
            }
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} links checked");
}

#[test]
fn the_accessibility_statement_is_built_and_linked_from_every_page() {
    let out = sample_output();
    assert!(out.join("tuyen-bo-tiep-can/index.html").is_file());
    assert!(out.join("en/tuyen-bo-tiep-can/index.html").is_file());
    for (path, doc) in html_pages(out) {
        let href = if path.starts_with("en") { "/en/tuyen-bo-tiep-can/" } else { "/tuyen-bo-tiep-can/" };
        let linked = doc.select(&sel(&format!("footer a[href=\"{href}\"]"))).next().is_some();
        assert!(linked, "{}: no link to the accessibility statement", path.display());
    }
}

#[test]
fn every_lesson_is_in_the_sitemap_and_on_its_topic_page() {
    let out = sample_output();
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap_or_default();
    for (path, _) in lesson_pages(out) {
        let dir = path.parent().unwrap_or(Path::new("")).to_string_lossy().replace('\\', "/");
        let url = format!("https://hocso.example.vn/{dir}/");
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{url} not in sitemap");
        // Each language has its own feed and topic pages (issue 16).
        let (lang_dir, rest) = match dir.strip_prefix("en/") {
            Some(rest) => ("en/", rest),
            None => ("", dir.as_str()),
        };
        let atom = std::fs::read_to_string(out.join(lang_dir).join("atom.xml")).unwrap_or_default();
        assert!(atom.contains(&url), "{url} not in atom feed");
        let topic = rest.split('/').next().unwrap_or_default();
        let topic_html =
            std::fs::read_to_string(out.join(lang_dir).join(topic).join("index.html")).unwrap_or_default();
        assert!(topic_html.contains(&format!("href=\"/{dir}/\"")), "{dir} not linked from its topic page");
    }
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap_or_default();
    assert!(robots.contains("Sitemap: https://hocso.example.vn/sitemap.xml"), "{robots}");
    assert!(out.join("404.html").is_file());
}

#[test]
fn callouts_are_labelled_in_words_and_tables_have_scoped_headers() {
    let out = sample_output();
    let mut callouts = 0;
    let mut tables = 0;
    for (path, doc) in lesson_pages(out) {
        for callout in doc.select(&sel(".callout")) {
            callouts += 1;
            let label = callout
                .select(&sel(".callout-label"))
                .map(|l| l.text().collect::<String>())
                .collect::<String>();
            let words = ["Lưu ý", "Mẹo", "Quan trọng", "Cảnh báo lừa đảo", "Cẩn thận"];
            assert!(words.iter().any(|w| label.contains(w)), "{}: callout label {label:?}", path.display());
            assert_eq!(callout.value().attr("role"), Some("note"));
        }
        for table in doc.select(&sel("table")) {
            tables += 1;
            let headers: Vec<_> = table.select(&sel("th")).collect();
            assert!(!headers.is_empty(), "{}: table without th", path.display());
            assert!(
                headers.iter().all(|th| th.value().attr("scope") == Some("col")),
                "{}: th without scope",
                path.display()
            );
        }
    }
    assert!(callouts >= 16, "only {callouts} callouts");
    assert!(tables >= 3, "only {tables} tables");
}

#[test]
fn steps_external_links_and_task_lists_are_marked_up_for_readers() {
    let out = sample_output();
    let doc = Html::parse_document(
        &std::fs::read_to_string(out.join("dich-vu-cong/dang-nhap-cong-dich-vu-cong/index.html"))
            .unwrap_or_default(),
    );
    assert!(doc.select(&sel("ol.steps > li")).count() >= 9);
    let external = doc.select(&sel("a.external")).next().unwrap_or_else(|| panic!("no external link"));
    assert_eq!(external.value().attr("rel"), Some("noopener"));
    let hidden =
        external.select(&sel(".visually-hidden")).map(|e| e.text().collect::<String>()).collect::<String>();
    assert_eq!(hidden.trim(), "(mở trang ngoài)");

    let doc = Html::parse_document(
        &std::fs::read_to_string(out.join("dich-vu-cong/nop-ho-so-truc-tuyen/index.html"))
            .unwrap_or_default(),
    );
    assert_eq!(doc.select(&sel("input[type=checkbox]")).count(), 0, "no unlabelled checkboxes");
    // In the web body; the lesson's print version (it asks questions) repeats the list on paper.
    assert_eq!(texts(&doc, "#noi-dung-bai .visually-hidden").iter().filter(|t| *t == "Chưa làm:").count(), 3);
}

#[test]
fn heading_ids_are_vietnamese_slugs() {
    let out = sample_output();
    let html = std::fs::read_to_string(out.join("dich-vu-cong/kich-hoat-vneid-muc-2/index.html"))
        .unwrap_or_default();
    assert!(html.contains("<h2 id=\"ban-can-chuan-bi\">Bạn cần chuẩn bị</h2>"), "heading ids");
    assert!(html.contains("<h2 id=\"cac-buoc-kich-hoat\">"));
}

#[test]
fn bundle_images_are_published_beside_the_lesson_with_alt_text() {
    let out = sample_output();
    assert!(out.join("thanh-toan/thanh-toan-bang-ma-qr/nut-quet-qr-svg.svg").is_file());
    for (path, doc) in html_pages(out) {
        for img in doc.select(&sel("main img")) {
            let alt = img.value().attr("alt").unwrap_or_default();
            assert!(!alt.trim().is_empty(), "{}: image without alt", path.display());
        }
    }
}

#[test]
fn assets_are_fingerprinted_and_fonts_ship_with_the_site() {
    let out = sample_output();
    let css: Vec<_> = std::fs::read_dir(out.join("css"))
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    // Beside it, its precompressed copies (the sample site has `precompress = true`).
    let css: Vec<_> = css.into_iter().filter(|n| n.ends_with(".css")).collect();
    assert_eq!(css.len(), 1);
    assert!(css[0].starts_with("hocso.") && css[0].len() == "hocso.0123456789.css".len(), "{css:?}");
    assert!(out.join("fonts/be-vietnam-pro-vietnamese-400-normal.woff2").is_file());
    assert!(out.join("fonts/OFL-BeVietnamPro.txt").is_file());
    // No page asks anything of another host.
    for (path, doc) in html_pages(out) {
        for e in doc.select(&sel("link[href], script[src], img[src]")) {
            let url = e.value().attr("href").or_else(|| e.value().attr("src")).unwrap_or_default();
            let rel = e.value().attr("rel").unwrap_or_default();
            if rel == "canonical" || rel == "alternate" && e.value().attr("hreflang").is_some() {
                continue;
            }
            assert!(!url.starts_with("http"), "{}: external resource {url}", path.display());
        }
    }
}
