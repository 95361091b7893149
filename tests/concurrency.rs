//! Interrupted and concurrent runs: a `report --output`, `init` or `pack`
//! killed at any point leaves at its target either nothing, the previous
//! complete file or the new complete one, never part of a file, and a
//! later run sweeps its temporary files; two runs at once with the same
//! `--output` leave a file equal, byte for byte, to one of their two
//! complete outputs.
//!
//! `init` writes four files into a folder that exists, which no rename can
//! do in one step: a run killed between its renames leaves part of them
//! together with its journal, and the next run undoes them (so the next
//! `init` writes every file). Nowhere else is part of an output allowed.
//!
//! The real binary is run with a fixed `SOURCE_DATE_EPOCH`, so each input
//! has one exact output; the two example inventories are the two inputs,
//! so that a mix of them would show. Runs are killed after a sleep of a
//! share of a whole run's time, and (on Linux) at an exact step: the
//! output folder is watched with inotify and the run is killed, or
//! stopped while another runs, at its first, second, … write there. Only
//! the second kind reliably catches a writer that is not atomic; the
//! first catches lost previous files and temporary files left behind.

#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::root;

fn aims_cmd(args: &[&str]) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("aims"));
    c.current_dir(root())
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1795478400") // 2026-11-24T00:00:00Z
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE");
    c
}

fn spawn(args: &[&str]) -> Child {
    aims_cmd(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("aims starts")
}

/// Run to the end; the exit code must be one of `ok` (a panic never is).
fn run_ok(args: &[&str], ok: &[i32]) -> (Output, Duration) {
    let start = Instant::now();
    let o = aims_cmd(args).output().expect("aims runs");
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.code().is_some_and(|c| ok.contains(&c)) && !stderr.contains("panicked"),
        "aims {args:?} exited {:?}:\n{stderr}",
        o.status.code()
    );
    (o, took)
}

fn kill(mut child: Child) {
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn example(name: &str) -> String {
    root().join("examples").join(name).display().to_string()
}

/// What aims' temporary files and folders in `dir` are called.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".aims-tmp-"))
        .collect()
}

fn read(p: &Path) -> Option<Vec<u8>> {
    match std::fs::read(p) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("cannot read {}: {e}", p.display()),
    }
}

/// Describe bytes that are neither expected output, for the failure message.
fn describe(got: &[u8], candidates: &[&[u8]]) -> String {
    let lens: Vec<usize> = candidates.iter().map(|c| c.len()).collect();
    format!(
        "{} bytes, expected one of {lens:?} bytes (a partial or mixed file)",
        got.len()
    )
}

/// Kill points: fractions (in %) of the time a whole run takes.
const KILL_AT: &[u32] = &[
    0, 3, 8, 15, 25, 40, 55, 70, 80, 88, 94, 98, 102, 106, 115, 130,
];

#[test]
fn a_killed_report_leaves_no_file_the_old_one_or_the_new_one() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("report.html");
    let t = s(&target);
    let bank = example("bank");
    let hospital = example("hospital");
    let args = |src: &str| -> Vec<String> {
        [
            "report",
            src,
            "--output",
            t,
            "--force",
            "--as-of",
            "2026-11-24",
        ]
        .iter()
        .map(|a| a.to_string())
        .collect()
    };
    let (old_args, new_args) = (args(&hospital), args(&bank));
    // The two complete files: the previous one (hospital) and the new one (bank).
    run_ok(&strs(&old_args), &[0]);
    let old = read(&target).unwrap();
    let (_, took) = run_ok(&strs(&new_args), &[0]);
    let new = read(&target).unwrap();
    assert_ne!(old, new, "the two inputs must give different reports");

    let mut seen = [0usize; 3]; // nothing, old, new
    for (n, pct) in KILL_AT.iter().enumerate() {
        // Half the runs replace a previous report, half write a new file.
        let previous = n % 2 == 1;
        if previous {
            std::fs::write(&target, &old).unwrap();
        } else {
            let _ = std::fs::remove_file(&target);
        }
        let child = spawn(&strs(&new_args));
        std::thread::sleep(took * *pct / 100);
        kill(child);
        match read(&target) {
            None => {
                assert!(!previous, "a killed run removed the previous report");
                seen[0] += 1;
            }
            Some(b) if b == new => seen[2] += 1,
            Some(b) if previous && b == old => seen[1] += 1,
            Some(b) => panic!("killed at {pct}% of a run: {}", describe(&b, &[&old, &new])),
        }
    }
    // Killed just as the temporary file appears beside the target.
    for previous in [false, true] {
        if previous {
            std::fs::write(&target, &old).unwrap();
        } else {
            let _ = std::fs::remove_file(&target);
        }
        let mut child = spawn(&strs(&new_args));
        let start = Instant::now();
        while temporaries(out.path()).is_empty()
            && start.elapsed() < took * 3
            && child.try_wait().ok().flatten().is_none()
        {
            std::thread::sleep(Duration::from_micros(200));
        }
        kill(child);
        match read(&target) {
            None => assert!(!previous, "a killed run removed the previous report"),
            Some(b) => assert!(
                b == new || (previous && b == old),
                "killed while writing: {}",
                describe(&b, &[&old, &new])
            ),
        }
    }
    eprintln!(
        "killed reports left: nothing {}, the old file {}, the new file {}",
        seen[0], seen[1], seen[2]
    );
    // A later run sweeps whatever the killed ones left, and writes a whole file.
    run_ok(&strs(&new_args), &[0]);
    assert_eq!(read(&target).unwrap(), new);
    assert_eq!(
        temporaries(out.path()),
        Vec::<String>::new(),
        "temporary files left behind"
    );
}

