//! The node tree: every YAML value with the place it was written, and the
//! lookups diagnostics need (a key's text as written, where a path points).

use std::borrow::Cow;
use std::collections::HashMap;

/// A position in a source file, 1-based. `line == 0` means unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// One YAML node with the place it was written.
#[derive(Clone, Debug, Default)]
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

#[derive(Clone, Debug, Default)]
pub enum Value {
    #[default]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse;

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
}
