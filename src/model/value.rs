//! Values fields of every section share: 1–5 scales, one-or-many lists,
//! and evidence citations.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use super::Date;

/// A number on a 1–5 scale (likelihood, impact, severity).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Scale(pub u8);

impl<'de> Deserialize<'de> for Scale {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        if (1..=5).contains(&n) {
            Ok(Scale(n as u8))
        } else {
            Err(de::Error::custom(format!(
                "{n} is out of range: use a whole number from 1 to 5"
            )))
        }
    }
}

impl JsonSchema for Scale {
    fn schema_name() -> Cow<'static, str> {
        "Scale".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "integer", "minimum": 1, "maximum": 5})
    }
}

/// One value or a list of them (`evidence: file.md` or `evidence: [a, b]`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("one entry or a list of entries")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element()? {
                    out.push(v);
                }
                Ok(OneOrMany(out))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(de::value::StrDeserializer::<E>::new(v)).map(|t| OneOrMany(vec![t]))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|t| OneOrMany(vec![t]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OneOrMany(Vec::new()))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<T: JsonSchema> JsonSchema for OneOrMany<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("OneOrMany_{}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let one = generator.subschema_for::<T>();
        let many = generator.subschema_for::<Vec<T>>();
        json_schema!({"anyOf": [one, many]})
    }
}

impl<T> OneOrMany<T> {
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
}

// ---------------------------------------------------------------------------
// Evidence.

/// A cited evidence file: a path or glob relative to the evidence root, or
/// the same with the date it was last reviewed and its expected hash.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum EvidenceRef {
    Path(String),
    Detailed(EvidenceDetail),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceDetail {
    /// Path or glob relative to the evidence root.
    pub path: String,
    /// When a person last checked that this evidence is still accurate.
    #[serde(default)]
    pub reviewed: Option<Date>,
    /// Expected SHA-256 of the file (hex); a mismatch is a finding.
    #[serde(default)]
    pub sha256: Option<String>,
}

impl EvidenceRef {
    pub fn path(&self) -> &str {
        match self {
            EvidenceRef::Path(p) => p,
            EvidenceRef::Detailed(d) => &d.path,
        }
    }
    pub fn reviewed(&self) -> Option<Date> {
        match self {
            EvidenceRef::Path(_) => None,
            EvidenceRef::Detailed(d) => d.reviewed,
        }
    }
}

impl<'de> Deserialize<'de> for EvidenceRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = EvidenceRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "an evidence path, or a mapping with `path` and optional `reviewed`, `sha256`",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<EvidenceRef, E> {
                if v.trim().is_empty() {
                    return Err(E::custom("an evidence path cannot be empty"));
                }
                Ok(EvidenceRef::Path(v.to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<EvidenceRef, A::Error> {
                EvidenceDetail::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(EvidenceRef::Detailed)
            }
        }
        d.deserialize_any(V)
    }
}
