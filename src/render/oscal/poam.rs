//! `aims export --format oscal-poam`: the plan of action and milestones:
//! an item for every control scope whose level keeps it from counting
//! fully in the gate's score (missing, partial, implemented), and one for
//! every open nonconformity, with its owner and due date.

use serde::Serialize;

use super::assessment::scopes;
use super::*;

#[derive(Debug, Serialize)]
pub struct Document {
    #[serde(rename = "plan-of-action-and-milestones")]
    pub poam: Poam,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Poam {
    pub uuid: String,
    pub metadata: Metadata,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub risks: Vec<Risk>,
    pub poam_items: Vec<PoamItem>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct PoamItem {
    pub uuid: String,
    pub title: String,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_risks: Vec<RelatedRisk>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct RelatedRisk {
    pub risk_uuid: String,
}

/// A nonconformity's risk: where OSCAL keeps a deadline.
#[derive(Debug, Serialize)]
pub struct Risk {
    pub uuid: String,
    pub title: String,
    pub description: String,
    pub statement: String,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
}

pub fn build(i: &Inputs) -> Document {
    let project = i.project;
    let uuids = i.uuids("poam");
    let mut items = Vec::new();
    let mut risks = Vec::new();
    for c in &i.gap.controls {
        for s in scopes(project, c).into_iter().filter(|s| is_gap(s.level)) {
            let owner = match s.system {
                None => c.owner.clone(),
                Some(_) => s
                    .statement
                    .and_then(|st| st.owner.as_ref())
                    .map(|o| o.0.clone()),
            };
            let mut props: Vec<Prop> = [
                prop("kind", "control-gap"),
                prop("control", &c.id),
                prop("level", s.level.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            props.extend(s.system.and_then(|sid| prop("system", sid)));
            props.extend(owner.as_deref().and_then(|o| prop("owner", o)));
            let why = match s.system {
                None => prose(&c.reason),
                Some(sid) => format!(
                    "The level of this control for system {}.",
                    escape::md_code(sid)
                ),
            };
            items.push(PoamItem {
                uuid: uuids.of(&format!("gap\n{}\n{}", c.id, s.name)),
                title: line(&format!(
                    "Raise {} {} for {} above {}",
                    c.id,
                    c.title,
                    s.name,
                    s.level.as_str()
                )),
                description: format!(
                    "{} is {} for {}; it counts fully in the score once evidenced. {why}",
                    line(&c.id),
                    s.level.as_str(),
                    line(&s.name)
                ),
                props,
                related_risks: Vec::new(),
            });
        }
    }
    for nc in project
        .inventory
        .nonconformities
        .iter()
        .filter(|n| n.closed.is_none())
    {
        let risk_uuid = uuids.of(&format!("nonconformity-risk\n{}", nc.id));
        let mut props: Vec<Prop> = [
            prop("kind", "nonconformity"),
            prop("nonconformity", nc.id.as_str()),
            prop("raised", &nc.raised.to_string()),
        ]
        .into_iter()
        .flatten()
        .collect();
        props.extend(nc.owner.as_ref().and_then(|o| prop("owner", o.as_str())));
        props.extend(nc.due.and_then(|d| prop("due", &d.to_string())));
        for ctl in &nc.controls {
            props.extend(prop("control", ctl.0.as_str()));
        }
        props.extend(nc.source.as_deref().and_then(|s| prop("source", s)));
        let action = nc
            .corrective_action
            .as_deref()
            .map(|a| format!("\n\nCorrective action: {}", prose(a)))
            .unwrap_or_default();
        risks.push(Risk {
            uuid: risk_uuid.clone(),
            title: line(&format!("Nonconformity {}", nc.id)),
            description: prose(&nc.description),
            statement: format!("Open since {}.{action}", nc.raised),
            status: "open",
            deadline: nc.due.map(|d| format!("{d}T00:00:00Z")),
        });
        items.push(PoamItem {
            uuid: uuids.of(&format!("nonconformity\n{}", nc.id)),
            title: line(&format!("Close nonconformity {}", nc.id)),
            description: format!("{}{action}", prose(&nc.description)),
            props,
            related_risks: vec![RelatedRisk { risk_uuid }],
        });
    }
    let title = format!(
        "{} — plan of action and milestones as of {}",
        project.title(),
        i.as_of
    );
    Document {
        poam: Poam {
            uuid: uuids.of(&format!("document\n{}", i.as_of)),
            metadata: i.metadata(title, i.as_of.to_string()),
            risks,
            poam_items: items,
        },
    }
}
