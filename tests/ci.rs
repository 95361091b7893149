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

/// What SARIF1004 (ExpressUriBaseIdsCorrectly) and SARIF1005/1018 of
/// Microsoft's SARIF multitool ask of file locations: a `uri` with a
/// `uriBaseId` is relative; one without is an absolute URI with a scheme
/// (never a bare `/path`); every base id used is declared in
/// `originalUriBaseIds`, whose own `uri`, if given, is absolute and ends
/// with a slash.
fn assert_uris_as_sarif1004_asks(doc: &Value, what: &str) -> Vec<String> {
    let run0 = &doc["runs"][0];
    let bases = run0["originalUriBaseIds"]
        .as_object()
        .expect("originalUriBaseIds");
    for (id, b) in bases {
        if let Some(u) = b["uri"].as_str() {
            assert!(
                u.contains("://") && u.ends_with('/'),
                "{what}: base {id} = {u}"
            );
        }
    }
    let mut uris = Vec::new();
    for r in run0["results"].as_array().unwrap() {
        for l in r["locations"].as_array().into_iter().flatten() {
            let a = &l["physicalLocation"]["artifactLocation"];
            let uri = a["uri"].as_str().unwrap();
            match a["uriBaseId"].as_str() {
                Some(base) => {
                    assert!(bases.contains_key(base), "{what}: {base} not declared");
                    assert!(
                        !uri.starts_with('/') && !uri.contains("://"),
                        "{what}: {uri} with a base id must be relative"
                    );
                }
                None => assert!(uri.starts_with("file:///"), "{what}: {uri}"),
            }
            uris.push(uri.to_string());
        }
    }
    uris
}

#[test]
fn sarif_locations_are_the_same_from_an_absolute_path_and_from_elsewhere() {
    let v = sarif_validator();
    let elsewhere = tempfile::tempdir().unwrap();
    for cmd in ["check", "gap"] {
        let rel = run(&[
            cmd,
            "--format",
            "sarif",
            "--as-of",
            "2026-11-24",
            "examples/bank",
        ]);
        let abs_path = root().join("examples/bank");
        let abs_path = abs_path.to_str().unwrap();
        let abs = run(&[cmd, "--format", "sarif", "--as-of", "2026-11-24", abs_path]);
        let outside = run_in(
            elsewhere.path(),
            &[cmd, "--format", "sarif", "--as-of", "2026-11-24", abs_path],
        );
        // Outside the repository, the root is found by its `.git`; a
        // checkout without one (a source tarball) has no root to find.
        let git = root().join(".git").exists();
        if !git {
            eprintln!(
                "skipped the run from outside: {} has no .git",
                root().display()
            );
        }
        let mut seen = Vec::new();
        let runs = [
            ("relative", &rel),
            ("absolute", &abs),
            ("outside", &outside),
        ];
        for (what, out) in runs.into_iter().take(if git { 3 } else { 2 }) {
            let doc = assert_valid_sarif(&v, out, &format!("{cmd} {what}"));
            let uris = assert_uris_as_sarif1004_asks(&doc, what);
            assert!(!uris.is_empty());
            assert!(
                uris.iter().all(|u| u.starts_with("examples/bank/")),
                "{uris:?}"
            );
            let driver = &doc["runs"][0]["tool"]["driver"];
            assert!(driver["fullName"].as_str().unwrap().starts_with("aims "));
            assert_eq!(doc["runs"][0]["automationDetails"]["id"], "aims/");
            for r in driver["rules"].as_array().unwrap() {
                let help = r["helpUri"].as_str().unwrap();
                assert!(
                    help.starts_with(env!("CARGO_PKG_REPOSITORY")) && help.contains("README.md#"),
                    "{help}"
                );
            }
            seen.push(uris);
        }
        assert!(seen.iter().all(|u| u == &seen[0]), "{cmd}");
    }
    // A load failure, given an absolute path, too.
    let bad = root().join("tests/fixtures/invalid/many-problems.yaml");
    let dir = if root().join(".git").exists() {
        elsewhere.path().to_path_buf()
    } else {
        root()
    };
    let out = run_in(&dir, &["check", "--format", "sarif", bad.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    let doc = assert_valid_sarif(&v, &out, "load failure");
    let uris = assert_uris_as_sarif1004_asks(&doc, "load failure");
    assert!(
        uris.iter()
            .all(|u| u == "tests/fixtures/invalid/many-problems.yaml"),
        "{uris:?}"
    );
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
        let mut named = std::collections::BTreeSet::new();
        for c in controls {
            let mut scopes = vec![(c["level"].as_str().unwrap(), None)];
            for (s, l) in c["systems"].as_object().unwrap() {
                scopes.push((l.as_str().unwrap(), Some(s.as_str())));
            }
            for (l, sys) in scopes {
                total += 1;
                named.insert((c["id"].as_str().unwrap(), sys));
                // The gate's two reasons; a not-applicable control with a
                // denied finding fails too.
                if threshold.zip(weight(l)).is_some_and(|(t, w)| w < t)
                    || denied
                        .iter()
                        .any(|f| f["control"] == c["id"] && f["system"].as_str() == sys)
                {
                    failed += 1;
                } else if l == "not-applicable" {
                    skipped += 1;
                }
            }
        }
        // Denied findings about no case fail a case each, in a last suite.
        let others = denied
            .iter()
            .filter(|f| {
                f["control"]
                    .as_str()
                    .is_none_or(|c| !named.contains(&(c, f["system"].as_str())))
            })
            .count();
        let failures = cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
            .count();
        let skips = cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("skipped")))
            .count();
        assert_eq!(cases.len(), total + others, "{dir}");
        assert_eq!(failures, failed + others, "{dir}");
        assert_eq!(skips, skipped, "{dir}");
        // Every failure says why, as a message and as text.
        for f in doc.descendants().filter(|n| n.has_tag_name("failure")) {
            assert!(!f.attribute("message").unwrap_or("").is_empty());
            assert!(!f.text().unwrap_or("").trim().is_empty());
        }
        let suites = doc
            .descendants()
            .filter(|n| n.has_tag_name("testsuite"))
            .count();
        assert_eq!(
            suites,
            v["data"]["groups"].as_array().unwrap().len() + usize::from(others > 0),
            "{dir}: a suite per group"
        );
    }
}