const INIT_FILES: &[&str] = &[
    "aims.toml",
    "aims.yaml",
    "aims.schema.json",
    "docs/ai-policy.md",
];

fn init_args(dir: &Path) -> Vec<String> {
    ["init", s(dir), "--as-of", "2026-11-24", "--name", "Acme"]
        .iter()
        .map(|a| a.to_string())
        .collect()
}

/// After an `init` in `dir` was killed: every file or none of them, or,
/// only while its journal is there, part of them (renames into a folder
/// that exists cannot be one step), which the next run undoes. A later
/// `init` then leaves every file, complete, and no temporary file.
/// Returns what the killed run left: 0 nothing, 1 part, 2 every file.
fn check_killed_init(dir: &Path, reference: &Path, what: &str) -> usize {
    let present: Vec<&str> = INIT_FILES
        .iter()
        .copied()
        .filter(|f| dir.join(f).exists())
        .collect();
    let journal = temporaries(dir).iter().any(|n| n.ends_with("-journal"));
    let state = if present.is_empty() {
        assert!(
            !dir.join("docs").exists(),
            "{what}: an empty docs/ was left"
        );
        0
    } else if present == INIT_FILES {
        2
    } else {
        assert!(
            journal,
            "{what}: part of the files ({present:?}) and no journal to undo them"
        );
        1
    };
    for f in &present {
        assert_eq!(
            read(&dir.join(f)),
            read(&reference.join(f)),
            "{what}: {f} is incomplete"
        );
    }
    // The next init undoes a half-done one and writes every file; after a
    // whole one it changes nothing (it never overwrites).
    run_ok(&strs(&init_args(dir)), if state == 2 { &[2] } else { &[0] });
    for f in INIT_FILES {
        assert_eq!(
            read(&dir.join(f)),
            read(&reference.join(f)),
            "{what}: {f} after a later init"
        );
    }
    assert_eq!(
        temporaries(dir),
        Vec::<String>::new(),
        "{what}: temporary files left behind"
    );
    state
}

#[test]
fn a_killed_init_leaves_nothing_or_every_file() {
    let base = tempfile::tempdir().unwrap();
    let reference = base.path().join("reference");
    std::fs::create_dir(&reference).unwrap();
    let args = init_args(&reference);
    let (_, took) = run_ok(&strs(&args), &[0]);
    let mut seen = [0usize; 3];
    for n in 0..40u32 {
        let dir = base.path().join(format!("run{n}"));
        std::fs::create_dir(&dir).unwrap();
        let args = init_args(&dir);
        let child = spawn(&strs(&args));
        // Spread the kills over 0–130% of a whole run.
        std::thread::sleep(took * (n * 13 / 4) / 100);
        kill(child);
        seen[check_killed_init(&dir, &reference, &format!("killed at run {n}"))] += 1;
    }
    eprintln!(
        "killed inits left: nothing {}, part (undone) {}, every file {}",
        seen[0], seen[1], seen[2]
    );
}

/// Run `make(bank)` and `make(hospital)` alone, then at once several times
/// (started so that they finish close together), and check that the file
/// at `target` is always one of the two complete outputs.
/// One of two runs at the same output: both may succeed (0, or 1 for a
/// failed gate); one may fail with a clear error (2), never silently.
fn assert_ended_cleanly(o: &Output) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    match o.status.code() {
        Some(0 | 1) => {}
        Some(2) => assert!(err.contains("error"), "exit 2 without a message"),
        other => panic!("exited {other:?}: {err}"),
    }
}

