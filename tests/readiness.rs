//! `aims readiness` and `aims plan`: each Stage 1 and Stage 2 item met and
//! unmet, the certification schedule, and the roadmap on both examples.
//!
//! Most cases copy `tests/fixtures/readiness/ready` (which meets every item)
//! and break one fact, so a test shows that exactly that fact decides it.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use serde_json::Value;

const AS_OF: &str = "2026-11-24";

fn json(cmd: &str, dir: &str) -> Value {
    let out = run(&[cmd, "--format", "json", "--as-of", AS_OF, dir]);
    // `gap` exits 1 when the AIMS's own gate fails, readiness when the AIMS
    // is not ready; plan never gates.
    let ok = if cmd == "plan" {
        out.code == 0
    } else {
        out.code <= 1
    };
    assert!(ok, "{cmd} {dir}: exit {}: {}", out.code, out.stderr);
    let v: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", out.stdout, out.stderr));
    if cmd == "readiness" {
        let ready = v["data"]["ready"].as_bool().unwrap();
        assert_eq!(out.code, if ready { 0 } else { 1 }, "{dir}: ready {ready}");
    }
    assert_eq!(v["command"], cmd);
    v
}

fn json_in(cmd: &str, dir: &Path) -> Value {
    let out = run_in(dir, &[cmd, "--format", "json", "--as-of", AS_OF]);
    assert!(out.code <= 1, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", out.stdout, out.stderr));
    if cmd == "readiness" {
        let ready = v["data"]["ready"].as_bool().unwrap();
        assert_eq!(out.code, if ready { 0 } else { 1 }, "ready {ready}");
    }
    v
}

fn item<'a>(v: &'a Value, stage: &str, id: &str) -> &'a Value {
    v["data"][stage]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no {stage} item {id}"))
}

fn unmet(v: &Value, stage: &str) -> Vec<String> {
    v["data"][stage]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["met"] == false)
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

fn blockers(v: &Value) -> Vec<String> {
    v["data"]["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap().to_string())
        .collect()
}

fn ready_text() -> String {
    std::fs::read_to_string(fixture("readiness/ready/aims.yaml")).unwrap()
}

/// The ready fixture in a temporary folder, with `aims.yaml` replaced.
fn ready_with(yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("readiness/ready");
    std::fs::create_dir_all(dir.path().join("docs")).unwrap();
    for f in ["docs/record.md", "docs/ai-policy.md"] {
        std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(dir.path().join("aims.yaml"), yaml).unwrap();
    dir
}

/// Replace exactly one occurrence, so a broken anchor fails loudly.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "anchor `{from}`");
    text.replacen(from, to, 1)
}

/// Set the status of one organisation statement of the ready fixture.
fn with_status(text: &str, id: &str, status: &str) -> String {
    replace_once(
        text,
        &format!("# anchor:{id}\n    status: implemented\n"),
        &format!("# anchor:{id}\n    status: {status}\n"),
    )
}

/// Drop the lines from the one holding `from` up to the one starting with `until`.
fn cut(text: &str, from: &str, until: &str) -> String {
    let start = text.find(from).unwrap_or_else(|| panic!("no `{from}`"));
    let start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let end = start
        + text[start..]
            .find(until)
            .unwrap_or_else(|| panic!("no `{until}`"));
    format!("{}{}", &text[..start], &text[end..])
}

fn assert_fits(text: &str, what: &str) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= 100,
            "{what}: line of {} characters:\n{line}",
            line.chars().count()
        );
    }
}

