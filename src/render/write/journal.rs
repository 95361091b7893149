//! All-or-none writing of several new files (`aims init`): staged under
//! temporary names, renamed into place under a journal that the next
//! run's sweep undoes when a run was killed part-way.

use super::*;

/// Write several new files under `dir` (`aims init`): each is staged
/// complete under a temporary name first (a new sub-folder as a whole),
/// then all are renamed into place under a journal. A run that fails
/// undoes its renames at once; a run killed during the renames leaves
/// part of the files and its journal, and the next run's [`sweep_stale`]
/// undoes them, as it removes the temporary files. So the files end up
/// all there or none. Never overwrites.
pub fn write_all_or_none(dir: &Path, files: &[(&str, String)]) -> Result<(), WriteError> {
    use std::collections::BTreeMap;
    sweep_stale(dir);
    let io = |what: &Path, source: std::io::Error| WriteError::Write {
        path: what.to_path_buf(),
        source,
    };
    // New sub-folders are built whole under a temporary name.
    let mut new_dirs: BTreeMap<String, tempfile::TempDir> = BTreeMap::new();
    let mut staged: Vec<(tempfile::NamedTempFile, PathBuf)> = Vec::new();
    for (rel, content) in files {
        let target = dir.join(rel);
        let (sub, holder) = match rel.split_once('/') {
            Some((sub, _)) if !dir.join(sub).exists() => {
                if !new_dirs.contains_key(sub) {
                    let t = tmp_builder(0o777).tempdir_in(dir).map_err(|e| io(dir, e))?;
                    new_dirs.insert(sub.to_string(), t);
                }
                let t = &new_dirs[sub];
                let inner = t.path().join(&rel[sub.len() + 1..]);
                if let Some(p) = inner.parent() {
                    std::fs::create_dir_all(p).map_err(|e| io(p, e))?;
                }
                (Some(sub), inner)
            }
            _ => (None, target.clone()),
        };
        let folder = parent_of(&holder);
        let mut tmp = tmp_builder(0o666)
            .tempfile_in(&folder)
            .map_err(|e| io(&folder, e))?;
        tmp.write_all(content.as_bytes())
            .and_then(|_| tmp.as_file().sync_all())
            .map_err(|e| io(&target, e))?;
        match sub {
            // Inside a staged folder: give it its final name there now.
            Some(_) => {
                tmp.persist_noclobber(&holder)
                    .map_err(|e| io(&target, e.error))?;
            }
            None => staged.push((tmp, target)),
        }
    }
    // Several renames cannot be one: a journal of what is about to be put
    // in place (with each file's hash) lets a run that fails half-way undo
    // its renames at once, and lets the next run undo those of a run that
    // was killed half-way (see `sweep_stale`). It is removed once all are in
    // place, so the files end up all there or none.
    let journal_text = journal(files, &new_dirs);
    let journal_path = dir.join(format!(
        "{TMP_PREFIX}{}{JOURNAL_SUFFIX}",
        std::process::id()
    ));
    {
        let mut j = tmp_builder(0o666)
            .tempfile_in(dir)
            .map_err(|e| io(dir, e))?;
        j.write_all(journal_text.as_bytes())
            .and_then(|_| j.as_file().sync_all())
            .map_err(|e| io(&journal_path, e))?;
        j.persist(&journal_path)
            .map_err(|e| io(&journal_path, e.error))?;
    }
    let undo = |err: WriteError| {
        roll_back(dir, &journal_text);
        let _ = std::fs::remove_file(&journal_path);
        Err(err)
    };
    for (tmp, target) in staged {
        if let Err(e) = tmp.persist_noclobber(&target) {
            let err = if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                WriteError::NotOverwritten {
                    path: target.clone(),
                }
            } else {
                io(&target, e.error)
            };
            return undo(err);
        }
    }
    for (sub, t) in new_dirs {
        let target = dir.join(&sub);
        let staged = t.keep();
        if let Err(e) = std::fs::rename(&staged, &target) {
            let _ = std::fs::remove_dir_all(&staged);
            return undo(io(&target, e));
        }
    }
    let _ = std::fs::remove_file(&journal_path);
    Ok(())
}

/// Name ending of the journal of a [`write_all_or_none`] in progress:
/// `.aims-tmp-PID-journal`.
pub(super) const JOURNAL_SUFFIX: &str = "-journal";