fn race(target: &Path, rounds: u32, make: impl Fn(&str) -> Vec<String>) {
    let (a_args, b_args) = (make(&example("bank")), make(&example("hospital")));
    let run = |v: &[String]| run_ok(&strs(v), &[0, 1]);
    let (_, ta) = run(&a_args);
    let a = read(target).unwrap();
    let (_, tb) = run(&b_args);
    let b = read(target).unwrap();
    assert_ne!(a, b, "the two inputs must give different outputs");
    for round in 0..rounds {
        // Start the quicker run later, so both reach the write together;
        // a different few milliseconds either way each round.
        let jitter = Duration::from_millis(u64::from(round) * 7 % 20);
        let (first, second, gap) = if ta > tb {
            (a_args.clone(), b_args.clone(), ta - tb)
        } else {
            (b_args.clone(), a_args.clone(), tb - ta)
        };
        let gap = if round % 2 == 0 {
            gap + jitter
        } else {
            gap.saturating_sub(jitter)
        };
        let c1 = spawn(&strs(&first));
        std::thread::sleep(gap);
        let c2 = spawn(&strs(&second));
        for c in [c1, c2] {
            assert_ended_cleanly(&c.wait_with_output().unwrap());
        }
        let got = read(target).expect("one of the runs wrote the file");
        assert!(
            got == a || got == b,
            "round {round}: {}",
            describe(&got, &[&a, &b])
        );
    }
    let dir = target.parent().unwrap();
    assert_eq!(
        temporaries(dir),
        Vec::<String>::new(),
        "temporary files left behind"
    );
}

fn output_args(cmd: &[&str], src: &str, target: &Path) -> Vec<String> {
    let mut v: Vec<String> = cmd.iter().map(|a| a.to_string()).collect();
    v.push(src.to_string());
    for a in ["--output", s(target), "--force", "--as-of", "2026-11-24"] {
        v.push(a.to_string());
    }
    v
}

#[test]
fn two_reports_at_once_give_one_whole_report() {
    let out = tempfile::tempdir().unwrap();
    let target: PathBuf = out.path().join("same.html");
    race(&target, 6, |src| output_args(&["report"], src, &target));
}

#[test]
fn two_gap_jsons_at_once_give_one_whole_file() {
    let out = tempfile::tempdir().unwrap();
    let target: PathBuf = out.path().join("same.json");
    race(&target, 6, |src| {
        output_args(&["gap", "--format", "json"], src, &target)
    });
}

#[test]
fn two_packs_at_once_give_one_whole_pack() {
    let out = tempfile::tempdir().unwrap();
    let target: PathBuf = out.path().join("same.zip");
    race(&target, 4, |src| output_args(&["pack"], src, &target));
}

// ---------------------------------------------------------------------------
// Stopping a run at an exact moment. Sleeps land where they land; these
// tests watch the output folder (inotify) and stop or kill the run at its
// first, second, … write there, so that the moments at which a partial
// file could exist are hit on purpose.

#[cfg(target_os = "linux")]
mod watched {
    use super::*;
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;

    /// Creations, writes and renames into one folder.
    pub struct Watch {
        fd: i32,
        buf: Vec<u8>,
        pending: std::collections::VecDeque<(String, u32)>,
    }

    impl Watch {
        pub fn new(dir: &Path) -> Watch {
            // SAFETY: plain system calls on a fresh descriptor and a valid C string.
            let fd = unsafe { libc::inotify_init1(libc::IN_CLOEXEC | libc::IN_NONBLOCK) };
            assert!(fd >= 0, "inotify_init1");
            let c = CString::new(dir.as_os_str().as_bytes()).unwrap();
            let mask = libc::IN_CREATE | libc::IN_MODIFY | libc::IN_MOVED_TO;
            let wd = unsafe { libc::inotify_add_watch(fd, c.as_ptr(), mask) };
            assert!(wd >= 0, "inotify_add_watch");
            Watch {
                fd,
                buf: vec![0; 64 * 1024],
                pending: Default::default(),
            }
        }