#[test]
fn the_ready_fixture_meets_every_item() {
    let v = json("readiness", "tests/fixtures/readiness/ready");
    let d = &v["data"];
    assert_eq!(d["ready"], true, "{:#}", d);
    assert_eq!(d["as_of"], AS_OF);
    assert_eq!(d["stage1"]["met"], true);
    assert_eq!(d["stage2"]["met"], true);
    assert!(blockers(&v).is_empty());
    let ids: Vec<&str> = d["stage1"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "scope",
            "policy",
            "roles",
            "objectives",
            "risk-assessment",
            "risk-treatment",
            "impact-assessment",
            "competence",
            "documented-information"
        ]
    );
    // Each item says which clauses it judged and why it is met.
    let policy = item(&v, "stage1", "policy");
    assert_eq!(policy["clauses"], serde_json::json!(["5.2", "A.2.2"]));
    assert!(
        policy["why"]
            .as_str()
            .unwrap()
            .contains("`ai-policy` approved 2026-03-01"),
        "{policy}"
    );
    assert!(
        item(&v, "stage1", "risk-treatment")["why"]
            .as_str()
            .unwrap()
            .contains("all 38 Annex A controls in the SoA")
    );
    assert!(
        item(&v, "stage2", "management-review")["why"]
            .as_str()
            .unwrap()
            .contains("3 inputs recorded")
    );
    let table = run(&[
        "readiness",
        "--as-of",
        AS_OF,
        "tests/fixtures/readiness/ready",
    ]);
    assert!(
        table.stdout.contains("READY (both stages met)"),
        "{}",
        table.stdout
    );
    assert!(table.stdout.contains("No blockers."));
    assert_fits(&table.stdout, "ready table");
}

#[test]
fn each_stage1_item_is_unmet_when_its_fact_or_level_falls_short() {
    let base = ready_text();
    // (what is broken, new inventory, the item, text in its blocker)
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "blank scope statement",
            replace_once(
                &base,
                "\"AI systems used in claims handling at Ready Ltd.\"",
                "\"  \"",
            ),
            "scope",
            "4.3 AIMS scope: no scope statement",
        ),
        (
            "4.3 partial",
            with_status(&base, "4.3", "partial"),
            "scope",
            "4.3 AIMS scope: level partial",
        ),
        (
            "policy without approval date",
            replace_once(
                &base,
                "    approved: 2026-03-01  # anchor:policy-approved\n",
                "",
            ),
            "policy",
            "5.2/A.2.2 AI policy: no approval date on `ai-policy`",
        ),
        (
            "policy review overdue",
            replace_once(&base, "approved: 2026-03-01", "approved: 2025-06-01"),
            "policy",
            "policy `ai-policy` review overdue since 2026-06-01",
        ),
        (
            "A.2.2 planned",
            with_status(&base, "A.2.2", "planned"),
            "policy",
            "A.2.2 level missing (planned)",
        ),
        (
            "A.3.2 not started",
            with_status(&base, "A.3.2", "not-started"),
            "roles",
            "5.3/A.3.2 Roles and responsibilities: A.3.2 level missing (not started)",
        ),
        (
            "6.2 partial",
            with_status(&base, "6.2", "partial"),
            "objectives",
            "6.2 AI objectives: level partial",
        ),
        (
            "empty risk register",
            cut(&base, "risks:  # anchor:risks", "impact_assessments:"),
            "risk-assessment",
            "6.1.2/8.2 AI risk assessment: no risks in the register",
        ),
        (
            "8.2 planned",
            with_status(&base, "8.2", "planned"),
            "risk-assessment",
            "8.2 level missing (planned)",
        ),
        (
            "Annex A control without a statement",
            replace_once(
                &base,
                "  A.10.4:  # anchor:A.10.4\n    applicable: false\n    justification: \"Outside the one deployed system's use; see the SoA.\"\n",
                "",
            ),
            "risk-treatment",
            "1 Annex A control missing from the SoA (no organisation-level statement): `A.10.4`",
        ),
        (
            "exclusion without justification",
            replace_once(
                &base,
                "# anchor:A.10.4\n    applicable: false\n    justification: \"Outside the one deployed system's use; see the SoA.\"",
                "# anchor:A.10.4\n    applicable: false",
            ),
            "risk-treatment",
            "excluded without justification: `A.10.4`",
        ),
        (
            "6.1.3 partial",
            with_status(&base, "6.1.3", "partial"),
            "risk-treatment",
            "6.1.3 level partial",
        ),
        (
            "no impact assessment",
            cut(
                &base,
                "impact_assessments:  # anchor:impact-assessments",
                "audits:",
            ),
            "impact-assessment",
            "6.1.4/8.4 AI system impact assessments: no impact assessment for `triage`",
        ),
        (
            "8.4 partial",
            with_status(&base, "8.4", "partial"),
            "impact-assessment",
            "8.4 level partial",
        ),
        (
            "7.2 planned",
            with_status(&base, "7.2", "planned"),
            "competence",
            "7.2 Competence records: level missing (planned)",
        ),
        (
            "7.5.2 partial",
            with_status(&base, "7.5.2", "partial"),
            "documented-information",
            "7.5.1/7.5.2/7.5.3 Control of documented information: 7.5.2 level partial",
        ),
    ];
    for (what, yaml, id, blocker) in cases {
        let dir = ready_with(&yaml);
        let v = json_in("readiness", dir.path());
        assert_eq!(v["data"]["ready"], false, "{what}");
        assert_eq!(v["data"]["stage1"]["met"], false, "{what}");
        assert_eq!(
            unmet(&v, "stage1"),
            [id],
            "{what}: {:#}",
            v["data"]["stage1"]
        );
        let b = blockers(&v);
        assert!(
            b.iter().any(|s| s.contains(blocker)),
            "{what}: no blocker with `{blocker}` in {b:#?}"
        );
        // The why of the item says the same thing as its blocker.
        let why = item(&v, "stage1", id)["why"].as_str().unwrap().to_string();
        assert!(b.iter().any(|s| s.ends_with(&why)), "{what}: {why}");
    }
}

