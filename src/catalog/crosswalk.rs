//! Crosswalks from ISO/IEC 42001 to NIST AI RMF 1.0, the EU AI Act and
//! ISO/IEC 27001:2022. The mappings, their relationship and the source of
//! each row live in `controls/crosswalk/`; with an inventory, each mapped
//! item carries the levels of the controls behind it.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::assess::{Gap, Level};
use crate::load::Project;

const FILES: &[(&str, &str)] = &[
    (
        "nist-ai-rmf",
        include_str!("../../controls/crosswalk/nist-ai-rmf.yaml"),
    ),
    (
        "eu-ai-act",
        include_str!("../../controls/crosswalk/eu-ai-act.yaml"),
    ),
    (
        "iso27001",
        include_str!("../../controls/crosswalk/iso27001.yaml"),
    ),
];

/// The targets `aims map --to` accepts.
pub const TARGETS: &[&str] = &["nist-ai-rmf", "eu-ai-act", "iso27001"];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relationship {
    Equal,
    Subset,
    Superset,
    Intersects,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub from: String,
    pub to: String,
    pub relationship: Relationship,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crosswalk {
    pub target: String,
    pub title: String,
    pub sources: Vec<Source>,
    pub items: Vec<Item>,
    pub mappings: Vec<Mapping>,
}

/// Every embedded crosswalk, parsed once.
pub fn all() -> &'static [Crosswalk] {
    static ALL: OnceLock<Vec<Crosswalk>> = OnceLock::new();
    ALL.get_or_init(|| {
        FILES
            .iter()
            .map(|(name, text)| {
                serde_saphyr::from_str(text)
                    .unwrap_or_else(|e| panic!("embedded crosswalk {name} is invalid: {e}"))
            })
            .collect()
    })
}

pub fn get(target: &str) -> Option<&'static Crosswalk> {
    all().iter().find(|c| c.target == target)
}

/// One mapped item with the controls behind it and, with an inventory,
/// their levels and the lowest of them.
#[derive(Debug, Clone, Serialize)]
pub struct MappedItem {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    /// Lowest level of the controls behind it, not-applicable ones aside.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    pub controls: Vec<MappedControl>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MappedControl {
    pub id: String,
    pub relationship: Relationship,
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Items of a crosswalk with the ISO/IEC 42001 controls mapped to them.
pub fn map(cw: &Crosswalk, gap: Option<&Gap>) -> Vec<MappedItem> {
    let level_of = |id: &str| {
        gap.and_then(|g| g.controls.iter().find(|c| c.id == id))
            .map(|c| c.overall)
    };
    cw.items
        .iter()
        .map(|it| {
            let controls: Vec<MappedControl> = cw
                .mappings
                .iter()
                .filter(|m| m.to == it.id)
                .map(|m| MappedControl {
                    id: m.from.clone(),
                    relationship: m.relationship,
                    source: m.source.clone(),
                    level: level_of(&m.from),
                    note: m.note.clone(),
                })
                .collect();
            let level = controls
                .iter()
                .filter_map(|c| c.level)
                .filter(|l| *l != Level::NotApplicable)
                .min()
                .or_else(|| controls.iter().filter_map(|c| c.level).next());
            MappedItem {
                id: it.id.clone(),
                title: it.title.clone(),
                function: it.function.clone(),
                level,
                controls,
            }
        })
        .collect()
}

/// A report section per crosswalk: items that have controls behind them.
pub fn report_sections(_project: &Project, gap: &Gap) -> Vec<Value> {
    all()
        .iter()
        .map(|cw| {
            let items: Vec<Value> = map(cw, Some(gap))
                .into_iter()
                .filter(|i| !i.controls.is_empty())
                .map(|i| {
                    let css = i.level.map(Level::css).unwrap_or("na");
                    json!({"id": i.id, "title": i.title, "level": i.level.map(|l| l.as_str()), "css": css, "controls": i.controls})
                })
                .collect();
            let sources: Vec<String> = cw.sources.iter().map(|s| s.title.clone()).collect();
            json!({
                "target": cw.target,
                "title": cw.title,
                "note": format!("Each item shows the lowest level of the ISO/IEC 42001 controls mapped to it. Sources: {}.", sources.join("; ")),
                "items": items,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn crosswalks_are_complete_and_consistent() {
        let cat = Catalog::embedded();
        let nist = get("nist-ai-rmf").unwrap();
        assert_eq!(nist.items.len(), 72);
        for (f, n) in [("GOVERN", 19), ("MAP", 18), ("MEASURE", 22), ("MANAGE", 13)] {
            assert_eq!(
                nist.items
                    .iter()
                    .filter(|i| i.function.as_deref() == Some(f))
                    .count(),
                n,
                "{f}"
            );
        }
        assert_eq!(get("iso27001").unwrap().items.len(), 93);
        for cw in all() {
            let sources: Vec<&str> = cw.sources.iter().map(|s| s.id.as_str()).collect();
            for m in &cw.mappings {
                assert!(
                    cat.get(&m.from).is_some(),
                    "{}: unknown control {}",
                    cw.target,
                    m.from
                );
                assert!(
                    cw.items.iter().any(|i| i.id == m.to),
                    "{}: unknown item {}",
                    cw.target,
                    m.to
                );
                assert!(
                    sources.contains(&m.source.as_str()),
                    "{}: unknown source {}",
                    cw.target,
                    m.source
                );
            }
        }
        // Every Annex A control reaches the NIST AI RMF.
        for c in cat
            .controls
            .iter()
            .filter(|c| c.kind == crate::catalog::Kind::AnnexA)
        {
            assert!(
                nist.mappings.iter().any(|m| m.from == c.id),
                "{} has no NIST mapping",
                c.id
            );
        }
    }

    #[test]
    fn item_level_is_the_lowest_behind_it() {
        let cw = Crosswalk {
            target: "t".into(),
            title: "T".into(),
            sources: vec![],
            items: vec![Item {
                id: "X".into(),
                title: "x".into(),
                function: None,
            }],
            mappings: vec![],
        };
        assert_eq!(map(&cw, None)[0].level, None);
    }
}
