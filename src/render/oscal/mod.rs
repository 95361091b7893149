//! OSCAL 1.2 exports (`aims export`): the catalogue, the assessment
//! results, a plan of action and milestones, and the crosswalks as a
//! mapping collection. Each model is a typed document in its own file;
//! what they share (metadata, properties, ids, UUIDs, text) is here.
//!
//! Output is deterministic: every UUID is version 5 of a stable name, and
//! every moment comes from `--as-of` or `SOURCE_DATE_EPOCH`.

pub mod assessment;
pub mod catalog;
pub mod mapping;
pub mod poam;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::assess::evidence::Evidence;
use crate::assess::{Gap, Level};
use crate::catalog::{Catalog, Kind};
use crate::load::Project;
use crate::model::Date;
use crate::render::RenderError;
use crate::render::escape;

/// The OSCAL version every export declares: what the schemas in
/// `../shared/schemas/oscal-1.2.1/` and compliance-trestle 4.0 accept.
pub const OSCAL_VERSION: &str = "1.2.1";

/// The namespace of aims' own properties (`level`, `owner`, ...): OSCAL
/// requires one on every property name it does not define itself.
pub const NS: &str = "https://github.com/aims-governance/aims/ns/oscal";

/// What the catalogue and mapping exports are built from: they need no
/// inventory (without one, the embedded catalogue).
pub struct Base<'a> {
    pub catalog: &'a Catalog,
    /// The organisation's title (`Project::title`); empty without an inventory.
    pub title: String,
    /// Whether `[catalog] extra` overlays are laid over the catalogue.
    pub overlays: bool,
    pub as_of: Date,
    /// The run's moment: `SOURCE_DATE_EPOCH`, else now.
    pub generated: DateTime<Utc>,
}

/// What the assessment results and POA&M are built from: a judged inventory.
pub struct Inputs<'a> {
    pub base: Base<'a>,
    pub project: &'a Project,
    pub gap: &'a Gap,
    pub evidence: &'a Evidence,
}

impl<'a> std::ops::Deref for Inputs<'a> {
    type Target = Base<'a>;
    fn deref(&self) -> &Base<'a> {
        &self.base
    }
}

impl Base<'_> {
    /// `last-modified` of every document.
    pub fn last_modified(&self) -> String {
        self.generated.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    /// The as-of day as an OSCAL date-time (its first moment, UTC).
    pub fn as_of_time(&self) -> String {
        format!("{}T00:00:00Z", self.as_of)
    }

    /// Stable UUIDs for one document of this organisation.
    pub fn uuids(&self, document: &'static str) -> Uuids {
        Uuids {
            document,
            scope: self.title.clone(),
        }
    }

    fn metadata(&self, title: String, version: String) -> Metadata {
        Metadata {
            title: line(&title),
            last_modified: self.last_modified(),
            version: string(&version).unwrap_or_else(|| "unversioned".into()),
            oscal_version: OSCAL_VERSION,
            props: vec![prop(
                "generator",
                &format!("aims {}", env!("CARGO_PKG_VERSION")),
            )]
            .into_iter()
            .flatten()
            .collect(),
        }
    }
}

/// Version 5 UUIDs of names within one document of one organisation, so
/// that the same inventory exports the same UUIDs on every run.
pub struct Uuids {
    document: &'static str,
    scope: String,
}

impl Uuids {
    pub fn of(&self, name: &str) -> String {
        static NAMESPACE: std::sync::OnceLock<Uuid> = std::sync::OnceLock::new();
        let ns = NAMESPACE.get_or_init(|| Uuid::new_v5(&Uuid::NAMESPACE_URL, NS.as_bytes()));
        let key = format!("{}\n{}\n{name}", self.document, self.scope);
        Uuid::new_v5(ns, key.as_bytes()).to_string()
    }
}

/// A document's back matter: the resources it points at.
#[derive(Debug, Serialize)]
pub struct BackMatter {
    pub resources: Vec<Resource>,
}

#[derive(Debug, Serialize)]
pub struct Resource {
    pub uuid: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rlinks: Vec<Rlink>,
}

