//! Gap analysis: the status ladder for every (control, scope) pair, the
//! score, and the comparison with a baseline.
//!
//! A claim never counts for more than its evidence shows: the level is the
//! lowest the facts support, and an error finding from a non-evidence rule
//! on a control caps that scope at `partial`.

mod baseline;
pub mod classify;
pub mod evidence;
mod judge;
pub mod readiness;
pub mod records;

pub use baseline::{
    BaselineError, BaselineFinding, Comparison, Improvement, Regression, compare, regressions,
};

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

pub use judge::{Assessor, Audited, Basis, Verdict, judged_evidence};

use crate::assess::evidence::Evidence;
use crate::catalog::{AppliesTo, Kind};
use crate::load::Project;
use crate::model::*;
use crate::rules::{self, Finding};

/// The status ladder of the contract, lowest first (`not-applicable` aside).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    NotApplicable,
    Missing,
    Partial,
    Implemented,
    Evidenced,
    Effective,
}

impl Level {
    pub const LADDER: [Level; 6] = [
        Level::Missing,
        Level::Partial,
        Level::Implemented,
        Level::Evidenced,
        Level::Effective,
        Level::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::NotApplicable => "not-applicable",
            Level::Missing => "missing",
            Level::Partial => "partial",
            Level::Implemented => "implemented",
            Level::Evidenced => "evidenced",
            Level::Effective => "effective",
        }
    }

    /// The CSS class reports use for this level.
    pub fn css(self) -> &'static str {
        match self {
            Level::NotApplicable => "na",
            other => other.as_str(),
        }
    }

    /// Weight in the score: evidenced and effective count fully,
    /// implemented half, partial a quarter; not-applicable is excluded.
    pub fn weight(self) -> Option<f64> {
        match self {
            Level::NotApplicable => None,
            Level::Missing => Some(0.0),
            Level::Partial => Some(0.25),
            Level::Implemented => Some(0.5),
            Level::Evidenced | Level::Effective => Some(1.0),
        }
    }

    /// Lower of two levels; `not-applicable` yields to anything.
    fn min_applicable(a: Level, b: Level) -> Level {
        match (a, b) {
            (Level::NotApplicable, x) | (x, Level::NotApplicable) => x,
            (x, y) => x.min(y),
        }
    }
}

/// One control's levels.
#[derive(Debug, Clone, Serialize)]
pub struct ControlGap {
    pub id: String,
    pub title: String,
    pub group: String,
    pub kind: &'static str,
    /// The organisation scope, from the top-level statement.
    pub level: Level,
    /// Each system the control applies to, in natural order of ids.
    pub systems: BTreeMap<Natural, Level>,
    /// The lowest of the above, not-applicable ones aside.
    pub overall: Level,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Why the organisation level is what it is, in a few words.
    pub reason: String,
    /// Why the level of the system the run focused on is what it is
    /// (`aims gap --system` shows it as `reason`).
    #[serde(skip)]
    pub focus_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub score: f64,
    pub controls: usize,
    pub counts: BTreeMap<&'static str, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupSummary {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub score: f64,
    pub counts: BTreeMap<&'static str, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WaiverState {
    pub id: String,
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    pub expires: Date,
    /// active | expired | unused
    pub status: &'static str,
    pub silenced: usize,
    pub reason: String,
}

/// The result of `aims gap`.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub as_of: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    pub summary: Summary,
    pub groups: Vec<GroupSummary>,
    pub controls: Vec<ControlGap>,
    pub findings: Vec<Finding>,
    pub waivers: Vec<WaiverState>,
}

/// Score of a set of levels, 0–100 with one decimal.
pub fn score(levels: impl IntoIterator<Item = Level>) -> f64 {
    let weights: Vec<f64> = levels.into_iter().filter_map(Level::weight).collect();
    if weights.is_empty() {
        return 0.0;
    }
    let s = 100.0 * weights.iter().sum::<f64>() / weights.len() as f64;
    (s * 10.0).round() / 10.0
}

fn counts(levels: impl IntoIterator<Item = Level>) -> BTreeMap<&'static str, usize> {
    let mut m: BTreeMap<&'static str, usize> =
        Level::LADDER.iter().map(|l| (l.as_str(), 0)).collect();
    for l in levels {
        *m.entry(l.as_str()).or_default() += 1;
    }
    m
}

/// Run the rules and judge every catalogue control for the organisation
/// and each system it applies to.
pub fn gap(project: &Project, as_of: Date) -> Gap {
    gap_with(project, as_of, &Evidence::new(&project.evidence_root))
}

/// As [`gap`], with a resolver the caller keeps, so that a report or a pack
/// built from the same run resolves each citation once.
pub fn gap_with(project: &Project, as_of: Date, ev: &Evidence) -> Gap {
    gap_for(project, as_of, ev, None)
}

