//! Typed values from YAML nodes: every unknown field and, by probing,
//! every bad field of an item is reported, not only serde's first.

use super::read::Loader;
use crate::diag::Location;
use crate::load::yaml::{self, Node, Pos, Value};
use crate::rules::LoadCode;

/// What became of one item: read whole, read without the entries that were
/// wrong (the errors are recorded, so the load fails, but the item still
/// answers reference checks), or not read at all.
pub(super) enum Typed<T> {
    Whole(T),
    Pruned(T),
    Failed,
}

impl Loader {
    /// Deserialize a typed value from a node, reporting every problem.
    pub(super) fn typed<T: serde::de::DeserializeOwned>(
        &mut self,
        file: &str,
        node: &Node,
        what: &str,
    ) -> Option<T> {
        match self.typed_item(file, node, what) {
            Typed::Whole(t) => Some(t),
            Typed::Pruned(_) | Typed::Failed => None,
        }
    }

    /// As [`Loader::typed`], and when the item is wrong, the item without
    /// its wrong entries if that still reads: one typo in an item must not
    /// also break every reference to it.
    pub(super) fn typed_item<T: serde::de::DeserializeOwned>(
        &mut self,
        file: &str,
        node: &Node,
        what: &str,
    ) -> Typed<T> {
        let (result, mut unknown) = yaml::from_node::<T>(node);
        let first = match result {
            Ok(v) => {
                self.unknown_fields(file, what, &unknown);
                return Typed::Whole(v);
            }
            Err(e) => e,
        };
        // serde stops at the first bad field. To report the others in the same
        // run, drop the entry that failed from a copy of the item and try again.
        // Each try also meets the unknown fields after the bad one.
        let mut errors = vec![first.clone()];
        // By place, so that a mapping of 40,000 unknown keys stays linear.
        let mut seen: std::collections::HashSet<Pos> = unknown.iter().map(|u| u.pos).collect();
        let mut pruned = None;
        let mut probe = node.clone();
        let mut last = first;
        for _ in 0..MAX_PROBES {
            // An error about the item as a whole (a missing field) has the
            // item's own place, which is also its first key's: nothing to drop.
            if last.pos == probe.pos || !remove_at(&mut probe, last.pos) {
                break;
            }
            let (result, more) = yaml::from_node::<T>(&probe);
            for u in more {
                if seen.insert(u.pos) {
                    unknown.push(u);
                }
            }
            let next = match result {
                Ok(t) => {
                    pruned = Some(t);
                    break;
                }
                Err(e) => e,
            };
            if next.pos == last.pos && next.message == last.message {
                break;
            }
            // "missing field `x`" after we removed `x` is our doing, not the user's.
            let ours = missing_field(&next.message).is_some_and(|f| node.get(f).is_some());
            if !ours {
                errors.push(next.clone());
            }
            last = next;
        }
        unknown.sort_by_key(|u| u.pos);
        self.unknown_fields(file, what, &unknown);
        for e in &errors {
            // `titel:` for `title:` is one mistake: the unknown field says
            // "did you mean `title`?", so "missing field `title`" is not
            // a second one.
            let typo = missing_field(&e.message)
                .is_some_and(|f| unknown.iter().any(|u| u.suggestion() == Some(f)));
            if !typo {
                self.invalid(file, what, e);
            }
        }
        match pruned {
            Some(t) => Typed::Pruned(t),
            None => Typed::Failed,
        }
    }

    fn unknown_fields(&mut self, file: &str, what: &str, unknown: &[yaml::UnknownField]) {
        for u in unknown {
            if self.full() {
                self.suppressed += 1;
                continue;
            }
            let help = match u.suggestion() {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known fields: {}", u.expected.join(", ")),
            };
            self.err(
                LoadCode::UnknownField,
                format!("unknown field `{}` in {what}", u.key),
                Some(Location::new(file, u.pos)),
                Some(help),
            );
        }
    }

    fn invalid(&mut self, file: &str, what: &str, e: &yaml::DeError) {
        // Past the limit only the count is kept: formatting a million
        // messages nobody sees was a third of the time on a wide list.
        if self.full() {
            self.suppressed += 1;
            return;
        }
        let message = tidy_serde_message(&e.message);
        self.err(
            LoadCode::Invalid,
            format!("{what}: {message}"),
            Some(Location::new(file, e.pos)),
            e.help.clone(),
        );
    }
}

/// How many further type errors one item may report.
const MAX_PROBES: usize = 20;

/// The field serde says is missing, if that is the error.
fn missing_field(msg: &str) -> Option<&str> {
    let rest = msg.strip_prefix("missing field `")?;
    rest.split('`').next()
}

/// Remove the mapping entry or list element whose key or value is at `pos`
/// (searching depth-first). The node at `pos` itself cannot be removed.
fn remove_at(node: &mut Node, pos: Pos) -> bool {
    fn contains(n: &Node, pos: Pos) -> bool {
        n.pos == pos
            || match &n.value {
                Value::Map(e) => e.iter().any(|(k, v)| k.pos == pos || contains(v, pos)),
                Value::Seq(items) => items.iter().any(|i| contains(i, pos)),
                _ => false,
            }
    }
    match &mut node.value {
        Value::Map(entries) => {
            if let Some(i) = entries
                .iter()
                .position(|(k, v)| k.pos == pos || v.pos == pos)
            {
                entries.remove(i);
                return true;
            }
            entries
                .iter_mut()
                .any(|(_, v)| contains(v, pos) && remove_at(v, pos))
        }
        Value::Seq(items) => {
            if let Some(i) = items.iter().position(|it| it.pos == pos) {
                items.remove(i);
                return true;
            }
            items
                .iter_mut()
                .any(|it| contains(it, pos) && remove_at(it, pos))
        }
        _ => false,
    }
}

/// serde's messages name Rust types; say it in the user's terms.
fn tidy_serde_message(m: &str) -> String {
    m.replace(", expected u32", ", expected a whole number")
        .replace(", expected u8", ", expected a whole number")
        .replace(", expected i64", ", expected a whole number")
        .replace(", expected a boolean", ", expected true or false")
        .replace("invalid type: ", "wrong type: ")
        .replace("unknown variant `", "unknown value `")
}
