//! Files that are never clobbered and never left half-written: a temporary
//! file renamed into place, `--force` that replaces only what aims wrote,
//! all-or-none writes with a journal, and a sweep of what a killed run left.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::render::RenderError;

mod journal;

pub use journal::write_all_or_none;
use journal::{JOURNAL_SUFFIX, roll_back};

/// Why a file was not written: a refusal to clobber or to replace what is
/// not aims' to replace, or a failure of the temporary file or the rename.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// `--force` never replaces a symlink.
    #[error(
        "`{path}` is a symlink; --force replaces only files and packs aims wrote, never a link. Remove it or choose another --output"
    )]
    Symlink { path: PathBuf },
    /// The target folder holds the inventory or evidence root.
    #[error(
        "`{path}` holds the AIMS itself (its inventory or evidence root); --force never replaces it. Choose another --output"
    )]
    HoldsAims { path: PathBuf },
    /// The target is (`holds: false`) or holds one of the repository's own
    /// files; `what` says which ("the settings file", "evidence `x`", ...).
    #[error(
        "`{path}` {} {what} of this AIMS; --force never replaces the repository's own files. Choose another --output",
        is_or_holds(*.holds)
    )]
    OwnFile {
        path: PathBuf,
        holds: bool,
        what: String,
    },
    /// The target to replace could not be resolved.
    #[error("cannot replace `{path}`: {source}")]
    Replace {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// `--output` names a folder.
    #[error("--output `{path}` is a folder; name a file")]
    OutputIsFolder { path: PathBuf },
    /// The target exists and `--force` was not given.
    #[error("`{path}` already exists; pass --force to overwrite it")]
    Exists { path: PathBuf },
    /// One of several new files exists: none was written.
    #[error("`{path}` already exists; nothing was overwritten")]
    NotOverwritten { path: PathBuf },
    /// The folder to write in does not exist.
    #[error("cannot write `{path}`: folder `{dir}` does not exist")]
    NoFolder { path: PathBuf, dir: PathBuf },
    /// No temporary file could be made in the folder.
    #[error("cannot write in `{dir}`: {source}")]
    TempIn {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Writing, syncing or renaming into place failed.
    #[error("cannot write `{path}`: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn is_or_holds(holds: bool) -> &'static str {
    if holds { "holds" } else { "is" }
}

/// What `--force` must never replace: the files of the loaded AIMS.
/// Judged only when an existing target is about to be replaced.
#[derive(Clone, Copy, Default)]
pub enum Guard<'a> {
    /// No inventory is loaded (`aims controls --output`, `aims keygen`).
    #[default]
    None,
    Project(&'a crate::load::Project),
}

impl Guard<'_> {
    /// The repository's own files (canonical): aims.toml, inventory files,
    /// overlays and every cited evidence file, with what each is.
    fn own_files(&self) -> Vec<(PathBuf, String)> {
        let Guard::Project(p) = self else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut add = |path: PathBuf, what: String| {
            if let Ok(c) = std::fs::canonicalize(&path) {
                out.push((c, what));
            }
        };
        if let Some(c) = &p.config_path {
            add(c.clone(), "the settings file".into());
        }
        for f in &p.paths {
            add(f.clone(), "an inventory file".into());
        }
        for x in &p.config.catalog.extra {
            add(p.root.join(x), "a catalogue overlay".into());
        }
        let ev = crate::assess::evidence::Evidence::new(&p.evidence_root);
        for f in crate::pack::evidence_files(p, &ev).0 {
            add(p.evidence_root.join(&f), format!("evidence `{f}`"));
        }
        out
    }

    /// Folders that hold the AIMS itself: replacing one (or a folder
    /// around one) would delete it.
    fn own_folders(&self) -> Vec<PathBuf> {
        let Guard::Project(p) = self else {
            return Vec::new();
        };
        [&p.root, &p.evidence_root]
            .into_iter()
            .filter_map(|d| std::fs::canonicalize(d).ok())
            .collect()
    }

    /// Refuse to replace `target` (which exists) when it is not ours to replace.
    pub fn check_replace(&self, target: &Path) -> Result<(), WriteError> {
        let path = || target.to_path_buf();
        let meta = match target.symlink_metadata() {
            Ok(m) => m,
            Err(_) => return Ok(()),
        };
        if meta.file_type().is_symlink() {
            return Err(WriteError::Symlink { path: path() });
        }
        let canon = std::fs::canonicalize(target).map_err(|source| WriteError::Replace {
            path: path(),
            source,
        })?;
        if meta.is_dir() {
            for f in self.own_folders() {
                if f.starts_with(&canon) {
                    return Err(WriteError::HoldsAims { path: path() });
                }
            }
        }
        for (f, what) in self.own_files() {
            if f == canon || (meta.is_dir() && f.starts_with(&canon)) {
                return Err(WriteError::OwnFile {
                    path: path(),
                    holds: f != canon,
                    what,
                });
            }
        }
        Ok(())
    }
}

/// Prefix of every temporary file or folder `aims` creates beside a
/// target; the process id lets a later run sweep what a killed run left.
const TMP_PREFIX: &str = ".aims-tmp-";

/// A builder for a temporary file or folder, created with `mode` less the
/// umask: 0o666 gives 0644 and 0o777 gives 0755 under 022 (not tempfile's
/// private 0600); a secret key asks for 0o600 from the start.
pub fn tmp_builder<'a>(mode: u32) -> tempfile::Builder<'a, 'a> {
    let mut b = tempfile::Builder::new();
    static PREFIX: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    b.prefix(PREFIX.get_or_init(|| format!("{TMP_PREFIX}{}-", std::process::id())));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    b
}

