//! The bottom layer: what every stage shares. Imports nothing else of the crate.

pub mod diagnostic;
pub mod digest;
pub mod files;
pub mod html;
pub mod ids;
pub mod lang;
pub mod lines;
pub mod output;
pub mod paths;
pub mod progress;
pub mod text;
pub mod tomlcheck;
pub mod vi_number;
