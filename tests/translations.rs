//! Translations (issue 16): a site per language under `/<code>/`, tied together by `hreflang`,
//! a language switcher and the sitemap; each language with its own search index, glossary and
//! feed; untranslated lessons shown in Vietnamese and marked so.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{Fixture, html_pages, lesson, sample_output, sel};
use scraper::Html;

/// The output file an absolute address of the sample site is served from.
fn file_of(out: &Path, abs: &str) -> PathBuf {
    let path =
        abs.strip_prefix("https://hocso.example.vn/").unwrap_or_else(|| panic!("foreign address {abs}"));
    if path.is_empty() || path.ends_with('/') { out.join(path).join("index.html") } else { out.join(path) }
}

/// Every page's `<link rel="alternate" hreflang>`: page → (language → address).
fn alternates(out: &Path) -> BTreeMap<PathBuf, BTreeMap<String, String>> {
    html_pages(out)
        .into_iter()
        .map(|(path, doc)| {
            let links = doc
                .select(&sel("link[rel=alternate][hreflang]"))
                .filter_map(|e| {
                    Some((e.value().attr("hreflang")?.to_owned(), e.value().attr("href")?.to_owned()))
                })
                .collect();
            (out.join(path), links)
        })
        .collect()
}

#[test]
fn hreflang_is_reciprocal_and_every_alternate_exists() {
    let out = sample_output();
    let all = alternates(out);
    let mut pairs = 0;
    for (page, links) in &all {
        if links.is_empty() {
            continue;
        }
        assert!(links.contains_key("x-default"), "{}: no x-default", page.display());
        assert_eq!(
            links.get("x-default"),
            links.get("vi"),
            "{}: x-default is the Vietnamese page",
            page.display()
        );
        for (lang, href) in links {
            let target = file_of(out, href);
            assert!(target.is_file(), "{}: {lang} alternate {href} does not exist", page.display());
            // If A lists B, B lists A, with the same addresses.
            let back = all.get(&target).unwrap_or_else(|| panic!("{href} is not a page"));
            assert_eq!(back, links, "{} and {href} disagree", page.display());
            pairs += 1;
        }
    }
    // Home, four topics, four lessons, the statement and hocso's own pages, in two languages.
    assert!(pairs > 60, "only {pairs} alternates checked");
    let otp = &all[&out.join("an-toan/bao-ve-ma-otp-mat-khau/index.html")];
    assert_eq!(
        otp.get("en").map(String::as_str),
        Some("https://hocso.example.vn/en/an-toan/protect-otp-and-passwords/")
    );
    // An untranslated lesson claims no English version.
    assert!(all[&out.join("an-toan/duong-link-gia/index.html")].is_empty());
}

#[test]
fn every_page_says_its_language_and_offers_the_switcher() {
    let out = sample_output();
    let mut english = 0;
    for (path, doc) in html_pages(out) {
        let p = path.display();
        let lang = if path.starts_with("en") { "en" } else { "vi" };
        let html = doc.select(&sel("html")).next().unwrap_or_else(|| panic!("{p}: no html"));
        assert_eq!(html.value().attr("lang"), Some(lang), "{p}");
        english += usize::from(lang == "en");
        if path.starts_with("to-roi") || path.starts_with("en/to-roi") {
            continue;
        }
        let Some(nav) = doc.select(&sel("header nav.lang-nav[aria-label]")).next() else {
            if doc.select(&sel("header")).next().is_some() && !path.starts_with("cu") {
                panic!("{p}: no language switcher");
            }
            continue;
        };
        let entries: Vec<_> = nav.select(&sel("a")).collect();
        assert_eq!(entries.len(), 2, "{p}: switcher entries");
        for a in &entries {
            let v = a.value();
            // A plain link in the header: in the tab order, named in its own language.
            assert!(v.attr("href").is_some_and(|h| h.starts_with('/')), "{p}");
            assert_eq!(v.attr("tabindex"), None, "{p}: switcher link out of the tab order");
            assert_eq!(v.attr("lang"), v.attr("hreflang"), "{p}");
            let name = a.text().collect::<String>();
            match v.attr("lang") {
                Some("vi") => assert_eq!(name, "Tiếng Việt"),
                Some("en") => assert_eq!(name, "English"),
                other => panic!("{p}: switcher entry in {other:?}"),
            }
        }
        let current: Vec<_> = entries.iter().filter(|a| a.value().attr("aria-current").is_some()).collect();
        assert_eq!(current.len(), 1, "{p}: one current language");
        assert_eq!(current[0].value().attr("lang"), Some(lang), "{p}: the current language is marked");
    }
    assert!(english >= 10, "only {english} English pages");
}