/// `xmllint --schema` of the JUnit schemas in `../shared/schemas/junit/`:
/// `None` (the test says it skipped) without them or without xmllint.
fn xmllint(xml: &str, schema: &str) -> Option<Result<(), String>> {
    let schema = root().join("../shared/schemas/junit").join(schema);
    if !schema.is_file() {
        eprintln!("skipped: {} is absent", schema.display());
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.xml");
    std::fs::write(&file, xml).unwrap();
    let out = match std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&file)
        .output()
    {
        Ok(o) => o,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("skipped: xmllint cannot run ({e}); apt-get install libxml2-utils");
            return None;
        }
        Err(e) => panic!("xmllint is required in CI: {e}"),
    };
    Some(if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    })
}

#[test]
fn junit_is_valid_against_the_jenkins_and_ant_schemas() {
    let cases: &[&[&str]] = &[
        &["examples/bank"],
        &["examples/hospital", "--fail-under", "60"],
        &["examples/bank", "--system", "credit-scoring"],
        &["tests/fixtures/checks"],
        &["tests/fixtures/injection"],
        &["tests/fixtures/gap"],
    ];
    for args in cases {
        let mut a = vec!["gap", "--format", "junit", "--as-of", "2026-11-24"];
        a.extend_from_slice(args);
        let out = run(&a);
        assert!(out.code == 0 || out.code == 1, "{args:?}: {}", out.stderr);
        for schema in ["junit-10.xsd", "JUnit.xsd"] {
            match xmllint(&out.stdout, schema) {
                None => return,
                Some(r) => {
                    if let Err(e) = r {
                        panic!("{args:?} against {schema}:\n{e}");
                    }
                }
            }
        }
        // What Jenkins' xUnit plugin refuses, named: no properties in a
        // case, no `skipped` on the root; every suite and case has a time.
        let doc = roxmltree::Document::parse(&out.stdout).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        assert!(root.attribute("skipped").is_none());
        for n in doc.descendants() {
            if n.has_tag_name("testcase") {
                assert!(!n.children().any(|c| c.has_tag_name("properties")));
                assert!(n.attribute("time").is_some());
            }
            if n.has_tag_name("testsuite") {
                for a in ["time", "timestamp", "hostname"] {
                    assert!(n.attribute(a).is_some(), "{a}");
                }
            }
        }
    }
}

