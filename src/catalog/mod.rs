//! The embedded catalogue: ISO/IEC 42001 clauses and Annex A controls,
//! Annex C, and EU AI Act reference data, from `controls/*.yaml`.
//!
//! The embedded files are ours and trusted, so they are parsed strictly
//! and once. Users add custom controls, or their own licensed ISO text,
//! with `[catalog] extra` overlay files, which get full diagnostics.

mod ai_act;
mod annex_c;
mod control;
pub mod crosswalk;
mod overlay;

pub use ai_act::*;
pub use annex_c::*;
pub use control::*;
pub use overlay::{DateKeyError, OverlayEntry, OverlayError, OverlayProblem};

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::model::{Key, KeyBuf};

pub const ISO42001_YAML: &str = include_str!("../../controls/iso42001.yaml");
pub const ANNEX_C_YAML: &str = include_str!("../../controls/annex_c.yaml");
pub const EU_AI_ACT_YAML: &str = include_str!("../../controls/eu_ai_act.yaml");

#[derive(Clone, Debug)]
pub struct Catalog {
    pub standard: String,
    pub version: String,
    pub groups: Vec<Group>,
    pub controls: Vec<Control>,
    /// Controls by id, both as the catalogue writes it and in lowercase.
    index: HashMap<KeyBuf, usize>,
    /// Groups by id.
    group_index: HashMap<String, usize>,
    pub annex_c: AnnexC,
    pub ai_act: AiAct,
}

/// The embedded files as JSON, converted from their YAML by `build.rs`.
const ISO42001_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/iso42001.json"));
const ANNEX_C_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/annex_c.json"));
const EU_AI_ACT_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/eu_ai_act.json"));

fn parse_embedded<T: serde::de::DeserializeOwned>(name: &str, json: &str) -> T {
    // The embedded data is tested in CI; a failure here is a build defect.
    serde_json::from_str(json).unwrap_or_else(|e| panic!("embedded {name} is invalid: {e}"))
}

