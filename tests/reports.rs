//! `aims report` and `aims soa`: snapshots of the examples, escaping of
//! hostile input, template overrides, CSV, determinism.

mod common;

use common::*;

fn out(args: &[&str]) -> String {
    let o = run(args);
    assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
    o.stdout
}

#[test]
fn snapshots_of_the_examples() {
    for ex in ["bank", "hospital"] {
        let dir = format!("examples/{ex}");
        insta::assert_snapshot!(
            format!("{ex}_report_md"),
            out(&[
                "report",
                "--format",
                "markdown",
                "--as-of",
                "2026-11-24",
                &dir
            ])
        );
        insta::assert_snapshot!(
            format!("{ex}_report_html"),
            out(&["report", "--format", "html", "--as-of", "2026-11-24", &dir])
        );
        insta::assert_snapshot!(
            format!("{ex}_soa_md"),
            out(&["soa", "--as-of", "2026-11-24", &dir])
        );
        insta::assert_snapshot!(
            format!("{ex}_soa_csv"),
            out(&["soa", "--format", "csv", "--as-of", "2026-11-24", &dir])
        );
    }
    insta::assert_snapshot!(
        "hospital_soa_html_triage",
        out(&[
            "soa",
            "--format",
            "html",
            "--system",
            "ed-triage",
            "--as-of",
            "2026-11-24",
            "examples/hospital"
        ])
    );
}

#[test]
fn user_text_comes_out_inert() {
    let html = out(&[
        "report",
        "--as-of",
        "2026-11-24",
        "tests/fixtures/injection",
    ]);
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "a script tag got through");
    assert!(!lower.contains("<img"), "an img tag got through");
    assert!(
        !lower.contains("<iframe") && !lower.contains("<link") && !lower.contains("<svg onload")
    );
    assert!(
        !lower.contains("onerror=\"document"),
        "an attribute broke out"
    );
    assert!(
        html.contains("&lt;script&gt;document.title="),
        "the name is shown as text"
    );
    assert!(
        !html.contains("49 "),
        "a template expression in user text was not evaluated"
    );
    assert!(
        html.contains("{{ 7*7 }}") || html.contains("{{ 7*7 }}".replace('{', "&#123;").as_str())
    );
    // Nothing is fetched: a strict CSP, and no external URL in any src or href.
    assert!(html.contains("default-src 'none'"));
    assert!(
        !lower.contains("src=\"http")
            && !lower.contains("href=\"http")
            && !lower.contains("href=\"javascript")
    );

    let md = out(&[
        "report",
        "--format",
        "markdown",
        "--as-of",
        "2026-11-24",
        "tests/fixtures/injection",
    ]);
    assert!(!md.contains("<script"), "raw HTML in Markdown");
    assert!(
        md.contains("\\[click me\\]\\(javascript:alert\\(1\\)\\)"),
        "link syntax escaped"
    );
    assert!(
        md.contains("\\| break \\| the \\| table \\|"),
        "pipes escaped"
    );
    let soa = out(&[
        "soa",
        "--format",
        "html",
        "--as-of",
        "2026-11-24",
        "tests/fixtures/injection",
    ]);
    assert!(!soa.to_lowercase().contains("<svg onload"));
}

#[test]
fn templates_are_overridable_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("report.md"),
        "CUSTOM {{ header.title | md }} {{ summary.score }}\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let md = out(&[
        "report",
        "--format",
        "markdown",
        "--templates",
        d,
        "--as-of",
        "2026-11-24",
        "examples/hospital",
    ]);
    assert!(
        md.starts_with("CUSTOM St Aldhelm University Hospital"),
        "{md}"
    );
    // Not overridden: the embedded HTML template is used.
    let html = out(&[
        "report",
        "--templates",
        d,
        "--as-of",
        "2026-11-24",
        "examples/hospital",
    ]);
    assert!(html.contains("<h2>Executive summary</h2>"));
    // A broken override is a clear error, exit 2.
    std::fs::write(dir.path().join("soa.md"), "{% for x in %}\n").unwrap();
    let o = run(&["soa", "--templates", d, "examples/hospital"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("template `soa.md` does not parse"),
        "{}",
        o.stderr
    );
    assert_eq!(
        run(&["report", "--templates", "no/such/dir", "examples/hospital"]).code,
        2
    );
}

