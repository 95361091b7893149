//! The Statement of Applicability: one row per control, why it is in or
//! out, and its CSV.

use serde::Serialize;
use serde_json::{Value, json};

use super::report::{Inputs, css, header};
use crate::assess::evidence::Evidence;
use crate::assess::{Assessor, Basis, Gap, Level, judged_evidence};
use crate::catalog::{Control, Kind};
use crate::load::Project;
use crate::model::*;
use crate::render::escape;

#[derive(Debug, Clone, Serialize)]
pub struct SoaRow {
    pub id: String,
    pub title: String,
    pub group: String,
    pub applicable: bool,
    /// `applicable`, `excluded` (by a statement), `out-of-scope` (the
    /// catalogue's scope leaves this system out) or `organisation-wide`
    /// (in a system's SoA: judged for the organisation as a whole).
    pub applicability: &'static str,
    /// Why it is included (risks, impact assessments, policies that call
    /// for it) or excluded (the justification).
    pub justification: String,
    pub level: String,
    pub css: String,
    pub owner: String,
    /// The files the cited evidence matched (a glob lists its files).
    pub evidence: Vec<String>,
    /// Files left out of `evidence` (at most [`EVIDENCE_SHOWN`] are listed).
    pub more_evidence: usize,
    /// When the statement was last reviewed: kept so that an SoA
    /// spreadsheet imported back (`aims import soa`) judges the same.
    pub reviewed: Option<Date>,
}

/// At most this many evidence files are listed on one SoA row (and in a
/// control's row of the report).
pub const EVIDENCE_SHOWN: usize = 12;

/// One row per Annex A control (and custom control), for the organisation
/// or for one system; `ev` is the resolver the gap was judged with, so that
/// the evidence root is walked once.
pub fn soa_rows(
    project: &Project,
    gap: &Gap,
    ev: &Evidence,
    system: Option<&System>,
) -> Vec<SoaRow> {
    let inv = &project.inventory;
    let judge = Assessor::new(project, gap.as_of, ev, &gap.findings);
    let focus = system.and_then(|s| inv.system_position(&s.id));
    gap.controls
        .iter()
        .filter(|c| c.kind == Kind::AnnexA.as_str() || c.kind == Kind::Custom.as_str())
        .filter_map(|c| {
            let at = project.catalog.position(&c.id)?;
            let control = &project.catalog.controls[at];
            let org = inv.controls.get(&c.id).map(|p| &p.statement);
            // A system's row: its verdict (or the organisation's, for a
            // control judged for the organisation); the organisation's row:
            // its verdict and its systems', each pair judged once.
            let (verdict, per_system) = match (system, focus) {
                (Some(_), Some(i)) => (
                    judge
                        .verdict(at, Some(i))
                        .or_else(|| judge.verdict(at, None))?,
                    Vec::new(),
                ),
                _ => judge.control_verdicts(at)?,
            };
            let st = match &verdict.basis {
                Basis::Own { statement, .. } => Some(*statement),
                Basis::OrgDefault(st) => Some(*st),
                _ => org,
            };
            let level = match system {
                Some(s) => c.systems.get(&Natural(s.id.0.clone())).copied().unwrap_or(c.level),
                None => c.level,
            };
            let (applicability, justification) =
                if let Some(st) = st.filter(|st| st.applicable == Some(false)) {
                    (
                        "excluded",
                        st.justification.clone().unwrap_or_else(|| {
                            "Excluded without a justification (finding).".into()
                        }),
                    )
                } else if let Some(s) = system {
                    if !control.applies_to.per_system() {
                        (
                            "organisation-wide",
                            "Organisation-wide: judged for the organisation as a whole, which covers this system.".to_string(),
                        )
                    } else if !control.applies_to_system(s.role, s.lifecycle) {
                        ("out-of-scope", scope_reason(control, s))
                    } else {
                        ("applicable", inclusion(project, &c.id, system))
                    }
                } else if level == Level::NotApplicable {
                    (
                        "out-of-scope",
                        match c.reason.as_str() {
                            "no system in scope" => no_system_reason(control),
                            other => format!("Not applicable: {other}."),
                        },
                    )
                } else {
                    ("applicable", inclusion(project, &c.id, system))
                };
            let applicable = matches!(applicability, "applicable" | "organisation-wide");
            let mut files: Vec<String> = Vec::new();
            for j in judged_evidence(&verdict, &per_system) {
                // A citation that matched nothing is shown as cited (its
                // level says it is missing).
                if j.files.is_empty() {
                    files.push(j.cited.clone());
                }
                files.extend(j.files.iter().cloned());
            }
            if files.is_empty() {
                files = st
                    .map(|st| st.evidence.iter().map(|e| e.path().to_string()).collect())
                    .unwrap_or_default();
            }
            files.sort_by(|a, b| crate::model::natural_cmp(a, b));
            files.dedup();
            let more_evidence = files.len().saturating_sub(EVIDENCE_SHOWN);
            files.truncate(EVIDENCE_SHOWN);
            let (level_text, level_css) = if applicable {
                (level.as_str(), css(level))
            } else {
                ("not-applicable", "na")
            };
            Some(SoaRow {
                id: c.id.clone(),
                title: c.title.clone(),
                group: c.group.clone(),
                applicable,
                applicability,
                justification,
                level: level_text.to_string(),
                css: level_css.to_string(),
                owner: st
                    .and_then(|s| s.owner.as_ref())
                    .map(|o| o.0.clone())
                    .unwrap_or_default(),
                evidence: files,
                more_evidence,
                reviewed: st.and_then(|s| s.reviewed),
            })
        })
        .collect()
}

