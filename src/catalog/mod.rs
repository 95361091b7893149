//! The embedded catalogue: ISO/IEC 42001 clauses and Annex A controls,
//! Annex C, and EU AI Act reference data, from `controls/*.yaml`.
//!
//! The embedded files are ours and trusted, so they are parsed strictly
//! and once. Users add custom controls, or their own licensed ISO text,
//! with `[catalog] extra` overlay files, which get full diagnostics.

pub mod crosswalk;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::model::{Date, Duration, Lifecycle, SystemRole};

pub const ISO42001_YAML: &str = include_str!("../../controls/iso42001.yaml");
pub const ANNEX_C_YAML: &str = include_str!("../../controls/annex_c.yaml");
pub const EU_AI_ACT_YAML: &str = include_str!("../../controls/eu_ai_act.yaml");

/// What kind of catalogue entry a control is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Clause,
    AnnexA,
    Custom,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Clause => "clause",
            Kind::AnnexA => "annex-a",
            Kind::Custom => "custom",
        }
    }
}

/// Whom a control is judged for: the organisation, each AI system, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppliesTo {
    Organization,
    System,
    Both,
}

impl AppliesTo {
    pub fn as_str(self) -> &'static str {
        match self {
            AppliesTo::Organization => "organization",
            AppliesTo::System => "system",
            AppliesTo::Both => "both",
        }
    }
    pub fn per_system(self) -> bool {
        matches!(self, AppliesTo::System | AppliesTo::Both)
    }
}

/// Which certification stage looks at a control first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Documentation,
    Operation,
}

/// A role as the catalogue names it (a provider that develops, a deployer that buys in).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CatalogRole {
    Provider,
    Deployer,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub group: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subgroup: Option<String>,
    pub kind: Kind,
    pub applies_to: AppliesTo,
    pub roles: Vec<CatalogRole>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lifecycle: Vec<Lifecycle>,
    pub stage: Stage,
    pub asks: String,
    pub evidence: Vec<String>,
    pub freshness: Duration,
    pub effort_weeks: u8,
    /// The user's own licensed wording, laid over ours with `[catalog] extra`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `embedded`, or the overlay file that added or changed it.
    pub source: String,
}

impl Control {
    /// Does this control concern a system with this role and life-cycle stage?
    /// Retired systems are never judged.
    pub fn applies_to_system(&self, role: SystemRole, lifecycle: Lifecycle) -> bool {
        if !self.applies_to.per_system() || lifecycle == Lifecycle::Retired {
            return false;
        }
        if !self.lifecycle.is_empty() && !self.lifecycle.contains(&lifecycle) {
            return false;
        }
        self.roles.is_empty()
            || (role.is_provider() && self.roles.contains(&CatalogRole::Provider))
            || (role.is_deployer() && self.roles.contains(&CatalogRole::Deployer))
    }
}

/// A control entry as written in YAML (embedded or overlay).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawControl {
    pub id: crate::model::ControlId,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub subgroup: Option<String>,
    #[serde(default)]
    pub kind: Option<Kind>,
    #[serde(default)]
    pub applies_to: Option<AppliesTo>,
    #[serde(default)]
    pub roles: Option<Vec<CatalogRole>>,
    #[serde(default)]
    pub lifecycle: Option<Vec<Lifecycle>>,
    #[serde(default)]
    pub stage: Option<Stage>,
    #[serde(default)]
    pub asks: Option<String>,
    #[serde(default)]
    pub evidence: Option<Vec<String>>,
    #[serde(default)]
    pub freshness: Option<Duration>,
    #[serde(default)]
    pub effort_weeks: Option<u8>,
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCatalog {
    #[serde(default)]
    pub catalog: Option<String>,
    #[serde(default)]
    pub standard: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub controls: Vec<RawControl>,
}

