//! Judgement that tells the truth (spec: "Which statement judges which
//! scope", "Records are evidence"): per-system controls, records as
//! evidence, `aims explain`, and gap, SoA, report and explain agreeing.

mod common;

use common::*;
use serde_json::Value;

const AS_OF: &str = "2026-11-24";

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json", "--as-of", AS_OF]);
    let out = run(&all);
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", out.stdout, out.stderr))
}

fn gap(path: &str) -> Value {
    json(&["gap", path])
}

fn explain(id: &str, system: Option<&str>) -> Value {
    let mut args = vec!["explain", id, "tests/fixtures/records"];
    if let Some(s) = system {
        args.extend(["--system", s]);
    }
    json(&args)["data"].clone()
}

const RECORDS: &str = "tests/fixtures/records";

#[test]
fn a_per_system_control_evidenced_on_every_system_is_evidenced_for_the_organisation() {
    let v = gap(RECORDS);
    let c = control(&v, "A.6.2.4");
    assert_eq!(c["systems"]["life-pricing"], "evidenced");
    assert_eq!(c["systems"]["claims-triage"], "evidenced");
    // The deployers are out of its scope (providers only), and no
    // top-level statement is needed.
    assert!(c["systems"].get("fraud-vendor").is_none());
    assert_eq!(c["level"], "evidenced", "{c}");
    assert_eq!(c["overall"], "evidenced");
    let e = explain("A.6.2.4", None);
    assert_eq!(e["decided_by"]["kind"], "lowest-system");
    assert_eq!(e["systems"].as_array().unwrap().len(), 2);
}

#[test]
fn the_organisation_level_of_a_per_system_control_is_its_lowest_system() {
    let v = gap(RECORDS);
    let c = control(&v, "A.5.3");
    assert_eq!(c["level"], "missing");
    assert!(
        c["reason"].as_str().unwrap().contains("`chat-vendor`"),
        "{}",
        c["reason"]
    );
    let e = explain("A.5.3", None);
    assert_eq!(e["decided_by"]["system"], "chat-vendor");
    // Lowest first.
    assert_eq!(e["systems"][0]["id"], "chat-vendor");
    assert_eq!(e["systems"][0]["level"], "missing");
}

#[test]
fn a_control_that_applies_to_no_system_is_not_applicable_with_that_reason() {
    // The hospital deploys every system; A.6.2.4 concerns providers.
    let v = json(&["gap", "examples/hospital"]);
    let c = control(&v, "A.6.2.4");
    assert_eq!(c["level"], "not-applicable");
    assert_eq!(c["reason"], "no system in scope");
    let soa = json(&["soa", "examples/hospital"]);
    let row = control(&soa, "A.6.2.4");
    assert_eq!(row["applicable"], false);
    assert!(
        row["justification"].as_str().unwrap().contains("provider"),
        "{row}"
    );
}

/// (control, system, level, the record that decided it)
const LIFTED: &[(&str, Option<&str>, &str, &str)] = &[
    // An impact assessment with a current document evidences A.5.3, 8.4
    // and, by the perspectives it assesses, A.5.4.
    ("A.5.3", Some("life-pricing"), "evidenced", "ia-life"),
    ("A.5.4", Some("life-pricing"), "evidenced", "ia-life"),
    ("8.4", Some("life-pricing"), "evidenced", "ia-life"),
    // Its document is missing: partial.
    ("A.5.3", Some("claims-triage"), "partial", "ia-claims"),
    ("A.5.4", Some("claims-triage"), "partial", "ia-claims"),
    // Older than the freshness limit: implemented.
    ("A.5.3", Some("fraud-vendor"), "implemented", "ia-fraud-old"),
    // A reviewed risk evidences 8.2 for its system; one never reviewed
    // only reaches implemented, for its system and for the register (6.1.2).
    ("8.2", Some("life-pricing"), "evidenced", "r-life"),
    ("8.2", Some("claims-triage"), "implemented", "r-claims"),
    ("6.1.2", None, "implemented", "r-claims"),
    // The latest internal audit (9.2), management review with inputs
    // (9.3), nonconformity with a corrective action (10.2).
    ("9.2", None, "evidenced", "audit-2026"),
    ("9.3", None, "evidenced", "mr-2026"),
    ("10.2", None, "evidenced", "nc-1"),
    // Supplier due diligence, for the systems the supplier supplies:
    // current for beta's, stale for acme's.
    ("A.10.3", Some("chat-vendor"), "evidenced", "beta"),
    ("A.10.3", Some("fraud-vendor"), "implemented", "acme"),
    // Data provenance: a document with no review date is implemented; a
    // data set with no provenance document is partial.
    ("A.7.5", Some("life-pricing"), "implemented", "policy-data"),
    ("A.7.5", Some("fraud-vendor"), "evidenced", "vendor-feed"),
    ("A.7.5", Some("claims-triage"), "partial", "claims-history"),
    // A policy supports the controls it lists.
    ("A.2.2", None, "evidenced", "pol-ai"),
    ("5.2", None, "evidenced", "pol-ai"),
];

