//! `aims pack` and `aims verify`: deterministic, atomic, verifiable packs.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

fn pack(args: &[&str]) -> Out {
    let mut all = vec!["pack", "--as-of", "2026-11-24"];
    all.extend_from_slice(args);
    run(&all)
}

#[test]
fn two_packs_of_the_same_input_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.zip");
    let b = dir.path().join("b.zip");
    assert_eq!(
        pack(&["examples/bank", "--output", a.to_str().unwrap()]).code,
        0
    );
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(
        pack(&["examples/bank", "--output", b.to_str().unwrap()]).code,
        0
    );
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn the_pack_holds_reports_soa_data_inventory_evidence_and_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pack");
    let o = pack(&["examples/bank", "--output", p.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    for f in [
        "index.html",
        "manifest.json",
        "reports/report.html",
        "reports/report.md",
        "soa/soa.md",
        "soa/soa.html",
        "soa/soa.csv",
        "data/gap.json",
        "data/classification.json",
        "inventory/aims.toml",
        "inventory/aims/systems.yaml",
        "inventory/aims/controls-extra/bank-controls.yaml",
        "evidence/policies/ai-policy.md",
    ] {
        assert!(p.join(f).is_file(), "{f} missing from the pack");
    }
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["format"], "aims-pack");
    assert_eq!(m["as_of"], "2026-11-24");
    assert_eq!(m["generated_at"], "2026-11-24T00:00:00Z");
    assert_eq!(m["tool"], "aims");
    assert!(m["catalog_version"].is_string());
    assert!(m.get("git_commit").is_some());
    let files = m["files"].as_array().unwrap();
    for f in files {
        let path = f["path"].as_str().unwrap();
        let bytes = std::fs::read(p.join(path)).unwrap();
        assert_eq!(f["size"].as_u64().unwrap(), bytes.len() as u64, "{path}");
    }
    // The missing validation report is named with its reason.
    let left = m["left_out"].as_array().unwrap();
    assert!(
        left.iter()
            .any(|l| l["cited"] == "records/model-validation-2026Q2.pdf"
                && l["reason"].as_str().unwrap().contains("does not exist"))
    );
    // Links in the packed report point into the pack's evidence folder.
    let html = std::fs::read_to_string(p.join("reports/report.html")).unwrap();
    assert!(html.contains("href=\"../evidence/policies/ai-policy.md\""));
    let index = std::fs::read_to_string(p.join("index.html")).unwrap();
    assert!(
        index.contains("href=\"reports/report.html\"")
            && index.contains("href=\"evidence/policies/ai-policy.md\"")
    );
}

fn verify(args: &[&str]) -> Out {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    run(&all)
}

#[test]
fn verify_catches_a_changed_byte_a_removed_file_and_an_added_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pack");
    let ps = p.to_str().unwrap();
    assert_eq!(pack(&["examples/hospital", "--output", ps]).code, 0);
    assert_eq!(verify(&[ps]).code, 0);

    let target = p.join("evidence/policies/ai-policy.md");
    let mut bytes = std::fs::read(&target).unwrap();
    bytes[10] ^= 0x01;
    std::fs::write(&target, &bytes).unwrap();
    let o = verify(&[ps]);
    assert_eq!(o.code, 1);
    assert!(
        o.stdout.contains("changed: evidence/policies/ai-policy.md"),
        "{}",
        o.stdout
    );
    bytes[10] ^= 0x01;
    std::fs::write(&target, &bytes).unwrap();
    assert_eq!(verify(&[ps]).code, 0);

    std::fs::remove_file(p.join("soa/soa.csv")).unwrap();
    let o = verify(&[ps]);
    assert_eq!(o.code, 1);
    assert!(o.stdout.contains("missing: soa/soa.csv"), "{}", o.stdout);

    std::fs::write(p.join("evidence/extra.md"), "slipped in").unwrap();
    let o = verify(&[ps]);
    assert!(
        o.stdout.contains("extra: evidence/extra.md"),
        "{}",
        o.stdout
    );
}

#[test]
fn verify_catches_a_changed_byte_inside_a_zip() {
    let dir = tempfile::tempdir().unwrap();
    let z = dir.path().join("p.zip");
    let zs = z.to_str().unwrap();
    assert_eq!(pack(&["examples/hospital", "--output", zs]).code, 0);
    assert_eq!(verify(&[zs]).code, 0);
    // Evidence is stored uncompressed: find a policy's text in the zip and flip one byte.
    let mut bytes = std::fs::read(&z).unwrap();
    let needle = std::fs::read(root().join("examples/hospital/policies/ai-policy.md")).unwrap();
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("stored evidence in the zip");
    bytes[at + 5] ^= 0x01;
    std::fs::write(&z, &bytes).unwrap();
    let o = verify(&[zs]);
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains("changed: evidence/policies/ai-policy.md"),
        "{}",
        o.stdout
    );
}

