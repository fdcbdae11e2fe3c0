//! hocso turns a folder of Markdown lessons into an accessible, large-text learning portal.
//!
//! The pipeline runs one way, one module per stage:
//! [`config`] → [`load`] → [`parse`] → [`assemble`] → [`markdown`] + [`render`] → [`write`],
//! orchestrated by [`build`]. [`serve`] previews the result; [`cli`] is the command line.

pub mod assemble;
pub mod build;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod glossary;
pub mod images;
pub mod lang;
pub mod leaflet;
pub mod lint;
pub mod load;
pub mod markdown;
pub mod parse;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod text;
pub mod theme;
pub mod tomlcheck;
pub mod watch;
pub mod write;