/// Why a per-system control applies to no system of the inventory.
fn no_system_reason(control: &Control) -> String {
    let roles: Vec<String> = control
        .roles
        .iter()
        .map(|r| format!("{r:?}").to_lowercase())
        .collect();
    if roles.is_empty() {
        "Not applicable: no AI system in the inventory is in its scope.".into()
    } else {
        format!(
            "Not applicable: it concerns {} of AI systems, and no system in the inventory is one.",
            roles.join(" and ")
        )
    }
}

fn scope_reason(control: &Control, s: &System) -> String {
    if s.lifecycle == Lifecycle::Retired {
        return format!("System `{}` is retired.", s.id);
    }
    if !control.applies_to.per_system() {
        return "Judged for the organisation as a whole, not per system.".into();
    }
    if !control.lifecycle.is_empty() && !control.lifecycle.contains(&s.lifecycle) {
        let stages: Vec<&str> = control.lifecycle.iter().map(|l| l.as_str()).collect();
        return format!(
            "Applies in the {} stages; system `{}` is in {}.",
            stages.join(", "),
            s.id,
            s.lifecycle
        );
    }
    let roles: Vec<String> = control
        .roles
        .iter()
        .map(|r| format!("{r:?}").to_lowercase())
        .collect();
    format!(
        "Concerns {} of AI systems; the organisation is the {} of `{}`.",
        roles.join(" and "),
        s.role,
        s.id
    )
}

/// Why a control is in the SoA: the risks, impact assessments and policies
/// that call for it, in the organisation's own records.
fn inclusion(project: &Project, id: &str, system: Option<&System>) -> String {
    let inv = &project.inventory;
    let applies = |systems: &[Id]| {
        system.is_none_or(|s| systems.is_empty() || systems.iter().any(|x| x.same(&s.id)))
    };
    let risks: Vec<&str> = inv
        .risks
        .iter()
        .filter(|r| applies(&r.systems) && r.controls.iter().any(|c| c.0.eq_ignore_ascii_case(id)))
        .map(|r| r.id.as_str())
        .collect();
    let ias: Vec<&str> = inv
        .impact_assessments
        .iter()
        .filter(|ia| system.is_none_or(|s| ia.system.same(&s.id)))
        .filter(|ia| {
            ia.impacts
                .iter()
                .any(|imp| imp.controls.iter().any(|c| c.0.eq_ignore_ascii_case(id)))
        })
        .map(|ia| ia.id.as_str())
        .collect();
    let policies: Vec<&str> = inv
        .policies
        .iter()
        .filter(|p| p.controls.iter().any(|c| c.0.eq_ignore_ascii_case(id)))
        .map(|p| p.id.as_str())
        .collect();
    let mut parts = Vec::new();
    if !risks.is_empty() {
        parts.push(format!("treats risks {}", risks.join(", ")));
    }
    if !ias.is_empty() {
        parts.push(format!("mitigates impacts in {}", ias.join(", ")));
    }
    if !policies.is_empty() {
        parts.push(format!("required by policy {}", policies.join(", ")));
    }
    if parts.is_empty() {
        "Included: a reference control of ISO/IEC 42001 Annex A, not excluded.".into()
    } else {
        let mut s = parts.join("; ");
        if let Some(first) = s.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        s.push('.');
        s
    }
}

pub fn soa_view(i: &Inputs, rows: &[SoaRow]) -> Value {
    let applicable = rows.iter().filter(|r| r.applicable).count();
    json!({
        "header": header(i),
        "rows": rows,
        "applicable": applicable,
        "excluded": rows.len() - applicable,
    })
}

/// The columns of the SoA as a spreadsheet (CSV and XLSX).
pub const SOA_COLUMNS: [&str; 9] = [
    "Control",
    "Title",
    "Group",
    "Applicable",
    "Justification",
    "Implementation level",
    "Owner",
    "Evidence",
    "Reviewed",
];

/// CSV that opens cleanly in a spreadsheet: RFC 4180 quoting, a UTF-8 BOM
/// for Excel, and cells that start like a formula neutralised (see
/// [`escape::csv_cell`]).
pub fn soa_csv(rows: &[SoaRow]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&SOA_COLUMNS.join(","));
    out.push_str("\r\n");
    for r in rows {
        let fields = [
            r.id.as_str(),
            r.title.as_str(),
            r.group.as_str(),
            if r.applicable { "yes" } else { "no" },
            r.justification.as_str(),
            r.level.as_str(),
            r.owner.as_str(),
            &evidence_text(r),
            &r.reviewed.map(|d| d.to_string()).unwrap_or_default(),
        ];
        out.push_str(
            &fields
                .iter()
                .map(|f| escape::csv_cell(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

/// The evidence cell: its files, and how many more there are.
fn evidence_text(r: &SoaRow) -> String {
    let mut s = r.evidence.join("; ");
    if r.more_evidence > 0 {
        s.push_str(&format!("; and {} more", r.more_evidence));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_neutralises_formulas() {
        let row = SoaRow {
            id: "A.2.2".into(),
            title: "AI \"policy\"".into(),
            group: "A.2".into(),
            applicable: true,
            justification: "=HYPERLINK(\"x\")".into(),
            level: "partial".into(),
            css: "partial".into(),
            owner: "lead".into(),
            evidence: vec!["a.md".into(), "b,c.md".into()],
            more_evidence: 0,
            applicability: "applicable",
            reviewed: None,
        };
        let csv = soa_csv(&[row]);
        let line = csv.lines().nth(1).unwrap();
        assert_eq!(
            line,
            "\"A.2.2\",\"AI \"\"policy\"\"\",\"A.2\",\"yes\",\"'=HYPERLINK(\"\"x\"\")\",\"partial\",\"lead\",\"a.md; b,c.md\",\"\""
        );
    }
}
