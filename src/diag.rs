//! Diagnostics: what went wrong, where (`file:line:column`) and what to do.
//!
//! Load errors and rule findings are one type, [`Diagnostic`], so that
//! every output (human, JSON, SARIF, JUnit) prints the same facts.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::load::yaml::Pos;
use crate::render::escape;
use crate::rules::{LoadCode, Rule, RuleId};

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

/// The stable id of a diagnostic: a rule a finding is of, or the code of a
/// load error. Both come from a registry ([`crate::rules::RULES`],
/// [`crate::rules::LOAD_CODES`]), so an id that does not exist fails to
/// compile. Serialised, shown and compared as the id string.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    Rule(RuleId),
    Load(LoadCode),
}

impl Code {
    /// The id as users write it (`policy/review-overdue`, `load/yaml`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::Rule(r) => r.as_str(),
            Code::Load(l) => l.as_str(),
        }
    }

    /// Its registry entry: default severity, summary, explanation, fix.
    pub fn rule(self) -> &'static Rule {
        match self {
            Code::Rule(r) => r.rule(),
            Code::Load(l) => l.rule(),
        }
    }

    /// See `Rule::caps_level`.
    pub fn caps_level(self) -> bool {
        self.rule().caps_level
    }

    /// See `Rule::waivable`.
    pub fn waivable(self) -> bool {
        self.rule().waivable
    }
}

impl From<RuleId> for Code {
    fn from(r: RuleId) -> Self {
        Code::Rule(r)
    }
}

impl From<LoadCode> for Code {
    fn from(l: LoadCode) -> Self {
        Code::Load(l)
    }
}

/// Shown as the id string, as the rule ids it holds are.
impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One problem: a load error (exit 2) or a rule's finding. Every output
/// (the terminal, JSON, SARIF, JUnit, reports) reads this one type.
///
/// The field is `rule` for load errors too: JSON has always named both
/// `rule`, and findings' users (`f.rule`) keep their spelling.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: Code,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Every system it concerns, when it concerns several (one finding per
    /// supplier names each system it supplies); `system` is then unset.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub systems: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The waiver that silences it, when one does (findings only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived_by: Option<String>,
}

