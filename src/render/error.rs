//! Why an output could not be rendered or written.

use std::io;
use std::path::PathBuf;

use crate::load::safe::{Refusal, io_reason};
use crate::model::ParseDateError;
use crate::render::templates::tera_error;
use crate::render::write::WriteError;

/// Why rendering an output failed: the run's moment, a template, the
/// data given to it, the size limits, or writing the result.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// `SOURCE_DATE_EPOCH` is not a whole number.
    #[error("SOURCE_DATE_EPOCH must be a whole number of seconds, found `{found}`")]
    EpochNotSeconds { found: String },
    /// `SOURCE_DATE_EPOCH` is a number no date can be made of.
    #[error("SOURCE_DATE_EPOCH `{found}` is out of range")]
    EpochOutOfRange { found: String },
    /// `--as-of` is not a date.
    #[error("--as-of: {0}")]
    AsOf(#[source] ParseDateError),
    /// The JSON envelope could not be serialised or written.
    #[error("cannot write the JSON output: {0}")]
    JsonOutput(#[source] serde_json::Error),
    /// A template override was refused by the safe reader.
    #[error("cannot read template `{path}`: {refusal}")]
    TemplateRefused {
        path: PathBuf,
        #[source]
        refusal: Refusal,
    },
    /// A template override could not be read.
    #[error("cannot read template `{path}`: {}", io_reason(.source))]
    TemplateRead {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("template `{name}` does not parse: {}", tera_error(.source))]
    TemplateParse {
        name: String,
        #[source]
        source: tera::Error,
    },
    /// `--templates` names something that is not a folder.
    #[error("--templates `{path}` is not a folder")]
    TemplatesNotAFolder { path: PathBuf },
    #[error("template `{name}` failed: {}", tera_error(.source))]
    TemplateFailed {
        name: String,
        #[source]
        source: tera::Error,
    },
    #[error("template `{name}`: not UTF-8")]
    NotUtf8 { name: String },
    /// A view could not be turned into JSON.
    #[error("report data: {0}")]
    Data(#[source] serde_json::Error),
    /// A view that is not a mapping of sections.
    #[error("report data: not a mapping")]
    DataNotMapping,
    /// A view section could not be turned into template values.
    #[error("report data: {}", tera_error(.0))]
    DataValue(#[source] tera::Error),
    /// More rows than `[limits] report_rows` (`need` in bytes).
    #[error(
        "{what} would lay out {rows} rows (controls and clauses for each AI system, findings, risks, ...), over the limit of {limit} (`[limits] report_rows` in aims.toml); {INSTEAD}, or raise the limit where the machine has about {} MiB to spare for it",
        mib(*.need)
    )]
    TooManyRows {
        what: String,
        rows: u64,
        limit: u64,
        need: u64,
    },
    /// More memory than the address-space limit leaves (`need` and `left` in bytes).
    #[error(
        "{what} would lay out {rows} rows and needs about {} MiB, but the address-space limit of this process (`ulimit -v`) leaves {} MiB; {INSTEAD}, or raise that limit",
        mib(*.need),
        mib(*.left)
    )]
    AddressSpace {
        what: String,
        rows: u64,
        need: u64,
        left: u64,
    },
    /// The content could not be written to its writer.
    #[error("{0}")]
    Output(#[source] io::Error),
    /// A result asked for in a format it has no rendering in.
    #[error("`aims {command}` has no {format} output")]
    NoSuchOutput {
        command: &'static str,
        format: crate::render::Output,
    },
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The spreadsheet library refused the workbook (a sheet too large).
    #[error("cannot build the XLSX workbook: {0}")]
    Xlsx(String),
}

/// What to do instead of a report too large to build.
const INSTEAD: &str = "ask for less (`aims soa --system ID`, or `aims gap --format json`, which lists the same judgements), or split the inventory";

/// Bytes in MiB, rounded up.
fn mib(b: u64) -> u64 {
    b.div_ceil(1024 * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_the_sentences_users_read() {
        let own = |holds| WriteError::OwnFile {
            path: PathBuf::from("out"),
            holds,
            what: "the settings file".into(),
        };
        assert!(
            own(false)
                .to_string()
                .starts_with("`out` is the settings file of this AIMS;")
        );
        assert!(
            own(true)
                .to_string()
                .starts_with("`out` holds the settings file of this AIMS;")
        );
        let big = RenderError::TooManyRows {
            what: "the report".into(),
            rows: 10,
            limit: 5,
            need: 1024 * 1024 + 1,
        };
        let s = big.to_string();
        assert!(
            s.starts_with("the report would lay out 10 rows (controls"),
            "{s}"
        );
        assert!(s.contains("; ask for less (`aims soa --system ID`"), "{s}");
        assert!(s.ends_with("has about 2 MiB to spare for it"), "{s}");
    }
}
