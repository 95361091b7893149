//! Writing a pack: a zip or a folder, built under a temporary name and
//! renamed into place (swapped in one step where the system can).

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::manifest::{FileRecord, MANIFEST, MakeManifest, Manifest, SIGNATURE, hex, open_in};
use super::{Content, Entry};
use super::{NotOurPack, PackError};
use crate::load::safe::Root;
use crate::render::write::{Guard, WriteError};

/// The zip timestamp for every entry: the generation time, clamped to
/// what zip can store.
fn zip_time(generated: chrono::DateTime<chrono::Utc>) -> zip::DateTime {
    use chrono::{Datelike, Timelike};
    let y = generated.year().clamp(1980, 2107) as u16;
    zip::DateTime::from_date_and_time(
        y,
        generated.month() as u8,
        generated.day() as u8,
        generated.hour() as u8,
        generated.minute() as u8,
        generated.second() as u8,
    )
    .unwrap_or_default()
}

/// Reads a file while hashing and counting it: what is copied into the
/// pack is exactly what the manifest records, from the one handle the
/// safe reader checked.
struct HashingReader<'a, R> {
    inner: R,
    hasher: sha2::Sha256,
    n: u64,
    progress: &'a dyn Fn(u64),
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use sha2::Digest;
        let k = self.inner.read(buf)?;
        self.hasher.update(&buf[..k]);
        self.n += k as u64;
        (self.progress)(k as u64);
        Ok(k)
    }
}

/// Copy one entry into `sink`, returning its manifest record; `werr`
/// says which write of the pack failed.
fn copy_entry(
    e: &Entry,
    werr: &dyn Fn(io::Error) -> PackError,
    sink: &mut dyn Write,
    progress: &dyn Fn(u64),
) -> Result<FileRecord, PackError> {
    use sha2::Digest;
    let (n, hasher) = match &e.content {
        Content::Bytes(b) => {
            sink.write_all(b).map_err(werr)?;
            progress(b.len() as u64);
            (b.len() as u64, sha2::Sha256::new_with_prefix(b))
        }
        Content::File(root, p) => {
            let mut r = HashingReader {
                inner: open_in(root, p)?,
                hasher: sha2::Sha256::new(),
                n: 0,
                progress,
            };
            io::copy(&mut r, sink).map_err(werr)?;
            (r.n, r.hasher)
        }
    };
    Ok(FileRecord {
        path: e.path.clone(),
        size: n,
        sha256: hex(&hasher.finalize()),
    })
}

/// The zip's file, abandoned at its first failed write, flush or seek:
/// from then on everything written is discarded and succeeds (positions
/// are kept as if it were written). The zip writer finishes an unfinished
/// archive when dropped and prints to stderr when that fails; abandoned,
/// that last attempt writes nothing and prints nothing, and the caller
/// reports the one error it saw. The temporary file is then removed.
struct Abandonable<W> {
    inner: W,
    failed: std::rc::Rc<std::cell::Cell<bool>>,
    pos: u64,
    len: u64,
}

impl<W> Abandonable<W> {
    fn fail(&self, e: io::Error) -> io::Error {
        self.failed.set(true);
        e
    }

    fn advance(&mut self, n: usize) {
        self.pos += n as u64;
        self.len = self.len.max(self.pos);
    }
}

impl<W: Write> Write for Abandonable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.failed.get() {
            self.advance(buf.len());
            return Ok(buf.len());
        }
        let n = self.inner.write(buf).map_err(|e| self.fail(e))?;
        self.advance(n);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.failed.get() {
            return Ok(());
        }
        self.inner.flush().map_err(|e| self.fail(e))
    }
}

impl<W: io::Seek> io::Seek for Abandonable<W> {
    fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
        if self.failed.get() {
            let base = match to {
                io::SeekFrom::Start(n) => Some(n),
                io::SeekFrom::End(d) => self.len.checked_add_signed(d),
                io::SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            };
            self.pos = base.unwrap_or(0);
            return Ok(self.pos);
        }
        let p = self.inner.seek(to).map_err(|e| self.fail(e))?;
        if let io::SeekFrom::End(d) = to {
            self.len = p.checked_add_signed(-d).unwrap_or(p);
        }
        self.pos = p;
        self.len = self.len.max(p);
        Ok(p)
    }
}

