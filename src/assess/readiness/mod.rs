//! Certification readiness (`aims readiness`) and the roadmap (`aims plan`).
//!
//! Readiness answers the question a certification body asks: would Stage 1
//! (the documentation review) and Stage 2 (the implementation audit) pass
//! today? Every item is decided from facts in the inventory together with
//! the `overall` level of the gap analysis, so a claim never counts for more
//! than its evidence shows. The plan turns today's gaps into phases with
//! owners and effort, and projects the Stage 1 and Stage 2 dates.

mod calendar;
mod checklists;
mod checks;
mod plan;

use calendar::*;
use checklists::*;
use checks::*;
pub use plan::*;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::assess::{ControlGap, Gap, Level};
use crate::catalog::{Kind, Stage};
use crate::load::Project;
use crate::model::{
    AuditKind, Certification, Date, Duration, DurationUnit, Lifecycle, Policy, Tier,
};

/// How long an internal audit or a management review counts (clause 9.2, 9.3).
const AUDIT_CYCLE: Duration = Duration::months(12);

/// How far a certification audit may be from its due date and still count.
const AUDIT_WINDOW: Duration = Duration::months(3);

/// "Due soon" horizon for the schedule.
const DUE_SOON_DAYS: u32 = 90;

/// When to start preparing a recertification, before the certificate expires.
const RECERT_LEAD: Duration = Duration::months(6);

/// A certificate's life when `expires` is not recorded (ISO/IEC 17021-1: three years).
const CERT_LIFE: Duration = Duration::months(36);

/// Time between Stage 1 and Stage 2 the plan keeps at least, for the Stage 1
/// report and closing its findings.
const STAGE_GAP_WEEKS: u32 = 4;

/// Phase 4 runs two workstreams in parallel.
const PHASE4_WORKSTREAMS: u32 = 2;

// ---------------------------------------------------------------------------
// Readiness: the data.

/// The result of `aims readiness`.
#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    pub as_of: Date,
    pub title: String,
    /// Both stages met: nothing stands between the AIMS and certification.
    pub ready: bool,
    pub stage1: StageCheck,
    pub stage2: StageCheck,
    /// Every unmet item, named by clause or control, in stage order.
    pub blockers: Vec<String>,
    pub certification: Option<CertificationFacts>,
    /// The certification cycle (surveillance, recertification), or the
    /// planned Stage 1 and Stage 2 audits when not yet certified.
    pub schedule: Vec<Scheduled>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_note: Option<String>,
}

/// One certification stage.
#[derive(Debug, Clone, Serialize)]
pub struct StageCheck {
    pub met: bool,
    pub items: Vec<Item>,
}

/// One thing an auditor checks, met or not, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: &'static str,
    pub title: &'static str,
    pub clauses: Vec<String>,
    pub met: bool,
    pub why: String,
    /// For the controls item: the applicable controls below `implemented`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub below: Vec<Below>,
}

/// An applicable control below `implemented`.
#[derive(Debug, Clone, Serialize)]
pub struct Below {
    pub id: String,
    pub title: String,
    pub level: Level,
    pub owner: String,
}

/// `organization.certification`, as recorded.
#[derive(Debug, Clone, Serialize)]
pub struct CertificationFacts {
    pub body: Option<String>,
    pub certified: Option<Date>,
    pub expires: Option<Date>,
    pub stage1: Option<Date>,
    pub stage2: Option<Date>,
}

/// One audit of the certification cycle.
#[derive(Debug, Clone, Serialize)]
pub struct Scheduled {
    /// `surveillance`, `recertification`, `stage1` or `stage2`.
    pub kind: &'static str,
    pub title: String,
    pub due: Date,
    /// When to start preparing (recertification only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_by: Option<Date>,
    /// `done`, `overdue`, `due-soon` or `planned`.
    pub status: &'static str,
    /// The audit that did it, when done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<String>,
}

