//! One-line summaries of a build, for the command line and the preview server.

use crate::core::lang::Lang;
use crate::pipeline::build::Report;

/// "Đã tạo 23 trang trong 0,41 giây" / "Built 23 pages in 0.41 s".
pub fn summary(lang: Lang, report: &Report) -> String {
    let secs = lang.seconds(report.elapsed.as_secs_f64());
    match lang {
        Lang::Vi => format!("Đã tạo {} trang trong {secs} giây", report.pages),
        Lang::En => format!("Built {} pages in {secs} s", report.pages),
    }
}