/// `--force` replaces a folder only when it is a previous pack: a
/// manifest aims wrote, and nothing in the folder but what it lists.
fn check_previous_pack(dir: &Path) -> Result<(), PackError> {
    let refuse = |why: NotOurPack| PackError::NotPreviousPack {
        path: dir.to_path_buf(),
        why,
    };
    let root = Root::new(dir);
    let mut text = Vec::new();
    root.open(Path::new(MANIFEST))
        .map_err(|_| refuse(NotOurPack::NoManifest))?
        .file
        .take(crate::load::MAX_FILE_BYTES)
        .read_to_end(&mut text)
        .map_err(|source| PackError::PreviousManifest {
            dir: dir.to_path_buf(),
            source,
        })?;
    let manifest: Manifest = serde_json::from_slice(&text)
        .ok()
        .filter(|m: &Manifest| m.format == "aims-pack")
        .ok_or_else(|| refuse(NotOurPack::NotAManifest))?;
    let listed: BTreeSet<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    let mut foreign = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let e = e.map_err(|source| PackError::PreviousListing {
            dir: dir.to_path_buf(),
            source,
        })?;
        if e.file_type().is_dir() {
            continue;
        }
        let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
        let text = crate::assess::evidence::rel_text(rel);
        let ours = e.file_type().is_file()
            && rel.to_str().is_some()
            && (text == MANIFEST || text == SIGNATURE || listed.contains(text.as_str()));
        if !ours {
            foreign.push(text);
        }
    }
    if !foreign.is_empty() {
        let more = foreign.len().saturating_sub(3);
        foreign.truncate(3);
        return Err(refuse(NotOurPack::Foreign {
            shown: foreign,
            more,
        }));
    }
    Ok(())
}

