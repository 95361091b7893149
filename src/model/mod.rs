//! The inventory types of `../shared/spec/inventory.md` (format version 1).
//!
//! The same types drive loading (through [`crate::load::yaml::from_node`]) and the
//! JSON Schema of `aims schema`, so the two cannot drift apart.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use schemars::JsonSchema;
use serde::Deserialize;

use crate::diag::Location;
use crate::load::yaml::{Node, Pos};

// ---------------------------------------------------------------------------
// Enumerations of the contract.

/// A closed list of kebab-case words of the format. Defined before the
/// section modules: a `macro_rules!` is visible only in the code after it.
macro_rules! kebab_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $s)] $v),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),*];
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $s),* } }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

mod governance;
mod id;
mod records;
mod risk;
mod system;
mod time;
mod value;
mod waiver;

pub use governance::*;
pub use id::*;
pub use records::*;
pub use risk::*;
pub use system::*;
pub use time::*;
pub use value::*;
pub use waiver::*;

// ---------------------------------------------------------------------------
// Where an item came from.

/// The file and node an item was read from, for diagnostics that point at
/// the item or one of its fields. Not part of the format.
#[derive(Clone, Debug, Default)]
pub struct Src {
    pub file: Arc<str>,
    pub node: Option<Arc<Node>>,
}

impl Src {
    /// The item's source, keeping its node (moved, not copied: the node
    /// tree of a large inventory is as large as the inventory's model).
    pub fn new(file: &Arc<str>, node: Node) -> Self {
        Src {
            file: file.clone(),
            node: Some(Arc::new(node)),
        }
    }
    pub fn pos(&self) -> Pos {
        self.node.as_ref().map(|n| n.pos).unwrap_or_default()
    }
    /// The item itself.
    pub fn loc(&self) -> Location {
        Location::new(&self.file, self.pos())
    }
    /// A field of the item (`["owner"]`, `["impacts", "0", "controls"]`).
    pub fn loc_of(&self, path: &[&str]) -> Location {
        let pos = self
            .node
            .as_ref()
            .map(|n| n.pos_of(path))
            .unwrap_or_default();
        Location::new(&self.file, pos)
    }
}

// ---------------------------------------------------------------------------
// Sections.

/// One inventory file. Several files are merged: lists are concatenated,
/// `controls` maps joined; `version` and `organization` may appear once.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "aims inventory (format version 1)")]
pub struct InventoryFile {
    /// Format version of the inventory: 1.
    #[serde(default)]
    pub version: Option<u32>,
    #[serde(default)]
    pub organization: Option<Organization>,
    #[serde(default)]
    pub policies: Vec<Policy>,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Organisation-level statements, keyed by catalogue id.
    #[serde(default)]
    pub controls: BTreeMap<String, Statement>,
    #[serde(default)]
    pub systems: Vec<System>,
    #[serde(default)]
    pub risks: Vec<Risk>,
    #[serde(default)]
    pub impact_assessments: Vec<ImpactAssessment>,
    #[serde(default)]
    pub suppliers: Vec<Supplier>,
    #[serde(default)]
    pub audits: Vec<Audit>,
    #[serde(default)]
    pub nonconformities: Vec<Nonconformity>,
    /// Incidents involving AI systems (A.8.4; AI Act Art. 73).
    #[serde(default)]
    pub incidents: Vec<Incident>,
    #[serde(default)]
    pub waivers: Vec<Waiver>,
}

/// Top-level keys of an inventory file, in contract order.
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "version",
    "organization",
    "policies",
    "roles",
    "controls",
    "systems",
    "risks",
    "impact_assessments",
    "suppliers",
    "audits",
    "nonconformities",
    "incidents",
    "waivers",
];

/// The merged inventory, every reference checked.
#[derive(Debug, Default)]
pub struct Inventory {
    pub organization: Option<Organization>,
    pub policies: Vec<Policy>,
    pub roles: Vec<Role>,
    /// Organisation-level statements by catalogue id (canonical case).
    pub controls: BTreeMap<String, PlacedStatement>,
    pub systems: Vec<System>,
    pub risks: Vec<Risk>,
    pub impact_assessments: Vec<ImpactAssessment>,
    pub suppliers: Vec<Supplier>,
    pub audits: Vec<Audit>,
    pub nonconformities: Vec<Nonconformity>,
    pub incidents: Vec<Incident>,
    pub waivers: Vec<Waiver>,
    /// Lookups by id, built on first use: the lists are complete once the
    /// inventory is loaded, and checks look up ids for every item.
    index: OnceLock<Index>,
}

/// Positions in the inventory's lists by id, ignoring case; the first of
/// repeated ids wins, as a scan would find it.
#[derive(Debug, Default)]
struct Index {
    systems: HashMap<KeyBuf, usize>,
    suppliers: HashMap<KeyBuf, usize>,
    /// Impact assessments by the system they assess, in inventory order.
    assessments: HashMap<KeyBuf, Vec<usize>>,
    /// Policies by their document's normalised path.
    policy_paths: HashMap<std::path::PathBuf, usize>,
    /// The list lengths the index was built from.
    lens: (usize, usize, usize, usize),
}

