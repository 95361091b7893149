//! Rendering: every output `aims` writes, one escaper per output language.
//!
//! Each result a command shows (a gap analysis, check findings, readiness,
//! a plan, classifications, the risk register, a crosswalk, the catalogue,
//! the rules, a pack verification) implements [`Render`]: its typed JSON
//! view, and its text in each other [`Output`] it has. The commands in
//! `cli` only judge, build the result and hand it to [`Render::write`].

pub mod catalog;
pub mod chart;
pub mod check;
pub mod ci;
pub mod classify;
mod error;
pub mod escape;
pub mod explain;
pub mod gap;
pub mod limits;
pub mod map;
pub mod oscal;
pub mod output;
pub mod plan;
pub mod pr;
pub mod readiness;
pub mod report;
pub mod risks;
pub mod rules;
pub mod soa;
pub mod templates;
pub mod term;
pub mod verify;
pub mod views;
pub mod write;
pub mod xlsx;

pub use error::RenderError;

use std::fmt;
use std::io::Write;

use serde::Serialize;

/// The output languages. Each command's `--format` names the ones its
/// result has (see [`Render::FORMATS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Human text for a terminal (tables, lists, colour).
    Table,
    Markdown,
    /// The JSON envelope of the contract around the result's typed view.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// JUnit XML.
    Junit,
    /// A pull-request comment (GitHub-flavoured Markdown).
    Pr,
    Csv,
    Html,
    /// An Excel workbook (binary: see [`Render::bytes`]).
    Xlsx,
}

impl Output {
    pub fn as_str(self) -> &'static str {
        match self {
            Output::Table => "table",
            Output::Markdown => "markdown",
            Output::Json => "json",
            Output::Sarif => "sarif",
            Output::Junit => "junit",
            Output::Pr => "pr",
            Output::Csv => "csv",
            Output::Html => "html",
            Output::Xlsx => "xlsx",
        }
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How to render, beyond the result itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cx {
    /// aims' colour codes in terminal text.
    pub colour: bool,
    /// Terse terminal text (`--quiet` on a terminal): what a result leaves
    /// out then is its own choice.
    pub quiet: bool,
}

/// A result rendered to each output language it supports.
pub trait Render {
    /// The command named in the JSON envelope.
    const COMMAND: &'static str;
    /// The outputs this result has.
    const FORMATS: &'static [Output];
    /// What goes under `data` in the JSON envelope.
    type Json<'a>: Serialize
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_>;

    /// The text of `format`, any output but JSON; `None` for one this
    /// result does not have.
    fn text(&self, format: Output, cx: &Cx) -> Option<String>;

    /// The bytes of a binary output (XLSX); `None` for one this result
    /// does not have.
    fn bytes(&self, _format: Output) -> Option<Result<Vec<u8>, RenderError>> {
        None
    }

    /// Write `format` to `w`: JSON as the envelope, streamed; terminal
    /// text through the last terminal pass ([`escape::term_output`]);
    /// the rest as [`Render::text`] makes it.
    fn write(&self, format: Output, w: &mut dyn Write, cx: &Cx) -> Result<(), RenderError> {
        let text = match format {
            Output::Json if Self::FORMATS.contains(&Output::Json) => {
                return output::envelope_to(w, Self::COMMAND, self.json());
            }
            Output::Xlsx if Self::FORMATS.contains(&Output::Xlsx) => {
                return match self.bytes(format) {
                    Some(bytes) => w.write_all(&bytes?).map_err(RenderError::Output),
                    None => Err(RenderError::NoSuchOutput {
                        command: Self::COMMAND,
                        format,
                    }),
                };
            }
            _ => self
                .text(format, cx)
                .filter(|_| Self::FORMATS.contains(&format)),
        };
        let Some(text) = text else {
            return Err(RenderError::NoSuchOutput {
                command: Self::COMMAND,
                format,
            });
        };
        let text = match format {
            Output::Table => escape::term_output(&text, cx.colour),
            _ => std::borrow::Cow::Borrowed(text.as_str()),
        };
        w.write_all(text.as_bytes()).map_err(RenderError::Output)
    }
}
