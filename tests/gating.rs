//! What the gate needs and no more: `--quiet`, the readiness gate, where a
//! report may be written, and findings the same user hit (a deployer with
//! no supplier, system evidence never reviewed).

mod common;

use common::*;
use serde_json::Value;

const AS_OF: &str = "2026-11-24";

/// The denied findings of `aims check --format json`, as the one-line form
/// `--quiet` prints: `file:line:col: severity[rule]: message`.
fn denied_lines(dir: &str) -> Vec<String> {
    let out = run(&["check", "--format", "json", "--as-of", AS_OF, dir]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    v["data"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error" && f["waived_by"].is_null())
        .map(|f| {
            let l = &f["location"];
            format!(
                "{}:{}:{}: error[{}]: {}",
                l["file"].as_str().unwrap(),
                l["line"],
                l["column"],
                f["rule"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn quiet_check_and_gap_print_the_failing_findings_one_line_each() {
    let want = denied_lines("examples/bank");
    assert!(want.len() >= 3, "{want:#?}");
    let check = run(&["check", "-q", "--as-of", AS_OF, "examples/bank"]);
    assert_eq!(check.code, 1);
    let lines: Vec<&str> = check.stdout.lines().collect();
    assert_eq!(lines.len(), want.len() + 1, "{}", check.stdout);
    assert_eq!(&lines[..want.len()], want.as_slice());
    assert!(
        lines[want.len()].starts_with("failed: "),
        "{}",
        check.stdout
    );
    // No snippets, no warnings.
    assert!(!check.stdout.contains("-->") && !check.stdout.contains("warning["));

    let gap = run(&["gap", "-q", "--as-of", AS_OF, "examples/bank"]);
    assert_eq!(gap.code, 1);
    let lines: Vec<&str> = gap.stdout.lines().collect();
    assert_eq!(lines, want, "the table is left out");
    assert!(gap.stderr.contains("gate: "), "{}", gap.stderr);
}

#[test]
fn quiet_load_errors_are_one_line_each_too() {
    let out = run(&[
        "check",
        "-q",
        "tests/fixtures/cascade/system-two-typos.yaml",
    ]);
    assert_eq!(out.code, 2);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stderr);
    assert!(
        lines[0].starts_with("tests/fixtures/cascade/system-two-typos.yaml:18:16: error[load/invalid]: a system `triage`: unknown value `production`"),
        "{}",
        out.stderr
    );
    assert!(
        lines[1].starts_with(
            "tests/fixtures/cascade/system-two-typos.yaml:19:11: error[load/invalid]:"
        )
    );
    assert_eq!(
        lines[2],
        "error: could not load the inventory: 2 problems to fix"
    );
}

#[test]
fn quiet_prints_nothing_when_the_gate_passes() {
    for cmd in ["check", "gap"] {
        let out = run(&[cmd, "--quiet", "tests/fixtures/valid/minimal.yaml"]);
        assert_eq!(out.code, 0, "{cmd}: {}", out.stderr);
        assert_eq!(
            (out.stdout.as_str(), out.stderr.as_str()),
            ("", ""),
            "{cmd}"
        );
    }
    let out = run(&[
        "readiness",
        "-q",
        "--as-of",
        AS_OF,
        "tests/fixtures/readiness/ready",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "");
}

#[test]
fn quiet_leaves_machine_formats_alone() {
    let loud = run(&["gap", "--format", "json", "--as-of", AS_OF, "examples/bank"]);
    let quiet = run(&[
        "gap",
        "-q",
        "--format",
        "json",
        "--as-of",
        AS_OF,
        "examples/bank",
    ]);
    assert_eq!(loud.stdout, quiet.stdout);
    assert_eq!(loud.code, quiet.code);
}

#[test]
fn readiness_is_a_gate() {
    let ready = run(&[
        "readiness",
        "--as-of",
        AS_OF,
        "tests/fixtures/readiness/ready",
    ]);
    assert_eq!(ready.code, 0, "{}", ready.stderr);
    let empty = run(&[
        "readiness",
        "--as-of",
        AS_OF,
        "tests/fixtures/readiness/empty",
    ]);
    assert_eq!(empty.code, 1, "{}", empty.stderr);
    assert!(
        empty.stdout.contains("Stage 1"),
        "the table is still printed"
    );
    let json = run(&[
        "readiness",
        "--format",
        "json",
        "--as-of",
        AS_OF,
        "tests/fixtures/readiness/empty",
    ]);
    assert_eq!(json.code, 1);
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["data"]["ready"], false);
    // Quiet: the blockers, one line each.
    let quiet = run(&[
        "readiness",
        "-q",
        "--as-of",
        AS_OF,
        "tests/fixtures/readiness/empty",
    ]);
    assert_eq!(quiet.code, 1);
    let blockers = v["data"]["blockers"].as_array().unwrap();
    assert!(!blockers.is_empty());
    let lines: Vec<&str> = quiet.stdout.lines().collect();
    assert_eq!(lines.len(), blockers.len(), "{}", quiet.stdout);
    for (line, b) in lines.iter().zip(blockers) {
        assert_eq!(*line, format!("not ready: {}", b.as_str().unwrap()));
    }
}

#[test]
fn a_pdf_report_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("report.pdf");
    let out = run(&[
        "report",
        "examples/hospital",
        "--output",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("not PDF"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("open it in a browser and print it to PDF"),
        "{}",
        out.stderr
    );
    assert!(!pdf.exists());
}

#[test]
fn the_html_report_goes_through_a_pipe_but_not_to_a_terminal() {
    // Standard output is a pipe here.
    let out = run(&["report", "examples/hospital"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("<!DOCTYPE html>"),
        "{}",
        &out.stdout[..80.min(out.stdout.len())]
    );
    // On a terminal (util-linux `script` gives the command one), refused.
    let bin = assert_cmd::cargo::cargo_bin("aims");
    let script = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("{} report examples/hospital", bin.display()),
            "/dev/null",
        ])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output();
    let Ok(o) = script else {
        eprintln!("skipped the terminal case: no `script` command");
        return;
    };
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(2), "{text}");
    assert!(text.contains("not text for a terminal"), "{text}");
    assert!(text.contains("--output report.html"), "{text}");
    assert!(!text.contains("<!DOCTYPE"), "{text}");
    // Markdown reads fine there.
    let o = std::process::Command::new("script")
        .args([
            "-qec",
            &format!(
                "{} report --format markdown examples/hospital",
                bin.display()
            ),
            "/dev/null",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
}

const DEPLOYER: &str = "\
version: 1
organization:
  name: Buyer Co
roles:
  - id: lead
    title: Lead
suppliers:
  - id: vendor
    name: Vendor
    due_diligence:
      date: 2026-05-01
systems:
  - id: bought
    name: Bought chatbot
    owner: lead
    lifecycle: operation
    role: deployer
    evidence:
      - docs/card.md
      - path: docs/validation.md
        reviewed: 2024-01-10
      - path: docs/monitoring.md
        reviewed: 2026-10-01
  - id: named
    name: Named vendor tool
    owner: lead
    lifecycle: operation
    role: deployer
    supplier: vendor
  - id: built
    name: Built in house
    owner: lead
    lifecycle: operation
    role: provider
";

fn findings_in(yaml: &str) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("aims.yaml"), yaml).unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    for f in ["card.md", "validation.md", "monitoring.md"] {
        std::fs::write(dir.path().join("docs").join(f), "# record\n").unwrap();
    }
    let out = run_in(dir.path(), &["check", "--format", "json", "--as-of", AS_OF]);
    assert_ne!(out.code, 2, "{}", out.stdout);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    v["data"]["findings"].as_array().unwrap().clone()
}

#[test]
fn a_deployer_with_no_supplier_is_a_finding() {
    let fs = findings_in(DEPLOYER);
    let unnamed: Vec<&Value> = fs
        .iter()
        .filter(|f| f["rule"] == "supplier/unnamed")
        .collect();
    assert_eq!(unnamed.len(), 1, "{fs:#?}");
    let f = unnamed[0];
    assert_eq!(
        f["message"],
        "system `bought` (Bought chatbot) is deployed, not built, but names no `supplier`"
    );
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["system"], "bought");
    assert_eq!(f["location"]["line"], 17);
}

#[test]
fn system_evidence_is_judged_for_freshness() {
    let fs = findings_in(DEPLOYER);
    let of = |rule: &str| -> Vec<(String, u64)> {
        fs.iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| {
                (
                    f["message"].as_str().unwrap().to_string(),
                    f["location"]["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(
        of("evidence/unreviewed"),
        [(
            "evidence `docs/card.md` of system `bought` has no review date".to_string(),
            19
        )]
    );
    assert_eq!(
        of("evidence/stale"),
        [(
            "evidence `docs/validation.md` of system `bought` was last reviewed on 2024-01-10, more than 12 months ago".to_string(),
            20
        )]
    );
    // Reviewed in the future: the date is the one finding.
    let fs = findings_in(&DEPLOYER.replace("2026-10-01", "2062-07-01"));
    let about: Vec<&str> = fs
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains("monitoring.md"))
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(about, ["date/in-future"]);
}
