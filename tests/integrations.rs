//! The GitHub Action (`action.yml`) and the pre-commit hook
//! (`.pre-commit-hooks.yaml`), run as far as they can be offline: the
//! action's own shell steps with the real binary, the hook's entry with
//! the `args:` the README documents.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn action() -> Value {
    yaml_to_json(&std::fs::read_to_string(root().join("action.yml")).unwrap())
}

fn step<'a>(a: &'a Value, name: &str) -> &'a Value {
    a["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no step `{name}`"))
}

/// `bash -eo pipefail` (as GitHub runs `shell: bash`), with `aims` on PATH.
fn bash(script: &str, dir: &Path, env: &[(&str, String)]) -> std::process::Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_aims")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut c = Command::new("bash");
    c.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env("SOURCE_DATE_EPOCH", "1795478400")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("bash runs")
}

#[test]
fn the_action_keys_its_cache_on_its_sources_and_uploads_with_v4() {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    // hashFiles() sees only the workspace: never the action's own path.
    assert!(
        !text.contains("hashFiles("),
        "hashFiles cannot hash github.action_path"
    );
    assert!(text.contains("github/codeql-action/upload-sarif@v4"));
    assert!(!text.contains("upload-sarif@v3"));
    let a = action();
    assert_eq!(
        step(&a, "Cache the aims binary")["with"]["key"],
        "${{ steps.key.outputs.key }}"
    );
    // The key step, run on this repository: a key, and a different one
    // when a source changes.
    let script = step(&a, "Key of the aims binary")["run"]
        .as_str()
        .unwrap()
        .to_string();
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("action");
    for p in ["src", "controls", "templates"] {
        copy_dir(&root().join(p), &src.join(p));
    }
    for f in ["Cargo.toml", "Cargo.lock"] {
        std::fs::copy(root().join(f), src.join(f)).unwrap();
    }
    let key = |dir: &Path| {
        let out_file = tmp.path().join("out");
        let _ = std::fs::remove_file(&out_file);
        let o = bash(
            &script,
            tmp.path(),
            &[
                ("ACTION_PATH", dir.display().to_string()),
                ("GITHUB_OUTPUT", out_file.display().to_string()),
                ("RUNNER_OS", "Linux".into()),
                ("RUNNER_ARCH", "X64".into()),
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read_to_string(&out_file).unwrap()
    };
    let k1 = key(&src);
    assert!(
        k1.starts_with("key=aims-Linux-X64-") && k1.trim().len() > 30,
        "{k1}"
    );
    assert_eq!(key(&src), k1, "the same sources, the same key");
    std::fs::write(src.join("src/lib.rs"), "// changed\n").unwrap();
    assert_ne!(key(&src), k1, "a changed source, a new key");
}

#[test]
fn the_action_writes_the_pr_summary_to_the_job_summary() {
    let a = action();
    let s = step(&a, "Pull-request summary");
    let script = s["run"].as_str().unwrap();
    assert!(script.contains("--format pr") && script.contains("GITHUB_STEP_SUMMARY"));
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    copy_dir(&root().join("examples/bank"), &work.join("compliance"));
    let base = run(&["gap", "--format", "json", "examples/hospital"]);
    std::fs::write(work.join("baseline.json"), &base.stdout).unwrap();
    let summary = tmp.path().join("summary.md");
    let out_file = tmp.path().join("out");
    let o = bash(
        script,
        &work,
        &[
            ("AIMS_PATH", "compliance".into()),
            ("AIMS_FAIL_UNDER", "".into()),
            ("AIMS_BASELINE", "baseline.json".into()),
            ("RUNNER_TEMP", tmp.path().display().to_string()),
            ("GITHUB_STEP_SUMMARY", summary.display().to_string()),
            ("GITHUB_OUTPUT", out_file.display().to_string()),
        ],
    );
    // The bank fails its gate; the step still succeeds, the gate step fails later.
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("## ❌ aims gap: the gate fails"), "{md}");
    assert!(md.contains("| Score | "), "{md}");
    assert!(md.contains("Regressions ("), "{md}");
    let out = std::fs::read_to_string(&out_file).unwrap();
    assert!(out.starts_with("file="), "{out}");
    // The comment step posts that file, only on a pull request and when asked.
    let c = step(&a, "Pull-request comment");
    let cond = c["if"].as_str().unwrap();
    assert!(cond.contains("inputs.pr-comment == 'true'") && cond.contains("pull_request.number"));
    assert!(c["run"].as_str().unwrap().contains("gh pr comment"));
}

#[test]
fn the_pre_commit_hook_checks_an_inventory_in_a_subfolder_with_args() {
    let hooks =
        yaml_to_json(&std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap());
    let hook = &hooks[0];
    assert_eq!(hook["id"], "aims-check");
    let entry = hook["entry"].as_str().unwrap();
    // pre-commit runs the entry from the repository root, `args:` appended.
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("examples/hospital"),
        &tmp.path().join("compliance"),
    );
    let without = bash(entry, tmp.path(), &[]);
    assert_eq!(
        without.status.code(),
        Some(2),
        "without args, nothing is found at the root"
    );
    let with = bash(&format!("{entry} compliance"), tmp.path(), &[]);
    assert_eq!(
        with.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
    // The files that trigger it include an inventory in a subfolder.
    let files = hook["files"].as_str().unwrap();
    assert!(files.starts_with("(^|/)"), "{files}");
    // The README documents `args:`.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("args: [compliance]"));
}
