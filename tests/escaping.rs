//! User text is escaped for every output it reaches: terminal sequences
//! never reach a terminal raw (the real binary, every command), Markdown
//! cannot be broken out of, and catalogue overlay group ids are validated
//! at load. Fixtures: `tests/fixtures/injection/` (loads; hostile text
//! everywhere), its `bad-group/` (a hostile overlay group id) and
//! `load-errors/` (raw control bytes and hostile ids in load errors).

mod common;

use common::*;

const INJ: &str = "tests/fixtures/injection";
const BAD_GROUP: &str = "tests/fixtures/injection/bad-group";
const LOAD_ERRORS: &str = "tests/fixtures/injection/load-errors";

/// Characters a terminal acts on: C0 controls but line breaks, DEL, C1
/// controls, and bidirectional embeddings, overrides and isolates.
fn raw_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| {
            matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
                && !matches!(c, '\n' | '\r')
        })
        .collect()
}

fn assert_inert(what: &str, o: &Out) {
    for (stream, text) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        let raw = raw_controls(text);
        assert!(
            raw.is_empty(),
            "{what}: {stream} has raw control characters {raw:?}:\n{}",
            text.escape_debug()
        );
    }
}

fn with_as_of<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut v = args.to_vec();
    v.extend(["--as-of", "2026-11-24"]);
    v
}

#[test]
fn no_command_lets_user_text_drive_the_terminal() {
    let commands: &[&[&str]] = &[
        &["check", INJ],
        &["check", "--format", "json", INJ],
        &["check", "--format", "sarif", INJ],
        &["gap", INJ],
        &["gap", "--format", "markdown", INJ],
        &["gap", "--format", "json", INJ],
        &["gap", "--format", "junit", INJ],
        &["gap", "--format", "sarif", INJ],
        &["classify", INJ],
        &["classify", "--format", "json", INJ],
        &["risks", INJ],
        &["readiness", INJ],
        &["readiness", "--format", "markdown", INJ],
        &["plan", INJ],
        &["plan", "--format", "json", INJ],
        &["map", "--to", "eu-ai-act", "--format", "markdown", INJ],
        &["report", "--format", "markdown", INJ],
        &["report", INJ],
        &["soa", INJ],
        &["soa", "--format", "html", INJ],
        &["soa", "--format", "csv", INJ],
        &["soa", "--format", "json", INJ],
    ];
    for args in commands {
        let o = run(&with_as_of(args));
        assert!(o.code <= 1, "{args:?} exit {}: {}", o.code, o.stderr);
        assert_inert(&format!("{args:?}"), &o);
    }
    // `controls` takes the AIMS with --path, and has no dates.
    for args in [
        &["controls", "--path", INJ][..],
        &["controls", "INJ.1", "--path", INJ],
        &["controls", "INJ.1", "--path", INJ, "--format", "json"],
    ] {
        let o = run(args);
        assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
        assert_inert(&format!("{args:?}"), &o);
    }

    // The hostile text is shown, as escapes, not dropped.
    let check = run(&with_as_of(&["check", INJ]));
    assert!(
        check.stdout.contains(
            "(\\u{1b}[2K\\u{1b}[1A\\u{1b}[1;32mok\\u{1b}[0m: nothing to report\\u{1b}[8m)"
        ),
        "the policy title, on its own finding's line:\n{}",
        check.stdout
    );
    assert!(
        check
            .stdout
            .contains("evidence `docs/\\u{1b}7\\u{1b}8\\u{7}\\u{202e}gnp.md` does not exist"),
        "the file name:\n{}",
        check.stdout
    );
    assert!(check.stdout.lines().last().unwrap().starts_with("failed: "));
    let gap = run(&with_as_of(&["gap", INJ]));
    assert!(
        gap.stdout.lines().next().unwrap().ends_with(
            "Injection & Co \\u{1b}]8;;https://evil.example/\\u{1b}\\click me\\u{1b}]8;;\\u{1b}\\\\u{7}"
        ),
        "the organisation's name, with its hyperlink shown:\n{}",
        gap.stdout
    );
    assert!(gap.stdout.contains("Injected \\u{1b}[2J\\u{1b}[H group"));
    let classify = run(&with_as_of(&["classify", INJ]));
    assert!(classify.stdout.contains("\\u{7}\\u{202e}gnp.exe\\u{202c}"));
    let risks = run(&["risks", INJ]);
    // Shown escaped (the table may wrap the title between the two).
    assert!(
        risks.stdout.contains("\\u{2066}\\u{202e}isolate\\u{2069}")
            && risks.stdout.contains("\\u{9b}2J"),
        "{}",
        risks.stdout
    );
    let controls = run(&["controls", "INJ.1", "--path", INJ]);
    assert!(
        controls
            .stdout
            .starts_with("INJ.1 \\u{1b}[1A\\u{1b}[2K<details>"),
        "{}",
        controls.stdout
    );
    assert!(controls.stdout.contains("Asks \\u{7}\\u{1b}[31m in red"));
}