impl Catalog {
    /// The embedded catalogue, parsed once.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            let raw: RawCatalog = parse_embedded("controls/iso42001.yaml", ISO42001_JSON);
            let mut cat = Catalog {
                standard: raw.standard.clone().unwrap_or_default(),
                version: raw.version.clone().unwrap_or_default(),
                groups: raw.groups.clone(),
                controls: Vec::new(),
                index: HashMap::new(),
                group_index: HashMap::new(),
                annex_c: parse_embedded("controls/annex_c.yaml", ANNEX_C_JSON),
                ai_act: parse_embedded("controls/eu_ai_act.yaml", EU_AI_ACT_JSON),
            };
            cat.group_index = (cat.groups.iter().enumerate())
                .map(|(i, g)| (g.id.clone(), i))
                .collect();
            for rc in raw.controls {
                let c = cat
                    .new_control(rc, "embedded")
                    .unwrap_or_else(|e| panic!("embedded catalogue: {e}"));
                cat.push(c);
            }
            cat
        })
    }

    fn push(&mut self, c: Control) {
        let i = self.controls.len();
        self.index.insert(c.id.as_str().into(), i);
        self.controls.push(c);
    }

    /// A control by id, case-insensitively (`a.6.2.8` finds `A.6.2.8`),
    /// without allocating.
    pub fn get(&self, id: &str) -> Option<&Control> {
        let i = *self.index.get(Key::new(id.trim()))?;
        self.controls.get(i)
    }

    /// A control's position in `controls`, case-insensitively.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(Key::new(id.trim())).copied()
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.group_index.get(id).and_then(|&i| self.groups.get(i))
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.controls.iter().map(|c| c.id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_json_is_the_embedded_yaml() {
        fn same<T: serde::de::DeserializeOwned + std::fmt::Debug>(yaml: &str, json: &str) {
            let from_yaml: T = serde_saphyr::from_str(yaml).unwrap();
            let from_json: T = serde_json::from_str(json).unwrap();
            assert_eq!(format!("{from_yaml:?}"), format!("{from_json:?}"));
        }
        same::<RawCatalog>(ISO42001_YAML, ISO42001_JSON);
        same::<AnnexC>(ANNEX_C_YAML, ANNEX_C_JSON);
        same::<AiAct>(EU_AI_ACT_YAML, EU_AI_ACT_JSON);
    }

    const CLAUSES: &[(&str, &str)] = &[
        ("4.1", "Understanding the organization and its context"),
        (
            "4.2",
            "Understanding the needs and expectations of interested parties",
        ),
        ("4.3", "Determining the scope of the AI management system"),
        ("4.4", "AI management system"),
        ("5.1", "Leadership and commitment"),
        ("5.2", "AI policy"),
        ("5.3", "Roles, responsibilities and authorities"),
        (
            "6.1.1",
            "Actions to address risks and opportunities — General",
        ),
        ("6.1.2", "AI risk assessment"),
        ("6.1.3", "AI risk treatment"),
        ("6.1.4", "AI system impact assessment"),
        ("6.2", "AI objectives and planning to achieve them"),
        ("6.3", "Planning of changes"),
        ("7.1", "Resources"),
        ("7.2", "Competence"),
        ("7.3", "Awareness"),
        ("7.4", "Communication"),
        ("7.5.1", "Documented information — General"),
        ("7.5.2", "Creating and updating documented information"),
        ("7.5.3", "Control of documented information"),
        ("8.1", "Operational planning and control"),
        ("8.2", "AI risk assessment"),
        ("8.3", "AI risk treatment"),
        ("8.4", "AI system impact assessment"),
        ("9.1", "Monitoring, measurement, analysis and evaluation"),
        ("9.2", "Internal audit"),
        ("9.3", "Management review"),
        ("10.1", "Continual improvement"),
        ("10.2", "Nonconformity and corrective action"),
    ];

    /// Pinned from the reference: several public tools get these wrong.
    const ANNEX_A: &[(&str, &str, &str)] = &[
        ("A.2", "A.2.2", "AI policy"),
        (
            "A.2",
            "A.2.3",
            "Alignment with other organizational policies",
        ),
        ("A.2", "A.2.4", "Review of the AI policy"),
        ("A.3", "A.3.2", "AI roles and responsibilities"),
        ("A.3", "A.3.3", "Reporting of concerns"),
        ("A.4", "A.4.2", "Resource documentation"),
        ("A.4", "A.4.3", "Data resources"),
        ("A.4", "A.4.4", "Tooling resources"),
        ("A.4", "A.4.5", "System and computing resources"),
        ("A.4", "A.4.6", "Human resources"),
        ("A.5", "A.5.2", "AI system impact assessment process"),
        (
            "A.5",
            "A.5.3",
            "Documentation of AI system impact assessments",
        ),
        (
            "A.5",
            "A.5.4",
            "Assessing AI system impact on individuals or groups of individuals",
        ),
        ("A.5", "A.5.5", "Assessing societal impacts of AI systems"),
        (
            "A.6",
            "A.6.1.2",
            "Objectives for responsible development of AI system",
        ),
        (
            "A.6",
            "A.6.1.3",
            "Processes for responsible AI system design and development",
        ),
        ("A.6", "A.6.2.2", "AI system requirements and specification"),
        (
            "A.6",
            "A.6.2.3",
            "Documentation of AI system design and development",
        ),
        ("A.6", "A.6.2.4", "AI system verification and validation"),
        ("A.6", "A.6.2.5", "AI system deployment"),
        ("A.6", "A.6.2.6", "AI system operation and monitoring"),
        ("A.6", "A.6.2.7", "AI system technical documentation"),
        ("A.6", "A.6.2.8", "AI system recording of event logs"),
        (
            "A.7",
            "A.7.2",
            "Data for development and enhancement of AI system",
        ),
        ("A.7", "A.7.3", "Acquisition of data"),
        ("A.7", "A.7.4", "Quality of data for AI systems"),
        ("A.7", "A.7.5", "Data provenance"),
        ("A.7", "A.7.6", "Data preparation"),
        (
            "A.8",
            "A.8.2",
            "System documentation and information for users",
        ),
        ("A.8", "A.8.3", "External reporting"),
        ("A.8", "A.8.4", "Communication of incidents"),
        ("A.8", "A.8.5", "Information for interested parties"),
        (
            "A.9",
            "A.9.2",
            "Processes for responsible use of AI systems",
        ),
        (
            "A.9",
            "A.9.3",
            "Objectives for responsible use of AI system",
        ),
        ("A.9", "A.9.4", "Intended use of the AI system"),
        ("A.10", "A.10.2", "Allocating responsibilities"),
        ("A.10", "A.10.3", "Suppliers"),
        ("A.10", "A.10.4", "Customers"),
    ];

    #[test]
    fn clauses_are_exactly_the_reference() {
        let cat = Catalog::embedded();
        let got: Vec<(&str, &str)> = cat
            .controls
            .iter()
            .filter(|c| c.kind == Kind::Clause)
            .map(|c| (c.id.as_str(), c.title.as_str()))
            .collect();
        assert_eq!(got, CLAUSES);
    }

    #[test]
    fn annex_a_is_exactly_the_38_reference_controls() {
        let cat = Catalog::embedded();
        let got: Vec<(&str, &str, &str)> = cat
            .controls
            .iter()
            .filter(|c| c.kind == Kind::AnnexA)
            .map(|c| (c.group.as_str(), c.id.as_str(), c.title.as_str()))
            .collect();
        assert_eq!(got.len(), 38);
        assert_eq!(got, ANNEX_A);
        let groups: Vec<&str> = cat
            .groups
            .iter()
            .filter(|g| g.kind == Kind::AnnexA)
            .map(|g| g.id.as_str())
            .collect();
        assert_eq!(
            groups,
            [
                "A.2", "A.3", "A.4", "A.5", "A.6", "A.7", "A.8", "A.9", "A.10"
            ]
        );
        // No "objective" ids (A.2.1, A.6.1.1…) and no invented sections.
        for bad in ["A.2.1", "A.6.1.1", "A.6.2.1", "A.7.1", "A.11.1"] {
            assert!(cat.get(bad).is_none(), "{bad} must not be a control");
        }
    }

    #[test]
    fn every_control_is_described_in_our_words() {
        for c in &Catalog::embedded().controls {
            assert!(
                c.asks.split_whitespace().count() >= 8,
                "{} needs an `asks`",
                c.id
            );
            assert!(c.evidence.len() >= 2, "{} needs evidence guidance", c.id);
            assert!((1..=12).contains(&c.effort_weeks), "{} effort", c.id);
            if c.applies_to.per_system() {
                assert!(
                    !c.roles.is_empty(),
                    "{} is per system but names no role",
                    c.id
                );
            }
        }
    }

    #[test]
    fn ids_are_found_in_any_case() {
        let cat = Catalog::embedded();
        for id in ["A.6.2.8", "a.6.2.8", "A.6.2.8 ", "a.6.2.8"] {
            assert_eq!(cat.get(id).map(|c| c.id.as_str()), Some("A.6.2.8"), "{id}");
        }
        assert_eq!(cat.get("10.2").map(|c| c.id.as_str()), Some("10.2"));
        assert!(cat.get("A.6.2.80").is_none());
        assert!(cat.get("").is_none());
        let mut cat = cat.clone();
        let raw: RawCatalog = serde_saphyr::from_str(
            "groups:\n  - {id: nb, title: Bank, kind: custom}\ncontrols:\n  - {id: nb.x, title: X, group: nb}\n",
        )
        .unwrap();
        assert!(cat.overlay(raw, "extra.yaml").is_empty());
        assert_eq!(cat.get("NB.X").map(|c| c.id.as_str()), Some("nb.x"));
        assert_eq!(cat.group("nb").map(|g| g.title.as_str()), Some("Bank"));
    }
}