        /// The next event (file name, mask), or `None` after `limit`.
        pub fn next(&mut self, limit: Duration) -> Option<(String, u32)> {
            let deadline = Instant::now() + limit;
            while self.pending.is_empty() {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return None;
                }
                let mut p = libc::pollfd {
                    fd: self.fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                let ms = left.as_millis().clamp(1, 1000) as i32;
                // SAFETY: one valid pollfd.
                if unsafe { libc::poll(&mut p, 1, ms) } <= 0 {
                    continue;
                }
                // SAFETY: reading into our own buffer of that length.
                let n =
                    unsafe { libc::read(self.fd, self.buf.as_mut_ptr().cast(), self.buf.len()) };
                if n <= 0 {
                    continue;
                }
                let head = std::mem::size_of::<libc::inotify_event>();
                let mut off = 0usize;
                while off + head <= n as usize {
                    // SAFETY: the kernel wrote a whole event at `off`.
                    let ev: libc::inotify_event =
                        unsafe { std::ptr::read_unaligned(self.buf.as_ptr().add(off).cast()) };
                    let name = &self.buf[off + head..off + head + ev.len as usize];
                    let name = name.split(|b| *b == 0).next().unwrap_or_default();
                    self.pending
                        .push_back((String::from_utf8_lossy(name).into_owned(), ev.mask));
                    off += head + ev.len as usize;
                }
            }
            self.pending.pop_front()
        }
    }

    impl Drop for Watch {
        fn drop(&mut self) {
            // SAFETY: our own descriptor, closed once.
            unsafe { libc::close(self.fd) };
        }
    }

    pub fn signal(child: &Child, sig: i32) {
        // SAFETY: a signal to our own child, which has not been reaped yet.
        unsafe { libc::kill(child.id() as i32, sig) };
    }

    /// Wait for the `nth` event (1-based) of `child` in the watched
    /// folder; `false` when it ends first (or after `limit`).
    pub fn nth_event(w: &mut Watch, child: &mut Child, nth: usize, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        let mut count = 0;
        while Instant::now() < deadline {
            match w.next(Duration::from_millis(20)) {
                Some(_) => {
                    count += 1;
                    if count == nth {
                        return true;
                    }
                }
                None => {
                    if child.try_wait().ok().flatten().is_some() {
                        return false;
                    }
                }
            }
        }
        false
    }

    /// Run `args` in `dir` and SIGKILL it at its `nth` event there;
    /// returns whether it was killed (rather than done before).
    pub fn kill_at_event(args: &[&str], dir: &Path, nth: usize, limit: Duration) -> bool {
        let mut w = Watch::new(dir);
        let mut child = spawn(args);
        let hit = nth_event(&mut w, &mut child, nth, limit);
        if hit {
            signal(&child, libc::SIGKILL);
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        hit && status.code().is_none()
    }
}

/// `report --output X --force` killed at each of its writes in X's folder
/// (creating a temporary file, each write to it, the rename): X is then
/// nothing, the previous file or the new one.
#[cfg(target_os = "linux")]
#[test]
fn a_report_killed_at_each_write_leaves_no_partial_file() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("report.md");
    let args = |src: &str| output_args(&["report", "--format", "markdown"], src, &target);
    let (old_args, new_args) = (args(&example("hospital")), args(&example("bank")));
    run_ok(&strs(&old_args), &[0]);
    let old = read(&target).unwrap();
    run_ok(&strs(&new_args), &[0]);
    let new = read(&target).unwrap();
    let mut killed = 0;
    for nth in 1..=6 {
        for previous in [false, true] {
            if previous {
                std::fs::write(&target, &old).unwrap();
            } else {
                let _ = std::fs::remove_file(&target);
            }
            let was_running =
                watched::kill_at_event(&strs(&new_args), out.path(), nth, Duration::from_secs(20));
            killed += usize::from(was_running);
            match read(&target) {
                None => assert!(!previous, "a killed run removed the previous report"),
                Some(b) => assert!(
                    b == new || (previous && b == old),
                    "killed at write {nth}: {}",
                    describe(&b, &[&old, &new])
                ),
            }
        }
    }
    assert!(killed > 0, "no run was killed while it was writing");
    run_ok(&strs(&new_args), &[0]);
    assert_eq!(read(&target).unwrap(), new);
    assert_eq!(
        temporaries(out.path()),
        Vec::<String>::new(),
        "temporary files left behind"
    );
}

