//! `aims gap --baseline FILE --format pr`: the pull-request comment shows
//! what changed, escapes user text, and stays under GitHub's limit.

mod common;

#[allow(dead_code)]
#[path = "../examples/gen-inventory.rs"]
mod gen_inventory;

use common::*;

const LIMIT: usize = 65_536;

fn pr(dir: &std::path::Path, args: &[&str]) -> Out {
    let mut a = vec!["gap", "--format", "pr", "--as-of", "2026-11-24"];
    a.extend_from_slice(args);
    run_in(dir, &a)
}

#[test]
fn the_comment_shows_the_score_then_and_now_and_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("hospital.json");
    let out = run(&[
        "gap",
        "--format",
        "json",
        "--as-of",
        "2026-11-24",
        "examples/hospital",
    ]);
    std::fs::write(&baseline, &out.stdout).unwrap();
    // The bank against the hospital's baseline: levels went both ways.
    let out = pr(
        &root(),
        &["--baseline", baseline.to_str().unwrap(), "examples/bank"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let md = &out.stdout;
    let json = |p: &str| -> serde_json::Value {
        let o = run(&["gap", "--format", "json", "--as-of", "2026-11-24", p]);
        serde_json::from_str(&o.stdout).unwrap()
    };
    let (bank, hospital) = (json("examples/bank"), json("examples/hospital"));
    let before = hospital["data"]["summary"]["score"].as_f64().unwrap();
    let now = bank["data"]["summary"]["score"].as_f64().unwrap();
    assert!(
        md.contains(&format!(
            "| Score | {before:.1} | **{now:.1}** ({:+.1}) |",
            now - before
        )),
        "{md}"
    );
    assert!(md.starts_with("## ❌ aims gap: the gate fails"), "{md}");
    // Every regression is a row, as the gate prints them.
    let regressions: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("regression: "))
        .collect();
    assert!(!regressions.is_empty());
    assert!(
        md.contains(&format!("Regressions ({})", regressions.len())),
        "{md}"
    );
    assert!(
        md.contains("| `6.2` | organisation | effective | missing |"),
        "{md}"
    );
    for section in ["Improvements (", "New findings (", "Resolved findings ("] {
        assert!(md.contains(section), "{section}");
    }
    // Collapsed details, balanced.
    assert_eq!(
        md.matches("<details").count(),
        md.matches("</details>").count()
    );
    assert!(md.contains("<details><summary><b>New findings"));
    // The same inventory as its own baseline: nothing changed, it passes.
    let hb = dir.path().join("self.json");
    std::fs::write(&hb, serde_json::to_string(&hospital).unwrap()).unwrap();
    let same = pr(
        &root(),
        &["--baseline", hb.to_str().unwrap(), "examples/hospital"],
    );
    assert_eq!(same.code, 0, "{}", same.stderr);
    assert!(same.stdout.starts_with("## ✅"), "{}", same.stdout);
    assert!(same.stdout.contains("Regressions (0)"));
    assert!(same.stdout.contains("New findings (0)"));
    assert!(same.stdout.contains("| Score | "));
}

#[test]
fn a_new_finding_and_a_resolved_one_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let write = |yaml: &str| std::fs::write(dir.path().join("aims.yaml"), yaml).unwrap();
    let head = "version: 1\norganization:\n  name: Ex <img src=x> | co\ncontrols:\n";
    write(&format!("{head}  A.10.2:\n    applicable: false\n"));
    let base = run_in(
        dir.path(),
        &["gap", "--format", "json", "--as-of", "2026-11-24"],
    );
    std::fs::write(dir.path().join("base.json"), &base.stdout).unwrap();
    write(&format!("{head}  A.10.3:\n    applicable: false\n"));
    let out = pr(dir.path(), &["--baseline", "base.json"]);
    assert_eq!(out.code, 1);
    let md = &out.stdout;
    assert!(md.contains("New findings (1)"), "{md}");
    assert!(md.contains("Resolved findings (1)"), "{md}");
    assert!(
        md.contains("`statement/unjustified-exclusion` `A.10.3`"),
        "{md}"
    );
    assert!(
        md.contains("~~error~~ `statement/unjustified-exclusion` `A.10.2`"),
        "{md}"
    );
    // The organisation's name is text, not markup.
    assert!(!md.contains("<img"), "{md}");
    assert!(md.contains("Ex &lt;img"), "{md}");
}

#[test]
fn without_a_baseline_the_comment_says_so() {
    let out = pr(&root(), &["examples/bank"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("No baseline was given"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Denied findings (7)"), "{}", out.stdout);
}

#[test]
fn a_big_inventory_stays_under_githubs_limit_and_counts_what_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("inv");
    gen_inventory::generate(&inv, 1500, 200_000).unwrap();
    let base = run_in(&inv, &["gap", "--format", "json", "--as-of", "2026-11-24"]);
    assert!(base.code == 0 || base.code == 1, "{}", base.stderr);
    std::fs::write(dir.path().join("base.json"), &base.stdout).unwrap();
    // Every cited file gone: every evidenced level goes down, and each
    // citation is a new finding.
    for sub in ["docs", "records"] {
        let p = inv.join(sub);
        if p.exists() {
            std::fs::remove_dir_all(&p).unwrap();
        }
    }
    let b = dir.path().join("base.json");
    let out = pr(&inv, &["--baseline", b.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let md = &out.stdout;
    let units = md.encode_utf16().count();
    assert!(units <= LIMIT, "{units} UTF-16 units");
    assert!(units > LIMIT / 2, "the space is used: {units}");
    let regressions = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("regression: "))
        .count();
    assert!(regressions > 1000, "{regressions}");
    // The count of what was left out is right: shown rows + left out = all.
    let shown_rows = md.lines().filter(|l| l.starts_with("| `")).count();
    let shown_items = md.lines().filter(|l| l.starts_with("- ")).count();
    let left: usize = md
        .lines()
        .find_map(|l| {
            l.split_once(" lines were left out")
                .map(|(n, _)| n.parse().unwrap())
        })
        .expect("a count of what was left out");
    let total: usize = [
        "Regressions (",
        "New findings (",
        "Resolved findings (",
        "Improvements (",
    ]
    .iter()
    .map(|s| {
        let at = md.find(s).unwrap() + s.len();
        md[at..]
            .split(')')
            .next()
            .unwrap()
            .parse::<usize>()
            .unwrap()
    })
    .sum();
    assert_eq!(shown_rows + shown_items + left, total, "{}", &md[..2000]);
    assert_eq!(
        md.matches("<details").count(),
        md.matches("</details>").count()
    );
}
