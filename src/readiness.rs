//! Certification readiness (`aims readiness`) and the roadmap (`aims plan`).
//!
//! Readiness answers the question a certification body asks: would Stage 1
//! (the documentation review) and Stage 2 (the implementation audit) pass
//! today? Every item is decided from facts in the inventory together with
//! the `overall` level of the gap analysis, so a claim never counts for more
//! than its evidence shows. The plan turns today's gaps into phases with
//! owners and effort, and projects the Stage 1 and Stage 2 dates.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::assess::{ControlGap, Gap, Level};
use crate::catalog::{Kind, Stage};
use crate::inventory::Project;
use crate::inventory::model::{
    AuditKind, Certification, Date, Duration, DurationUnit, Lifecycle, Policy, Tier,
};

/// Width of every terminal table and wrapped line: readable in a
/// 100-column terminal and in CI logs.
const WIDTH: usize = 100;

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

/// Blockers the terminal view lists before it points at the full list.
const MAX_BLOCKER_LINES: usize = 30;

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

// ---------------------------------------------------------------------------
// Readiness: the judgement.

/// At least `implemented`: what an auditor needs to see working.
fn at_least_implemented(l: Level) -> bool {
    matches!(l, Level::Implemented | Level::Evidenced | Level::Effective)
}

fn find<'a>(gap: &'a Gap, id: &str) -> Option<&'a ControlGap> {
    gap.controls.iter().find(|c| c.id.eq_ignore_ascii_case(id))
}

/// The lowest system of a control, to say where an `overall` level comes from.
fn lowest_system(c: &ControlGap) -> Option<&str> {
    c.systems
        .iter()
        .filter(|(_, l)| **l == c.overall)
        .map(|(s, _)| s.as_str())
        .next()
}

/// Why a control sits at its overall level, in a few words, or `None` when
/// the level says it all.
fn level_detail(c: &ControlGap) -> Option<String> {
    if c.overall != c.level {
        return lowest_system(c).map(|s| format!("system `{s}`"));
    }
    (c.reason != "partially implemented").then(|| c.reason.clone())
}

/// Judge the levels of an item's clauses: the parts that are fine (for the
/// `why` of a met item), the problems, and the ids that are short.
struct Levels {
    ok: Vec<String>,
    problems: Vec<String>,
    short: Vec<String>,
}

fn judge_levels(gap: &Gap, ids: &[&str]) -> Levels {
    let mut out = Levels {
        ok: Vec::new(),
        problems: Vec::new(),
        short: Vec::new(),
    };
    let prefix = |id: &str| {
        if ids.len() > 1 {
            format!("{id} ")
        } else {
            String::new()
        }
    };
    for id in ids {
        let Some(c) = find(gap, id) else {
            out.problems
                .push(format!("{}not in the catalogue", prefix(id)));
            out.short.push((*id).to_string());
            continue;
        };
        if c.overall == Level::NotApplicable {
            // Annex A controls may be excluded; the clauses are mandatory.
            if c.kind == Kind::Clause.as_str() {
                out.problems.push(format!(
                    "{}excluded, but clauses 4 to 10 cannot be excluded",
                    prefix(id)
                ));
                out.short.push(c.id.clone());
            } else {
                out.ok.push(format!("{} excluded", c.id));
            }
        } else if at_least_implemented(c.overall) {
            out.ok.push(format!("{} {}", c.id, c.overall.as_str()));
        } else {
            let detail = level_detail(c)
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            out.problems.push(format!(
                "{}level {}{detail}",
                prefix(id),
                c.overall.as_str()
            ));
            out.short.push(c.id.clone());
        }
    }
    out
}

/// Build an item from a fact check and the levels of its clauses.
fn item(
    gap: &Gap,
    id: &'static str,
    title: &'static str,
    clauses: &[&str],
    fact: Result<String, String>,
    short: &mut BTreeSet<String>,
) -> Item {
    let levels = judge_levels(gap, clauses);
    let met = fact.is_ok() && levels.problems.is_empty();
    let why = if met {
        let mut parts = Vec::new();
        if let Ok(f) = fact {
            parts.push(f);
        }
        parts.push(levels.ok.join(", "));
        parts.retain(|p| !p.is_empty());
        parts.join("; ")
    } else {
        let mut parts = Vec::new();
        if let Err(f) = fact {
            parts.push(f);
        }
        parts.extend(levels.problems);
        parts.join("; ")
    };
    short.extend(levels.short);
    Item {
        id,
        title,
        clauses: clauses.iter().map(|c| (*c).to_string()).collect(),
        met,
        why,
        below: Vec::new(),
    }
}

