//! Nothing lost, nothing leaked: `--force` replaces only what aims wrote,
//! no file outside the repository root is read or printed, a pack copies
//! what it hashed, output files get the umask's mode, keys are not mixed up.

#![cfg(unix)]

mod common;

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use common::*;

/// What a leak would print: the secret's first line.
const SECRET: &str = "root:x:0:0:root:/root:/bin/bash";

/// A small AIMS in `<tmp>/repo` with a policy in `docs/`, evidence in
/// `records/`, and a secret file outside the repository at `<tmp>/secret`.
fn repo() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let r = t.path().join("repo");
    std::fs::create_dir_all(r.join("docs")).unwrap();
    std::fs::create_dir_all(r.join("records")).unwrap();
    std::fs::write(r.join("docs/ai-policy.md"), "# AI policy\n").unwrap();
    std::fs::write(r.join("docs/thesis.docx"), "not ours").unwrap();
    std::fs::write(r.join("records/monitoring.md"), "monitoring log\n").unwrap();
    std::fs::write(r.join("aims.toml"), "[gate]\nfail_under = 0\n").unwrap();
    std::fs::write(
        r.join("aims.yaml"),
        "version: 1\norganization: {name: Acme, aims_owner: lead}\nroles: [{id: lead, title: Lead}]\npolicies:\n  - {id: ai-policy, title: AI policy, path: docs/ai-policy.md, approved: 2026-01-10, approved_by: lead}\ncontrols:\n  A.6.2.6: {status: implemented, owner: lead, evidence: [{path: records/monitoring.md, reviewed: 2026-11-01}]}\n",
    )
    .unwrap();
    std::fs::write(t.path().join("secret"), format!("{SECRET}\nmore: secret\n")).unwrap();
    (t, r)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn assert_no_leak(o: &Out) {
    assert!(
        !o.stdout.contains("root:x:0") && !o.stderr.contains("root:x:0"),
        "the secret leaked:\n{}\n{}",
        o.stdout,
        o.stderr
    );
}

fn pack_in(r: &Path, out: &Path, force: bool) -> Out {
    let mut args = vec!["pack", s(r), "--output", s(out), "--as-of", "2026-11-24"];
    if force {
        args.push("--force");
    }
    run(&args)
}

// ---------------------------------------------------------------------------
// --force

#[test]
fn force_never_replaces_a_folder_that_is_not_a_pack() {
    let (_t, r) = repo();
    let o = pack_in(&r, &r.join("docs"), true);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("docs"), "{}", o.stderr);
    assert!(r.join("docs/thesis.docx").is_file());
    assert!(r.join("docs/ai-policy.md").is_file());
    // The user's own folder outside the AIMS: refused, naming what is there.
    let (t2, _) = repo();
    let mine = t2.path().join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("thesis.docx"), "mine").unwrap();
    let o = pack_in(&r, &mine, true);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("not a pack aims wrote"), "{}", o.stderr);
    assert!(mine.join("thesis.docx").is_file());
}

#[test]
fn force_never_replaces_the_repository_the_evidence_or_inventory_files() {
    let (_t, r) = repo();
    for (target, why) in [
        (r.clone(), "holds the AIMS itself"),
        (r.join("records"), "evidence"),
        (r.join("docs"), "evidence"),
    ] {
        let o = pack_in(&r, &target, true);
        assert_eq!(o.code, 2, "{target:?}: {}", o.stderr);
        assert!(o.stderr.contains(why), "{target:?}: {}", o.stderr);
    }
    for f in [
        "aims.yaml",
        "aims.toml",
        "records/monitoring.md",
        "docs/ai-policy.md",
    ] {
        let before = std::fs::read(r.join(f)).unwrap();
        let o = run(&[
            "gap",
            s(&r),
            "--format",
            "json",
            "--output",
            s(&r.join(f)),
            "--force",
        ]);
        assert_eq!(o.code, 2, "{f}: {}", o.stderr);
        assert!(o.stderr.contains("never replaces"), "{f}: {}", o.stderr);
        assert_eq!(std::fs::read(r.join(f)).unwrap(), before, "{f} changed");
    }
    assert!(r.join("docs/thesis.docx").is_file());
}

