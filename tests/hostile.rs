//! Hostile input: every case exits 2 with a clear message and a place, in
//! bounded time, and never panics.

mod common;

use std::time::{Duration, Instant};

use common::*;

/// (fixture, expected words in the message, expected `file:line:column` suffix or "")
const CASES: &[(&str, &str, &str)] = &[
    ("alias-bomb.yaml", "alias", ":7:10"),
    ("deep-nesting.yaml", "recursion limit", ":2:"),
    ("deep-block-nesting.yaml", "deeper than 64 levels", ":66:"),
    (
        "invalid-utf8.yaml",
        "not valid UTF-8",
        "invalid-utf8.yaml:3:9",
    ),
    ("utf16.yaml", "UTF-16", "utf16.yaml:1:1"),
    ("bom.yaml", "unknown field `nmae`", "bom.yaml:4:3"),
    ("crlf.yaml", "unknown field `scoep`", "crlf.yaml:4:3"),
    ("tabs.yaml", "line 3 is indented with a tab", "tabs.yaml:3:"),
    ("empty.yaml", "is empty", "empty.yaml:1:1"),
    ("comments-only.yaml", "is empty", "comments-only.yaml:1:1"),
    (
        "not-a-mapping.yaml",
        "must be a mapping",
        "not-a-mapping.yaml:1:1",
    ),
    ("binary.yaml", "not valid UTF-8", "binary.yaml:2:"),
    (
        "unterminated.yaml",
        "unclosed quote",
        "unterminated.yaml:3:9",
    ),
    (
        "duplicate-keys.yaml",
        "duplicate key `scope`",
        "duplicate-keys.yaml:5:3",
    ),
    (
        "multi-document.yaml",
        "more than one YAML document",
        "multi-document.yaml:2:1",
    ),
    ("long-line.yaml", "must be a list", "long-line.yaml:5:8"),
];

/// Inputs kept from the fuzz targets (see `fuzz/README.md`): none crashed,
/// hung or blew memory; each was picked from the fuzz corpus for giving a
/// diagnostic no other fixture gives. A folder holds an `aims.toml` (and an
/// overlay) beside a valid inventory. (fixture, message words, place)
const FUZZ_CASES: &[(&str, &str, &str)] = &[
    (
        "fuzz-control-char.yaml",
        "unexpected character: `\\u{0}'",
        "fuzz-control-char.yaml:1:21",
    ),
    (
        "fuzz-mapping-in-scalar.yaml",
        "mapping values are not allowed in this context",
        "fuzz-mapping-in-scalar.yaml:3:8",
    ),
    (
        "fuzz-simple-key.yaml",
        "simple key expected ':'",
        "fuzz-simple-key.yaml:2:1",
    ),
    (
        "fuzz-alias-replay.yaml",
        "alias replay limit exceeded",
        "fuzz-alias-replay.yaml:7:10",
    ),
    (
        "fuzz-unknown-anchor.yaml",
        "alias references unknown anchor",
        "fuzz-unknown-anchor.yaml:3:19",
    ),
    (
        "fuzz-block-mapping.yaml",
        "line 4 is indented by 1 space, which lines up with no key or list item above it",
        "fuzz-block-mapping.yaml:4:2",
    ),
    (
        "fuzz-document-start.yaml",
        "did not find expected <document start>",
        "fuzz-document-start.yaml:7:1",
    ),
    (
        "fuzz-trailing-after-quote.yaml",
        "invalid trailing content after double-quoted scalar",
        "fuzz-trailing-after-quote.yaml:6:10",
    ),
    (
        "fuzz-invalid-role-id.yaml",
        "a role `lead\\u{1b}[2K\\u{1b}[1A`: `lead\\u{1b}[2K\\u{1b}[1A` is not a valid id",
        "fuzz-invalid-role-id.yaml:2:9",
    ),
    (
        "fuzz-unclosed-brace.yaml",
        "unclosed bracket '{'",
        "fuzz-unclosed-brace.yaml:12:10",
    ),
    (
        "fuzz-config-key-without-value",
        "invalid aims.toml: key with no value, expected `=`",
        "fuzz-config-key-without-value/aims.toml:2:3",
    ),
    (
        "fuzz-config-unknown-key",
        "invalid aims.toml: unknown field `rulesYYYYYe`",
        "fuzz-config-unknown-key/aims.toml:1:2",
    ),
    (
        // A missing overlay has no line of its own: the place shown is the
        // `extra` entry of aims.toml that names it.
        "fuzz-config-missing-overlay",
        "fuzz-config-missing-overlay/extra.yam@l`: it does not exist",
        "fuzz-config-missing-overlay/aims.toml:2:1",
    ),
    (
        "fuzz-overlay-bad-group-id",
        "is not a valid group id",
        "fuzz-overlay-bad-group-id/extra.yaml:2:5",
    ),
    (
        "fuzz-overlay-missing-field",
        "the catalogue overlay: missing field `title`",
        "fuzz-overlay-missing-field/extra.yaml:2:5",
    ),
];

