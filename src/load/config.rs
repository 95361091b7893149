//! `aims.toml`: tool settings, found by walking up like cargo finds Cargo.toml.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

use crate::diag::{Diagnostic, Location, suggest};
use crate::load::yaml::Pos;
use crate::model::{Date, Duration};
use crate::rules::LoadCode;

pub const CONFIG_FILE: &str = "aims.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Inventory files or globs, relative to the folder of aims.toml.
    #[serde(default)]
    pub inventory: Option<StringOrList>,
    #[serde(default)]
    pub evidence_root: Option<String>,
    #[serde(default)]
    pub gate: Gate,
    /// Rule id -> level.
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    /// Control id or rule id -> maximum age of evidence.
    #[serde(default)]
    pub freshness: BTreeMap<String, ConfigDuration>,
    #[serde(default)]
    pub regulation: Regulation,
    #[serde(default)]
    pub catalog: CatalogConfig,
    #[serde(default)]
    pub report: ReportConfig,
    #[serde(default)]
    pub limits: Limits,
}

pub const CONFIG_KEYS: &[&str] = &[
    "inventory",
    "evidence_root",
    "gate",
    "rules",
    "freshness",
    "regulation",
    "catalog",
    "report",
    "limits",
];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// Exit 1 when the gap score is under this (0–100).
    #[serde(default)]
    pub fail_under: Option<f64>,
    /// Rule ids or severities (`error`, `warning`, `note`) that fail the run.
    #[serde(default)]
    pub deny: Option<Vec<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Note,
    Off,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regulation {
    #[serde(default)]
    pub dates: BTreeMap<String, ConfigDate>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogConfig {
    #[serde(default)]
    pub extra: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub logo: Option<String>,
}

/// `[limits]`: how large an output may grow, checked before the work.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Rows an HTML or Markdown report (and so a pack) may lay out:
    /// see [`crate::render::limits::DEFAULT_REPORT_ROWS`].
    #[serde(default)]
    pub report_rows: Option<u64>,
    /// MiB the inventory files may come to together:
    /// see [`crate::load::budget::DEFAULT_INVENTORY_MB`].
    #[serde(default)]
    pub inventory_mb: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum StringOrList {
    One(String),
    Many(Vec<String>),
}

impl StringOrList {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            StringOrList::One(s) => vec![s.clone()],
            StringOrList::Many(v) => v.clone(),
        }
    }
}

/// A date in TOML: a native date (`2027-12-02`) or a string.
#[derive(Debug, Clone, Copy)]
pub struct ConfigDate(pub Date);

impl<'de> Deserialize<'de> for ConfigDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = toml::Value::deserialize(d)?;
        let text = match &v {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(dt) => dt.to_string(),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "expected a date, found {}",
                    other.type_str()
                )));
            }
        };
        Date::parse(&text)
            .map(ConfigDate)
            .map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct ConfigDuration(pub Duration);

impl<'de> Deserialize<'de> for ConfigDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Duration::parse(&s)
            .map(ConfigDuration)
            .map_err(serde::de::Error::custom)
    }
}

/// Walk up from `start` to find `aims.toml`.
pub fn find_upwards(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let candidate = d.join(CONFIG_FILE);
        // Anything named aims.toml counts; the reader says what is wrong with it.
        if candidate.symlink_metadata().is_ok() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// Parse `aims.toml`. `name` is how the file is shown in diagnostics.
pub fn parse(text: &str, name: &str) -> Result<Config, Box<Diagnostic>> {
    toml::from_str::<Config>(text).map_err(|e| {
        let pos = e
            .span()
            .map(|s| offset_to_pos(text, s.start))
            .unwrap_or_default();
        let msg = e.message().trim().to_string();
        let mut help = None;
        if let Some(rest) = msg.strip_prefix("unknown field `")
            && let Some(end) = rest.find('`')
        {
            let got = &rest[..end];
            let expected: Vec<&str> = rest[end..].split('`').skip(2).step_by(2).collect();
            let pool = if expected.is_empty() {
                CONFIG_KEYS.to_vec()
            } else {
                expected
            };
            help = suggest(got, pool.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .or_else(|| Some(format!("known keys here: {}", pool.join(", "))));
        }
        Box::new(
            Diagnostic::error(
                LoadCode::Config,
                format!(
                    "invalid {CONFIG_FILE}: {}",
                    msg.lines().next().unwrap_or(&msg)
                ),
            )
            .at(Some(Location::new(name, pos)))
            .help_opt(help),
        )
    })
}

/// Where `key` is written in aims.toml (`key =`, `"key" =` or `[key]`); unknown is line 0.
pub fn key_pos(text: &str, key: &str) -> Pos {
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let indent = (line.len() - t.len()) as u32;
        let quoted = format!("\"{key}\"");
        let hit = [key, quoted.as_str()].iter().any(|k| {
            t.strip_prefix(k).is_some_and(|rest| {
                rest.trim_start().starts_with('=') || rest.starts_with(']') || rest.starts_with('.')
            })
        }) || t
            .strip_prefix('[')
            .is_some_and(|r| r.starts_with(key) || r.contains(&format!(".{key}]")));
        if hit {
            return Pos {
                line: i as u32 + 1,
                col: indent + 1,
            };
        }
    }
    Pos::default()
}

/// 1-based line and column (in characters) of a byte offset.
pub fn offset_to_pos(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos {
        line: line as u32,
        col: col as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_section() {
        let c = parse(
            r#"
inventory = ["aims/*.yaml"]
evidence_root = "."
[gate]
fail_under = 60
deny = ["error", "waiver/expired"]
[rules]
"policy/review-overdue" = "warning"
[freshness]
"A.6.2.6" = "3 months"
[regulation.dates]
high-risk-annex-iii = 2027-12-02
general = "2026-08-02"
[catalog]
extra = ["extra.yaml"]
[report]
title = "Northbridge"
"#,
            "aims.toml",
        )
        .unwrap();
        assert_eq!(c.gate.fail_under, Some(60.0));
        assert_eq!(c.rules["policy/review-overdue"], Level::Warning);
        assert_eq!(c.freshness["A.6.2.6"].0, Duration::months(3));
        assert_eq!(
            c.regulation.dates["high-risk-annex-iii"].0.to_string(),
            "2027-12-02"
        );
        assert_eq!(c.regulation.dates["general"].0.to_string(), "2026-08-02");
    }

    #[test]
    fn unknown_key_gets_a_place_and_a_suggestion() {
        let e = parse(
            "inventory = \"a.yaml\"\nevidence_rot = \".\"\n",
            "aims.toml",
        )
        .unwrap_err();
        let loc = e.location.unwrap();
        assert_eq!((loc.line, loc.column), (2, 1));
        assert_eq!(e.help.as_deref(), Some("did you mean `evidence_root`?"));
    }

    #[test]
    fn offsets_become_lines_and_columns() {
        assert_eq!(offset_to_pos("ab\ncd", 4), Pos { line: 2, col: 2 });
        assert_eq!(offset_to_pos("é\nx", 3), Pos { line: 2, col: 1 });
    }
}
