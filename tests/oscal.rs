//! `aims export`: every OSCAL export of both examples is valid against
//! NIST's OSCAL 1.2.1 JSON Schemas (read from `../shared/schemas/`, never
//! copied here), byte-identical across runs, says what the gap analysis
//! says, and imports into compliance-trestle when it is installed.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

const FORMATS: &[(&str, &str)] = &[
    ("oscal-catalog", "oscal_catalog_schema.json"),
    (
        "oscal-assessment-results",
        "oscal_assessment-results_schema.json",
    ),
    ("oscal-poam", "oscal_poam_schema.json"),
    ("oscal-mapping", "oscal_mapping_schema.json"),
];

const EXAMPLES: &[&str] = &["examples/bank", "examples/hospital"];

fn schemas() -> Option<PathBuf> {
    let dir = root().join("../shared/schemas/oscal-1.2.1");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} is absent", dir.display());
        None
    }
}

fn export(example: &str, format: &str) -> String {
    let o = run(&[
        "export",
        example,
        "--format",
        format,
        "--as-of",
        "2026-09-01",
    ]);
    assert_eq!(o.code, 0, "{example} {format}: {}", o.stderr);
    o.stdout
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("export is JSON")
}

#[test]
fn every_export_is_valid_oscal_1_2_1() {
    let Some(dir) = schemas() else { return };
    for (format, schema) in FORMATS {
        let schema: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(schema)).unwrap()).unwrap();
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .build(&schema)
            .expect("the OSCAL schema compiles");
        // The injection fixture: control characters, markup and bidi
        // overrides in every text must still give valid OSCAL.
        for example in EXAMPLES.iter().chain(&["tests/fixtures/injection"]) {
            let doc = json(&export(example, format));
            let errors: Vec<String> = validator
                .iter_errors(&doc)
                .take(20)
                .map(|e| format!("{}: {e}", e.instance_path))
                .collect();
            assert!(
                errors.is_empty(),
                "{example} {format}: {} schema errors:\n{}",
                errors.len(),
                errors.join("\n")
            );
            let model = doc.as_object().unwrap().values().next().unwrap();
            assert_eq!(model["metadata"]["oscal-version"], "1.2.1");
        }
    }
}

#[test]
fn exports_are_byte_identical_across_runs_and_follow_source_date_epoch() {
    for (format, _) in FORMATS {
        let a = export("examples/bank", format);
        let b = export("examples/bank", format);
        assert_eq!(a, b, "{format}");
        // SOURCE_DATE_EPOCH of common::aims is 2026-11-24T00:00:00Z.
        assert!(
            a.contains("\"last-modified\": \"2026-11-24T00:00:00Z\""),
            "{format}"
        );
    }
}

/// Every uuid in a document, each once.
fn uuids(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "uuid" {
                    out.push(x.as_str().unwrap().to_string());
                }
                uuids(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| uuids(x, out)),
        _ => {}
    }
}

#[test]
fn uuids_are_unique_version_5() {
    for (format, _) in FORMATS {
        let mut all = Vec::new();
        uuids(&json(&export("examples/bank", format)), &mut all);
        let set: BTreeSet<&String> = all.iter().collect();
        assert_eq!(set.len(), all.len(), "{format}: a uuid is repeated");
        for u in &all {
            assert_eq!(&u[14..15], "5", "{format}: {u} is not version 5");
        }
    }
}

fn gap_json(example: &str) -> Value {
    let o = run(&["gap", example, "--format", "json", "--as-of", "2026-09-01"]);
    json(&o.stdout)
}

fn prop<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    v["props"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["value"].as_str())
}