impl Inventory {
    fn index(&self) -> &Index {
        let lens = (
            self.systems.len(),
            self.suppliers.len(),
            self.impact_assessments.len(),
            self.policies.len(),
        );
        let index = self.index.get_or_init(|| {
            let mut ix = Index {
                lens,
                ..Index::default()
            };
            for (i, s) in self.systems.iter().enumerate() {
                ix.systems.entry(s.id.as_str().into()).or_insert(i);
            }
            for (i, s) in self.suppliers.iter().enumerate() {
                ix.suppliers.entry(s.id.as_str().into()).or_insert(i);
            }
            for (i, ia) in self.impact_assessments.iter().enumerate() {
                ix.assessments
                    .entry(ia.system.as_str().into())
                    .or_default()
                    .push(i);
            }
            for (i, p) in self.policies.iter().enumerate() {
                if let Some(path) = p.path.as_deref().and_then(normalised) {
                    ix.policy_paths.entry(path).or_insert(i);
                }
            }
            ix
        });
        debug_assert_eq!(index.lens, lens, "inventory changed after it was indexed");
        index
    }

    /// The system with this id (ignoring case).
    pub fn system(&self, id: &Id) -> Option<&System> {
        let i = *self.index().systems.get(id.as_key())?;
        self.systems.get(i)
    }

    /// The position in `systems` of the system with this id (ignoring case).
    pub fn system_position(&self, id: &Id) -> Option<usize> {
        self.index().systems.get(id.as_key()).copied()
    }

    /// The position in `suppliers` of the supplier with this id (ignoring case).
    pub fn supplier_position(&self, id: &Id) -> Option<usize> {
        self.index().suppliers.get(id.as_key()).copied()
    }

    /// The position of the system with this id (ignoring case) in
    /// `systems`, where per-system results are kept in the same order.
    pub fn system_index(&self, id: &Id) -> Option<usize> {
        self.index().systems.get(id.as_key()).copied()
    }

    /// The supplier with this id (ignoring case).
    pub fn supplier(&self, id: &Id) -> Option<&Supplier> {
        let i = *self.index().suppliers.get(id.as_key())?;
        self.suppliers.get(i)
    }

    /// The impact assessments of a system, in inventory order.
    pub fn assessments_of(&self, system: &Id) -> impl Iterator<Item = &ImpactAssessment> {
        self.index()
            .assessments
            .get(system.as_key())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&i| self.impact_assessments.get(i))
    }

    /// The policy whose document is at `path` (compared after lexical
    /// normalisation, so `./docs/p.md` is `docs/p.md`).
    pub fn policy_at(&self, path: &str) -> Option<&Policy> {
        let paths = &self.index().policy_paths;
        // A path already in normal form (the usual case: this runs for every
        // evidence citation) is looked up as it is, without building a copy.
        let normal = !path.is_empty()
            && !path.starts_with('/')
            && path
                .split('/')
                .all(|s| !s.is_empty() && s != "." && s != "..");
        let i = if normal {
            *paths.get(std::path::Path::new(path))?
        } else {
            *paths.get(&normalised(path)?)?
        };
        self.policies.get(i)
    }

    pub fn risk_appetite(&self) -> u8 {
        self.organization
            .as_ref()
            .and_then(|o| o.risk_appetite)
            .unwrap_or(9)
    }
}

fn normalised(p: &str) -> Option<std::path::PathBuf> {
    crate::load::safe::normalise(std::path::Path::new(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_is_found_by_any_spelling_of_its_path() {
        let text = "policies:
  - {id: p, title: P, path: ./docs/policy.md, approved_by: ceo, approved: 2026-01-01}
";
        let node = crate::load::yaml::parse(text).unwrap();
        let (file, _) = crate::load::yaml::from_node::<InventoryFile>(&node);
        let inv = Inventory {
            policies: file.unwrap().policies,
            ..Inventory::default()
        };
        for path in [
            "docs/policy.md",
            "./docs/policy.md",
            "docs//policy.md",
            "docs/x/../policy.md",
        ] {
            assert_eq!(
                inv.policy_at(path).map(|p| p.id.as_str()),
                Some("p"),
                "{path}"
            );
        }
        for path in [
            "docs/other.md",
            "/docs/policy.md",
            "../docs/policy.md",
            "",
            "docs",
        ] {
            assert!(inv.policy_at(path).is_none(), "{path}");
        }
    }

    #[test]
    fn lookups_by_id_ignore_case_and_keep_inventory_order() {
        let text = "systems:
  - {id: Alpha, name: A, lifecycle: operation, role: deployer}
  - {id: beta, name: B, lifecycle: operation, role: deployer}
suppliers:
  - {id: Vendor, name: V}
impact_assessments:
  - {id: ia-2, system: alpha, date: 2026-02-01}
  - {id: ia-1, system: ALPHA, date: 2026-01-01}
  - {id: ia-3, system: beta, date: 2026-03-01}
";
        let node = crate::load::yaml::parse(text).unwrap();
        let (file, unknown) = crate::load::yaml::from_node::<InventoryFile>(&node);
        assert!(unknown.is_empty());
        let file = file.unwrap();
        let inv = Inventory {
            systems: file.systems,
            suppliers: file.suppliers,
            impact_assessments: file.impact_assessments,
            ..Inventory::default()
        };
        let id = |s: &str| Id(s.into());
        assert_eq!(inv.system(&id("ALPHA")).unwrap().name, "A");
        assert!(inv.system(&id("gamma")).is_none());
        assert_eq!(inv.supplier(&id("vendor")).unwrap().name, "V");
        let of_alpha: Vec<&str> = inv
            .assessments_of(&id("Alpha"))
            .map(|ia| ia.id.as_str())
            .collect();
        assert_eq!(of_alpha, ["ia-2", "ia-1"]);
        assert_eq!(inv.assessments_of(&id("gamma")).count(), 0);
    }
}
