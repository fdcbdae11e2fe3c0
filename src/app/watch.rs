//! `hocso serve`'s rebuild loop: watch the site's sources, rebuild on change, tell the tabs.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::app::serve::Live;
use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::lang::Lang;
use crate::pipeline::build::{self, BuildOptions};
use crate::pipeline::{edition, incremental};

/// Editors save in several steps (write, rename, touch) within a few milliseconds of each other;
/// wait this long for the burst to end. Longer only delays every reload: the staff save, look, save.
const DEBOUNCE: Duration = Duration::from_millis(40);

/// The folders and files whose changes trigger a rebuild.
pub fn watched(root: &Path) -> Vec<(PathBuf, RecursiveMode)> {
    use crate::core::paths::{ARCHETYPES_DIR, CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR, THEMES_DIR};
    let mut out: Vec<(PathBuf, RecursiveMode)> =
        [CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR, THEMES_DIR, ARCHETYPES_DIR]
            .iter()
            .map(|d| root.join(d))
            .filter(|d| d.is_dir())
            .map(|d| (d, RecursiveMode::Recursive))
            .collect();
    // The root itself only for site.toml; it also holds public/ and the cache, which we write.
    out.push((root.to_path_buf(), RecursiveMode::NonRecursive));
    out
}

/// Whether a changed path is a source (not our own output, cache or an editor's temp file).
fn is_source(root: &Path, output: &Path, path: &Path) -> bool {
    if path.starts_with(output) || path.starts_with(root.join(".hocso-cache")) {
        return false;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.starts_with(".hocso") {
        return false;
    }
    // Directly in the root, only site.toml matters.
    path.parent() != Some(root) || name == crate::core::paths::CONFIG_FILE
}

/// Watches and rebuilds until the process ends. Returns only if watching cannot start.
pub fn run(
    options: BuildOptions,
    live: Arc<Live>,
    lang: Lang,
    quiet: bool,
    mut kept: Option<build::Kept>,
) -> Result<(), notify::Error> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading a file (as every build does) is an "access" event: only real changes count,
        // or each build would trigger the next.
        use notify::EventKind;
        if let Ok(event) = event {
            let real = matches!(event.kind, EventKind::Create(_) | EventKind::Remove(_))
                || matches!(event.kind, EventKind::Modify(m) if !matches!(m, notify::event::ModifyKind::Metadata(_)));
            if real {
                let _ = tx.send(event.paths);
            }
        }
    })?;
    for (path, mode) in watched(&options.root) {
        watcher.watch(&path, mode)?;
    }
    let root = std::fs::canonicalize(&options.root).unwrap_or_else(|_| options.root.clone());
    let output = std::fs::canonicalize(&options.output).unwrap_or_else(|_| options.output.clone());
    while let Ok(paths) = rx.recv() {
        let mut changed: Vec<PathBuf> = paths.into_iter().filter(|p| is_source(&root, &output, p)).collect();
        // Gather the rest of the burst.
        let until = Instant::now() + DEBOUNCE;
        while let Ok(more) = rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
            changed.extend(more.into_iter().filter(|p| is_source(&root, &output, p)));
        }
        changed.sort();
        changed.dedup();
        if changed.is_empty() {
            continue;
        }
        // An edit of one lesson's text: redo just that lesson, reload, then the search index.
        if let (Some(state), [one]) = (kept.as_mut(), changed.as_slice()) {
            match incremental::rebuild_lesson(state, &options, one) {
                Some(Ok(report)) if report.files == 0 => continue,
                Some(Ok(report)) => {
                    live.reloaded();
                    if !quiet {
                        println!("{}", done_line(&options, one, lang, &report));
                    }
                    if let Err(d) = incremental::refresh_search(state, &options) {
                        eprintln!("{}", d.render(lang));
                    }
                    continue;
                }
                Some(Err(problems)) => {
                    report_failure(&problems, &live, lang);
                    continue;
                }
                None => {}
            }
        }
        kept = rebuild(&options, &live, lang, quiet, &changed);
    }
    Ok(())
}

