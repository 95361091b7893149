//! Impact assessment, risk, supplier and EU AI Act checks, and `aims classify`.

mod common;

use common::*;
use serde_json::Value;

fn findings(path: &str) -> Vec<Value> {
    let out = run(&["check", "--format", "json", "--as-of", "2026-11-24", path]);
    let v: Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stderr));
    v["data"]["findings"].as_array().unwrap().clone()
}

/// Exactly one finding of `rule` whose message contains `needle`, at `line`.
fn one(
    fs: &[Value],
    rule: &str,
    needle: &str,
    line: u64,
    control: Option<&str>,
    system: Option<&str>,
) {
    let hits: Vec<&Value> = fs
        .iter()
        .filter(|f| f["rule"] == rule && f["message"].as_str().unwrap().contains(needle))
        .collect();
    assert_eq!(hits.len(), 1, "{rule} / {needle}: {hits:#?}\nall: {fs:#?}");
    let f = hits[0];
    assert_eq!(f["location"]["line"], line, "{rule}: {f}");
    assert_eq!(f["control"].as_str(), control, "{rule}: {f}");
    assert_eq!(f["system"].as_str(), system, "{rule}: {f}");
}

const F: &str = "tests/fixtures/checks";

#[test]
fn prohibited_practice_is_an_error() {
    one(
        &findings(F),
        "eu-ai-act/prohibited",
        "Art. 5(1)(c)",
        52,
        None,
        Some("social"),
    );
}

#[test]
fn declared_tier_differs_from_computed() {
    one(
        &findings(F),
        "eu-ai-act/tier-mismatch",
        "declared `limited` but its facts make it `high`",
        30,
        None,
        Some("ranker"),
    );
}

#[test]
fn high_risk_needs_oversight_logging_ia_and_provenance() {
    let fs = findings(F);
    one(
        &fs,
        "high-risk/no-human-oversight",
        "`ranker`",
        23,
        Some("A.9.2"),
        Some("ranker"),
    );
    one(
        &fs,
        "high-risk/no-logging",
        "`ranker`",
        23,
        Some("A.6.2.8"),
        Some("ranker"),
    );
    one(
        &fs,
        "high-risk/no-impact-assessment",
        "`ranker`",
        23,
        Some("A.5.3"),
        Some("ranker"),
    );
    one(
        &fs,
        "high-risk/no-data-provenance",
        "lists no data sets",
        23,
        Some("A.7.5"),
        Some("ranker"),
    );
    one(
        &fs,
        "high-risk/no-data-provenance",
        "data set `applications`",
        42,
        Some("A.7.5"),
        Some("bought"),
    );
    // The system with oversight and logging gets neither finding.
    assert!(
        !fs.iter()
            .any(|f| f["rule"] == "high-risk/no-logging" && f["system"] == "bought")
    );
}

#[test]
fn impact_assessment_checks() {
    let fs = findings(F);
    one(
        &fs,
        "impact/missing",
        "`helper`",
        54,
        Some("A.5.3"),
        Some("helper"),
    );
    // A high-risk system without one gets the high-risk finding instead, not both.
    assert!(
        !fs.iter()
            .any(|f| f["rule"] == "impact/missing" && f["system"] == "ranker")
    );
}

#[test]
fn impact_assessment_state() {
    let fs = findings(F);
    one(
        &fs,
        "impact/stale",
        "`ia-bought`",
        81,
        Some("A.5.3"),
        Some("bought"),
    );
    one(
        &fs,
        "impact/outdated",
        "predates the last change",
        80,
        Some("A.5.3"),
        Some("bought"),
    );
    one(
        &fs,
        "impact/unapproved",
        "`ia-bought`",
        78,
        Some("A.5.3"),
        Some("bought"),
    );
    one(
        &fs,
        "impact/perspective-missing",
        "`ia-bought` of system `bought` assesses no impact on society",
        83,
        Some("A.5.5"),
        Some("bought"),
    );
    one(
        &fs,
        "impact/perspective-missing",
        "`ia-social` of system `social` assesses no impact on individuals",
        92,
        Some("A.5.4"),
        Some("social"),
    );
    one(
        &fs,
        "impact/unmitigated",
        "severity 5",
        83,
        Some("A.5.4"),
        Some("bought"),
    );
    // A complete, current, approved assessment gives nothing.
    assert!(
        !fs.iter()
            .any(|f| f["rule"].as_str().unwrap().starts_with("impact/")
                && f["system"] == "unassessed")
    );
}

