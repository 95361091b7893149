//! The organisation, its policies and roles, and what it states about
//! each catalogue control.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ControlId, Date, Duration, EvidenceRef, Id, OneOrMany, Src};

kebab_enum!(Status {
    NotStarted = "not-started", Planned = "planned", Partial = "partial", Implemented = "implemented",
});

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub name: String,
    /// The AIMS scope statement (clause 4.3).
    #[serde(default)]
    pub scope: Option<String>,
    /// Role id of whoever owns the AIMS.
    #[serde(default)]
    pub aims_owner: Option<Id>,
    /// Highest acceptable risk score (likelihood × impact, 1–25). Default 9.
    #[serde(default)]
    pub risk_appetite: Option<u8>,
    #[serde(default)]
    pub certification: Option<Certification>,
    #[serde(skip)]
    pub src: Src,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Certification {
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub certified: Option<Date>,
    #[serde(default)]
    pub expires: Option<Date>,
    #[serde(default)]
    pub stage1: Option<Date>,
    #[serde(default)]
    pub stage2: Option<Date>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub id: Id,
    pub title: String,
    /// The policy document (evidence path).
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub approved_by: Option<Id>,
    #[serde(default)]
    pub approved: Option<Date>,
    /// Default 12 months.
    #[serde(default)]
    pub review_every: Option<Duration>,
    #[serde(default)]
    pub controls: Vec<ControlId>,
    #[serde(skip)]
    pub src: Src,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: Id,
    pub title: String,
    #[serde(default)]
    pub holder: Option<String>,
    #[serde(default)]
    pub responsibilities: Vec<String>,
    #[serde(skip)]
    pub src: Src,
}

/// What the organisation (or a system) says about one catalogue control.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// `false` excludes the control; it then needs a `justification`.
    #[serde(default)]
    pub applicable: Option<bool>,
    #[serde(default)]
    pub justification: Option<String>,
    #[serde(default)]
    pub status: Option<Status>,
    /// Role id.
    #[serde(default)]
    pub owner: Option<Id>,
    #[serde(default)]
    pub evidence: OneOrMany<EvidenceRef>,
    #[serde(default)]
    pub reviewed: Option<Date>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A statement together with where it was written.
#[derive(Clone, Debug)]
pub struct PlacedStatement {
    pub statement: Statement,
    pub src: Src,
}
