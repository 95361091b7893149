//! YAML reading: a spanned node tree, then typed values through serde.
//!
//! serde-saphyr parses the text into [`Node`]s that keep their line and
//! column. Duplicate keys are passed through so that we can name *both*
//! places. Typed values are then deserialized from the tree by
//! [`from_node`], which collects every unknown field of a struct (with a
//! "did you mean") instead of stopping at the first one.

mod de;
mod node;
mod parse;

pub use de::{DeError, UnknownField, from_node};
pub use node::{Node, Pos, Value, float_text};
pub use parse::{SyntaxError, parse, parse_options};
