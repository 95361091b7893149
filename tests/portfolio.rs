//! A portfolio of thousands of systems: the report stays readable and
//! bounded, `check` counts per rule, one finding per supplier.

mod common;

#[path = "../examples/gen-inventory.rs"]
#[allow(dead_code)]
mod gen_inventory;

use common::*;
use serde_json::Value;

/// A generated 5,000-system inventory: per-system rows are counts, the
/// printed report stays small, and no Markdown line runs away.
#[test]
fn the_report_of_five_thousand_systems_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("inv");
    std::fs::create_dir_all(&inv).unwrap();
    gen_inventory::generate(&inv, 5000, 200_000).unwrap();
    let html = dir.path().join("report.html");
    let out = run(&[
        "report",
        inv.to_str().unwrap(),
        "--output",
        html.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(&html).unwrap();
    // Counts per level and a collapsed list, not a badge per system.
    assert!(text.contains("5000 systems:"), "per-system rows are counts");
    assert!(text.contains("below evidenced</summary>"));
    assert!(
        text.matches("class=\"sys\"").count() < 67 * 8,
        "no badge per system: {}",
        text.matches("class=\"sys\"").count()
    );
    let mb = text.len() as f64 / 1e6;
    eprintln!("report of 5,000 systems: {mb:.1} MB of HTML");
    assert!(mb < 12.0, "the HTML report of 5,000 systems is {mb:.1} MB");

    let md = run(&["report", inv.to_str().unwrap(), "--format", "markdown"]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    let longest = md.stdout.lines().map(str::len).max().unwrap_or(0);
    eprintln!(
        "Markdown: {:.1} MB, longest line {longest}",
        md.stdout.len() as f64 / 1e6
    );
    assert!(
        longest < 4000,
        "the longest Markdown line is {longest} characters"
    );
}

#[test]
fn check_counts_findings_per_rule_and_orders_by_tier() {
    let out = run(&[
        "check",
        "examples/bank",
        "--sort",
        "tier",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let by_rule = v["data"]["by_rule"].as_array().unwrap();
    let total: u64 = by_rule.iter().map(|r| r["count"].as_u64().unwrap()).sum();
    let s = &v["data"]["summary"];
    assert_eq!(
        total,
        s["error"].as_u64().unwrap() + s["warning"].as_u64().unwrap() + s["note"].as_u64().unwrap()
    );
    // Most frequent first.
    let counts: Vec<u64> = by_rule
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    // By tier: the high-risk system's findings come before the minimal one's,
    // and organisation-wide findings last.
    let findings = v["data"]["findings"].as_array().unwrap();
    let pos = |sys: Option<&str>| {
        findings
            .iter()
            .position(|f| f["system"].as_str() == sys && f["waived_by"].is_null())
    };
    let high = pos(Some("credit-scoring")).expect("credit-scoring has findings");
    let org = pos(None).expect("organisation findings");
    assert!(
        high < org,
        "high-risk first ({high}), organisation last ({org})"
    );
    let human = run(&["check", "examples/bank"]);
    assert!(
        human.stdout.contains("Findings by rule:"),
        "{}",
        human.stdout
    );
    // The summary counts every statement, the systems' included.
    assert!(human.stdout.contains("85 statements"), "{}", human.stdout);
}

#[test]
fn one_finding_per_supplier_names_every_system_it_supplies() {
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = String::from(
        "version: 1\norganization: {name: Buyer}\nroles: [{id: lead, title: Lead}]\nsuppliers: [{id: acme, name: Acme}]\nsystems:\n",
    );
    for i in [10, 2, 1] {
        yaml.push_str(&format!(
            "  - {{id: sys-{i}, name: S{i}, owner: lead, lifecycle: operation, role: deployer, supplier: acme}}\n"
        ));
    }
    yaml.push_str("controls:\n  A.10.3: {status: implemented, owner: lead}\n");
    std::fs::write(dir.path().join("aims.yaml"), yaml).unwrap();
    let out = run(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let dd: Vec<&Value> = v["data"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "supplier/no-due-diligence")
        .collect();
    assert_eq!(dd.len(), 1, "{dd:?}");
    // Natural order: sys-1, sys-2, sys-10.
    assert_eq!(
        dd[0]["systems"],
        serde_json::json!(["sys-1", "sys-2", "sys-10"])
    );
    assert!(dd[0]["message"].as_str().unwrap().contains("3 systems"));
    // It caps each system's A.10.3, and the gap lists systems naturally.
    let gap = run(&["gap", dir.path().to_str().unwrap(), "--format", "json"]);
    let g: Value = serde_json::from_str(&gap.stdout).unwrap();
    let c = control(&g, "A.10.3");
    // (serde_json's map sorts keys as text; read the order off the output.)
    let at = |k: &str| gap.stdout.find(&format!("\"{k}\":")).unwrap();
    assert!(at("sys-1") < at("sys-2") && at("sys-2") < at("sys-10"));
    for l in c["systems"].as_object().unwrap().values() {
        assert!(l == "partial" || l == "missing", "{l}");
    }
}
