//! YAML reading: a spanned node tree, then typed values through serde.
//!
//! serde-saphyr parses the text into [`Node`]s that keep their line and
//! column. Duplicate keys are passed through so that we can name *both*
//! places. Typed values are then deserialized from the tree by
//! [`from_node`], which collects every unknown field of a struct (with a
//! "did you mean") instead of stopping at the first one.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::{Budget, DuplicateKeyPolicy, Options, Spanned};

use crate::diag::suggest;

/// A position in a source file, 1-based. `line == 0` means unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// One YAML node with the place it was written.
#[derive(Clone, Debug)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
    /// For a plain scalar that YAML reads as a number or a boolean, the
    /// text as written (`4.10`, `04.1`, `0x4`): YAML would read `10.10:`
    /// as the number 10.1, but a clause id or a text must keep what the
    /// user wrote. `None` for text, which is kept exactly anyway, and for
    /// nodes that were not read from a file.
    pub raw: Option<Box<str>>,
}

#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The value of `key` in a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node for `key` in a mapping node (to point at the key itself).
    pub fn key_node(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(k, _)| k)
    }

    /// The first entry for `key` in a mapping node. This is a scan of the
    /// mapping, right for the few lookups made in one item; code that looks
    /// up every key of a mapping of any size builds an [`Node::index`] once.
    fn entry(&self, key: &str) -> Option<&(Node, Node)> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.key_text().as_deref() == Some(key)),
            _ => None,
        }
    }

    /// Every entry of a mapping node by its key text, the first of repeated
    /// keys winning (repeats are reported by the duplicate-key check).
    /// Empty for anything but a mapping.
    pub fn index(&self) -> HashMap<Cow<'_, str>, &(Node, Node)> {
        let mut index = HashMap::new();
        if let Value::Map(entries) = &self.value {
            index.reserve(entries.len());
            for e in entries {
                if let Some(text) = e.0.key_text() {
                    index.entry(text).or_insert(e);
                }
            }
        }
        index
    }

    /// Where `path` points (keys, or list indexes as decimal strings); the
    /// deepest node found on the way when the full path does not exist.
    pub fn pos_of(&self, path: &[&str]) -> Pos {
        let mut node = self;
        for part in path {
            let next = match &node.value {
                Value::Map(_) => node.get(part),
                Value::Seq(items) => part.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node.pos
    }

    /// A scalar key as text. YAML reads `4.1:` as a float; clause ids must
    /// still be accepted, so a number or boolean is its text as written
    /// (`10.10` stays `10.10`, `0x4` stays `0x4`). Only a node not read from
    /// a file falls back to printing the value. Borrowed, so comparing keys
    /// allocates nothing.
    pub fn key_text(&self) -> Option<Cow<'_, str>> {
        match &self.value {
            Value::Str(s) => Some(Cow::Borrowed(s)),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) if self.raw.is_some() => {
                self.raw.as_deref().map(Cow::Borrowed)
            }
            Value::Int(i) => Some(Cow::Owned(i.to_string())),
            Value::Float(f) => Some(Cow::Owned(float_text(*f))),
            Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            _ => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Shortest text for a float (`4.1` stays `4.1`, `10.0` is `10.0`), for a
/// number whose written text is not known.
pub fn float_text(f: f64) -> String {
    let s = format!("{f}");
    if s.contains('.') || s.contains('e') || s.contains("inf") || s.contains("NaN") {
        s
    } else {
        format!("{s}.0")
    }
}

thread_local! {
    /// The text [`parse`] is reading, so that a node can keep how a plain
    /// number or boolean was written. serde gives the node its place, not
    /// the source.
    static SOURCE: RefCell<Option<Rc<str>>> = const { RefCell::new(None) };
}

/// Sets [`SOURCE`] for the duration of one parse, and clears it even when
/// the parse fails or panics.
struct Reading;

impl Reading {
    fn start(text: &str) -> Reading {
        SOURCE.with(|s| *s.borrow_mut() = Some(Rc::from(text)));
        Reading
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        SOURCE.with(|s| *s.borrow_mut() = None);
    }
}

/// The source text a number or boolean node was read from: the bytes of
/// its span, when they are a plain scalar (not quoted, no tag or anchor).
fn written(loc: serde_saphyr::Location) -> Option<Box<str>> {
    let span = loc.span();
    let start = usize::try_from(span.byte_offset()?).ok()?;
    let len = usize::try_from(span.byte_len()?).ok()?;
    SOURCE.with(|s| {
        let source = s.borrow();
        let text = source.as_deref()?.get(start..start.checked_add(len)?)?;
        let plain = !text.is_empty()
            && !text.starts_with(['"', '\'', '!', '&', '*'])
            && !text.contains(char::is_whitespace);
        plain.then(|| Box::from(text))
    })
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned: Spanned<Value> = Spanned::deserialize(d)?;
        let loc = spanned.referenced;
        let raw = match spanned.value {
            // An alias's value is written where its anchor was defined.
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => written(spanned.defined),
            _ => None,
        };
        Ok(Node {
            value: spanned.value,
            pos: Pos {
                line: u32::try_from(loc.line()).unwrap_or(u32::MAX),
                col: u32::try_from(loc.column()).unwrap_or(u32::MAX),
            },
            raw,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Value, E> {
        Err(E::custom("binary values are not supported"))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element::<Node>()? {
            items.push(n);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = map.next_key::<Node>()? {
            let v = map.next_value::<Node>()?;
            entries.push((k, v));
        }
        Ok(Value::Map(entries))
    }
}

/// Limits against hostile files. The defaults of serde-saphyr stop at
/// 250,000 nodes, which a real inventory of a few thousand systems passes,
/// so the node and event budgets are raised on purpose; depth and alias
/// expansion stay tight because no inventory needs them.
pub fn parse_options() -> Options {
    let mut budget = Budget::default();
    budget.max_reader_input_bytes = Some(crate::load::MAX_FILE_BYTES as usize);
    budget.max_events = 40_000_000;
    budget.max_nodes = 20_000_000;
    budget.max_depth = 64;
    budget.max_aliases = 10_000;
    budget.max_anchors = 10_000;
    budget.max_documents = 1;
    budget.max_total_scalar_bytes = crate::load::MAX_FILE_BYTES as usize;
    let mut opts = Options::default();
    opts.budget = Some(budget);
    opts.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    // YAML 1.2 booleans only: the contract has a key named `on`, and
    // `yes`/`no`/`on`/`off` turning into booleans surprises everyone.
    opts.strict_booleans = true;
    // Anchors are rare in inventories; an alias bomb should fail fast.
    opts.alias_limits.max_total_replayed_events = 200_000;
    opts.alias_limits.max_alias_expansions_per_anchor = 10_000;
    opts
}

/// A YAML syntax or budget error with its place.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub message: String,
    pub pos: Pos,
}

/// Parse a whole document into a node tree. An empty document is `Null`.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(Node {
            value: Value::Null,
            pos: Pos { line: 1, col: 1 },
            raw: None,
        });
    }
    let _reading = Reading::start(text);
    serde_saphyr::from_str_with_options::<Node>(text, parse_options()).map_err(|e| {
        let pos = e
            .location()
            .map(|l| Pos {
                line: u32::try_from(l.line()).unwrap_or(0),
                col: u32::try_from(l.column()).unwrap_or(0),
            })
            .unwrap_or_default();
        SyntaxError {
            message: clean_syntax_message(&e.without_snippet().to_string()),
            pos,
        }
    })
}

