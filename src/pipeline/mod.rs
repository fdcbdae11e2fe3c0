//! The build, one module per stage, data flowing one way:
//! [`config`] → [`load`] → [`parse`] → [`glossary`] → [`assemble`] (+ [`translate`] per language),
//! made into editions by [`edition`] → [`contents`] (Markdown, by [`markdown`]) → [`checks`] →
//! [`render`] + [`search`] → [`write`](mod@write), run by [`build`] ([`incremental`] for one
//! lesson's edit). Imports `core` and `assets`.

pub mod assemble;
pub mod build;
pub mod campaign;
pub mod checks;
pub mod config;
pub mod contents;
pub mod edition;
pub mod glossary;
pub mod incremental;
pub mod journey;
pub mod load;
pub mod manifest;
pub mod markdown;
pub mod offline;
pub mod parse;
pub mod precompress;
pub mod quiz;
pub mod recordings;
pub mod render;
pub mod search;
pub mod site_files;
pub mod speech;
pub mod translate;
pub mod write;
