//! Item ids and catalogue ids: how they are written, checked and compared.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// An item id: `[a-z0-9][a-z0-9._-]*`, compared case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Id(pub String);

impl Id {
    /// The id in lowercase, for comparing without case. Borrowed when it is
    /// lowercase already (the usual case), so no allocation.
    pub fn key(&self) -> Cow<'_, str> {
        let s = self.0.as_str();
        if s.is_ascii() {
            if s.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(s.to_ascii_lowercase())
            } else {
                Cow::Borrowed(s)
            }
        } else {
            Cow::Owned(s.to_lowercase())
        }
    }

    /// The same id, ignoring case; no allocation.
    pub fn same(&self, other: &Id) -> bool {
        if self.0.is_ascii() && other.0.is_ascii() {
            self.0.eq_ignore_ascii_case(&other.0)
        } else {
            self.key() == other.key()
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as a map key that ignores case.
    pub fn as_key(&self) -> &Key {
        Key::new(&self.0)
    }
}

/// An id as a map key: compared and hashed without ASCII case (valid ids
/// and catalogue ids are ASCII), so looking one up never lowercases or
/// allocates. Index maps hold [`KeyBuf`] and are asked with `&Key`.
#[repr(transparent)]
#[derive(Debug)]
pub struct Key(str);

impl Key {
    pub fn new(s: &str) -> &Key {
        // SAFETY: `Key` is `repr(transparent)` over `str`, so the two
        // references have the same layout and validity.
        unsafe { &*(s as *const str as *const Key) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        // Lowercased a chunk at a time on the stack: the same hash for
        // every spelling, and no allocation.
        let mut buf = [0u8; 32];
        for chunk in self.0.as_bytes().chunks(buf.len()) {
            let lower = &mut buf[..chunk.len()];
            lower.copy_from_slice(chunk);
            lower.make_ascii_lowercase();
            h.write(lower);
        }
        h.write_u8(0xff);
    }
}

/// An owned [`Key`], for the maps that index ids.
#[derive(Debug, Clone)]
pub struct KeyBuf(Box<str>);

impl From<&str> for KeyBuf {
    fn from(s: &str) -> Self {
        KeyBuf(s.into())
    }
}

impl std::borrow::Borrow<Key> for KeyBuf {
    fn borrow(&self) -> &Key {
        Key::new(&self.0)
    }
}

impl PartialEq for KeyBuf {
    fn eq(&self, other: &KeyBuf) -> bool {
        Key::new(&self.0) == Key::new(&other.0)
    }
}

impl Eq for KeyBuf {}

impl std::hash::Hash for KeyBuf {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        Key::new(&self.0).hash(h);
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if valid_id(&s) {
            Ok(Id(s))
        } else {
            Err(de::Error::custom(format!(
                "`{s}` is not a valid id: use lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit"
            )))
        }
    }
}

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$",
            "description": "An id, unique within its list (compared case-insensitively)."})
    }
}

/// A catalogue id (`A.6.2.8`, `6.1.3`, or `4.1` written unquoted, which
/// YAML reads as a number: the id is the text as written).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ControlId(pub String);

