//! Rendering: every output `aims` writes, one escaper per output language.

pub mod ci;
pub mod escape;
pub mod output;
pub mod report;
pub mod views;
pub mod write;