#[test]
fn each_stage2_item_is_unmet_when_its_fact_falls_short() {
    let base = ready_text();
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "8.1 partial",
            with_status(&base, "8.1", "partial"),
            "controls",
            "8.1 below implemented (partial): Operational planning and control",
        ),
        (
            "a system-level control below implemented",
            with_status(&base, "A.6.2.6", "not-started"),
            "controls",
            "A.6.2.6 below implemented (missing)",
        ),
        (
            "internal audit older than 12 months",
            replace_once(&base, "2026-06-15  # anchor:internal-audit", "2025-10-01"),
            "internal-audit",
            "9.2 no internal audit since 2025-11-24 (last: `internal-2026` on 2025-10-01)",
        ),
        (
            "management review older than 12 months",
            replace_once(
                &base,
                "2026-07-01  # anchor:management-review",
                "2025-11-23",
            ),
            "management-review",
            "9.3 no management review since 2025-11-24",
        ),
        (
            "corrective action overdue",
            replace_once(&base, "    closed: 2026-08-01\n", ""),
            "nonconformities",
            "10.2 nonconformity `nc-closed` open past its due date 2026-08-31 (85 days)",
        ),
    ];
    for (what, yaml, id, blocker) in cases {
        let dir = ready_with(&yaml);
        let v = json_in("readiness", dir.path());
        assert_eq!(v["data"]["ready"], false, "{what}");
        assert_eq!(
            v["data"]["stage1"]["met"], true,
            "{what}: {:#}",
            v["data"]["stage1"]
        );
        assert_eq!(
            unmet(&v, "stage2"),
            [id],
            "{what}: {:#}",
            v["data"]["stage2"]
        );
        let b = blockers(&v);
        assert!(
            b.iter().any(|s| s.contains(blocker)),
            "{what}: no blocker with `{blocker}` in {b:#?}"
        );
    }

    // The controls item lists what is below, with its owner.
    let dir = ready_with(&with_status(&base, "8.1", "partial"));
    let v = json_in("readiness", dir.path());
    let below = &item(&v, "stage2", "controls")["below"];
    assert_eq!(
        below,
        &serde_json::json!([{"id": "8.1", "title": "Operational planning and control",
            "level": "partial", "owner": "lead"}])
    );

    // An open nonconformity within its due date is no blocker.
    let yaml = replace_once(
        &replace_once(&base, "    closed: 2026-08-01\n", ""),
        "due: 2026-08-31",
        "due: 2027-01-31",
    );
    let dir = ready_with(&yaml);
    let v = json_in("readiness", dir.path());
    assert_eq!(v["data"]["ready"], true, "{:#}", v["data"]);
    assert_eq!(
        item(&v, "stage2", "nonconformities")["why"],
        "1 nonconformity open, none past due"
    );
}

