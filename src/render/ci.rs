//! Outputs for CI systems: SARIF 2.1.0 (GitHub code scanning annotates the
//! YAML in a pull request) and JUnit XML (every CI shows test results).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::assess::{Gap, Level, Regression};
use crate::diag::{Code, Diagnostic, Severity};
use crate::rules::{self, Finding};

/// Where aims is documented: the README of the repository named by
/// `repository` in Cargo.toml, the one setting every link comes from
/// (SARIF's `helpUri` and `informationUri`, the man pages).
pub const DOCS_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/README.md");

/// The `helpUri` of a rule: the README's rules table, which lists every
/// rule id with its default severity; a load error's is the inventory
/// format section.
pub fn help_uri(anchor: &str) -> String {
    format!("{DOCS_URL}#{anchor}")
}

/// The SARIF base id of every file location: the repository root.
pub const SRCROOT: &str = "%SRCROOT%";

/// What file locations in SARIF are relative to: the repository root (the
/// nearest folder, from the project's upward, that holds `.git`; only its
/// existence is looked at), else the working directory when the project
/// is inside it, else the project's folder. So `aims check /abs/path` and
/// `aims check path` give the same relative URIs, which code scanning
/// resolves against the checkout.
#[derive(Debug, Clone)]
pub struct SarifBase {
    root: std::path::PathBuf,
    cwd: std::path::PathBuf,
    /// What the run was, for `automationDetails.description`.
    run: &'static str,
}

impl SarifBase {
    /// `start` is the project's folder (or, for a load failure, the
    /// folder of the first file named); `cwd` is the working directory the
    /// shown file names are relative to.
    pub fn new(start: &std::path::Path, cwd: &std::path::Path, run: &'static str) -> Self {
        let start = if start.is_absolute() {
            start.to_path_buf()
        } else {
            cwd.join(start)
        };
        let root = start
            .ancestors()
            .find(|d| std::fs::symlink_metadata(d.join(".git")).is_ok())
            .map(std::path::Path::to_path_buf)
            .unwrap_or_else(|| {
                if start.starts_with(cwd) {
                    cwd.to_path_buf()
                } else {
                    start.clone()
                }
            });
        SarifBase {
            root,
            cwd: cwd.to_path_buf(),
            run,
        }
    }

    /// The artifact location of a file as shown in a diagnostic: a
    /// relative URI with the `%SRCROOT%` base id, or, for a file outside
    /// the repository, an absolute `file://` URI (never a bare absolute
    /// path, which SARIF1004 rejects).
    fn artifact(&self, shown: &str) -> Value {
        let p = std::path::Path::new(shown);
        let abs = if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.cwd.join(p)
        };
        match abs.strip_prefix(&self.root) {
            Ok(rel) if !rel.as_os_str().is_empty() => {
                json!({"uri": uri_path(&rel.to_string_lossy()), "uriBaseId": SRCROOT})
            }
            _ => json!({"uri": format!("file://{}", uri_path(&abs.to_string_lossy()))}),
        }
    }
}

