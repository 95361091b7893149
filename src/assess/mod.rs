//! Gap analysis: the status ladder for every (control, scope) pair, the
//! score, and the comparison with a baseline.
//!
//! A claim never counts for more than its evidence shows: the level is the
//! lowest the facts support, and an error finding from a non-evidence rule
//! on a control caps that scope at `partial`.

mod baseline;
pub mod classify;
pub mod evidence;
pub mod readiness;

pub use baseline::{BaselineError, Regression, regressions};

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::assess::evidence::{Evidence, Freshness, judge_statement};
use crate::catalog::{Control, Kind};
use crate::diag::Severity;
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
    /// Each system the control applies to.
    pub systems: BTreeMap<String, Level>,
    /// The lowest of the above, not-applicable ones aside.
    pub overall: Level,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Why the organisation level is what it is, in a few words.
    pub reason: String,
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

struct Judge<'a> {
    project: &'a Project,
    ev: &'a Evidence,
    as_of: Date,
    /// (control, system) pairs capped at partial by an error finding.
    capped: HashSet<(&'a str, Option<&'a str>)>,
    /// The audit records, indexed once so that judging a control looks
    /// them up instead of scanning them (which was quadratic in a large
    /// inventory).
    audits: AuditIndex<'a>,
}

/// By lowercase control id: the first nonconformity open on it, and the
/// latest audit within 12 months whose scope names it; and the latest such
/// audit with an empty scope (which covers every control).
#[derive(Default)]
struct AuditIndex<'a> {
    open_nc: HashMap<String, &'a str>,
    latest: HashMap<String, (Date, usize, &'a str)>,
    latest_all: Option<(Date, usize, &'a str)>,
}

impl<'a> AuditIndex<'a> {
    fn new(inv: &'a Inventory, as_of: Date) -> Self {
        let mut ix = AuditIndex::default();
        for n in &inv.nonconformities {
            // Closed on a day still to come is open today.
            if n.closed.is_none_or(|c| c > as_of) && n.raised <= as_of {
                for c in &n.controls {
                    ix.open_nc
                        .entry(c.0.to_ascii_lowercase())
                        .or_insert(n.id.as_str());
                }
            }
        }
        let since = Duration::months(12).before(as_of);
        // The latest by date; of several on one day, the last written (as
        // `Iterator::max_by_key` chose before).
        let later = |old: Option<&(Date, usize, &str)>, new: (Date, usize, &str)| {
            old.is_none_or(|o| (new.0, new.1) >= (o.0, o.1))
        };
        for (i, a) in inv.audits.iter().enumerate() {
            if a.kind == AuditKind::ManagementReview || a.date < since || a.date > as_of {
                continue;
            }
            let this = (a.date, i, a.id.as_str());
            if a.scope.is_empty() {
                if later(ix.latest_all.as_ref(), this) {
                    ix.latest_all = Some(this);
                }
                continue;
            }
            for c in &a.scope {
                let key = c.0.to_ascii_lowercase();
                if later(ix.latest.get(&key), this) {
                    ix.latest.insert(key, this);
                }
            }
        }
        ix
    }
}

impl Judge<'_> {
    /// The level of one statement for one scope, and why.
    fn level(
        &self,
        control: &Control,
        st: Option<&Statement>,
        system: Option<&str>,
    ) -> (Level, String) {
        let Some(st) = st else {
            return (Level::Missing, "no statement".into());
        };
        if st.applicable == Some(false) {
            return (Level::NotApplicable, "excluded".into());
        }
        let (mut level, mut why) = match st.status {
            None => (Level::Missing, "statement has no status".to_string()),
            Some(Status::NotStarted) => (Level::Missing, "not started".into()),
            Some(Status::Planned) => (Level::Missing, "planned".into()),
            Some(Status::Partial) => (Level::Partial, "partially implemented".into()),
            Some(Status::Implemented) => self.implemented(control, st),
        };
        let capped = self.capped.contains(&(control.id.as_str(), system));
        if capped && level > Level::Partial {
            level = Level::Partial;
            why = "capped at partial by an error finding on this control".into();
        }
        (level, why)
    }

    fn implemented(&self, control: &Control, st: &Statement) -> (Level, String) {
        let p = self.project;
        if st.evidence.0.is_empty() {
            return (Level::Partial, "implemented, but no evidence cited".into());
        }
        let judged = judge_statement(self.ev, st, control, &p.inventory, &p.config, self.as_of);
        if let Some(j) = judged.iter().find(|j| j.problem.is_some()) {
            let problem = j
                .problem
                .as_ref()
                .map(|pr| pr.describe(&j.cited))
                .unwrap_or_default();
            return (Level::Partial, problem);
        }
        if let Some(j) = judged
            .iter()
            .find(|j| !matches!(j.freshness, Freshness::Fresh { .. }))
        {
            let why = match &j.freshness {
                Freshness::Stale { reviewed, .. } => {
                    format!("evidence `{}` is stale (reviewed {reviewed})", j.cited)
                }
                _ => format!("evidence `{}` has no review date", j.cited),
            };
            return (Level::Implemented, why);
        }
        match self.audited(&control.id) {
            Audited::By(audit) => (
                Level::Effective,
                format!("evidence current; audited in `{audit}`"),
            ),
            Audited::OpenNonconformity(nc) => (
                Level::Evidenced,
                format!("evidence current; nonconformity `{nc}` is open"),
            ),
            Audited::NotRecently => (
                Level::Evidenced,
                "evidence current; no audit in the last 12 months covered it".into(),
            ),
        }
    }

    /// Whether an audit within 12 months covered the control, with no
    /// nonconformity on it open.
    fn audited(&self, control: &str) -> Audited {
        let key = control.to_ascii_lowercase();
        if let Some(nc) = self.audits.open_nc.get(&key) {
            return Audited::OpenNonconformity(nc.to_string());
        }
        let named = self.audits.latest.get(&key).copied();
        [named, self.audits.latest_all]
            .into_iter()
            .flatten()
            .max_by_key(|(date, i, _)| (*date, *i))
            .map_or(Audited::NotRecently, |(_, _, id)| {
                Audited::By(id.to_string())
            })
    }
}