#[derive(Debug, Serialize)]
pub struct Rlink {
    pub href: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Metadata {
    pub title: String,
    pub last_modified: String,
    pub version: String,
    pub oscal_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
}

/// An OSCAL property; `ns` is set on every name OSCAL does not define.
#[derive(Debug, Clone, Serialize)]
pub struct Prop {
    pub name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ns: Option<&'static str>,
    pub value: String,
}

/// An aims property (in [`NS`]); `None` when `value` is blank, since
/// OSCAL strings may not be empty.
pub fn prop(name: &'static str, value: &str) -> Option<Prop> {
    Some(Prop {
        name,
        ns: Some(NS),
        value: string(value)?,
    })
}

/// A property OSCAL defines itself (`label`, `sort-id`).
pub fn core_prop(name: &'static str, value: &str) -> Option<Prop> {
    Some(Prop {
        name,
        ns: None,
        value: string(value)?,
    })
}

/// An OSCAL string: one line, no white space at either end, or `None` when
/// nothing is left (the schema's `^\S(.*\S)?$`).
pub fn string(s: &str) -> Option<String> {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let clean: String = joined.chars().filter(|c| !escape::is_control(*c)).collect();
    (!clean.is_empty()).then_some(clean)
}

/// User text in an OSCAL markup-line field (Markdown on one line).
pub fn line(s: &str) -> String {
    let one = string(s).unwrap_or_else(|| "untitled".into());
    escape::md(&one)
}

/// User text in an OSCAL markup-multiline field (Markdown).
pub fn prose(s: &str) -> String {
    let paras: Vec<String> = s
        .split("\n\n")
        .filter_map(string)
        .map(|p| escape::md(&p))
        .collect();
    if paras.is_empty() {
        "No text.".into()
    } else {
        paras.join("\n\n")
    }
}

/// A catalogue id as an OSCAL token, which must start with a letter or `_`
/// and hold only letters, digits, `.`, `-` and `_`: lowercased, other
/// characters as `-`, and clause numbers prefixed (`4.1` → `clause-4.1`).
pub fn token(kind: Kind, raw: &str) -> String {
    let mut s: String = raw
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !s.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        let prefix = match kind {
            Kind::Clause => "clause-",
            _ => "id-",
        };
        s.insert_str(0, prefix);
    }
    s
}

/// The OSCAL id of a control of the catalogue.
pub fn control_token(catalog: &Catalog, id: &str) -> String {
    let kind = catalog.get(id).map_or(Kind::Custom, |c| c.kind);
    token(kind, id)
}

/// A path relative to the repository as a URI reference: `/`-separated,
/// every byte outside the unreserved and path characters percent-encoded.
pub fn href(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Which levels leave a control short of counting fully in the score: the
/// gaps a plan of action lists.
pub fn is_gap(level: Level) -> bool {
    matches!(level, Level::Missing | Level::Partial | Level::Implemented)
}

/// Write a document as pretty JSON, newline-terminated, with the same
/// string escaping as every other JSON aims writes.
pub fn write_json<T: Serialize>(w: &mut dyn std::io::Write, doc: &T) -> Result<(), RenderError> {
    escape::json_pretty_to(&mut *w, doc).map_err(RenderError::JsonOutput)?;
    w.write_all(b"\n")
        .map_err(|e| RenderError::JsonOutput(serde_json::Error::io(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_start_with_a_letter() {
        assert_eq!(token(Kind::Clause, "4.1"), "clause-4.1");
        assert_eq!(token(Kind::Clause, "10"), "clause-10");
        assert_eq!(token(Kind::AnnexA, "A.6.2.8"), "a.6.2.8");
        assert_eq!(token(Kind::Custom, "NB MRM/1"), "nb-mrm-1");
        assert_eq!(token(Kind::Custom, "1X"), "id-1x");
    }

    #[test]
    fn strings_are_one_trimmed_line() {
        assert_eq!(string("  a\n b\t "), Some("a b".into()));
        assert_eq!(string(" \n "), None);
        assert_eq!(string("x\u{1b}[31m"), Some("x[31m".into()));
    }

    #[test]
    fn hrefs_are_percent_encoded() {
        assert_eq!(href("docs/a b#1.md"), "docs/a%20b%231.md");
        assert_eq!(href("é.md"), "%C3%A9.md");
    }

    #[test]
    fn uuids_are_stable_version_5() {
        let u = Uuids {
            document: "catalog",
            scope: "Org".into(),
        };
        let a = u.of("x");
        assert_eq!(a, u.of("x"));
        assert_ne!(a, u.of("y"));
        assert_eq!(Uuid::parse_str(&a).unwrap().get_version_num(), 5);
    }
}
