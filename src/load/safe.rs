//! One safe way in: every file `aims` reads from a repository goes through
//! [`Root::open`].
//!
//! A pull request can add a symlink to `/etc/passwd` or `/proc/self/environ`
//! and let CI print it in an error snippet. So a path is refused when it
//! leaves its root by its text (absolute, `..`), or after symlinks are
//! resolved; what is opened is opened without following a final symlink
//! and without blocking (a FIFO must not hang a run), and the handle is
//! checked again after opening: it must be a regular file whose real path
//! (from `/proc/self/fd` on Linux, else its device and inode) is still
//! under the root. The caller reads, hashes and copies from that handle,
//! so a file swapped for a symlink between a check and its use is never
//! read.

use std::fmt;
use std::fs::{self, File, Metadata};
use std::io;
use std::path::{Component, Path, PathBuf};

/// Why a file was not opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The path, or a symlink on the way, leads outside the root.
    Outside,
    /// Nothing at that path.
    Missing,
    /// A symlink whose target does not exist.
    Dangling,
    /// Permission denied on the file or a folder on the way.
    Denied,
    /// Something other than a regular file ("a folder", "a FIFO", ...).
    NotAFile(&'static str),
    /// Any other error, as the system reported it.
    Io(String),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Outside => f.write_str(
                "it leads outside the folder it must stay in (by `..`, an absolute path or a symlink); it was not read",
            ),
            Refusal::Missing => f.write_str("it does not exist"),
            Refusal::Dangling => f.write_str("it is a symlink to something that does not exist"),
            Refusal::Denied => f.write_str("permission denied"),
            Refusal::NotAFile(kind) => write!(f, "it is {kind}, not a regular file"),
            Refusal::Io(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for Refusal {}

impl Refusal {
    fn from_io(e: &io::Error) -> Refusal {
        match e.kind() {
            io::ErrorKind::NotFound => Refusal::Missing,
            io::ErrorKind::PermissionDenied => Refusal::Denied,
            _ if e.raw_os_error() == Some(ELOOP) => Refusal::Io("it is a symlink loop".to_string()),
            _ => Refusal::Io(crate::load::safe::io_reason(e)),
        }
    }
}

#[cfg(unix)]
const ELOOP: i32 = libc::ELOOP;
#[cfg(not(unix))]
const ELOOP: i32 = -1;

/// A short reason for an I/O error, without the "(os error N)" tail.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "it does not exist".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// What a file system entry is, in words, for messages.
pub fn kind_of(meta: &Metadata) -> &'static str {
    let ft = meta.file_type();
    if ft.is_dir() {
        return "a folder";
    }
    if ft.is_symlink() {
        return "a symlink";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device file";
        }
    }
    if ft.is_file() {
        "a file"
    } else {
        "a special file"
    }
}

/// A file opened and checked: read, hash and copy from `file`.
#[derive(Debug)]
pub struct Opened {
    pub file: File,
    pub len: u64,
}

/// A folder that files are contained in.
#[derive(Clone, Debug)]
pub struct Root {
    /// As given (for joining and messages).
    path: PathBuf,
    /// After symlinks; `None` when the folder does not exist.
    canon: Option<PathBuf>,
}

