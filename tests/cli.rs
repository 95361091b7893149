//! The commands of the foundation, run as a user would.

mod common;

use common::*;
use serde_json::Value;

fn json(out: &Out) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", out.stdout))
}

// ---------------------------------------------------------------------------
// aims check

#[test]
fn all_problems_are_reported_in_one_run() {
    let out = run(&["check", "tests/fixtures/invalid/many-problems.yaml"]);
    assert_eq!(out.code, 2);
    let expect = [
        (
            "many-problems.yaml:5:3",
            "unknown field `risk_apetite`",
            "did you mean `risk_appetite`?",
        ),
        (
            "many-problems.yaml:9:9",
            "duplicate role id `AI-Lead`",
            "own id",
        ),
        (
            "many-problems.yaml:14:18",
            "`approved_by` names role `ceo`, which is not defined",
            "",
        ),
        (
            "many-problems.yaml:15:15",
            "`2026-13-01` is not a date: month 13 does not exist",
            "",
        ),
        (
            "many-problems.yaml:18:13",
            "unknown value `implemnted`",
            "did you mean `implemented`?",
        ),
        (
            "many-problems.yaml:20:3",
            "`A.7.1` is not a control",
            "did you mean `A.7.2`?",
        ),
        (
            "many-problems.yaml:24:5",
            "unknown field `ownr`",
            "did you mean `owner`?",
        ),
        (
            "many-problems.yaml:28:16",
            "unknown value `operational`",
            "did you mean `operation`?",
        ),
        (
            "many-problems.yaml:34:15",
            "names supplier `acme`, which is not defined",
            "",
        ),
        ("many-problems.yaml:38:17", "7 is out of range", ""),
        (
            "many-problems.yaml:43:11",
            "rule `policy/review-overdu`",
            "did you mean `policy/review-overdue`?",
        ),
    ];
    for (place, msg, help) in expect {
        let at = out
            .stderr
            .find(place)
            .unwrap_or_else(|| panic!("no {place} in\n{}", out.stderr));
        let block = &out.stderr[out.stderr[..at].rfind("error[").unwrap()..];
        let block = &block[..block[1..].find("\nerror").map_or(block.len(), |i| i + 1)];
        assert!(block.contains(msg), "{place}: expected {msg:?} in\n{block}");
        assert!(
            block.contains(help),
            "{place}: expected {help:?} in\n{block}"
        );
    }
    assert!(out.stderr.contains("11 problems to fix"), "{}", out.stderr);
}

#[test]
fn load_errors_as_json_use_the_envelope() {
    let out = run(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/invalid/many-problems.yaml",
    ]);
    assert_eq!(out.code, 2);
    let v = json(&out);
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["tool"], "aims");
    assert_eq!(v["command"], "check");
    assert_eq!(v["generated_at"], "2026-11-24T00:00:00Z");
    let errors = v["data"]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 11);
    assert_eq!(errors[0]["rule"], "load/unknown-field");
    assert_eq!(errors[0]["location"]["line"], 5);
    assert_eq!(errors[0]["location"]["column"], 3);
}

