//! hocso turns a folder of Markdown lessons into an accessible, large-text learning portal.
//!
//! Four layers, each importing only the ones below it (a test checks this, see
//! `tests/architecture.rs`):
//! - [`core`]: problems and messages, URL paths and reserved ids, text helpers, output sink;
//! - [`assets`]: images, SVG, leaflet QR codes and estimates, the theme;
//! - [`pipeline`]: config → load → parse → glossary → assemble → markdown → render + search →
//!   write, orchestrated by [`pipeline::build`];
//! - [`app`]: the command line, `check`, `new`/`init`, the preview server and its watcher.

pub mod app;
pub mod assets;
pub mod core;
pub mod pipeline;