/// A path as a URI reference: every byte but unreserved characters and
/// `/` percent-encoded (RFC 3986), so a space or `#` in a file name stays
/// part of the path.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// `evidence/missing` -> `EvidenceMissing`, SARIF's `name` convention.
fn pascal(id: &str) -> String {
    id.split(['/', '-'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn descriptor(
    id: &str,
    severity: Severity,
    summary: &str,
    explain: &str,
    fix: &str,
    anchor: &str,
) -> Value {
    json!({
        "id": id,
        "name": pascal(id),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": explain},
        "help": {"text": fix, "markdown": format!("{fix}\n\nRun `aims rules {id}` for details.")},
        "helpUri": help_uri(anchor),
        "defaultConfiguration": {"level": level(severity)},
    })
}

/// One SARIF run from findings (check/gap) or load errors (exit 2).
fn sarif_run(diags: &[Diagnostic], base: &SarifBase) -> Value {
    // Rule descriptors: every registered rule, then any load code seen.
    let mut rules_out: Vec<Value> = rules::RULES
        .iter()
        .map(|r| descriptor(r.id, r.severity, r.summary, r.explain, r.fix, "rules"))
        .collect();
    let mut index: BTreeMap<Code, usize> = rules::RuleId::ALL
        .iter()
        .enumerate()
        .map(|(i, &r)| (Code::Rule(r), i))
        .collect();
    // Load codes are described only when a run reports one.
    for d in diags {
        if let Code::Load(_) = d.rule
            && !index.contains_key(&d.rule)
        {
            let r = d.rule.rule();
            index.insert(d.rule, rules_out.len());
            rules_out.push(descriptor(
                r.id,
                r.severity,
                r.summary,
                r.explain,
                r.fix,
                "the-inventory",
            ));
        }
    }
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let rule = d.rule.as_str();
            // A finding's help is its rule's fix, in the descriptor; a load
            // error's is about this one error, so the message carries it.
            let message = match (d.rule, &d.help) {
                (Code::Load(_), Some(h)) => format!("{} ({h})", d.message),
                _ => d.message.clone(),
            };
            let control = d.control.as_deref();
            let system = d.system.as_deref();
            let mut r = json!({
                "ruleId": rule,
                "ruleIndex": index[&d.rule],
                "level": level(d.severity),
                "message": {"text": message},
            });
            if let Some(l) = &d.location {
                let mut region = json!({"startLine": l.line.max(1)});
                if l.column > 0 {
                    region["startColumn"] = json!(l.column);
                }
                r["locations"] = json!([{"physicalLocation": {"artifactLocation": base.artifact(&l.file), "region": region}}]);
                // Stable across runs and unrelated edits above: rule, file, subject.
                r["partialFingerprints"] = json!({"aimsFinding/v1": format!("{rule}:{}:{}:{}", l.file, control.unwrap_or(""), system.unwrap_or(""))});
            }
            let mut props = serde_json::Map::new();
            if let Some(c) = control {
                props.insert("control".into(), json!(c));
            }
            if let Some(s) = system {
                props.insert("system".into(), json!(s));
            }
            if !props.is_empty() {
                r["properties"] = Value::Object(props);
            }
            if let Some(w) = &d.waived_by {
                r["suppressions"] = json!([{"kind": "external", "justification": format!("waiver `{w}`")}]);
            }
            r
        })
        .collect();
    json!({
        "tool": {"driver": {
            "name": "aims",
            "fullName": concat!("aims ", env!("CARGO_PKG_VERSION"), " (ISO/IEC 42001 AI management system checks)"),
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": DOCS_URL,
            "rules": rules_out,
        }},
        // One category for every aims run, so that code scanning closes
        // the alerts a later run no longer reports.
        "automationDetails": {
            "id": "aims/",
            "description": {"text": base.run},
        },
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The root of the repository the inventory is in."}},
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    })
}

fn document(run: Value) -> String {
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    let mut s = crate::render::escape::json_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// SARIF for findings, or for an inventory that could not be loaded (so
/// that the broken line is annotated too). Waived findings are kept,
/// marked as suppressed.
pub fn sarif(diags: &[Diagnostic], base: &SarifBase) -> String {
    document(sarif_run(diags, base))
}

/// Why this (control, system) test case fails, one reason a line; empty
/// when it passes. The same two reasons as the gate: its level is under
/// the score gate (a level is worth its ladder weight × 100), or a denied
/// finding names it (each one with its rule, message and location). A
/// not-applicable level has no weight, so only a finding can fail it.
pub fn case_fails(
    level: Level,
    threshold: Option<f64>,
    denied: &[&Finding],
    control: &str,
    system: Option<&str>,
) -> Vec<String> {
    case_reasons(level, threshold, denied, &[], control, system)
}

/// [`case_fails`], with the regressions since a baseline (`--baseline`)
/// as a third reason, as the gate counts them.
fn case_reasons(
    level: Level,
    threshold: Option<f64>,
    denied: &[&Finding],
    regressions: &[Regression],
    control: &str,
    system: Option<&str>,
) -> Vec<String> {
    let mut why = Vec::new();
    for r in regressions
        .iter()
        .filter(|r| r.control == control && r.system.as_deref() == system)
    {
        why.push(format!(
            "regression since the baseline: {} -> {}",
            r.from.as_str(),
            r.to.as_str()
        ));
    }
    if let (Some(t), Some(w)) = (threshold, level.weight())
        && w * 100.0 < t
    {
        why.push(format!(
            "level {} (worth {}) is under the gate's fail_under {t}",
            level.as_str(),
            w * 100.0
        ));
    }
    for f in denied
        .iter()
        .filter(|f| f.control.as_deref() == Some(control) && f.system.as_deref() == system)
    {
        why.push(finding_reason(f));
    }
    why
}

/// A denied finding as a failure reason: rule, severity, location, message.
fn finding_reason(f: &Finding) -> String {
    let at = f
        .location
        .as_ref()
        .map(|l| format!(" at {l}"))
        .unwrap_or_default();
    format!(
        "{} ({}){at}: {}",
        f.rule.as_str(),
        f.severity.as_str(),
        f.message
    )
}

/// The `message` attribute of a failure: its first reason, and how many more.
fn failure_message(why: &[String]) -> String {
    match why {
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
        [] => String::new(),
    }
}

/// JUnit XML: one suite per clause group and Annex A objective, one case
/// per control and per (control, system). A case fails exactly when the
/// gate would count it (see [`case_fails`]); a not-applicable case that
/// nothing fails is skipped.
///
/// Written to be valid against both schemas consumers check: the Jenkins
/// xUnit plugin's `junit-10.xsd` (no `<properties>` in a test case, no
/// `skipped` on `<testsuites>`) and Apache Ant's `JUnit.xsd` (`package`,
/// `id`, `timestamp`, `hostname`, `time` on every suite, `<properties>`,
/// `<system-out>` and `<system-err>` in that order, `time` and `classname`
/// on every case, no attributes on `<testsuites>`). Each level is a
/// property of its suite. Times are 0 and the timestamp is the as-of day,
/// so the same inventory gives the same bytes. A failure has a `message`
/// and the full reasons as its text, which GitLab and GitHub show.
///
/// Denied findings that name no case (a finding about a system or a
/// file, not a control) fail a case of their own in a last suite, so that
/// the report fails exactly when the gate does (the score gate aside,
/// which is one number, not a case).
pub fn junit(
    gap: &Gap,
    threshold: Option<f64>,
    denied: &[&Finding],
    regressions: &[Regression],
    groups: &[(String, String)],
) -> String {
    use crate::render::escape::xml;
    use std::fmt::Write as _;
    let timestamp = format!("{}T00:00:00", gap.as_of);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    let mut id = 0usize;
    let mut named: std::collections::BTreeSet<(&str, Option<&str>)> = Default::default();
    for (gid, gtitle) in groups {
        let mut cases = Vec::new();
        for c in gap.controls.iter().filter(|c| &c.group == gid) {
            if gap.system.is_none() {
                named.insert((&c.id, None));
                cases.push((c.level, None, &c.id, format!("{} {}", c.id, c.title)));
            }
            for (s, l) in &c.systems {
                named.insert((&c.id, Some(s)));
                cases.push((
                    *l,
                    Some(s.as_str()),
                    &c.id,
                    format!("{} {} [{s}]", c.id, c.title),
                ));
            }
        }
        if cases.is_empty() {
            continue;
        }
        let judged: Vec<_> = cases
            .into_iter()
            .map(|(lvl, system, control, name)| {
                let why = case_reasons(lvl, threshold, denied, regressions, control, system);
                (lvl, system, control, name, why)
            })
            .collect();
        let failures = judged.iter().filter(|c| !c.4.is_empty()).count();
        let skipped = judged
            .iter()
            .filter(|c| c.4.is_empty() && c.0 == Level::NotApplicable)
            .count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" package=\"aims.{}\" id=\"{id}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"0\" timestamp=\"{timestamp}\" hostname=\"localhost\">",
            xml(&format!("{gid} {gtitle}"), true),
            xml(gid, true),
            judged.len(),
        );
        id += 1;
        out.push_str("    <properties>\n");
        let _ = writeln!(
            out,
            "      <property name=\"as-of\" value=\"{}\"/>",
            gap.as_of
        );
        if let Some(t) = threshold {
            let _ = writeln!(out, "      <property name=\"fail-under\" value=\"{t}\"/>");
        }
        for (lvl, system, control, _, _) in &judged {
            let key = match system {
                Some(s) => format!("level {control} [{s}]"),
                None => format!("level {control}"),
            };
            let _ = writeln!(
                out,
                "      <property name=\"{}\" value=\"{}\"/>",
                xml(&key, true),
                lvl.as_str()
            );
        }
        out.push_str("    </properties>\n");
        for (lvl, _, _, name, why) in &judged {
            let open = format!(
                "    <testcase name=\"{}\" classname=\"aims.{}\" time=\"0\"",
                xml(name, true),
                xml(gid, true)
            );
            if !why.is_empty() {
                let _ = writeln!(
                    out,
                    "{open}>\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                    xml(&failure_message(why), true),
                    lvl.as_str(),
                    xml(&why.join("\n"), false)
                );
            } else if *lvl == Level::NotApplicable {
                let _ = writeln!(
                    out,
                    "{open}>\n      <skipped message=\"not applicable\"/>\n    </testcase>"
                );
            } else {
                let _ = writeln!(out, "{open}/>");
            }
        }
        out.push_str("    <system-out/>\n    <system-err/>\n  </testsuite>\n");
    }
    let others: Vec<&&Finding> = denied
        .iter()
        .filter(|f| {
            f.control
                .as_deref()
                .is_none_or(|c| !named.contains(&(c, f.system.as_deref())))
        })
        .collect();
    if !others.is_empty() {
        let _ = writeln!(
            out,
            "  <testsuite name=\"Other denied findings\" package=\"aims.findings\" id=\"{id}\" tests=\"{n}\" failures=\"{n}\" errors=\"0\" skipped=\"0\" time=\"0\" timestamp=\"{timestamp}\" hostname=\"localhost\">\n    <properties/>",
            n = others.len()
        );
        for f in others {
            let subject = match (&f.control, &f.system) {
                (Some(c), Some(s)) => format!(" {c} [{s}]"),
                (Some(c), None) => format!(" {c}"),
                (None, Some(s)) => format!(" [{s}]"),
                (None, None) => String::new(),
            };
            let why = vec![finding_reason(f)];
            let _ = writeln!(
                out,
                "    <testcase name=\"{}\" classname=\"aims.findings\" time=\"0\">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                xml(&format!("{}{subject}", f.rule.as_str()), true),
                xml(&failure_message(&why), true),
                f.severity.as_str(),
                xml(&why.join("\n"), false)
            );
        }
        out.push_str("    <system-out/>\n    <system-err/>\n  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn locations_are_relative_to_the_repository_or_file_uris() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("aims dir")).unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        // From outside the repository, with an absolute path.
        let b = SarifBase::new(&repo.join("aims dir"), &elsewhere, "aims check");
        let shown = repo.join("aims dir/a#b.yaml");
        let a = b.artifact(&shown.to_string_lossy());
        assert_eq!(a["uri"], "aims%20dir/a%23b.yaml");
        assert_eq!(a["uriBaseId"], SRCROOT);
        // From inside it, with a relative one: the same location.
        let b = SarifBase::new(Path::new("aims dir"), &repo, "aims check");
        assert_eq!(b.artifact("aims dir/a#b.yaml"), a);
        // A file outside the repository is an absolute file:// URI.
        let out = b.artifact(&elsewhere.join("x.yaml").to_string_lossy());
        assert!(
            out["uri"].as_str().unwrap().starts_with("file:///"),
            "{out}"
        );
        assert!(out.get("uriBaseId").is_none());
    }

    #[test]
    fn names_are_pascal_case() {
        assert_eq!(pascal("evidence/missing"), "EvidenceMissing");
        assert_eq!(pascal("eu-ai-act/tier-mismatch"), "EuAiActTierMismatch");
    }

    #[test]
    fn case_gate_uses_the_ladder_weight() {
        assert!(!case_fails(Level::Implemented, Some(60.0), &[], "A.2.2", None).is_empty());
        assert!(case_fails(Level::Evidenced, Some(60.0), &[], "A.2.2", None).is_empty());
        assert!(case_fails(Level::Partial, None, &[], "A.2.2", None).is_empty());
        assert!(case_fails(Level::NotApplicable, Some(100.0), &[], "A.2.2", None).is_empty());
    }

    #[test]
    fn a_denied_finding_fails_its_case_even_when_not_applicable() {
        let mut f = Diagnostic::error(crate::rules::LoadCode::Yaml, "cited file is gone").at(Some(
            crate::diag::Location {
                file: "aims/x.yaml".into(),
                line: 3,
                column: 5,
            },
        ));
        f.control = Some("A.7.4".into());
        f.system = Some("scoring".into());
        let why = case_fails(Level::NotApplicable, None, &[&f], "A.7.4", Some("scoring"));
        assert_eq!(why.len(), 1);
        assert!(why[0].contains("aims/x.yaml:3:5"), "{why:?}");
        assert!(why[0].contains("cited file is gone"), "{why:?}");
        // Another scope is not named by it.
        assert!(case_fails(Level::NotApplicable, None, &[&f], "A.7.4", None).is_empty());
        let both = case_fails(Level::Missing, Some(10.0), &[&f], "A.7.4", Some("scoring"));
        assert_eq!(both.len(), 2);
        assert_eq!(failure_message(&both), format!("{} (and 1 more)", both[0]));
    }
}
