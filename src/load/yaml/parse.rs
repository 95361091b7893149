//! Text to node tree through serde-saphyr, with budgets against hostile
//! files and the text of plain numbers kept as written.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::{Budget, DuplicateKeyPolicy, Options, Spanned};

use super::{Node, Pos, Value};

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
    /// What to do, when the cause is known (indentation: the fixed line).
    pub help: Option<String>,
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
        let message = clean_syntax_message(&e.without_snippet().to_string());
        match indentation(text, pos, &message) {
            Some((message, help)) => SyntaxError {
                message,
                pos,
                help: Some(help),
            },
            None => SyntaxError {
                message,
                pos,
                help: None,
            },
        }
    })
}

/// The parser's words for a mis-indented line ("did not find expected
/// key", "mapping values are not allowed in this context") name its state,
/// not the cause: when the line at `pos` is indented with a tab, or by an
/// amount that lines up with no key above it, say so and show the fix.
fn indentation(text: &str, pos: Pos, message: &str) -> Option<(String, String)> {
    let index = usize::try_from(pos.line).ok()?.checked_sub(1)?;
    let lines: Vec<&str> = text.lines().collect();
    let line = *lines.get(index)?;
    let content = line.trim_start_matches([' ', '\t']);
    let lead = &line[..line.len() - content.len()];
    let n = pos.line;
    if lead.contains('\t') || message.contains("tabs") {
        let fixed = format!("{}{content}", lead.replace('\t', "  "));
        return Some((
            format!("line {n} is indented with a tab; YAML indents with spaces only"),
            format!("replace the tab with spaces: `{}`", fixed.trim_end()),
        ));
    }
    let about_indentation = [
        "did not find expected key",
        "expected '-'",
        "mapping values are not allowed",
    ]
    .iter()
    .any(|m| message.contains(m));
    if !about_indentation || content.is_empty() {
        return None;
    }
    // The lines the bad one could belong to: going up, each line less
    // indented than the last one kept (the open keys and list items).
    let mut levels: Vec<(usize, usize, &str)> = Vec::new();
    for (i, l) in lines[..index].iter().enumerate().rev() {
        let c = l.trim_start_matches(' ');
        if c.is_empty() || c.starts_with('#') || c.starts_with("---") {
            continue;
        }
        let indent = l.len() - c.len();
        if levels.last().is_none_or(|&(_, last, _)| indent < last) {
            levels.push((i + 1, indent, c));
        }
        if indent == 0 {
            break;
        }
    }
    let width = lead.len();
    // `-id: b`: a dash with no space after it is text, not a list item.
    if content.starts_with('-') && !content.starts_with("- ") && !content.starts_with("---") {
        return Some((
            format!("line {n} starts with `-` but no space after it, so it is not a list item"),
            format!(
                "write a space after the dash: `{lead}- {}`",
                content[1..].trim_end()
            ),
        ));
    }
    let (prev_line, prev_indent, prev) = *levels.first()?;
    // `name X` then `scope: y`: without its colon, the line above runs on
    // into this one as one text.
    if message.contains("mapping values are not allowed")
        && prev_indent == width
        && !prev.contains(':')
        && !prev.starts_with('-')
        && let Some((k, v)) = prev.trim_end().split_once(' ')
    {
        return Some((
            format!(
                "line {prev_line} has no `:` after its key, so YAML reads it and line {n} as one text"
            ),
            format!("write `{k}: {v}` on line {prev_line}"),
        ));
    }
    let spaces = |k: usize| {
        if k == 1 {
            "1 space".to_string()
        } else {
            format!("{k} spaces")
        }
    };
    let key = |c: &str| {
        let k = c.split_once(": ").map_or(c.trim_end(), |(k, _)| k);
        let k: String = k.chars().take(40).collect();
        if k.ends_with(':') { k } else { format!("{k}:") }
    };
    // `name: X` then `   scope: all` one level deeper: YAML reads the
    // deeper line as more of `name`'s value.
    // The key of `- id: a` is two columns right of its dash.
    let item = prev.len() - prev.trim_start_matches(['-', ' ']).len();
    let (prev_indent, prev) = (prev_indent + item, &prev[item..]);
    if width > prev_indent
        && prev
            .split_once(": ")
            .is_some_and(|(_, v)| !v.trim().is_empty())
    {
        let fixed = format!("{}{content}", " ".repeat(prev_indent));
        return Some((
            format!(
                "line {n} is indented by {} but the line above by {}, so YAML reads it as part of the value of `{}`",
                spaces(width),
                spaces(prev_indent),
                key(prev)
            ),
            format!(
                "indent it like `{}` on line {prev_line}: `{}`",
                key(prev),
                fixed.trim_end()
            ),
        ));
    }
    if levels.iter().any(|&(_, indent, _)| indent == width) {
        return None;
    }
    let choices: Vec<String> = levels
        .iter()
        .rev()
        .map(|&(l, indent, c)| format!("{} (like `{}` on line {l})", spaces(indent), key(c)))
        .collect();
    Some((
        format!(
            "line {n} is indented by {}, which lines up with no key or list item above it",
            spaces(width)
        ),
        format!(
            "indent it by {} to say where it belongs",
            choices.join(" or ")
        ),
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn alias_bomb_is_stopped() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            s.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        assert!(parse(&s).is_err());
    }

    #[test]
    fn indentation_mistakes_say_so_and_show_the_fix() {
        let e = parse("version: 1\norganization:\n  name: X\n roles:\n  - id: a\n").unwrap_err();
        assert_eq!(
            e.message,
            "line 4 is indented by 1 space, which lines up with no key or list item above it"
        );
        assert_eq!(
            e.help.as_deref(),
            Some(
                "indent it by 0 spaces (like `organization:` on line 2) or 2 spaces (like `name:` on line 3) to say where it belongs"
            )
        );
        let e = parse("organization:\n  name: X\n   scope: all\n").unwrap_err();
        assert_eq!(
            e.message,
            "line 3 is indented by 3 spaces but the line above by 2 spaces, so YAML reads it as part of the value of `name:`"
        );
        assert!(
            e.help
                .as_deref()
                .unwrap()
                .starts_with("indent it like `name:` on line 2: `  scope: all`"),
            "{:?}",
            e.help
        );
        let e = parse("roles:\n  - id: a\n    title: A\n   - id: b\n").unwrap_err();
        assert_eq!(
            e.message,
            "line 4 is indented by 3 spaces, which lines up with no key or list item above it"
        );
        assert!(
            e.help
                .as_deref()
                .unwrap()
                .contains("2 spaces (like `- id:` on line 2)"),
            "{:?}",
            e.help
        );
        let e = parse("roles:\n  - id: a\n     title: A\n").unwrap_err();
        assert_eq!(
            e.help.as_deref(),
            Some("indent it like `id:` on line 2: `    title: A`")
        );
        let e = parse("organization:\n\tname: X\n").unwrap_err();
        assert_eq!(
            e.message,
            "line 2 is indented with a tab; YAML indents with spaces only"
        );
        assert_eq!(
            e.help.as_deref(),
            Some("replace the tab with spaces: `  name: X`")
        );
        let e = parse("version: 1\norganization:\n  name X\n  scope: y\n").unwrap_err();
        assert_eq!(
            e.message,
            "line 3 has no `:` after its key, so YAML reads it and line 4 as one text"
        );
        assert_eq!(e.help.as_deref(), Some("write `name: X` on line 3"));
        let e = parse("roles:\n  - id: a\n    title: A\n  -id: b\n").unwrap_err();
        assert_eq!(
            e.message,
            "line 4 starts with `-` but no space after it, so it is not a list item"
        );
        assert_eq!(
            e.help.as_deref(),
            Some("write a space after the dash: `  - id: b`")
        );
        // Not about indentation: the parser's own words stay.
        let e = parse("a: [1, 2\n").unwrap_err();
        assert!(
            e.help.is_none() && !e.message.contains("indented"),
            "{}",
            e.message
        );
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
