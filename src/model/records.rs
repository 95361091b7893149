//! What the AIMS keeps a record of: suppliers, audits and management
//! reviews, nonconformities, incidents.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ControlId, Date, EvidenceRef, Id, OneOrMany, Src};

kebab_enum!(AuditKind {
    InternalAudit = "internal-audit", ManagementReview = "management-review", Stage1 = "stage1",
    Stage2 = "stage2", Surveillance = "surveillance", Recertification = "recertification",
});

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Supplier {
    pub id: Id,
    pub name: String,
    #[serde(default)]
    pub provides: Option<String>,
    #[serde(default)]
    pub due_diligence: Option<DueDiligence>,
    /// The contract (evidence path).
    #[serde(default)]
    pub contract: Option<String>,
    /// Who does what between the organisation and the supplier.
    #[serde(default)]
    pub responsibilities: Option<String>,
    #[serde(skip)]
    pub src: Src,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DueDiligence {
    pub date: Date,
    #[serde(default)]
    pub evidence: OneOrMany<EvidenceRef>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Audit {
    pub id: Id,
    pub kind: AuditKind,
    pub date: Date,
    /// Who performed it (a name or an audit body).
    #[serde(default)]
    pub by: Option<String>,
    /// Catalogue ids covered; empty means all.
    #[serde(default)]
    pub scope: Vec<ControlId>,
    #[serde(default)]
    pub evidence: OneOrMany<EvidenceRef>,
    /// Nonconformity ids raised.
    #[serde(default)]
    pub findings: Vec<Id>,
    /// For a management review: the inputs it considered (clause 9.3.2),
    /// e.g. "status of actions from previous reviews", "AI objectives".
    #[serde(default)]
    pub inputs: Vec<String>,
    #[serde(skip)]
    pub src: Src,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Nonconformity {
    pub id: Id,
    pub raised: Date,
    /// An audit id, or text.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub controls: Vec<ControlId>,
    pub description: String,
    #[serde(default)]
    pub corrective_action: Option<String>,
    #[serde(default)]
    pub owner: Option<Id>,
    #[serde(default)]
    pub due: Option<Date>,
    #[serde(default)]
    pub closed: Option<Date>,
    /// Records of the correction and corrective action (paths or globs);
    /// the entry itself is the record when none is cited.
    #[serde(default)]
    pub evidence: OneOrMany<EvidenceRef>,
    #[serde(skip)]
    pub src: Src,
}

kebab_enum!(
    /// What an incident did, in the terms of AI Act Art. 3(49) and Art. 73,
    /// whose reporting deadline depends on it.
    IncidentKind {
    Death = "death", SeriousHarm = "serious-harm",
    CriticalInfrastructure = "critical-infrastructure",
    WidespreadInfringement = "widespread-infringement", Other = "other",
});

/// An incident involving an AI system (ISO/IEC 42001 A.8.4; AI Act Art. 73).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    pub id: Id,
    /// The system involved (a system id).
    pub system: Id,
    /// When the incident happened.
    pub occurred: Date,
    /// When the organisation became aware of it: Art. 73 deadlines run from
    /// this day.
    pub aware: Date,
    /// A serious incident in the sense of AI Act Art. 3(49): death or
    /// serious harm to health, a serious and irreversible disruption of
    /// critical infrastructure, an infringement of fundamental-rights
    /// obligations, or serious harm to property or the environment.
    /// Default false.
    #[serde(default)]
    pub serious: bool,
    /// `death` (Art. 73(4): 10 days), `critical-infrastructure` (a serious
    /// and irreversible disruption) or `widespread-infringement` (Art. 73(3):
    /// 2 days), `serious-harm` or `other` (Art. 73(2): 15 days). Default `other`.
    #[serde(default)]
    pub kind: Option<IncidentKind>,
    /// What happened, and to whom.
    #[serde(default)]
    pub description: Option<String>,
    /// When it was reported to the market surveillance authority.
    #[serde(default)]
    pub reported: Option<Date>,
    /// The authority it was reported to.
    #[serde(default)]
    pub authority: Option<String>,
    /// The nonconformity (id) raised for its corrective action (10.2).
    #[serde(default)]
    pub nonconformity: Option<Id>,
    /// The incident report, investigation notes…
    #[serde(default)]
    pub evidence: OneOrMany<EvidenceRef>,
    #[serde(skip)]
    pub src: Src,
}

impl Incident {
    /// The Art. 73 reporting deadline in days after awareness, and the
    /// paragraph that sets it.
    pub fn deadline(&self) -> (i64, &'static str) {
        match self.kind.unwrap_or(IncidentKind::Other) {
            IncidentKind::Death => (10, "Art. 73(4)"),
            IncidentKind::CriticalInfrastructure | IncidentKind::WidespreadInfringement => {
                (2, "Art. 73(3)")
            }
            IncidentKind::SeriousHarm | IncidentKind::Other => (15, "Art. 73(2)"),
        }
    }
}