#[test]
fn a_junit_failure_names_the_denied_finding() {
    // The bank's expired waiver at assurance.yaml:258 names control 7.4.
    let out = run(&[
        "gap",
        "--format",
        "junit",
        "--as-of",
        "2026-11-24",
        "examples/bank",
    ]);
    let doc = roxmltree::Document::parse(&out.stdout).unwrap();
    let case = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("testcase")
                && n.attribute("name")
                    .is_some_and(|a| a.starts_with("7.4 ") && !a.contains('['))
        })
        .expect("a case for 7.4");
    let failure = case
        .children()
        .find(|n| n.has_tag_name("failure"))
        .expect("7.4 fails");
    let text = failure.text().unwrap();
    assert!(
        text.contains("waiver/expired (error) at examples/bank/aims/assurance.yaml:258:14"),
        "{text}"
    );
}

#[test]
fn a_not_applicable_control_with_a_denied_finding_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aims.yaml"),
        "version: 1\norganization:\n  name: Example\ncontrols:\n  A.10.2:\n    applicable: false\n",
    )
    .unwrap();
    let json = run_in(
        dir.path(),
        &["gap", "--format", "json", "--as-of", "2026-11-24"],
    );
    let v: Value =
        serde_json::from_str(&json.stdout).unwrap_or_else(|e| panic!("{e}: {}", json.stderr));
    // Excluded without a justification: not applicable, and an error.
    let a102 = v["data"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "A.10.2")
        .unwrap();
    assert_eq!(a102["level"], "not-applicable");
    let errors: Vec<&Value> = v["data"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["control"] == "A.10.2" && f["severity"] == "error")
        .collect();
    assert!(!errors.is_empty(), "{}", json.stdout);
    assert_eq!(json.code, 1);
    let out = run_in(
        dir.path(),
        &["gap", "--format", "junit", "--as-of", "2026-11-24"],
    );
    assert_eq!(out.code, 1);
    let doc = roxmltree::Document::parse(&out.stdout).unwrap();
    let case = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("testcase")
                && n.attribute("name")
                    .is_some_and(|a| a.starts_with("A.10.2 "))
        })
        .unwrap();
    assert!(!case.children().any(|n| n.has_tag_name("skipped")));
    let failure = case.children().find(|n| n.has_tag_name("failure")).unwrap();
    assert!(
        failure
            .text()
            .unwrap()
            .contains(errors[0]["rule"].as_str().unwrap()),
        "{}",
        failure.text().unwrap()
    );
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
        man.stdout.contains(".TH aims 1"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(man.stdout.contains("gap"));
}

/// Every long option as roff writes it (`--as-of` is `\-\-as\-of`).
fn roff_option(long: &str) -> String {
    format!("\\-\\-{}", long.replace('-', "\\-"))
}

#[test]
fn every_command_has_a_man_page_with_its_options_exit_codes_and_environment() {
    use clap::CommandFactory;
    // As the pages are made: no `help` subcommand.
    let mut cli = aims::cli::Cli::command().disable_help_subcommand(true);
    cli.build();
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["man", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let top = std::fs::read_to_string(dir.path().join("aims.1")).unwrap();
    for sub in cli.get_subcommands() {
        let name = sub.get_name();
        let page = run(&["man", name]);
        assert_eq!(page.code, 0, "{name}: {}", page.stderr);
        let text = page.stdout;
        // --dir writes the same page.
        let file = std::fs::read_to_string(dir.path().join(format!("aims-{name}.1")))
            .unwrap_or_else(|e| panic!("aims-{name}.1: {e}"));
        assert_eq!(file, text, "{name}");
        assert!(text.contains(&format!(".TH aims-{name} 1")), "{name}");
        // aims(1) names this page, and it exists.
        assert!(top.contains(&format!("\\fBaims\\-{name}\\fR(1)")), "{name}");
        for a in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            if let Some(long) = a.get_long() {
                assert!(text.contains(&roff_option(long)), "{name}: --{long}");
            }
        }
        for section in [
            ".SH EXIT STATUS",
            ".SH ENVIRONMENT",
            ".SH DATES",
            ".SH SEE ALSO",
        ] {
            assert!(text.contains(section), "{name}: {section}");
        }
        for var in ["SOURCE_DATE_EPOCH", "NO_COLOR", "COLUMNS"] {
            assert!(text.contains(var), "{name}: {var}");
        }
        // The DATES section says whether --as-of is taken, as --help does.
        let takes = sub.get_arguments().any(|a| a.get_long() == Some("as-of"));
        let judged = text.contains("Every date is judged as of");
        if name != "controls" {
            assert_eq!(takes, judged, "{name}");
        }
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        cli.get_subcommands().count() + 1
    );
    // A second run refuses to overwrite, as every output does.
    assert_eq!(run(&["man", "--dir", dir.path().to_str().unwrap()]).code, 2);
    let bad = run(&["man", "gapp"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("did you mean `gap`"), "{}", bad.stderr);
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
