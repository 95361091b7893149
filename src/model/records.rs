//! What the AIMS keeps a record of: suppliers, audits and management
//! reviews, nonconformities.

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
