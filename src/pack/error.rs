//! Why a pack could not be built, written or verified, or a key read.

use std::io;
use std::path::PathBuf;

use crate::assess::evidence::{not_utf8_reason, rel_text};
use crate::load::safe::{Refusal, io_reason};
use crate::render::RenderError;
use crate::render::write::WriteError;

/// Why a pack, a key or a verification failed.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// The system gave no randomness for a new key.
    #[error("no randomness available: {0}")]
    NoRandomness(#[source] getrandom::Error),
    /// A key file was refused by the safe reader.
    #[error("cannot read key `{path}`: {refusal}")]
    KeyRefused {
        path: PathBuf,
        #[source]
        refusal: Refusal,
    },
    /// A key file could not be read.
    #[error("cannot read key `{path}`: {}", io_reason(.source))]
    KeyRead {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// `--sign` names a file without a secret key; `public` when it holds
    /// the public one.
    #[error("`{path}` is not an aims secret key{}", secret_key_hint(*.public))]
    NotSecretKey { path: PathBuf, public: bool },
    /// A key file whose key is not 32 bytes.
    #[error("`{path}` holds a key of the wrong length")]
    KeyLength { path: PathBuf },
    /// `--key` names the secret key.
    #[error(
        "`{path}` is a secret key; verify with the public key beside it (`{path}.pub`), and keep the secret one out of CI logs and packs"
    )]
    SecretNotPublic { path: PathBuf },
    #[error("`{path}` is not an aims public key")]
    NotPublicKey { path: PathBuf },
    #[error("`{path}` is not a valid Ed25519 public key")]
    InvalidPublicKey { path: PathBuf },

    /// A file to pack was refused by the safe reader (`path` under its root).
    #[error("cannot pack `{}`: {refusal}; nothing was written", rel_text(.path))]
    Unpackable {
        path: PathBuf,
        #[source]
        refusal: Refusal,
    },
    /// A file to pack whose name is not UTF-8.
    #[error("cannot pack `{}`: {}", rel_text(.path), not_utf8_reason(.path))]
    NameNotUtf8 { path: PathBuf },
    /// A file to pack could not be read while hashing.
    #[error("cannot read `{path}`: {source}")]
    HashRead {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// A hashing thread stopped before it hashed its files.
    #[error("hashing was interrupted")]
    HashingInterrupted,
    /// Pack data could not be turned into JSON.
    #[error("{0}")]
    Json(#[source] serde_json::Error),

    /// The target pack exists and `--force` was not given.
    #[error("`{path}` already exists; pass --force to replace it")]
    Exists { path: PathBuf },
    /// `--force` would replace a folder that is not a previous pack.
    #[error(
        "`{path}` is not a pack aims wrote ({why}); --force replaces only a previous pack. Choose another --output"
    )]
    NotPreviousPack { path: PathBuf, why: NotOurPack },
    /// The manifest of the previous pack could not be read.
    #[error("cannot read `{dir}/manifest.json`: {source}")]
    PreviousManifest {
        dir: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The previous pack's folder could not be listed.
    #[error("cannot read `{dir}`: {source}")]
    PreviousListing {
        dir: PathBuf,
        #[source]
        source: walkdir::Error,
    },
    /// The zip's file could not be opened a second time to write through.
    #[error("{0}")]
    Reopen(#[source] io::Error),
    /// An entry of the zip could not be written.
    #[error("cannot write `{path}` (at `{entry}`): {}; nothing was written", io_reason(.source))]
    ZipEntry {
        path: PathBuf,
        entry: String,
        #[source]
        source: io::Error,
    },
    /// A file of the pack folder could not be written.
    #[error("cannot write `{path}/{entry}`: {}; nothing was written", io_reason(.source))]
    FolderEntry {
        path: PathBuf,
        entry: String,
        #[source]
        source: io::Error,
    },
    /// The zip writer failed.
    #[error("cannot write `{path}`: {source}")]
    Zip {
        path: PathBuf,
        #[source]
        source: zip::result::ZipError,
    },
    /// A write to the zip's file failed (and the archive was abandoned).
    #[error("cannot write `{path}`: a write failed; nothing was written")]
    WriteFailed { path: PathBuf },
    /// A folder inside the pack folder could not be made.
    #[error("cannot create `{path}`: {source}")]
    CreateFolder {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// The pack to verify could not be opened.
    #[error("cannot open `{path}`: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The pack to verify was refused by the safe reader.
    #[error("cannot open `{path}`: {refusal}")]
    OpenRefused {
        path: PathBuf,
        #[source]
        refusal: Refusal,
    },
    /// No manifest in the folder or zip.
    #[error("`{path}` is not an aims pack (no manifest.json)")]
    NoManifest { path: PathBuf },
    /// The manifest does not parse.
    #[error("`{path}` is not an aims pack: its manifest.json does not parse ({source})")]
    ManifestParse {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// The manifest is of another format.
    #[error("`{path}` is not an aims pack (format `{format}`)")]
    WrongFormat { path: PathBuf, format: String },
    /// The zip's list of entries is damaged.
    #[error("`{path}` is a damaged zip: {source}")]
    DamagedZip {
        path: PathBuf,
        #[source]
        source: zip::result::ZipError,
    },
    /// The zip could not be opened again by a hashing thread.
    #[error("{0}")]
    ZipReopen(#[source] zip::result::ZipError),
    /// An entry of the zip could not be opened.
    #[error("`{entry}`: {source}")]
    ZipEntryOpen {
        entry: String,
        #[source]
        source: zip::result::ZipError,
    },
    /// The manifest or signature in the zip could not be read.
    #[error("{0}")]
    ZipEntryRead(#[source] io::Error),
    /// The pack folder could not be listed.
    #[error("{0}")]
    Listing(#[source] walkdir::Error),
    /// A hashing thread panicked.
    #[error("a hashing thread failed")]
    HashingThread,

    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Why a folder `--force` would replace is not a previous pack.
#[derive(Debug, thiserror::Error)]
pub enum NotOurPack {
    #[error("it has no manifest.json")]
    NoManifest,
    #[error("its manifest.json is not an aims pack manifest")]
    NotAManifest,
    /// Files its manifest does not list: the first few, and how many more.
    #[error(
        "it also holds {}{}, which the pack's manifest does not list",
        ticked(.shown),
        and_more(*.more)
    )]
    Foreign { shown: Vec<String>, more: usize },
}

fn secret_key_hint(public: bool) -> &'static str {
    if public {
        " (it is a public key; --sign needs the secret one, the file without `.pub`)"
    } else {
        " (make one with `aims keygen`)"
    }
}

fn ticked(names: &[String]) -> String {
    names
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn and_more(n: usize) -> String {
    if n > 0 {
        format!(" and {n} more")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_the_sentences_users_read() {
        let foreign = |n: usize| PackError::NotPreviousPack {
            path: PathBuf::from("out"),
            why: NotOurPack::Foreign {
                shown: (0..n.min(3)).map(|i| format!("f{i}")).collect(),
                more: n.saturating_sub(3),
            },
        };
        assert_eq!(
            foreign(1).to_string(),
            "`out` is not a pack aims wrote (it also holds `f0`, which the pack's manifest does not list); --force replaces only a previous pack. Choose another --output"
        );
        assert!(
            foreign(5)
                .to_string()
                .contains("holds `f0`, `f1`, `f2` and 2 more, which")
        );
        let secret = PackError::SecretNotPublic {
            path: PathBuf::from("keys/k"),
        };
        assert!(secret.to_string().contains("beside it (`keys/k.pub`)"));
        let not_secret = PackError::NotSecretKey {
            path: PathBuf::from("k.pub"),
            public: true,
        };
        assert_eq!(
            not_secret.to_string(),
            "`k.pub` is not an aims secret key (it is a public key; --sign needs the secret one, the file without `.pub`)"
        );
    }
}
