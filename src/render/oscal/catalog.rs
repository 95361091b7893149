//! `aims export --format oscal-catalog`: the catalogue with the user's
//! overlay, a group per clause and Annex A group, a control per entry.

use serde::Serialize;

use super::*;
use crate::catalog::{Catalog, Control};

#[derive(Debug, Serialize)]
pub struct Document {
    pub catalog: OscalCatalog,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct OscalCatalog {
    pub uuid: String,
    pub metadata: Metadata,
    pub groups: Vec<OscalGroup>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct OscalGroup {
    pub id: String,
    pub class: &'static str,
    pub title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<OscalControl>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct OscalControl {
    pub id: String,
    pub class: &'static str,
    pub title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    pub parts: Vec<Part>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Part {
    pub id: String,
    pub name: &'static str,
    pub prose: String,
}

/// The statement part's id of a control: what assessment findings target.
pub fn statement_id(control_token: &str) -> String {
    format!("{control_token}_smt")
}

pub fn build(i: &Base) -> Document {
    let cat: &Catalog = i.catalog;
    let uuids = i.uuids("catalog");
    let groups = cat
        .groups
        .iter()
        .map(|g| {
            let gid = token(g.kind, &g.id);
            let parts = g
                .objective
                .as_deref()
                .map(|o| Part {
                    id: format!("{gid}_obj"),
                    name: "objective",
                    prose: prose(o),
                })
                .into_iter()
                .collect();
            OscalGroup {
                class: g.kind.as_str(),
                title: line(&g.title),
                props: core_prop("label", &g.id).into_iter().collect(),
                parts,
                controls: cat
                    .controls
                    .iter()
                    .filter(|c| c.group == g.id)
                    .map(control)
                    .collect(),
                id: gid,
            }
        })
        .collect();
    let title = format!(
        "{} {} — catalogue of aims{}",
        cat.standard,
        cat.version,
        if i.overlays {
            format!(" with the overlays of {}", i.title)
        } else {
            String::new()
        }
    );
    Document {
        catalog: OscalCatalog {
            uuid: uuids.of("catalog"),
            metadata: i.metadata(title, cat.version.clone()),
            groups,
        },
    }
}

fn control(c: &Control) -> OscalControl {
    let id = token(c.kind, &c.id);
    let mut props: Vec<Prop> = [
        core_prop("label", &c.id),
        prop("applies-to", c.applies_to.as_str()),
        prop("freshness", &c.freshness.to_string()),
        prop("source", &c.source),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(s) = &c.subgroup {
        props.extend(prop("subgroup", s));
    }
    // The user's licensed wording when an overlay gives it, else our summary.
    let statement = c.text.as_deref().unwrap_or(&c.asks);
    let mut parts = vec![Part {
        id: statement_id(&id),
        name: "statement",
        prose: prose(statement),
    }];
    if !c.evidence.is_empty() {
        let list: Vec<String> = c
            .evidence
            .iter()
            .filter_map(|e| string(e))
            .map(|e| format!("- {}", escape::md(&e)))
            .collect();
        parts.push(Part {
            id: format!("{id}_gdn"),
            name: "guidance",
            prose: format!("Evidence an auditor expects:\n\n{}", list.join("\n")),
        });
    }
    OscalControl {
        class: c.kind.as_str(),
        title: line(&c.title),
        props,
        parts,
        id,
    }
}
