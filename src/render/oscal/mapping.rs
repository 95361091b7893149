//! `aims export --format oscal-mapping`: the crosswalks (NIST AI RMF 1.0,
//! the EU AI Act, ISO/IEC 27001:2022) as one OSCAL 1.2 mapping collection,
//! a mapping per crosswalk and a map per pair (one source, one target),
//! with the provenance of each pair.

use serde::Serialize;

use super::*;
use crate::catalog::crosswalk::{self, Relationship};

#[derive(Debug, Serialize)]
pub struct Document {
    #[serde(rename = "mapping-collection")]
    pub mapping_collection: MappingCollection,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct MappingCollection {
    pub uuid: String,
    pub metadata: Metadata,
    pub provenance: Provenance,
    pub mappings: Vec<Mapping>,
    pub back_matter: BackMatter,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Provenance {
    pub method: &'static str,
    pub matching_rationale: &'static str,
    pub status: &'static str,
    pub mapping_description: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Mapping {
    pub uuid: String,
    pub source_resource: ResourceRef,
    pub target_resource: ResourceRef,
    pub maps: Vec<Map>,
}

#[derive(Debug, Serialize)]
pub struct ResourceRef {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub href: String,
}

#[derive(Debug, Serialize)]
pub struct Map {
    pub uuid: String,
    pub relationship: &'static str,
    pub sources: Vec<Item>,
    pub targets: Vec<Item>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Item {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id_ref: String,
}

/// The crosswalk's relationship (read from → to) as an OSCAL 1.2 set
/// relationship (NIST IR 8477) between source and target.
pub fn relationship(r: Relationship) -> &'static str {
    match r {
        Relationship::Equal => "equivalent-to",
        Relationship::Subset => "subset-of",
        Relationship::Superset => "superset-of",
        Relationship::Intersects => "intersects-with",
    }
}

pub fn build(i: &Base) -> Document {
    let catalog = i.catalog;
    let uuids = i.uuids("mapping");
    let iso = uuids.of("resource\niso42001");
    let mut resources = vec![Resource {
        uuid: iso.clone(),
        title: line(&format!(
            "{} {} (aims catalogue; `aims export --format oscal-catalog`)",
            catalog.standard, catalog.version
        )),
        description: None,
        rlinks: Vec::new(),
    }];
    let mut mappings = Vec::new();
    for cw in crosswalk::all() {
        let target = uuids.of(&format!("resource\n{}", cw.target));
        let links: Vec<Rlink> = cw
            .sources
            .iter()
            .filter_map(|s| s.url.as_deref())
            .map(|u| Rlink {
                href: u.to_string(),
            })
            .collect();
        let sources: Vec<String> = cw
            .sources
            .iter()
            .map(|s| {
                let by = s
                    .publisher
                    .as_deref()
                    .map(|p| format!(", {p}"))
                    .unwrap_or_default();
                format!("{} ({}{by})", s.id, s.title)
            })
            .collect();
        resources.push(Resource {
            uuid: target.clone(),
            title: line(&cw.title),
            description: Some(prose(&format!("Pairs from: {}.", sources.join("; ")))),
            rlinks: links,
        });
        let maps = cw
            .mappings
            .iter()
            .map(|m| {
                let source = cw.sources.iter().find(|s| s.id == m.source);
                let mut props: Vec<Prop> =
                    [prop("source", &m.source)].into_iter().flatten().collect();
                props.extend(source.and_then(|s| prop("source-title", &s.title)));
                Map {
                    uuid: uuids.of(&format!("map\n{}\n{}\n{}", cw.target, m.from, m.to)),
                    relationship: relationship(m.relationship),
                    sources: vec![Item {
                        kind: "control",
                        id_ref: control_token(catalog, &m.from),
                    }],
                    targets: vec![Item {
                        kind: "control",
                        id_ref: string(&m.to).unwrap_or_else(|| m.to.clone()),
                    }],
                    props,
                    remarks: m.note.as_deref().map(prose),
                }
            })
            .collect();
        mappings.push(Mapping {
            uuid: uuids.of(&format!("mapping\n{}", cw.target)),
            source_resource: ResourceRef {
                kind: "catalog",
                href: format!("#{iso}"),
            },
            target_resource: ResourceRef {
                kind: "catalog",
                href: format!("#{target}"),
            },
            maps,
        });
    }
    let title = format!(
        "Crosswalks from {} {} to NIST AI RMF 1.0, the EU AI Act and ISO/IEC 27001:2022",
        catalog.standard, catalog.version
    );
    Document {
        mapping_collection: MappingCollection {
            uuid: uuids.of("document"),
            metadata: i.metadata(title, env!("CARGO_PKG_VERSION").to_string()),
            provenance: Provenance {
                method: "human",
                matching_rationale: "semantic",
                // Some controls have no pair yet (see controls/crosswalk/).
                status: "not-complete",
                mapping_description: "Pairs of ISO/IEC 42001 controls and items of each framework, taken from the published crosswalks each map names in its `source` property, or from the aims maintainers' judgement with the reason in its remarks. Relationships read from the ISO/IEC 42001 control (source) to the framework item (target).".into(),
            },
            mappings,
            back_matter: BackMatter { resources },
        },
    }
}