#[test]
fn duplicates_across_files_name_both_places() {
    let out = run(&["check", "tests/fixtures/invalid/multi-file"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`organization` is defined twice"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("the other is at tests/fixtures/invalid/multi-file/a.yaml:2:1"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("duplicate system id `Triage`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("a statement for `A.2.2` is written twice"),
        "{}",
        out.stderr
    );
}

#[test]
fn config_errors_point_into_aims_toml() {
    let out = run(&["check", "tests/fixtures/invalid/bad-config"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("bad-config/aims.toml:2:1"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `evidence_root`?"),
        "{}",
        out.stderr
    );
    let out = run(&["check", "tests/fixtures/invalid/unknown-rule"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown-rule/aims.toml:2:1"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `error`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn missing_path_and_bad_arguments_exit_2() {
    let out = run(&["check", "no/such/place"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("cannot open `no/such/place`: no such file"),
        "{}",
        out.stderr
    );
    assert_eq!(run(&["check", "--format", "xml"]).code, 2);
    assert_eq!(
        run(&["check", "--as-of", "tomorrow", "examples/hospital"]).code,
        2
    );
    assert_eq!(run(&["frobnicate"]).code, 2);
    let empty = tempfile::tempdir().unwrap();
    let out = run_in(empty.path(), &["check"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("aims init"), "{}", out.stderr);
}

#[test]
fn bank_example_fails_the_gate_on_its_deliberate_gaps() {
    let out = run(&["check", "--format", "json", "examples/bank"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json(&out);
    let findings = v["data"]["findings"].as_array().unwrap();
    let has = |rule: &str, needle: &str| {
        findings.iter().any(|f| {
            f["rule"] == rule
                && f["message"].as_str().unwrap().contains(needle)
                && f["waived_by"].is_null()
        })
    };
    assert!(
        has("policy/review-overdue", "model-risk-policy"),
        "{findings:#?}"
    );
    assert!(
        has("statement/unjustified-exclusion", "A.10.4"),
        "{findings:#?}"
    );
    assert!(has("nonconformity/overdue", "nc-2026-01"), "{findings:#?}");
    assert!(
        has("waiver/expired", "waiver-74-owner-2026"),
        "{findings:#?}"
    );
    // The expired waiver no longer silences the finding it covered.
    assert!(has("statement/owner-missing", "`7.4`"), "{findings:#?}");
    for f in findings {
        let loc = &f["location"];
        assert!(
            loc["line"].as_u64().unwrap() > 0,
            "finding without a line: {f}"
        );
        assert!(
            loc["file"]
                .as_str()
                .unwrap()
                .starts_with("examples/bank/aims/"),
            "{f}"
        );
    }
    assert_eq!(v["data"]["passed"], false);
    assert_eq!(v["data"]["as_of"], "2026-11-24");
}

#[test]
fn hospital_example_passes() {
    let out = run(&["check", "examples/hospital"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("ok: 1 file, 3 systems"),
        "{}",
        out.stdout
    );
}

#[test]
fn as_of_moves_every_date_judgement() {
    // Before the bank's policy fell due, there is no overdue review.
    let out = run(&[
        "check",
        "--format",
        "json",
        "--as-of",
        "2026-05-01",
        "examples/bank",
    ]);
    let v = json(&out);
    let overdue = v["data"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "policy/review-overdue");
    assert!(!overdue);
}

#[test]
fn output_is_deterministic() {
    let a = run(&["check", "--format", "json", "examples/bank"]).stdout;
    let b = run(&["check", "--format", "json", "examples/bank"]).stdout;
    assert_eq!(a, b);
}

#[test]
fn output_file_is_never_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("check.json");
    let t = target.to_str().unwrap();
    let first = run(&[
        "check",
        "--format",
        "json",
        "--output",
        t,
        "examples/hospital",
    ]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    std::fs::write(&target, "precious").unwrap();
    let again = run(&[
        "check",
        "--format",
        "json",
        "--output",
        t,
        "examples/hospital",
    ]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("already exists; pass --force"),
        "{}",
        again.stderr
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
    let forced = run(&[
        "check",
        "--format",
        "json",
        "--output",
        t,
        "--force",
        "examples/hospital",
    ]);
    assert_eq!(forced.code, 0);
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("\"command\": \"check\"")
    );
    // A failed load writes nothing.
    let failed_target = dir.path().join("failed.json");
    let failed = run(&[
        "check",
        "--format",
        "json",
        "--output",
        failed_target.to_str().unwrap(),
        "tests/fixtures/hostile/tabs.yaml",
    ]);
    assert_eq!(failed.code, 2);
    assert!(!failed_target.exists());
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temporary files left: {names:?}");
}

#[test]
fn rules_levels_and_off_apply() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aims.yaml"),
        "version: 1\norganization: {name: X}\nsystems:\n  - {id: s1, name: S1, lifecycle: operation, role: provider, eu_ai_act: {in_scope: false}}\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 0);
    let v = json(&out);
    assert_eq!(v["data"]["findings"][0]["rule"], "system/owner-missing");
    assert_eq!(v["data"]["findings"][0]["severity"], "warning");
    std::fs::write(
        dir.path().join("aims.toml"),
        "[rules]\n\"system/owner-missing\" = \"error\"\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "an error-level finding fails the default gate");
    std::fs::write(
        dir.path().join("aims.toml"),
        "[rules]\n\"system/owner-missing\" = \"off\"\n",
    )
    .unwrap();
    let v = json(&run_in(dir.path(), &["check", "--format", "json"]));
    assert_eq!(v["data"]["findings"].as_array().unwrap().len(), 0);
    std::fs::write(
        dir.path().join("aims.toml"),
        "[gate]\ndeny = [\"warning\"]\n",
    )
    .unwrap();
    assert_eq!(run_in(dir.path(), &["check"]).code, 1);
}

#[test]
fn waivers_silence_until_they_expire_and_unused_ones_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let inv = |expires: &str, system: &str| {
        format!(
            "version: 1\norganization: {{name: X}}\nsystems:\n  - {{id: s1, name: S1, lifecycle: operation, role: deployer, eu_ai_act: {{in_scope: false}}}}\nwaivers:\n  - {{id: w1, rule: system/owner-missing, system: {system}, reason: Owner being hired, expires: {expires}}}\n"
        )
    };
    std::fs::write(dir.path().join("aims.yaml"), inv("2027-01-01", "s1")).unwrap();
    let v = json(&run_in(dir.path(), &["check", "--format", "json"]));
    assert_eq!(v["data"]["findings"][0]["waived_by"], "w1");
    assert_eq!(v["data"]["summary"]["waived"], 1);
    std::fs::write(dir.path().join("aims.yaml"), inv("2026-01-01", "s1")).unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 1);
    let rules: Vec<String> = json(&out)["data"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    assert!(
        rules.contains(&"waiver/expired".to_string())
            && rules.contains(&"system/owner-missing".to_string()),
        "{rules:?}"
    );
    std::fs::write(
        dir.path().join("aims.yaml"),
        inv("2027-01-01", "s1").replace("operation, role", "retired, role"),
    )
    .unwrap();
    let v = json(&run_in(dir.path(), &["check", "--format", "json"]));
    assert_eq!(v["data"]["findings"][0]["rule"], "waiver/unused");
}

// ---------------------------------------------------------------------------
// aims controls

#[test]
fn controls_json_lists_exactly_the_catalogue() {
    let out = run(&["controls", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = json(&out);
    let controls = v["data"]["controls"].as_array().unwrap();
    let annex: Vec<&str> = controls
        .iter()
        .filter(|c| c["kind"] == "annex-a")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(annex.len(), 38);
    assert_eq!(annex.first(), Some(&"A.2.2"));
    assert_eq!(annex.last(), Some(&"A.10.4"));
    let clauses: Vec<&str> = controls
        .iter()
        .filter(|c| c["kind"] == "clause")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(clauses.len(), 29);
    assert!(clauses.contains(&"6.1.4") && clauses.contains(&"7.5.3") && clauses.contains(&"10.2"));
    for c in controls {
        for key in [
            "id",
            "title",
            "group",
            "kind",
            "applies_to",
            "roles",
            "asks",
            "evidence",
            "freshness",
        ] {
            assert!(!c[key].is_null(), "{key} missing on {c}");
        }
    }
    let a628 = controls.iter().find(|c| c["id"] == "A.6.2.8").unwrap();
    assert_eq!(a628["title"], "AI system recording of event logs");
    assert_eq!(a628["group"], "A.6");
}

#[test]
fn one_control_in_full_and_a_typo() {
    let out = run(&["controls", "A.5.4"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.starts_with(
            "A.5.4 Assessing AI system impact on individuals or groups of individuals"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Evidence an auditor looks for"),
        "{}",
        out.stdout
    );
    let out = run(&["controls", "A.5.9"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("did you mean"), "{}", out.stderr);
}

#[test]
fn controls_table_fits_and_overlays_show_up() {
    let out = run(&["controls"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.lines().all(|l| l.chars().count() <= 100),
        "table wider than 100 columns"
    );
    assert!(
        out.stdout.contains("29 clauses, 38 Annex A controls."),
        "{}",
        out.stdout
    );
    let out = run(&["controls", "--path", "examples/bank", "--format", "json"]);
    let v = json(&out);
    let custom: Vec<&Value> = v["data"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "custom")
        .collect();
    assert!(!custom.is_empty(), "the bank adds custom controls");
}

// ---------------------------------------------------------------------------
// aims rules

#[test]
fn rules_list_and_explain() {
    let out = run(&["rules"]);
    assert!(out.stdout.contains("policy/review-overdue"));
    let out = run(&["rules", "waiver/unused"]);
    assert!(out.stdout.contains("How to fix"), "{}", out.stdout);
    assert_eq!(run(&["rules", "waiver/unusd"]).code, 2);
}

// ---------------------------------------------------------------------------
// aims init

#[test]
fn init_then_check_works_and_a_second_init_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["init", "--name", "Acme Ltd"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for f in [
        "aims.toml",
        "aims.yaml",
        "aims.schema.json",
        "docs/ai-policy.md",
    ] {
        assert!(dir.path().join(f).is_file(), "{f} not written");
    }
    let yaml = std::fs::read_to_string(dir.path().join("aims.yaml")).unwrap();
    assert!(yaml.starts_with("# yaml-language-server: $schema=./aims.schema.json"));
    assert!(yaml.contains("name: \"Acme Ltd\""));
    let check = run_in(dir.path(), &["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(
        check.stdout.contains("0 errors, 3 warnings"),
        "{}",
        check.stdout
    );

    let before = std::fs::read(dir.path().join("aims.yaml")).unwrap();
    std::fs::remove_file(dir.path().join("aims.toml")).unwrap();
    let again = run_in(dir.path(), &["init"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("changed nothing"), "{}", again.stderr);
    assert!(
        !dir.path().join("aims.toml").exists(),
        "no file written when any exists"
    );
    assert_eq!(std::fs::read(dir.path().join("aims.yaml")).unwrap(), before);
}

// ---------------------------------------------------------------------------
// aims schema

fn validator() -> jsonschema::Validator {
    let out = run(&["schema"]);
    assert_eq!(out.code, 0);
    let schema: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::draft202012::new(&schema).expect("a valid JSON Schema")
}

#[test]
fn schema_accepts_every_example_file() {
    let v = validator();
    let mut files = vec![root().join("examples/hospital/aims.yaml")];
    for e in std::fs::read_dir(root().join("examples/bank/aims")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            files.push(p);
        }
    }
    assert!(files.len() >= 3);
    for f in files {
        let doc = yaml_to_json(&std::fs::read_to_string(&f).unwrap());
        let errors: Vec<String> = v
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", f.display());
    }
    let init_dir = tempfile::tempdir().unwrap();
    run_in(init_dir.path(), &["init"]);
    let doc = yaml_to_json(&std::fs::read_to_string(init_dir.path().join("aims.yaml")).unwrap());
    assert!(v.is_valid(&doc));
}

#[test]
fn schema_rejects_unknown_keys_and_bad_values() {
    let v = validator();
    let good = yaml_to_json("version: 1\norganization: {name: X}\n");
    assert!(v.is_valid(&good));
    for bad in [
        "version: 1\norganization: {name: X}\nsytems: []\n",
        "version: 1\norganization: {name: X, colour: red}\n",
        "systems: [{id: a, name: A, lifecycle: sunset, role: deployer}]\n",
        "risks: [{id: r, title: R, likelihood: 6, impact: 1}]\n",
        "policies: [{id: p, title: P, approved: 01/02/2026}]\n",
    ] {
        assert!(!v.is_valid(&yaml_to_json(bad)), "schema accepted:\n{bad}");
    }
}

/// Unquoted clause ids that YAML reads as numbers (`10.10` is 10.1 to it).
const NUMBER_LIKE: &[&str] = &["10.10", "4.10", "04.1", "4.1e0", "+4.1", "6.10", "0x4"];

#[test]
fn number_like_clause_ids_name_exactly_what_was_written() {
    // Each alone: none may load as another clause (4.10 as 4.1, exit 0).
    let dir = tempfile::tempdir().unwrap();
    for id in NUMBER_LIKE {
        let p = dir.path().join("aims.yaml");
        std::fs::write(
            &p,
            format!(
                "version: 1\norganization:\n  name: N\ncontrols:\n  {id}: {{status: planned}}\n"
            ),
        )
        .unwrap();
        let out = run(&["check", p.to_str().unwrap()]);
        assert_eq!(out.code, 2, "{id}: {}", out.stderr);
        let want = format!(
            "error[load/unknown-control]: `{id}` is not a control or clause in the catalogue"
        );
        assert!(out.stderr.contains(&want), "{id}: {}", out.stderr);
        assert!(out.stderr.contains("aims.yaml:5:3"), "{id}: {}", out.stderr);
        assert!(
            out.stderr.contains("1 problem to fix"),
            "{id}: {}",
            out.stderr
        );
    }

    // All together, with a per-system statement and a risk's list of ids.
    let out = run(&[
        "check",
        "tests/fixtures/invalid/number-like-clause-ids.yaml",
    ]);
    assert_eq!(out.code, 2);
    for (line, id) in NUMBER_LIKE.iter().enumerate() {
        let place = format!("number-like-clause-ids.yaml:{}:3", line + 7);
        let at = out
            .stderr
            .find(&place)
            .unwrap_or_else(|| panic!("no {place} in\n{}", out.stderr));
        let block = &out.stderr[out.stderr[..at].rfind("error[").unwrap()..at];
        assert!(
            block.contains(&format!("`{id}` is not a control or clause")),
            "{place}: {block}"
        );
    }
    assert!(
        out.stderr
            .contains("system `s1` has a statement for `6.1.20`, which is not in the catalogue"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("`controls` names `4.10`, which is not a control or clause"),
        "{}",
        out.stderr
    );
    // Written differently, they are different keys: none is a duplicate.
    assert!(!out.stderr.contains("duplicate"), "{}", out.stderr);
    assert!(out.stderr.contains("9 problems to fix"), "{}", out.stderr);
}

#[test]
fn unquoted_clause_ids_still_load() {
    let out = run(&["check", "tests/fixtures/valid/clause-ids.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("3 statements"), "{}", out.stdout);
    let out = run(&[
        "gap",
        "--format",
        "json",
        "tests/fixtures/valid/clause-ids.yaml",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = json(&out);
    let controls = v["data"]["controls"].as_array().unwrap();
    for id in ["4.1", "6.1.2", "10.2"] {
        let c = controls.iter().find(|c| c["id"] == id).unwrap();
        assert_eq!(c["reason"], "planned", "{id}: {c}");
    }
}

#[test]
fn several_wrong_fields_in_one_item_are_all_reported() {
    let out = run(&["check", "tests/fixtures/invalid/several-per-item.yaml"]);
    assert_eq!(out.code, 2);
    for (place, words) in [
        ("several-per-item.yaml:8:16", "unknown value `operational`"),
        ("several-per-item.yaml:9:11", "unknown value `deployr`"),
        ("several-per-item.yaml:10:14", "`yesterday` is not a date"),
        (
            "several-per-item.yaml:12:19",
            "unknown value `creditworthyness`",
        ),
        ("several-per-item.yaml:13:13", "unknown value `maybe`"),
        ("several-per-item.yaml:17:17", "9 is out of range"),
        (
            "several-per-item.yaml:18:13",
            "string \"high\", expected a whole number",
        ),
        ("several-per-item.yaml:19:5", "missing field `title`"),
    ] {
        let at = out
            .stderr
            .find(place)
            .unwrap_or_else(|| panic!("no {place} in\n{}", out.stderr));
        let block = &out.stderr[out.stderr[..at].rfind("error[").unwrap()..at];
        assert!(
            block.contains(words),
            "{place}: expected {words:?} in {block}"
        );
    }
    // Dropping a bad field to look further never reports that field as missing.
    assert!(
        !out.stderr.contains("missing field `lifecycle`")
            && !out.stderr.contains("missing field `role`")
    );
    assert!(out.stderr.contains("9 problems to fix"), "{}", out.stderr);
}

/// The README's rules table is the registry's (`aims rules --format
/// markdown`): a rule added, renamed or reworded without regenerating the
/// README fails here.
#[test]
fn readme_rules_table_is_generated_from_the_registry() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("<!-- rules:start")
        .expect("README has a rules:start marker");
    let body = &readme[readme[start..].find('\n').unwrap() + start + 1..];
    let end = body.find("<!-- rules:end -->").expect("rules:end marker");
    let out = run(&["rules", "--format", "markdown"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        &body[..end],
        out.stdout,
        "the README's rules table differs from `aims rules --format markdown`; paste its output between the markers"
    );
    assert!(out.stdout.lines().count() > 2 + 30);
}

#[test]
fn tables_are_as_wide_as_columns_says() {
    let widest = |columns: Option<&str>| {
        let mut c = aims();
        c.args(["controls"]);
        match columns {
            Some(w) => c.env("COLUMNS", w),
            None => c.env_remove("COLUMNS"),
        };
        let o = c.output().expect("runs");
        assert_eq!(o.status.code(), Some(0));
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter(|l| l.starts_with(['│', '┌', '└']))
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
    };
    // In a pipe without COLUMNS, 100 columns; COLUMNS narrows or widens it.
    assert_eq!(widest(None), 100);
    assert!(widest(Some("60")) <= 60, "{}", widest(Some("60")));
    assert!(widest(Some("140")) > 100, "{}", widest(Some("140")));
    // A width too small to lay out a table, or not a number, is ignored.
    assert_eq!(widest(Some("5")), 100);
    assert_eq!(widest(Some("wide")), 100);
}
