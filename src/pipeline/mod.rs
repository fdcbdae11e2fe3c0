//! The build, one module per stage, data flowing one way:
//! [`config`] → [`load`] → [`parse`] → [`glossary`] → [`assemble`] (+ [`translate`] per language) →
//! [`markdown`] →
//! [`render`] + [`search`] → [`write`](mod@write), orchestrated by [`build`]. Imports `core` and `assets`.

pub mod assemble;
pub mod build;
pub mod campaign;
pub mod config;
pub mod glossary;
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
pub mod speech;
pub mod translate;
pub mod write;
