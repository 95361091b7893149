//! `aims import soa`: the SoA that aims writes as CSV and as XLSX, imported
//! back into an inventory in place of its own statements, gives the same
//! SoA; bad rows are errors with their line; nothing is overwritten.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

const AS_OF: &str = "2026-09-01";

/// organization.yaml without its Annex A and custom statements (the
/// entries of `controls:` whose key is not a clause number).
fn without_annex_statements(yaml: &str) -> String {
    let mut out = String::new();
    let mut in_controls = false;
    let mut dropping = false;
    for line in yaml.lines() {
        if !line.starts_with([' ', '#']) && !line.is_empty() {
            in_controls = line.starts_with("controls:");
            dropping = false;
        } else if in_controls && line.starts_with("  ") && !line.starts_with("   ") {
            let key = line.trim().trim_matches('"');
            dropping = !key.starts_with(|c: char| c.is_ascii_digit());
        }
        if !dropping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The SoA rows as `aims soa --format json` gives them, less the colour class.
fn soa_rows(dir: &Path) -> Vec<Value> {
    let o = run_in(dir, &["soa", "--format", "json", "--as-of", AS_OF]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    v["data"]["controls"].as_array().unwrap().clone()
}

fn round_trip(format: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank");
    copy_dir(&root().join("examples/bank"), &bank);
    let before = soa_rows(&bank);
    let sheet = tmp.path().join(format!("soa.{format}"));
    let o = aims()
        .current_dir(&bank)
        .args(["soa", "--format", format, "--as-of", AS_OF, "-o"])
        .arg(&sheet)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The inventory without its SoA statements, then with the imported ones.
    let org = bank.join("aims/organization.yaml");
    let stripped = without_annex_statements(&std::fs::read_to_string(&org).unwrap());
    assert!(!stripped.contains("NB.MRM.1:") && stripped.contains("  4.1:"));
    std::fs::write(&org, stripped).unwrap();
    let out = bank.join("aims/controls-imported.yaml");
    let o = run_in(
        &bank,
        &[
            "import",
            "soa",
            sheet.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains("Implementation level -> status"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("wrote 39 statements (1 excluded)"),
        "{}",
        o.stderr
    );
    let check = run_in(&bank, &["check", "--as-of", AS_OF]);
    assert!(check.code != 2, "the imported YAML loads: {}", check.stderr);
    let after = soa_rows(&bank);
    assert_eq!(after.len(), before.len());
    for (a, b) in after.iter().zip(&before) {
        assert_eq!(a, b, "{format}: {} differs after the round trip", b["id"]);
    }
}

#[test]
fn the_soa_csv_round_trips() {
    round_trip("csv");
}

#[test]
fn the_soa_xlsx_round_trips() {
    round_trip("xlsx");
}

#[test]
fn bad_rows_are_errors_with_their_line_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("soa.csv");
    std::fs::write(
        &csv,
        "Control ID,Applicable?,Implementation status,Control owner\nA.2.2,yes,done,ceo\nA.2.9,yes,done,ceo\nA.3.2,maybe,done,ceo\nA.3.3,no,weird,\n",
    )
    .unwrap();
    let out = tmp.path().join("controls.yaml");
    let o = run_in(
        tmp.path(),
        &["import", "soa", "soa.csv", "-o", "controls.yaml"],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("soa.csv:3: `A.2.9` is not a control"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("soa.csv:4: applicable `maybe`"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("soa.csv:5: status `weird`"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("3 rows could not be placed"),
        "{}",
        o.stderr
    );
    assert!(!out.exists());
}

#[test]
fn dry_run_writes_nothing_and_an_existing_file_is_never_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("soa.csv"),
        "Ref,Stand,Justification\nA.2.2,in place,\nA.10.4,n/a,We buy no AI from suppliers.\n",
    )
    .unwrap();
    let args = |extra: &[&str]| {
        let mut a = vec![
            "import",
            "soa",
            "soa.csv",
            "--map",
            "Stand=status",
            "-o",
            "c.yaml",
        ];
        a.extend(extra);
        run_in(tmp.path(), &a)
    };
    let o = args(&["--dry-run"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("Stand         -> status"), "{}", o.stderr);
    assert!(
        o.stderr.contains("dry run: would write 2 statements"),
        "{}",
        o.stderr
    );
    assert!(o.stdout.contains("  \"A.10.4\":\n    applicable: false\n    justification: \"We buy no AI from suppliers.\"\n"), "{}", o.stdout);
    assert!(!tmp.path().join("c.yaml").exists());
    assert_eq!(args(&[]).code, 0);
    let first = std::fs::read_to_string(tmp.path().join("c.yaml")).unwrap();
    let again = args(&[]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("c.yaml")).unwrap(),
        first
    );
}