#[test]
fn assessment_results_hold_every_level_of_the_gap_analysis() {
    for example in EXAMPLES {
        let gap = gap_json(example);
        let ar = json(&export(example, "oscal-assessment-results"));
        let result = &ar["assessment-results"]["results"][0];
        assert_eq!(result["start"], "2026-09-01T00:00:00Z");
        let findings = result["findings"].as_array().unwrap();
        let controls = gap["data"]["controls"].as_array().unwrap();
        let mut expected = 0;
        for c in controls {
            let id = c["id"].as_str().unwrap();
            let org = findings
                .iter()
                .find(|f| {
                    prop(f, "system").is_none()
                        && f["description"]
                            .as_str()
                            .unwrap()
                            .starts_with(&format!("{id}:"))
                })
                .unwrap_or_else(|| panic!("{example}: no organisation finding for {id}"));
            assert_eq!(prop(org, "level"), c["level"].as_str(), "{example} {id}");
            expected += 1;
            for (sid, level) in c["systems"].as_object().unwrap() {
                let f = findings
                    .iter()
                    .find(|f| {
                        prop(f, "system") == Some(sid.as_str())
                            && f["description"]
                                .as_str()
                                .unwrap()
                                .starts_with(&format!("{id}:"))
                    })
                    .unwrap_or_else(|| panic!("{example}: no finding for {id} on {sid}"));
                assert_eq!(prop(f, "level"), level.as_str(), "{example} {id} {sid}");
                let satisfied = matches!(
                    level.as_str(),
                    Some("evidenced" | "effective" | "not-applicable")
                );
                assert_eq!(
                    f["target"]["status"]["state"] == "satisfied",
                    satisfied,
                    "{example} {id} {sid}"
                );
                expected += 1;
            }
        }
        assert_eq!(findings.len(), expected, "{example}");
        let reviewed = result["reviewed-controls"]["control-selections"][0]["include-controls"]
            .as_array()
            .unwrap();
        assert_eq!(reviewed.len(), controls.len(), "{example}");
        // Every evidence href is a file of the repository, relative to its root.
        let mut hrefs = 0;
        for o in result["observations"].as_array().unwrap() {
            for e in o["relevant-evidence"].as_array().into_iter().flatten() {
                if let Some(h) = e["href"].as_str() {
                    assert!(!h.starts_with('/'), "{h}");
                    let path = root().join(example).join(h.replace("%20", " "));
                    assert!(path.is_file(), "{example}: {h} is not a file");
                    hrefs += 1;
                }
            }
        }
        assert!(hrefs > 10, "{example}: only {hrefs} evidence files");
    }
}

#[test]
fn poam_lists_every_gap_and_open_nonconformity() {
    let example = "examples/bank";
    let gap = gap_json(example);
    let poam = json(&export(example, "oscal-poam"));
    let items = poam["plan-of-action-and-milestones"]["poam-items"]
        .as_array()
        .unwrap();
    let gaps: BTreeSet<(String, String)> = items
        .iter()
        .filter(|i| prop(i, "kind") == Some("control-gap"))
        .map(|i| {
            (
                prop(i, "control").unwrap().to_string(),
                prop(i, "system").unwrap_or("").to_string(),
            )
        })
        .collect();
    let mut expected = BTreeSet::new();
    let below = |l: &Value| matches!(l.as_str(), Some("missing" | "partial" | "implemented"));
    for c in gap["data"]["controls"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap().to_string();
        if below(&c["level"]) {
            expected.insert((id.clone(), String::new()));
        }
        for (sid, l) in c["systems"].as_object().unwrap() {
            if below(l) {
                expected.insert((id.clone(), sid.clone()));
            }
        }
    }
    assert!(!expected.is_empty());
    assert_eq!(gaps, expected);
    let inventory =
        std::fs::read_to_string(root().join(example).join("aims/assurance.yaml")).unwrap();
    let ncs: Vec<&Value> = items
        .iter()
        .filter(|i| prop(i, "kind") == Some("nonconformity"))
        .collect();
    assert!(!ncs.is_empty(), "the bank has open nonconformities");
    for nc in ncs {
        let id = prop(nc, "nonconformity").unwrap();
        assert!(inventory.contains(id), "{id}");
        assert!(prop(nc, "owner").is_some(), "{id} has an owner");
        let due = prop(nc, "due").expect("a due date");
        let risk = &nc["related-risks"][0]["risk-uuid"];
        let risks = poam["plan-of-action-and-milestones"]["risks"]
            .as_array()
            .unwrap();
        let r = risks.iter().find(|r| &r["uuid"] == risk).unwrap();
        assert_eq!(r["deadline"], format!("{due}T00:00:00Z"));
    }
}