#[test]
fn a_stage1_blocker_is_not_repeated_as_a_stage2_control() {
    let dir = ready_with(&with_status(&ready_text(), "6.2", "partial"));
    let v = json_in("readiness", dir.path());
    // Stage 2 still lists 6.2 as below implemented...
    assert_eq!(unmet(&v, "stage2"), ["controls"]);
    assert_eq!(item(&v, "stage2", "controls")["below"][0]["id"], "6.2");
    // ...but the blockers name it once, as the Stage 1 item.
    assert_eq!(blockers(&v), ["6.2 AI objectives: level partial"]);
}

#[test]
fn an_empty_inventory_meets_nothing_and_has_no_schedule() {
    let v = json("readiness", "tests/fixtures/readiness/empty");
    let d = &v["data"];
    assert_eq!(d["ready"], false);
    assert_eq!(unmet(&v, "stage1").len(), 9);
    assert_eq!(
        unmet(&v, "stage2"),
        ["controls", "internal-audit", "management-review"]
    );
    assert!(
        item(&v, "stage1", "roles")["why"]
            .as_str()
            .unwrap()
            .starts_with("no roles in `roles`")
    );
    assert!(
        item(&v, "stage1", "policy")["why"]
            .as_str()
            .unwrap()
            .starts_with("no policy in `policies`")
    );
    let b = blockers(&v);
    assert!(b.contains(&"9.2 no internal audit since 2025-11-24 (none recorded)".to_string()));
    assert!(b.contains(&"9.3 no management review since 2025-11-24 (none recorded)".to_string()));
    assert_eq!(d["certification"], Value::Null);
    assert_eq!(d["schedule"], serde_json::json!([]));
    assert!(
        d["schedule_note"]
            .as_str()
            .unwrap()
            .contains("no Stage 1 or Stage 2 date")
    );

    // The terminal view cuts a long list of blockers and says where the rest are.
    let out = run(&[
        "readiness",
        "--as-of",
        AS_OF,
        "tests/fixtures/readiness/empty",
    ]);
    assert!(out.stdout.contains("NOT READY"));
    assert!(
        out.stdout.contains("more; `--format markdown`"),
        "{}",
        out.stdout
    );
    assert_fits(&out.stdout, "empty table");
    let md = run(&[
        "readiness",
        "--format",
        "markdown",
        "--as-of",
        AS_OF,
        "tests/fixtures/readiness/empty",
    ]);
    assert_eq!(
        md.stdout
            .lines()
            .filter(|l| l.contains(". ") && l.starts_with(char::is_numeric))
            .count(),
        b.len(),
        "markdown lists every blocker"
    );
}