// ---------------------------------------------------------------------------
// Annex C.

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keyed {
    pub key: String,
    pub title: String,
    pub description: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnexC {
    pub objectives: Vec<Keyed>,
    pub risk_sources: Vec<Keyed>,
}

// ---------------------------------------------------------------------------
// EU AI Act.

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActDate {
    pub key: String,
    pub date: Date,
    pub original: Date,
    pub covers: String,
    pub source: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActEntry {
    pub key: String,
    pub basis: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<CatalogRole>,
    pub summary: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    pub id: String,
    pub article: String,
    pub title: String,
    pub summary: String,
    pub tiers: Vec<String>,
    pub roles: Vec<CatalogRole>,
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AiAct {
    pub regulation: String,
    pub dates: Vec<ActDate>,
    pub prohibited: Vec<ActEntry>,
    pub annex_iii: Vec<ActEntry>,
    pub art6_3_exceptions: Vec<ActEntry>,
    pub transparency: Vec<ActEntry>,
    pub obligations: Vec<Obligation>,
}

impl AiAct {
    pub fn date(&self, key: &str) -> Option<&ActDate> {
        self.dates.iter().find(|d| d.key == key)
    }
}

// ---------------------------------------------------------------------------
// The catalogue.

#[derive(Clone, Debug)]
pub struct Catalog {
    pub standard: String,
    pub version: String,
    pub groups: Vec<Group>,
    pub controls: Vec<Control>,
    /// Controls by id, both as the catalogue writes it and in lowercase.
    index: HashMap<String, usize>,
    /// Groups by id.
    group_index: HashMap<String, usize>,
    pub annex_c: AnnexC,
    pub ai_act: AiAct,
}

fn parse_embedded<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> T {
    // The embedded data is tested in CI; a failure here is a build defect.
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("embedded {name} is invalid: {e}"))
}

impl Catalog {
    /// The embedded catalogue, parsed once.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            let raw: RawCatalog = parse_embedded("controls/iso42001.yaml", ISO42001_YAML);
            let mut cat = Catalog {
                standard: raw.standard.clone().unwrap_or_default(),
                version: raw.version.clone().unwrap_or_default(),
                groups: raw.groups.clone(),
                controls: Vec::new(),
                index: HashMap::new(),
                group_index: HashMap::new(),
                annex_c: parse_embedded("controls/annex_c.yaml", ANNEX_C_YAML),
                ai_act: parse_embedded("controls/eu_ai_act.yaml", EU_AI_ACT_YAML),
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
        self.index.insert(c.id.to_lowercase(), i);
        self.index.insert(c.id.clone(), i);
        self.controls.push(c);
    }

    /// A control by id, case-insensitively (`a.6.2.8` finds `A.6.2.8`).
    /// An id written as the catalogue writes it, or in lowercase, is found
    /// without allocating; any other mix of case is lowercased first.
    pub fn get(&self, id: &str) -> Option<&Control> {
        let id = id.trim();
        let i = match self.index.get(id) {
            Some(&i) => i,
            None if !id.is_ascii() || id.bytes().any(|b| b.is_ascii_uppercase()) => {
                *self.index.get(&id.to_lowercase())?
            }
            None => return None,
        };
        self.controls.get(i)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.group_index.get(id).and_then(|&i| self.groups.get(i))
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.controls.iter().map(|c| c.id.as_str())
    }

    /// Build a new control from a raw entry; every field but `text` is required
    /// for an embedded control, and defaults are filled for custom ones.
    fn new_control(&self, rc: RawControl, source: &str) -> Result<Control, String> {
        let id = rc.id.0.clone();
        let title = rc
            .title
            .ok_or_else(|| format!("control `{id}` needs a `title`"))?;
        let group = rc
            .group
            .ok_or_else(|| format!("control `{id}` needs a `group`"))?;
        if self.group(&group).is_none() {
            // Every group, unless an overlay adds so many that listing them
            // for each of its controls would cost more than the load.
            let mut known: Vec<&str> = self.groups.iter().map(|g| g.id.as_str()).take(41).collect();
            if known.len() > 40 {
                known[40] = "…";
            }
            return Err(format!(
                "control `{id}` names group `{group}`, which is not defined; add it under `groups:` (known: {})",
                known.join(", ")
            ));
        }
        let kind = rc.kind.unwrap_or(Kind::Custom);
        Ok(Control {
            id,
            title,
            group,
            subgroup: rc.subgroup,
            kind,
            applies_to: rc.applies_to.unwrap_or(AppliesTo::Organization),
            roles: rc.roles.unwrap_or_default(),
            lifecycle: rc.lifecycle.unwrap_or_default(),
            stage: rc.stage.unwrap_or(Stage::Operation),
            asks: rc.asks.unwrap_or_default(),
            evidence: rc.evidence.unwrap_or_default(),
            freshness: rc.freshness.unwrap_or(Duration::months(12)),
            effort_weeks: rc.effort_weeks.unwrap_or(2),
            text: rc.text,
            source: source.to_string(),
        })
    }

    /// Lay an overlay file's groups and controls over this catalogue.
    /// Existing ids only take text fields; their id and title are facts.
    /// Group ids are checked like control ids: they are shown in every
    /// report, as table cells and headings.
    pub fn overlay(&mut self, raw: RawCatalog, source: &str) -> Vec<OverlayError> {
        let mut errors = Vec::new();
        let mut invalid_groups = Vec::new();
        for g in raw.groups {
            if !crate::model::valid_id(&g.id) {
                errors.push(OverlayError {
                    entry: Some(OverlayEntry::Group(g.id.clone())),
                    message: format!(
                        "`{}` is not a valid group id: use letters, digits, `.`, `_` and `-`, starting with a letter or digit",
                        g.id
                    ),
                });
                invalid_groups.push(g.id);
            } else if self.group(&g.id).is_some() {
                errors.push(OverlayError {
                    entry: Some(OverlayEntry::Group(g.id.clone())),
                    message: format!("group `{}` already exists in the catalogue", g.id),
                });
            } else {
                self.group_index.insert(g.id.clone(), self.groups.len());
                self.groups.push(g);
            }
        }
        for rc in raw.controls {
            let id = rc.id.0.clone();
            if !crate::model::valid_id(&id) {
                errors.push(OverlayError {
                    entry: Some(OverlayEntry::Control(id.clone())),
                    message: format!(
                        "`{id}` is not a valid control id: use letters, digits, `.`, `_` and `-`, starting with a letter or digit"
                    ),
                });
                continue;
            }
            // Its group's own error says what is wrong; "not defined" would not.
            if rc
                .group
                .as_ref()
                .is_some_and(|g| invalid_groups.contains(g))
            {
                continue;
            }
            if let Some(&i) = self.index.get(&id.to_lowercase()) {
                let c = &mut self.controls[i];
                let fixed = [
                    ("title", rc.title.is_some()),
                    ("group", rc.group.is_some()),
                    ("subgroup", rc.subgroup.is_some()),
                    ("kind", rc.kind.is_some()),
                    ("applies_to", rc.applies_to.is_some()),
                    ("roles", rc.roles.is_some()),
                    ("lifecycle", rc.lifecycle.is_some()),
                    ("stage", rc.stage.is_some()),
                ];
                if let Some((field, _)) = fixed.iter().find(|(_, set)| *set) {
                    errors.push(OverlayError {
                        entry: Some(OverlayEntry::Control(id.clone())),
                        message: format!(
                            "`{field}` of `{}` cannot be changed by an overlay: only `text`, `asks`, `evidence`, `freshness` and `effort_weeks` can",
                            c.id
                        ),
                    });
                    continue;
                }
                if let Some(t) = rc.text {
                    c.text = Some(t);
                }
                if let Some(a) = rc.asks {
                    c.asks = a;
                }
                if let Some(e) = rc.evidence {
                    c.evidence = e;
                }
                if let Some(f) = rc.freshness {
                    c.freshness = f;
                }
                if let Some(w) = rc.effort_weeks {
                    c.effort_weeks = w;
                }
                c.source = source.to_string();
            } else {
                match self.new_control(rc, source) {
                    Ok(c) => self.push(c),
                    Err(message) => errors.push(OverlayError {
                        entry: Some(OverlayEntry::Control(id)),
                        message,
                    }),
                }
            }
        }
        errors
    }

    /// Override EU AI Act application dates (`[regulation.dates]`).
    pub fn override_dates(&mut self, dates: &BTreeMap<String, Date>) -> Result<(), String> {
        for (key, date) in dates {
            match self.ai_act.dates.iter_mut().find(|d| &d.key == key) {
                Some(d) => {
                    d.date = *date;
                    d.source = format!("aims.toml [regulation.dates] (catalogue: {})", d.source);
                }
                None => {
                    let keys: Vec<&str> =
                        self.ai_act.dates.iter().map(|d| d.key.as_str()).collect();
                    let hint = crate::diag::suggest(key, keys.iter().copied())
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| format!("known keys: {}", keys.join(", ")));
                    return Err(format!(
                        "unknown EU AI Act date `{key}` in [regulation.dates]: {hint}"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The overlay entry an error is about, to point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OverlayEntry {
    Group(String),
    Control(String),
}

#[derive(Debug, Clone)]
pub struct OverlayError {
    pub entry: Option<OverlayEntry>,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model as m;

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
    fn annex_c_keys_match_the_inventory_enums() {
        let cat = Catalog::embedded();
        let obj: Vec<&str> = cat
            .annex_c
            .objectives
            .iter()
            .map(|k| k.key.as_str())
            .collect();
        let want: Vec<&str> = m::Objective::ALL.iter().map(|o| o.as_str()).collect();
        assert_eq!(obj, want);
        let src: Vec<&str> = cat
            .annex_c
            .risk_sources
            .iter()
            .map(|k| k.key.as_str())
            .collect();
        let want: Vec<&str> = m::RiskSource::ALL.iter().map(|o| o.as_str()).collect();
        assert_eq!(src, want);
    }

    #[test]
    fn ai_act_keys_match_the_inventory_enums() {
        let act = &Catalog::embedded().ai_act;
        let keys = |v: &[ActEntry]| v.iter().map(|e| e.key.clone()).collect::<Vec<_>>();
        let prohibited: Vec<String> = m::Prohibited::ALL
            .iter()
            .map(|p| p.as_str().to_string())
            .collect();
        assert_eq!(keys(&act.prohibited), prohibited);
        let annex: Vec<String> = m::AnnexIii::ALL
            .iter()
            .map(|p| p.as_str().to_string())
            .collect();
        assert_eq!(keys(&act.annex_iii), annex);
        let tr: Vec<String> = m::Transparency::ALL
            .iter()
            .map(|p| p.as_str().to_string())
            .collect();
        assert_eq!(keys(&act.transparency), tr);
        let ex: Vec<String> = m::Art63Exception::ALL[1..]
            .iter()
            .map(|p| p.as_str().to_string())
            .collect();
        assert_eq!(keys(&act.art6_3_exceptions), ex);
        assert_eq!(act.prohibited[2].basis, "Art. 5(1)(c)");
        assert_eq!(
            act.annex_iii
                .iter()
                .find(|e| e.key == "creditworthiness")
                .unwrap()
                .basis,
            "Annex III 5(b)"
        );
        for o in &act.obligations {
            assert!(
                o.date == "high-risk" || act.date(&o.date).is_some(),
                "{} has unknown date {}",
                o.id,
                o.date
            );
        }
        assert_eq!(
            act.date("prohibitions").unwrap().date.to_string(),
            "2025-02-02"
        );
        assert_eq!(act.date("general").unwrap().date.to_string(), "2026-08-02");
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

    #[test]
    fn overlay_adds_custom_controls_and_licensed_text_only() {
        let mut cat = Catalog::embedded().clone();
        let raw: RawCatalog = serde_saphyr::from_str(
            "groups:\n  - {id: NB, title: Bank controls, kind: custom}\ncontrols:\n  - {id: NB.1, title: Model validation, group: NB, applies_to: both, roles: [provider]}\n  - {id: A.2.2, text: Licensed wording}\n  - {id: A.2.3, title: Renamed}\n",
        )
        .unwrap();
        let errors = cat.overlay(raw, "extra.yaml");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .message
                .contains("`title` of `A.2.3` cannot be changed")
        );
        assert_eq!(cat.get("nb.1").unwrap().kind, Kind::Custom);
        assert_eq!(
            cat.get("A.2.2").unwrap().text.as_deref(),
            Some("Licensed wording")
        );
        assert_eq!(
            cat.get("A.2.3").unwrap().title,
            "Alignment with other organizational policies"
        );
    }

    #[test]
    fn overlay_group_ids_follow_the_rules_of_control_ids() {
        for bad in [
            "G1\n# Owned",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "G|1",
            "G\x1b[2K",
            "-G",
            "",
        ] {
            let mut cat = Catalog::embedded().clone();
            let raw = RawCatalog {
                catalog: None,
                standard: None,
                version: None,
                groups: vec![Group {
                    id: bad.into(),
                    title: "Hostile".into(),
                    kind: Kind::Custom,
                    objective: None,
                }],
                controls: vec![RawControl {
                    id: m::ControlId("G.1".into()),
                    title: Some("In the hostile group".into()),
                    group: Some(bad.into()),
                    subgroup: None,
                    kind: None,
                    applies_to: None,
                    roles: None,
                    lifecycle: None,
                    stage: None,
                    asks: None,
                    evidence: None,
                    freshness: None,
                    effort_weeks: None,
                    text: None,
                }],
            };
            let errors = cat.overlay(raw, "extra.yaml");
            // One error, about the group; its control is not added either.
            assert_eq!(errors.len(), 1, "{bad:?}: {errors:?}");
            assert_eq!(errors[0].entry, Some(OverlayEntry::Group(bad.into())));
            assert!(
                errors[0].message.contains("is not a valid group id"),
                "{errors:?}"
            );
            assert!(cat.group(bad).is_none() && cat.get("G.1").is_none());
        }
        let mut cat = Catalog::embedded().clone();
        let raw: RawCatalog =
            serde_saphyr::from_str("groups:\n  - {id: NB_2.x-y, title: Fine, kind: custom}\n")
                .unwrap();
        assert!(cat.overlay(raw, "extra.yaml").is_empty());
    }
}