fn done_line(options: &BuildOptions, changed: &Path, lang: Lang, report: &build::Report) -> String {
    let root = std::fs::canonicalize(&options.root).unwrap_or_else(|_| options.root.clone());
    let p = std::fs::canonicalize(changed).unwrap_or_else(|_| changed.to_path_buf());
    format!(
        "{} {} → {}",
        lang.pick("Đã sửa", "Changed"),
        crate::core::diagnostic::relative(&root, &p).display(),
        crate::app::report::summary(lang, report)
    )
}

fn report_failure(problems: &[Diagnostic], live: &Live, lang: Lang) {
    for d in problems {
        eprintln!("{}", d.render(lang));
    }
    live.failed(panel_html(problems, lang));
}

/// One full rebuild: on success the tabs reload, on failure they show the panel.
pub fn rebuild(
    options: &BuildOptions,
    live: &Live,
    lang: Lang,
    quiet: bool,
    changed: &[PathBuf],
) -> Option<build::Kept> {
    match build::build_keeping(options, edition::Sources::Keep) {
        Ok((report, kept)) => {
            live.reloaded();
            if let Some(first) = changed.first().filter(|_| !quiet) {
                println!("{}", done_line(options, first, lang, &report));
            }
            Some(kept)
        }
        Err(problems) => {
            report_failure(&problems, live, lang);
            None
        }
    }
}

/// The error panel shown on every open tab while the site does not build: large text, the
/// place of each problem and how to fix it. Styled inline so it works with any theme.
pub fn panel_html(problems: &[Diagnostic], lang: Lang) -> String {
    let esc = crate::core::html::escape;
    let errors: Vec<&Diagnostic> = problems.iter().filter(|d| d.severity == Severity::Error).collect();
    let mut items = String::new();
    for d in errors.iter().take(20) {
        let (what, fix) = d.problem.explain(lang);
        items.push_str(&format!(
            "<li style=\"margin:0 0 .6rem\"><strong>{}</strong>: {}<br>{} {}</li>",
            esc(&d.location()),
            esc(&what),
            lang.pick("Cách sửa:", "How to fix:"),
            esc(&fix)
        ));
    }
    let title = match lang {
        Lang::Vi => format!("Trang chưa cập nhật được: {} lỗi", errors.len()),
        Lang::En => format!("The site could not be rebuilt: {} errors", errors.len()),
    };
    format!(
        "<div id=\"hocso-error\" role=\"alert\" style=\"position:relative;z-index:1000;margin:0;padding:1rem 1.25rem;background:#fff;color:#1b1b1b;border:6px solid #8f0000;font:1.25rem/1.6 sans-serif\"><p style=\"margin:0 0 .5rem;font-weight:700;font-size:1.4rem;color:#8f0000\">⚠ {}</p><ul style=\"margin:0;padding-left:1.2rem\">{items}</ul><p style=\"margin:.5rem 0 0\">{}</p></div>",
        esc(&title),
        lang.pick(
            "Trang bạn đang xem là bản cũ. Sửa lỗi rồi lưu tệp: trang sẽ tự tải lại.",
            "You are seeing the last good version. Fix the problem and save: the page reloads by itself.",
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_trigger_rebuilds() {
        let root = Path::new("/site");
        let out = Path::new("/site/public");
        assert!(is_source(root, out, Path::new("/site/content/a/b.md")));
        assert!(is_source(root, out, Path::new("/site/site.toml")));
        assert!(!is_source(root, out, Path::new("/site/public/a/index.html")));
        assert!(!is_source(root, out, Path::new("/site/.hocso-cache/img/x/info.json")));
        assert!(!is_source(root, out, Path::new("/site/content/a/.b.md.swp")));
        assert!(!is_source(root, out, Path::new("/site/.hocso-build-abc")));
        assert!(!is_source(root, out, Path::new("/site/notes.txt")));
    }

    #[test]
    fn the_panel_is_an_alert_with_place_and_fix_escaped() {
        let d = Diagnostic::error(
            "content/a.md",
            3,
            1,
            crate::core::diagnostic::Problem::BrokenLink { target: "<x>.md".into(), closest: None },
        );
        let html = panel_html(&[d], Lang::Vi);
        assert!(html.contains("role=\"alert\"") && html.contains("content/a.md:3:1"));
        assert!(html.contains("&lt;x&gt;.md") && !html.contains("<x>"));
        assert!(html.contains("Trang chưa cập nhật được: 1 lỗi"));
    }
}
