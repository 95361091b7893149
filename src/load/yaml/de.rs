//! Typed deserialization from a node tree: every unknown field of a struct
//! is collected (with a "did you mean") instead of stopping at the first,
//! and every error carries the place of the innermost node.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Node, Pos, Value};
use crate::diag::suggest;

/// Error from typed deserialization, with the place of the innermost node.
#[derive(Debug, Clone)]
pub struct DeError {
    pub message: String,
    pub pos: Pos,
    pub help: Option<String>,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        let message = msg.to_string();
        let help = did_you_mean_from_serde(&message);
        DeError {
            message,
            pos: Pos::default(),
            help,
        }
    }
}

impl DeError {
    fn at(mut self, pos: Pos) -> Self {
        if self.pos.line == 0 {
            self.pos = pos;
        }
        self
    }
}

/// serde says "unknown variant `x`, expected one of `a`, `b`": offer the nearest.
fn did_you_mean_from_serde(msg: &str) -> Option<String> {
    let rest = msg
        .strip_prefix("unknown variant `")
        .or_else(|| msg.strip_prefix("unknown field `"))?;
    let end = rest.find('`')?;
    let got = &rest[..end];
    let expected: Vec<&str> = rest[end..].split('`').skip(2).step_by(2).collect();
    match suggest(got, expected.iter().copied()) {
        Some(s) => Some(format!("did you mean `{s}`?")),
        // The message lists the variants already.
        None if msg.starts_with("unknown variant") => None,
        None if !expected.is_empty() => Some(format!("expected one of: {}", expected.join(", "))),
        None => None,
    }
}

/// An unknown key found while deserializing a struct.
#[derive(Debug, Clone)]
pub struct UnknownField {
    pub key: String,
    pub pos: Pos,
    /// The fields the struct knows.
    pub expected: &'static [&'static str],
}

impl UnknownField {
    /// The known field the key is probably a typo of. Computed on demand:
    /// a mapping of 40,000 unknown keys is reported in full only up to the
    /// diagnostics limit.
    pub fn suggestion(&self) -> Option<&'static str> {
        suggest(&self.key, self.expected.iter().copied())
    }
}

/// Deserialize `T` from a node, returning every unknown field met on the way.
pub fn from_node<'a, T: Deserialize<'a>>(
    node: &'a Node,
) -> (Result<T, DeError>, Vec<UnknownField>) {
    let unknown = RefCell::new(Vec::new());
    let result = T::deserialize(NodeDe {
        node,
        unknown: Some(&unknown),
    });
    (result, unknown.into_inner())
}

#[derive(Clone, Copy)]
struct NodeDe<'a, 'u> {
    node: &'a Node,
    unknown: Option<&'u RefCell<Vec<UnknownField>>>,
}

impl<'a, 'u> NodeDe<'a, 'u> {
    fn child(&self, node: &'a Node) -> Self {
        NodeDe {
            node,
            unknown: self.unknown,
        }
    }

    fn map(
        self,
        entries: &'a [(Node, Node)],
        allowed: Option<&'static [&'static str]>,
    ) -> MapDe<'a, 'u> {
        MapDe {
            de: self,
            all: entries,
            iter: entries.iter(),
            value: None,
            allowed,
            seen: HashSet::new(),
        }
    }
}

macro_rules! forward_to_any {
    ($($m:ident)*) => {$(
        fn $m<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> { self.deserialize_any(v) }
    )*};
}

