//! The readiness checklists as data: each item, its clauses, and the fact
//! that decides it besides their levels.

use crate::model::AuditKind;

/// What decides a readiness item besides the levels of its clauses.
#[derive(Clone, Copy)]
pub(super) enum Fact {
    /// The levels alone.
    Levels,
    /// `organization.scope` is written.
    Scope,
    /// The AI policy is approved and current ([`policy_fact`]).
    Policy,
    /// At least one role.
    Roles,
    /// At least one risk in the register.
    Risks,
    /// The SoA can be derived ([`soa_fact`]).
    Soa,
    /// Every system in scope has an impact assessment ([`impact_fact`]).
    Impact,
    /// Every applicable control at least implemented (Stage 2).
    Controls,
    /// An audit of the kind within the cycle ([`recent_audit`]).
    Audit(AuditKind, &'static str),
    /// No nonconformity open past its due date.
    Nonconformities,
}

/// One item of a readiness checklist: the checklists are data, the facts
/// the code that decides them.
pub(super) struct Check {
    pub(super) id: &'static str,
    pub(super) title: &'static str,
    pub(super) clauses: &'static [&'static str],
    pub(super) fact: Fact,
}

const fn check(
    id: &'static str,
    title: &'static str,
    clauses: &'static [&'static str],
    fact: Fact,
) -> Check {
    Check {
        id,
        title,
        clauses,
        fact,
    }
}

/// Stage 1 (documentation review): the AIMS is designed and documented.
pub(super) const STAGE1: &[Check] = &[
    check("scope", "AIMS scope", &["4.3"], Fact::Scope),
    check("policy", "AI policy", &["5.2", "A.2.2"], Fact::Policy),
    check(
        "roles",
        "Roles and responsibilities",
        &["5.3", "A.3.2"],
        Fact::Roles,
    ),
    check("objectives", "AI objectives", &["6.2"], Fact::Levels),
    check(
        "risk-assessment",
        "AI risk assessment",
        &["6.1.2", "8.2"],
        Fact::Risks,
    ),
    check(
        "risk-treatment",
        "Risk treatment and SoA",
        &["6.1.3", "8.3"],
        Fact::Soa,
    ),
    check(
        "impact-assessment",
        "AI system impact assessments",
        &["6.1.4", "8.4"],
        Fact::Impact,
    ),
    check("competence", "Competence records", &["7.2"], Fact::Levels),
    check(
        "documented-information",
        "Control of documented information",
        &["7.5.1", "7.5.2", "7.5.3"],
        Fact::Levels,
    ),
];

/// Stage 2 (implementation audit): the AIMS works and is checked.
pub(super) const STAGE2: &[Check] = &[
    check(
        "controls",
        "Applicable controls implemented",
        &[],
        Fact::Controls,
    ),
    check(
        "internal-audit",
        "Internal audit within 12 months",
        &["9.2"],
        Fact::Audit(AuditKind::InternalAudit, "internal audit"),
    ),
    check(
        "management-review",
        "Management review within 12 months",
        &["9.3"],
        Fact::Audit(AuditKind::ManagementReview, "management review"),
    ),
    check(
        "nonconformities",
        "Corrective actions on time",
        &["10.2"],
        Fact::Nonconformities,
    ),
];
