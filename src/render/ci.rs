//! Outputs for CI systems: SARIF 2.1.0 (GitHub code scanning annotates the
//! YAML in a pull request) and JUnit XML (every CI shows test results).

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde_json::{Value, json};

use crate::assess::{Gap, Level};
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

/// Does this (control, system) test case fail? Its level is under the
/// score gate (a level is worth its ladder weight × 100), or a denied
/// finding names it.
pub fn case_fails(
    level: Level,
    threshold: Option<f64>,
    denied: &[&Finding],
    control: &str,
    system: Option<&str>,
) -> Option<String> {
    if let (Some(t), Some(w)) = (threshold, level.weight())
        && w * 100.0 < t
    {
        return Some(format!("level {} is under the gate ({t})", level.as_str()));
    }
    denied
        .iter()
        .find(|f| f.control.as_deref() == Some(control) && f.system.as_deref() == system)
        .map(|f| format!("{}: {}", f.rule, f.message))
}

/// JUnit XML: one suite per clause group and Annex A objective, one case
/// per control and per (control, system). Not-applicable cases are skipped.
/// The XML writer escapes markup and drops characters XML cannot hold;
/// control characters and bidirectional overrides in user text are shown
/// as escapes first, so a CI page shows them instead of acting on them.
pub fn junit(
    gap: &Gap,
    threshold: Option<f64>,
    denied: &[&Finding],
    groups: &[(String, String)],
) -> String {
    let text = |s: String| crate::render::escape::term_line(&s).into_owned();
    let mut report = Report::new("aims gap");
    for (gid, gtitle) in groups {
        let mut suite = TestSuite::new(text(format!("{gid} {gtitle}")));
        for c in gap.controls.iter().filter(|c| &c.group == gid) {
            let mut cases = vec![(c.level, None, text(format!("{} {}", c.id, c.title)))];
            if gap.system.is_some() {
                cases.clear();
            }
            for (s, l) in &c.systems {
                cases.push((
                    *l,
                    Some(s.as_str()),
                    text(format!("{} {} [{s}]", c.id, c.title)),
                ));
            }
            for (lvl, system, name) in cases {
                let status = if lvl == Level::NotApplicable {
                    let mut st = TestCaseStatus::skipped();
                    st.set_message("not applicable");
                    st
                } else if let Some(why) = case_fails(lvl, threshold, denied, &c.id, system) {
                    let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    st.set_message(text(why));
                    st.set_type(lvl.as_str());
                    st
                } else {
                    TestCaseStatus::success()
                };
                let mut tc = TestCase::new(name, status);
                tc.set_classname(text(format!("aims.{gid}")));
                tc.add_property(("level", lvl.as_str()));
                suite.add_test_case(tc);
            }
        }
        if !suite.test_cases.is_empty() {
            report.add_test_suite(suite);
        }
    }
    report.to_string().unwrap_or_default()
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
        assert!(case_fails(Level::Implemented, Some(60.0), &[], "A.2.2", None).is_some());
        assert!(case_fails(Level::Evidenced, Some(60.0), &[], "A.2.2", None).is_none());
        assert!(case_fails(Level::Partial, None, &[], "A.2.2", None).is_none());
        assert!(case_fails(Level::NotApplicable, Some(100.0), &[], "A.2.2", None).is_none());
    }
}