impl<'a> Deserializer<'a> for NodeDe<'a, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        let r = match &self.node.value {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(*b),
            Value::Int(i) => v.visit_i64(*i),
            Value::Float(f) => v.visit_f64(*f),
            Value::Str(s) => v.visit_borrowed_str(s),
            Value::Seq(items) => v.visit_seq(SeqDe {
                de: self,
                iter: items.iter(),
            }),
            Value::Map(entries) => v.visit_map(self.map(entries, None)),
        };
        r.map_err(|e| e.at(pos))
    }

    fn deserialize_option<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
        .map_err(|e| e.at(self.node.pos))
    }

    fn deserialize_string<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }

    fn deserialize_str<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        match &self.node.value {
            Value::Str(s) => v.visit_borrowed_str(s),
            Value::Null => Err(DeError {
                message: "expected text here, found nothing".into(),
                pos,
                help: Some("write a value, or remove the key".into()),
            }),
            // Unquoted numbers and booleans are accepted where text is
            // expected, as their text: `version: 1.0` or `holder: 2024`.
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => match self.node.key_text() {
                Some(Cow::Borrowed(s)) => v.visit_borrowed_str(s),
                Some(Cow::Owned(s)) => v.visit_string(s),
                None => v.visit_unit(),
            },
            _ => Err(DeError {
                message: format!("expected text, found {}", self.node.kind()),
                pos,
                help: None,
            }),
        }
        .map_err(|e| e.at(pos))
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_any(v)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, DeError> {
        v.visit_newtype_struct(self)
            .map_err(|e| e.at(self.node.pos))
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        match &self.node.value {
            Value::Map(entries) => v.visit_map(self.map(entries, Some(fields))),
            _ => Err(DeError {
                message: format!(
                    "expected a mapping with keys such as `{}`, found {}",
                    fields.first().unwrap_or(&"id"),
                    self.node.kind()
                ),
                pos,
                help: None,
            }),
        }
        .map_err(|e| e.at(pos))
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        match &self.node.value {
            Value::Str(s) => v.visit_enum(s.as_str().into_deserializer()),
            _ => Err(DeError {
                message: format!(
                    "expected one of {}, found {}",
                    variants.join(", "),
                    self.node.kind()
                ),
                pos,
                help: None,
            }),
        }
        .map_err(|e: DeError| e.at(pos))
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_unit()
    }

    forward_to_any! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32
        deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_seq deserialize_map deserialize_identifier deserialize_i128 deserialize_u128
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _: usize, v: V) -> Result<V::Value, DeError> {
        self.deserialize_any(v)
    }
    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        _: usize,
        v: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_any(v)
    }
}

struct SeqDe<'a, 'u> {
    de: NodeDe<'a, 'u>,
    iter: std::slice::Iter<'a, Node>,
}

impl<'a> SeqAccess<'a> for SeqDe<'a, '_> {
    type Error = DeError;
    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.iter.next() {
            Some(n) => seed
                .deserialize(self.de.child(n))
                .map(Some)
                .map_err(|e| e.at(n.pos)),
            None => Ok(None),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct MapDe<'a, 'u> {
    de: NodeDe<'a, 'u>,
    all: &'a [(Node, Node)],
    iter: std::slice::Iter<'a, (Node, Node)>,
    value: Option<&'a Node>,
    /// For structs: the known field names; unknown keys are recorded and skipped.
    allowed: Option<&'static [&'static str]>,
    /// For structs with many keys: the keys met so far.
    seen: HashSet<Cow<'a, str>>,
}

/// Up to this many keys, a repeat is found by scanning the keys before it
/// (no hashing, no allocation); beyond, by a set of the keys met so far.
const SCAN_KEYS: usize = 16;

impl<'a> MapDe<'a, '_> {
    /// Has the key at `index` appeared before in this mapping?
    fn repeated(&mut self, index: usize) -> bool {
        let all = self.all;
        let key = all[index].0.key_text().unwrap_or_default();
        if all.len() <= SCAN_KEYS {
            return all[..index]
                .iter()
                .any(|(k, _)| k.key_text() == Some(Cow::Borrowed(key.as_ref())));
        }
        !self.seen.insert(key)
    }
}