#[test]
fn not_a_pack_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(verify(&[dir.path().to_str().unwrap()]).code, 2);
    assert_eq!(verify(&["Cargo.toml"]).code, 2);
    assert_eq!(verify(&["no/such/pack.zip"]).code, 2);
    std::fs::write(dir.path().join("manifest.json"), "{\"format\": \"other\"}").unwrap();
    assert_eq!(verify(&[dir.path().to_str().unwrap()]).code, 2);
}

#[test]
fn an_existing_path_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let z = dir.path().join("p.zip");
    std::fs::write(&z, "precious").unwrap();
    let o = pack(&["examples/hospital", "--output", z.to_str().unwrap()]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("pass --force"), "{}", o.stderr);
    assert_eq!(std::fs::read_to_string(&z).unwrap(), "precious");
    assert_eq!(
        pack(&[
            "examples/hospital",
            "--output",
            z.to_str().unwrap(),
            "--force"
        ])
        .code,
        0
    );
    assert_eq!(verify(&[z.to_str().unwrap()]).code, 0);
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_root_is_not_followed() {
    let out = tempfile::tempdir().unwrap();
    let p = out.path().join("pack");
    let o = pack(&["tests/fixtures/gap", "--output", p.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!p.join("evidence/docs/leak.md").exists());
    for e in walkdir::WalkDir::new(&p) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let text = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned();
            assert!(
                !text.contains("SECRET-CONTENT-XYZ"),
                "{} holds the outside file",
                e.path().display()
            );
        }
    }
    let m = std::fs::read_to_string(p.join("manifest.json")).unwrap();
    assert!(
        m.contains("docs/leak.md") && m.contains("outside the evidence root"),
        "left out with its reason"
    );
    assert!(o.stderr.contains("left out docs/leak.md"), "{}", o.stderr);
}

#[cfg(unix)]
#[test]
fn a_killed_pack_leaves_nothing_at_path() {
    // Enough evidence that packing takes a moment: 60 files of 1 MB.
    let src = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(src.path().join("records")).unwrap();
    let chunk: Vec<u8> = (0..1_048_576u32).map(|i| (i % 251) as u8).collect();
    for i in 0..60 {
        std::fs::write(src.path().join(format!("records/r{i:02}.bin")), &chunk).unwrap();
    }
    std::fs::write(
        src.path().join("aims.yaml"),
        "version: 1\norganization: {name: Big}\ncontrols:\n  A.6.2.6: {status: implemented, evidence: [\"records/*.bin\"]}\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("big.zip");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("aims"))
        .args([
            "pack",
            src.path().to_str().unwrap(),
            "--output",
            target.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it as soon as its temporary file appears beside the target.
    let start = Instant::now();
    loop {
        let tmp = std::fs::read_dir(out.path()).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".aims-tmp-")
        });
        if tmp || start.elapsed() > Duration::from_secs(30) {
            break;
        }
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(!target.exists(), "a killed pack must leave nothing at PATH");
    assert!(!Path::new(&target).with_extension("zip.tmp").exists());
    // The next run sweeps what the killed one left, and writes a whole pack.
    aims()
        .args([
            "pack",
            src.path().to_str().unwrap(),
            "--output",
            target.to_str().unwrap(),
        ])
        .assert()
        .success();
    let left: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        vec!["big.zip".to_string()],
        "temporary files left behind"
    );
}

