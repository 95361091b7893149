//! `aims gap`: the status ladder, evidence outside the root, the gate,
//! waivers and the baseline ratchet.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

fn gap_json(args: &[&str]) -> (Out, Value) {
    let mut all = vec!["gap", "--format", "json", "--as-of", "2026-11-24"];
    all.extend_from_slice(args);
    let out = run(&all);
    let v = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", out.stdout, out.stderr));
    (out, v)
}

#[test]
fn every_level_of_the_ladder() {
    let (_, v) = gap_json(&["tests/fixtures/gap"]);
    let expect = [
        ("A.2.2", "effective"),
        ("A.2.3", "evidenced"),   // audited, but a nonconformity on it is open
        ("A.2.4", "evidenced"),   // no audit covered it (a management review is not an audit)
        ("A.3.2", "implemented"), // stale evidence
        ("A.3.3", "implemented"), // never reviewed
        ("A.4.2", "partial"),     // missing file
        ("A.4.3", "partial"),     // symlink out of the root
        ("A.4.4", "partial"),     // ../ out of the root
        ("A.4.5", "partial"),     // declared partial
        ("A.8.2", "partial"),     // implemented with nothing cited
        ("10.2", "partial"),      // capped by an overdue corrective action
        ("A.4.6", "missing"),     // planned
        ("A.7.2", "missing"),     // no statement at all
        ("A.5.2", "not-applicable"),
    ];
    for (id, level) in expect {
        assert_eq!(control(&v, id)["level"], level, "{id}: {}", control(&v, id));
    }
    // A system's own statement overrides the organisation's; A.6.2.6 is
    // judged per system, so the organisation's level is the lowest of its
    // systems' (spec, "Which statement judges which scope").
    let a626 = control(&v, "A.6.2.6");
    assert_eq!(a626["level"], "missing");
    assert_eq!(a626["systems"]["scorer"], "missing");
    assert_eq!(a626["overall"], "missing");
    // A retired system is never judged; org-only controls have no systems.
    assert!(a626["systems"].get("old-model").is_none());
    assert_eq!(
        control(&v, "A.2.2")["systems"].as_object().unwrap().len(),
        0
    );
    // Counts cover every catalogue control once.
    let counts = &v["data"]["summary"]["counts"];
    let total: u64 = counts
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(total, 67);
    assert_eq!(v["data"]["summary"]["controls"], 67);
}

#[test]
fn evidence_outside_the_root_is_never_read() {
    let secret = "SECRET-CONTENT-XYZ";
    for format in ["table", "json", "markdown"] {
        let out = run(&[
            "gap",
            "--format",
            format,
            "--as-of",
            "2026-11-24",
            "tests/fixtures/gap",
        ]);
        assert!(
            !out.stdout.contains(secret) && !out.stderr.contains(secret),
            "{format} leaked the file"
        );
    }
    let out = run(&["check", "--format", "json", "tests/fixtures/gap"]);
    assert!(!out.stdout.contains(secret));
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let outside: Vec<&Value> = v["data"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "evidence/outside-root")
        .collect();
    assert_eq!(outside.len(), 2, "{outside:#?}");
    assert!(
        outside
            .iter()
            .all(|f| f["location"]["line"].as_u64().unwrap() > 0)
    );
}

#[test]
fn gap_findings_include_every_check_finding() {
    for dir in ["examples/bank", "examples/hospital", "tests/fixtures/gap"] {
        let check: Value = serde_json::from_str(
            &run(&["check", "--format", "json", "--as-of", "2026-11-24", dir]).stdout,
        )
        .unwrap();
        let (_, gap) = gap_json(&[dir]);
        assert_eq!(check["data"]["findings"], gap["data"]["findings"], "{dir}");
    }
}

#[test]
fn examples_show_every_level() {
    let mut seen = std::collections::BTreeSet::new();
    for dir in ["examples/bank", "examples/hospital"] {
        let (_, v) = gap_json(&[dir]);
        for c in v["data"]["controls"].as_array().unwrap() {
            seen.insert(c["level"].as_str().unwrap().to_string());
            for l in c["systems"].as_object().unwrap().values() {
                seen.insert(l.as_str().unwrap().to_string());
            }
        }
    }
    let all = [
        "effective",
        "evidenced",
        "implemented",
        "missing",
        "not-applicable",
        "partial",
    ];
    assert_eq!(seen.iter().map(String::as_str).collect::<Vec<_>>(), all);
}

#[test]
fn bank_levels_follow_its_evidence() {
    let (_, v) = gap_json(&["examples/bank"]);
    // Validation report missing: partial, for the organisation and the system.
    assert_eq!(control(&v, "A.6.2.4")["level"], "partial");
    assert_eq!(
        control(&v, "A.6.2.4")["systems"]["credit-scoring"],
        "partial"
    );
    // Stale budget record: implemented.
    assert_eq!(control(&v, "7.1")["level"], "implemented");
    // Fresh only under the default: the 3-month override makes it stale.
    assert_eq!(
        control(&v, "A.6.2.6")["systems"]["fraud-detection"],
        "implemented"
    );
}

