//! `aims`: an ISO/IEC 42001 AI management system kept as code.
//!
//! Data flows one way: [`inventory`] loads and validates the user's files
//! against the [`catalog`], [`rules`] judge them, and [`cli`] renders the
//! result (one file per command under `cli/`). `main.rs` only parses arguments and maps the outcome to an exit code.

pub mod assess;
pub mod catalog;
pub mod ci;
pub mod classify;
pub mod cli;
pub mod config;
pub mod crosswalk;
pub mod diag;
pub mod escape;
pub mod evidence;
pub mod inventory;
pub mod output;
pub mod pack;
pub mod readiness;
pub mod report;
pub mod rules;
pub mod safe;
pub mod term;
pub mod yaml;