#[test]
fn out_of_scope_and_retired_systems_need_no_assessment() {
    let fs = findings(F);
    assert!(!fs.iter().any(|f| f["system"] == "abroad"), "{fs:#?}");
    one(
        &fs,
        "eu-ai-act/not-assessed",
        "`unassessed`",
        63,
        None,
        Some("unassessed"),
    );
}

#[test]
fn risk_checks() {
    let fs = findings(F);
    one(
        &fs,
        "risk/untreated",
        "scores 16 (appetite 9)",
        101,
        Some("6.1.3"),
        Some("ranker"),
    );
    one(
        &fs,
        "risk/acceptance-unapproved",
        "`accepted-unapproved`",
        112,
        Some("6.1.3"),
        None,
    );
    one(
        &fs,
        "risk/residual-above-appetite",
        "residual score of 12",
        119,
        Some("6.1.3"),
        None,
    );
    one(
        &fs,
        "risk/excluded-control",
        "`uses-excluded` is treated with `A.10.4`",
        126,
        Some("A.10.4"),
        None,
    );
    one(
        &fs,
        "risk/review-overdue",
        "`uses-excluded`",
        127,
        Some("8.2"),
        None,
    );
    assert!(
        !fs.iter()
            .any(|f| f["message"].as_str().unwrap().contains("`within-appetite`"))
    );
}

#[test]
fn supplier_without_due_diligence() {
    let fs = findings(F);
    // One finding per supplier, at the supplier, naming the systems.
    let dd: Vec<&Value> = fs
        .iter()
        .filter(|f| f["rule"] == "supplier/no-due-diligence")
        .collect();
    assert_eq!(dd.len(), 1, "{dd:#?}");
    assert!(dd[0]["message"].as_str().unwrap().contains("`vendor-nodd`"));
    assert_eq!(dd[0]["control"], "A.10.3");
    assert_eq!(dd[0]["systems"], serde_json::json!(["bought"]));
    assert!(
        !fs.iter()
            .any(|f| f["rule"] == "supplier/no-due-diligence" && f["system"] == "helper")
    );
}