/// Judge both stages as of one day.
pub fn readiness(project: &Project, gap: &Gap, as_of: Date) -> Readiness {
    let mut short = BTreeSet::new();
    let s1 = stage1(project, gap, as_of, &mut short);
    let s2 = stage2(project, gap, as_of);
    let mut blockers = Vec::new();
    for i in s1.iter().filter(|i| !i.met) {
        blockers.push(format!("{} {}: {}", i.clauses.join("/"), i.title, i.why));
    }
    for i in s2.iter().filter(|i| !i.met) {
        match i.id {
            // One blocker per control, unless a Stage 1 blocker already names it.
            "controls" => {
                blockers.extend(i.below.iter().filter(|b| !short.contains(&b.id)).map(|b| {
                    format!(
                        "{} below implemented ({}): {}",
                        b.id,
                        b.level.as_str(),
                        b.title
                    )
                }))
            }
            "nonconformities" => blockers.extend(
                overdue_nonconformities(project, as_of)
                    .into_iter()
                    .map(|(_, s)| format!("10.2 {s}")),
            ),
            _ => blockers.push(format!("{} {}", i.clauses.join("/"), i.why)),
        }
    }
    let certification = certification_facts(project);
    let (schedule, schedule_note) = schedule(project, as_of);
    let stage1 = StageCheck {
        met: s1.iter().all(|i| i.met),
        items: s1,
    };
    let stage2 = StageCheck {
        met: s2.iter().all(|i| i.met),
        items: s2,
    };
    Readiness {
        as_of,
        title: project.title(),
        ready: stage1.met && stage2.met,
        stage1,
        stage2,
        blockers,
        certification,
        schedule,
        schedule_note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remaining_weeks_scale_by_level() {
        assert_eq!(remaining_weeks(3, Level::Missing), 3);
        assert_eq!(remaining_weeks(3, Level::Partial), 2); // 1.8 rounded up
        assert_eq!(remaining_weeks(3, Level::Implemented), 1); // 0.75 rounded up
        assert_eq!(remaining_weeks(2, Level::Partial), 2); // 1.2 rounded up
        assert_eq!(remaining_weeks(0, Level::Missing), 1); // at least a week
        assert_eq!(remaining_weeks(5, Level::Evidenced), 0);
    }

    fn cg(id: &str, group: &str, kind: Kind) -> ControlGap {
        ControlGap {
            id: id.into(),
            title: String::new(),
            group: group.into(),
            kind: kind.as_str(),
            level: Level::Missing,
            systems: BTreeMap::new(),
            overall: Level::Missing,
            owner: None,
            reason: String::new(),
            focus_reason: None,
        }
    }

    #[test]
    fn controls_go_to_the_phase_of_their_clause_or_group() {
        let cases = [
            ("4.3", "4", Kind::Clause, 2),
            ("7.5.1", "7", Kind::Clause, 2),
            ("A.3.2", "A.3", Kind::AnnexA, 2),
            ("6.1.1", "6", Kind::Clause, 3),
            ("8.3", "8", Kind::Clause, 3),
            ("A.5.2", "A.5", Kind::AnnexA, 3),
            ("8.1", "8", Kind::Clause, 4),
            ("A.10.3", "A.10", Kind::AnnexA, 4),
            ("NB.MRM.1", "NB", Kind::Custom, 4),
            ("9.2", "9", Kind::Clause, 5),
            ("10.2", "10", Kind::Clause, 5),
        ];
        for (id, group, kind, phase) in cases {
            assert_eq!(phase_of(&cg(id, group, kind)), phase, "{id}");
        }
    }

    #[test]
    fn a_clause_cannot_be_excluded_but_annex_a_can() {
        let mut clause = cg("6.2", "6", Kind::Clause);
        clause.overall = Level::NotApplicable;
        let mut annex = cg("A.2.2", "A.2", Kind::AnnexA);
        annex.overall = Level::NotApplicable;
        let gap = Gap {
            as_of: Date::parse("2026-11-24").unwrap(),
            system: None,
            summary: crate::assess::Summary {
                score: 0.0,
                controls: 2,
                counts: BTreeMap::new(),
            },
            groups: Vec::new(),
            controls: vec![clause, annex],
            findings: Vec::new(),
            waivers: Vec::new(),
        };
        let l = judge_levels(&gap, &["6.2", "A.2.2"]);
        assert_eq!(l.short, vec!["6.2".to_string()]);
        assert_eq!(l.ok, vec!["A.2.2 excluded".to_string()]);
    }
}
