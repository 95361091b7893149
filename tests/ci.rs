//! CI outputs: SARIF validated against the SARIF 2.1.0 schema, JUnit
//! counts checked against `aims gap --format json`, completions and man.

mod common;

use common::*;
use serde_json::Value;

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("tests/sarif-schema-2.1.0.json"))
        .expect("schema copy in tests/");
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("valid schema")
}

fn assert_valid_sarif(v: &jsonschema::Validator, out: &Out, what: &str) -> Value {
    let doc: Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{what}: {e}\n{}", out.stderr));
    let errors: Vec<String> = v
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
    doc
}

#[test]
fn sarif_for_the_examples_is_valid_and_every_result_has_a_line() {
    let v = sarif_validator();
    for dir in [
        "examples/bank",
        "examples/hospital",
        "tests/fixtures/checks",
        "tests/fixtures/gap",
    ] {
        for cmd in ["check", "gap"] {
            let out = run(&[cmd, "--format", "sarif", "--as-of", "2026-11-24", dir]);
            assert!(
                out.code == 0 || out.code == 1,
                "{cmd} {dir}: {}",
                out.stderr
            );
            let doc = assert_valid_sarif(&v, &out, &format!("{cmd} {dir}"));
            let run0 = &doc["runs"][0];
            let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
            assert!(
                rules
                    .iter()
                    .all(|r| r["helpUri"].as_str().unwrap().starts_with("https://"))
            );
            let results = run0["results"].as_array().unwrap();
            assert!(!results.is_empty(), "{dir} has findings");
            for r in results {
                let line = &r["locations"][0]["physicalLocation"]["region"]["startLine"];
                assert!(line.as_u64().unwrap() >= 1, "{r}");
                let idx = r["ruleIndex"].as_u64().unwrap() as usize;
                assert_eq!(rules[idx]["id"], r["ruleId"]);
                let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap();
                assert!(
                    root().join(uri).is_file(),
                    "{uri} must be a real file relative to the repository"
                );
            }
        }
    }
}

#[test]
fn the_schema_rejects_what_sarif_forbids() {
    let v = sarif_validator();
    let out = run(&[
        "check",
        "--format",
        "sarif",
        "--as-of",
        "2026-11-24",
        "examples/bank",
    ]);
    let mut doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(v.is_valid(&doc));
    doc["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(
        !v.is_valid(&doc),
        "a level SARIF does not define must fail validation"
    );
}

#[test]
fn sarif_marks_waived_findings_as_suppressed() {
    let out = run(&[
        "check",
        "--format",
        "sarif",
        "--as-of",
        "2026-11-24",
        "examples/bank",
    ]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let suppressed: Vec<&Value> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["properties"]["control"], "A.7.6");
}

#[test]
fn sarif_of_a_broken_inventory_annotates_the_line() {
    let v = sarif_validator();
    let out = run(&[
        "check",
        "--format",
        "sarif",
        "tests/fixtures/invalid/many-problems.yaml",
    ]);
    assert_eq!(out.code, 2);
    let doc = assert_valid_sarif(&v, &out, "load errors");
    let results = doc["runs"][0]["results"].as_array().unwrap();
    // Ten mistakes and the policy's approver `ceo`, which no role defines.
    assert_eq!(results.len(), 11);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        5
    );
}

#[test]
fn junit_counts_match_the_gap_json() {
    for (dir, fail_under) in [("examples/bank", None), ("examples/hospital", Some("60"))] {
        let mut args = vec!["gap", "--as-of", "2026-11-24"];
        if let Some(f) = fail_under {
            args.extend(["--fail-under", f]);
        }
        let mut json_args = args.clone();
        json_args.extend(["--format", "json", dir]);
        let v: Value = serde_json::from_str(&run(&json_args).stdout).unwrap();
        let mut junit_args = args.clone();
        junit_args.extend(["--format", "junit", dir]);
        let xml = run(&junit_args).stdout;
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let cases: Vec<roxmltree::Node> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();

        // Expected from the JSON: a case per control and per (control, system).
        let controls = v["data"]["controls"].as_array().unwrap();
        // The gate's threshold: --fail-under, else [gate] fail_under (the bank sets 40).
        let threshold = v["data"]["gate"]["fail_under"].as_f64();
        assert_eq!(
            threshold.is_some(),
            fail_under.is_some() || dir == "examples/bank"
        );
        let weight = |l: &str| match l {
            "missing" => Some(0.0),
            "partial" => Some(25.0),
            "implemented" => Some(50.0),
            "evidenced" | "effective" => Some(100.0),
            _ => None,
        };
        let denied: Vec<&Value> = v["data"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error" && f["waived_by"].is_null())
            .collect();
        let (mut total, mut failed, mut skipped) = (0, 0, 0);
        for c in controls {
            let mut scopes = vec![(c["level"].as_str().unwrap(), None)];
            for (s, l) in c["systems"].as_object().unwrap() {
                scopes.push((l.as_str().unwrap(), Some(s.as_str())));
            }
            for (l, sys) in scopes {
                total += 1;
                if l == "not-applicable" {
                    skipped += 1;
                } else if threshold.zip(weight(l)).is_some_and(|(t, w)| w < t)
                    || denied
                        .iter()
                        .any(|f| f["control"] == c["id"] && f["system"].as_str() == sys)
                {
                    failed += 1;
                }
            }
        }
        let failures = cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
            .count();
        let skips = cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("skipped")))
            .count();
        assert_eq!(cases.len(), total, "{dir}");
        assert_eq!(failures, failed, "{dir}");
        assert_eq!(skips, skipped, "{dir}");
        let suites = doc
            .descendants()
            .filter(|n| n.has_tag_name("testsuite"))
            .count();
        assert_eq!(
            suites,
            v["data"]["groups"].as_array().unwrap().len(),
            "{dir}: a suite per group"
        );
    }
}

#[test]
fn completions_and_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains("aims"), "{shell}");
        assert!(
            out.stdout.contains("gap") && out.stdout.contains("classify"),
            "{shell} lists the subcommands"
        );
    }
    assert_eq!(run(&["completions", "tcsh"]).code, 2);
    let man = run(&["man"]);
    assert_eq!(man.code, 0);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH aims"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(man.stdout.contains("gap"));
}

#[test]
fn colours_only_on_request_and_never_with_no_color() {
    // Not a terminal: no escape codes, even with findings.
    let out = run(&["check", "examples/bank"]);
    assert!(!out.stdout.contains('\x1b') && !out.stderr.contains('\x1b'));
    let out = run(&["--color", "always", "check", "examples/bank"]);
    assert!(out.stdout.contains('\x1b'));
    let out = run(&["--color", "never", "check", "examples/bank"]);
    assert!(!out.stdout.contains('\x1b'));
    // --quiet prints only what failed.
    let quiet = run(&["--quiet", "check", "examples/hospital"]);
    assert_eq!(quiet.code, 0);
    assert!(quiet.stdout.is_empty(), "{}", quiet.stdout);
}
