//! Outputs for CI systems: SARIF 2.1.0 (GitHub code scanning annotates the
//! YAML in a pull request) and JUnit XML (every CI shows test results).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::assess::{Gap, Level, Regression};
use crate::diag::{Code, Diagnostic, Severity};
use crate::rules::{self, Finding};

/// Where each rule is documented. The README has a section per area.
pub const DOCS_URL: &str = "https://github.com/aims-governance/aims/blob/main/README.md";

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
        "helpUri": format!("{DOCS_URL}#{anchor}"),
        "defaultConfiguration": {"level": level(severity)},
    })
}

/// One SARIF run from findings (check/gap) or load errors (exit 2).
fn sarif_run(diags: &[Diagnostic]) -> Value {
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
                r["locations"] = json!([{"physicalLocation": {"artifactLocation": {"uri": l.file}, "region": region}}]);
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
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": DOCS_URL,
            "rules": rules_out,
        }},
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
pub fn sarif(diags: &[Diagnostic]) -> String {
    document(sarif_run(diags))
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