#[test]
fn soa_lists_every_annex_a_control_with_applicability() {
    let v: serde_json::Value = serde_json::from_str(&out(&[
        "soa",
        "--format",
        "json",
        "--as-of",
        "2026-11-24",
        "examples/hospital",
    ]))
    .unwrap();
    let rows = v["data"]["controls"].as_array().unwrap();
    assert_eq!(rows.len(), 38, "the hospital has no custom controls");
    let a104 = rows.iter().find(|r| r["id"] == "A.10.4").unwrap();
    assert_eq!(a104["applicable"], false);
    assert!(a104["justification"].as_str().unwrap().len() > 10);
    // Per system: a provider-only control does not apply to a deployer's system.
    let v: serde_json::Value = serde_json::from_str(&out(&[
        "soa",
        "--format",
        "json",
        "--system",
        "clinical-notes-assistant",
        "--as-of",
        "2026-11-24",
        "examples/hospital",
    ]))
    .unwrap();
    let a612 = v["data"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "A.6.1.2")
        .unwrap();
    assert_eq!(a612["applicable"], false);
    assert!(
        a612["justification"].as_str().unwrap().contains("deployer"),
        "{a612}"
    );
    // The bank's custom control is in its SoA.
    let v: serde_json::Value =
        serde_json::from_str(&out(&["soa", "--format", "json", "examples/bank"])).unwrap();
    assert!(
        v["data"]["controls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "NB.MRM.1")
    );
}

#[test]
fn csv_opens_cleanly() {
    let csv = out(&[
        "soa",
        "--format",
        "csv",
        "--as-of",
        "2026-11-24",
        "examples/bank",
    ]);
    assert!(csv.starts_with('\u{feff}'), "BOM for spreadsheets");
    let lines: Vec<&str> = csv
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        lines[0],
        "Control,Title,Group,Applicable,Justification,Implementation level,Owner,Evidence,Reviewed"
    );
    assert_eq!(
        lines.len(),
        1 + 39,
        "38 Annex A controls and one custom control"
    );
    for l in &lines[1..] {
        // Nine quoted fields: count the separators outside quotes.
        let mut fields = 1;
        let mut quoted = false;
        for c in l.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => fields += 1,
                _ => {}
            }
        }
        assert_eq!(fields, 9, "{l}");
    }
}

#[test]
fn reports_are_deterministic_and_never_clobber() {
    let a = out(&["report", "--as-of", "2026-11-24", "examples/bank"]);
    let b = out(&["report", "--as-of", "2026-11-24", "examples/bank"]);
    assert_eq!(a, b);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.html");
    std::fs::write(&p, "mine").unwrap();
    let o = run(&["report", "--output", p.to_str().unwrap(), "examples/bank"]);
    assert_eq!(o.code, 2);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "mine");
    // Links point at the evidence, relative to where the report is written.
    let o = run(&[
        "report",
        "--output",
        p.to_str().unwrap(),
        "--force",
        "examples/hospital",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let html = std::fs::read_to_string(&p).unwrap();
    let href = html
        .split("href=\"")
        .skip(1)
        .map(|h| h.split('"').next().unwrap())
        .find(|h| !h.starts_with('#'))
        .unwrap();
    assert!(
        dir.path().join(href).is_file(),
        "link {href} resolves from the report's folder"
    );
}

#[test]
fn baseline_changes_appear_in_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.json");
    let o = run(&[
        "gap",
        "--format",
        "json",
        "--as-of",
        "2026-05-01",
        "--output",
        base.to_str().unwrap(),
        "examples/hospital",
    ]);
    assert!(o.code == 0 || o.code == 1, "{}", o.stderr);
    let md = out(&[
        "report",
        "--format",
        "markdown",
        "--as-of",
        "2026-11-24",
        "--baseline",
        base.to_str().unwrap(),
        "examples/hospital",
    ]);
    assert!(md.contains("### Since the baseline"), "{md}");
}

#[test]
fn map_to_each_framework_with_and_without_an_inventory() {
    for (to, items) in [("nist-ai-rmf", 72), ("eu-ai-act", 24), ("iso27001", 93)] {
        let bare: serde_json::Value = serde_json::from_str(
            &run_in(
                &std::env::temp_dir(),
                &["map", "--to", to, "--format", "json"],
            )
            .stdout,
        )
        .unwrap();
        assert_eq!(bare["data"]["with_inventory"], false, "{to}");
        assert_eq!(
            bare["data"]["items"].as_array().unwrap().len(),
            items,
            "{to}"
        );
        let with: serde_json::Value = serde_json::from_str(&out(&[
            "map",
            "--to",
            to,
            "--format",
            "json",
            "--as-of",
            "2026-11-24",
            "examples/bank",
        ]))
        .unwrap();
        assert_eq!(with["data"]["with_inventory"], true);
        for it in with["data"]["items"].as_array().unwrap() {
            let controls = it["controls"].as_array().unwrap();
            for c in controls {
                assert!(
                    ["equal", "subset", "superset", "intersects"]
                        .contains(&c["relationship"].as_str().unwrap())
                );
                assert!(!c["source"].as_str().unwrap().is_empty());
                assert!(c["level"].is_string(), "{c}");
            }
            if !controls.is_empty() {
                assert!(it["level"].is_string(), "{it}");
            }
        }
    }
    // GOVERN 1.2 is mapped from A.2.2 in NIST's crosswalk.
    let v: serde_json::Value = serde_json::from_str(&out(&[
        "map",
        "--to",
        "nist-ai-rmf",
        "--format",
        "json",
        "examples/hospital",
    ]))
    .unwrap();
    let g12 = v["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "GOVERN 1.2")
        .unwrap();
    assert!(
        g12["controls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "A.2.2" && c["source"] == "nist-crosswalk"),
        "{g12}"
    );
    let md = out(&[
        "map",
        "--to",
        "eu-ai-act",
        "--format",
        "markdown",
        "examples/hospital",
    ]);
    assert!(md.contains("| Art. 9 | Risk management system |"), "{md}");
    let table = out(&["map", "--to", "iso27001", "examples/hospital"]);
    assert!(table.lines().all(|l| l.chars().count() <= 100));
    // The report has a section per framework.
    let html = out(&["report", "--as-of", "2026-11-24", "examples/hospital"]);
    for t in ["nist-ai-rmf", "eu-ai-act", "iso27001"] {
        assert!(html.contains(&format!("id=\"map-{t}\"")), "{t}");
    }
}
