//! Diagnostics: what went wrong, where (`file:line:column`) and what to do.
//!
//! Load errors and rule findings share this shape so that every output
//! (human, JSON, later SARIF) prints the same facts.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::yaml::Pos;

/// How serious a diagnostic is. Ordered from least to most severe.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A place in one of the user's files. `file` is as the user would type it
/// (relative to the folder `aims` was pointed at, when possible).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl Location {
    pub fn new(file: &str, pos: Pos) -> Self {
        Location {
            file: file.to_string(),
            line: pos.line,
            column: pos.col,
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.column)
        }
    }
}

/// One problem. `code` is a stable id: a rule id (`policy/review-overdue`)
/// for findings, or a `load/...` id for input errors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    #[serde(rename = "rule")]
    pub code: String,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl Diagnostic {
    pub fn error(code: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.to_string(),
            severity: Severity::Error,
            message: message.into(),
            help: None,
            location: None,
        }
    }
    pub fn at(mut self, loc: Option<Location>) -> Self {
        self.location = loc;
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn help_opt(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }
}

/// The text of every file read, so diagnostics can quote the offending line.
#[derive(Default, Debug)]
pub struct Sources {
    /// Text and the byte offset where each line starts (indexed once, so
    /// quoting many diagnostics stays linear).
    files: BTreeMap<String, (String, Vec<usize>)>,
}

impl Sources {
    pub fn add(&mut self, name: &str, text: String) {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        self.files.insert(name.to_string(), (text, starts));
    }

    fn line(&self, file: &str, line: u32) -> Option<&str> {
        let (text, starts) = self.files.get(file)?;
        let i = line.checked_sub(1)? as usize;
        let start = *starts.get(i)?;
        let end = starts.get(i + 1).map_or(text.len(), |e| e - 1);
        Some(text.get(start..end)?.trim_end_matches('\r'))
    }
}

/// Render diagnostics the way rustc and typos do:
///
/// ```text
/// error[load/unknown-field]: unknown field `ownr` in a system
///   --> aims.yaml:12:5
///    |
/// 12 |     ownr: cro
///    |     ^^^^
///    = help: did you mean `owner`?
/// ```
pub fn render(diags: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let mut out = String::new();
    for d in diags {
        let (c, bold, reset) = if color {
            let c = match d.severity {
                Severity::Error => "\x1b[1;31m",
                Severity::Warning => "\x1b[1;33m",
                Severity::Note => "\x1b[1;36m",
            };
            (c, "\x1b[1m", "\x1b[0m")
        } else {
            ("", "", "")
        };
        let _ = writeln!(
            out,
            "{c}{}[{}]{reset}{bold}: {}{reset}",
            d.severity.as_str(),
            d.code,
            d.message
        );
        if let Some(loc) = &d.location {
            let _ = writeln!(out, "  --> {loc}");
            if let Some(src) = sources.line(&loc.file, loc.line) {
                let num = loc.line.to_string();
                let pad = " ".repeat(num.len());
                // Long lines are shown as a window around the column.
                let col = loc.column.max(1) as usize;
                let skip = col.saturating_sub(80);
                let mut shown: String = src
                    .chars()
                    .skip(skip)
                    .take(120)
                    .collect::<String>()
                    .replace('\t', " ");
                let mut col = col - skip;
                if skip > 0 {
                    shown.insert(0, '…');
                    col += 1;
                }
                let width = underline_width(&shown, col);
                let _ = writeln!(out, "{pad} |");
                let _ = writeln!(out, "{num} | {shown}");
                let _ = writeln!(
                    out,
                    "{pad} | {}{c}{}{reset}",
                    " ".repeat(col - 1),
                    "^".repeat(width)
                );
            }
        }
        if let Some(h) = &d.help {
            let _ = writeln!(out, "   = help: {h}");
        }
        out.push('\n');
    }
    out
}

/// Underline the token that starts at `col` (1-based, in characters).
fn underline_width(line: &str, col: usize) -> usize {
    let rest: String = line.chars().skip(col - 1).collect();
    let n = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != ':' && *c != ',' && *c != ']' && *c != '}')
        .count();
    n.clamp(1, 60)
}

/// The closest candidate to `got`, when it is close enough to be a typo.
pub fn suggest<'a>(got: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let got_l = got.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&got_l, &c.to_lowercase());
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Display a path relative to `base` when it is inside it.
pub fn display_path(path: &Path, base: &Path) -> String {
    let rel: PathBuf = path
        .strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    let s = rel.to_string_lossy().replace('\\', "/");
    if s.is_empty() { ".".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(suggest("ownr", ["owner", "name", "id"]), Some("owner"));
        assert_eq!(
            suggest("lifecyle", ["lifecycle", "role"]),
            Some("lifecycle")
        );
        assert_eq!(suggest("banana", ["owner", "name"]), None);
    }

    #[test]
    fn renders_snippet_with_caret() {
        let mut s = Sources::default();
        s.add("a.yaml", "id: x\n  ownr: cro\n".into());
        let d = Diagnostic::error("load/unknown-field", "unknown field `ownr`")
            .at(Some(Location::new("a.yaml", Pos { line: 2, col: 3 })))
            .help("did you mean `owner`?");
        let out = render(&[d], &s, false);
        assert!(out.contains("--> a.yaml:2:3"), "{out}");
        assert!(out.contains("2 |   ownr: cro"), "{out}");
        assert!(out.contains("  |   ^^^^\n"), "{out}");
        assert!(out.contains("= help: did you mean `owner`?"), "{out}");
    }
}