impl<'a> MapAccess<'a> for MapDe<'a, '_> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        while let Some((k, v)) = self.iter.next() {
            if let Some(allowed) = self.allowed {
                let text = k.key_text().unwrap_or_default();
                // A repeated key is reported once by the duplicate-key check,
                // with both places; the first value wins here.
                let index = self.all.len() - self.iter.len() - 1;
                if self.repeated(index) {
                    continue;
                }
                if !allowed.contains(&text.as_ref()) {
                    if let Some(unknown) = self.de.unknown {
                        unknown.borrow_mut().push(UnknownField {
                            key: text.into_owned(),
                            pos: k.pos,
                            expected: allowed,
                        });
                    }
                    continue;
                }
            }
            self.value = Some(v);
            // Keys are handed over as text so that `4.1:` works as a map key.
            let key = match k.key_text() {
                Some(Cow::Borrowed(t)) => {
                    seed.deserialize(de::value::BorrowedStrDeserializer::<DeError>::new(t))
                }
                Some(Cow::Owned(t)) => {
                    seed.deserialize(de::value::StringDeserializer::<DeError>::new(t))
                }
                None => {
                    return Err(DeError {
                        message: format!("a key must be text, found {}", k.kind()),
                        pos: k.pos,
                        help: None,
                    });
                }
            };
            return key.map(Some).map_err(|e| e.at(k.pos));
        }
        Ok(None)
    }
    fn next_value_seed<T: DeserializeSeed<'a>>(&mut self, seed: T) -> Result<T::Value, DeError> {
        match self.value.take() {
            Some(v) => seed.deserialize(self.de.child(v)).map_err(|e| e.at(v.pos)),
            None => Err(de::Error::custom("value requested before key")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Item {
        id: String,
        #[serde(default)]
        count: Option<u8>,
    }

    #[test]
    fn numbers_where_text_is_expected_are_read_as_written() {
        #[derive(Deserialize)]
        struct T {
            a: String,
            b: String,
        }
        let n = parse("a: 1.10\nb: 0x1F\n").unwrap();
        let t = from_node::<T>(&n).0.unwrap();
        assert_eq!((t.a.as_str(), t.b.as_str()), ("1.10", "0x1F"));
    }

    #[test]
    fn all_unknown_fields_are_collected_with_suggestions() {
        let n = parse("id: x\ncuont: 3\nzzz: 1\n").unwrap();
        let (r, unknown) = from_node::<Item>(&n);
        let item = r.unwrap();
        assert_eq!((item.id.as_str(), item.count), ("x", None));
        assert_eq!(unknown.len(), 2);
        assert_eq!(unknown[0].key, "cuont");
        assert_eq!(unknown[0].suggestion(), Some("count"));
        assert_eq!(unknown[0].pos.line, 2);
        assert_eq!(unknown[1].suggestion(), None);
    }

    #[test]
    fn repeated_keys_keep_the_first_value_in_large_mappings_too() {
        // Small mappings find repeats by a scan, large ones by a set.
        for extra in [0, 40] {
            let mut text = String::from("id: first\nzzz: 1\n");
            for i in 0..extra {
                text.push_str(&format!("k{i}: x\n"));
            }
            text.push_str("id: second\nzzz: 2\n");
            let n = parse(&text).unwrap();
            let (r, unknown) = from_node::<Item>(&n);
            assert_eq!(r.unwrap().id, "first", "{extra} extra keys");
            let zzz: Vec<_> = unknown.iter().filter(|u| u.key == "zzz").collect();
            assert_eq!(zzz.len(), 1, "a repeated unknown key is reported once");
            assert_eq!(unknown.len(), 1 + extra);
        }
    }

    #[test]
    fn type_errors_point_at_the_value() {
        let n = parse("id: x\ncount: many\n").unwrap();
        let (r, _) = from_node::<Item>(&n);
        let e = r.unwrap_err();
        assert_eq!(e.pos, Pos { line: 2, col: 8 });
        assert!(e.message.contains("invalid type"), "{}", e.message);
    }
}
