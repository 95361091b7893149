//! The Stage 1 and Stage 2 checks: each item decided from the inventory's facts and the gap's levels.

use super::*;

/// At least `implemented`: what an auditor needs to see working.
pub(super) fn at_least_implemented(l: Level) -> bool {
    matches!(l, Level::Implemented | Level::Evidenced | Level::Effective)
}

pub(super) fn find<'a>(gap: &'a Gap, id: &str) -> Option<&'a ControlGap> {
    gap.controls.iter().find(|c| c.id.eq_ignore_ascii_case(id))
}

/// The lowest system of a control, to say where an `overall` level comes from.
pub(super) fn lowest_system(c: &ControlGap) -> Option<&str> {
    c.systems
        .iter()
        .filter(|(_, l)| **l == c.overall)
        .map(|(s, _)| s.as_str())
        .next()
}

/// Why a control sits at its overall level, in a few words, or `None` when
/// the level says it all.
pub(super) fn level_detail(c: &ControlGap) -> Option<String> {
    if c.overall != c.level {
        return lowest_system(c).map(|s| format!("system `{s}`"));
    }
    (c.reason != "partially implemented").then(|| c.reason.clone())
}

/// Judge the levels of an item's clauses: the parts that are fine (for the
/// `why` of a met item), the problems, and the ids that are short.
pub(super) struct Levels {
    pub(super) ok: Vec<String>,
    pub(super) problems: Vec<String>,
    pub(super) short: Vec<String>,
}

pub(super) fn judge_levels(gap: &Gap, ids: &[&str]) -> Levels {
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

/// What a fact check found: met or not, each with the sentence that says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Met; what was found (may be empty).
    Met(String),
    /// Not met; what is missing.
    Unmet(String),
}

impl Verdict {
    pub(super) fn is_met(&self) -> bool {
        matches!(self, Verdict::Met(_))
    }

    pub(super) fn into_sentence(self) -> String {
        match self {
            Verdict::Met(s) | Verdict::Unmet(s) => s,
        }
    }
}