/// serde-saphyr appends " at line X column Y" to messages; we print the
/// place ourselves, and name budget breaches in the user's terms.
fn clean_syntax_message(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or(msg).trim();
    let cut = first.find(" at line ").map_or(first, |i| &first[..i]);
    let cut = cut.trim_end_matches(['.', ':']);
    if let Some(b) = cut.strip_prefix("budget breached: ") {
        let what = b.split([' ', '{', '(']).next().unwrap_or(b);
        return match what {
            "Depth" => "nesting is deeper than 64 levels".into(),
            "Documents" => {
                "more than one YAML document (`---`) in one file; use one file per document".into()
            }
            "Nodes" | "Events" => "the file has more values than aims reads from one file".into(),
            "Aliases" | "Anchors" => {
                "the file uses more anchors or aliases than aims allows".into()
            }
            "ScalarBytes" | "TotalScalarBytes" => {
                "the file's text values exceed the size limit".into()
            }
            _ => format!("the file exceeds a safety limit ({b})"),
        };
    }
    cut.to_string()
}

// ---------------------------------------------------------------------------
// Typed deserialization from a node tree.

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

/// Deserialize `T` from a node, skipping unknown fields without recording
/// them (for a second look at an item whose unknown fields are known).
pub fn from_node_quiet<'a, T: Deserialize<'a>>(node: &'a Node) -> Result<T, DeError> {
    T::deserialize(NodeDe {
        node,
        unknown: None,
    })
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
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Item {
        id: String,
        #[serde(default)]
        count: Option<u8>,
    }

    #[test]
    fn keeps_positions() {
        let n = parse("a: 1\nb:\n  - x\n  - y\n").unwrap();
        assert_eq!(n.get("b").unwrap().pos.line, 3);
        assert_eq!(n.pos_of(&["b", "1"]), Pos { line: 4, col: 5 });
    }

    fn keys(n: &Node) -> Vec<String> {
        match &n.value {
            Value::Map(e) => e
                .iter()
                .map(|(k, _)| k.key_text().unwrap().into_owned())
                .collect(),
            _ => panic!("not a mapping"),
        }
    }

    #[test]
    fn numeric_keys_read_as_clause_ids() {
        let n = parse("4.1: a\n6.1.2: b\n10.0: c\n10.2: d\n").unwrap();
        assert_eq!(keys(&n), ["4.1", "6.1.2", "10.0", "10.2"]);
    }

    #[test]
    fn number_like_keys_are_their_text_as_written() {
        let written = [
            "10.10", "4.10", "04.1", "4.1e0", "+4.1", "6.10", "0x4", "0o7", "-4.1", "1_0", "true",
        ];
        let text: String = written.iter().map(|k| format!("{k}: x\n")).collect();
        let n = parse(&text).unwrap();
        assert_eq!(keys(&n), written);
        // Still numbers to YAML: only their text is kept besides.
        let Value::Map(e) = &n.value else { panic!() };
        assert!(matches!(e[0].0.value, Value::Float(f) if f == 10.1));
        assert!(matches!(e[6].0.value, Value::Int(4)));
    }

    #[test]
    fn number_like_keys_keep_their_text_in_flow_anchored_tagged_and_aliased_forms() {
        let n = parse("{10.10: a, &k 4.10: b, !!float 6.10: c, ? 0x4 : d}\n").unwrap();
        assert_eq!(keys(&n), ["10.10", "4.10", "6.10", "0x4"]);
        let n = parse("a: &x 4.10\nb: *x\n").unwrap();
        assert_eq!(n.get("b").unwrap().raw.as_deref(), Some("4.10"));
        // Quoted keys are text already.
        let n = parse("\"4.10\": a\n'6.10': b\n").unwrap();
        assert_eq!(keys(&n), ["4.10", "6.10"]);
    }

    #[test]
    fn keys_written_differently_are_different_keys() {
        // `4.1` and `4.10` were both the number 4.1, hence one key twice.
        let n = parse("4.1: a\n4.10: b\n").unwrap();
        assert_eq!(n.index().len(), 2);
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
    fn nodes_not_read_from_a_file_print_their_value() {
        let n = Node {
            value: Value::Float(4.1),
            pos: Pos::default(),
            raw: None,
        };
        assert_eq!(n.key_text().as_deref(), Some("4.1"));
    }

    #[test]
    fn yaml_1_1_booleans_stay_text() {
        let n = parse(
            "on: groups
x: yes
y: true
",
        )
        .unwrap();
        assert_eq!(n.get("on").unwrap().key_text().as_deref(), Some("groups"));
        assert!(matches!(n.get("x").unwrap().value, Value::Str(_)));
        assert!(matches!(n.get("y").unwrap().value, Value::Bool(true)));
    }

    #[test]
    fn duplicate_keys_pass_through_with_both_places() {
        let n = parse("a: 1\nb: 2\na: 3\n").unwrap();
        match n.value {
            Value::Map(e) => {
                let lines: Vec<_> = e
                    .iter()
                    .filter(|(k, _)| k.key_text().unwrap() == "a")
                    .map(|(k, _)| k.pos.line)
                    .collect();
                assert_eq!(lines, [1, 3]);
            }
            _ => panic!(),
        }
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
    fn index_finds_every_key_and_the_first_of_repeats() {
        let n = parse("a: 1\nb: 2\na: 3\n4.1: x\n").unwrap();
        let ix = n.index();
        assert_eq!(ix.len(), 3);
        assert_eq!(ix["a"].1.pos.line, 1);
        assert_eq!(ix["4.1"].0.pos.line, 4);
        assert!(parse("[1]").unwrap().index().is_empty());
    }

    #[test]
    fn text_keys_are_borrowed() {
        let n = parse("name: x\n").unwrap();
        let Value::Map(e) = &n.value else { panic!() };
        assert!(matches!(e[0].0.key_text(), Some(Cow::Borrowed("name"))));
    }

    #[test]
    fn quiet_deserialization_records_nothing() {
        let n = parse("id: x\ncuont: 3\n").unwrap();
        assert_eq!(from_node_quiet::<Item>(&n).unwrap().id, "x");
    }

    #[test]
    fn type_errors_point_at_the_value() {
        let n = parse("id: x\ncount: many\n").unwrap();
        let (r, _) = from_node::<Item>(&n);
        let e = r.unwrap_err();
        assert_eq!(e.pos, Pos { line: 2, col: 8 });
        assert!(e.message.contains("invalid type"), "{}", e.message);
    }

    #[test]
    fn alias_bomb_is_stopped() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            s.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        assert!(parse(&s).is_err());
    }

    #[test]
    fn deep_nesting_is_stopped() {
        let s = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let e = parse(&s).unwrap_err();
        let m = e.message.to_lowercase();
        assert!(
            m.contains("depth") || m.contains("nest") || m.contains("recursion"),
            "{}",
            e.message
        );
    }
}
