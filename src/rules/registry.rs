//! The rule registry: every rule's id, default severity, documentation and
//! properties, declared once. The macro turns the table into a typed id
//! (`RuleId`), so a check that names a rule that does not exist fails to
//! compile, and everything else (`aims rules`, SARIF, the README table, the
//! validation of `[rules]`, `[gate] deny` and waivers) reads the same table.
//!
//! Adding a rule: add a line here, push it from its area's file, test it.

use std::fmt;

use serde::Serialize;

use crate::diag::Severity;

/// A rule's documentation, default severity and properties.
///
/// Serialises (in `aims rules --format json`) as its id, severity and texts
/// only: the properties are how aims treats the rule, not documentation.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub explain: &'static str,
    pub fix: &'static str,
    /// An unwaived error of this rule on a control caps that control's level
    /// in the gap analysis. Evidence rules do not: the evidence judgement
    /// already counts the evidence they are about.
    #[serde(skip)]
    pub caps_level: bool,
    /// A waiver can silence it. The waivers' own findings cannot be waived
    /// (a waiver cannot hide that another waiver expired), nor load errors.
    #[serde(skip)]
    pub waivable: bool,
}

/// An id that names no entry of a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule(pub String);

impl fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no rule `{}`", self.0)
    }
}

impl std::error::Error for UnknownRule {}