/// As [`gap_with`], keeping the reasons of one system (its position), for
/// [`Gap::for_system`].
pub fn gap_for(project: &Project, as_of: Date, ev: &Evidence, focus: Option<usize>) -> Gap {
    let findings = rules::run_with(project, as_of, ev);
    let judge = Assessor::new(project, as_of, ev, &findings);
    let inv = &project.inventory;
    let mut controls = Vec::new();
    for (at, control) in project.catalog.controls.iter().enumerate() {
        let org = inv.controls.get(&control.id).map(|p| &p.statement);
        let mut systems = BTreeMap::new();
        let mut reasons = Vec::new();
        for (i, s) in inv.systems.iter().enumerate() {
            if let Some(v) = judge.verdict(at, Some(i)) {
                systems.insert(Natural(s.id.0.clone()), v.level);
                reasons.push((i, v.level, v.reason));
            }
        }
        let (level, reason) = if control.applies_to == AppliesTo::System {
            let v = judge.lowest_of(at, org, &reasons);
            (v.level, v.reason)
        } else {
            judge
                .verdict(at, None)
                .map_or((Level::Missing, "no statement".into()), |v| {
                    (v.level, v.reason)
                })
        };
        let focus_reason = focus
            .and_then(|f| reasons.iter().find(|r| r.0 == f))
            .map(|r| r.2.clone());
        let overall = systems
            .values()
            .fold(level, |acc, l| Level::min_applicable(acc, *l));
        controls.push(ControlGap {
            id: control.id.clone(),
            title: control.title.clone(),
            group: control.group.clone(),
            kind: control.kind.as_str(),
            level,
            systems,
            overall,
            owner: org.and_then(|s| s.owner.as_ref()).map(|o| o.0.clone()),
            reason,
            focus_reason,
        });
    }
    let waivers = waiver_states(&inv.waivers, &findings, as_of);
    build(project, as_of, controls, findings, waivers, None)
}

fn waiver_states(waivers: &[Waiver], findings: &[Finding], as_of: Date) -> Vec<WaiverState> {
    let mut silenced_by: HashMap<&str, usize> = HashMap::new();
    for f in findings {
        if let Some(w) = &f.waived_by {
            *silenced_by.entry(w.as_str()).or_default() += 1;
        }
    }
    waivers
        .iter()
        .map(|w| {
            let silenced = silenced_by.get(w.id.as_str()).copied().unwrap_or(0);
            WaiverState {
                id: w.id.0.clone(),
                rule: w.rule.clone(),
                control: w.control.as_ref().map(|c| c.0.clone()),
                system: w.system.as_ref().map(|s| s.0.clone()),
                expires: w.expires,
                status: if w.expires < as_of {
                    "expired"
                } else if silenced == 0 {
                    "unused"
                } else {
                    "active"
                },
                silenced,
                reason: w.reason.clone(),
            }
        })
        .collect()
}

fn build(
    project: &Project,
    as_of: Date,
    controls: Vec<ControlGap>,
    findings: Vec<Finding>,
    waivers: Vec<WaiverState>,
    system: Option<String>,
) -> Gap {
    let summary = Summary {
        score: score(controls.iter().map(|c| c.overall)),
        controls: controls.len(),
        counts: counts(controls.iter().map(|c| c.overall)),
    };
    let groups = project
        .catalog
        .groups
        .iter()
        .filter_map(|g| {
            let levels: Vec<Level> = controls
                .iter()
                .filter(|c| c.group == g.id)
                .map(|c| c.overall)
                .collect();
            (!levels.is_empty()).then(|| GroupSummary {
                id: g.id.clone(),
                title: g.title.clone(),
                kind: g.kind.as_str(),
                score: score(levels.iter().copied()),
                counts: counts(levels),
            })
        })
        .collect();
    Gap {
        as_of,
        system,
        summary,
        groups,
        controls,
        findings,
        waivers,
    }
}

impl Gap {
    /// Narrow to one system: the controls that apply to it, at its level.
    pub fn for_system(self, project: &Project, id: &str) -> Option<Gap> {
        let sys = project
            .inventory
            .systems
            .iter()
            .find(|s| s.id.0.eq_ignore_ascii_case(id))?;
        let key = sys.id.0.clone();
        let controls: Vec<ControlGap> = self
            .controls
            .into_iter()
            .filter_map(|mut c| {
                let l = *c.systems.get(&Natural(key.clone()))?;
                c.level = l;
                c.overall = l;
                if let Some(r) = c.focus_reason.take() {
                    c.reason = r;
                }
                c.systems.retain(|k, _| k.0 == key);
                Some(c)
            })
            .collect();
        let findings = self
            .findings
            .into_iter()
            .filter(|f| f.system.as_deref() == Some(key.as_str()))
            .collect();
        Some(build(
            project,
            self.as_of,
            controls,
            findings,
            self.waivers,
            Some(key),
        ))
    }

    pub fn annex_a(&self) -> impl Iterator<Item = &ControlGap> {
        self.controls
            .iter()
            .filter(|c| c.kind == Kind::AnnexA.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_weights_follow_the_readme() {
        assert_eq!(score([Level::Evidenced, Level::Effective]), 100.0);
        assert_eq!(score([Level::Implemented, Level::Missing]), 25.0);
        assert_eq!(score([Level::Partial, Level::NotApplicable]), 25.0);
        assert_eq!(score([Level::NotApplicable]), 0.0);
        assert_eq!(
            score([Level::Evidenced, Level::Implemented, Level::Partial]),
            58.3
        );
    }

    #[test]
    fn not_applicable_yields_in_overall() {
        assert_eq!(
            Level::min_applicable(Level::NotApplicable, Level::Partial),
            Level::Partial
        );
        assert_eq!(
            Level::min_applicable(Level::Evidenced, Level::Implemented),
            Level::Implemented
        );
        assert_eq!(
            Level::min_applicable(Level::NotApplicable, Level::NotApplicable),
            Level::NotApplicable
        );
    }
}
