//! Dates that have not happened, and the draft `aims init` writes.

mod common;

use common::*;
use serde_json::Value;

fn json(out: &Out) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", out.stdout))
}

const FUTURE: &str = "\
version: 1
organization:
  name: Future Co
roles:
  - id: lead
    title: Lead
controls:
  A.2.2:
    status: implemented
    owner: lead
    evidence:
      - path: policy.md
        reviewed: 2062-07-01
  A.2.3:
    status: implemented
    owner: lead
    evidence:
      - path: policy.md
        reviewed: 2026-10-01
audits:
  - id: audit-2026
    kind: internal-audit
    date: 2026-03-01
nonconformities:
  - id: nc-1
    raised: 2026-03-01
    description: Late reviews
    controls: [A.2.3]
    corrective_action: Calendar reminders
    closed: 2027-01-15
";

fn future_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("aims.yaml"), FUTURE).unwrap();
    std::fs::write(dir.path().join("policy.md"), "# Policy\n").unwrap();
    dir
}

#[test]
fn a_review_dated_after_the_as_of_day_is_an_error_and_no_review() {
    let dir = future_dir();
    let out = run_in(
        dir.path(),
        &["check", "--format", "json", "--as-of", "2026-11-24"],
    );
    let v = json(&out);
    let findings = v["data"]["findings"].as_array().unwrap();
    let future: Vec<&Value> = findings
        .iter()
        .filter(|f| f["rule"] == "date/in-future")
        .collect();
    assert_eq!(future.len(), 2, "{findings:#?}");
    assert_eq!(future[0]["severity"], "error");
    assert_eq!(
        future[0]["message"],
        "the review of evidence `policy.md` for `A.2.2` is dated 2062-07-01, after the as-of day 2026-11-24"
    );
    assert_eq!(future[0]["control"], "A.2.2");
    assert_eq!(future[0]["location"]["line"], 13);
    assert_eq!(future[0]["location"]["column"], 19);
    assert_eq!(
        future[1]["message"],
        "the closure of nonconformity `nc-1` is dated 2027-01-15, after the as-of day 2026-11-24"
    );
    assert_eq!(future[1]["location"]["line"], 30);
    // The future date is the one finding about that evidence: it is not
    // also "has no review date".
    assert!(
        !findings.iter().any(|f| f["rule"] == "evidence/unreviewed"),
        "{findings:#?}"
    );
    // An error: the gate fails.
    assert_eq!(out.code, 1, "{}", out.stderr);

    let gap = json(&run_in(
        dir.path(),
        &["gap", "--format", "json", "--as-of", "2026-11-24"],
    ));
    let level = |id: &str| {
        let c = gap["data"]["controls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone();
        (
            c["level"].as_str().unwrap().to_string(),
            c["reason"].as_str().unwrap().to_string(),
        )
    };
    let (l, why) = level("A.2.2");
    assert_eq!(l, "implemented", "{why}");
    assert_eq!(
        why,
        "evidence `policy.md` is dated 2062-07-01, after the as-of day: not reviewed yet"
    );
    // The same evidence reviewed in the past is current, but the
    // nonconformity on it, closed only in 2027, is open today.
    assert_eq!(
        level("A.2.3"),
        (
            "evidenced".into(),
            "evidence current; nonconformity `nc-1` is open".into()
        )
    );
    assert_eq!(level("A.2.4").0, "missing");
}

#[test]
fn the_same_date_is_no_finding_once_the_day_has_come() {
    let dir = future_dir();
    let out = run_in(
        dir.path(),
        &["check", "--format", "json", "--as-of", "2062-07-01"],
    );
    let v = json(&out);
    let n = v["data"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "date/in-future")
        .count();
    assert_eq!(n, 0);
}

#[test]
fn a_fresh_scaffold_is_an_honest_draft() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["init", "--as-of", "2026-11-24"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let yaml = std::fs::read_to_string(dir.path().join("aims.yaml")).unwrap();
    // No approval, no review date written for the user.
    for line in yaml.lines().filter(|l| !l.trim_start().starts_with('#')) {
        assert!(
            !line.contains("2026-11-24")
                && !line.contains("reviewed:")
                && !line.contains("approved:"),
            "{line}"
        );
    }
    let gap = json(&run_in(dir.path(), &["gap", "--format", "json"]));
    for c in gap["data"]["controls"].as_array().unwrap() {
        assert!(
            !matches!(
                c["level"].as_str(),
                Some("evidenced" | "effective" | "implemented")
            ),
            "{c}"
        );
    }
    assert_eq!(
        gap["data"]["summary"]["counts"]["evidenced"], 0,
        "{}",
        gap["data"]["summary"]
    );
    // The placeholders and the missing approval are pointed out.
    let check = json(&run_in(dir.path(), &["check", "--format", "json"]));
    let mut rules: Vec<String> = check["data"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["rule"].as_str().unwrap(), f["location"]["line"]))
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        [
            "draft/placeholder 12",
            "draft/placeholder 20",
            "policy/unapproved 29"
        ]
    );
}

/// Remove the leading `# ` from the commented block that starts with
/// `# {section}:`, as the scaffold's comment says.
fn uncomment(yaml: &str, section: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in yaml.lines() {
        if line == format!("# {section}:") {
            inside = true;
        } else if !line.starts_with("# ") && !line.starts_with("#  ") {
            inside = false;
        }
        if inside {
            out.push_str(line.strip_prefix("# ").unwrap());
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

#[test]
fn the_scaffold_examples_load_when_uncommented_as_the_comment_says() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["init"]).code, 0);
    let path = dir.path().join("aims.yaml");
    let yaml = std::fs::read_to_string(&path).unwrap();
    assert!(
        yaml.contains("remove the leading\n# `# ` from each of its lines"),
        "{yaml}"
    );
    let systems = uncomment(&yaml, "systems");
    assert!(
        systems.contains("\nsystems:\n  - id: support-chatbot\n"),
        "{systems}"
    );
    std::fs::write(&path, &systems).unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json"]);
    assert_ne!(out.code, 2, "{}", out.stdout);
    let v = json(&out);
    assert!(v["data"]["errors"].is_null(), "{v}");
    let classified = json(&run_in(dir.path(), &["classify", "--format", "json"]));
    assert!(
        classified.to_string().contains("support-chatbot"),
        "{classified}"
    );
    // And the risk example after it, which names that system.
    let both = uncomment(&systems, "risks");
    assert!(
        both.contains("\nrisks:\n  - id: chatbot-wrong-answers\n"),
        "{both}"
    );
    std::fs::write(&path, &both).unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json"]);
    assert_ne!(out.code, 2, "{}", out.stdout);
}