/// What the audits say of a control whose evidence is current.
enum Audited {
    /// Covered by this audit within 12 months, with no nonconformity open.
    By(String),
    /// This nonconformity on it is open.
    OpenNonconformity(String),
    /// No audit in the last 12 months covered it.
    NotRecently,
}

/// Run the rules and judge every catalogue control for the organisation
/// and each system it applies to.
pub fn gap(project: &Project, as_of: Date) -> Gap {
    gap_with(project, as_of, &Evidence::new(&project.evidence_root))
}

/// As [`gap`], with a resolver the caller keeps, so that a report or a pack
/// built from the same run resolves each citation once.
pub fn gap_with(project: &Project, as_of: Date, ev: &Evidence) -> Gap {
    let findings = rules::run_with(project, as_of, ev);
    let capped = findings
        .iter()
        .filter(|f| f.waived_by.is_none() && f.severity == Severity::Error && f.rule.caps_level())
        .filter_map(|f| f.control.as_deref().map(|c| (c, f.system.as_deref())))
        .collect();
    let judge = Judge {
        project,
        ev,
        as_of,
        capped,
        audits: AuditIndex::new(&project.inventory, as_of),
    };
    let inv = &project.inventory;
    // Each system's own statements by the catalogue id they name, resolved
    // once (the first statement wins where two keys name one control).
    let mut own_statements: HashMap<(&str, usize), &Statement> = HashMap::new();
    for (i, s) in inv.systems.iter().enumerate() {
        for (k, st) in &s.controls {
            if let Some(c) = project.catalog.get(k) {
                own_statements.entry((c.id.as_str(), i)).or_insert(st);
            }
        }
    }
    let mut controls = Vec::new();
    for control in &project.catalog.controls {
        let org = inv.controls.get(&control.id).map(|p| &p.statement);
        let (level, reason) = judge.level(control, org, None);
        let mut systems = BTreeMap::new();
        for (i, s) in inv.systems.iter().enumerate() {
            if !control.applies_to_system(s.role, s.lifecycle) {
                continue;
            }
            let own = own_statements.get(&(control.id.as_str(), i)).copied();
            let (l, _) = judge.level(control, own.or(org), Some(s.id.as_str()));
            systems.insert(s.id.0.clone(), l);
        }
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
                let l = *c.systems.get(&key)?;
                c.level = l;
                c.overall = l;
                c.systems.retain(|k, _| k == &key);
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