impl Diagnostic {
    /// A load error: always an error, with no control, system or waiver.
    pub fn error(code: LoadCode, message: impl Into<String>) -> Self {
        Diagnostic {
            rule: Code::Load(code),
            severity: Severity::Error,
            message: message.into(),
            control: None,
            system: None,
            systems: Vec::new(),
            location: None,
            help: None,
            waived_by: None,
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
///
/// Everything from the user's files (the message, the file name, the
/// quoted line) is escaped for the terminal ([`escape::term_line`]): a
/// control character shows as `\u{1b}` and the caret still points at the
/// token it underlines.
pub fn render<'a>(
    diags: impl IntoIterator<Item = &'a Diagnostic>,
    sources: &Sources,
    color: bool,
) -> String {
    use crate::cli::term::{BOLD, CYAN, RED, RESET, YELLOW};
    let mut out = String::new();
    for d in diags {
        let (c, bold, reset) = if color {
            let c = match d.severity {
                Severity::Error => RED,
                Severity::Warning => YELLOW,
                Severity::Note => CYAN,
            };
            (c, BOLD, RESET)
        } else {
            ("", "", "")
        };
        let _ = writeln!(
            out,
            "{c}{}[{}]{reset}{bold}: {}{reset}",
            d.severity.as_str(),
            escape::term_line(d.rule.as_str()),
            escape::term_line(&d.message)
        );
        if let Some(loc) = &d.location {
            let _ = writeln!(out, "  --> {}", escape::term_line(&loc.to_string()));
            if let Some(src) = sources.line(&loc.file, loc.line) {
                let num = loc.line.to_string();
                let pad = " ".repeat(num.len());
                // Long lines are shown as a window around the column.
                let col = loc.column.max(1) as usize;
                let skip = col.saturating_sub(80);
                let window: String = src
                    .chars()
                    .skip(skip)
                    .take(120)
                    .collect::<String>()
                    .replace('\t', " ");
                // The token is measured in the line as written, then
                // underlined where it is once the line is escaped.
                let col = col - skip;
                let width = underline_width(&window, col);
                let (mut shown, mut col, width) = escape_snippet(&window, col, width);
                if skip > 0 {
                    shown.insert(0, '…');
                    col += 1;
                }
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
            let _ = writeln!(out, "   = help: {}", escape::term_line(h));
        }
        out.push('\n');
    }
    out
}

/// A quoted source line escaped for the terminal, with the 1-based column
/// `col` and the `width` characters from it as they are in the escaped line.
fn escape_snippet(line: &str, col: usize, width: usize) -> (String, usize, usize) {
    let mut shown = String::with_capacity(line.len());
    // starts[i]: where the i-th character of `line` starts in `shown` (0-based).
    let mut starts = Vec::new();
    let mut n = 0;
    for ch in line.chars() {
        starts.push(n);
        let mut b = [0u8; 4];
        let e = escape::term_line(ch.encode_utf8(&mut b));
        n += e.chars().count();
        shown.push_str(&e);
    }
    // Past the end of the line (a missing value), columns stay one apart.
    let at = |i: usize| starts.get(i).copied().unwrap_or(n + i - starts.len());
    let from = at(col - 1);
    let to = at(col - 1 + width);
    (shown, from + 1, (to - from).max(1))
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
    let shape = IdShape::of(&got_l);
    let mut best: Option<(f64, &str)> = None;
    // For a control or clause id: the same id written differently, else
    // the nearest sibling in its group (`A.6.2.10` → `A.6.2.8`).
    let mut same: Option<&str> = None;
    let mut sibling: Option<((usize, u64), &str)> = None;
    for c in candidates {
        let c_l = c.to_lowercase();
        if let (Some(g), Some(k)) = (&shape, IdShape::of(&c_l)) {
            if g.prefix == k.prefix && g.numbers == k.numbers {
                same.get_or_insert(c);
            } else if g.prefix == k.prefix
                && g.numbers.len() == k.numbers.len()
                && g.numbers.split_last().map(|(_, p)| p) == k.numbers.split_last().map(|(_, p)| p)
            {
                // A slip of the keys first (`A.6.2.44` → `A.6.2.4`), then
                // the nearest number (`A.6.2.10` → `A.6.2.8`).
                let last = |n: &[u64]| n.last().copied().unwrap_or_default();
                let (a, b) = (last(&g.numbers), last(&k.numbers));
                let distance = (
                    strsim::levenshtein(&a.to_string(), &b.to_string()),
                    a.abs_diff(b),
                );
                if sibling.is_none_or(|(d, _)| distance < d) {
                    sibling = Some((distance, c));
                }
            }
        }
        let score = strsim::jaro_winkler(&got_l, &c_l);
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    same.or(sibling.map(|(_, c)| c)).or(best.map(|(_, c)| c))
}

/// A control or clause id read for its structure: letters before the
/// first digit (`a` of `A.7.4`), then the numbers, whatever separates
/// them (`A7.4`, `a-7-4`, `A.7.4` are one shape).
struct IdShape<'a> {
    prefix: &'a str,
    numbers: Vec<u64>,
}

impl<'a> IdShape<'a> {
    fn of(s: &'a str) -> Option<IdShape<'a>> {
        let start = s.find(|c: char| c.is_ascii_digit())?;
        let prefix = s[..start].trim_end_matches(['.', '-', '_', ' ']);
        if !prefix.chars().all(|c| c.is_ascii_alphabetic()) {
            return None;
        }
        let rest = &s[start..];
        if !rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '_' | ' '))
        {
            return None;
        }
        let numbers = rest
            .split(['.', '-', '_', ' '])
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().ok())
            .collect::<Option<Vec<u64>>>()?;
        Some(IdShape { prefix, numbers })
    }
}

/// One diagnostic on one line, `file:line:col: severity[rule]: message`,
/// for `--quiet` (what a gate needs, as grep and editors read it). User
/// text is escaped for the terminal.
pub fn one_line(d: &Diagnostic) -> String {
    let place = d
        .location
        .as_ref()
        .map(|l| format!("{}: ", crate::render::escape::term(&l.to_string())))
        .unwrap_or_default();
    format!(
        "{place}{}[{}]: {}\n",
        d.severity.as_str(),
        d.rule,
        crate::render::escape::term(&d.message)
    )
}

/// Display a path relative to `base` when it is inside it.
pub fn display_path(path: &Path, base: &Path) -> String {
    let rel: PathBuf = path
        .strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    // A backslash is a separator on Windows only; on Unix it is a
    // character of the name. Bytes that are not UTF-8 are shown escaped.
    let s = crate::assess::evidence::escaped(rel.as_os_str().as_encoded_bytes());
    let s = if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s
    };
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
    fn control_ids_are_suggested_by_their_structure() {
        let ids: Vec<&str> = crate::catalog::Catalog::embedded().ids().collect();
        let ids = || ids.iter().copied();
        assert_eq!(suggest("A7.4", ids()), Some("A.7.4"));
        assert_eq!(suggest("a-7-4", ids()), Some("A.7.4"));
        assert_eq!(suggest("A.6.2.10", ids()), Some("A.6.2.8"));
        assert_eq!(suggest("A.6.2.1", ids()), Some("A.6.2.2"));
        assert_eq!(suggest("A.6.2.44", ids()), Some("A.6.2.4"));
        assert_eq!(suggest("6.1.20", ids()), Some("6.1.2"));
        assert_eq!(suggest("10.10", ids()), Some("10.1"));
        assert_eq!(suggest("A.10.9", ids()), Some("A.10.4"));
        assert_eq!(suggest("6.1.5", ids()), Some("6.1.4"));
        assert_eq!(suggest("6.1", ids()), Some("6.2"));
        assert_eq!(suggest("9.4", ids()), Some("9.3"));
        assert_eq!(suggest("7.5.9", ids()), Some("7.5.3"));
        assert_eq!(suggest("9-2", ids()), Some("9.2"));
        // Nothing alike in structure: the spelling decides, or nothing.
        assert_eq!(suggest("zzz", ids()), None);
    }