#[test]
fn the_sitemap_lists_every_version_with_its_alternates() {
    let out = sample_output();
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap_or_default();
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let mut entries = 0;
    // Read as text: `xhtml:link` is XML, not HTML.
    for url in sitemap.split("<url>").skip(1) {
        let between = |open: &str, close: &str| {
            url.split_once(open).and_then(|(_, r)| r.split_once(close)).map(|(v, _)| v.to_owned())
        };
        let loc = between("<loc>", "</loc>").unwrap_or_default();
        assert!(file_of(out, &loc).is_file(), "{loc} is in the sitemap but not built");
        let links: BTreeSet<(String, String)> = url
            .split("<xhtml:link ")
            .skip(1)
            .filter_map(|l| {
                let attr = |name: &str| {
                    l.split_once(&format!("{name}=\""))
                        .and_then(|(_, r)| r.split_once('"'))
                        .map(|(v, _)| v.to_owned())
                };
                Some((attr("hreflang")?, attr("href")?))
            })
            .collect();
        if loc.ends_with("/en/an-toan/protect-otp-and-passwords/") {
            let vi = "https://hocso.example.vn/an-toan/bao-ve-ma-otp-mat-khau/".to_owned();
            assert!(links.contains(&("vi".into(), vi.clone())), "{links:?}");
            assert!(links.contains(&("x-default".into(), vi)), "{links:?}");
            assert!(links.contains(&("en".into(), loc.clone())), "{links:?}");
        }
        entries += 1;
    }
    assert!(entries >= 16 + 4 + 10, "{entries} entries");
    assert!(
        !sitemap.contains("/en/an-toan/duong-link-gia/"),
        "an untranslated lesson has no English address"
    );
}

/// The folded words of a built index (every shard's keys).
fn index_words(index: &Path) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for entry in std::fs::read_dir(index.join("s")).unwrap_or_else(|e| panic!("{e}")).flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let shard: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&text).unwrap_or_default();
        words.extend(shard.into_iter().map(|(k, _)| k));
    }
    words
}

#[test]
fn each_language_searches_its_own_lessons() {
    let out = sample_output();
    let en = out.join("en/tim-kiem/du-lieu");
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(en.join("meta.json")).unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(meta["docs"], 4, "the English index holds the four English lessons");
    assert_eq!(meta["fold"], "plain");
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(en.join("d/0.json")).unwrap_or_default())
            .unwrap_or_default();
    assert!(rows.iter().all(|r| r[1].as_str().is_some_and(|u| u.starts_with("/en/"))), "{rows:?}");
    let words = index_words(&en);
    assert!(words.contains("password"), "an English lesson is found by an English word");
    // "deepfake" is only in a Vietnamese lesson (and the English glossary, which no English
    // lesson uses it from): the English search does not find the Vietnamese-only lesson.
    assert!(!words.contains("deepfake"));
    assert!(index_words(&out.join("tim-kiem/du-lieu")).contains("deepfake"));
    let vi_meta = std::fs::read_to_string(out.join("tim-kiem/du-lieu/meta.json")).unwrap_or_default();
    assert!(vi_meta.contains("\"docs\":16") && vi_meta.contains("\"fold\":\"vi\""), "{vi_meta}");
}

#[test]
fn an_english_topic_lists_untranslated_lessons_in_vietnamese_marked_as_such() {
    let out = sample_output();
    let doc =
        Html::parse_document(&std::fs::read_to_string(out.join("en/an-toan/index.html")).unwrap_or_default());
    let cards: Vec<_> = doc.select(&sel("#main .card")).collect();
    assert_eq!(cards.len(), 4, "every lesson of the topic is listed");
    let mut untranslated = 0;
    for card in cards {
        let title = card.select(&sel(".card-title")).next().unwrap_or_else(|| panic!("no title"));
        let link = title.select(&sel("a")).next().unwrap_or_else(|| panic!("no link"));
        let href = link.value().attr("href").unwrap_or_default();
        if href.starts_with("/en/") {
            assert_eq!(title.value().attr("lang"), None);
            continue;
        }
        untranslated += 1;
        assert_eq!(title.value().attr("lang"), Some("vi"), "{href}: the Vietnamese title carries lang");
        assert_eq!(link.value().attr("hreflang"), Some("vi"));
        let note = card.select(&sel(".untranslated")).next().map(|n| n.text().collect::<String>());
        assert_eq!(note.as_deref(), Some("Not yet translated; shown in Vietnamese."));
    }
    assert_eq!(untranslated, 3);
    // The English lesson's neighbours are Vietnamese: their links say so.
    let lesson = std::fs::read_to_string(out.join("en/an-toan/protect-otp-and-passwords/index.html"))
        .unwrap_or_default();
    assert!(lesson.contains("rel=\"next\" hreflang=\"vi\""), "next lesson link");
}