#[test]
fn each_kind_of_record_lifts_its_controls_as_far_as_its_evidence_supports() {
    let v = gap(RECORDS);
    for (id, system, level, record) in LIFTED {
        let c = control(&v, id);
        let got = match system {
            Some(s) => &c["systems"][s],
            None => &c["level"],
        };
        assert_eq!(got, level, "{id} for {system:?}: {c}");
        let e = explain(id, *system);
        assert_eq!(e["level"], *level, "{id} {system:?}: {e}");
        assert_eq!(e["decided_by"]["kind"], "records", "{id} {system:?}: {e}");
        let ids: Vec<&str> = e["decided_by"]["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(record), "{id} {system:?}: {ids:?}");
        assert!(
            e["reason"].as_str().unwrap().contains(record),
            "the reason names the record: {}",
            e["reason"]
        );
    }
}

#[test]
fn a_written_statement_wins_over_a_record() {
    let v = gap(RECORDS);
    // life-pricing's own `A.5.5: planned` beats its impact assessment of
    // societal impacts; the top-level `6.1.3: planned` beats the register.
    assert_eq!(control(&v, "A.5.5")["systems"]["life-pricing"], "missing");
    assert_eq!(control(&v, "6.1.3")["level"], "missing");
    for (id, system) in [("A.5.5", Some("life-pricing")), ("6.1.3", None)] {
        let e = explain(id, system);
        assert_eq!(e["decided_by"]["kind"], "statement", "{e}");
        assert!(e["decided_by"]["location"]["line"].as_u64().unwrap() > 0);
        assert_eq!(e["reason"], "planned");
    }
}

#[test]
fn explain_names_the_evidence_its_review_date_and_limit() {
    let e = explain("A.10.3", Some("fraud-vendor"));
    let ev = &e["evidence"][0];
    assert_eq!(ev["cited"], "docs/suppliers/acme-dd.md");
    assert_eq!(ev["state"], "stale");
    assert_eq!(ev["reviewed"], "2025-06-01");
    assert_eq!(ev["limit"], "12 months");
    let e = explain("A.5.3", Some("claims-triage"));
    assert_eq!(e["evidence"][0]["state"], "problem");
    // The same facts in the terminal and in Markdown.
    let human = run(&[
        "explain",
        "A.10.3",
        RECORDS,
        "--system",
        "fraud-vendor",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(
        human.stdout.contains("decided by: records"),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains("stale: reviewed 2025-06-01, more than 12 months ago")
    );
    let md = run(&[
        "explain", "9.2", RECORDS, "--format", "markdown", "--as-of", AS_OF,
    ]);
    assert!(md.stdout.starts_with("# `9.2`"), "{}", md.stdout);
    assert!(md.stdout.contains("audit-2026"));
}

#[test]
fn explain_names_the_finding_that_capped_and_the_audit_that_made_it_effective() {
    // tests/fixtures/gap: 10.2 is capped by an overdue corrective action;
    // A.2.2 is effective through the internal audit; A.2.3 is stopped by an
    // open nonconformity.
    let ex = |id: &str| {
        let v = json(&["explain", id, "tests/fixtures/gap"]);
        v["data"].clone()
    };
    let e = ex("10.2");
    assert_eq!(e["level"], "partial");
    assert_eq!(e["capped"], true);
    assert!(
        e["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["caps"] == true),
        "{e}"
    );
    let e = ex("A.2.2");
    assert_eq!(e["level"], "effective");
    assert_eq!(e["audit"]["state"], "audited");
    let e = ex("A.2.3");
    assert_eq!(e["audit"]["state"], "open-nonconformity");
}

#[test]
fn explain_refuses_unknown_controls_and_systems_out_of_scope() {
    let out = run(&["explain", "A7.4", RECORDS]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("did you mean"), "{}", out.stderr);
    let out = run(&["explain", "A.6.2.4", RECORDS, "--system", "fraud-vendor"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("does not apply to system `fraud-vendor`"),
        "{}",
        out.stderr
    );
}

/// gap, SoA, report and explain agree on every control of both examples.
#[test]
fn gap_soa_report_and_explain_agree_on_every_control() {
    for example in ["examples/bank", "examples/hospital", RECORDS] {
        let g = json(&["gap", example]);
        let soa = json(&["soa", example]);
        let report = run(&["report", example, "--format", "markdown", "--as-of", AS_OF]);
        assert_eq!(report.code, 0, "{}", report.stderr);
        let rows = soa["data"]["controls"].as_array().unwrap();
        for c in g["data"]["controls"].as_array().unwrap() {
            let id = c["id"].as_str().unwrap();
            let level = c["level"].as_str().unwrap();
            let e = json(&["explain", id, example]);
            assert_eq!(
                e["data"]["level"], level,
                "{example} {id}: explain disagrees with gap"
            );
            if let Some(row) = rows.iter().find(|r| r["id"] == id) {
                assert_eq!(
                    row["level"], level,
                    "{example} {id}: SoA disagrees with gap"
                );
            }
            // The report's control tables: `| **ID** | title | level |`.
            let cell = format!("| **{}** |", id.replace('.', "\\."));
            let plain = format!("| **{id}** |");
            let line = report
                .stdout
                .lines()
                .find(|l| l.starts_with(&cell) || l.starts_with(&plain))
                .unwrap_or_else(|| panic!("{example}: no row for {id} in the report"));
            let third = line.split(" | ").nth(2).unwrap_or_default();
            assert_eq!(
                third, level,
                "{example} {id}: report disagrees with gap: {line}"
            );
            for (system, l) in c["systems"].as_object().unwrap() {
                let e = json(&["explain", id, example, "--system", system]);
                assert_eq!(&e["data"]["level"], l, "{example} {id} {system}");
            }
        }
    }
}

#[test]
fn a_draft_policy_is_named_but_is_not_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["init", "--as-of", AS_OF]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let e = run_in(
        dir.path(),
        &["explain", "5.2", "--format", "json", "--as-of", AS_OF],
    );
    let v: Value = serde_json::from_str(&e.stdout).unwrap();
    assert_eq!(v["data"]["level"], "missing");
    assert_eq!(v["data"]["decided_by"]["kind"], "nothing");
    assert!(
        v["data"]["reason"]
            .as_str()
            .unwrap()
            .contains("is a draft (no `approved` date)"),
        "{}",
        v["data"]["reason"]
    );
}