#[test]
fn pack_warnings_on_stderr_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pack");
    let o = run(&with_as_of(&["pack", INJ, "--output", p.to_str().unwrap()]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_inert("pack", &o);
    assert!(
        o.stderr
            .contains("warning: left out docs/\\u{1b}7\\u{1b}8\\u{7}\\u{202e}gnp.md"),
        "{}",
        o.stderr
    );
    // The packed Markdown report is as inert as the printed one.
    let md = std::fs::read_to_string(p.join("reports/report.md")).unwrap();
    assert!(raw_controls(&md).is_empty(), "{}", md.escape_debug());
    assert_markdown_inert("pack reports/report.md", &md);
}

#[test]
fn load_errors_show_raw_bytes_and_hostile_ids_as_escapes() {
    for args in [
        &["check", LOAD_ERRORS][..],
        &["gap", LOAD_ERRORS],
        &["classify", LOAD_ERRORS],
        &["risks", LOAD_ERRORS],
        &["readiness", LOAD_ERRORS],
        &["plan", LOAD_ERRORS],
        &["controls", "--path", LOAD_ERRORS],
        &["check", "--format", "json", LOAD_ERRORS],
        &["check", "--format", "sarif", LOAD_ERRORS],
    ] {
        let o = run(args);
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert_inert(&format!("{args:?}"), &o);
    }
    let o = run(&["check", LOAD_ERRORS]);
    // The quoted line of raw.yaml, its raw bytes shown as escapes.
    assert!(
        o.stderr.contains(
            "3 |   name: \"Raw \\u{1b}[2K\\u{1b}[1A\\u{1b}[1;32mok\\u{1b}[0m: nothing to report\\u{1b}[8m \\u{7} \\u{202e}\""
        ),
        "{}",
        o.stderr
    );
    // Ids made of escape sequences, quoted in messages.
    assert!(
        o.stderr
            .contains("`lead\\u{1b}[2K\\u{1b}[1A` is not a valid id")
    );
    assert!(o.stderr.contains(
        "`p\\u{1b}]8;;https://evil.example/\\u{1b}\\x\\u{1b}]8;;\\u{1b}\\` is not a valid id"
    ));
    assert!(o.stderr.contains("`p2\\u{202e}\\u{7}` is not a valid id"));
    assert!(
        o.stderr
            .trim_end()
            .ends_with("error: could not load the inventory: 4 problems to fix"),
        "{}",
        o.stderr
    );
}

#[test]
fn colour_is_ours_only() {
    let ours = aims::render::escape::SGR;
    let strip = |s: &str| ours.iter().fold(s.to_string(), |acc, c| acc.replace(c, ""));
    for (args, stdout_colour, stderr_colour) in [
        (
            &["--color", "always", "check", INJ][..],
            "\x1b[1;31merror[",
            "-",
        ),
        (
            &["--color", "always", "gap", INJ],
            "\x1b[33mmissing",
            "\x1b[1;31mgate\x1b[0m: ",
        ),
        (
            &["--color", "always", "check", LOAD_ERRORS],
            "-",
            "\x1b[1;31merror[",
        ),
        (
            &["--color", "always", "gap", LOAD_ERRORS],
            "-",
            "\x1b[1;31merror\x1b[0m: ",
        ),
    ] {
        let o = run(&with_as_of(args));
        for (text, want) in [(&o.stdout, stdout_colour), (&o.stderr, stderr_colour)] {
            assert!(
                want == "-" || text.contains(want),
                "{args:?}: our colours are there:\n{}",
                text.escape_debug()
            );
            let rest = strip(text);
            assert!(
                raw_controls(&rest).is_empty(),
                "{args:?}: only our colour codes are raw:\n{}",
                text.escape_debug()
            );
        }
    }
    // A user's text that spells one of our codes is still escaped.
    let o = run(&with_as_of(&["--color", "always", "check", INJ]));
    assert!(
        o.stdout.contains("\\u{1b}[1;32mok\\u{1b}[0m"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("\x1b[1;31mfailed\x1b[0m: "));
}

/// Markdown with user text in it: no raw HTML, no links, no headings or
/// rows but ours, and every table row as many cells as its header.
fn assert_markdown_inert(what: &str, md: &str) {
    let lower = md.to_lowercase();
    for tag in [
        "<img", "<details", "<summary", "<script", "<iframe", "<svg", "<b ",
    ] {
        assert!(!lower.contains(tag), "{what}: raw {tag} in\n{md}");
    }
    assert!(!md.contains("](javascript:"), "{what}: a javascript: link");
    for l in md.lines() {
        assert!(
            !l.starts_with("# Heading") && !l.starts_with("# Owned"),
            "{what}: a heading from user text: {l}"
        );
    }
    // Unescaped pipes per line, for each block of table lines.
    let cells = |l: &str| {
        let b = l.as_bytes();
        (0..b.len())
            .filter(|&i| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\'))
            .count()
    };
    let mut block: Vec<&str> = Vec::new();
    for l in md.lines().chain([""]) {
        if l.starts_with('|') {
            block.push(l);
            continue;
        }
        if let Some(head) = block.first() {
            let n = cells(head);
            for row in &block {
                assert_eq!(cells(row), n, "{what}: a row with extra cells:\n{row}");
            }
        }
        block.clear();
    }
}

#[test]
fn markdown_outputs_keep_user_text_inert() {
    for args in [
        &["report", "--format", "markdown", INJ][..],
        &["soa", INJ],
        &["gap", "--format", "markdown", INJ],
        &["readiness", "--format", "markdown", INJ],
        &["plan", INJ],
    ] {
        let o = run(&with_as_of(args));
        assert!(o.code <= 1, "{args:?}: {}", o.stderr);
        assert_markdown_inert(&format!("{args:?}"), &o.stdout);
    }
}

#[test]
fn a_hostile_overlay_group_id_is_refused_at_load() {
    let o = run(&["check", BAD_GROUP]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("error[load/catalog]: `G1\\n# Owned <img src=x onerror=alert(1)>"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("is not a valid group id"), "{}", o.stderr);
    assert!(
        o.stderr
            .contains("--> tests/fixtures/injection/bad-group/extra.yaml:2:5"),
        "{}",
        o.stderr
    );
    assert_inert("check bad-group", &o);
    // No report of it is written, in any format; the JSON error names the place.
    for args in [
        &["report", "--format", "markdown", BAD_GROUP][..],
        &["report", BAD_GROUP],
        &["gap", "--format", "markdown", BAD_GROUP],
        &["soa", BAD_GROUP],
        &["plan", BAD_GROUP],
        &["controls", "--path", BAD_GROUP],
    ] {
        let o = run(&with_as_of(args));
        assert_eq!(o.code, 2, "{args:?}: {}", o.stdout);
        assert!(o.stdout.is_empty(), "{args:?}: {}", o.stdout);
        assert!(o.stderr.contains("is not a valid group id"), "{args:?}");
        assert_inert(&format!("{args:?}"), &o);
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pack");
    let o = run(&with_as_of(&[
        "pack",
        BAD_GROUP,
        "--output",
        p.to_str().unwrap(),
    ]));
    assert_eq!(o.code, 2);
    assert!(!p.exists(), "no pack with the hostile group in its report");
    let o = run(&["check", "--format", "json", BAD_GROUP]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let e = v["data"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["rule"] == "load/catalog")
        .expect("a load/catalog error");
    assert_eq!(
        e["location"]["file"],
        "tests/fixtures/injection/bad-group/extra.yaml"
    );
    assert_eq!(e["location"]["line"], 2);
    assert_eq!(e["location"]["column"], 5);
}

#[test]
fn csv_formulas_are_neutralised_after_leading_white_space() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aims.yaml"),
        "version: 1\norganization:\n  name: CSV Ltd\n  aims_owner: lead\nroles:\n  - {id: lead, title: Lead}\ncontrols:\n  A.10.4:\n    applicable: false\n    justification: \"   =HYPERLINK(\\\"https://evil.example\\\",\\\"click\\\")\"\n  A.10.3:\n    applicable: false\n    justification: \"\\t@SUM(1+1)\"\n  A.10.2:\n    applicable: false\n    justification: \"\\u00a0+cmd|' /C calc'!A0\"\n",
    )
    .unwrap();
    let o = run(&with_as_of(&[
        "soa",
        "--format",
        "csv",
        dir.path().to_str().unwrap(),
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let row = |id: &str| {
        o.stdout
            .lines()
            .find(|l| l.starts_with(&format!("\"{id}\"")))
            .unwrap_or_else(|| panic!("no row {id}"))
            .to_string()
    };
    assert!(
        row("A.10.4").contains(",\"'   =HYPERLINK(\"\"https://evil.example\"\",\"\"click\"\")\","),
        "{}",
        row("A.10.4")
    );
    assert!(
        row("A.10.3").contains(",\"'\t@SUM(1+1)\","),
        "{}",
        row("A.10.3")
    );
    assert!(
        row("A.10.2").contains(",\"'\u{a0}+cmd|' /C calc'!A0\","),
        "{}",
        row("A.10.2")
    );
}

#[test]
fn init_refuses_a_name_with_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["Evil\x1b[2K Ltd", "Evil\u{202e} Ltd", "Two\nlines"] {
        let o = run(&["init", "--name", name, dir.path().to_str().unwrap()]);
        assert_eq!(o.code, 2, "{name:?}: {}", o.stderr);
        assert!(o.stderr.contains("--name cannot contain"), "{}", o.stderr);
        assert_inert("init", &o);
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
