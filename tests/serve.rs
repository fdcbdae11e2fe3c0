//! `hocso serve` as a person uses it: the page reloads after an edit, a broken edit shows an
//! error panel while the last good site keeps being served, and the server stays correct
//! under load while it rebuilds.

mod common;

use std::time::{Duration, Instant};

use common::{Fixture, get, lesson, serve};

fn body_json(response: &str) -> serde_json::Value {
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {response}"))
}

#[test]
fn edits_reload_the_page_and_errors_show_in_it_until_fixed() {
    let f = Fixture::new();
    let server = serve(&f);
    let port = server.1;
    let page = get(port, "/an-toan/otp/");
    assert!(page.contains("<script src=\"/__hocso/live.js\" data-generation=\"0\"></script>"), "{page}");
    assert!(
        !std::fs::read_to_string(f.path().join("public/an-toan/otp/index.html"))
            .unwrap_or_default()
            .contains("live.js"),
        "the live script is never written to the output"
    );
    assert!(get(port, "/__hocso/live.js").contains("window.location.reload()"));

    // A tab waits; an edit wakes it with a new generation.
    let waiter = std::thread::spawn(move || get(port, "/__hocso/wait?since=0&error=0"));
    std::thread::sleep(Duration::from_millis(300));
    let saved = Instant::now();
    f.write(
        "content/an-toan/otp.md",
        &lesson("Giữ kín OTP", "Không đưa mã OTP cho ai.", "## Bước 1\n\nĐã sửa một chữ.\n"),
    );
    let state = body_json(&waiter.join().unwrap_or_default());
    let reload_ms = saved.elapsed().as_millis();
    assert_eq!(state["generation"], 1, "{state}");
    assert!(get(port, "/an-toan/otp/").contains("Đã sửa một chữ."));
    println!("save → reload signal: {reload_ms} ms");

    // A broken edit: the old page stays, with an accessible error panel.
    let waiter = std::thread::spawn(move || get(port, "/__hocso/wait?since=1&error=0"));
    std::thread::sleep(Duration::from_millis(300));
    f.write("content/an-toan/otp.md", "+++\ntitle = \"Giữ kín OTP\"\n");
    let state = body_json(&waiter.join().unwrap_or_default());
    let panel = state["error"].as_str().unwrap_or_default().to_owned();
    assert!(panel.contains("role=\"alert\"") && panel.contains("content/an-toan/otp.md:1:1"), "{panel}");
    let page = get(port, "/an-toan/otp/");
    assert!(page.contains("Đã sửa một chữ."), "last good page still served");
    assert!(page.contains("id=\"hocso-error\" role=\"alert\""), "panel in the page");
    assert!(page.contains("Trang chưa cập nhật được: 1 lỗi"));

    // Fixed: the panel goes and the tab reloads.
    let waiter = std::thread::spawn(move || get(port, "/__hocso/wait?since=1&error=1"));
    std::thread::sleep(Duration::from_millis(300));
    f.write("content/an-toan/otp.md", &lesson("Giữ kín OTP", "S", "Đã sửa xong.\n"));
    let state = body_json(&waiter.join().unwrap_or_default());
    assert_eq!(state["generation"], 2);
    assert!(state["error"].is_null());
    assert!(!get(port, "/an-toan/otp/").contains("hocso-error"));

    // Saved again without a change: nothing is rebuilt and no tab reloads, so the next real
    // edit is generation 3, not 4.
    f.write("content/an-toan/otp.md", &lesson("Giữ kín OTP", "S", "Đã sửa xong.\n"));
    std::thread::sleep(Duration::from_millis(600));
    let waiter = std::thread::spawn(move || get(port, "/__hocso/wait?since=2&error=0"));
    std::thread::sleep(Duration::from_millis(300));
    f.write("content/an-toan/otp.md", &lesson("Giữ kín OTP", "S", "Sửa lần nữa.\n"));
    let state = body_json(&waiter.join().unwrap_or_default());
    assert_eq!(state["generation"], 3, "{state}");
}

#[test]
fn a_loaded_server_answers_every_request_while_it_rebuilds() {
    let f = Fixture::new();
    let server = serve(&f);
    let port = server.1;
    let started = Instant::now();
    let clients: Vec<_> = (0..50)
        .map(|c| {
            std::thread::spawn(move || {
                let mut failures = 0;
                for i in 0..40 {
                    let path = if (c + i) % 3 == 0 { "/an-toan/" } else { "/an-toan/otp/" };
                    let r = get(port, path);
                    if !r.starts_with("HTTP/1.1 200") {
                        failures += 1;
                    }
                }
                failures
            })
        })
        .collect();
    // Rebuilds while the clients run.
    for n in 0..3 {
        std::thread::sleep(Duration::from_millis(150));
        f.write("content/an-toan/otp.md", &lesson("Giữ kín OTP", "S", &format!("Lần sửa {n}.\n")));
    }
    let failures: usize = clients.into_iter().map(|c| c.join().unwrap_or(40)).sum();
    println!("2000 requests from 50 clients in {} ms", started.elapsed().as_millis());
    assert_eq!(failures, 0, "failed requests");
}
