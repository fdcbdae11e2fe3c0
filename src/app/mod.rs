//! The top layer: what a person runs. The command line, reports, checks, scaffolding and the
//! preview server. Imports every layer below.

pub mod cli;
pub mod lint;
pub mod progress;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod watch;