/// Declares a typed id and its table: `enum Id in TABLE { Variant = "area/name",
/// Severity, caps_level: bool, waivable: bool, summary: "…", explain: "…",
/// fix: "…"; … }`. Variants are ordered as declared, which is also the order
/// of the table and of `aims rules`.
macro_rules! rule_table {
    (
        $(#[$meta:meta])*
        $vis:vis enum $Id:ident in $TABLE:ident {
            $(
                $Variant:ident = $id:literal, $severity:ident,
                caps_level: $caps:literal, waivable: $waivable:literal,
                summary: $summary:literal,
                explain: $explain:literal,
                fix: $fix:literal;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $Id {
            $($Variant,)*
        }

        /// The table, in declaration order: entry `n` is variant `n`.
        $vis const $TABLE: &[$crate::rules::Rule] = &[
            $($crate::rules::Rule {
                id: $id,
                severity: $crate::diag::Severity::$severity,
                summary: $summary,
                explain: $explain,
                fix: $fix,
                caps_level: $caps,
                waivable: $waivable,
            },)*
        ];

        impl $Id {
            /// Every id, in declaration order.
            pub const ALL: &[Self] = &[$(Self::$Variant,)*];

            /// The id as users write it (`area/name`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$Variant => $id,)*
                }
            }

            /// The variant's name in the source (`EvidenceMissing`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(Self::$Variant => stringify!($Variant),)*
                }
            }

            /// Its registry entry.
            pub fn rule(self) -> &'static $crate::rules::Rule {
                &$TABLE[self as usize]
            }

            /// The id that `id` names, if any (ids are case-sensitive).
            pub fn from_id(id: &str) -> Option<Self> {
                match id {
                    $($id => Some(Self::$Variant),)*
                    _ => None,
                }
            }

            pub fn severity(self) -> $crate::diag::Severity {
                self.rule().severity
            }

            /// See `Rule::caps_level`.
            pub fn caps_level(self) -> bool {
                self.rule().caps_level
            }

            /// See `Rule::waivable`.
            pub fn waivable(self) -> bool {
                self.rule().waivable
            }
        }

        impl ::std::str::FromStr for $Id {
            type Err = $crate::rules::UnknownRule;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::from_id(s).ok_or_else(|| $crate::rules::UnknownRule(s.to_string()))
            }
        }

        /// Shown as the id string, as the `&str` it replaced was.
        impl ::std::fmt::Debug for $Id {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(self.as_str(), f)
            }
        }

        impl ::std::fmt::Display for $Id {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// Serialised as the id string, so JSON output names rules as before.
        impl ::serde::Serialize for $Id {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl PartialEq<str> for $Id {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $Id {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}
pub(super) use rule_table;

rule_table! {
    /// The id of a rule whose findings users configure in `[rules]`, waive in
    /// `waivers:` and deny in `[gate]`.
    pub enum RuleId in RULES {
        EvidenceMissing = "evidence/missing", Error, caps_level: false, waivable: true,
            summary: "Cited evidence does not exist",
            explain: "A claim never counts for more than its evidence shows: a statement whose evidence file is missing, or whose glob matches nothing, is at most `partial`.",
            fix: "Commit the file at the cited path (relative to the evidence root), or correct the path or glob.";
        EvidenceOutsideRoot = "evidence/outside-root", Error, caps_level: false, waivable: true,
            summary: "Cited evidence leads outside the evidence root",
            explain: "Evidence must live in the repository so that it is versioned and can be packed for an auditor. A path that is absolute, climbs out with `..`, or goes through a symlink to outside the root is never opened or read, and counts as missing.",
            fix: "Copy the document under the evidence root (see `evidence_root` in aims.toml) and cite it there.";
        EvidenceUnreadable = "evidence/unreadable", Error, caps_level: false, waivable: true,
            summary: "Cited evidence cannot be used",
            explain: "The cited path exists but is a folder, an empty file, unreadable, a symlink loop, or a URL. It counts as missing.",
            fix: "Cite a readable, non-empty file, or a glob such as `records/*.csv` for the files in a folder.";
        EvidenceHashMismatch = "evidence/hash-mismatch", Error, caps_level: false, waivable: true,
            summary: "Evidence changed since its hash was recorded",
            explain: "The statement records a `sha256` for the file and the file no longer matches, so what was reviewed is not what is there now. It counts as missing until reviewed again.",
            fix: "Review the new version, then update `sha256` (and `reviewed`) in the inventory.";
        EvidenceStale = "evidence/stale", Warning, caps_level: false, waivable: true,
            summary: "Evidence is older than its freshness limit",
            explain: "Evidence counts as current for a limited time after it was last reviewed (12 months for policies and impact assessments, 3 months for operation and monitoring records; `aims controls ID` shows each control's limit, `[freshness]` in aims.toml changes it). A statement with stale evidence is `implemented`, not `evidenced`.",
            fix: "Review the evidence (or produce a current record) and update its `reviewed` date.";
        EvidenceUnreviewed = "evidence/unreviewed", Warning, caps_level: false, waivable: true,
            summary: "Evidence has no review date",
            explain: "Without a `reviewed` date on the evidence or its statement, nothing shows the evidence is current, so the statement stays `implemented`.",
            fix: "Add `reviewed: YYYY-MM-DD` to the evidence entry (`{path, reviewed}`) or to the statement.";
        StatementNoEvidence = "statement/no-evidence", Warning, caps_level: true, waivable: true,
            summary: "A control is marked implemented with no evidence",
            explain: "An `implemented` status with nothing cited is a claim an auditor cannot check; it counts as `partial`.",
            fix: "Cite the documents or records that show the control working under `evidence:`.";
        EuAiActProhibited = "eu-ai-act/prohibited", Error, caps_level: true, waivable: true,
            summary: "A system is a prohibited AI practice",
            explain: "Art. 5 of the EU AI Act bans these practices outright, since 2 February 2025 (Art. 5(1)(a)-(h)) or from 2 December 2026 (the Digital Omnibus bans of non-consensual intimate imagery and child sexual abuse material); no control makes them acceptable.",
            fix: "Withdraw the system from the EU market and from use in the EU, or change it so that no `prohibited` key applies.";
        EuAiActTierMismatch = "eu-ai-act/tier-mismatch", Error, caps_level: true, waivable: true,
            summary: "The declared EU AI Act tier differs from the computed one",
            explain: "`declared_tier` records what the owner believes; aims computes the tier from the facts (Art. 5, Art. 6, Annex III, Art. 50). A difference means the facts or the belief are wrong, and the obligations planned may be the wrong ones.",
            fix: "Correct the facts under `eu_ai_act` or `declared_tier`; `aims classify` shows the basis of the computed tier.";
        EuAiActNotAssessed = "eu-ai-act/not-assessed", Warning, caps_level: true, waivable: true,
            summary: "A system has no EU AI Act assessment",
            explain: "Without an `eu_ai_act` block nothing records whether the system is in scope of the Act or which tier it is in.",
            fix: "Add `eu_ai_act:` with at least `in_scope`, and the keys that apply (`annex_iii`, `transparency`, …).";
        HighRiskNoHumanOversight = "high-risk/no-human-oversight", Error, caps_level: true, waivable: true,
            summary: "A high-risk system has no human oversight described",
            explain: "High-risk systems need effective human oversight (AI Act Art. 14 and 26; ISO/IEC 42001 A.9.2).",
            fix: "Describe under `human_oversight` who can review, override or stop the system, and how.";
        HighRiskNoLogging = "high-risk/no-logging", Error, caps_level: true, waivable: true,
            summary: "A high-risk system has no event logging described",
            explain: "High-risk systems must record events automatically over their lifetime (AI Act Art. 12 and 26(6); ISO/IEC 42001 A.6.2.8).",
            fix: "Describe under `logging` what events are recorded, where, and for how long.";
        HighRiskNoImpactAssessment = "high-risk/no-impact-assessment", Error, caps_level: true, waivable: true,
            summary: "A high-risk system has no impact assessment",
            explain: "A high-risk system needs a documented AI system impact assessment (ISO/IEC 42001 6.1.4, 8.4, A.5.2–A.5.5; AI Act Art. 9 and 27).",
            fix: "Add an entry under `impact_assessments` with `system:` naming it.";
        HighRiskNoDataProvenance = "high-risk/no-data-provenance", Error, caps_level: true, waivable: true,
            summary: "A high-risk system has data without recorded provenance",
            explain: "Data governance for high-risk systems needs to know where data comes from (AI Act Art. 10; ISO/IEC 42001 A.7.5).",
            fix: "List the system's data sets under `data:` with `provenance:` pointing at a provenance record.";
        ImpactMissing = "impact/missing", Error, caps_level: true, waivable: true,
            summary: "An AI system in scope has no impact assessment",
            explain: "Clause 6.1.4 and A.5.2 expect every AI system in the AIMS scope to have its impacts on individuals, groups and society assessed before and during use.",
            fix: "Add an entry under `impact_assessments` with `system:` naming it.";
        ImpactStale = "impact/stale", Warning, caps_level: true, waivable: true,
            summary: "An impact assessment is past its review date",
            explain: "Impact assessments are repeated at planned intervals (8.4). Past `next_review` (or 12 months after `date` when none is set) the assessment no longer counts as current.",
            fix: "Review the assessment and record the new `date` and `next_review`.";
        ImpactOutdated = "impact/outdated", Warning, caps_level: true, waivable: true,
            summary: "An impact assessment predates the system's last material change",
            explain: "When a system's model, data or use changes (`changed:`), its impacts must be assessed again (6.1.4, 8.4).",
            fix: "Reassess the system after the change and record the new assessment.";
        ImpactUnapproved = "impact/unapproved", Warning, caps_level: true, waivable: true,
            summary: "An impact assessment has no approval",
            explain: "The conclusion of an impact assessment is a management decision (A.5.3); `approved_by` records who took it.",
            fix: "Add `approved_by: ROLE-ID`.";
        ImpactPerspectiveMissing = "impact/perspective-missing", Warning, caps_level: true, waivable: true,
            summary: "An impact assessment leaves out individuals and groups, or society",
            explain: "ISO/IEC 42001 asks for both perspectives: impacts on individuals or groups (A.5.4) and on society (A.5.5).",
            fix: "Add `impacts` entries with `on: individuals` or `groups`, and with `on: society` (a low severity is a valid finding).";
        ImpactUnmitigated = "impact/unmitigated", Error, caps_level: true, waivable: true,
            summary: "A severe impact has no mitigation",
            explain: "An impact of severity 4 or 5 without any mitigation means the assessment accepted a severe harm without saying how it is reduced.",
            fix: "List the measures under `mitigations` (and the controls that implement them under `controls`).";
        RiskUntreated = "risk/untreated", Error, caps_level: true, waivable: true,
            summary: "A risk above appetite has no treatment",
            explain: "Risks scored above the organisation's `risk_appetite` (likelihood × impact) must be treated (6.1.3, 8.3).",
            fix: "Set `treatment:` (mitigate, accept, avoid or transfer) and the `controls` that carry it out.";
        RiskAcceptanceUnapproved = "risk/acceptance-unapproved", Error, caps_level: true, waivable: true,
            summary: "A risk above appetite is accepted without an approver",
            explain: "Accepting a risk above appetite is a decision for a risk owner with the authority to take it (6.1.3 f).",
            fix: "Add `accepted_by: ROLE-ID`.";
        RiskResidualAboveAppetite = "risk/residual-above-appetite", Warning, caps_level: true, waivable: true,
            summary: "A risk's residual score is still above appetite",
            explain: "After treatment the remaining risk should be within appetite, or explicitly accepted.",
            fix: "Strengthen the treatment, or accept the residual risk (`treatment: accept`, `accepted_by`).";
        RiskExcludedControl = "risk/excluded-control", Error, caps_level: true, waivable: true,
            summary: "A risk is treated with a control the organisation excluded",
            explain: "Clause 6.1.3 requires comparing the treatment with Annex A: a treatment that relies on a control the Statement of Applicability excludes is contradictory.",
            fix: "Make the control applicable, or treat the risk with other controls.";
        RiskReviewOverdue = "risk/review-overdue", Warning, caps_level: true, waivable: true,
            summary: "A risk is past its review date",
            explain: "Risk assessments are performed at planned intervals (8.2); `review_by` has passed.",
            fix: "Review the risk and set a new `review_by`.";
        SupplierNoDueDiligence = "supplier/no-due-diligence", Error, caps_level: true, waivable: true,
            summary: "A bought-in system's supplier has no due diligence",
            explain: "A.10.3 expects suppliers of AI systems to be assessed before and while they are used.",
            fix: "Record `due_diligence: {date, evidence}` on the supplier.";
        AuditReviewInputsMissing = "audit/review-inputs-missing", Warning, caps_level: true, waivable: true,
            summary: "A management review records no inputs",
            explain: "Clause 9.3.2 lists what a management review must consider (status of previous actions, changes in issues, AIMS performance, nonconformities, audit results, risks and opportunities…). A review that records none cannot show it considered them.",
            fix: "List what the review considered under `inputs:`, and cite its minutes under `evidence:`.";
        StatementOwnerMissing = "statement/owner-missing", Warning, caps_level: true, waivable: true,
            summary: "A control statement has no owner",
            explain: "Every applicable control needs someone accountable for it (ISO/IEC 42001 5.3 and A.3.2). A statement without `owner` has nobody to keep its evidence current.",
            fix: "Add `owner: ROLE-ID` to the statement, naming a role from `roles:`.";
        StatementUnjustifiedExclusion = "statement/unjustified-exclusion", Error, caps_level: true, waivable: true,
            summary: "A control is excluded without a justification",
            explain: "Clause 6.1.3 requires the Statement of Applicability to justify every excluded Annex A control. `applicable: false` without `justification` is the first thing a Stage 1 auditor flags.",
            fix: "Add `justification: \"…\"` saying why the control does not apply, or remove `applicable: false`.";
        PolicyReviewOverdue = "policy/review-overdue", Error, caps_level: true, waivable: true,
            summary: "A policy is past its review date",
            explain: "Policies are reviewed at planned intervals (A.2.4). The review is due at `approved` plus `review_every` (default 12 months).",
            fix: "Review the policy, record the new approval date in `approved`, and commit the updated document.";
        PolicyUnapproved = "policy/unapproved", Warning, caps_level: true, waivable: true,
            summary: "A policy has no recorded approval",
            explain: "A policy counts once top management has approved it (5.2). Without `approved_by` and `approved`, nothing shows it was.",
            fix: "Add `approved_by: ROLE-ID` and `approved: YYYY-MM-DD`.";
        SystemOwnerMissing = "system/owner-missing", Warning, caps_level: true, waivable: true,
            summary: "An AI system has no owner",
            explain: "Each AI system in scope needs an accountable owner (A.3.2); without one, its risks, impact assessment and monitoring have nobody to answer for them.",
            fix: "Add `owner: ROLE-ID` to the system.";
        RiskOwnerMissing = "risk/owner-missing", Warning, caps_level: true, waivable: true,
            summary: "A risk has no owner",
            explain: "Risk treatment (6.1.3) needs a risk owner who approves the treatment plan and accepts the residual risk.",
            fix: "Add `owner: ROLE-ID` to the risk.";
        NonconformityOverdue = "nonconformity/overdue", Error, caps_level: true, waivable: true,
            summary: "A nonconformity is open past its due date",
            explain: "Corrective action must be taken in time (10.2). A nonconformity with a `due` date in the past and no `closed` date is overdue; it also keeps its controls below `evidenced`.",
            fix: "Finish the corrective action and set `closed:`, or agree a new `due` date and record why.";
        IncidentReportOverdue = "incident/report-overdue", Error, caps_level: true, waivable: true,
            summary: "A serious incident was not reported to the authority in time",
            explain: "A provider of a high-risk system reports a serious incident to the market surveillance authority of the Member State where it occurred (AI Act Art. 73(1)) within 15 days of becoming aware of it (73(2)), 10 days after a death (73(4)), 2 days for a widespread infringement or a serious and irreversible disruption of critical infrastructure (73(3)). Checked for serious incidents of systems whose provider is this organisation, once Art. 73 applies to the system (see `aims classify`), while `reported` is unset; ISO/IEC 42001 A.8.4 asks for the same communication.",
            fix: "Report the incident to the market surveillance authority now (an initial, incomplete report is allowed, Art. 73(5)), then set `reported:` and `authority:`.";
        IncidentUnlinked = "incident/unlinked", Warning, caps_level: true, waivable: true,
            summary: "A serious incident has no nonconformity for its corrective action",
            explain: "A serious incident needs an investigation and corrective action (AI Act Art. 73(6); ISO/IEC 42001 10.2). Without a linked nonconformity nothing records the action, its owner or its due date.",
            fix: "Raise a nonconformity under `nonconformities:` and name it in the incident's `nonconformity:`.";
        WaiverExpired = "waiver/expired", Error, caps_level: true, waivable: false,
            summary: "A waiver has expired",
            explain: "Waivers silence findings only until `expires`. After that the finding is back, and the stale waiver itself is reported so it gets renewed or removed.",
            fix: "Fix what the waiver covered and remove it, or renew it with a new `expires` and a fresh approval.";
        WaiverUnused = "waiver/unused", Warning, caps_level: true, waivable: false,
            summary: "A waiver matches no finding",
            explain: "A waiver that silences nothing is stale, like an unused ignore in cargo-deny: the problem was fixed or the waiver is mistyped.",
            fix: "Remove the waiver, or correct its `rule`, `control` or `system`.";
        DateInFuture = "date/in-future", Error, caps_level: false, waivable: true,
            summary: "A review, approval or record is dated after the as-of day",
            explain: "A `reviewed`, `approved`, `date`, `raised`, `changed` or `closed` after the day judged (`--as-of`, default today) records something that has not happened: a typo (2062 for 2026) or a claim made early. It is an error because the date would otherwise make evidence look current: a review dated in the future counts as no review, so its statement is `implemented`, not `evidenced`.",
            fix: "Write the day it actually happened; if it has not happened yet, remove the date until it has.";
        DraftPlaceholder = "draft/placeholder", Warning, caps_level: true, waivable: true,
            summary: "A value is still a placeholder",
            explain: "`aims init` writes a draft: values it cannot know (the scope, who holds a role) start with `TODO`. Each one left is a fact the AIMS does not state yet; an auditor reads it as missing.",
            fix: "Replace the `TODO` text with the real value.";
        SupplierUnnamed = "supplier/unnamed", Warning, caps_level: true, waivable: true,
            summary: "A deployed system names no supplier",
            explain: "A system with `role: deployer` is bought in or used as a service: someone else provides it. Without `supplier:` naming an entry of `suppliers`, nothing records who that is, and A.10.3 (supplier due diligence) cannot be judged for it.",
            fix: "Add the provider under `suppliers:` and name it with `supplier: ID` on the system (or set `role: provider` if you built it).";
    }
}

/// A configurable rule (a finding's rule) by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RuleId::from_id(id).map(RuleId::rule)
}

/// A rule or a load code by id: what `aims rules ID` explains.
pub fn explain(id: &str) -> Option<&'static Rule> {
    rule(id).or_else(|| super::LoadCode::from_id(id).map(super::LoadCode::rule))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_well_formed() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        for id in &ids {
            let (area, name) = id.split_once('/').expect("area/name");
            assert!(!area.is_empty() && !name.is_empty());
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '/' || c == '-'),
                "{id}"
            );
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
    }

    /// The typed id, its string and its entry agree, in the table's order.
    #[test]
    fn ids_round_trip_through_the_table() {
        assert_eq!(RuleId::ALL.len(), RULES.len());
        for (n, (&id, r)) in RuleId::ALL.iter().zip(RULES).enumerate() {
            assert_eq!(id as usize, n);
            assert_eq!(id.as_str(), r.id);
            assert_eq!(id.rule().id, r.id);
            assert_eq!(r.id.parse::<RuleId>(), Ok(id));
            assert_eq!(rule(r.id).map(|r| r.id), Some(r.id));
        }
        assert!("evidence/Missing".parse::<RuleId>().is_err());
        // Load codes are explained, not configured.
        let yaml = super::super::LoadCode::Yaml.as_str();
        assert!(rule(yaml).is_none());
        assert_eq!(explain(yaml).map(|r| r.id), Some(yaml));
    }

    /// The properties say what the id prefixes used to: evidence findings do
    /// not cap a control's level (nor a date in the future, which the
    /// evidence judgement counts as no review), waiver findings cannot be
    /// waived.
    #[test]
    fn properties_follow_the_areas() {
        for &id in RuleId::ALL {
            let s = id.as_str();
            let judged_as_evidence = s.starts_with("evidence/") || s == "date/in-future";
            assert_eq!(id.caps_level(), !judged_as_evidence, "{s}");
            assert_eq!(id.waivable(), !s.starts_with("waiver/"), "{s}");
        }
    }

    #[test]
    fn json_shows_the_documentation_only() {
        let v = serde_json::to_value(RuleId::EvidenceMissing.rule()).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 5, "{keys:?}");
        assert_eq!(
            serde_json::to_value(RuleId::EvidenceMissing).unwrap(),
            "evidence/missing"
        );
    }
}