#[test]
fn leaflets_glossary_and_feed_exist_per_language() {
    let out = sample_output();
    // The English lesson page prints as its leaflet, its QR code leading to the English page.
    let leaflet = std::fs::read_to_string(out.join("en/an-toan/protect-otp-and-passwords/index.html"))
        .unwrap_or_default();
    assert!(leaflet.contains("hocso.example.vn/en/an-toan/protect-otp-and-passwords/"), "the QR caption");
    assert!(leaflet.contains("<div class=\"leaflet-qr print-only\">"), "the print-only QR code");
    assert!(!out.join("en/an-toan/protect-otp-and-passwords/to-roi").exists());
    let pack = std::fs::read_to_string(out.join("en/to-roi/tat-ca/index.html")).unwrap_or_default();
    assert_eq!(
        pack.matches("class=\"leaflet ").count() + pack.matches("class=\"leaflet\"").count(),
        4,
        "English pack"
    );
    let glossary = Html::parse_document(
        &std::fs::read_to_string(out.join("en/thuat-ngu/index.html")).unwrap_or_default(),
    );
    assert!(glossary.select(&sel("dt, h3")).count() >= 10, "ten English terms");
    let atom = std::fs::read_to_string(out.join("en/atom.xml")).unwrap_or_default();
    assert!(atom.contains("xml:lang=\"en\"") && atom.matches("<entry>").count() == 4, "{atom}");
    // English lessons link glossary terms to the English glossary.
    let otp = std::fs::read_to_string(out.join("en/an-toan/protect-otp-and-passwords/index.html"))
        .unwrap_or_default();
    assert!(otp.contains("href=\"/en/thuat-ngu/#"), "glossary links");
    // Where the machine can record (CI installs eSpeak NG), the English lesson has its own
    // recording, in an English voice, beside its page.
    if out.join("an-toan/bao-ve-ma-otp-mat-khau/nghe.opus").is_file() {
        assert!(out.join("en/an-toan/protect-otp-and-passwords/nghe.opus").is_file());
        assert!(otp.contains("/en/an-toan/protect-otp-and-passwords/nghe.opus"), "the player plays it");
    }
}

/// A site with a third language and no UI strings for it: the theme's Vietnamese strings stand
/// in, and one warning lists what is missing.
fn three_languages() -> Fixture {
    let f = Fixture::new();
    f.write(
        "site.toml",
        &format!(
            "{}\n[languages.en]\ntitle = \"Test\"\n\n[languages.hmn]\ntitle = \"Kawm\"\nname = \"Hmoob\"\n",
            common::SITE_TOML
        ),
    );
    f.write(
        "content/an-toan/link.md",
        &lesson("Đường link lạ", "Cẩn thận với link lạ.", "Đọc [bài OTP](otp.md).\n"),
    );
    f.write(
        "content/an-toan/otp.en.md",
        &lesson("Keep your OTP secret", "Never share an OTP.", "## Step 1\n\nDo.\n"),
    );
    // A link to the original of a translated lesson, one to an untranslated lesson, and one to
    // a translation that does not exist yet: none is an error.
    f.write(
        "content/an-toan/otp.hmn.md",
        &lesson(
            "Tsis txhob qhia OTP",
            "Tsis txhob qhia.",
            "Saib [link](link.md), [link](link.hmn.md) thiab [OTP](otp.md).\n",
        ),
    );
    f
}

