//! One mistake is one error: an item that cannot be read still answers for
//! its references, and a file that does not parse makes references into it
//! unknown, not broken.

mod common;

use common::*;
use serde_json::Value;

/// The load errors of `aims check --format json` on a fixture (exit 2).
fn errors(path: &str) -> Vec<Value> {
    let out = run(&["check", "--format", "json", path]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let v: Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout));
    v["data"]["errors"].as_array().unwrap().clone()
}

/// (rule, message, line, help) of each error.
fn brief(errors: &[Value]) -> Vec<(String, String, u64, String)> {
    errors
        .iter()
        .map(|e| {
            (
                e["rule"].as_str().unwrap().to_string(),
                e["message"].as_str().unwrap().to_string(),
                e["location"]["line"].as_u64().unwrap_or(0),
                e["help"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

const F: &str = "tests/fixtures/cascade";

#[test]
fn the_fixture_without_typos_loads() {
    let out = run(&["check", "--format", "json", &format!("{F}/base.yaml")]);
    assert_ne!(out.code, 2, "{}", out.stderr);
}

#[test]
fn a_typo_in_a_role_is_one_error_and_its_references_resolve() {
    // `titel:` for `title:`: not also "missing field `title`", and not one
    // broken reference for each of the six places that name `cro`.
    let e = brief(&errors(&format!("{F}/role-typo.yaml")));
    assert_eq!(
        e,
        [(
            "load/unknown-field".into(),
            "unknown field `titel` in a role `cro`".into(),
            7,
            "did you mean `title`?".into()
        )]
    );
}

#[test]
fn references_are_still_checked_beside_a_broken_item() {
    let e = brief(&errors(&format!(
        "{F}/role-typo-and-a-broken-reference.yaml"
    )));
    assert_eq!(e.len(), 2, "{e:#?}");
    assert_eq!(e[0].1, "unknown field `titel` in a role `cro`");
    assert_eq!(
        e[1].1,
        "`systems` names system `nosuch`, which is not defined"
    );
}

#[test]
fn an_unknown_field_in_a_system_is_one_error_and_its_references_resolve() {
    let e = brief(&errors(&format!("{F}/system-unknown-field.yaml")));
    assert_eq!(
        e,
        [(
            "load/unknown-field".into(),
            "unknown field `nmae` in a system `triage`".into(),
            16,
            "did you mean `name`?".into()
        )]
    );
}

#[test]
fn an_unknown_enum_value_in_a_system_is_one_error_and_its_references_resolve() {
    let e = brief(&errors(&format!("{F}/system-bad-enum.yaml")));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].0, "load/invalid");
    assert_eq!(
        e[0].1,
        "a system `triage`: unknown value `production`, expected one of `design`, `development`, `verification`, `deployment`, `operation`, `retired`"
    );
    assert_eq!(e[0].2, 18);
}

#[test]
fn two_typos_in_one_item_are_two_errors() {
    let e = brief(&errors(&format!("{F}/system-two-typos.yaml")));
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(e[0].1.contains("unknown value `production`"), "{e:#?}");
    assert!(e[1].1.contains("unknown value `deployr`"), "{e:#?}");
    assert_eq!((e[0].2, e[1].2), (18, 19));
    assert_eq!(e[1].3, "did you mean `deployer`?");
    // An unknown field after a bad value is found too (serde stops at the
    // first error, so it takes another look).
    let e = brief(&errors(&format!("{F}/system-enum-and-field.yaml")));
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(e[0].1.contains("unknown value `production`"), "{e:#?}");
    assert_eq!(e[1].1, "unknown field `ownr` in a system `triage`");
    assert_eq!(e[1].3, "did you mean `owner`?");
}

#[test]
fn an_item_with_a_wrong_value_still_checks_its_own_references() {
    let e = brief(&errors(&format!("{F}/system-wrong-type-broken-owner.yaml")));
    assert_eq!(e.len(), 2, "{e:#?}");
    assert_eq!(e[0].1, "`owner` names role `nobody`, which is not defined");
    assert_eq!(
        e[1].1,
        "a system `triage`: `yesterday` is not a date: write it as YYYY-MM-DD, for example 2026-03-01"
    );
}

#[test]
fn a_syntax_error_in_one_file_of_several_is_one_error() {
    // systems.yaml defines the roles and systems that organization.yaml and
    // records.yaml name: while it does not parse, those references are
    // unknown, not broken.
    let e = brief(&errors(&format!("{F}/multi-file")));
    assert_eq!(
        e,
        [(
            "load/yaml".into(),
            format!("invalid YAML in `{F}/multi-file/systems.yaml`: unclosed quote"),
            13,
            "until it parses, references to what it defines are not checked".into()
        )]
    );
}

#[test]
fn a_date_off_the_calendar_says_which_part_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(fixture("cascade/base.yaml")).unwrap();
    let text = base.replace("date: 2026-01-10", "date: 2026-13-01");
    std::fs::write(dir.path().join("aims.yaml"), text).unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let e = brief(v["data"]["errors"].as_array().unwrap());
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(
        e[0].1,
        "an impact assessment `ia1`: `2026-13-01` is not a date: month 13 does not exist (months run from 01 to 12)"
    );
}

#[test]
fn a_mis_indented_line_says_so_and_shows_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aims.yaml"),
        "version: 1\norganization:\n  name: X\n   scope: all of it\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("line 4 is indented by 3 spaces but the line above by 2 spaces, so YAML reads it as part of the value of `name:`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("help: indent it like `name:` on line 3: `  scope: all of it`"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.matches("error[").count(), 1, "{}", out.stderr);
}

#[test]
fn keys_of_a_section_left_at_the_margin_are_one_error_per_section() {
    // `organization:` and `controls:` with their keys not indented: not
    // "`organization` is null" plus an unknown top-level key for each line.
    let e = brief(&errors(&format!("{F}/not-indented.yaml")));
    assert_eq!(
        e,
        [
            (
                "load/invalid".into(),
                "`name` belongs under `organization:` but is not indented".into(),
                3,
                "indent `name:` and the lines of `organization` after it by 2 spaces".into()
            ),
            (
                "load/invalid".into(),
                "`A.2.2` belongs under `controls:` but is not indented".into(),
                9,
                "indent `A.2.2:` and the lines of `controls` after it by 2 spaces".into()
            ),
        ]
    );
}
