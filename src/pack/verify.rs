//! `aims verify`: re-hash a pack against its manifest and check its signature.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use super::PackError;
use super::keys::{parse_signature, read_public_key};
use super::manifest::{CountingReader, MANIFEST, Manifest, SIGNATURE, hash_entries};
use super::{Content, Entry};
use crate::assess::evidence::hash_reader;
use crate::load::safe::Root;

/// What one hashing thread saw in a zip: name, size, hash, and the bytes
/// of the manifest or signature.
type Seen = (String, u64, String, Option<Vec<u8>>);

/// Everything read from a pack: manifest bytes, signature bytes, and the
/// size and hash of every other file.
struct Observed {
    manifest: Vec<u8>,
    signature: Option<Vec<u8>>,
    files: BTreeMap<String, (u64, String)>,
    /// Files whose names are not UTF-8, shown escaped: never in a manifest
    /// (every name aims stores is exact UTF-8), so always extra.
    unnamed: Vec<String>,
}

/// What `aims verify` found.
#[derive(Debug, Default, Serialize)]
pub struct Verification {
    pub files: usize,
    pub changed: Vec<String>,
    pub missing: Vec<String>,
    pub extra: Vec<String>,
    /// `None` when no key was given.
    pub signature: Option<String>,
    pub signature_ok: Option<bool>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.changed.is_empty()
            && self.missing.is_empty()
            && self.extra.is_empty()
            && self.signature_ok != Some(false)
    }
}