#[test]
fn a_language_without_ui_strings_builds_with_one_warning() {
    let f = three_languages();
    let report = f.build().unwrap_or_else(|p| panic!("{p:?}"));
    let missing: Vec<_> =
        report.warnings.iter().filter(|w| w.problem.code() == "missing-ui-strings").collect();
    assert_eq!(missing.len(), 1, "{:?}", report.warnings);
    let text = missing[0].render(hocso::core::lang::Lang::En);
    assert!(text.contains("hmn") && text.contains("search_button"), "{text}");
    let page = f.read_output("hmn/an-toan/otp/index.html");
    assert!(page.contains("<html lang=\"hmn\">"));
    assert!(page.contains("Bỏ qua, đến nội dung chính"), "Vietnamese strings stand in");
    assert!(page.contains(">Hmoob</a>"), "the switcher names the language in itself");
    // Links: to the untranslated lesson (its Vietnamese page, marked), and to the translated one.
    assert!(page.contains("href=\"/an-toan/link/\" hreflang=\"vi\""), "{page}");
    assert!(page.matches("href=\"/an-toan/link/\" hreflang=\"vi\"").count() >= 2, "{page}");
    assert!(page.contains("href=\"/hmn/an-toan/otp/\""));
    assert!(!f.path().join("public/hmn/an-toan/link").exists());
    // The English pages have their own strings, with no warning.
    assert!(f.read_output("en/an-toan/otp/index.html").contains("<html lang=\"en\">"));
}

#[test]
fn a_broken_translation_names_its_own_file_and_line() {
    let f = Fixture::new();
    f.write("site.toml", &format!("{}\n[languages.en]\n", common::SITE_TOML));
    f.write(
        "content/an-toan/otp.en.md",
        "+++\ntitle = \"Keep your OTP secret\"\nsummary = \"x\"\nlevel = 3\n+++\nText.\n",
    );
    let errors = f.build_errors();
    assert!(
        errors.iter().any(|e| e.contains("content/an-toan/otp.en.md:4")),
        "the message names the translation and the line of the mistake: {errors:?}"
    );
}

#[test]
fn a_translation_without_original_and_an_unknown_language_are_warnings() {
    let f = Fixture::new();
    f.write("site.toml", &format!("{}\n[languages.en]\n", common::SITE_TOML));
    f.write("content/an-toan/missing.en.md", &lesson("Orphan", "No original.", "Text.\n"));
    f.write("content/an-toan/otp.fr.md", &lesson("Secret", "Français.", "Texte.\n"));
    let report = f.build().unwrap_or_else(|p| panic!("{p:?}"));
    let codes: Vec<&str> = report.warnings.iter().map(|w| w.problem.code()).collect();
    assert!(codes.contains(&"translation-without-source"), "{codes:?}");
    assert!(codes.contains(&"unknown-language"), "{codes:?}");
    assert!(!f.path().join("public/en/an-toan/missing").exists());
    assert!(!f.path().join("public/an-toan/otp-fr").exists(), "bai.fr.md is not a lesson of its own");
}

#[test]
fn new_starts_a_translation_and_check_lists_what_is_left() {
    let f = Fixture::new();
    f.write("site.toml", &format!("{}\n[languages.en]\n", common::SITE_TOML));
    f.write(
        "content/an-toan/otp.md",
        "+++\ntitle = \"Giữ kín OTP\"\nsummary = \"Không đưa mã.\"\nupdated = 2026-11-20\naliases = [\"/cu/otp/\"]\n+++\nBước.\n",
    );
    let o = common::hocso(f.path(), &["new", "an-toan/otp", "--lang", "en"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let draft = std::fs::read_to_string(f.path().join("content/an-toan/otp.en.md")).unwrap_or_default();
    assert!(draft.contains("title = \"Giữ kín OTP\"") && draft.contains("draft = true"), "{draft}");
    assert!(!draft.contains("aliases"), "old addresses stay with the original");
    assert!(!draft.contains("Bước."), "the body is left for the translator");
    // A second run does not overwrite the translator's work.
    assert!(!common::hocso(f.path(), &["new", "an-toan/otp", "--lang", "en"]).status.success());

    let check = |f: &Fixture| common::stderr(&common::hocso(f.path(), &["check", "--lang", "en"]));
    f.remove("content/an-toan/otp.en.md");
    assert!(check(&f).contains("Not yet translated into en"), "{}", check(&f));
    f.write(
        "content/an-toan/otp.en.md",
        "+++\ntitle = \"Keep your OTP secret\"\nsummary = \"Never share it.\"\nupdated = 2026-11-01\n+++\nStep.\n",
    );
    let out = check(&f);
    assert!(out.contains("updated after its en translation"), "{out}");
    assert!(!out.contains("Not yet translated"), "{out}");
}
