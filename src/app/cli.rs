//! The command line: parses arguments, runs a command, speaks to the person at the keyboard.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::lang::Lang;
use crate::pipeline::build::{self, BuildOptions, Report};
use crate::pipeline::edition;

/// hocso — tạo trang học kỹ năng số dễ đọc từ các bài Markdown.
/// (Builds an accessible, large-text learning portal from Markdown lessons.)
#[derive(Debug, Parser)]
#[command(name = "hocso", version, about, long_about = None)]
pub struct Cli {
    /// Ngôn ngữ thông báo: vi (mặc định) hoặc en; với `new`, mã ngôn ngữ của bản dịch cần tạo.
    /// (Language of messages: vi or en; with `new`, the language of a translation to start.)
    #[arg(long, global = true, env = "HOCSO_LANG", default_value = "vi", value_parser = language_arg)]
    pub lang: String,
    /// Chỉ báo lỗi, không in gì khác. (Only print errors.)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// In thêm chi tiết. (Print more detail.)
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tạo toàn bộ trang vào thư mục public/. (Build the site.)
    Build {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Tạo trang rồi mở xem thử trên máy này. (Build and preview the site.)
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Cổng mạng. (Port.)
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Địa chỉ lắng nghe. (Address to listen on.)
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Không theo dõi thay đổi, không tự tải lại trang (phục vụ đúng bản đã tạo).
        /// (Serve the built site as it is: no watching, no reload script.)
        #[arg(long)]
        no_watch: bool,
    },
    /// Tạo bài học mới từ mẫu: hocso new chu-de/ten-bai. (Start a new lesson.)
    New {
        /// chủ-đề/tên-bài, hoặc chỉ chủ-đề kèm --title. (topic/slug, or topic with --title.)
        spec: String,
        /// Tên bài. (Lesson title.)
        #[arg(long)]
        title: Option<String>,
        /// Tạo chủ đề nếu chưa có. (Create the topic if missing.)
        #[arg(long)]
        new_topic: bool,
        /// Thư mục trang. (Site folder.)
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Kiểm tra toàn bộ nội dung, không ghi gì. (Check everything, write nothing.)
    Check {
        /// Thư mục trang. (Site folder.)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// human (mặc định) hoặc json. (Output format.)
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Tạo một trang mới trong thư mục DIR. (Create a new site.)
    Init {
        /// Thư mục sẽ tạo. (Folder to create.)
        dir: PathBuf,
    },
}

/// Output format of `hocso check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Where the site is and where it goes.
#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// Thư mục trang (có site.toml). (Site folder.)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Thư mục kết quả; mặc định ROOT/public. (Output folder.)
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Tạo cả các bài nháp (draft = true). (Include drafts.)
    #[arg(long)]
    pub drafts: bool,
}

impl SiteArgs {
    fn options(&self, quiet: bool) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: self.output.clone().unwrap_or_else(|| self.root.join("public")),
            drafts: self.drafts,
            progress: crate::app::progress::display(quiet),
        }
    }
}

/// Parses the process arguments and runs; usage errors exit with 2 after a word in the staffer's
/// language (clap's own message, in English, follows it).
pub fn main() -> ExitCode {
    match Cli::try_parse() {
        Ok(cli) => run(cli),
        Err(err) => {
            use clap::error::ErrorKind;
            if !matches!(err.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let lang = lang_before_parsing();
                eprintln!(
                    "{}",
                    lang.pick(
                        "lỗi: câu lệnh chưa đúng. Gõ `hocso --help` để xem cách dùng. Chi tiết (tiếng Anh):",
                        "error: the command is not right. Type `hocso --help` for usage. Details:",
                    )
                );
            }
            let _ = err.print();
            ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2))
        }
    }
}