#[test]
fn findings_cap_the_levels_they_name() {
    // A high-risk system without an impact assessment cannot be above partial on A.5.3.
    let out = run(&["gap", "--format", "json", "--as-of", "2026-11-24", F]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let a53 = v["data"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "A.5.3")
        .unwrap();
    assert_eq!(a53["systems"]["ranker"], "missing");
}

// ---------------------------------------------------------------------------
// aims classify

fn classify(path: &str) -> Vec<Value> {
    let out = run(&[
        "classify",
        "--format",
        "json",
        "--as-of",
        "2026-11-24",
        path,
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["command"], "classify");
    v["data"]["systems"].as_array().unwrap().clone()
}

fn sys<'a>(list: &'a [Value], id: &str) -> &'a Value {
    list.iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

fn articles(s: &Value) -> Vec<String> {
    s["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["article"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_tier_from_the_fixtures() {
    let c = classify("tests/fixtures/classify/prohibited.yaml");
    assert_eq!(c[0]["tier"], "prohibited");
    assert_eq!(c[0]["basis"][0], "Art. 5(1)(c)");
    let c = classify("tests/fixtures/classify/high-annex-iii.yaml");
    let cv = sys(&c, "cv-screening");
    assert_eq!(cv["tier"], "high");
    assert_eq!(
        cv["basis"],
        serde_json::json!(["Annex III 4(a)", "Art. 6(2)"])
    );
    let arts = articles(cv);
    for a in [
        "Art. 9", "Art. 10", "Art. 11", "Art. 12", "Art. 13", "Art. 14", "Art. 15", "Art. 17",
        "Art. 43", "Art. 47", "Art. 48", "Art. 72", "Art. 73",
    ] {
        assert!(arts.iter().any(|x| x == a), "{a} missing from {arts:?}");
    }
    let nine = cv["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["article"] == "Art. 9")
        .unwrap();
    assert_eq!(nine["applies_from"], "2027-12-02");
    assert_eq!(nine["original_date"], "2026-08-02");
    assert_eq!(nine["in_force"], false);
    let credit = sys(&c, "credit-scoring");
    let arts = articles(credit);
    assert!(
        arts.contains(&"Art. 26".to_string()) && arts.contains(&"Art. 27".to_string()),
        "{arts:?}"
    );
    let c = classify("tests/fixtures/classify/out-of-scope.yaml");
    assert_eq!(c[0]["tier"], "out-of-scope");
    assert_eq!(c[0]["obligations"].as_array().unwrap().len(), 0);
}

#[test]
fn art_6_3_exception_with_and_without_profiling() {
    let c = classify("tests/fixtures/classify/art6-3-exception.yaml");
    let tiers: Vec<(&str, &str)> = c
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["tier"].as_str().unwrap()))
        .collect();
    assert!(tiers.iter().any(|(_, t)| *t == "high"), "{tiers:?}");
    assert!(tiers.iter().any(|(_, t)| *t != "high"), "{tiers:?}");
    for s in &c {
        let basis: Vec<&str> = s["basis"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_str().unwrap())
            .collect();
        if s["tier"] == "high" {
            assert!(basis.iter().any(|b| b.contains("profiling")), "{basis:?}");
        } else {
            assert!(
                basis.iter().any(|b| b.starts_with("Art. 6(3)")),
                "{basis:?}"
            );
        }
    }
}

#[test]
fn gpai_on_top_of_a_tier() {
    let c = classify("tests/fixtures/classify/limited-gpai.yaml");
    let s = &c[0];
    assert_eq!(s["tier"], "limited");
    let arts = articles(s);
    assert!(
        arts.iter().any(|a| a == "Art. 53(1)(a)-(b)") && arts.iter().any(|a| a == "Art. 55"),
        "{arts:?}"
    );
    assert!(arts.iter().any(|a| a.starts_with("Art. 50")), "{arts:?}");
}

#[test]
fn examples_classify_as_a_reader_of_the_act_would() {
    let bank = classify("examples/bank");
    assert_eq!(sys(&bank, "credit-scoring")["tier"], "high");
    assert_eq!(sys(&bank, "credit-scoring")["basis"][0], "Annex III 5(b)");
    assert_eq!(sys(&bank, "support-chatbot")["tier"], "limited");
    assert_eq!(sys(&bank, "fraud-detection")["tier"], "minimal"); // fraud detection is outside 5(b)
    let hospital = classify("examples/hospital");
    let triage = sys(&hospital, "ed-triage");
    assert_eq!(triage["tier"], "high");
    let basis: Vec<&str> = triage["basis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    assert!(
        basis.contains(&"Art. 6(1)") && basis.contains(&"Annex III 5(d)"),
        "{basis:?}"
    );
    assert!(articles(triage).contains(&"Art. 26".to_string()));
    assert_eq!(
        sys(&hospital, "clinical-notes-assistant")["tier"],
        "limited"
    );
}

#[test]
fn as_of_moves_obligations_into_force() {
    let out = run(&[
        "classify",
        "--format",
        "json",
        "--as-of",
        "2028-01-01",
        "examples/bank",
    ]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let cs = v["data"]["systems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "credit-scoring")
        .unwrap();
    assert!(
        cs["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["in_force"] == true)
    );
}

#[test]
fn classify_table_reads_in_a_terminal() {
    let out = run(&["classify", "--as-of", "2026-11-24", "examples/hospital"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("ed-triage — high (deployer)"),
        "{}",
        out.stdout
    );
    for line in out.stdout.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line}");
    }
}

#[test]
fn risks_register_and_heat_maps() {
    let out = run(&["risks", "--format", "json", "examples/hospital"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let risks = v["data"]["risks"].as_array().unwrap();
    let inherent = &v["data"]["heatmap"]["inherent"];
    let total: u64 = inherent
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, risks.len());
    let r = &risks[0];
    assert_eq!(
        r["score"],
        r["likelihood"].as_u64().unwrap() * r["impact"].as_u64().unwrap()
    );
    let l = r["likelihood"].as_u64().unwrap() as usize;
    let i = r["impact"].as_u64().unwrap() as usize;
    assert!(inherent[i - 1][l - 1].as_u64().unwrap() >= 1);
    let table = run(&["risks", "examples/hospital"]);
    assert!(table.stdout.contains("Inherent risk") && table.stdout.contains("Residual risk"));
}

const INCIDENTS: &str = "tests/fixtures/incidents";

/// The `incident/report-overdue` findings as of `as_of`, by incident id.
fn overdue(as_of: &str) -> Vec<String> {
    let out = run(&["check", "--format", "json", "--as-of", as_of, INCIDENTS]);
    let v: Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stderr));
    let mut ids: Vec<String> = v["data"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "incident/report-overdue")
        .map(|f| {
            let m = f["message"].as_str().unwrap();
            m.split('`').nth(1).unwrap().to_string()
        })
        .collect();
    ids.sort();
    ids
}

/// Regulation (EU) 2024/1689 Art. 73(4): after a death, at the latest 10
/// days after becoming aware.
#[test]
fn art_73_4_death_reported_within_10_days() {
    assert!(!overdue("2028-02-11").contains(&"inc-death".to_string()));
    assert!(overdue("2028-02-12").contains(&"inc-death".to_string()));
}

/// Art. 73(3): a serious and irreversible disruption of critical
/// infrastructure, or a widespread infringement, within 2 days.
#[test]
fn art_73_3_critical_infrastructure_and_widespread_within_2_days() {
    assert!(!overdue("2028-02-03").contains(&"inc-grid".to_string()));
    assert!(overdue("2028-02-04").contains(&"inc-grid".to_string()));
    assert!(!overdue("2028-02-06").contains(&"inc-wide".to_string()));
    assert!(overdue("2028-02-07").contains(&"inc-wide".to_string()));
}

/// Art. 73(2): any other serious incident within 15 days; reported,
/// minor and deployed-only incidents are never overdue (Art. 73(1) binds
/// providers; a deployer informs the provider, Art. 26(5)).
#[test]
fn art_73_2_other_serious_incidents_within_15_days() {
    assert_eq!(overdue("2028-02-16"), ["inc-death", "inc-grid", "inc-wide"]);
    assert_eq!(
        overdue("2028-02-17"),
        ["inc-death", "inc-grid", "inc-harm", "inc-wide"]
    );
    // Before Art. 73 applies to the system (2027-12-02), no deadline runs.
    assert!(overdue("2027-12-01").is_empty());
}

#[test]
fn serious_incident_without_a_nonconformity_is_unlinked() {
    let fs = {
        let out = run(&[
            "check",
            "--format",
            "json",
            "--as-of",
            "2028-02-01",
            INCIDENTS,
        ]);
        let v: Value = serde_json::from_str(&out.stdout).unwrap();
        v["data"]["findings"].as_array().unwrap().clone()
    };
    one(
        &fs,
        "incident/unlinked",
        "`inc-reported`",
        68,
        Some("10.2"),
        Some("grid"),
    );
    let unlinked = fs
        .iter()
        .filter(|f| f["rule"] == "incident/unlinked")
        .count();
    assert_eq!(unlinked, 1, "only the serious one without `nonconformity`");
}

/// Loads an inventory with one incident written as `incident` and returns
/// `aims check`'s stderr after asserting exit code 2.
fn bad_incident(incident: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aims.yaml"),
        format!("version: 1\norganization: {{name: O}}\nsystems:\n  - id: s\n    name: S\n    lifecycle: operation\n    role: provider\nincidents:\n  - id: i\n{incident}"),
    )
    .unwrap();
    let out = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    out.stderr
}

#[test]
fn incident_references_and_dates_are_checked_where_written() {
    let err = bad_incident(
        "    system: nope\n    occurred: 2026-05-02\n    aware: 2026-05-01\n    serious: true\n    nonconformity: nc-x\n",
    );
    for needle in [
        "aims.yaml:10:13",
        "`nope`",
        "aims.yaml:14:20",
        "`nc-x`",
        "aims.yaml:12:12",
        "`aware` (2026-05-01) is before `occurred` (2026-05-02)",
    ] {
        assert!(err.contains(needle), "{needle}: {err}");
    }
    assert_eq!(
        err.matches("error[").count(),
        3,
        "one error per mistake: {err}"
    );
    let err = bad_incident(
        "    system: s\n    occurred: 2026-05-02\n    aware: 2026-05-02\n    kind: deaht\n",
    );
    assert!(err.contains("did you mean `death`?"), "{err}");
}

/// Art. 6(1)(b) without 6(1)(a): one load error at the fact, with what to do.
#[test]
fn third_party_assessment_without_an_annex_i_product_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aims.yaml"),
        "version: 1\norganization: {name: O}\nsystems:\n  - id: s\n    name: S\n    lifecycle: operation\n    role: provider\n    eu_ai_act:\n      third_party_assessment: true\n",
    )
    .unwrap();
    let out = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("aims.yaml:9:31"), "{}", out.stderr);
    assert!(
        out.stderr.contains("set `safety_component: true`"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.matches("error[").count(), 1, "{}", out.stderr);
}

