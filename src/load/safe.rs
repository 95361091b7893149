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
    /// The folder held open (`O_PATH`), to open files beneath it in one
    /// step where the kernel can (see [`Root::open`]).
    #[cfg(target_os = "linux")]
    dir: Option<std::sync::Arc<std::os::fd::OwnedFd>>,
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
        let canon = fs::canonicalize(path).ok();
        Root {
            path: path.to_path_buf(),
            #[cfg(target_os = "linux")]
            dir: canon.as_deref().and_then(open_dir),
            canon,
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
    ///
    /// On Linux the kernel resolves the path beneath the root in one call
    /// (`openat2` with `RESOLVE_BENEATH`): a path that would leave the root,
    /// through `..` or a symlink, fails there, before anything is opened.
    /// Only a regular file found that way is opened for reading; anything
    /// else (a refusal, a symlink as the last name, an old kernel) takes the
    /// path below, which says precisely what is wrong. The check costs four
    /// system calls instead of one per folder on the way (`realpath`), which
    /// was most of the system time of `aims gap` on 20,000 evidence files.
    pub fn open(&self, path: &Path) -> Result<Opened, Refusal> {
        #[cfg(target_os = "linux")]
        if let Some(opened) = self.open_beneath(path) {
            return Ok(opened);
        }
        let canon = self.resolve(path)?;
        let opened = open_regular(&canon)?;
        if !self.still_inside(&opened.file, &canon) {
            return Err(Refusal::Outside);
        }
        Ok(opened)
    }

    #[cfg(target_os = "linux")]
    fn open_beneath(&self, path: &Path) -> Option<Opened> {
        use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::OpenOptionsExt;
        let dir = self.dir.as_ref()?;
        let rel = if path.is_absolute() {
            path.strip_prefix(&self.path).ok()?
        } else {
            path
        };
        let rel = normalise(rel)?;
        if rel.as_os_str().is_empty() {
            return None;
        }
        let name = std::ffi::CString::new(rel.as_os_str().as_bytes()).ok()?;
        // SAFETY: `open_how` is plain data; zero is a valid value of every field.
        let mut how: libc::open_how = unsafe { std::mem::zeroed() };
        // O_PATH opens nothing: no FIFO blocks, no device acts, until the
        // handle is known to be a regular file.
        how.flags = (libc::O_PATH | libc::O_NOFOLLOW | libc::O_CLOEXEC) as u64;
        how.resolve = libc::RESOLVE_BENEATH | libc::RESOLVE_NO_MAGICLINKS;
        // SAFETY: a valid directory handle, a NUL-terminated name, and `how`
        // with its size, as openat2(2) asks.
        let fd = unsafe {
            libc::syscall(
                libc::SYS_openat2,
                dir.as_raw_fd(),
                name.as_ptr(),
                &how as *const libc::open_how,
                std::mem::size_of::<libc::open_how>(),
            )
        };
        let fd = i32::try_from(fd).ok().filter(|fd| *fd >= 0)?;
        // SAFETY: openat2 returned a new handle that nothing else owns.
        let handle = unsafe { OwnedFd::from_raw_fd(fd) };
        // SAFETY: `stat` is plain data, filled by fstat on success.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: a valid handle and a `stat` to fill.
        if unsafe { libc::fstat(handle.as_raw_fd(), &mut st) } != 0
            || st.st_mode & libc::S_IFMT != libc::S_IFREG
        {
            return None;
        }
        // Reopen the very file the handle holds, for reading.
        let file = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC)
            .open(format!("/proc/self/fd/{}", handle.as_raw_fd()))
            .ok()?;
        Some(Opened {
            len: u64::try_from(st.st_size).unwrap_or(0),
            file,
        })
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

/// A folder held open as a handle for `openat2`, not for reading.
#[cfg(target_os = "linux")]
fn open_dir(path: &Path) -> Option<std::sync::Arc<std::os::fd::OwnedFd>> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC)
        .open(path)
        .ok()?;
    Some(std::sync::Arc::new(dir.into()))
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

    #[cfg(target_os = "linux")]
    #[test]
    fn the_kernel_resolves_beneath_the_root_or_the_careful_path_decides() {
        use std::os::unix::fs::symlink;
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("root");
        fs::create_dir_all(root.join("docs/sub")).unwrap();
        fs::write(root.join("docs/sub/a.md"), "inside").unwrap();
        fs::write(d.path().join("secret.txt"), "outside").unwrap();
        symlink("docs/sub", root.join("alias")).unwrap();
        symlink("../../secret.txt", root.join("docs/leak.md")).unwrap();
        symlink(d.path(), root.join("up")).unwrap();
        symlink("sub/a.md", root.join("docs/last.md")).unwrap();
        let r = Root::new(&root);
        // A regular file, also through a folder symlink that stays inside:
        // opened in one step.
        assert_eq!(
            read(r.open_beneath(Path::new("docs/sub/a.md")).unwrap()),
            "inside"
        );
        assert_eq!(
            read(r.open_beneath(Path::new("alias/a.md")).unwrap()),
            "inside"
        );
        assert!(r.open_beneath(&root.join("docs/sub/a.md")).is_some());
        // Out of the root by a symlink, a folder, or a symlink as the last
        // name: the kernel refuses or the handle is not a file, and the
        // careful path gives the reason.
        for p in [
            "docs/leak.md",
            "up/secret.txt",
            "docs",
            "docs/last.md",
            "../secret.txt",
        ] {
            assert!(r.open_beneath(Path::new(p)).is_none(), "{p}");
        }
        assert!(matches!(
            r.open(Path::new("docs/leak.md")),
            Err(Refusal::Outside)
        ));
        assert!(matches!(
            r.open(Path::new("up/secret.txt")),
            Err(Refusal::Outside)
        ));
        // A last-name symlink that stays inside is still read, the careful way.
        assert_eq!(read(r.open(Path::new("docs/last.md")).unwrap()), "inside");
    }
}