#[test]
fn every_fuzz_input_exits_2_with_a_place() {
    for (file, words, place) in FUZZ_CASES {
        let path = format!("tests/fixtures/hostile/{file}");
        for args in [
            vec!["check", path.as_str()],
            vec!["gap", "--format", "json", path.as_str()],
        ] {
            let start = Instant::now();
            let out = run_within(Duration::from_secs(20), &args);
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{file} took {:?}",
                start.elapsed()
            );
            assert!(!out.stderr.contains("panicked"), "{file}: {}", out.stderr);
            assert_refused(&format!("{file} {args:?}"), &out, words, place);
            assert!(
                out.stderr.contains("could not load the inventory"),
                "{file}: {}",
                out.stderr
            );
        }
    }
}

/// Exit 2, the expected words, and the expected `file:line:column` place.
fn assert_refused(what: &str, out: &Out, words: &str, place: &str) {
    assert_eq!(out.code, 2, "{what}: {}", out.stderr);
    assert!(
        out.stderr.contains(words),
        "{what}: expected {words:?} in\n{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(place),
        "{what}: expected place {place:?} in\n{}",
        out.stderr
    );
}

#[test]
fn every_hostile_fixture_exits_2_with_a_place() {
    for (file, words, place) in CASES {
        let path = format!("tests/fixtures/hostile/{file}");
        let start = Instant::now();
        let out = run(&["check", &path]);
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{file} took {:?}",
            start.elapsed()
        );
        assert_refused(file, &out, words, place);
        assert!(
            out.stdout.is_empty(),
            "{file}: nothing on stdout in human mode"
        );
    }
}

