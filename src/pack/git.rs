//! The commit a pack was made from, read from `.git` without a git binary.

use std::fs;
use std::path::Path;

/// The commit checked out in the repository holding `dir`, read from `.git`
/// (no git binary needed); `None` outside a repository.
pub fn git_commit(dir: &Path) -> Option<String> {
    let mut d = fs::canonicalize(dir).ok()?;
    let git = loop {
        let g = d.join(".git");
        if g.is_dir() {
            break g;
        }
        if g.is_file() {
            // A worktree or submodule: `gitdir: PATH`.
            let text = git_file(&g)?;
            let p = text.strip_prefix("gitdir:")?.trim();
            break d.join(p);
        }
        if !d.pop() {
            return None;
        }
    };
    let head = git_file(&git.join("HEAD"))?;
    let head = head.trim();
    let Some(reference) = head.strip_prefix("ref:").map(str::trim) else {
        return is_hex_commit(head).then(|| head.to_string());
    };
    let common = git_file(&git.join("commondir"))
        .map(|c| git.join(c.trim()))
        .unwrap_or_else(|| git.clone());
    for base in [&git, &common] {
        if let Some(c) = git_file(&base.join(reference)) {
            let c = c.trim().to_string();
            if is_hex_commit(&c) {
                return Some(c);
            }
        }
        if let Some(packed) = git_file(&base.join("packed-refs")) {
            for line in packed.lines() {
                if let Some((hash, name)) = line.split_once(' ')
                    && name == reference
                    && is_hex_commit(hash)
                {
                    return Some(hash.to_string());
                }
            }
        }
    }
    None
}

/// A file of git's own (HEAD, a ref): a small regular file, opened with
/// the same checks as every other (a FIFO is never opened); only a commit
/// hash found in it is ever used.
fn git_file(p: &Path) -> Option<String> {
    crate::load::safe::read_given_text(p, 16 * 1024 * 1024).ok()
}

fn is_hex_commit(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_commit_is_read_without_git() {
        let dir = tempfile::tempdir().unwrap();
        let g = dir.path().join(".git");
        fs::create_dir_all(g.join("refs/heads")).unwrap();
        fs::write(g.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        assert_eq!(git_commit(dir.path()), None);
        let c = "0123456789abcdef0123456789abcdef01234567";
        fs::write(
            g.join("packed-refs"),
            format!("# pack-refs\n{c} refs/heads/main\n"),
        )
        .unwrap();
        assert_eq!(git_commit(dir.path()).as_deref(), Some(c));
        let d = "89abcdef0123456789abcdef0123456789abcdef";
        fs::write(g.join("refs/heads/main"), format!("{d}\n")).unwrap();
        assert_eq!(git_commit(&dir.path().join("")).as_deref(), Some(d));
    }
}