/// Write the pack to `target` (a `.zip` file or a folder), atomically:
/// every file is copied and hashed from one handle, then the manifest is
/// made from those hashes and written last. Returns the records.
pub fn write(
    target: &Path,
    entries: &[Entry],
    make_manifest: &MakeManifest,
    generated: chrono::DateTime<chrono::Utc>,
    force: bool,
    guard: Guard,
    progress: &dyn Fn(u64),
) -> Result<Vec<FileRecord>, PackError> {
    let path = || target.to_path_buf();
    let cannot_write = |source| WriteError::Write {
        path: path(),
        source,
    };
    let existing = target.symlink_metadata().ok();
    if let Some(meta) = &existing {
        if !force {
            return Err(PackError::Exists { path: path() });
        }
        guard.check_replace(target)?;
        if meta.is_dir() {
            check_previous_pack(target)?;
        }
    }
    let parent = crate::render::write::parent_of(target);
    if !parent.is_dir() {
        return Err(WriteError::NoFolder {
            path: path(),
            dir: parent,
        }
        .into());
    }
    crate::render::write::sweep_stale(&parent);
    let is_zip = target
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        && !existing.as_ref().is_some_and(|m| m.is_dir());
    if is_zip {
        let tmp = crate::render::write::tmp_builder(0o666)
            .suffix(".zip.tmp")
            .tempfile_in(&parent)
            .map_err(|source| WriteError::TempIn {
                dir: parent.clone(),
                source,
            })?;
        if existing.is_some() {
            crate::render::write::keep_mode(tmp.as_file(), target);
        }
        let records = {
            let file = tmp.as_file().try_clone().map_err(PackError::Reopen)?;
            let failed = std::rc::Rc::new(std::cell::Cell::new(false));
            let mut zw = zip::ZipWriter::new(Abandonable {
                inner: io::BufWriter::new(file),
                failed: failed.clone(),
                pos: 0,
                len: 0,
            });
            let time = zip_time(generated);
            let text = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(6))
                .last_modified_time(time)
                .unix_permissions(0o644)
                .large_file(false);
            // Evidence is often already compressed (PDF, images): store it, so
            // packing and verifying run at disk and hash speed.
            let stored = text
                .compression_method(zip::CompressionMethod::Stored)
                .compression_level(None)
                .large_file(true);
            let zerr = |source: zip::result::ZipError| PackError::Zip {
                path: path(),
                source,
            };
            let mut records = Vec::with_capacity(entries.len());
            let mut result = Ok(());
            for e in entries {
                let options = match e.content {
                    Content::File(..) => stored,
                    Content::Bytes(_) => text,
                };
                if let Err(err) = zw.start_file(e.path.as_str(), options) {
                    result = Err(zerr(err));
                    break;
                }
                let werr = |source| PackError::ZipEntry {
                    path: path(),
                    entry: e.path.clone(),
                    source,
                };
                match copy_entry(e, &werr, &mut zw, progress) {
                    Ok(r) => records.push(r),
                    Err(err) => {
                        result = Err(err);
                        break;
                    }
                }
            }
            let finished = result.and_then(|()| {
                let (manifest, signature) = make_manifest(records.clone())?;
                zw.start_file(MANIFEST, text).map_err(zerr)?;
                zw.write_all(&manifest).map_err(cannot_write)?;
                if let Some(sig) = signature {
                    zw.start_file(SIGNATURE, text).map_err(zerr)?;
                    zw.write_all(&sig).map_err(cannot_write)?;
                }
                let mut inner = zw.finish().map_err(zerr)?;
                inner
                    .flush()
                    .and_then(|_| inner.inner.get_ref().sync_all())
                    .map_err(|e| cannot_write(e).into())
            });
            // On error the writer is dropped with the temporary file: the
            // first failed write abandoned the archive, so the writer's drop
            // (which finishes an unfinished archive, and prints to stderr
            // when that fails) writes into nothing. One error is printed,
            // and the archive is never renamed into place.
            finished?;
            if failed.get() {
                return Err(PackError::WriteFailed { path: path() });
            }
            records
        };
        let persisted = if force {
            tmp.persist(target).map(|_| ())
        } else {
            tmp.persist_noclobber(target).map(|_| ())
        };
        persisted.map_err(|e| cannot_write(e.error))?;
        return Ok(records);
    }
    // A folder: build it under a temporary name, then rename.
    let tmp = crate::render::write::tmp_builder(0o777)
        .tempdir_in(&parent)
        .map_err(|source| WriteError::TempIn {
            dir: parent.clone(),
            source,
        })?;
    let write_to = |dest: &Path| {
        let dest = dest.to_path_buf();
        move |source| WriteError::Write { path: dest, source }
    };
    let put = |rel: &str| -> Result<(PathBuf, fs::File), PackError> {
        let dest = tmp.path().join(rel);
        if let Some(d) = dest.parent() {
            fs::create_dir_all(d).map_err(|source| PackError::CreateFolder {
                path: d.to_path_buf(),
                source,
            })?;
        }
        let f = fs::File::create_new(&dest).map_err(write_to(&dest))?;
        Ok((dest, f))
    };
    let mut records = Vec::with_capacity(entries.len());
    for e in entries {
        let (dest, f) = put(&e.path)?;
        let mut w = io::BufWriter::new(f);
        let werr = |source| PackError::FolderEntry {
            path: path(),
            entry: e.path.clone(),
            source,
        };
        records.push(copy_entry(e, &werr, &mut w, progress)?);
        w.flush().map_err(write_to(&dest))?;
    }
    let (manifest, signature) = make_manifest(records.clone())?;
    let mut extra = vec![(MANIFEST, manifest)];
    if let Some(sig) = signature {
        extra.push((SIGNATURE, sig));
    }
    for (p, b) in &extra {
        let (dest, mut f) = put(p)?;
        f.write_all(b).map_err(write_to(&dest))?;
    }
    let staged = tmp.keep();
    if existing.is_some() && exchange(&staged, target) {
        // The previous pack now has the temporary name; a run killed
        // before it is removed leaves it to the next run's sweep.
        let _ = if staged.is_dir() {
            fs::remove_dir_all(&staged)
        } else {
            fs::remove_file(&staged)
        };
    } else if existing.is_some() {
        // Two renames: a run killed between them leaves nothing at PATH.
        let old = parent.join(format!(
            ".aims-tmp-{}-old-{}",
            std::process::id(),
            staged
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        fs::rename(target, &old).map_err(|source| WriteError::Replace {
            path: path(),
            source,
        })?;
        if let Err(e) = fs::rename(&staged, target) {
            // Put the previous pack back rather than lose it.
            let _ = fs::rename(&old, target);
            let _ = fs::remove_dir_all(&staged);
            return Err(cannot_write(e).into());
        }
        let _ = if old.is_dir() {
            fs::remove_dir_all(&old)
        } else {
            fs::remove_file(&old)
        };
    } else if let Err(e) = fs::rename(&staged, target) {
        let _ = fs::remove_dir_all(&staged);
        return Err(cannot_write(e).into());
    }
    Ok(records)
}

/// Swap two paths in one step (Linux `renameat2` with `RENAME_EXCHANGE`),
/// so that a pack replaced with `--force` is at every moment the previous
/// one or the new one, even for a run killed half-way. `false` where the
/// system or file system cannot; the caller then renames twice.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) = (
        std::ffi::CString::new(a.as_os_str().as_bytes()),
        std::ffi::CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: two valid NUL-terminated paths; the call only renames.
    unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        ) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::evidence::hash_reader;
    use std::sync::Arc;

    #[cfg(unix)]
    #[test]
    fn a_file_swapped_for_a_symlink_after_its_check_is_never_packed() {
        // Evidence is checked (resolved) first and copied later: swap it for
        // a symlink to a secret in between, as a hostile process could.
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        fs::create_dir_all(&repo).unwrap();
        fs::write(repo.join("e.md"), "evidence").unwrap();
        fs::write(dir.path().join("secret"), "root:x:0:0").unwrap();
        let ev = crate::assess::evidence::Evidence::new(&repo);
        assert!(ev.resolve("e.md", None).problem.is_none());
        fs::remove_file(repo.join("e.md")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), repo.join("e.md")).unwrap();
        let root = Arc::new(Root::new(&repo));
        let entries = vec![Entry {
            path: "evidence/e.md".into(),
            content: Content::File(root, PathBuf::from("e.md")),
        }];
        let make = |_: Vec<FileRecord>| Ok((b"{}".to_vec(), None));
        for target in ["p.zip", "p"] {
            let target = dir.path().join(target);
            let e = write(
                &target,
                &entries,
                &make,
                chrono::DateTime::from_timestamp(0, 0).unwrap(),
                false,
                Guard::None,
                &|_| {},
            )
            .unwrap_err()
            .to_string();
            assert!(e.contains("outside"), "{e}");
            assert!(!target.exists(), "nothing is written");
        }
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 2, "no temporary files left: {left:?}");
    }
    #[test]
    fn the_manifest_records_exactly_the_bytes_copied() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "alpha").unwrap();
        let root = Arc::new(Root::new(dir.path()));
        let entries = vec![
            Entry {
                path: "a.txt".into(),
                content: Content::File(root, PathBuf::from("a.txt")),
            },
            Entry {
                path: "b.txt".into(),
                content: Content::Bytes(b"beta".to_vec()),
            },
        ];
        let seen = std::cell::RefCell::new(Vec::new());
        let make = |r: Vec<FileRecord>| {
            *seen.borrow_mut() = r;
            Ok((b"{}".to_vec(), None))
        };
        let out = dir.path().join("out");
        let records = write(
            &out,
            &entries,
            &make,
            chrono::DateTime::from_timestamp(0, 0).unwrap(),
            false,
            Guard::None,
            &|_| {},
        )
        .unwrap();
        assert_eq!(records, *seen.borrow());
        assert_eq!(records[0].size, 5);
        assert_eq!(records[0].sha256, hash_reader(&mut &b"alpha"[..]).unwrap());
        assert_eq!(fs::read(out.join("a.txt")).unwrap(), b"alpha");
        assert_eq!(fs::read(out.join(MANIFEST)).unwrap(), b"{}");
    }
}