#[test]
fn signed_packs_verify_with_the_right_key_only() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("auditor");
    let other = dir.path().join("other");
    assert_eq!(run(&["keygen", "--output", key.to_str().unwrap()]).code, 0);
    assert_eq!(
        run(&["keygen", "--output", other.to_str().unwrap()]).code,
        0
    );
    assert_eq!(
        run(&["keygen", "--output", key.to_str().unwrap()]).code,
        2,
        "never overwrites a key"
    );
    let pub_key = format!("{}.pub", key.display());
    let other_pub = format!("{}.pub", other.display());
    let z = dir.path().join("signed.zip");
    let zs = z.to_str().unwrap();
    assert_eq!(
        pack(&[
            "examples/bank",
            "--output",
            zs,
            "--sign",
            key.to_str().unwrap()
        ])
        .code,
        0
    );
    let o = verify(&[zs, "--key", &pub_key]);
    assert_eq!(o.code, 0, "{}", o.stdout);
    assert!(o.stdout.contains("valid Ed25519 signature"), "{}", o.stdout);
    let o = verify(&[zs, "--key", &other_pub]);
    assert_eq!(o.code, 1);
    assert!(o.stdout.contains("does not match"), "{}", o.stdout);
    // An unsigned pack fails a signature check.
    let u = dir.path().join("unsigned.zip");
    assert_eq!(
        pack(&["examples/bank", "--output", u.to_str().unwrap()]).code,
        0
    );
    let o = verify(&[u.to_str().unwrap(), "--key", &pub_key]);
    assert_eq!(o.code, 1);
    assert!(o.stdout.contains("not signed"), "{}", o.stdout);
}

/// Run the real binary with a resource limit set in the child before it
/// starts (`limit` is an `RLIMIT_*`), and SIGXFSZ ignored so that a write
/// past `RLIMIT_FSIZE` fails with EFBIG, as on a full disk, instead of
/// killing the process.
#[cfg(unix)]
fn run_limited(args: &[&str], limit: libc::c_int, bytes: u64) -> Out {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("aims"));
    cmd.args(args)
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1795478400")
        .env("NO_COLOR", "1");
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let r = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            if libc::setrlimit(limit as _, &r) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let o = cmd.output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

#[cfg(unix)]
#[test]
fn a_pack_that_cannot_be_written_prints_one_error_and_leaves_nothing() {
    // Files may grow to 16 KiB only: the reports are larger, so writing
    // the pack fails part-way with EFBIG, as it would on a full disk; and
    // a 1 MiB evidence file that fails in the middle of its copy.
    let big = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(big.path().join("records")).unwrap();
    let chunk: Vec<u8> = (0..1_048_576u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(big.path().join("records/r.bin"), &chunk).unwrap();
    std::fs::write(
        big.path().join("aims.yaml"),
        "version: 1\norganization: {name: Big}\ncontrols:\n  A.6.2.6: {status: implemented, evidence: [\"records/*.bin\"]}\n",
    )
    .unwrap();
    let cases = [
        ("examples/bank", 16 * 1024, "p.zip"),
        ("examples/bank", 16 * 1024, "p"),
        (big.path().to_str().unwrap(), 300_000, "p.zip"),
        (big.path().to_str().unwrap(), 300_000, "p"),
    ];
    for (repo, limit, name) in cases {
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join(name);
        let o = run_limited(
            &["pack", repo, "--output", target.to_str().unwrap()],
            libc::RLIMIT_FSIZE as libc::c_int,
            limit,
        );
        assert_eq!(o.code, 2, "{name}: {}", o.stderr);
        let errors: Vec<&str> = o.stderr.lines().filter(|l| l.contains("error")).collect();
        assert_eq!(
            errors.len(),
            1,
            "{name}: one error, not more:\n{}",
            o.stderr
        );
        assert!(errors[0].starts_with("error: cannot write"), "{}", o.stderr);
        assert!(
            errors[0].contains(target.to_str().unwrap()),
            "names the target: {}",
            o.stderr
        );
        assert!(!o.stderr.contains("ZipWriter"), "{}", o.stderr);
        assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
        let left: Vec<_> = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(left.is_empty(), "{name}: nothing is left behind: {left:?}");
    }
}

// ---------------------------------------------------------------------------
// File names: handled as paths, stored exactly, or refused by name.

/// A small AIMS in `<tmp>/repo` citing `docs/ai-policy.md` and whatever
/// `evidence` lists for A.6.2.6.
#[cfg(unix)]
fn named_repo(evidence: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let r = t.path().join("repo");
    std::fs::create_dir_all(r.join("docs")).unwrap();
    std::fs::write(r.join("docs/ai-policy.md"), "# AI policy\n").unwrap();
    std::fs::write(r.join("aims.toml"), "[gate]\nfail_under = 0\n").unwrap();
    std::fs::write(
        r.join("aims.yaml"),
        format!(
            "version: 1\norganization: {{name: Acme, aims_owner: lead}}\nroles: [{{id: lead, title: Lead}}]\npolicies:\n  - {{id: ai-policy, title: AI policy, path: docs/ai-policy.md, approved: 2026-01-10, approved_by: lead}}\ncontrols:\n  A.6.2.6: {{status: implemented, owner: lead, evidence: [{evidence}]}}\n"
        ),
    )
    .unwrap();
    (t, r)
}

#[cfg(unix)]
fn os(bytes: &[u8]) -> &std::ffi::OsStr {
    std::os::unix::ffi::OsStrExt::from_bytes(bytes)
}

#[cfg(unix)]
fn zip_names(p: &Path) -> Vec<String> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(p).unwrap()).unwrap();
    (0..z.len())
        .map(|i| z.by_index(i).unwrap().name().unwrap().into_owned())
        .collect()
}

