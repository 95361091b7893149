//! `aims export --format oscal-assessment-results`: one result as of the
//! as-of day; a finding per control and scope (the organisation, each
//! system) with its level and why, an observation per scope with the
//! evidence it cites, and every judged control as reviewed.

use serde::Serialize;

use super::catalog::statement_id;
use super::*;
use crate::assess::ControlGap;
use crate::model::{EvidenceRef, Statement};

#[derive(Debug, Serialize)]
pub struct Document {
    #[serde(rename = "assessment-results")]
    pub assessment_results: AssessmentResults,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct AssessmentResults {
    pub uuid: String,
    pub metadata: Metadata,
    pub import_ap: Import,
    pub results: Vec<OscalResult>,
    pub back_matter: BackMatter,
}

#[derive(Debug, Serialize)]
pub struct Import {
    pub href: String,
    pub remarks: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct OscalResult {
    pub uuid: String,
    pub title: String,
    pub description: String,
    pub start: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    pub reviewed_controls: ReviewedControls,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<Observation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ReviewedControls {
    pub description: String,
    pub control_selections: Vec<ControlSelection>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ControlSelection {
    pub include_controls: Vec<SelectControl>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SelectControl {
    pub control_id: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Observation {
    pub uuid: String,
    pub title: String,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    pub methods: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub relevant_evidence: Vec<RelevantEvidence>,
    pub collected: String,
}

#[derive(Debug, Serialize)]
pub struct RelevantEvidence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    pub description: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Finding {
    pub uuid: String,
    pub title: String,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    pub target: Target,
    pub related_observations: Vec<RelatedObservation>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Target {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub target_id: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub implementation_status: Option<ImplementationStatus>,
}

#[derive(Debug, Serialize)]
pub struct Status {
    pub state: &'static str,
    pub reason: &'static str,
    pub remarks: String,
}

#[derive(Debug, Serialize)]
pub struct ImplementationStatus {
    pub state: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct RelatedObservation {
    pub observation_uuid: String,
}

/// One scope a control is judged in: the organisation or a system.
pub struct Scope<'a> {
    /// `organization` or `system <id>`: part of every UUID name.
    pub name: String,
    pub system: Option<&'a str>,
    pub level: Level,
    pub statement: Option<&'a Statement>,
}

/// The scopes of a control: the organisation, then each system it applies to.
pub fn scopes<'a>(project: &'a Project, c: &'a ControlGap) -> Vec<Scope<'a>> {
    let inv = &project.inventory;
    let mut out = vec![Scope {
        name: "organization".into(),
        system: None,
        level: c.level,
        statement: inv.controls.get(&c.id).map(|p| &p.statement),
    }];
    for (sid, level) in &c.systems {
        let statement = inv
            .systems
            .iter()
            .find(|s| s.id.0 == sid.0)
            .and_then(|s| {
                s.controls
                    .iter()
                    .find(|(k, _)| project.catalog.get(k).is_some_and(|x| x.id == c.id))
            })
            .map(|(_, st)| st);
        out.push(Scope {
            name: format!("system {sid}"),
            system: Some(sid),
            level: *level,
            statement,
        });
    }
    out
}

/// The state and reason of a finding at `level`: satisfied when it counts
/// fully in the score (evidenced, effective) or does not apply.
fn status(level: Level) -> (&'static str, &'static str) {
    match level {
        Level::Evidenced | Level::Effective => ("satisfied", "pass"),
        Level::NotApplicable => ("satisfied", "other"),
        Level::Missing | Level::Partial | Level::Implemented => ("not-satisfied", "fail"),
    }
}

fn implementation(level: Level) -> Option<ImplementationStatus> {
    let state = match level {
        Level::Missing => return None,
        Level::Partial => "partial",
        Level::NotApplicable => "not-applicable",
        Level::Implemented | Level::Evidenced | Level::Effective => "implemented",
    };
    Some(ImplementationStatus { state })
}

/// The evidence a statement cites, resolved under the evidence root: one
/// entry per file found (its path relative to the repository), one per
/// citation that resolved to nothing, saying why.
pub fn relevant_evidence(i: &Inputs, st: &Statement) -> Vec<RelevantEvidence> {
    let mut out = Vec::new();
    for r in &st.evidence.0 {
        let sha = match r {
            EvidenceRef::Detailed(d) => d.sha256.as_deref(),
            EvidenceRef::Path(_) => None,
        };
        let cited = r.path();
        let res = i.evidence.resolve(cited, sha);
        for f in &res.files {
            let full = i.project.evidence_root.join(f);
            let rel = pathdiff::diff_paths(&full, &i.project.root).unwrap_or_else(|| f.into());
            let rel = crate::assess::evidence::rel_text(&rel);
            out.push(RelevantEvidence {
                href: Some(href(&rel)),
                description: format!(
                    "Evidence {} (cited as {}).",
                    escape::md(&rel),
                    escape::md(cited)
                ),
            });
        }
        if let Some(p) = res.problem {
            out.push(RelevantEvidence {
                href: None,
                description: prose(&p.describe(cited)),
            });
        }
    }
    out
}

pub fn build(i: &Inputs) -> Document {
    let project = i.project;
    let gap = i.gap;
    let uuids = i.uuids("assessment-results");
    let mut observations = Vec::new();
    let mut findings = Vec::new();
    for c in &gap.controls {
        let cid = control_token(&project.catalog, &c.id);
        for s in scopes(project, c) {
            let name = format!("{}\n{}", c.id, s.name);
            let obs_uuid = uuids.of(&format!("observation\n{name}"));
            let scope_text = match s.system {
                Some(sid) => format!("system {}", escape::md_code(sid)),
                None => "the organisation".to_string(),
            };
            let evidence = s
                .statement
                .map(|st| relevant_evidence(i, st))
                .unwrap_or_default();
            let mut obs_props: Vec<Prop> = Vec::new();
            if let Some(st) = s.statement {
                obs_props.extend(st.status.and_then(|x| prop("status", x.as_str())));
                obs_props.extend(st.reviewed.and_then(|d| prop("reviewed", &d.to_string())));
                obs_props.extend(st.owner.as_ref().and_then(|o| prop("owner", o.as_str())));
            }
            obs_props.extend(s.system.and_then(|sid| prop("system", sid)));
            let described = match s.statement {
                Some(_) if evidence.is_empty() => "The statement cites no evidence.",
                Some(_) => "The statement and the evidence it cites.",
                None => "No statement is recorded for this scope.",
            };
            observations.push(Observation {
                uuid: obs_uuid.clone(),
                title: line(&format!("{} for {}", c.id, s.name)),
                description: format!("{} {described}", line(&c.id)),
                props: obs_props,
                methods: vec!["EXAMINE"],
                relevant_evidence: evidence,
                collected: i.as_of_time(),
            });
            let (state, reason) = status(s.level);
            let mut props: Vec<Prop> = [prop("level", s.level.as_str())]
                .into_iter()
                .flatten()
                .collect();
            props.extend(s.system.and_then(|sid| prop("system", sid)));
            if s.system.is_none() {
                props.extend(c.owner.as_deref().and_then(|o| prop("owner", o)));
            }
            let why = if s.system.is_none() {
                prose(&c.reason)
            } else {
                format!("The level of this control for {scope_text}.")
            };
            findings.push(Finding {
                uuid: uuids.of(&format!("finding\n{name}")),
                title: line(&format!(
                    "{} {} for {}: {}",
                    c.id,
                    c.title,
                    s.name,
                    s.level.as_str()
                )),
                description: format!(
                    "{}: {} for {scope_text}. {why}",
                    line(&c.id),
                    s.level.as_str()
                ),
                props,
                target: Target {
                    kind: "statement-id",
                    target_id: statement_id(&cid),
                    status: Status {
                        state,
                        reason,
                        remarks: why,
                    },
                    implementation_status: implementation(s.level),
                },
                related_observations: vec![RelatedObservation {
                    observation_uuid: obs_uuid,
                }],
            });
        }
    }
    let reviewed = gap
        .controls
        .iter()
        .map(|c| SelectControl {
            control_id: control_token(&project.catalog, &c.id),
        })
        .collect();
    let plan = uuids.of("assessment-plan");
    let scope = match &gap.system {
        Some(s) => format!(" for system {}", escape::md_code(s)),
        None => String::new(),
    };
    let title = format!(
        "{} — ISO/IEC 42001 gap analysis as of {}",
        project.title(),
        i.as_of
    );
    Document {
        assessment_results: AssessmentResults {
            uuid: uuids.of(&format!("document\n{}", i.as_of)),
            metadata: i.metadata(title, i.as_of.to_string()),
            import_ap: Import {
                href: format!("#{plan}"),
                remarks: "aims judges the inventory directly; there is no separate assessment plan."
                    .into(),
            },
            results: vec![OscalResult {
                uuid: uuids.of(&format!("result\n{}", i.as_of)),
                title: line(&format!("Gap analysis as of {}", i.as_of)),
                description: format!(
                    "Every clause and Annex A control of {}{scope}, judged by aims on the status ladder as of {}.",
                    line(&project.title()),
                    i.as_of
                ),
                start: i.as_of_time(),
                props: [
                    prop("score", &format!("{:.1}", gap.summary.score)),
                    prop("as-of", &i.as_of.to_string()),
                    prop("catalog-version", &project.catalog.version),
                ]
                .into_iter()
                .flatten()
                .collect(),
                reviewed_controls: ReviewedControls {
                    description: "Every control aims judged.".into(),
                    control_selections: vec![ControlSelection {
                        include_controls: reviewed,
                    }],
                },
                observations,
                findings,
            }],
            back_matter: BackMatter {
                resources: vec![Resource {
                    uuid: plan,
                    title: "No assessment plan".into(),
                    description: Some("aims judges the inventory itself against its catalogue (see the catalogue export, `aims export --format oscal-catalog`)."
                        .into()),
                    rlinks: Vec::new(),
                }],
            },
        },
    }
}