/// Hashes of everything in a pack (zip or folder), streamed and in parallel.
fn observe(path: &Path) -> Result<Observed, PackError> {
    let not_a_pack = || PackError::NoManifest {
        path: path.to_path_buf(),
    };
    let meta = fs::metadata(path).map_err(|source| PackError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_dir() {
        let pack_root = Arc::new(Root::new(path));
        // Read through the safe reader: a manifest that is a symlink out is
        // not part of the pack.
        let read_small = |name: &str| -> Option<Vec<u8>> {
            let mut buf = Vec::new();
            pack_root
                .open(Path::new(name))
                .ok()?
                .file
                .take(crate::load::MAX_FILE_BYTES)
                .read_to_end(&mut buf)
                .ok()?;
            Some(buf)
        };
        let manifest = read_small(MANIFEST).ok_or_else(not_a_pack)?;
        let sig = read_small(SIGNATURE);
        let mut entries = Vec::new();
        let mut unnamed = Vec::new();
        for e in walkdir::WalkDir::new(path)
            .follow_links(false)
            .sort_by_file_name()
        {
            let e = e.map_err(PackError::Listing)?;
            let rel_path = e.path().strip_prefix(path).unwrap_or(e.path());
            if e.file_type().is_dir() {
                continue;
            }
            let Some(rel) = crate::assess::evidence::rel_name(rel_path) else {
                unnamed.push(crate::assess::evidence::rel_text(rel_path));
                continue;
            };
            if rel == MANIFEST || rel == SIGNATURE {
                continue;
            }
            if e.file_type().is_symlink() {
                // A link is never followed: it cannot be the file that was packed.
                entries.push(Entry {
                    path: rel,
                    content: Content::Bytes(b"\0aims: symlink\0".to_vec()),
                });
                continue;
            }
            entries.push(Entry {
                path: rel,
                // Relative to the pack's root, which may itself be `../p`.
                content: Content::File(
                    pack_root.clone(),
                    e.path()
                        .strip_prefix(path)
                        .unwrap_or(e.path())
                        .to_path_buf(),
                ),
            });
        }
        let records = hash_entries(&entries, &|_| {})?;
        return Ok(Observed {
            manifest,
            signature: sig,
            files: records
                .into_iter()
                .map(|r| (r.path, (r.size, r.sha256)))
                .collect(),
            unnamed,
        });
    }
    // The pack is the operator's choice, opened with the same checks as
    // every file: a FIFO or a device is refused, never read.
    let open_pack = || {
        crate::load::safe::open_given(path)
            .map(|o| o.file)
            .map_err(|refusal| PackError::OpenRefused {
                path: path.to_path_buf(),
                refusal,
            })
    };
    let file = open_pack()?;
    let mut archive = zip::ZipArchive::new(io::BufReader::new(file)).map_err(|_| not_a_pack())?;
    let mut manifest = None;
    let mut sig = None;
    let mut names = Vec::new();
    let mut unnamed = Vec::new();
    for i in 0..archive.len() {
        let f = archive
            .by_index(i)
            .map_err(|source| PackError::DamagedZip {
                path: path.to_path_buf(),
                source,
            })?;
        if f.is_dir() {
            continue;
        }
        match f.name() {
            Ok(name) => names.push((i, name.into_owned())),
            // A name that does not decode is no name a manifest lists.
            Err(_) => unnamed.push(crate::assess::evidence::escaped(f.name_raw())),
        }
    }
    let mut files = BTreeMap::new();
    // Each thread opens its own handle on the archive and takes every n-th entry.
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let results: Vec<Result<Vec<Seen>, PackError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let names = &names;
                s.spawn(move || {
                    let file = open_pack()?;
                    let mut archive = zip::ZipArchive::new(io::BufReader::new(file))
                        .map_err(PackError::ZipReopen)?;
                    let mut out = Vec::new();
                    for (i, name) in names.iter().skip(t).step_by(threads) {
                        let mut f =
                            archive
                                .by_index(*i)
                                .map_err(|source| PackError::ZipEntryOpen {
                                    entry: name.clone(),
                                    source,
                                })?;
                        if name == MANIFEST || name == SIGNATURE {
                            let mut b = Vec::new();
                            // The manifest is small; cap it so a hostile zip cannot exhaust memory.
                            (&mut f)
                                .take(64 * 1024 * 1024)
                                .read_to_end(&mut b)
                                .map_err(PackError::ZipEntryRead)?;
                            out.push((name.clone(), 0, String::new(), Some(b)));
                            continue;
                        }
                        let mut counter = CountingReader {
                            inner: &mut f,
                            n: 0,
                        };
                        // A damaged entry (bad CRC, bad data) is a changed file, not a failed run.
                        let sha = hash_reader(&mut counter)
                            .unwrap_or_else(|e| format!("unreadable: {e}"));
                        out.push((name.clone(), counter.n, sha, None));
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(Err(PackError::HashingThread)))
            .collect()
    });
    for r in results {
        for (name, size, sha, bytes) in r? {
            match (name.as_str(), bytes) {
                (MANIFEST, Some(b)) => manifest = Some(b),
                (SIGNATURE, Some(b)) => sig = Some(b),
                _ => {
                    files.insert(name, (size, sha));
                }
            }
        }
    }
    Ok(Observed {
        manifest: manifest.ok_or_else(not_a_pack)?,
        signature: sig,
        files,
        unnamed,
    })
}

/// Re-hash a pack against its manifest, and check its signature with `key`.
pub fn verify(path: &Path, key: Option<&Path>) -> Result<Verification, PackError> {
    let Observed {
        manifest: manifest_bytes,
        signature: sig,
        files: observed,
        unnamed,
    } = observe(path)?;
    let manifest: Manifest =
        serde_json::from_slice(&manifest_bytes).map_err(|source| PackError::ManifestParse {
            path: path.to_path_buf(),
            source,
        })?;
    if manifest.format != "aims-pack" {
        return Err(PackError::WrongFormat {
            path: path.to_path_buf(),
            format: manifest.format,
        });
    }
    let mut v = Verification {
        files: manifest.files.len(),
        ..Default::default()
    };
    let listed: BTreeSet<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    for f in &manifest.files {
        match observed.get(&f.path) {
            None => v.missing.push(f.path.clone()),
            Some((size, sha)) if *size != f.size || !sha.eq_ignore_ascii_case(&f.sha256) => {
                v.changed.push(f.path.clone())
            }
            Some(_) => {}
        }
    }
    v.extra = observed
        .keys()
        .filter(|k| !listed.contains(k.as_str()))
        .cloned()
        .chain(unnamed)
        .collect();
    if let Some(key) = key {
        let vk = read_public_key(key)?;
        let (status, ok) = match sig {
            None => ("the pack is not signed".to_string(), false),
            Some(bytes) => match parse_signature(&bytes) {
                Some(s) => match ed25519_dalek::Verifier::verify(&vk, &manifest_bytes, &s) {
                    Ok(()) => ("valid Ed25519 signature of manifest.json".to_string(), true),
                    Err(_) => (
                        "the signature does not match manifest.json and this key".to_string(),
                        false,
                    ),
                },
                None => (
                    "manifest.json.sig is not an Ed25519 signature".to_string(),
                    false,
                ),
            },
        };
        v.signature = Some(status);
        v.signature_ok = Some(ok);
    }
    Ok(v)
}
