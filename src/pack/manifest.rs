//! The manifest: what a pack holds, by exact name, size and SHA-256.

use std::fs;
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::PackError;
use super::{Content, Entry};
use crate::assess::evidence::hash_reader;
use crate::load::safe::Root;

pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "manifest.json.sig";

/// One file of the pack in `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileRecord {
    /// The file's exact name inside the pack, `/`-separated, as UTF-8
    /// text: nothing escaped or normalised (a backslash in a Unix name is
    /// that character). A file whose name is not UTF-8 is never packed,
    /// so every stored name is exact; `verify` reports one found in a
    /// pack as extra, shown with the byte escaped (`\xFF`).
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LeftOut {
    pub cited: String,
    pub by: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub tool: String,
    pub tool_version: String,
    pub catalog: String,
    pub catalog_version: String,
    pub as_of: String,
    pub generated_at: String,
    #[serde(default)]
    pub git_commit: Option<String>,
    pub files: Vec<FileRecord>,
    #[serde(default)]
    pub left_out: Vec<LeftOut>,
}

/// The manifest (and its signature) for the records of what was copied.
pub type MakeManifest<'a> =
    dyn Fn(Vec<FileRecord>) -> Result<(Vec<u8>, Option<Vec<u8>>), PackError> + 'a;

/// SHA-256 and size of each entry, in parallel over the available cores.
pub fn hash_entries(
    entries: &[Entry],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<FileRecord>, PackError> {
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let next = AtomicU64::new(0);
    let mut results: Vec<Option<Result<FileRecord, PackError>>> =
        (0..entries.len()).map(|_| None).collect();
    let slots: Vec<std::sync::Mutex<Option<Result<FileRecord, PackError>>>> = (0..entries.len())
        .map(|_| std::sync::Mutex::new(None))
        .collect();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                    let Some(e) = entries.get(i) else { break };
                    let r = match &e.content {
                        Content::Bytes(b) => Ok(FileRecord {
                            path: e.path.clone(),
                            size: b.len() as u64,
                            sha256: hash_reader(&mut &b[..]).unwrap_or_default(),
                        }),
                        Content::File(root, p) => {
                            hash_file(root, p).map(|(size, sha256)| FileRecord {
                                path: e.path.clone(),
                                size,
                                sha256,
                            })
                        }
                    };
                    if let Ok(rec) = &r {
                        progress(rec.size);
                    }
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    for (i, slot) in slots.into_iter().enumerate() {
        results[i] = slot.into_inner().ok().flatten();
    }
    results
        .into_iter()
        .map(|r| r.unwrap_or(Err(PackError::HashingInterrupted)))
        .collect()
}

fn hash_file(root: &Root, p: &Path) -> Result<(u64, String), PackError> {
    let mut f = open_in(root, p)?;
    let mut counter = CountingReader {
        inner: &mut f,
        n: 0,
    };
    let sha = hash_reader(&mut counter).map_err(|source| PackError::HashRead {
        path: p.to_path_buf(),
        source,
    })?;
    Ok((counter.n, sha))
}

pub(super) struct CountingReader<'a, R> {
    pub(super) inner: &'a mut R,
    pub(super) n: u64,
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n += k as u64;
        Ok(k)
    }
}

/// Open a file to pack through the safe reader, or say why not.
pub(super) fn open_in(root: &Root, p: &Path) -> Result<fs::File, PackError> {
    root.open(p)
        .map(|o| o.file)
        .map_err(|refusal| PackError::Unpackable {
            path: p.to_path_buf(),
            refusal,
        })
}

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