#[test]
fn mapping_has_a_map_per_crosswalk_pair() {
    let doc = json(&export("examples/bank", "oscal-mapping"));
    let mappings = doc["mapping-collection"]["mappings"].as_array().unwrap();
    assert_eq!(mappings.len(), 3);
    for (m, to) in mappings
        .iter()
        .zip(["nist-ai-rmf", "eu-ai-act", "iso27001"])
    {
        let o = run(&["map", "--to", to, "--format", "json"]);
        let pairs: usize = json(&o.stdout)["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["controls"].as_array().unwrap().len())
            .sum();
        let maps = m["maps"].as_array().unwrap();
        assert_eq!(maps.len(), pairs, "{to}");
        for x in maps {
            assert_eq!(x["sources"].as_array().unwrap().len(), 1);
            assert_eq!(x["targets"].as_array().unwrap().len(), 1);
            assert!(prop(x, "source").is_some());
        }
    }
}

#[test]
fn clause_ids_get_a_prefix_and_the_overlay_is_in_the_catalog() {
    let doc = json(&export("examples/bank", "oscal-catalog"));
    let groups = doc["catalog"]["groups"].as_array().unwrap();
    let ids: Vec<&str> = groups
        .iter()
        .flat_map(|g| g["controls"].as_array().into_iter().flatten())
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"clause-4.1"));
    assert!(ids.contains(&"a.6.2.8"));
    assert!(ids.contains(&"nb.mrm.1"), "the bank's overlay control");
    assert!(groups.iter().any(|g| g["id"] == "nb"));
}

fn trestle() -> Option<PathBuf> {
    let venv = root().join("target/trestle-venv/bin/trestle");
    if venv.is_file() {
        return Some(venv);
    }
    let o = std::process::Command::new("sh")
        .args(["-c", "command -v trestle"])
        .output()
        .ok()?;
    let p = String::from_utf8_lossy(&o.stdout).trim().to_string();
    (o.status.success() && !p.is_empty()).then(|| PathBuf::from(p))
}

/// compliance-trestle imports (and so validates with its own OSCAL 1.2
/// models) every export. .ci/run installs it; elsewhere the test skips.
#[test]
fn trestle_imports_every_export() {
    let Some(trestle) = trestle() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "trestle is missing under CI (.ci/run installs it)"
        );
        println!("skipped: compliance-trestle is not installed (pip install compliance-trestle)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let version = std::process::Command::new(&trestle)
        .arg("version")
        .output()
        .unwrap();
    println!("{}", String::from_utf8_lossy(&version.stdout).trim());
    let sh = |args: &[&str], cwd: &Path| {
        let o = std::process::Command::new(&trestle)
            .args(args)
            .current_dir(cwd)
            .output()
            .expect("trestle runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.status.success(), "trestle {args:?}: {text}");
        text
    };
    sh(&["init"], ws);
    // trestle imports only files from outside its workspace.
    let files = tempfile::tempdir().unwrap();
    for (format, _) in FORMATS {
        let file = files.path().join(format!("{format}.json"));
        std::fs::write(&file, export("examples/bank", format)).unwrap();
        let name = format!("bank-{format}");
        sh(&["import", "-f", file.to_str().unwrap(), "-o", &name], ws);
    }
    let report = sh(&["validate", "-a"], ws);
    assert_eq!(report.matches("VALID: Model").count(), 4, "{report}");
}

/// Outside any AIMS, the catalogue and the mapping are of the embedded
/// catalogue (as `aims controls` is), still valid OSCAL; the assessment
/// results need an inventory.
#[test]
fn catalog_and_mapping_need_no_inventory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = schemas();
    for (format, schema) in FORMATS {
        let o = run_in(tmp.path(), &["export", "--format", format]);
        if matches!(*format, "oscal-assessment-results" | "oscal-poam") {
            assert_eq!(o.code, 2, "{format}: {}", o.stderr);
            continue;
        }
        assert_eq!(o.code, 0, "{format}: {}", o.stderr);
        let doc = json(&o.stdout);
        if let Some(dir) = &dir {
            let schema: Value =
                serde_json::from_str(&std::fs::read_to_string(dir.join(schema)).unwrap()).unwrap();
            let v = jsonschema::draft7::new(&schema).unwrap();
            assert!(v.is_valid(&doc), "{format}");
        }
        assert!(!o.stdout.contains("nb.mrm.1"), "no overlay without an AIMS");
    }
}
