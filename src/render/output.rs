//! The JSON envelope of the contract, the run's moment and the `--as-of` day.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::model::Date;
use crate::render::RenderError;

/// The moment the run is "at": `SOURCE_DATE_EPOCH` when set (reproducible
/// builds convention), else now.
pub fn generated_at() -> Result<DateTime<Utc>, RenderError> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) if !s.trim().is_empty() => {
            let secs: i64 = s
                .trim()
                .parse()
                .map_err(|_| RenderError::EpochNotSeconds { found: s.clone() })?;
            DateTime::from_timestamp(secs, 0).ok_or(RenderError::EpochOutOfRange { found: s })
        }
        _ => Ok(Utc::now()),
    }
}

/// The day every date judgement is made as of: `--as-of`, else the day of
/// `SOURCE_DATE_EPOCH`, else today (UTC).
pub fn as_of(arg: Option<&str>) -> Result<Date, RenderError> {
    match arg {
        Some(s) => Date::parse(s).map_err(RenderError::AsOf),
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
pub fn envelope<T: Serialize>(command: &str, data: T) -> Result<String, RenderError> {
    let mut buf = Vec::new();
    envelope_to(&mut buf, command, data)?;
    // serde_json writes only valid UTF-8.
    Ok(String::from_utf8(buf).unwrap_or_default())
}

/// [`envelope`] written straight to `w`: the JSON of a large result is
/// streamed, never held in memory as text.
pub fn envelope_to<T: Serialize>(
    w: &mut dyn std::io::Write,
    command: &str,
    data: T,
) -> Result<(), RenderError> {
    let env = Envelope {
        format_version: 1,
        tool: "aims",
        version: env!("CARGO_PKG_VERSION"),
        command,
        generated_at: generated_at()?.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        data,
    };
    crate::render::escape::json_pretty_to(&mut *w, &env).map_err(RenderError::JsonOutput)?;
    w.write_all(b"\n")
        .map_err(|e| RenderError::JsonOutput(serde_json::Error::io(e)))
}

/// For tests and scaffolds: a date from y/m/d.
pub fn ymd(y: i32, m: u32, d: u32) -> Date {
    Date(NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN))
}

#[cfg(test)]
mod tests {
    use super::*;

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