fn schedule(v: &Value) -> Vec<(String, String, String)> {
    v["data"]["schedule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["due"].as_str().unwrap().to_string(),
                e["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn triples(v: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    v.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[test]
fn a_missed_surveillance_audit_is_overdue() {
    let v = json("readiness", "tests/fixtures/readiness/overdue-surveillance");
    assert_eq!(
        schedule(&v),
        triples(&[
            ("surveillance", "2026-06-01", "overdue"),
            ("surveillance", "2027-06-01", "planned"),
            ("recertification", "2028-05-31", "planned"),
        ])
    );
    let d = &v["data"];
    assert_eq!(d["schedule"][2]["start_by"], "2027-11-30");
    assert_eq!(d["certification"]["body"], "Example Certification Body");
    assert_eq!(d["certification"]["certified"], "2025-06-01");
    assert_eq!(d["certification"]["expires"], "2028-05-31");
    assert!(d["schedule_note"].is_null());
    let out = run(&[
        "readiness",
        "--as-of",
        AS_OF,
        "tests/fixtures/readiness/overdue-surveillance",
    ]);
    assert!(out.stdout.contains("176 days overdue"), "{}", out.stdout);
    assert_fits(&out.stdout, "overdue table");
}

#[test]
fn a_surveillance_audit_is_done_or_due_soon() {
    let v = json(
        "readiness",
        "tests/fixtures/readiness/surveillance-due-soon",
    );
    assert_eq!(
        schedule(&v),
        triples(&[
            ("surveillance", "2025-12-20", "done"),
            ("surveillance", "2026-12-20", "due-soon"),
            // No `expires`: three years after certification.
            ("recertification", "2027-12-20", "planned"),
        ])
    );
    assert_eq!(v["data"]["schedule"][0]["audit"], "surveillance-2025");
    assert!(
        v["data"]["schedule_note"]
            .as_str()
            .unwrap()
            .contains("assumed 3 years")
    );
    // A year later the second one is overdue, and nothing else moved.
    let out = run(&[
        "readiness",
        "--format",
        "json",
        "--as-of",
        "2027-11-24",
        "tests/fixtures/readiness/surveillance-due-soon",
    ]);
    let later: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(later["data"]["schedule"][1]["status"], "overdue");
    assert_eq!(later["data"]["schedule"][2]["status"], "due-soon");
}

#[test]
fn without_a_certificate_the_schedule_is_the_planned_stages() {
    let v = json("readiness", "tests/fixtures/readiness/planned-stages");
    assert_eq!(
        schedule(&v),
        triples(&[
            ("stage1", "2027-01-15", "due-soon"),
            ("stage2", "2027-03-01", "planned"),
        ])
    );
    assert_eq!(v["data"]["certification"]["certified"], Value::Null);
    assert!(
        v["data"]["schedule_note"]
            .as_str()
            .unwrap()
            .contains("Not certified")
    );
}

#[test]
fn the_examples_read_as_their_gaps_say() {
    let bank = json("readiness", "examples/bank");
    assert_eq!(bank["data"]["ready"], false);
    assert_eq!(
        unmet(&bank, "stage1"),
        ["objectives", "risk-treatment", "documented-information"]
    );
    assert_eq!(unmet(&bank, "stage2"), ["controls", "nonconformities"]);
    let b = blockers(&bank);
    for want in [
        "6.2 AI objectives: level missing (planned)",
        "A.6.2.4 below implemented (partial)",
        "10.2 nonconformity `nc-2026-01` open past its due date 2026-09-30",
        "excluded without justification: `A.10.4`",
    ] {
        assert!(b.iter().any(|s| s.contains(want)), "{want} not in {b:#?}");
    }
    assert_eq!(bank["data"]["certification"], Value::Null);
    assert_eq!(bank["data"]["schedule"], serde_json::json!([]));

    let hospital = json("readiness", "examples/hospital");
    let d = &hospital["data"];
    assert_eq!(
        d["certification"]["body"],
        "Veritas Assurance Certification Ltd"
    );
    assert_eq!(d["certification"]["certified"], "2026-10-01");
    assert_eq!(d["certification"]["expires"], "2029-09-30");
    assert_eq!(
        schedule(&hospital),
        triples(&[
            ("surveillance", "2027-10-01", "planned"),
            ("surveillance", "2028-10-01", "planned"),
            ("recertification", "2029-09-30", "planned"),
        ])
    );
    assert_eq!(d["schedule"][2]["start_by"], "2029-03-30");
    // Audited and reviewed this year; its two open nonconformities are in time.
    for id in ["internal-audit", "management-review", "nonconformities"] {
        assert_eq!(item(&hospital, "stage2", id)["met"], true, "{id}");
    }
    // Annex A controls with no organisation statement are missing from the SoA.
    assert!(
        item(&hospital, "stage1", "risk-treatment")["why"]
            .as_str()
            .unwrap()
            .contains("7 Annex A controls missing from the SoA")
    );
}

#[test]
fn every_readiness_view_fits_and_is_deterministic() {
    for dir in [
        "examples/bank",
        "examples/hospital",
        "tests/fixtures/readiness/ready",
        "tests/fixtures/readiness/empty",
        "tests/fixtures/readiness/overdue-surveillance",
        "tests/fixtures/readiness/surveillance-due-soon",
        "tests/fixtures/readiness/planned-stages",
    ] {
        let table = run(&["readiness", "--as-of", AS_OF, dir]);
        // Only the ready fixture is ready: the others fail the readiness gate.
        let ready = dir.ends_with("/ready");
        assert_eq!(
            table.code,
            if ready { 0 } else { 1 },
            "{dir}: {}",
            table.stderr
        );
        assert_fits(&table.stdout, dir);
        assert!(
            table.stdout.contains("Stage 1, documentation review"),
            "{dir}"
        );
        assert!(
            table.stdout.contains("Stage 2, implementation audit"),
            "{dir}"
        );
        let md = run(&["readiness", "--format", "markdown", "--as-of", AS_OF, dir]);
        for h in [
            "# Certification readiness",
            "## Stage 1",
            "## Stage 2",
            "## Blockers",
            "## Certification",
        ] {
            assert!(md.stdout.contains(h), "{dir}: no `{h}`");
        }
        for cmd in ["readiness", "plan"] {
            let a = run(&[cmd, "--format", "json", "--as-of", AS_OF, dir]).stdout;
            let b = run(&[cmd, "--format", "json", "--as-of", AS_OF, dir]).stdout;
            assert_eq!(a, b, "{cmd} {dir}");
        }
    }
}

/// Controls short of `evidenced` per the gap analysis, not-applicable aside.
fn short_controls(dir: &str) -> Vec<String> {
    json("gap", dir)["data"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            matches!(
                c["overall"].as_str(),
                Some("missing" | "partial" | "implemented")
            )
        })
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn the_plan_covers_every_gap_once_and_adds_up() {
    for dir in [
        "examples/bank",
        "examples/hospital",
        "tests/fixtures/readiness/ready",
    ] {
        let v = json("plan", dir);
        let d = &v["data"];
        let phases = d["phases"].as_array().unwrap();
        assert_eq!(
            phases.iter().map(|p| n(&p["phase"])).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5],
            "{dir}"
        );
        // Every short control in exactly one phase.
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for p in phases {
            for c in p["controls"].as_array().unwrap() {
                *seen
                    .entry(c["id"].as_str().unwrap().to_string())
                    .or_default() += 1;
                assert!(n(&c["weeks"]) >= 1, "{dir}: {c}");
                assert!(c["owner"].as_str().is_some_and(|o| !o.is_empty()));
            }
        }
        let mut short = short_controls(dir);
        short.sort();
        assert_eq!(seen.keys().cloned().collect::<Vec<_>>(), short, "{dir}");
        assert!(seen.values().all(|&k| k == 1), "{dir}: {seen:?}");
        assert_eq!(n(&d["short"]) as usize, short.len());
        // Totals equal the sum of the items; the timeline runs phase after phase.
        let mut end = 0;
        let mut total = 0;
        for p in phases {
            let items: u64 = p["controls"]
                .as_array()
                .unwrap()
                .iter()
                .chain(p["tasks"].as_array().unwrap())
                .map(|i| n(&i["weeks"]))
                .sum();
            assert_eq!(n(&p["weeks"]), items, "{dir} phase {}", p["phase"]);
            let streams = if n(&p["phase"]) == 4 { 2 } else { 1 };
            assert_eq!(n(&p["workstreams"]), streams);
            assert_eq!(n(&p["duration_weeks"]), items.div_ceil(streams), "{dir}");
            assert_eq!(n(&p["start_week"]), end, "{dir}");
            end += n(&p["duration_weeks"]);
            assert_eq!(n(&p["end_week"]), end, "{dir}");
            total += items;
        }
        assert_eq!(n(&phases[0]["weeks"]), 1, "phase 1 is a fixed week");
        assert_eq!(n(&d["weeks"]), total, "{dir}");
        assert!(total > 1, "{dir}");
        assert_eq!(n(&d["duration_weeks"]), end);
        // Stage 1 after phase 3, Stage 2 after phase 5 and after Stage 1.
        let s1 = n(&d["stage1_week"]);
        let s2 = n(&d["stage2_week"]);
        assert!(
            s1 >= n(&phases[2]["end_week"]) && s1 <= n(&phases[3]["end_week"]),
            "{dir}"
        );
        assert!(s2 >= n(&phases[4]["end_week"]) && s2 > s1, "{dir}");
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let start = day(AS_OF);
        assert_eq!(
            (day(d["stage1"].as_str().unwrap()) - start).num_days() as u64,
            s1 * 7
        );
        assert_eq!(
            (day(d["stage2"].as_str().unwrap()) - start).num_days() as u64,
            s2 * 7
        );
    }
}

#[test]
fn plan_phases_and_weeks_follow_the_catalogue() {
    let v = json("plan", "examples/bank");
    let phase_of = |id: &str| -> u64 {
        v["data"]["phases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| {
                p["controls"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c["id"] == id)
            })
            .map(|p| n(&p["phase"]))
            .unwrap_or_else(|| panic!("{id} in no phase"))
    };
    for (id, phase) in [
        ("7.3", 2),
        ("A.2.4", 2),
        ("6.2", 3),
        ("8.3", 3),
        ("A.5.5", 3),
        ("A.6.2.4", 4),
        ("NB.MRM.1", 4),
        ("10.1", 5),
    ] {
        assert_eq!(phase_of(id), phase, "{id}");
    }
    let control = |id: &str| -> Value {
        v["data"]["phases"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["controls"].as_array().unwrap().clone())
            .find(|c| c["id"] == id)
            .unwrap()
    };
    // 6.2: missing, 1 week of effort: all of it. 6.1.3: partial, 3 weeks: 60% = 2.
    // A.4.4: implemented (stale evidence), 1 week: 25%, at least 1.
    for (id, level, effort, weeks) in [
        ("6.2", "missing", 1, 1),
        ("6.1.3", "partial", 3, 2),
        ("A.6.2.7", "missing", 3, 3),
        ("A.4.4", "implemented", 1, 1),
    ] {
        let c = control(id);
        assert_eq!(c["level"], level, "{id}");
        assert_eq!(n(&c["effort_weeks"]), effort, "{id}");
        assert_eq!(n(&c["weeks"]), weeks, "{id}");
    }
    // Owners come from the statements; none is "unassigned".
    assert_eq!(control("6.2")["owner"], "ceo");
    assert_eq!(control("7.5.2")["owner"], "unassigned");
    // Not certified: phase 5 plans an internal audit and a management review.
    let tasks = v["data"]["phases"][4]["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 2, "{tasks:?}");
    // The hospital is certified: no such tasks, and its next audit is named.
    let h = json("plan", "examples/hospital");
    assert_eq!(h["data"]["phases"][4]["tasks"], serde_json::json!([]));
    assert_eq!(h["data"]["next_audit"]["due"], "2027-10-01");
}

#[test]
fn the_plan_reads_well_as_markdown() {
    for dir in ["examples/bank", "examples/hospital"] {
        let out = run(&["plan", "--as-of", AS_OF, dir]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let md = out.stdout;
        assert!(
            md.starts_with("# Roadmap to ISO/IEC 42001 certification"),
            "{md}"
        );
        assert!(md.contains("Projected Stage 1 audit"));
        assert!(md.contains("Projected Stage 2 audit"));
        for h in [
            "## Phase 1: Gap assessment",
            "## Phase 2: AI policy and governance",
            "## Phase 3: Risk and impact assessment",
            "## Phase 4: Implementing controls",
            "## Phase 5: Audit and certification",
            "## Timeline",
            "## Assumptions",
        ] {
            assert!(md.contains(h), "{dir}: no `{h}`");
        }
        assert!(md.contains("| Control | Title | Level | Owner | Weeks |"));
        // A table is never glued to a list or a paragraph (GitHub would not render it).
        let lines: Vec<&str> = md.lines().collect();
        for w in lines.windows(2) {
            if w[1].starts_with('|') && !w[0].starts_with('|') {
                assert!(w[0].is_empty(), "{dir}: table after `{}`", w[0]);
            }
        }
    }
    let md = run(&["plan", "--as-of", AS_OF, "examples/bank"]).stdout;
    assert!(md.contains(
        "| A.6.2.4 | AI system verification and validation | partial | head-model-risk | 2 |"
    ));
}
