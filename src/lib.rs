//! `aims`: an ISO/IEC 42001 AI management system kept as code.
//!
//! Data flows one way: [`load`] reads and validates the user's files into
//! the [`model`] against the [`catalog`]; [`rules`] and [`assess`] judge
//! them; [`render`] turns results into outputs and [`pack`] into evidence
//! packs; [`cli`] runs one command at a time and is the only code that
//! prints. `main.rs` only parses arguments and maps the outcome to an exit code.

pub mod assess;
pub mod catalog;
pub mod cli;
pub mod diag;
pub mod import;
pub mod load;
pub mod model;
pub mod pack;
pub mod render;
pub mod rules;