#[cfg(unix)]
#[test]
fn a_backslash_and_non_ascii_in_evidence_names_are_characters_packed_exactly() {
    // `back\slash.md` is one file in `docs/`, not `back/slash.md`.
    let (t, r) = named_repo(r"'docs/back\slash.md', 'docs/évidence.md'");
    std::fs::write(r.join(r"docs/back\slash.md"), "one file\n").unwrap();
    std::fs::write(r.join("docs/évidence.md"), "accented\n").unwrap();
    // An inventory file with a backslash in its name, named in aims.toml.
    std::fs::write(r.join(r"extra\risks.yaml"), "risks: []\n").unwrap();
    std::fs::write(
        r.join("aims.toml"),
        "inventory = ['aims.yaml', 'extra\\risks.yaml']\n[gate]\nfail_under = 0\n",
    )
    .unwrap();
    let repo = r.to_str().unwrap();
    let o = run(&["check", repo, "--format", "json", "--as-of", "2026-11-24"]);
    assert_eq!(o.code, 0, "{}\n{}", o.stdout, o.stderr);
    for rule in [
        "evidence/missing",
        "evidence/unreadable",
        "evidence/outside-root",
    ] {
        assert!(!o.stdout.contains(rule), "{rule}: {}", o.stdout);
    }
    // Named as written: one file, its backslash a character.
    assert!(
        o.stdout.contains(r#"evidence `docs/back\\slash.md`"#),
        "{}",
        o.stdout
    );
    for name in ["p.zip", "p"] {
        let target = t.path().join(name);
        let o = pack(&[repo, "--output", target.to_str().unwrap()]);
        assert_eq!(o.code, 0, "{name}: {}", o.stderr);
        assert!(!o.stderr.contains("left out"), "{name}: {}", o.stderr);
        let m: serde_json::Value = if name == "p" {
            assert_eq!(
                std::fs::read(target.join(r"evidence/docs/back\slash.md")).unwrap(),
                b"one file\n"
            );
            assert!(target.join("evidence/docs/évidence.md").is_file());
            assert!(target.join(r"inventory/extra\risks.yaml").is_file());
            assert!(!target.join("evidence/docs/back").exists());
            serde_json::from_slice(&std::fs::read(target.join("manifest.json")).unwrap()).unwrap()
        } else {
            let names = zip_names(&target);
            for n in [
                r"evidence/docs/back\slash.md",
                "evidence/docs/évidence.md",
                r"inventory/extra\risks.yaml",
            ] {
                assert!(names.iter().any(|x| x == n), "{n} not in {names:?}");
            }
            let mut z = zip::ZipArchive::new(std::fs::File::open(&target).unwrap()).unwrap();
            serde_json::from_reader(z.by_name("manifest.json").unwrap()).unwrap()
        };
        let paths: Vec<&str> = m["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        assert!(paths.contains(&r"evidence/docs/back\slash.md"), "{paths:?}");
        assert!(paths.contains(&"evidence/docs/évidence.md"), "{paths:?}");
        let v = run(&["verify", target.to_str().unwrap()]);
        assert_eq!(v.code, 0, "{name}: {}\n{}", v.stdout, v.stderr);
    }
}

#[cfg(unix)]
#[test]
fn an_inventory_file_whose_name_is_not_utf8_is_refused_by_check_and_pack_alike() {
    let (t, r) = named_repo("docs/ai-policy.md");
    std::fs::create_dir_all(r.join("aims")).unwrap();
    std::fs::rename(r.join("aims.yaml"), r.join("aims/main.yaml")).unwrap();
    std::fs::write(
        r.join("aims.toml"),
        "inventory = [\"aims/*.yaml\"]\n[gate]\nfail_under = 0\n",
    )
    .unwrap();
    std::fs::write(r.join("aims").join(os(b"inv\xff.yaml")), "risks: []\n").unwrap();
    let repo = r.to_str().unwrap();
    let expected =
        r"aims/inv\xFF.yaml` was not read: its name is not valid UTF-8 (byte 0xFF); rename it";
    let c = run(&["check", repo, "--as-of", "2026-11-24"]);
    assert_eq!(c.code, 2, "{}", c.stderr);
    assert!(c.stderr.contains(expected), "{}", c.stderr);
    let target = t.path().join("p.zip");
    let p = pack(&[repo, "--output", target.to_str().unwrap()]);
    assert_eq!(p.code, 2, "{}", p.stderr);
    assert!(p.stderr.contains(expected), "{}", p.stderr);
    assert!(!target.exists());

    // The only inventory file, found in `aims/` without an aims.toml, or
    // named on the command line: the same refusal.
    std::fs::remove_file(r.join("aims.toml")).unwrap();
    std::fs::remove_file(r.join("aims/main.yaml")).unwrap();
    let c = run(&["check", repo, "--as-of", "2026-11-24"]);
    assert_eq!(c.code, 2, "{}", c.stderr);
    assert!(c.stderr.contains(expected), "{}", c.stderr);
    let file = r.join("aims").join(os(b"inv\xff.yaml"));
    let o = aims().arg("check").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(r"inventory file `") && stderr.contains(r"inv\xFF.yaml` was not read"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn an_evidence_file_whose_name_is_not_utf8_is_named_in_check_and_left_out_of_the_pack() {
    let (t, r) = named_repo("'records/*.md'");
    std::fs::create_dir_all(r.join("records")).unwrap();
    std::fs::write(r.join("records/ok.md"), "fine\n").unwrap();
    std::fs::write(r.join("records").join(os(b"bad\xfe.md")), "bad name\n").unwrap();
    let repo = r.to_str().unwrap();
    let reason =
        r"`records/bad\xFE.md` matches, but its name is not valid UTF-8 (byte 0xFE); rename it";
    let c = run(&["check", repo, "--format", "json", "--as-of", "2026-11-24"]);
    assert!(c.stdout.contains("evidence/unreadable"), "{}", c.stdout);
    assert!(
        c.stdout.contains(&reason.replace('\\', "\\\\")),
        "{}",
        c.stdout
    );
    for name in ["p.zip", "p"] {
        let target = t.path().join(name);
        let o = pack(&[repo, "--output", target.to_str().unwrap()]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert!(
            o.stderr.contains("warning: left out records/*.md") && o.stderr.contains(reason),
            "{}",
            o.stderr
        );
        let names: Vec<String> = if name == "p" {
            walkdir::WalkDir::new(&target)
                .into_iter()
                .map(|e| e.unwrap().path().to_string_lossy().into_owned())
                .collect()
        } else {
            zip_names(&target)
        };
        assert!(
            names.iter().any(|n| n.ends_with("evidence/records/ok.md")),
            "{names:?}"
        );
        assert!(!names.iter().any(|n| n.contains("bad")), "{names:?}");
        assert_eq!(run(&["verify", target.to_str().unwrap()]).code, 0);
    }
    // A file with such a name slipped into a pack is extra, shown escaped.
    std::fs::write(
        t.path().join("p/evidence/records").join(os(b"ok\xff.md")),
        "fine\n",
    )
    .unwrap();
    let v = run(&["verify", t.path().join("p").to_str().unwrap()]);
    assert_eq!(v.code, 1, "{}\n{}", v.stdout, v.stderr);
    assert!(
        format!("{}{}", v.stdout, v.stderr).contains(r"evidence/records/ok\xFF.md"),
        "{}\n{}",
        v.stdout,
        v.stderr
    );
}

/// The incident register goes into the pack as data (with the Art. 73
/// deadline each was judged by) and into the packed report.
#[test]
fn the_pack_holds_the_incident_register() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pack");
    let o = pack(&["tests/fixtures/incidents", "--output", p.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("data/incidents.json")).unwrap())
            .unwrap();
    assert_eq!(v["command"], "incidents");
    let list = v["data"]["incidents"].as_array().unwrap();
    assert_eq!(list.len(), 7);
    let death = list.iter().find(|i| i["id"] == "inc-death").unwrap();
    assert_eq!(
        (
            &death["kind"],
            &death["deadline_days"],
            &death["deadline_basis"]
        ),
        (&"death".into(), &10.into(), &"Art. 73(4)".into())
    );
    assert_eq!(death["nonconformity"], "nc-1");
    let md = std::fs::read_to_string(p.join("reports/report.md")).unwrap();
    assert!(md.contains("## Incidents"), "{md}");
    assert!(md.contains("| inc-reported | grid | 2028-01-10 | 2028-01-10 | yes | serious-harm | 2028-01-12 | National grid market surveillance authority | — |"));
}