/// `init` killed at each of its writes: every file or none of them.
#[cfg(target_os = "linux")]
#[test]
fn an_init_killed_at_each_write_leaves_nothing_or_every_file() {
    let base = tempfile::tempdir().unwrap();
    let reference = base.path().join("reference");
    std::fs::create_dir(&reference).unwrap();
    run_ok(&strs(&init_args(&reference)), &[0]);
    let mut seen = [0usize; 3];
    for nth in 1..=14 {
        let dir = base.path().join(format!("run{nth}"));
        std::fs::create_dir(&dir).unwrap();
        watched::kill_at_event(&strs(&init_args(&dir)), &dir, nth, Duration::from_secs(10));
        seen[check_killed_init(&dir, &reference, &format!("killed at write {nth}"))] += 1;
    }
    eprintln!(
        "inits killed at a write left: nothing {}, part (undone) {}, every file {}",
        seen[0], seen[1], seen[2]
    );
}

/// Two runs with the same `--output`, the first stopped (SIGSTOP) at its
/// `nth` write while the second runs to the end, then let go: the file is
/// one of the two complete outputs (the first run's, as it finishes last).
#[cfg(target_os = "linux")]
fn interleaved(target: &Path, make: impl Fn(&str) -> Vec<String>) {
    let dir = target.parent().unwrap();
    let (a_args, b_args) = (make(&example("bank")), make(&example("hospital")));
    run_ok(&strs(&a_args), &[0, 1]);
    let a = read(target).unwrap();
    run_ok(&strs(&b_args), &[0, 1]);
    let b = read(target).unwrap();
    for nth in [1, 2, 3, 5, 8] {
        let mut w = watched::Watch::new(dir);
        let mut first = spawn(&strs(&a_args));
        let stopped = watched::nth_event(&mut w, &mut first, nth, Duration::from_secs(20));
        if stopped {
            watched::signal(&first, libc::SIGSTOP);
        }
        drop(w);
        // The second run, start to end, while the first is stopped mid-write.
        let second = aims_cmd(&strs(&b_args)).output().unwrap();
        if stopped {
            watched::signal(&first, libc::SIGCONT);
        }
        let first = first.wait_with_output().unwrap();
        for o in [&first, &second] {
            assert_ended_cleanly(o);
        }
        let got = read(target).expect("one of the runs wrote the file");
        assert!(
            got == a || got == b,
            "first run stopped at write {nth}: {}",
            describe(&got, &[&a, &b])
        );
    }
    assert_eq!(
        temporaries(dir),
        Vec::<String>::new(),
        "temporary files left behind"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_report_written_while_another_is_half_written_is_whole() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("same.html");
    interleaved(&target, |src| output_args(&["report"], src, &target));
}

#[cfg(target_os = "linux")]
#[test]
fn a_gap_json_written_while_another_is_half_written_is_whole() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("same.json");
    interleaved(&target, |src| {
        output_args(&["gap", "--format", "json"], src, &target)
    });
}

#[cfg(target_os = "linux")]
#[test]
fn a_pack_written_while_another_is_half_written_is_whole() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("same.zip");
    interleaved(&target, |src| output_args(&["pack"], src, &target));
}

/// `pack --output FOLDER --force` over a previous pack, killed at each of
/// its steps in the parent folder: FOLDER is always a whole pack, the
/// previous one or the new one (never missing), and it verifies.
#[cfg(target_os = "linux")]
#[test]
fn a_folder_pack_killed_while_replacing_is_the_old_or_the_new_pack() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("pack");
    let args = |src: &str| output_args(&["pack"], src, &target);
    let (old_args, new_args) = (args(&example("hospital")), args(&example("bank")));
    run_ok(&strs(&new_args), &[0]);
    let new = read(&target.join("manifest.json")).unwrap();
    run_ok(&strs(&old_args), &[0]);
    let old = read(&target.join("manifest.json")).unwrap();
    assert_ne!(old, new);
    // The swap comes at the second or third step: those are tried thrice.
    for nth in [1, 2, 2, 2, 3, 3, 3, 4, 5] {
        watched::kill_at_event(&strs(&new_args), out.path(), nth, Duration::from_secs(30));
        let got = read(&target.join("manifest.json"));
        assert!(
            got.as_ref() == Some(&old) || got.as_ref() == Some(&new),
            "killed at step {nth}: the pack folder is {}",
            if got.is_none() {
                "missing"
            } else {
                "neither pack"
            }
        );
        run_ok(&["verify", s(&target)], &[0]);
        // Put the previous pack back for the next kill.
        if got.as_ref() == Some(&new) {
            run_ok(&strs(&old_args), &[0]);
        }
    }
    run_ok(&strs(&new_args), &[0]);
    assert_eq!(read(&target.join("manifest.json")).unwrap(), new);
    assert_eq!(
        temporaries(out.path()),
        Vec::<String>::new(),
        "temporary files left behind"
    );
}
