//! Keys and signatures: hex text files, one value per file.

use std::io::Read;
use std::path::Path;

use super::PackError;
use super::manifest::hex;

const SECRET_TAG: &str = "aims-ed25519-secret-key";
const PUBLIC_TAG: &str = "aims-ed25519-public-key";

fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn tagged(text: &str, tag: &str) -> Option<Vec<u8>> {
    text.lines()
        .find_map(|l| l.strip_prefix(tag).and_then(|r| r.strip_prefix(':')))
        .and_then(unhex)
}

/// A new key pair: (secret key file text, public key file text).
pub fn keygen() -> Result<(String, String), PackError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(PackError::NoRandomness)?;
    let sk = ed25519_dalek::SigningKey::from_bytes(&seed);
    let vk = sk.verifying_key();
    Ok((
        format!(
            "{SECRET_TAG}: {}\n{PUBLIC_TAG}: {}\n",
            hex(&seed),
            hex(vk.as_bytes())
        ),
        format!("{PUBLIC_TAG}: {}\n", hex(vk.as_bytes())),
    ))
}

/// A key file: small, a regular file, read through the same checks as
/// every other file (a key named on the command line is the operator's
/// choice, so it may live outside the repository).
fn read_key(path: &Path) -> Result<String, PackError> {
    let opened = crate::load::safe::open_given(path).map_err(|refusal| PackError::KeyRefused {
        path: path.to_path_buf(),
        refusal,
    })?;
    let mut text = String::new();
    opened
        .file
        .take(64 * 1024)
        .read_to_string(&mut text)
        .map_err(|source| PackError::KeyRead {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(text)
}

pub fn read_secret_key(path: &Path) -> Result<ed25519_dalek::SigningKey, PackError> {
    let text = read_key(path)?;
    let bytes = tagged(&text, SECRET_TAG).ok_or_else(|| PackError::NotSecretKey {
        path: path.to_path_buf(),
        public: tagged(&text, PUBLIC_TAG).is_some(),
    })?;
    let arr: [u8; 32] = bytes.try_into().map_err(|_| PackError::KeyLength {
        path: path.to_path_buf(),
    })?;
    Ok(ed25519_dalek::SigningKey::from_bytes(&arr))
}

pub fn read_public_key(path: &Path) -> Result<ed25519_dalek::VerifyingKey, PackError> {
    let text = read_key(path)?;
    let path = || path.to_path_buf();
    if tagged(&text, SECRET_TAG).is_some() {
        return Err(PackError::SecretNotPublic { path: path() });
    }
    let bytes =
        tagged(&text, PUBLIC_TAG).ok_or_else(|| PackError::NotPublicKey { path: path() })?;
    let arr: [u8; 32] = bytes
        .try_into()
        .map_err(|_| PackError::KeyLength { path: path() })?;
    ed25519_dalek::VerifyingKey::from_bytes(&arr)
        .map_err(|_| PackError::InvalidPublicKey { path: path() })
}

/// A detached signature of `manifest`, as a hex text file.
pub fn sign(key: &ed25519_dalek::SigningKey, manifest: &[u8]) -> Vec<u8> {
    use ed25519_dalek::Signer;
    format!("{}\n", hex(&key.sign(manifest).to_bytes())).into_bytes()
}

pub(super) fn parse_signature(bytes: &[u8]) -> Option<ed25519_dalek::Signature> {
    let text = std::str::from_utf8(bytes).ok()?;
    let raw: [u8; 64] = unhex(text)?.try_into().ok()?;
    Some(ed25519_dalek::Signature::from_bytes(&raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn keys_and_signatures_round_trip() {
        let (secret, public) = keygen().unwrap();
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("k"), &secret).unwrap();
        fs::write(dir.path().join("k.pub"), &public).unwrap();
        let sk = read_secret_key(&dir.path().join("k")).unwrap();
        let vk = read_public_key(&dir.path().join("k.pub")).unwrap();
        let sig = sign(&sk, b"manifest");
        let s = parse_signature(&sig).unwrap();
        assert!(ed25519_dalek::Verifier::verify(&vk, b"manifest", &s).is_ok());
        assert!(ed25519_dalek::Verifier::verify(&vk, b"manifesT", &s).is_err());
        // The secret key where the public one belongs is refused, by name.
        let e = read_public_key(&dir.path().join("k"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("is a secret key") && e.contains("k.pub"), "{e}");
        let e = read_secret_key(&dir.path().join("k.pub"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("is a public key"), "{e}");
    }
}