#[test]
fn fail_under_and_config_gate() {
    // The hospital passes the default gate (no error findings).
    let (out, v) = gap_json(&["examples/hospital"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let score = v["data"]["summary"]["score"].as_f64().unwrap();
    assert!(score > 0.0 && score < 100.0);
    let above = format!("{}", score + 0.1);
    let below = format!("{}", score - 0.1);
    let out = run(&[
        "gap",
        "--as-of",
        "2026-11-24",
        "--fail-under",
        &above,
        "examples/hospital",
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("is under the gate's"), "{}", out.stderr);
    assert_eq!(
        run(&[
            "gap",
            "--as-of",
            "2026-11-24",
            "--fail-under",
            &below,
            "examples/hospital"
        ])
        .code,
        0
    );
    assert_eq!(
        run(&["gap", "--fail-under", "140", "examples/hospital"]).code,
        2
    );

    // [gate] fail_under in aims.toml, in a copy.
    let dir = copy_tree(&root().join("examples/hospital"));
    std::fs::write(
        dir.path().join("aims.toml"),
        format!("[gate]\nfail_under = {above}\n"),
    )
    .unwrap();
    let out = run(&["gap", "--as-of", "2026-11-24", dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    std::fs::write(
        dir.path().join("aims.toml"),
        format!("[gate]\nfail_under = {below}\n"),
    )
    .unwrap();
    assert_eq!(
        run(&["gap", "--as-of", "2026-11-24", dir.path().to_str().unwrap()]).code,
        0
    );
    // The command line wins over aims.toml.
    assert_eq!(
        run(&[
            "gap",
            "--as-of",
            "2026-11-24",
            "--fail-under",
            &above,
            dir.path().to_str().unwrap()
        ])
        .code,
        1
    );
}

#[test]
fn waivers_are_listed_with_their_state() {
    let (_, v) = gap_json(&["examples/bank"]);
    let waivers = v["data"]["waivers"].as_array().unwrap();
    let state = |id: &str| waivers.iter().find(|w| w["id"] == id).unwrap()["status"].clone();
    assert_eq!(state("waiver-a76-owner"), "active");
    assert_eq!(state("waiver-74-owner-2026"), "expired");
}

#[test]
fn baseline_ratchet() {
    let dir = copy_tree(&root().join("tests/fixtures/gap"));
    let d = dir.path().to_str().unwrap();
    let baseline = dir.path().join("baseline.json");
    let b = baseline.to_str().unwrap();
    let out = run(&[
        "gap",
        "--format",
        "json",
        "--as-of",
        "2026-11-24",
        "--output",
        b,
        d,
    ]);
    assert_eq!(
        out.code, 1,
        "the fixture has error findings: {}",
        out.stderr
    );
    assert!(baseline.is_file());

    // No change: no regression. Allow the fixture's own findings.
    std::fs::write(
        dir.path().join("aims.toml"),
        "evidence_root = \"evidence\"\n[gate]\ndeny = []\n",
    )
    .unwrap();
    let out = run(&["gap", "--as-of", "2026-11-24", "--baseline", b, d]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("regression"));

    // One regression: the policy document disappears.
    std::fs::remove_file(dir.path().join("evidence/docs/policy.md")).unwrap();
    let out = run(&["gap", "--as-of", "2026-11-24", "--baseline", b, d]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("regression: A.2.2 (organisation): effective -> partial"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stderr.matches("regression:").count(),
        1,
        "{}",
        out.stderr
    );
    let v: Value = serde_json::from_str(
        &run(&[
            "gap",
            "--format",
            "json",
            "--as-of",
            "2026-11-24",
            "--baseline",
            b,
            d,
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(v["data"]["gate"]["regressions"][0]["control"], "A.2.2");
    assert_eq!(v["data"]["gate"]["passed"], false);

    // A file that is not a gap baseline is an input error.
    let out = run(&["gap", "--baseline", "Cargo.toml", d]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("not an `aims gap --format json` file"),
        "{}",
        out.stderr
    );
}

#[test]
fn one_system_and_a_typo() {
    let (_, v) = gap_json(&["--system", "credit-scoring", "examples/bank"]);
    assert_eq!(v["data"]["system"], "credit-scoring");
    for c in v["data"]["controls"].as_array().unwrap() {
        assert_eq!(
            c["systems"].as_object().unwrap().keys().collect::<Vec<_>>(),
            ["credit-scoring"]
        );
    }
    let out = run(&["gap", "--system", "credit-scorin", "examples/bank"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `credit-scoring`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn table_fits_100_columns_and_output_is_deterministic() {
    let out = run(&["gap", "--as-of", "2026-11-24", "examples/bank"]);
    for line in out.stdout.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line}");
    }
    assert!(out.stdout.contains("A.10"), "{}", out.stdout);
    assert!(out.stdout.contains("Score"), "{}", out.stdout);
    for format in ["json", "markdown", "table"] {
        let a = run(&[
            "gap",
            "--format",
            format,
            "--as-of",
            "2026-11-24",
            "examples/bank",
        ])
        .stdout;
        let b = run(&[
            "gap",
            "--format",
            format,
            "--as-of",
            "2026-11-24",
            "examples/bank",
        ])
        .stdout;
        assert_eq!(a, b, "{format}");
    }
}

/// Copy a folder (following nothing: symlinks are recreated as symlinks).
fn copy_tree(src: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(src).follow_links(false) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(src).unwrap();
        let to = dir.path().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else if e.file_type().is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(std::fs::read_link(e.path()).unwrap(), &to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    // The fixture's symlink points two levels up; keep its target beside the copy.
    dir
}