/// A list of ids for a sentence, cut after a few.
fn some_ids<'a>(ids: impl IntoIterator<Item = &'a str>, max: usize) -> String {
    let all: Vec<&str> = ids.into_iter().collect();
    let mut s = all
        .iter()
        .take(max)
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if all.len() > max {
        s.push_str(&format!(" and {} more", all.len() - max));
    }
    s
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The policy that answers 5.2 and A.2.2 is approved and within its review cycle.
fn policy_fact(project: &Project, as_of: Date) -> Result<String, String> {
    let inv = &project.inventory;
    if inv.policies.is_empty() {
        return Err("no policy in `policies`".into());
    }
    let is_ai_policy = |p: &&Policy| {
        p.controls.iter().any(|c| {
            let id = project
                .catalog
                .get(&c.0)
                .map_or(c.0.as_str(), |k| k.id.as_str());
            id == "5.2" || id == "A.2.2"
        })
    };
    let mut candidates: Vec<_> = inv.policies.iter().filter(is_ai_policy).collect();
    if candidates.is_empty() {
        candidates = inv.policies.iter().collect();
    }
    let due = |p: &Policy| {
        p.approved
            .map(|a| (a, p.review_every.unwrap_or(Duration::months(12)).after(a)))
    };
    if let Some((p, (approved, next))) = candidates
        .iter()
        .filter_map(|p| due(p).map(|d| (*p, d)))
        .filter(|(_, (a, next))| *a <= as_of && *next >= as_of)
        .max_by_key(|(_, (a, _))| *a)
    {
        return Ok(format!(
            "policy `{}` approved {approved}, next review {next}",
            p.id
        ));
    }
    if let Some((p, (approved, next))) = candidates
        .iter()
        .filter_map(|p| due(p).map(|d| (*p, d)))
        .max_by_key(|(_, (a, _))| *a)
    {
        if next < as_of {
            return Err(format!("policy `{}` review overdue since {next}", p.id));
        }
        return Err(format!(
            "policy `{}` has a future approval date ({approved})",
            p.id
        ));
    }
    Err(format!(
        "no approval date on {}",
        some_ids(candidates.iter().map(|p| p.id.as_str()), 3)
    ))
}

/// Every Annex A control has an organisation-level statement: applicable,
/// or excluded with a justification (the Statement of Applicability).
fn soa_fact(project: &Project) -> Result<String, String> {
    let annex: Vec<&str> = project
        .catalog
        .controls
        .iter()
        .filter(|c| c.kind == Kind::AnnexA)
        .map(|c| c.id.as_str())
        .collect();
    let inv = &project.inventory;
    let unstated: Vec<&str> = annex
        .iter()
        .copied()
        .filter(|id| !inv.controls.contains_key(*id))
        .collect();
    let unjustified: Vec<&str> = annex
        .iter()
        .copied()
        .filter(|id| {
            inv.controls.get(*id).is_some_and(|p| {
                p.statement.applicable == Some(false)
                    && p.statement
                        .justification
                        .as_deref()
                        .is_none_or(|j| j.trim().is_empty())
            })
        })
        .collect();
    let mut problems = Vec::new();
    if !unstated.is_empty() {
        problems.push(format!(
            "{} missing from the SoA (no organisation-level statement): {}",
            plural(unstated.len(), "Annex A control", "Annex A controls"),
            some_ids(unstated.iter().copied(), 4)
        ));
    }
    if !unjustified.is_empty() {
        problems.push(format!(
            "excluded without justification: {}",
            some_ids(unjustified.iter().copied(), 4)
        ));
    }
    if problems.is_empty() {
        Ok(format!("all {} Annex A controls in the SoA", annex.len()))
    } else {
        Err(problems.join("; "))
    }
}

/// Every in-scope system that is not retired has an impact assessment.
/// "In scope" follows the `impact/missing` rule: out of the EU AI Act's
/// scope means no assessment is expected.
fn impact_fact(project: &Project, as_of: Date) -> Result<String, String> {
    let inv = &project.inventory;
    let systems: Vec<_> = inv
        .systems
        .iter()
        .filter(|s| s.lifecycle != Lifecycle::Retired)
        .filter(|s| {
            crate::classify::classify(s, &project.catalog.ai_act, as_of).tier != Tier::OutOfScope
        })
        .collect();
    let without: Vec<&str> = systems
        .iter()
        .filter(|s| !inv.assessments_of(&s.id).any(|ia| ia.date <= as_of))
        .map(|s| s.id.as_str())
        .collect();
    if without.is_empty() {
        Ok(match systems.len() {
            0 => "no AI system in scope".into(),
            1 => "the one system in scope is assessed".into(),
            n => format!("all {n} systems in scope assessed"),
        })
    } else {
        Err(format!(
            "no impact assessment for {}",
            some_ids(without.iter().copied(), 4)
        ))
    }
}

fn stage1(project: &Project, gap: &Gap, as_of: Date, short: &mut BTreeSet<String>) -> Vec<Item> {
    let inv = &project.inventory;
    let scope = inv
        .organization
        .as_ref()
        .and_then(|o| o.scope.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let count = |n: usize, what: &str, one: &str, many: &str| {
        if n == 0 {
            Err(format!("no {what}"))
        } else {
            Ok(plural(n, one, many))
        }
    };
    vec![
        item(
            gap,
            "scope",
            "AIMS scope",
            &["4.3"],
            scope
                .map(|_| "scope stated".to_string())
                .ok_or_else(|| "no scope statement (`organization.scope`)".to_string()),
            short,
        ),
        item(
            gap,
            "policy",
            "AI policy",
            &["5.2", "A.2.2"],
            policy_fact(project, as_of),
            short,
        ),
        item(
            gap,
            "roles",
            "Roles and responsibilities",
            &["5.3", "A.3.2"],
            count(inv.roles.len(), "roles in `roles`", "role", "roles"),
            short,
        ),
        item(
            gap,
            "objectives",
            "AI objectives",
            &["6.2"],
            Ok(String::new()),
            short,
        ),
        item(
            gap,
            "risk-assessment",
            "AI risk assessment",
            &["6.1.2", "8.2"],
            count(inv.risks.len(), "risks in the register", "risk", "risks"),
            short,
        ),
        item(
            gap,
            "risk-treatment",
            "Risk treatment and SoA",
            &["6.1.3", "8.3"],
            soa_fact(project),
            short,
        ),
        item(
            gap,
            "impact-assessment",
            "AI system impact assessments",
            &["6.1.4", "8.4"],
            impact_fact(project, as_of),
            short,
        ),
        item(
            gap,
            "competence",
            "Competence records",
            &["7.2"],
            Ok(String::new()),
            short,
        ),
        item(
            gap,
            "documented-information",
            "Control of documented information",
            &["7.5.1", "7.5.2", "7.5.3"],
            Ok(String::new()),
            short,
        ),
    ]
}

/// The latest audit of a kind within the cycle, or why there is none.
fn recent_audit(
    project: &Project,
    kind: AuditKind,
    what: &str,
    as_of: Date,
) -> Result<String, String> {
    let since = AUDIT_CYCLE.before(as_of);
    let latest = project
        .inventory
        .audits
        .iter()
        .filter(|a| a.kind == kind && a.date <= as_of)
        .max_by_key(|a| a.date);
    match latest {
        Some(a) if a.date >= since => {
            let mut s = format!("{what} `{}` on {}", a.id, a.date);
            if kind == AuditKind::ManagementReview {
                s.push_str(&if a.inputs.is_empty() {
                    ", but it records no inputs (9.3.2)".to_string()
                } else {
                    format!(", {} recorded", plural(a.inputs.len(), "input", "inputs"))
                });
            } else if a.scope.is_empty() {
                s.push_str(", whole AIMS");
            } else {
                s.push_str(&format!(
                    ", {} in scope",
                    plural(a.scope.len(), "control", "controls")
                ));
            }
            Ok(s)
        }
        Some(a) => Err(format!(
            "no {what} since {since} (last: `{}` on {})",
            a.id, a.date
        )),
        None => Err(format!("no {what} since {since} (none recorded)")),
    }
}

fn stage2(project: &Project, gap: &Gap, as_of: Date) -> Vec<Item> {
    let applicable: Vec<&ControlGap> = gap
        .controls
        .iter()
        .filter(|c| c.overall != Level::NotApplicable)
        .collect();
    let below: Vec<Below> = applicable
        .iter()
        .filter(|c| !at_least_implemented(c.overall))
        .map(|c| Below {
            id: c.id.clone(),
            title: c.title.clone(),
            level: c.overall,
            owner: c.owner.clone().unwrap_or_else(|| "unassigned".into()),
        })
        .collect();
    let controls_why = if below.is_empty() {
        format!(
            "all {} at least implemented",
            plural(
                applicable.len(),
                "applicable control",
                "applicable controls"
            )
        )
    } else {
        format!(
            "{} of {} applicable controls below implemented: {}",
            below.len(),
            applicable.len(),
            some_ids(below.iter().map(|b| b.id.as_str()), 5)
        )
    };
    let audit = |id, title, clause: &str, kind, what| {
        let r = recent_audit(project, kind, what, as_of);
        Item {
            id,
            title,
            clauses: vec![clause.to_string()],
            met: r.is_ok(),
            why: r.unwrap_or_else(|e| e),
            below: Vec::new(),
        }
    };
    let overdue = overdue_nonconformities(project, as_of);
    let nc_why = match overdue.as_slice() {
        [] => {
            let open = project
                .inventory
                .nonconformities
                .iter()
                .filter(|n| n.raised <= as_of && n.closed.is_none_or(|c| c > as_of))
                .count();
            match open {
                0 => "no open nonconformity".to_string(),
                n => format!(
                    "{} open, none past due",
                    plural(n, "nonconformity", "nonconformities")
                ),
            }
        }
        [one] => one.1.clone(),
        many => format!(
            "{} nonconformities open past their due date: {}",
            many.len(),
            some_ids(many.iter().map(|(id, _)| id.as_str()), 4)
        ),
    };
    vec![
        Item {
            id: "controls",
            title: "Applicable controls implemented",
            clauses: Vec::new(),
            met: below.is_empty(),
            why: controls_why,
            below,
        },
        audit(
            "internal-audit",
            "Internal audit within 12 months",
            "9.2",
            AuditKind::InternalAudit,
            "internal audit",
        ),
        audit(
            "management-review",
            "Management review within 12 months",
            "9.3",
            AuditKind::ManagementReview,
            "management review",
        ),
        Item {
            id: "nonconformities",
            title: "Corrective actions on time",
            clauses: vec!["10.2".into()],
            met: overdue.is_empty(),
            why: nc_why,
            below: Vec::new(),
        },
    ]
}

/// Nonconformities open as of the day and past their due date: (id, sentence).
fn overdue_nonconformities(project: &Project, as_of: Date) -> Vec<(String, String)> {
    project
        .inventory
        .nonconformities
        .iter()
        .filter(|n| n.closed.is_none_or(|c| c > as_of))
        .filter_map(|n| {
            let due = n.due.filter(|d| *d < as_of)?;
            let days = (as_of.0 - due.0).num_days();
            Some((
                n.id.0.clone(),
                format!(
                    "nonconformity `{}` open past its due date {due} ({})",
                    n.id,
                    plural(usize::try_from(days).unwrap_or(0), "day", "days")
                ),
            ))
        })
        .collect()
}

/// Status of a certification audit due on `due`, per the issue: done when
/// an audit of the kind took place within ±3 months of the due date.
fn status(
    project: &Project,
    kinds: &[AuditKind],
    due: Date,
    as_of: Date,
) -> (&'static str, Option<String>) {
    let from = AUDIT_WINDOW.before(due);
    let to = AUDIT_WINDOW.after(due);
    if let Some(a) = project
        .inventory
        .audits
        .iter()
        .filter(|a| kinds.contains(&a.kind) && a.date >= from && a.date <= to && a.date <= as_of)
        .max_by_key(|a| a.date)
    {
        return ("done", Some(a.id.0.clone()));
    }
    let soon = Duration {
        n: DUE_SOON_DAYS,
        unit: DurationUnit::Days,
    }
    .after(as_of);
    let s = if due < as_of {
        "overdue"
    } else if due <= soon {
        "due-soon"
    } else {
        "planned"
    };
    (s, None)
}

fn schedule(project: &Project, as_of: Date) -> (Vec<Scheduled>, Option<String>) {
    let cert = project
        .inventory
        .organization
        .as_ref()
        .and_then(|o| o.certification.as_ref());
    if let Some(certified) = cert.and_then(|c| c.certified) {
        return certified_schedule(project, cert, certified, as_of);
    }
    // Not certified: the Stage 1 and Stage 2 dates, from the certification
    // block or else from audits of those kinds.
    let mut out = Vec::new();
    for (kind, key, title, date) in [
        (
            AuditKind::Stage1,
            "stage1",
            "Stage 1 audit (documentation)",
            cert.and_then(|c| c.stage1),
        ),
        (
            AuditKind::Stage2,
            "stage2",
            "Stage 2 audit (implementation)",
            cert.and_then(|c| c.stage2),
        ),
    ] {
        let date = date.or_else(|| {
            project
                .inventory
                .audits
                .iter()
                .filter(|a| a.kind == kind)
                .map(|a| a.date)
                .max()
        });
        if let Some(due) = date {
            let (status, audit) = status(project, &[kind], due, as_of);
            out.push(Scheduled {
                kind: key,
                title: title.into(),
                due,
                start_by: None,
                status,
                audit,
            });
        }
    }
    let note = if out.is_empty() {
        "Not certified, and no Stage 1 or Stage 2 date recorded: set \
         `organization.certification.stage1` and `stage2` once the certification body proposes them."
            .to_string()
    } else {
        "Not certified yet: the Stage 1 and Stage 2 audits as planned.".to_string()
    };
    (out, Some(note))
}

fn certified_schedule(
    project: &Project,
    cert: Option<&Certification>,
    certified: Date,
    as_of: Date,
) -> (Vec<Scheduled>, Option<String>) {
    let mut out = Vec::new();
    for (n, months) in [(1, 12), (2, 24)] {
        let due = Duration::months(months).after(certified);
        let (status, audit) = status(project, &[AuditKind::Surveillance], due, as_of);
        out.push(Scheduled {
            kind: "surveillance",
            title: format!("Surveillance audit {n}"),
            due,
            start_by: None,
            status,
            audit,
        });
    }
    let recorded = cert.and_then(|c| c.expires);
    let expires = recorded.unwrap_or_else(|| CERT_LIFE.after(certified));
    let (status, audit) = status(project, &[AuditKind::Recertification], expires, as_of);
    out.push(Scheduled {
        kind: "recertification",
        title: "Recertification audit".into(),
        due: expires,
        start_by: Some(RECERT_LEAD.before(expires)),
        status,
        audit,
    });
    let note = recorded.is_none().then(|| {
        format!(
            "`organization.certification.expires` is not recorded; assumed 3 years after certification ({expires})."
        )
    });
    (out, note)
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

// ---------------------------------------------------------------------------
// Readiness: rendering.

fn new_table(header: &[&str]) -> crate::term::Table {
    crate::term::Table::with_width(header, WIDTH as u16)
}

/// Wrap text to the terminal width, breaking words that cannot fit. The
/// text is escaped for the terminal first, so the escapes are measured.
fn wrap(text: &str, first: &str, rest: &str) -> String {
    let text = crate::escape::term_line(text);
    let mut lines: Vec<String> = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        let room = WIDTH.saturating_sub(rest.chars().count()).max(10);
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let used = line.chars().count();
            let need = word.len() + usize::from(!empty);
            if used + need <= WIDTH {
                if !empty {
                    line.push(' ');
                }
                line.extend(word.iter());
                empty = false;
                break;
            }
            if empty && word.len() > room {
                // A word longer than a line: cut it.
                let fit = WIDTH.saturating_sub(used).max(1);
                let tail = word.split_off(fit.min(word.len()));
                line.extend(word.iter());
                word = tail;
                lines.push(std::mem::replace(&mut line, rest.to_string()));
                if word.is_empty() {
                    break;
                }
                continue;
            }
            lines.push(std::mem::replace(&mut line, rest.to_string()));
            empty = true;
        }
    }
    lines.push(line);
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

fn met_word(met: bool) -> &'static str {
    if met { "yes" } else { "NO" }
}

fn stage_heading(name: &str, s: &StageCheck) -> String {
    let met = s.items.iter().filter(|i| i.met).count();
    format!(
        "{name}: {} ({met} of {} items met)",
        if s.met { "met" } else { "not met" },
        s.items.len()
    )
}

fn clauses_text(i: &Item) -> String {
    if i.clauses.is_empty() {
        "all".into()
    } else {
        i.clauses.join(", ")
    }
}

fn status_note(s: &Scheduled, as_of: Date) -> String {
    match (s.status, &s.audit) {
        ("done", Some(a)) => format!("done in `{a}`"),
        ("overdue", _) => format!(
            "{} overdue",
            plural(
                usize::try_from((as_of.0 - s.due.0).num_days()).unwrap_or(0),
                "day",
                "days"
            )
        ),
        ("done", None) => String::new(),
        _ => {
            let days = usize::try_from((s.due.0 - as_of.0).num_days()).unwrap_or(0);
            let mut note = format!("in {}", plural(days, "day", "days"));
            if let Some(d) = s.start_by {
                note.push_str(&format!("; start preparing by {d}"));
            }
            note
        }
    }
}

fn certification_line(r: &Readiness) -> Option<String> {
    let c = r.certification.as_ref()?;
    let mut parts = Vec::new();
    if let Some(d) = c.certified {
        parts.push(format!("certified {d}"));
    }
    if let Some(d) = c.expires {
        parts.push(format!("expires {d}"));
    }
    if c.certified.is_none() {
        if let Some(d) = c.stage1 {
            parts.push(format!("Stage 1 {d}"));
        }
        if let Some(d) = c.stage2 {
            parts.push(format!("Stage 2 {d}"));
        }
    }
    let body = c.body.clone().unwrap_or_else(|| "body not recorded".into());
    Some(if parts.is_empty() {
        body
    } else {
        format!("{body}: {}", parts.join(", "))
    })
}

fn headline(r: &Readiness) -> String {
    if r.ready {
        format!(
            "Certification readiness as of {}: READY (both stages met)",
            r.as_of
        )
    } else {
        format!(
            "Certification readiness as of {}: NOT READY ({})",
            r.as_of,
            plural(r.blockers.len(), "blocker", "blockers")
        )
    }
}

/// The terminal view: both stages as tables, the blockers, the schedule.
pub fn readiness_table(r: &Readiness) -> String {
    let mut s = String::new();
    if !r.title.is_empty() {
        s.push_str(&wrap(&r.title, "", ""));
    }
    s.push_str(&wrap(&headline(r), "", ""));
    for (name, stage) in [
        ("Stage 1, documentation review", &r.stage1),
        ("Stage 2, implementation audit", &r.stage2),
    ] {
        s.push('\n');
        s.push_str(&wrap(&stage_heading(name, stage), "", ""));
        let mut t = new_table(&["Met", "Item", "Clauses", "Why"]);
        for i in &stage.items {
            t.row(vec![
                met_word(i.met).to_string(),
                i.title.to_string(),
                clauses_text(i),
                i.why.clone(),
            ]);
        }
        s.push_str(&format!("{t}\n"));
    }
    s.push('\n');
    if r.blockers.is_empty() {
        s.push_str("No blockers.\n");
    } else {
        s.push_str(&format!("Blockers ({}):\n", r.blockers.len()));
        for b in r.blockers.iter().take(MAX_BLOCKER_LINES) {
            s.push_str(&wrap(b, "  - ", "    "));
        }
        if r.blockers.len() > MAX_BLOCKER_LINES {
            s.push_str(&wrap(
                &format!(
                    "… and {} more; `--format markdown` or `--format json` lists them all.",
                    r.blockers.len() - MAX_BLOCKER_LINES
                ),
                "  ",
                "  ",
            ));
        }
    }
    s.push('\n');
    match certification_line(r) {
        Some(c) => s.push_str(&wrap(&format!("Certification: {c}"), "", "  ")),
        None => s.push_str("Certification: none recorded\n"),
    }
    if !r.schedule.is_empty() {
        let mut t = new_table(&["Audit", "Due", "Status", "Note"]);
        for e in &r.schedule {
            t.row(vec![
                e.title.clone(),
                e.due.to_string(),
                e.status.to_string(),
                status_note(e, r.as_of),
            ]);
        }
        s.push_str(&format!("{t}\n"));
    }
    if let Some(n) = &r.schedule_note {
        s.push_str(&wrap(n, "", ""));
    }
    s
}

/// Composed text (messages that quote ids in backticks) in Markdown: see
/// [`crate::escape::md_spans`].
fn cell(s: &str) -> String {
    crate::escape::md_spans(s)
}

/// User text (titles, ids) in Markdown: see [`crate::escape::md`].
fn md_text(s: &str) -> String {
    crate::escape::md(s)
}

/// The Markdown view, for a pull request comment or a wiki page.
pub fn readiness_markdown(r: &Readiness) -> String {
    let mut s = String::new();
    if r.title.is_empty() {
        s.push_str("# Certification readiness\n\n");
    } else {
        s.push_str(&format!(
            "# Certification readiness: {}\n\n",
            md_text(&r.title)
        ));
    }
    s.push_str(&if r.ready {
        format!("As of {}: **ready**, both stages met.\n", r.as_of)
    } else {
        format!(
            "As of {}: **not ready**, {}.\n",
            r.as_of,
            plural(r.blockers.len(), "blocker", "blockers")
        )
    });
    for (name, stage) in [
        ("Stage 1: documentation review", &r.stage1),
        ("Stage 2: implementation audit", &r.stage2),
    ] {
        let met = stage.items.iter().filter(|i| i.met).count();
        s.push_str(&format!(
            "\n## {name} ({})\n\n{met} of {} items met.\n\n",
            if stage.met { "met" } else { "not met" },
            stage.items.len()
        ));
        s.push_str("| Item | Clauses | Met | Why |\n|---|---|:-:|---|\n");
        for i in &stage.items {
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                i.title,
                clauses_text(i),
                if i.met { "✅" } else { "❌" },
                cell(&i.why)
            ));
        }
        for i in stage.items.iter().filter(|i| !i.below.is_empty()) {
            s.push_str(&format!(
                "\n### Controls below `implemented` ({})\n\n| Control | Title | Level | Owner |\n|---|---|---|---|\n",
                i.below.len()
            ));
            for b in &i.below {
                s.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    md_text(&b.id),
                    md_text(&b.title),
                    b.level.as_str(),
                    cell(&b.owner)
                ));
            }
        }
    }
    s.push_str("\n## Blockers\n\n");
    if r.blockers.is_empty() {
        s.push_str("None.\n");
    }
    for (n, b) in r.blockers.iter().enumerate() {
        s.push_str(&format!("{}. {}\n", n + 1, cell(b)));
    }
    s.push_str("\n## Certification\n\n");
    match certification_line(r) {
        Some(c) => s.push_str(&format!("{}\n", cell(&c))),
        None => s.push_str("None recorded.\n"),
    }
    if !r.schedule.is_empty() {
        s.push_str("\n| Audit | Due | Status | Note |\n|---|---|---|---|\n");
        for e in &r.schedule {
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                md_text(&e.title),
                e.due,
                e.status,
                cell(&status_note(e, r.as_of))
            ));
        }
    }
    if let Some(n) = &r.schedule_note {
        s.push_str(&format!("\n{}\n", cell(n)));
    }
    s
}

