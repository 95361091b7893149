//! Rendering: every output `aims` writes, one escaper per output language.

pub mod chart;
pub mod ci;
mod error;
pub mod escape;
pub mod limits;
pub mod output;
pub mod report;
pub mod soa;
pub mod templates;
pub mod views;
pub mod write;

pub use error::RenderError;