#[test]
fn every_fixture_in_the_folder_is_covered() {
    // Every YAML file, and every `fuzz-` folder (the other folder,
    // `dir-as-file`, has its own test).
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture("hostile"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") || n.starts_with("fuzz-"))
        .collect();
    on_disk.sort();
    let mut covered: Vec<String> = CASES
        .iter()
        .chain(FUZZ_CASES)
        .map(|c| c.0.to_string())
        .collect();
    covered.sort();
    assert_eq!(on_disk, covered);
}

#[test]
fn duplicate_keys_name_both_places() {
    let out = run(&["check", "tests/fixtures/hostile/duplicate-keys.yaml"]);
    assert!(
        out.stderr
            .contains("the first is at tests/fixtures/hostile/duplicate-keys.yaml:4:3"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("duplicate key `roles`"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_folder_where_a_file_should_be() {
    let out = run(&["check", "tests/fixtures/hostile/dir-as-file"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is a folder, not a file"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_file_of_hundreds_of_megabytes_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("huge.yaml");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(300 * 1024 * 1024).unwrap(); // sparse: costs no disk
    let start = Instant::now();
    let out = run(&["check", big.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("300 MiB; the limit is 64 MiB"),
        "{}",
        out.stderr
    );
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn many_values_under_the_size_limit_parse_in_bounded_time() {
    // 1.5 million list items in 3 MB: within the node budget, must not crawl.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("wide.yaml");
    let mut s = String::from("version: 1\norganization: {name: X}\nroles: [");
    for _ in 0..1_500_000 {
        s.push_str("1,");
    }
    s.push_str("1]\n");
    std::fs::write(&p, s).unwrap();
    let start = Instant::now();
    let out = run(&["check", p.to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "took {:?}",
        start.elapsed()
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(dir.path().join("b.yaml"), dir.path().join("a.yaml")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("a.yaml"), dir.path().join("b.yaml")).unwrap();
    let out = run(&["check", dir.path().join("a.yaml").to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("symbolic links"), "{}", out.stderr);
}

#[cfg(unix)]
#[test]
fn a_fifo_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("aims.yaml");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo unavailable; skipping");
        return;
    }
    let start = Instant::now();
    let out = run(&["check", fifo.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn clean_bom_and_crlf_files_load() {
    for f in ["valid/bom.yaml", "valid/crlf.yaml", "valid/minimal.yaml"] {
        let out = run(&["check", &format!("tests/fixtures/{f}")]);
        assert_eq!(out.code, 0, "{f}: {}", out.stderr);
        assert!(out.stdout.starts_with("ok: 1 file"), "{f}: {}", out.stdout);
    }
}

/// Run `aims` in the repository root, killed at `limit` so that a
/// regression to quadratic time fails in bounded time rather than hanging.
fn run_within(limit: Duration, args: &[&str]) -> Out {
    let start = Instant::now();
    let o = aims().args(args).timeout(limit).output().expect("runs");
    let took = start.elapsed();
    assert!(
        o.status.code().is_some() && took < limit,
        "aims {args:?} did not finish within {limit:?} (killed after {took:?})"
    );
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// A mapping of `n` keys: one system with `n` fields nobody defined.
fn system_with_unknown_keys(n: usize) -> String {
    let mut s = String::from(
        "version: 1\norganization: {name: X}\nsystems:\n  - id: s\n    name: S\n    lifecycle: operation\n    role: deployer\n",
    );
    for i in 0..n {
        s.push_str(&format!("    extra_{i}: x\n"));
    }
    s
}

/// `n` high-risk systems, each with one impact assessment, written as
/// briefly as the format allows (parsing dominates a debug build's time).
fn systems_with_one_assessment_each(n: usize) -> String {
    let mut s = String::from("version: 1\norganization: {name: X}\nsystems:\n");
    for i in 0..n {
        s.push_str(&format!(
            "  - {{id: s-{i}, name: S, lifecycle: operation, role: deployer, eu_ai_act: {{annex_iii: [creditworthiness], art6_3_exception: none}}}}\n"
        ));
    }
    s.push_str("impact_assessments:\n");
    for i in 0..n {
        s.push_str(&format!(
            "  - {{id: i-{i}, system: s-{i}, date: 2026-06-01}}\n"
        ));
    }
    s
}

// Loading is linear in the number of keys of a mapping and of items in a
// list. Before, the check for repeated keys scanned every earlier key for
// each key (40,000 keys: 31 s with the release build), and the rules
// scanned every impact assessment for each system (these 20,000 systems:
// 97 s with the release build). Now a debug build takes about 2 s for the
// first and 20 s for the second, nearly all of it parsing; the limits leave
// room for a busy machine and still fail the old code many times over.

#[test]
fn a_mapping_of_40000_keys_loads_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("aims.yaml");
    std::fs::write(&p, system_with_unknown_keys(40_000)).unwrap();
    let out = run_within(Duration::from_secs(15), &["check", p.to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("unknown field `extra_0` in a system `s`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("39800 more problems not shown"),
        "{}",
        out.stderr
    );
}

#[test]
fn twenty_thousand_systems_with_an_impact_assessment_each_check_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("aims.yaml");
    std::fs::write(&p, systems_with_one_assessment_each(20_000)).unwrap();
    let out = run_within(
        Duration::from_secs(60),
        &["check", "--format", "json", p.to_str().unwrap()],
    );
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let findings = v["data"]["findings"].as_array().unwrap();
    let rules = |rule: &str| findings.iter().filter(|f| f["rule"] == rule).count();
    // Each system was judged high-risk and its assessment was found.
    assert_eq!(rules("high-risk/no-human-oversight"), 20_000);
    assert_eq!(rules("high-risk/no-impact-assessment"), 0);
    assert_eq!(rules("impact/missing"), 0);
    assert_eq!(rules("impact/unapproved"), 20_000);
}