/// One line per file (`file SHA256 PATH`) and per new folder
/// (`dir PATH`), paths relative to the folder written in.
fn journal(
    files: &[(&str, String)],
    new_dirs: &std::collections::BTreeMap<String, tempfile::TempDir>,
) -> String {
    let mut out = String::new();
    for (rel, content) in files {
        let sha = crate::assess::evidence::hash_reader(&mut content.as_bytes()).unwrap_or_default();
        out.push_str(&format!("file {sha} {rel}\n"));
    }
    for sub in new_dirs.keys() {
        out.push_str(&format!("dir {sub}\n"));
    }
    out
}

/// Undo a half-done [`write_all_or_none`] from its journal: remove each
/// listed file that is exactly what that run wrote (a file changed since
/// is kept), then each listed folder left empty. When every listed file is
/// there and unchanged the run had finished its renames, and nothing is
/// undone.
pub(super) fn roll_back(dir: &Path, journal: &str) {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for line in journal.lines() {
        match line.split_once(' ') {
            Some(("file", rest)) => {
                if let Some((sha, rel)) = rest.split_once(' ') {
                    files.push((sha, rel));
                }
            }
            Some(("dir", rel)) => dirs.push(rel),
            _ => {}
        }
    }
    let ours = |rel: &str, sha: &str| {
        let p = dir.join(rel);
        p.symlink_metadata().is_ok_and(|m| m.is_file())
            && std::fs::File::open(&p)
                .and_then(|mut f| crate::assess::evidence::hash_reader(&mut f))
                .is_ok_and(|h| h == sha)
    };
    // Every file listed must be a plain relative name of ours.
    let safe = |rel: &str| {
        !rel.is_empty()
            && Path::new(rel)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
    };
    if files.iter().all(|(sha, rel)| safe(rel) && ours(rel, sha)) {
        return;
    }
    for (sha, rel) in files {
        if safe(rel) && ours(rel, sha) {
            let _ = std::fs::remove_file(dir.join(rel));
        }
    }
    for rel in dirs {
        if safe(rel) {
            let _ = std::fs::remove_dir(dir.join(rel));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_half_done_write_all_or_none_is_undone_by_the_next_sweep() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let files = [
            ("a.txt", "one".to_string()),
            ("sub/b.txt", "two".to_string()),
        ];
        // What a run (of a process that no longer exists) killed after its
        // first rename leaves: one file in place, its journal beside it.
        let mut text = String::new();
        for (rel, content) in &files {
            let sha = crate::assess::evidence::hash_reader(&mut content.as_bytes()).unwrap();
            text.push_str(&format!("file {sha} {rel}\n"));
        }
        text.push_str("dir sub\n");
        let dead = 999_999_999u32;
        let journal = d.join(format!("{TMP_PREFIX}{dead}{JOURNAL_SUFFIX}"));
        std::fs::write(&journal, &text).unwrap();
        std::fs::write(d.join("a.txt"), "one").unwrap();
        std::fs::write(d.join("kept.txt"), "not ours").unwrap();
        sweep_stale(d);
        assert!(!d.join("a.txt").exists(), "the half-done rename is undone");
        assert!(!journal.exists());
        assert!(d.join("kept.txt").exists());
        // A file changed since is never removed.
        std::fs::write(&journal, &text).unwrap();
        std::fs::write(d.join("a.txt"), "edited").unwrap();
        sweep_stale(d);
        assert_eq!(std::fs::read_to_string(d.join("a.txt")).unwrap(), "edited");
        // Every file in place: the run had finished; nothing is undone.
        std::fs::remove_file(d.join("a.txt")).unwrap();
        write_all_or_none(d, &files).unwrap();
        std::fs::write(&journal, &text).unwrap();
        sweep_stale(d);
        assert_eq!(std::fs::read_to_string(d.join("a.txt")).unwrap(), "one");
        assert_eq!(std::fs::read_to_string(d.join("sub/b.txt")).unwrap(), "two");
        assert!(!journal.exists());
    }

    #[test]
    fn a_failed_rename_undoes_the_ones_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // `b.txt` appears after the caller checked: the run fails on it.
        std::fs::write(d.join("b.txt"), "someone else's").unwrap();
        let files = [("a.txt", "one".to_string()), ("b.txt", "two".to_string())];
        assert!(write_all_or_none(d, &files).is_err());
        assert!(!d.join("a.txt").exists(), "a.txt was left behind");
        assert_eq!(
            std::fs::read_to_string(d.join("b.txt")).unwrap(),
            "someone else's"
        );
        let names: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}