impl fmt::Display for ControlId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ControlId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ControlId;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a control or clause id such as `A.6.2.8` or `6.1.3`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ControlId, E> {
                Ok(ControlId(v.trim().to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ControlId, E> {
                Ok(ControlId(crate::load::yaml::float_text(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ControlId, E> {
                Ok(ControlId(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ControlId, E> {
                Ok(ControlId(v.to_string()))
            }
        }
        // Asked for as text: an unquoted `4.10` is read as written, not as
        // the number 4.1 (the numbers above are for readers that cannot).
        d.deserialize_str(V)
    }
}

impl JsonSchema for ControlId {
    fn schema_name() -> Cow<'static, str> {
        "ControlId".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": ["string", "number"],
            "description": "A catalogue id: an Annex A control (A.6.2.8), a clause (6.1.3), or a custom control."})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_find_ids_in_any_case_without_lowercasing_them() {
        use std::collections::HashMap;
        let long = "a-very-long-system-identifier-beyond-one-chunk-of-32-bytes";
        let mut m: HashMap<KeyBuf, usize> = HashMap::new();
        m.insert("AI-Lead".into(), 1);
        m.insert(long.to_ascii_uppercase().as_str().into(), 2);
        assert_eq!(m.get(Key::new("ai-lead")), Some(&1));
        assert_eq!(m.get(Key::new("AI-LEAD")), Some(&1));
        assert_eq!(m.get(Id("Ai-LeAd".into()).as_key()), Some(&1));
        assert_eq!(m.get(Key::new(long)), Some(&2));
        assert_eq!(m.get(Key::new("ai-lead2")), None);
        assert_eq!(m.get(Key::new("ai-lea")), None);
        // Keys of different lengths never meet, whatever their bytes.
        assert_ne!(Key::new("ab"), Key::new("abc"));
    }

    #[test]
    fn ids_follow_the_pattern() {
        assert!(valid_id("cv-screening"));
        assert!(valid_id("ia.2026_v2"));
        assert!(valid_id("CV-Screening"));
        assert!(!valid_id("-x"));
        assert!(!valid_id("a b"));
        assert!(!valid_id(""));
    }

    #[test]
    fn id_keys_borrow_when_already_lowercase() {
        assert!(matches!(Id("cv-1".into()).key(), Cow::Borrowed("cv-1")));
        assert_eq!(Id("CV-1".into()).key(), "cv-1");
        assert!(Id("CV-1".into()).same(&Id("cv-1".into())));
        assert!(!Id("cv-1".into()).same(&Id("cv-2".into())));
    }

    #[test]
    fn control_ids_are_read_as_written() {
        // Through aims' node tree, as the loader reads them…
        let node = crate::load::yaml::parse("[4.10, 6.1.2, 4.1, 10.2, 0x4, A.6.2.4]").unwrap();
        let (ids, _) = crate::load::yaml::from_node::<Vec<ControlId>>(&node);
        let want = ["4.10", "6.1.2", "4.1", "10.2", "0x4", "A.6.2.4"];
        let got: Vec<String> = ids.unwrap().into_iter().map(|c| c.0).collect();
        assert_eq!(got, want);
        // …and straight from serde-saphyr, as the embedded catalogue is read.
        let ids: Vec<ControlId> =
            serde_saphyr::from_str("[4.10, 6.1.2, 4.1, 10.2, 0x4, A.6.2.4]").unwrap();
        let got: Vec<String> = ids.into_iter().map(|c| c.0).collect();
        assert_eq!(got, want);
    }
}

/// Natural order of ids and paths: runs of digits compare as numbers, so
/// `sys-2` sorts before `sys-10` and `A.6.2.10` after `A.6.2.9`; other text
/// compares case-insensitively, then exactly (so the order is total).
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let n = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let m = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (dx, dy) = (&x[..n], &y[..m]);
                // Leading zeros aside, the longer run is the larger number.
                let tx = &dx[dx.iter().take_while(|&&c| c == b'0').count()..];
                let ty = &dy[dy.iter().take_while(|&&c| c == b'0').count()..];
                let o = tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty));
                if o != Ordering::Equal {
                    return o;
                }
                x = &x[n..];
                y = &y[m..];
            }
            (Some(c), Some(d)) => {
                let o = c.to_ascii_lowercase().cmp(&d.to_ascii_lowercase());
                if o != Ordering::Equal {
                    return o;
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

#[cfg(test)]
mod natural_tests {
    use super::natural_cmp;

    #[test]
    fn digits_sort_as_numbers() {
        let mut ids = vec![
            "10", "1", "10-2", "11", "2", "A.6.2.10", "A.6.2.9", "Sys-3", "sys-20",
        ];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            ids,
            [
                "1", "2", "10", "10-2", "11", "A.6.2.9", "A.6.2.10", "Sys-3", "sys-20"
            ]
        );
    }

    #[test]
    fn the_order_is_total() {
        use std::cmp::Ordering;
        assert_ne!(natural_cmp("a", "A"), Ordering::Equal);
        assert_ne!(natural_cmp("01", "1"), Ordering::Equal);
        assert_eq!(natural_cmp("x", "x"), Ordering::Equal);
    }
}

/// A key that orders in [`natural_cmp`] order (`sys-2` before `sys-10`),
/// for maps whose keys are ids shown to people.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Natural(pub String);

impl Ord for Natural {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        natural_cmp(&self.0, &other.0)
    }
}

impl PartialOrd for Natural {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Natural {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Natural {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Natural {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Natural {
    fn from(s: &str) -> Self {
        Natural(s.to_string())
    }
}
