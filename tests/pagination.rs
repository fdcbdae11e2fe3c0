//! Long lists get numbered pages: a topic of more than 50 lessons, and the A–Z list of a large
//! site. Short ones stay one page, as before.

mod common;

use common::{Fixture, lesson};
use scraper::{Html, Selector};

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("{css}: {e}"));
    doc.select(&selector).collect()
}

fn page(f: &Fixture, rel: &str) -> Html {
    Html::parse_document(&f.read_output(rel))
}

/// The addresses of the lesson cards (topic page) or links (A–Z page) a page lists.
fn listed(doc: &Html, css: &str) -> Vec<String> {
    select(doc, css).iter().filter_map(|a| a.value().attr("href")).map(str::to_owned).collect()
}

/// Checks the numbered links of page `n` (from 1) of 3 under `first`.
fn assert_pagination(doc: &Html, first: &str, n: usize) {
    let navs = select(doc, "nav.pagination[aria-label]");
    assert_eq!(navs.len(), 1, "one labelled page navigation on page {n}");
    let text: String = navs[0].text().collect();
    assert!(text.contains(&format!("Trang {n} trên 3")), "{text}");
    let url = |i: usize| if i == 1 { first.to_owned() } else { format!("{first}trang-{i}/") };
    let numbers = listed(doc, "nav.pagination a:not([rel])");
    assert_eq!(numbers, (1..=3).map(url).collect::<Vec<_>>(), "every page numbered on page {n}");
    assert_eq!(listed(doc, "nav.pagination a[aria-current=page]"), vec![url(n)]);
    let prev = listed(doc, "nav.pagination a[rel=prev]");
    let next = listed(doc, "nav.pagination a[rel=next]");
    assert_eq!(prev, if n > 1 { vec![url(n - 1)] } else { vec![] }, "prev on page {n}");
    assert_eq!(next, if n < 3 { vec![url(n + 1)] } else { vec![] }, "next on page {n}");
}

#[test]
fn a_topic_of_120_lessons_has_three_pages_listing_each_lesson_once() {
    let f = Fixture::new();
    for i in 0..119 {
        f.write(
            &format!("content/an-toan/bai-{i:03}.md"),
            &lesson(&format!("Bài {i:03}"), "Tóm tắt.", "Nội dung.\n"),
        );
    }
    // A second topic of 50 lessons stays one page, with no page links.
    f.write(
        "content/dien-thoai/_index.md",
        "+++\ntitle = \"Điện thoại\"\ndescription = \"Dùng điện thoại.\"\n+++\n",
    );
    for i in 0..50 {
        f.write(
            &format!("content/dien-thoai/bai-{i:02}.md"),
            &lesson(&format!("Gọi {i:02}"), "Tóm tắt.", "Nội dung.\n"),
        );
    }
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let mut seen = Vec::new();
    for (n, rel) in
        [(1, "an-toan/index.html"), (2, "an-toan/trang-2/index.html"), (3, "an-toan/trang-3/index.html")]
    {
        let doc = page(&f, rel);
        assert_pagination(&doc, "/an-toan/", n);
        let cards = listed(&doc, ".card-title a");
        assert_eq!(cards.len(), if n < 3 { 50 } else { 20 }, "{rel}");
        seen.extend(cards);
    }
    assert!(!f.path().join("public/an-toan/trang-4").exists());
    let count = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!((count, seen.len()), (120, 120), "every lesson listed exactly once across the pages");
    let small = page(&f, "dien-thoai/index.html");
    assert!(select(&small, "nav.pagination").is_empty(), "50 lessons is one page");
    assert_eq!(listed(&small, ".card-title a").len(), 50);
    assert!(!f.path().join("public/dien-thoai/trang-2").exists());

    // 330 lessons: the A–Z list is a page of its own, 50 lessons a page, a topic's heading
    // repeated where it spans two pages.
    for i in 0..160 {
        f.write(
            &format!("content/dien-thoai/may-{i:03}.md"),
            &lesson(&format!("Máy {i:03}"), "Tóm tắt.", "Nội dung.\n"),
        );
    }
    f.build().unwrap_or_else(|e| panic!("{e:?}"));
    let mut az = Vec::new();
    for n in 1..=7 {
        let rel = if n == 1 { String::new() } else { format!("trang-{n}/") };
        let doc = page(&f, &format!("tim-kiem/tat-ca/{rel}index.html"));
        let text: String = select(&doc, "nav.pagination").iter().flat_map(|e| e.text()).collect();
        assert!(text.contains(&format!("Trang {n} trên 7")), "{text}");
        let links = listed(&doc, ".a-z a");
        assert_eq!(links.len(), if n < 7 { 50 } else { 30 }, "A–Z page {n}");
        az.extend(links);
    }
    let count = az.len();
    az.sort();
    az.dedup();
    assert_eq!((count, az.len()), (330, 330), "every lesson once in the A–Z pages");
}

#[test]
fn a_lesson_cannot_take_the_address_of_a_list_page() {
    let f = Fixture::new();
    f.write("content/an-toan/trang-2.md", &lesson("Trang hai", "Tóm tắt.", "Nội dung.\n"));
    let errors = f.build_errors();
    assert!(errors.iter().any(|e| e.contains("trang-2")), "{errors:#?}");
}