#[test]
fn force_never_replaces_a_symlink() {
    let (t, r) = repo();
    let link = t.path().join("out.json");
    symlink(t.path().join("secret"), &link).unwrap();
    let o = run(&[
        "gap",
        s(&r),
        "--format",
        "json",
        "--output",
        s(&link),
        "--force",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("symlink"), "{}", o.stderr);
    assert!(
        std::fs::read_to_string(t.path().join("secret"))
            .unwrap()
            .starts_with(SECRET)
    );
}

#[test]
fn force_replaces_a_previous_pack_and_nothing_more() {
    let (t, r) = repo();
    let out = t.path().join("pack");
    assert_eq!(pack_in(&r, &out, false).code, 0);
    let o = pack_in(&r, &out, true);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(out.join("manifest.json").is_file());
    // Verified by a relative path that climbs (`../pack`): the pack's own root.
    let o = run_in(&r, &["verify", "../pack"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // A pack zip is a file aims wrote: replaced.
    let zip = t.path().join("pack.zip");
    assert_eq!(pack_in(&r, &zip, false).code, 0);
    assert_eq!(pack_in(&r, &zip, true).code, 0);
    // Someone added a file to the pack folder: no longer only a pack.
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let o = pack_in(&r, &out, true);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("notes.txt"), "{}", o.stderr);
    assert!(out.join("notes.txt").is_file());
    // Nothing temporary left beside the targets.
    let names: Vec<String> = std::fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

// ---------------------------------------------------------------------------
// One safe way in

#[test]
fn an_inventory_file_symlinked_outside_is_refused_and_not_printed() {
    let (t, r) = repo();
    std::fs::remove_file(r.join("aims.yaml")).unwrap();
    symlink(t.path().join("secret"), r.join("aims.yaml")).unwrap();
    let o = run(&["check", s(&r)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("outside"), "{}", o.stderr);
    assert_no_leak(&o);
}

#[test]
fn aims_toml_symlinked_outside_is_refused_and_not_printed() {
    let (t, r) = repo();
    std::fs::remove_file(r.join("aims.toml")).unwrap();
    symlink(t.path().join("secret"), r.join("aims.toml")).unwrap();
    let o = run(&["check", s(&r)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("outside"), "{}", o.stderr);
    assert_no_leak(&o);
}

#[test]
fn an_inventory_glob_match_symlinked_outside_is_refused_and_not_printed() {
    let (t, r) = repo();
    std::fs::create_dir_all(r.join("aims")).unwrap();
    std::fs::rename(r.join("aims.yaml"), r.join("aims/main.yaml")).unwrap();
    symlink(t.path().join("secret"), r.join("aims/extra.yaml")).unwrap();
    std::fs::write(r.join("aims.toml"), "inventory = [\"aims/*.yaml\"]\n").unwrap();
    let o = run(&["check", s(&r)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("extra.yaml") && o.stderr.contains("outside"),
        "{}",
        o.stderr
    );
    assert_no_leak(&o);
}

#[test]
fn an_overlay_symlinked_outside_is_refused_and_not_printed() {
    let (t, r) = repo();
    symlink(t.path().join("secret"), r.join("overlay.yaml")).unwrap();
    std::fs::write(
        r.join("aims.toml"),
        "[catalog]\nextra = [\"overlay.yaml\"]\n",
    )
    .unwrap();
    let o = run(&["check", s(&r)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("outside"), "{}", o.stderr);
    assert_no_leak(&o);
    // /proc/self/environ is where CI keeps its secrets.
    std::fs::remove_file(r.join("overlay.yaml")).unwrap();
    symlink("/proc/self/environ", r.join("overlay.yaml")).unwrap();
    let o = aims()
        .env("AIMS_TEST_SECRET", "hunter2-do-not-print")
        .args(["check", s(&r)])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!all.contains("hunter2"), "{all}");
}

#[test]
fn a_template_symlinked_outside_is_refused_and_not_printed() {
    let (t, r) = repo();
    let tpl = t.path().join("templates");
    std::fs::create_dir_all(&tpl).unwrap();
    symlink(t.path().join("secret"), tpl.join("report.md")).unwrap();
    let o = run(&[
        "report",
        s(&r),
        "--format",
        "markdown",
        "--templates",
        s(&tpl),
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("outside"), "{}", o.stderr);
    assert_no_leak(&o);
}

#[test]
fn an_evidence_root_outside_the_repository_is_refused() {
    for root in ["/etc", "..", "up"] {
        let (t, r) = repo();
        symlink(t.path(), r.join("up")).unwrap();
        std::fs::write(r.join("aims.toml"), format!("evidence_root = \"{root}\"\n")).unwrap();
        let o = run(&["check", s(&r)]);
        assert_eq!(o.code, 2, "{root}: {}", o.stderr);
        assert!(o.stderr.contains("evidence_root"), "{root}: {}", o.stderr);
        let zip = t.path().join("p.zip");
        let o = pack_in(&r, &zip, false);
        assert_eq!(o.code, 2, "{root}: {}", o.stderr);
        assert!(!zip.exists());
    }
}

#[test]
fn what_is_really_there_is_named() {
    let (_t, r) = repo();
    std::fs::remove_file(r.join("aims.yaml")).unwrap();
    std::fs::create_dir(r.join("aims.yaml")).unwrap();
    let o = run(&["check", s(&r)]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("is a folder"), "{}", o.stderr);
    std::fs::remove_dir(r.join("aims.yaml")).unwrap();
    let c = std::ffi::CString::new(r.join("aims.yaml").as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let o = run(&["check", s(&r)]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("FIFO"), "{}", o.stderr);
}

// ---------------------------------------------------------------------------
// Modes

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Run aims under umask 022, as a CI runner does.
fn run_umask(args: &[&str]) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("aims");
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg("umask 022; exec \"$0\" \"$@\"")
        .arg(bin)
        .args(args)
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1795478400")
        .env("NO_COLOR", "1");
    cmd.output().unwrap()
}

#[test]
fn outputs_get_the_umask_mode_and_force_keeps_a_files_mode() {
    let (t, r) = repo();
    let report = t.path().join("report.html");
    let o = run_umask(&["report", s(&r), "--output", s(&report)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(mode(&report), 0o644);
    std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = run_umask(&["report", s(&r), "--output", s(&report), "--force"]);
    assert!(o.status.success());
    assert_eq!(mode(&report), 0o640, "--force keeps the mode");
    let zip = t.path().join("p.zip");
    assert!(
        run_umask(&["pack", s(&r), "--output", s(&zip)])
            .status
            .success()
    );
    assert_eq!(mode(&zip), 0o644);
    let folder = t.path().join("p");
    assert!(
        run_umask(&["pack", s(&r), "--output", s(&folder)])
            .status
            .success()
    );
    assert_eq!(mode(&folder), 0o755);
    assert_eq!(mode(&folder.join("manifest.json")), 0o644);
    let init = t.path().join("new");
    std::fs::create_dir(&init).unwrap();
    assert!(run_umask(&["init", s(&init)]).status.success());
    for f in [
        "aims.toml",
        "aims.yaml",
        "aims.schema.json",
        "docs/ai-policy.md",
    ] {
        assert_eq!(mode(&init.join(f)), 0o644, "{f}");
    }
    assert_eq!(mode(&init.join("docs")), 0o755);
    let key = t.path().join("k");
    assert!(run_umask(&["keygen", "--output", s(&key)]).status.success());
    assert_eq!(mode(&key), 0o600, "a secret key stays private");
    assert_eq!(mode(&t.path().join("k.pub")), 0o644);
}

// ---------------------------------------------------------------------------
// Keys

#[test]
fn verify_refuses_the_secret_key_and_says_which_file_to_pass() {
    let (t, r) = repo();
    let key = t.path().join("aims-signing");
    assert_eq!(run(&["keygen", "--output", s(&key)]).code, 0);
    let zip = t.path().join("p.zip");
    let o = run(&["pack", s(&r), "--output", s(&zip), "--sign", s(&key)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = run(&["verify", s(&zip), "--key", s(&key)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("secret key") && o.stderr.contains("aims-signing.pub"),
        "{}",
        o.stderr
    );
    let o = run(&["verify", s(&zip), "--key", &format!("{}.pub", s(&key))]);
    assert_eq!(o.code, 0, "{}", o.stderr);
}