// ---------------------------------------------------------------------------
// The plan.

/// The result of `aims plan`.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub as_of: Date,
    pub title: String,
    pub score: f64,
    pub counts: BTreeMap<&'static str, usize>,
    /// Controls short of `evidenced` (not-applicable aside).
    pub short: usize,
    pub phases: Vec<Phase>,
    /// Weeks of work, all phases.
    pub weeks: u32,
    /// Calendar weeks from the day of the plan to the end of phase 5.
    pub duration_weeks: u32,
    pub stage1_week: u32,
    pub stage1: Date,
    pub stage2_week: u32,
    pub stage2: Date,
    pub certification: Option<CertificationFacts>,
    /// The next audit of the certification cycle not yet done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_audit: Option<Scheduled>,
    pub owners: Vec<OwnerLoad>,
    pub assumptions: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    pub phase: u8,
    pub title: &'static str,
    /// Which clauses and Annex A groups belong here.
    pub covers: &'static str,
    pub controls: Vec<PlanItem>,
    pub tasks: Vec<Task>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Weeks of work: the sum of the controls' and tasks' weeks.
    pub weeks: u32,
    pub workstreams: u32,
    /// Calendar weeks: `weeks` shared over the workstreams, rounded up.
    pub duration_weeks: u32,
    /// Weeks after the day of the plan when the phase starts and ends.
    pub start_week: u32,
    pub end_week: u32,
    pub start: Date,
    pub end: Date,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanItem {
    pub id: String,
    pub title: String,
    pub level: Level,
    pub owner: String,
    /// `documentation` (looked at in Stage 1) or `operation`.
    pub stage: &'static str,
    /// The catalogue's estimate for the whole control.
    pub effort_weeks: u8,
    /// What is left of it at this level.
    pub weeks: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub title: String,
    pub weeks: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct OwnerLoad {
    pub owner: String,
    pub controls: usize,
    pub weeks: u32,
}

const PHASES: [(&str, &str); 5] = [
    ("Gap assessment", "scope and baseline"),
    ("AI policy and governance", "clauses 4, 5, 7; A.2, A.3"),
    (
        "Risk and impact assessment",
        "clauses 6.1, 6.2, 6.3, 8.2, 8.3, 8.4; A.5",
    ),
    (
        "Implementing controls",
        "clause 8.1; A.4, A.6, A.7, A.8, A.9, A.10; custom controls",
    ),
    ("Audit and certification", "clauses 9, 10"),
];

/// The phase (2–5) a control belongs to, by clause or Annex A group.
fn phase_of(c: &ControlGap) -> usize {
    let kind = c.kind;
    let group = c.group.as_str();
    if kind == Kind::Clause.as_str() {
        match group {
            "4" | "5" | "7" => 2,
            "6" => 3,
            "8" if c.id == "8.1" => 4,
            "8" => 3,
            "9" | "10" => 5,
            _ => 4,
        }
    } else if kind == Kind::AnnexA.as_str() {
        match group {
            "A.2" | "A.3" => 2,
            "A.5" => 3,
            _ => 4,
        }
    } else {
        4
    }
}

/// What is left of a control's effort at its level: missing 100%, partial
/// 60%, implemented 25%, rounded up, at least a week.
pub fn remaining_weeks(effort: u8, level: Level) -> u32 {
    let pct: u32 = match level {
        Level::Missing => 100,
        Level::Partial => 60,
        Level::Implemented => 25,
        _ => return 0,
    };
    (u32::from(effort) * pct).div_ceil(100).max(1)
}

fn weeks_after(as_of: Date, weeks: u32) -> Date {
    Duration {
        n: weeks,
        unit: DurationUnit::Weeks,
    }
    .after(as_of)
}

/// Build the roadmap from today's gaps.
pub fn plan(project: &Project, gap: &Gap, as_of: Date) -> Plan {
    let mut buckets: [Vec<PlanItem>; 5] = Default::default();
    for c in &gap.controls {
        if !matches!(
            c.overall,
            Level::Missing | Level::Partial | Level::Implemented
        ) {
            continue;
        }
        let meta = project.catalog.get(&c.id);
        let effort = meta.map_or(2, |m| m.effort_weeks);
        let stage = match meta.map(|m| m.stage) {
            Some(Stage::Documentation) => "documentation",
            _ => "operation",
        };
        let n = phase_of(c);
        if let Some(b) = buckets.get_mut(n - 1) {
            b.push(PlanItem {
                id: c.id.clone(),
                title: c.title.clone(),
                level: c.overall,
                owner: c.owner.clone().unwrap_or_else(|| "unassigned".into()),
                stage,
                effort_weeks: effort,
                weeks: remaining_weeks(effort, c.overall),
            });
        }
    }
    let short: usize = buckets.iter().map(Vec::len).sum();
    let scope = project
        .inventory
        .organization
        .as_ref()
        .and_then(|o| o.scope.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let counts = &gap.summary.counts;
    let count = |k: &str| counts.get(k).copied().unwrap_or(0);
    let mut notes = vec![
        format!(
            "Score {:.1}/100 over {} controls: {} effective, {} evidenced, {} implemented, {} partial, {} missing, {} not applicable.",
            gap.summary.score,
            gap.summary.controls,
            count("effective"),
            count("evidenced"),
            count("implemented"),
            count("partial"),
            count("missing"),
            count("not-applicable"),
        ),
        format!(
            "{} short of `evidenced`; the phases below list each once.",
            plural(short, "control is", "controls are")
        ),
    ];
    notes.push(match scope {
        Some(_) => "Confirm the AIMS scope (4.3) with top management: its boundaries, the AI systems inside it and the interfaces with what is outside.".into(),
        None => "Write the AIMS scope (4.3) in `organization.scope`: nothing can be audited until its boundaries are agreed.".into(),
    });
    let systems = project
        .inventory
        .systems
        .iter()
        .filter(|s| s.lifecycle != Lifecycle::Retired)
        .count();
    notes.push(format!(
        "Confirm the AI system inventory is complete ({} in use or in development).",
        plural(systems, "system", "systems")
    ));

    let certified = project
        .inventory
        .organization
        .as_ref()
        .and_then(|o| o.certification.as_ref())
        .is_some_and(|c| c.certified.is_some());
    let mut phases = Vec::new();
    let mut week = 0u32;
    let mut doc_weeks = [0u32; 5];
    for (i, items) in buckets.into_iter().enumerate() {
        let (title, covers) = PHASES.get(i).copied().unwrap_or(("", ""));
        let mut tasks = Vec::new();
        if i == 0 {
            tasks.push(Task {
                title: "Confirm the scope and this baseline with top management".into(),
                weeks: 1,
            });
        }
        // Before a first Stage 2, one internal audit and one management
        // review must have looked at the controls as now implemented.
        let has = |id: &str| items.iter().any(|c| c.id == id);
        if i == 4 && !certified {
            if !has("9.2") {
                tasks.push(Task {
                    title: "Internal audit of the whole AIMS, once phase 4 is done (9.2)".into(),
                    weeks: 1,
                });
            }
            if !has("9.3") {
                tasks.push(Task {
                    title: "Management review of the audit results and readiness (9.3)".into(),
                    weeks: 1,
                });
            }
        }
        if let Some(d) = doc_weeks.get_mut(i) {
            *d = items
                .iter()
                .filter(|c| c.stage == "documentation")
                .map(|c| c.weeks)
                .sum();
        }
        let weeks: u32 =
            items.iter().map(|c| c.weeks).sum::<u32>() + tasks.iter().map(|t| t.weeks).sum::<u32>();
        let workstreams = if i == 3 { PHASE4_WORKSTREAMS } else { 1 };
        let duration = weeks.div_ceil(workstreams);
        let start_week = week;
        week += duration;
        phases.push(Phase {
            phase: u8::try_from(i + 1).unwrap_or(u8::MAX),
            title,
            covers,
            controls: items,
            tasks,
            notes: if i == 0 {
                std::mem::take(&mut notes)
            } else {
                Vec::new()
            },
            weeks,
            workstreams,
            duration_weeks: duration,
            start_week,
            end_week: week,
            start: weeks_after(as_of, start_week),
            end: weeks_after(as_of, week),
        });
    }
    let end_of = |n: usize| phases.get(n - 1).map_or(0, |p| p.end_week);
    // Stage 1 looks at documents: it can take place once phases 1–3 are done
    // and the documentation controls of phase 4 (done first) are written.
    let stage1_week = if doc_weeks[4] > 0 {
        end_of(4) + doc_weeks[4]
    } else {
        end_of(3) + doc_weeks[3].div_ceil(PHASE4_WORKSTREAMS)
    };
    let stage2_week = end_of(5).max(stage1_week + STAGE_GAP_WEEKS);
    let mut owners: BTreeMap<String, (usize, u32)> = BTreeMap::new();
    for c in phases.iter().flat_map(|p| &p.controls) {
        let e = owners.entry(c.owner.clone()).or_default();
        e.0 += 1;
        e.1 += c.weeks;
    }
    let mut owners: Vec<OwnerLoad> = owners
        .into_iter()
        .map(|(owner, (controls, weeks))| OwnerLoad {
            owner,
            controls,
            weeks,
        })
        .collect();
    owners.sort_by(|a, b| b.weeks.cmp(&a.weeks).then_with(|| a.owner.cmp(&b.owner)));
    let r = schedule(project, as_of);
    let next_audit = r.0.into_iter().find(|s| s.status != "done");
    let certification = certification_facts(project);
    Plan {
        as_of,
        title: project.title(),
        score: gap.summary.score,
        counts: gap.summary.counts.clone(),
        short,
        weeks: phases.iter().map(|p| p.weeks).sum(),
        duration_weeks: week,
        phases,
        stage1_week,
        stage1: weeks_after(as_of, stage1_week),
        stage2_week,
        stage2: weeks_after(as_of, stage2_week),
        certification,
        next_audit,
        owners,
        assumptions: vec![
            "Weeks per control come from the catalogue's `effort_weeks`, scaled by what is left: missing 100%, partial 60%, implemented 25%, rounded up, at least 1 week.".into(),
            "Phases run one after another; phase 4 runs two workstreams in parallel, the others one.".into(),
            "Until certified, phase 5 includes an internal audit and a management review of the AIMS as implemented (1 week each), unless 9.2 or 9.3 is itself listed.".into(),
            "Stage 1 can take place once phases 1 to 3 and the documentation controls of phase 4 (done first) are complete.".into(),
            format!("Stage 2 follows the end of phase 5, and at least {STAGE_GAP_WEEKS} weeks after Stage 1 to close its findings."),
        ],
    }
}

fn certification_facts(project: &Project) -> Option<CertificationFacts> {
    project
        .inventory
        .organization
        .as_ref()
        .and_then(|o| o.certification.as_ref())
        .map(|c| CertificationFacts {
            body: c.body.clone(),
            certified: c.certified,
            expires: c.expires,
            stage1: c.stage1,
            stage2: c.stage2,
        })
}

fn week_range(p: &Phase) -> String {
    if p.duration_weeks == 0 {
        "—".into()
    } else if p.duration_weeks == 1 {
        format!("{}", p.end_week)
    } else {
        format!("{}–{}", p.start_week + 1, p.end_week)
    }
}

/// The roadmap as Markdown: a timeline, then one section per phase.
pub fn plan_markdown(p: &Plan) -> String {
    let mut s = String::new();
    if p.title.is_empty() {
        s.push_str("# Roadmap to ISO/IEC 42001 certification\n\n");
    } else {
        s.push_str(&format!(
            "# Roadmap to ISO/IEC 42001 certification: {}\n\n",
            md_text(&p.title)
        ));
    }
    s.push_str(&format!(
        "As of {}. Score **{:.1}/100**; **{}** short of `evidenced`; **{}** of work over **{}**.\n\n",
        p.as_of,
        p.score,
        plural(p.short, "control", "controls"),
        plural(usize::try_from(p.weeks).unwrap_or(0), "week", "weeks"),
        plural(usize::try_from(p.duration_weeks).unwrap_or(0), "calendar week", "calendar weeks"),
    ));
    let certified = p.certification.as_ref().and_then(|c| c.certified);
    if let Some(c) = certified {
        s.push_str(&format!(
            "Already certified on {c}: the projected dates below are when the remaining gaps would be closed to Stage 1 and Stage 2 standard.{}\n\n",
            p.next_audit
                .as_ref()
                .map(|n| format!(" Next audit: {} due {} ({}).", md_text(&n.title.to_lowercase()), n.due, n.status))
                .unwrap_or_default()
        ));
    }
    s.push_str(&format!(
        "- **Projected Stage 1 audit (documentation): {}** (week {})\n- **Projected Stage 2 audit (implementation): {}** (week {})\n\n",
        p.stage1, p.stage1_week, p.stage2, p.stage2_week
    ));
    s.push_str("## Timeline\n\n| Phase | Controls | Work (weeks) | Duration (weeks) | Weeks | From | To |\n|---|--:|--:|--:|---|---|---|\n");
    for ph in &p.phases {
        s.push_str(&format!(
            "| {}. {} | {} | {} | {} | {} | {} | {} |\n",
            ph.phase,
            ph.title,
            if ph.phase == 1 {
                "—".to_string()
            } else {
                ph.controls.len().to_string()
            },
            ph.weeks,
            ph.duration_weeks,
            week_range(ph),
            ph.start,
            ph.end
        ));
    }
    s.push_str(&format!(
        "| **Total** | **{}** | **{}** | **{}** | | {} | {} |\n",
        p.short,
        p.weeks,
        p.duration_weeks,
        p.as_of,
        weeks_after(p.as_of, p.duration_weeks)
    ));
    for ph in &p.phases {
        s.push_str(&format!(
            "\n## Phase {}: {} ({}{})\n\n",
            ph.phase,
            ph.title,
            plural(usize::try_from(ph.weeks).unwrap_or(0), "week", "weeks"),
            if ph.duration_weeks == 0 {
                String::new()
            } else if ph.workstreams > 1 {
                format!(
                    " in {} workstreams, weeks {}",
                    ph.workstreams,
                    week_range(ph)
                )
            } else if ph.duration_weeks == 1 {
                format!(", week {}", week_range(ph))
            } else {
                format!(", weeks {}", week_range(ph))
            }
        ));
        if ph.phase > 1 {
            s.push_str(&format!("Covers {}.\n\n", ph.covers));
        }
        for n in &ph.notes {
            s.push_str(&format!("- {}\n", cell(n)));
        }
        if ph.phase == 1 {
            for t in &ph.tasks {
                s.push_str(&format!(
                    "- Estimate: {} ({}).\n",
                    plural(usize::try_from(t.weeks).unwrap_or(0), "week", "weeks"),
                    cell(&t.title).to_lowercase()
                ));
            }
            continue;
        }
        if ph.controls.is_empty() && ph.tasks.is_empty() {
            s.push_str("Nothing short in this phase.\n");
            continue;
        }
        s.push_str("| Control | Title | Level | Owner | Weeks |\n|---|---|---|---|--:|\n");
        for c in &ph.controls {
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                md_text(&c.id),
                md_text(&c.title),
                c.level.as_str(),
                cell(&c.owner),
                c.weeks
            ));
        }
        for t in &ph.tasks {
            s.push_str(&format!(
                "| task | {} | | | {} |\n",
                cell(&t.title),
                t.weeks
            ));
        }
        s.push_str(&format!("| | **Total** | | | **{}** |\n", ph.weeks));
    }
    if !p.owners.is_empty() {
        s.push_str("\n## Workload by owner\n\n| Owner | Controls | Weeks |\n|---|--:|--:|\n");
        for o in &p.owners {
            s.push_str(&format!(
                "| {} | {} | {} |\n",
                cell(&o.owner),
                o.controls,
                o.weeks
            ));
        }
    }
    s.push_str("\n## Assumptions\n\n");
    for a in &p.assumptions {
        s.push_str(&format!("- {}\n", cell(a)));
    }
    s
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
    fn wrap_keeps_lines_within_the_width() {
        let long = format!("{} {}", "word ".repeat(60), "x".repeat(250));
        for line in wrap(&long, "  - ", "    ").lines() {
            assert!(line.chars().count() <= WIDTH, "{line}");
        }
        assert_eq!(wrap("short", "", ""), "short\n");
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