/// Lexically normalise `p` relative to its start; `None` when it is
/// absolute or climbs above its start.
pub fn normalise(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

impl Root {
    pub fn new(path: &Path) -> Root {
        Root {
            path: path.to_path_buf(),
            canon: fs::canonicalize(path).ok(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The root after symlinks, when it exists.
    pub fn canonical(&self) -> Option<&Path> {
        self.canon.as_deref()
    }

    /// Whether `path` (already canonical) is the root or under it.
    pub fn holds_canonical(&self, path: &Path) -> bool {
        self.canon.as_deref().is_some_and(|c| path.starts_with(c))
    }

    /// The canonical path of `path` (relative to the root, or absolute),
    /// refused when it is not under the root. Reads links, never contents.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let Some(canon_root) = &self.canon else {
            return Err(Refusal::Missing);
        };
        let full = if path.is_absolute() {
            path.to_path_buf()
        } else {
            match normalise(path) {
                Some(rel) => self.path.join(rel),
                None => return Err(Refusal::Outside),
            }
        };
        let link = match fs::symlink_metadata(&full) {
            Ok(m) => m,
            Err(e) => return Err(Refusal::from_io(&e)),
        };
        let canon = match fs::canonicalize(&full) {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::NotFound && link.file_type().is_symlink() => {
                // Where does it point? Outside is the stronger statement.
                return match fs::read_link(&full) {
                    Ok(t) if t.is_absolute() || normalise(&t).is_none() => Err(Refusal::Outside),
                    _ => Err(Refusal::Dangling),
                };
            }
            Err(e) => return Err(Refusal::from_io(&e)),
        };
        if !canon.starts_with(canon_root) {
            return Err(Refusal::Outside);
        }
        Ok(canon)
    }

    /// Open a regular file under the root for reading, with every check.
    pub fn open(&self, path: &Path) -> Result<Opened, Refusal> {
        let canon = self.resolve(path)?;
        let opened = open_regular(&canon)?;
        if !self.still_inside(&opened.file, &canon) {
            return Err(Refusal::Outside);
        }
        Ok(opened)
    }

    /// After opening: the handle's real path is under the root.
    fn still_inside(&self, file: &File, canon: &Path) -> bool {
        let Some(canon_root) = &self.canon else {
            return false;
        };
        match real_path(file) {
            Some(real) => real.starts_with(canon_root),
            // No /proc: the handle must be the very file the path names now.
            None => same_file(file, canon),
        }
    }
}

/// Open a path the operator typed (a key, the pack to verify): no root to
/// stay under, but the same refusals of folders, FIFOs and devices.
pub fn open_given(path: &Path) -> Result<Opened, Refusal> {
    let canon = fs::canonicalize(path).map_err(|e| Refusal::from_io(&e))?;
    open_regular(&canon)
}

/// The text of a small file the operator named (a baseline), with the
/// checks of [`open_given`]: at most `cap` bytes, UTF-8.
pub fn read_given_text(path: &Path, cap: u64) -> Result<String, ReadTextError> {
    use std::io::Read;
    let opened = open_given(path)?;
    if opened.len > cap {
        return Err(ReadTextError::TooLarge {
            len: opened.len,
            cap,
        });
    }
    let mut bytes = Vec::new();
    opened
        .file
        .take(cap)
        .read_to_end(&mut bytes)
        .map_err(ReadTextError::Read)?;
    String::from_utf8(bytes).map_err(|_| ReadTextError::NotUtf8)
}

/// Why [`read_given_text`] gave no text. Says what is wrong with the file,
/// without naming it: the caller names it.
#[derive(Debug, thiserror::Error)]
pub enum ReadTextError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// Longer than the limit (both in bytes; said in MiB).
    #[error("it is {} MiB; the limit is {} MiB", .len / (1024 * 1024), .cap / (1024 * 1024))]
    TooLarge { len: u64, cap: u64 },
    #[error("{}", io_reason(.0))]
    Read(#[source] io::Error),
    #[error("it is not UTF-8 text")]
    NotUtf8,
}

/// Open without following a final symlink and without blocking, then
/// check what was opened is a regular file. Checks the type before
/// opening too, so a device file is never opened at all.
fn open_regular(path: &Path) -> Result<Opened, Refusal> {
    let before = fs::symlink_metadata(path).map_err(|e| Refusal::from_io(&e))?;
    if !before.is_file() {
        return Err(Refusal::NotAFile(kind_of(&before)));
    }
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC);
    }
    let file = options.open(path).map_err(|e| {
        if e.raw_os_error() == Some(ELOOP) {
            // Swapped for a symlink since the check.
            Refusal::Outside
        } else {
            Refusal::from_io(&e)
        }
    })?;
    let meta = file.metadata().map_err(|e| Refusal::from_io(&e))?;
    if !meta.is_file() {
        return Err(Refusal::NotAFile(kind_of(&meta)));
    }
    Ok(Opened {
        len: meta.len(),
        file,
    })
}

#[cfg(target_os = "linux")]
fn real_path(file: &File) -> Option<PathBuf> {
    use std::os::fd::AsRawFd;
    fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())).ok()
}

#[cfg(not(target_os = "linux"))]
fn real_path(_: &File) -> Option<PathBuf> {
    None
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, _: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn read(o: Opened) -> String {
        let mut s = String::new();
        let mut f = o.file;
        f.read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn opens_files_under_the_root_and_refuses_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        fs::create_dir_all(root.join("sub")).unwrap();
        fs::write(root.join("sub/a.txt"), "inside").unwrap();
        fs::write(dir.path().join("secret"), "outside").unwrap();
        let r = Root::new(&root);
        assert_eq!(read(r.open(Path::new("sub/a.txt")).unwrap()), "inside");
        assert_eq!(read(r.open(&root.join("sub/a.txt")).unwrap()), "inside");
        assert_eq!(
            r.open(Path::new("../secret")).unwrap_err(),
            Refusal::Outside
        );
        assert_eq!(
            r.open(&dir.path().join("secret")).unwrap_err(),
            Refusal::Outside
        );
        assert_eq!(r.open(Path::new("nope")).unwrap_err(), Refusal::Missing);
        assert_eq!(
            r.open(Path::new("sub")).unwrap_err(),
            Refusal::NotAFile("a folder")
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_fifos_and_devices_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        fs::create_dir_all(&root).unwrap();
        fs::write(dir.path().join("secret"), "outside").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), root.join("link")).unwrap();
        std::os::unix::fs::symlink("/etc", root.join("etc")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("zero")).unwrap();
        std::os::unix::fs::symlink("/nowhere/at/all", root.join("dangling")).unwrap();
        fs::write(root.join("real"), "x").unwrap();
        std::os::unix::fs::symlink("real", root.join("good-link")).unwrap();
        let fifo = root.join("fifo");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let r = Root::new(&root);
        for p in ["link", "etc/passwd", "zero", "dangling"] {
            assert_eq!(r.open(Path::new(p)).unwrap_err(), Refusal::Outside, "{p}");
        }
        assert_eq!(
            r.open(Path::new("fifo")).unwrap_err(),
            Refusal::NotAFile("a FIFO")
        );
        assert_eq!(read(r.open(Path::new("good-link")).unwrap()), "x");
        assert_eq!(
            open_given(Path::new("/dev/null")).unwrap_err(),
            Refusal::NotAFile("a device file")
        );
    }
}