/// Remove what killed runs left in `dir`: temporary files and folders of
/// processes that no longer exist. Best effort; never touches anything else.
pub fn sweep_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
    // First undo what a killed `write_all_or_none` had half renamed into
    // place, which its journal lists; then remove its temporary files.
    for e in &entries {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(TMP_PREFIX))
            .and_then(|r| r.strip_suffix(JOURNAL_SUFFIX))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid) {
            if let Ok(text) = std::fs::read_to_string(e.path()) {
                roll_back(dir, &text);
            }
            let _ = std::fs::remove_file(e.path());
        }
    }
    for e in entries {
        let name = e.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TMP_PREFIX)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == std::process::id() || process_alive(pid) {
            continue;
        }
        let p = e.path();
        let _ = match e.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&p),
            Ok(_) => std::fs::remove_file(&p),
            Err(_) => Ok(()),
        };
    }
}

#[cfg(target_os = "linux")]
fn process_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(not(target_os = "linux"))]
fn process_alive(_: u32) -> bool {
    // Without /proc we cannot tell; keep it.
    true
}

/// The folder `path` is written in.
pub fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Give the new file the mode of the one it replaces (`--force` keeps 0644).
pub fn keep_mode(new: &std::fs::File, old: &Path) {
    if let Ok(m) = std::fs::metadata(old) {
        let _ = new.set_permissions(m.permissions());
    }
}

/// Write `content` to `path` through a temporary file in the same folder
/// and a rename, so a reader never sees half a file and a failed run
/// leaves nothing. An existing file is kept unless `force`, and `force`
/// never replaces the repository's own files (see [`Guard`]).
pub fn write_file(
    path: &Path,
    content: &[u8],
    force: bool,
    guard: Guard,
) -> Result<(), RenderError> {
    write_file_mode(path, content, force, guard, 0o666)
}

/// [`write_file`] with the mode to create a new file with (before the umask).
pub fn write_file_mode(
    path: &Path,
    content: &[u8],
    force: bool,
    guard: Guard,
    mode: u32,
) -> Result<(), RenderError> {
    write_file_with(path, force, guard, mode, &mut |w| {
        w.write_all(content).map_err(RenderError::Output)
    })
}

/// What writes an output: given the writer, it streams the content.
pub type Writing<'a> = dyn FnMut(&mut dyn Write) -> Result<(), RenderError> + 'a;

/// A writer that keeps the first I/O error it meets, so that a renderer
/// which reports only "an I/O error" still lets the run say what failed.
pub struct Sink<W: Write> {
    inner: W,
    pub(crate) error: Option<std::io::Error>,
}

impl<W: Write> Sink<W> {
    pub fn new(inner: W) -> Self {
        Sink { inner, error: None }
    }

    fn keep(&mut self, e: std::io::Error) -> std::io::Error {
        let copy = std::io::Error::new(e.kind(), e.to_string());
        self.error.get_or_insert(e);
        copy
    }
}

impl<W: Write> Write for Sink<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf).map_err(|e| self.keep(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().map_err(|e| self.keep(e))
    }
}

/// [`write_file_mode`], with the content streamed by `write` instead of
/// held in memory.
pub fn write_file_with(
    path: &Path,
    force: bool,
    guard: Guard,
    mode: u32,
    write: &mut Writing,
) -> Result<(), RenderError> {
    let target = || path.to_path_buf();
    let failed = |source| WriteError::Write {
        path: target(),
        source,
    };
    if path.is_dir() {
        return Err(WriteError::OutputIsFolder { path: target() }.into());
    }
    let exists = path.symlink_metadata().is_ok();
    if exists && !force {
        return Err(WriteError::Exists { path: target() }.into());
    }
    if exists {
        guard.check_replace(path)?;
    }
    let dir = parent_of(path);
    if !dir.is_dir() {
        return Err(WriteError::NoFolder {
            path: target(),
            dir,
        }
        .into());
    }
    sweep_stale(&dir);
    let tmp = tmp_builder(mode)
        .tempfile_in(&dir)
        .map_err(|source| WriteError::TempIn {
            dir: dir.clone(),
            source,
        })?;
    if exists {
        keep_mode(tmp.as_file(), path);
    }
    {
        let mut sink = Sink::new(std::io::BufWriter::new(tmp.as_file()));
        let wrote = write(&mut sink).and_then(|()| sink.flush().map_err(|e| failed(e).into()));
        // A write that failed is said as the system said it, whatever the
        // renderer made of it; the temporary file is removed on return.
        if let Some(e) = sink.error.take() {
            return Err(failed(e).into());
        }
        wrote?;
    }
    tmp.as_file().sync_all().map_err(failed)?;
    let result = if force {
        tmp.persist(path).map(|_| ())
    } else {
        tmp.persist_noclobber(path).map(|_| ())
    };
    result.map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            WriteError::Exists { path: target() }.into()
        } else {
            failed(e.error).into()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_refuses_to_clobber_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        write_file(&p, b"one", false, Guard::None).unwrap();
        let e = write_file(&p, b"two", false, Guard::None).unwrap_err();
        assert!(e.to_string().contains("--force"));
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        write_file(&p, b"three", true, Guard::None).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"three");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}