/// Every date stays overridable in `[regulation.dates]`, the Art. 111
/// ones included, and applies as of `--as-of`.
#[test]
fn regulation_dates_override_the_omnibus_and_art_111_dates() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aims.toml"),
        "[regulation.dates]\nhigh-risk-annex-iii = 2026-08-02\nart111-public-authority = 2029-01-01\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("aims.yaml"),
        "version: 1\norganization: {name: O}\nsystems:\n  - id: new\n    name: N\n    lifecycle: operation\n    role: provider\n    eu_ai_act: {annex_iii: [education-access]}\n  - id: old\n    name: O\n    lifecycle: operation\n    role: deployer\n    eu_ai_act: {annex_iii: [public-benefits], public_body: true, placed_on_market: 2025-01-01}\n",
    )
    .unwrap();
    let c = classify(dir.path().to_str().unwrap());
    let due = |s: &Value, id: &str| {
        let o = s["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .unwrap_or_else(|| panic!("{id}: {s}"))
            .clone();
        (
            o["applies_from"].as_str().unwrap().to_string(),
            o["date_key"].as_str().unwrap().to_string(),
            o["in_force"].as_bool().unwrap(),
        )
    };
    assert_eq!(
        due(sys(&c, "new"), "art-9"),
        ("2026-08-02".into(), "high-risk-annex-iii".into(), true)
    );
    assert_eq!(
        due(sys(&c, "old"), "art-26"),
        ("2029-01-01".into(), "art111-public-authority".into(), false)
    );
    assert!(
        sys(&c, "old")["basis"]
            .as_array()
            .unwrap()
            .contains(&"Art. 111(2)".into())
    );
}
