//! Loading an AIMS: find `aims.toml`, read the inventory files, merge them,
//! and check every reference. All problems are collected, not only the first.

pub mod budget;
pub mod config;
mod convert;
mod discover;
mod merge;
pub mod project;
mod read;
pub mod safe;
mod validate;
pub mod yaml;

pub use project::{LoadFailure, Project, load};

/// No inventory or overlay file may be larger than this. A real inventory
/// of 10,000 systems is about 20 MB; anything far beyond is a mistake or an
/// attack, and is refused before it is read into memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Past this many problems, the rest are counted, not listed: a file with
/// 40,000 broken items needs one fix, not 40,000 messages.
const MAX_DIAGNOSTICS: usize = 200;