/// Build an item from a fact check and the levels of its clauses.
pub(super) fn item(
    gap: &Gap,
    id: &'static str,
    title: &'static str,
    clauses: &[&str],
    fact: Verdict,
    short: &mut BTreeSet<String>,
) -> Item {
    let levels = judge_levels(gap, clauses);
    let met = fact.is_met() && levels.problems.is_empty();
    let why = if met {
        let mut parts = Vec::new();
        if let Verdict::Met(f) = fact {
            parts.push(f);
        }
        parts.push(levels.ok.join(", "));
        parts.retain(|p| !p.is_empty());
        parts.join("; ")
    } else {
        let mut parts = Vec::new();
        if let Verdict::Unmet(f) = fact {
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
pub(super) fn some_ids<'a>(ids: impl IntoIterator<Item = &'a str>, max: usize) -> String {
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

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The policy that answers 5.2 and A.2.2 is approved and within its review cycle.
pub(super) fn policy_fact(project: &Project, as_of: Date) -> Verdict {
    let inv = &project.inventory;
    if inv.policies.is_empty() {
        return Verdict::Unmet("no policy in `policies`".into());
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
        return Verdict::Met(format!(
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
            return Verdict::Unmet(format!("policy `{}` review overdue since {next}", p.id));
        }
        return Verdict::Unmet(format!(
            "policy `{}` has a future approval date ({approved})",
            p.id
        ));
    }
    Verdict::Unmet(format!(
        "no approval date on {}",
        some_ids(candidates.iter().map(|p| p.id.as_str()), 3)
    ))
}

/// Every Annex A control has an organisation-level statement: applicable,
/// or excluded with a justification (the Statement of Applicability).
pub(super) fn soa_fact(project: &Project) -> Verdict {
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
        Verdict::Met(format!("all {} Annex A controls in the SoA", annex.len()))
    } else {
        Verdict::Unmet(problems.join("; "))
    }
}

/// Every in-scope system that is not retired has an impact assessment.
/// "In scope" follows the `impact/missing` rule: out of the EU AI Act's
/// scope means no assessment is expected.
pub(super) fn impact_fact(project: &Project, as_of: Date) -> Verdict {
    let inv = &project.inventory;
    let systems: Vec<_> = inv
        .systems
        .iter()
        .filter(|s| s.lifecycle != Lifecycle::Retired)
        .filter(|s| {
            crate::assess::classify::classify(s, &project.catalog.ai_act, as_of).tier
                != Tier::OutOfScope
        })
        .collect();
    let without: Vec<&str> = systems
        .iter()
        .filter(|s| !inv.assessments_of(&s.id).any(|ia| ia.date <= as_of))
        .map(|s| s.id.as_str())
        .collect();
    if without.is_empty() {
        Verdict::Met(match systems.len() {
            0 => "no AI system in scope".into(),
            1 => "the one system in scope is assessed".into(),
            n => format!("all {n} systems in scope assessed"),
        })
    } else {
        Verdict::Unmet(format!(
            "no impact assessment for {}",
            some_ids(without.iter().copied(), 4)
        ))
    }
}

/// A fact of Stage 1: what it found, or why it is not met.
fn stage1_fact(fact: Fact, project: &Project, as_of: Date) -> Verdict {
    let inv = &project.inventory;
    let count = |n: usize, what: &str, one: &str, many: &str| {
        if n == 0 {
            Verdict::Unmet(format!("no {what}"))
        } else {
            Verdict::Met(plural(n, one, many))
        }
    };
    match fact {
        Fact::Scope => inv
            .organization
            .as_ref()
            .and_then(|o| o.scope.as_deref())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map_or(
                Verdict::Unmet("no scope statement (`organization.scope`)".to_string()),
                |_| Verdict::Met("scope stated".to_string()),
            ),
        Fact::Policy => policy_fact(project, as_of),
        Fact::Roles => count(inv.roles.len(), "roles in `roles`", "role", "roles"),
        Fact::Risks => count(inv.risks.len(), "risks in the register", "risk", "risks"),
        Fact::Soa => soa_fact(project),
        Fact::Impact => impact_fact(project, as_of),
        Fact::Levels | Fact::Controls | Fact::Audit(..) | Fact::Nonconformities => {
            Verdict::Met(String::new())
        }
    }
}

pub(super) fn stage1(
    project: &Project,
    gap: &Gap,
    as_of: Date,
    short: &mut BTreeSet<String>,
) -> Vec<Item> {
    STAGE1
        .iter()
        .map(|c| {
            let fact = stage1_fact(c.fact, project, as_of);
            item(gap, c.id, c.title, c.clauses, fact, short)
        })
        .collect()
}

/// The latest audit of a kind within the cycle, or why there is none.
pub(super) fn recent_audit(project: &Project, kind: AuditKind, what: &str, as_of: Date) -> Verdict {
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
            Verdict::Met(s)
        }
        Some(a) => Verdict::Unmet(format!(
            "no {what} since {since} (last: `{}` on {})",
            a.id, a.date
        )),
        None => Verdict::Unmet(format!("no {what} since {since} (none recorded)")),
    }
}

pub(super) fn stage2(project: &Project, gap: &Gap, as_of: Date) -> Vec<Item> {
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
    STAGE2
        .iter()
        .map(|c| {
            let clauses = c.clauses.iter().map(|c| (*c).to_string()).collect();
            let (met, why, below) = match c.fact {
                Fact::Controls => (below.is_empty(), controls_why.clone(), below.clone()),
                Fact::Audit(kind, what) => {
                    let v = recent_audit(project, kind, what, as_of);
                    (v.is_met(), v.into_sentence(), Vec::new())
                }
                Fact::Nonconformities => (overdue.is_empty(), nc_why.clone(), Vec::new()),
                _ => (true, String::new(), Vec::new()),
            };
            Item {
                id: c.id,
                title: c.title,
                clauses,
                met,
                why,
                below,
            }
        })
        .collect()
}

/// Nonconformities open as of the day and past their due date: (id, sentence).
pub(super) fn overdue_nonconformities(project: &Project, as_of: Date) -> Vec<(String, String)> {
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
pub(super) fn status(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn checklists_name_unique_items_and_real_clauses() {
        let catalog = Catalog::embedded();
        let mut ids = BTreeSet::new();
        for c in STAGE1.iter().chain(STAGE2) {
            assert!(ids.insert(c.id), "item `{}` twice", c.id);
            for clause in c.clauses {
                assert!(catalog.get(clause).is_some(), "`{clause}` of `{}`", c.id);
            }
        }
        // Stage 1 judges documents and levels, Stage 2 operation: no fact of one in the other.
        assert!(STAGE1.iter().all(|c| !matches!(
            c.fact,
            Fact::Controls | Fact::Audit(..) | Fact::Nonconformities
        )));
        assert!(STAGE2.iter().all(|c| matches!(
            c.fact,
            Fact::Controls | Fact::Audit(..) | Fact::Nonconformities
        )));
    }
}