    /// A code is its id string in JSON and text; the fields serialise in
    /// one order for findings and load errors, the unset ones left out.
    #[test]
    fn one_shape_for_findings_and_load_errors() {
        let load = Code::from(LoadCode::Yaml);
        let rule = Code::from(RuleId::EvidenceMissing);
        assert_eq!(serde_json::to_value(load).unwrap(), "load/yaml");
        assert_eq!(rule.to_string(), "evidence/missing");
        assert_eq!(format!("{rule:?}"), "\"evidence/missing\"");
        assert!(rule == "evidence/missing" && load.rule().id == "load/yaml");
        assert!(!load.waivable() && rule.waivable());
        let d = Diagnostic::error(LoadCode::Yaml, "bad")
            .help("fix it")
            .at(Some(Location::new("a.yaml", Pos { line: 1, col: 2 })));
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(
            json,
            r#"{"rule":"load/yaml","severity":"error","message":"bad","location":{"file":"a.yaml","line":1,"column":2},"help":"fix it"}"#
        );
    }

    #[test]
    fn renders_snippet_with_caret() {
        let mut s = Sources::default();
        s.add("a.yaml", "id: x\n  ownr: cro\n".into());
        let d = Diagnostic::error(LoadCode::UnknownField, "unknown field `ownr`")
            .at(Some(Location::new("a.yaml", Pos { line: 2, col: 3 })))
            .help("did you mean `owner`?");
        let out = render(&[d], &s, false);
        assert!(out.contains("--> a.yaml:2:3"), "{out}");
        assert!(out.contains("2 |   ownr: cro"), "{out}");
        assert!(out.contains("  |   ^^^^\n"), "{out}");
        assert!(out.contains("= help: did you mean `owner`?"), "{out}");
    }

    #[test]
    fn user_text_in_a_diagnostic_cannot_drive_the_terminal() {
        let mut s = Sources::default();
        s.add(
            "a\x1b[31m.yaml",
            "name: \"x\x1b[2K\x1b[1A\u{202e}\" bad: 1\n".into(),
        );
        let d = Diagnostic::error(
            LoadCode::Invalid,
            "policy `p` (\x1b[2K\x1b[1A\x1b[1;32mok\x1b[0m: nothing to report\x1b[8m) is bad\nok",
        )
        .at(Some(Location::new(
            "a\x1b[31m.yaml",
            Pos { line: 1, col: 20 },
        )))
        .help("\x07\u{2066}");
        for color in [false, true] {
            let out = render(std::slice::from_ref(&d), &s, color);
            let raw: String = out
                .replace(crate::cli::term::RED, "")
                .replace(crate::cli::term::BOLD, "")
                .replace(crate::cli::term::RESET, "");
            assert!(
                !raw.chars().any(|c| escape::is_control(c) && c != '\n'),
                "{out:?}"
            );
            assert!(
                out.contains("(\\u{1b}[2K\\u{1b}[1A\\u{1b}[1;32mok"),
                "{out}"
            );
            assert!(out.contains("is bad\\nok"), "one line: {out}");
            assert!(out.contains("--> a\\u{1b}[31m.yaml:1:20"), "{out}");
            assert!(out.contains("= help: \\u{7}\\u{2066}"), "{out}");
        }
        // The caret stays under `bad`, after the escapes that widened the line.
        let out = render(&[d], &s, false);
        let lines: Vec<&str> = out.lines().collect();
        let quoted = lines.iter().find(|l| l.starts_with("1 | ")).unwrap();
        let caret = lines.iter().find(|l| l.contains('^')).unwrap();
        let at = caret.find('^').unwrap();
        assert_eq!(&quoted[at..at + 3], "bad", "{out}");
        assert_eq!(caret.matches('^').count(), 3, "{out}");
        // A token with control characters is underlined whole, escapes included.
        let d = Diagnostic::error(LoadCode::Invalid, "bad name").at(Some(Location::new(
            "a\x1b[31m.yaml",
            Pos { line: 1, col: 7 },
        )));
        let out = render(&[d], &s, false);
        let caret = out.lines().find(|l| l.contains('^')).unwrap();
        let underlined = "\"x\\u{1b}[2K\\u{1b}[1A\\u{202e}\"";
        assert_eq!(caret.matches('^').count(), underlined.len(), "{out}");
        let quoted = out.lines().find(|l| l.starts_with("1 | ")).unwrap();
        let at = caret.find('^').unwrap();
        assert_eq!(&quoted[at..at + underlined.len()], underlined, "{out}");
    }
}