/// The message language when the arguments themselves could not be parsed.
fn lang_before_parsing() -> Lang {
    let args: Vec<String> = std::env::args().collect();
    let from_args = args.windows(2).find(|w| w[0] == "--lang").map(|w| w[1].clone());
    let from_args =
        from_args.or_else(|| args.iter().find_map(|a| a.strip_prefix("--lang=").map(str::to_owned)));
    match from_args.or_else(|| std::env::var("HOCSO_LANG").ok()).as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Vi,
    }
}

/// `--lang`: a language code (`vi`, `en`, `hmn`…).
fn language_arg(code: &str) -> Result<String, String> {
    let code = code.trim();
    if crate::pipeline::config::is_language_code(code) {
        Ok(code.to_owned())
    } else {
        Err(format!("\"{code}\": mã ngôn ngữ như vi, en, hmn (a language code such as vi, en, hmn)"))
    }
}

/// Runs one parsed command (`new`, `init`, `check`, `build` or `serve`), speaking in the
/// `--lang` language, and returns the process exit code: 0 when it succeeded, 1 when it failed
/// (the reason already printed). `serve` returns only when the server stops.
pub fn run(cli: Cli) -> ExitCode {
    let lang = Lang::of(&cli.lang);
    match &cli.command {
        Command::New { spec, title, new_topic, root } if cli.lang != "vi" && title.is_none() => {
            // `hocso new an-toan/otp --lang en`: the English translation of an existing lesson.
            match crate::app::scaffold::new_translation(root, spec, &cli.lang) {
                Ok(path) => {
                    if !cli.quiet {
                        println!(
                            "{} {}\n{}",
                            lang.pick("Đã tạo bản dịch nháp", "Created the draft translation"),
                            path.display(),
                            lang.pick(
                                "Dịch nội dung bài gốc vào tệp này; khi xong, xóa dòng draft = true.",
                                "Translate the original's text into this file; when done, delete the draft = true line."
                            )
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(crate::app::scaffold::ScaffoldError::NoOriginal) => {
                    new_lesson(&cli, lang, spec, None, *new_topic, root)
                }
                Err(e) => {
                    eprintln!("{}", e.explain(lang));
                    ExitCode::from(1)
                }
            }
        }
        Command::New { spec, title, new_topic, root } => {
            new_lesson(&cli, lang, spec, title.as_deref(), *new_topic, root)
        }
        Command::Init { dir } => match crate::app::scaffold::init(dir, chrono::Local::now().date_naive()) {
            Ok(files) => {
                if !cli.quiet {
                    println!(
                        "{} {}:",
                        lang.pick("Đã tạo trang mới trong", "Created a new site in"),
                        dir.display()
                    );
                    for f in files {
                        println!("  {}", f.display());
                    }
                    let root = dir.display().to_string();
                    println!(
                        "{} {}",
                        lang.pick("Bước tiếp theo:", "Next:"),
                        hocso_command(&["serve", "--root", &root])
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{}", e.explain(lang));
                ExitCode::from(1)
            }
        },
        Command::Check { root, format } => run_check(lang, root, *format),
        Command::Build { site } => match run_build(&cli, &site.options(cli.quiet), edition::Sources::Drop) {
            Ok((_, kept)) => {
                // The process ends here: the system takes the memory back at once, where
                // dropping the site frees every lesson's strings one by one on one thread.
                std::mem::forget(kept);
                ExitCode::SUCCESS
            }
            Err(_) => ExitCode::from(1),
        },
        Command::Serve { site, port, bind, no_watch } => {
            run_serve(&cli, lang, &site.options(cli.quiet), bind, *port, *no_watch)
        }
    }
}

/// Builds and reports; on failure the problems (already printed).
fn run_build(
    cli: &Cli,
    options: &BuildOptions,
    sources: edition::Sources,
) -> Result<(Report, build::Kept), Vec<Diagnostic>> {
    let lang = Lang::of(&cli.lang);
    match build::build_keeping(options, sources) {
        Ok((report, kept)) => {
            if !cli.quiet {
                print_diagnostics(lang, &report.warnings);
                if cli.verbose {
                    for (stage, time) in &report.timings {
                        println!("  {stage:<24} {} s", lang.seconds(time.as_secs_f64()));
                    }
                    println!(
                        "{} {}, {} {}, {} {} ({} {}) → {}",
                        report.topics,
                        lang.pick("chủ đề", "topics"),
                        report.lessons,
                        lang.pick("bài học", "lessons"),
                        report.files,
                        lang.pick("tệp", "files"),
                        report.files_reused,
                        lang.pick("giữ nguyên từ lần trước", "unchanged, kept from the last build"),
                        options.output.display()
                    );
                }
                println!("{}", crate::app::report::summary(lang, &report));
            }
            Ok((report, kept))
        }
        Err(problems) => {
            print_diagnostics(lang, &problems);
            let errors = problems.iter().filter(|d| d.severity == Severity::Error).count();
            let warnings = problems.len() - errors;
            let out = options.output.display();
            let kept = if options.output.exists() {
                lang.pick("vẫn giữ nguyên như trước", "was left as it was")
            } else {
                lang.pick("chưa được tạo", "was not created")
            };
            eprintln!(
                "\n{}",
                match lang {
                    Lang::Vi => format!(
                        "Không tạo được trang: {errors} lỗi, {warnings} cảnh báo. Thư mục {out} {kept}."
                    ),
                    Lang::En => format!("Build failed: {errors} errors, {warnings} warnings. {out} {kept}."),
                }
            );
            Err(problems)
        }
    }
}

/// `hocso serve`: builds, serves the output on `bind:port` and, unless `--no-watch`, rebuilds on
/// every save and reloads the open tabs. A failed first build does not stop it (see
/// [`first_build`]); it ends only when the server stops, exiting 1 then.
fn run_serve(
    cli: &Cli,
    lang: Lang,
    options: &BuildOptions,
    bind: &str,
    port: u16,
    no_watch: bool,
) -> ExitCode {
    let live = std::sync::Arc::new(crate::app::serve::Live::default());
    let kept = first_build(cli, lang, options, &live);
    let base_path =
        crate::pipeline::config::load(&options.root).map(|c| c.base_path()).unwrap_or_else(|_| "/".into());
    let live_for_server = (!no_watch).then(|| live.clone());
    let running = match crate::app::serve::start(&options.output, bind, port, &base_path, live_for_server) {
        Ok(running) => running,
        Err(e) => return cannot_listen(lang, bind, port, &e),
    };
    println!("{}", serving_at(lang, &running, &base_path, no_watch));
    if no_watch {
        // Nothing is rebuilt: the sources kept for rebuilds are freed while the server answers.
        drop(kept);
    } else {
        watch_in_background(options.clone(), live, lang, cli.quiet, kept);
    }
    serve_until_stopped(lang, running)
}

/// Says the port could not be opened (often it is in use) and suggests the next one; exit 1.
fn cannot_listen(lang: Lang, bind: &str, port: u16, e: &crate::app::serve::ServeError) -> ExitCode {
    eprintln!(
        "{}: {bind}:{port}: {e}\n    → {} --port {}",
        lang.pick("lỗi: không mở được cổng", "error: cannot listen on"),
        lang.pick("Cổng có thể đang bận. Thử cổng khác:", "The port may be in use. Try another:"),
        port.saturating_add(1)
    );
    ExitCode::from(1)
}

/// The line telling where the preview is, and how it behaves (reloads or not) and stops.
fn serving_at(lang: Lang, running: &crate::app::serve::Running, base_path: &str, no_watch: bool) -> String {
    let url = format!("http://{}{}", running.addr, base_path);
    let how = if no_watch {
        lang.pick("nhấn Ctrl+C để dừng", "press Ctrl+C to stop")
    } else {
        lang.pick(
            "tự tải lại khi bạn lưu tệp; nhấn Ctrl+C để dừng",
            "reloads when you save a file; press Ctrl+C to stop",
        )
    };
    format!("{} {url}  ({how})", lang.pick("Đang mở trang tại", "Serving at"))
}

/// The first build of `hocso serve`, and what it keeps for quick rebuilds. When it fails the
/// server starts anyway: the last good site (or, if there is none, [`PLACEHOLDER_PAGE`]) is
/// served with the errors shown on the page, and the next save that fixes them reloads it.
fn first_build(
    cli: &Cli,
    lang: Lang,
    options: &BuildOptions,
    live: &crate::app::serve::Live,
) -> Option<build::Kept> {
    match run_build(cli, options, edition::Sources::Keep) {
        Ok((_, kept)) => Some(kept),
        Err(problems) => {
            live.failed(crate::app::watch::panel_html(&problems, lang));
            if !options.output.exists() {
                let _ = crate::pipeline::write::write_atomically(
                    &options.root,
                    &options.output,
                    &[crate::core::output::OutFile {
                        path: "index.html".into(),
                        bytes: PLACEHOLDER_PAGE.to_vec(),
                    }],
                    &[],
                );
            }
            None
        }
    }
}

/// The home page `hocso serve` writes when the first build fails and there is no earlier output
/// to show: an empty but whole page, so the server has something to answer and the error panel
/// (after `<body>`) and the live-reload script (before `</body>`) have a place to go.
const PLACEHOLDER_PAGE: &[u8] = b"<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>hocso</title></head><body><main></main></body></html>";

/// Rebuilds on every save, on a thread of its own, for as long as the process runs; if watching
/// cannot start, says so and the server goes on without it.
fn watch_in_background(
    options: BuildOptions,
    live: std::sync::Arc<crate::app::serve::Live>,
    lang: Lang,
    quiet: bool,
    kept: Option<build::Kept>,
) {
    std::thread::spawn(move || {
        if let Err(e) = crate::app::watch::run(options, live, lang, quiet, kept) {
            eprintln!(
                "{} {e}",
                lang.pick("cảnh báo: không theo dõi được thay đổi:", "warning: cannot watch for changes:")
            );
        }
    });
}

/// Waits while the server runs; if it stops (it cannot accept connections any more), says so
/// and how to start it again, and exits 1.
fn serve_until_stopped(lang: Lang, running: crate::app::serve::Running) -> ExitCode {
    match running.wait() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "{}: {e}\n    → {}",
                lang.pick("lỗi: máy chủ xem thử đã dừng", "error: the preview server stopped"),
                match lang {
                    Lang::Vi => format!("Chạy lại {}.", hocso_command(&["serve"])),
                    Lang::En => format!("Run {} again.", hocso_command(&["serve"])),
                }
            );
            ExitCode::from(1)
        }
    }
}

/// `hocso new`: a draft lesson from the archetype.
fn new_lesson(
    cli: &Cli,
    lang: Lang,
    spec: &str,
    title: Option<&str>,
    new_topic: bool,
    root: &std::path::Path,
) -> ExitCode {
    let theme = crate::pipeline::config::load(root).map(|c| c.theme).unwrap_or_else(|_| "default".into());
    let today = chrono::Local::now().date_naive();
    match crate::app::scaffold::new_lesson(root, &theme, spec, title, new_topic, today) {
        Ok(path) => {
            if !cli.quiet {
                let serve = hocso_command(&["serve", "--drafts"]);
                println!(
                    "{} {}\n{}",
                    lang.pick("Đã tạo bài nháp", "Created the draft lesson"),
                    path.display(),
                    match lang {
                        Lang::Vi =>
                            format!("Mở tệp để viết. Xem thử bằng {serve}; khi xong, xóa dòng draft = true."),
                        Lang::En => format!(
                            "Open it to write. Preview with {serve}; when done, delete the draft = true line."
                        ),
                    }
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", e.explain(lang));
            ExitCode::from(1)
        }
    }
}

/// `hocso check`: every problem and hint, nothing written; exit 1 when there are errors.
fn run_check(lang: Lang, root: &std::path::Path, format: Format) -> ExitCode {
    let images = crate::assets::images::Processor::checking(root);
    let mut problems = match edition::prepare(root, true, images, edition::Sources::Keep) {
        Ok(editions) => {
            let (original, translations) = editions.all.split_at(1);
            let mut all = editions.warnings.clone();
            all.extend(crate::app::lint::lint(&original[0].site, chrono::Local::now().date_naive()));
            let translations: Vec<&crate::pipeline::assemble::Site> =
                translations.iter().map(|t| &t.site).collect();
            all.extend(crate::app::lint::translation_report(&original[0].site, &translations));
            all
        }
        Err(mut problems) => {
            problems.extend(crate::app::lint::lint_sources(root));
            problems
        }
    };
    crate::core::diagnostic::sort(&mut problems);
    let errors = problems.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = problems.len() - errors;
    match format {
        Format::Json => println!("{}", crate::core::diagnostic::to_json(&problems, lang)),
        Format::Human => {
            for d in &problems {
                eprintln!("{}", d.render(lang));
            }
            eprintln!(
                "{}",
                match lang {
                    Lang::Vi => format!("Kiểm tra xong: {errors} lỗi, {warnings} cảnh báo."),
                    Lang::En => format!("Check finished: {errors} errors, {warnings} warnings."),
                }
            );
        }
    }
    if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// Prints problems; past 10 warnings of one kind, the rest are counted, not listed, so one
/// real error is not lost in a thousand identical hints.
fn print_diagnostics(lang: Lang, diagnostics: &[Diagnostic]) {
    const SAME_KIND: usize = 10;
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for d in diagnostics {
        let n = seen.entry(d.problem.code()).or_default();
        *n += 1;
        if d.severity == Severity::Error || *n <= SAME_KIND {
            eprintln!("{}", d.render(lang));
        }
    }
    for (code, n) in seen {
        let hidden = diagnostics
            .iter()
            .filter(|d| d.problem.code() == code && d.severity == Severity::Warning)
            .count();
        if n > SAME_KIND && hidden > SAME_KIND {
            eprintln!(
                "{}",
                match lang {
                    Lang::Vi => format!(
                        "… và {} cảnh báo cùng loại ({code}) nữa; xem hết bằng hocso check.",
                        hidden - SAME_KIND
                    ),
                    Lang::En => format!(
                        "… and {} more warnings of the same kind ({code}); see them all with hocso check.",
                        hidden - SAME_KIND
                    ),
                }
            );
        }
    }
}

/// How to run hocso with `args`, as the person reading can type it: through cargo when this run
/// came from `cargo run` (the README's way; `hocso` is then not on the PATH), else by name.
fn hocso_command(args: &[&str]) -> String {
    let via_cargo = std::env::var_os("CARGO").is_some();
    command_line(via_cargo, args)
}

fn command_line(via_cargo: bool, args: &[&str]) -> String {
    let quoted: Vec<String> =
        args.iter().map(|a| if a.contains(' ') { format!("\"{a}\"") } else { (*a).to_owned() }).collect();
    let prefix = if via_cargo { "cargo run --release --" } else { "hocso" };
    format!("{prefix} {}", quoted.join(" "))
}

#[cfg(test)]
mod command_tests {
    #[test]
    fn the_suggested_command_is_one_that_works_where_hocso_was_run() {
        assert_eq!(
            super::command_line(true, &["serve", "--drafts"]),
            "cargo run --release -- serve --drafts"
        );
        assert_eq!(
            super::command_line(false, &["serve", "--root", "xa moi"]),
            "hocso serve --root \"xa moi\""
        );
    }
}
