//! Writing results: the JSON envelope of the contract, the `--as-of` day,
//! and files that are never clobbered and never left half-written.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::inventory::model::Date;

/// Why a run could not complete (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(String),
}

/// The moment the run is "at": `SOURCE_DATE_EPOCH` when set (reproducible
/// builds convention), else now.
pub fn generated_at() -> Result<DateTime<Utc>, RunError> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) if !s.trim().is_empty() => {
            let secs: i64 = s.trim().parse().map_err(|_| {
                RunError::Usage(format!(
                    "SOURCE_DATE_EPOCH must be a whole number of seconds, found `{s}`"
                ))
            })?;
            DateTime::from_timestamp(secs, 0)
                .ok_or_else(|| RunError::Usage(format!("SOURCE_DATE_EPOCH `{s}` is out of range")))
        }
        _ => Ok(Utc::now()),
    }
}

/// The day every date judgement is made as of: `--as-of`, else the day of
/// `SOURCE_DATE_EPOCH`, else today (UTC).
pub fn as_of(arg: Option<&str>) -> Result<Date, RunError> {
    match arg {
        Some(s) => Date::parse(s).map_err(|e| RunError::Usage(format!("--as-of: {e}"))),
        None => Ok(Date(generated_at()?.date_naive())),
    }
}

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    format_version: u32,
    tool: &'static str,
    version: &'static str,
    command: &'a str,
    generated_at: String,
    data: T,
}

/// `{"format_version": 1, "tool": "aims", ..., "data": {...}}`, pretty-printed, newline-terminated.
pub fn envelope<T: Serialize>(command: &str, data: T) -> Result<String, RunError> {
    let env = Envelope {
        format_version: 1,
        tool: "aims",
        version: env!("CARGO_PKG_VERSION"),
        command,
        generated_at: generated_at()?.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        data,
    };
    let mut s = crate::escape::json_pretty(&env).map_err(|e| RunError::Io(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// Write `content` to `path` through a temporary file in the same folder
/// and a rename, so a reader never sees half a file and a failed run
/// leaves nothing. An existing file is kept unless `force`.
pub fn write_file(path: &Path, content: &[u8], force: bool) -> Result<(), RunError> {
    let shown = path.display();
    if path.is_dir() {
        return Err(RunError::Usage(format!(
            "--output `{shown}` is a folder; name a file"
        )));
    }
    if !force && (path.exists() || path.symlink_metadata().is_ok()) {
        return Err(RunError::Usage(format!(
            "`{shown}` already exists; pass --force to overwrite it"
        )));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(RunError::Io(format!(
            "cannot write `{shown}`: folder `{}` does not exist",
            dir.display()
        )));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".aims-tmp-")
        .tempfile_in(dir)
        .map_err(|e| RunError::Io(format!("cannot write in `{}`: {e}", dir.display())))?;
    tmp.write_all(content)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| RunError::Io(format!("cannot write `{shown}`: {e}")))?;
    let result = if force {
        tmp.persist(path).map(|_| ())
    } else {
        tmp.persist_noclobber(path).map(|_| ())
    };
    result.map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            RunError::Usage(format!(
                "`{shown}` already exists; pass --force to overwrite it"
            ))
        } else {
            RunError::Io(format!("cannot write `{shown}`: {}", e.error))
        }
    })
}

/// Human (terminal) text: printed or written after the last terminal pass
/// ([`crate::escape::term_output`]), which lets through only aims' own
/// colour codes, and only when `colour`.
pub fn emit_human(
    content: &str,
    out: &crate::cli::OutputArgs,
    colour: bool,
) -> Result<(), RunError> {
    emit(&crate::escape::term_output(content, colour), out)
}

/// Print to stdout, or write `--output`.
pub fn emit(content: &str, out: &crate::cli::OutputArgs) -> Result<(), RunError> {
    match &out.output {
        Some(p) => write_file(p, content.as_bytes(), out.force),
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`aims controls | head`) is not an error worth a message.
            match stdout
                .write_all(content.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(RunError::Io(format!(
                    "cannot write to standard output: {e}"
                ))),
            }
        }
    }
}

/// For tests and scaffolds: a date from y/m/d.
pub fn ymd(y: i32, m: u32, d: u32) -> Date {
    Date(NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_refuses_to_clobber_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        write_file(&p, b"one", false).unwrap();
        let e = write_file(&p, b"two", false).unwrap_err();
        assert!(e.to_string().contains("--force"));
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        write_file(&p, b"three", true).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"three");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn as_of_parses_or_explains() {
        assert_eq!(as_of(Some("2026-03-01")).unwrap(), ymd(2026, 3, 1));
        assert!(
            as_of(Some("yesterday"))
                .unwrap_err()
                .to_string()
                .contains("YYYY-MM-DD")
        );
    }
}
