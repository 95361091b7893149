//! Judging one (control, scope) pair: which statement or record applies,
//! its evidence on the ladder, the findings that cap it and the audits that
//! make it effective; and the organisation's level of a per-system control
//! from its systems'. `aims gap` asks it for every pair; `aims explain`, the
//! SoA and the report for the facts behind a level.

use std::collections::{HashMap, HashSet};

use super::Level;
use crate::assess::evidence::{Evidence, Freshness, Judged, freshness, judge_statement, limit_for};
use crate::assess::records::{self, Record, Records};
use crate::catalog::{AppliesTo, Control, RecordKind};
use crate::diag::Severity;
use crate::load::Project;
use crate::model::*;
use crate::rules::Finding;

/// Judges (control, scope) pairs: the statement or record that applies,
/// its evidence, the findings that cap it and the audits that make it
/// effective. Built once per run; `aims explain`, the SoA and the report
/// ask it for the facts behind a level that `aims gap` computed.
pub struct Assessor<'a> {
    project: &'a Project,
    ev: &'a Evidence,
    as_of: Date,
    /// (control, system) positions capped at partial by an error finding.
    capped: HashSet<(usize, Option<usize>)>,
    /// The audit records, indexed once so that judging a control looks
    /// them up instead of scanning them (which was quadratic in a large
    /// inventory).
    audits: AuditIndex<'a>,
    records: Records<'a>,
    /// Each system's own statements by the catalogue position they name
    /// (the first statement wins where two keys name one control).
    own: HashMap<(usize, usize), (&'a str, &'a Statement)>,
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

/// The fact that decided one level: what `aims explain` names first.
#[derive(Clone, Debug)]
pub enum Basis<'r, 'a> {
    /// No statement is written and no record supports the control.
    Nothing,
    /// The scope's own statement: a system's `controls:` entry under this
    /// key, or the top-level statement for the organisation.
    Own {
        key: &'a str,
        statement: &'a Statement,
    },
    /// The organisation's statement, as the default of a system without one.
    OrgDefault(&'a Statement),
    /// Records standing in for a statement.
    Records(Vec<&'r Record<'a>>),
    /// The organisation's level of a per-system control: the lowest of its
    /// systems (`None` when no system is in scope or every one excludes it).
    LowestSystem {
        system: Option<usize>,
        judged: usize,
    },
}

/// One (control, scope) level with every fact behind it.
#[derive(Clone, Debug)]
pub struct Verdict<'r, 'a> {
    pub level: Level,
    pub reason: String,
    pub basis: Basis<'r, 'a>,
    /// Each piece of evidence of the statement or records used.
    pub judged: Vec<Judged>,
    /// Capped at `partial` by an error finding on this control and scope.
    pub capped: bool,
    /// What the audits say, where the evidence was current.
    pub audit: Option<Audited>,
}

impl<'a> Assessor<'a> {
    /// An assessor for a run whose rules gave these findings.
    pub fn new(project: &'a Project, as_of: Date, ev: &'a Evidence, findings: &[Finding]) -> Self {
        let inv = &project.inventory;
        let mut capped = HashSet::new();
        for f in findings.iter().filter(|f| {
            f.waived_by.is_none() && f.severity == Severity::Error && f.rule.caps_level()
        }) {
            let Some(at) = f
                .control
                .as_deref()
                .and_then(|c| project.catalog.position(c))
            else {
                continue;
            };
            if f.system.is_none() && f.systems.is_empty() {
                capped.insert((at, None));
            }
            // A finding on several systems caps each of them; one that names
            // a system the inventory does not hold caps nothing.
            for s in f.system.iter().chain(&f.systems) {
                if let Some(i) = inv.system_position(&Id(s.clone())) {
                    capped.insert((at, Some(i)));
                }
            }
        }
        let mut own = HashMap::new();
        for (i, s) in inv.systems.iter().enumerate() {
            for (k, st) in &s.controls {
                if let Some(at) = project.catalog.position(k) {
                    own.entry((at, i)).or_insert((k.as_str(), st));
                }
            }
        }
        Assessor {
            project,
            ev,
            as_of,
            capped,
            audits: AuditIndex::new(inv, as_of),
            records: Records::new(inv, &project.catalog, as_of),
            own,
        }
    }

    /// The level of a control for the organisation (`system: None`) or for
    /// one system (its position in the inventory), with the facts behind it.
    /// `None` when the control does not apply to that system.
    pub fn verdict(&self, at: usize, system: Option<usize>) -> Option<Verdict<'_, 'a>> {
        let control = self.project.catalog.controls.get(at)?;
        let inv = &self.project.inventory;
        let org = inv.controls.get(&control.id).map(|p| &p.statement);
        match system {
            Some(i) => {
                let s = inv.systems.get(i)?;
                if !control.applies_to_system(s.role, s.lifecycle) {
                    return None;
                }
                Some(self.scope(control, at, Some(i), self.own.get(&(at, i)).copied(), org))
            }
            None if control.applies_to == AppliesTo::System => {
                self.lowest_of_verdicts(at, &self.system_verdicts(at))
            }
            None => Some(self.scope(
                control,
                at,
                None,
                org.map(|st| (control.id.as_str(), st)),
                None,
            )),
        }
    }

    /// The organisation's verdict on the control at `at` and each system's
    /// it applies to, every pair judged once (the organisation's of a
    /// per-system control is reached from its systems').
    pub fn control_verdicts(
        &self,
        at: usize,
    ) -> Option<(Verdict<'_, 'a>, Vec<(usize, Verdict<'_, 'a>)>)> {
        let control = self.project.catalog.controls.get(at)?;
        let systems = if control.applies_to.per_system() {
            self.system_verdicts(at)
        } else {
            Vec::new()
        };
        let org = if control.applies_to == AppliesTo::System {
            self.lowest_of_verdicts(at, &systems)?
        } else {
            self.verdict(at, None)?
        };
        Some((org, systems))
    }

    /// Every system's verdict on the control at `at`, where it applies.
    pub fn system_verdicts(&self, at: usize) -> Vec<(usize, Verdict<'_, 'a>)> {
        (0..self.project.inventory.systems.len())
            .filter_map(|i| self.verdict(at, Some(i)).map(|v| (i, v)))
            .collect()
    }

    /// The organisation's verdict on a per-system control from its
    /// systems' verdicts (see [`Assessor::system_verdicts`]): the lowest
    /// of their levels, not-applicable ones aside.
    pub fn lowest_of_verdicts(
        &self,
        at: usize,
        systems: &[(usize, Verdict)],
    ) -> Option<Verdict<'_, 'a>> {
        let control = self.project.catalog.controls.get(at)?;
        let org = self
            .project
            .inventory
            .controls
            .get(&control.id)
            .map(|p| &p.statement);
        let levels: Vec<(usize, Level, String)> = systems
            .iter()
            .map(|(i, v)| (*i, v.level, v.reason.clone()))
            .collect();
        Some(self.lowest_of(at, org, &levels))
    }

    /// The lowest of these (system, level, reason), capped as the
    /// organisation's scope is.
    pub(super) fn lowest_of(
        &self,
        at: usize,
        org: Option<&Statement>,
        levels: &[(usize, Level, String)],
    ) -> Verdict<'_, 'a> {
        let mut lowest: Option<&(usize, Level, String)> = None;
        let mut judged = 0;
        for l in levels.iter().filter(|l| l.1 != Level::NotApplicable) {
            judged += 1;
            // The lowest level; of several systems at it, the first by id in
            // natural order, so that the order of the list does not matter.
            let ids = &self.project.inventory.systems;
            if lowest.is_none_or(|low| {
                l.1 < low.1
                    || (l.1 == low.1
                        && crate::model::natural_cmp(&ids[l.0].id.0, &ids[low.0].id.0).is_lt())
            }) {
                lowest = Some(l);
            }
        }
        let (level, reason, system) = match lowest {
            Some((i, level, why)) => {
                let id = &self.project.inventory.systems[*i].id;
                let reason = if judged == 1 {
                    format!("its one system `{id}`: {why}")
                } else {
                    format!("lowest of {judged} systems, `{id}`: {why}")
                };
                (*level, reason, Some(*i))
            }
            None if org.is_some_and(|st| st.applicable == Some(false)) => {
                (Level::NotApplicable, "excluded".to_string(), None)
            }
            None if levels.is_empty() => {
                (Level::NotApplicable, "no system in scope".to_string(), None)
            }
            None => (
                Level::NotApplicable,
                "excluded for every system in scope".to_string(),
                None,
            ),
        };
        let mut v = Verdict {
            level,
            reason,
            basis: Basis::LowestSystem { system, judged },
            judged: Vec::new(),
            capped: false,
            audit: None,
        };
        self.cap(at, None, &mut v);
        v
    }

    /// One scope: its own statement, else (for a system) the organisation's
    /// statement as its default, else the records that support the control:
    /// a written statement always wins over a record.
    fn scope(
        &self,
        control: &'a Control,
        at: usize,
        system: Option<usize>,
        own: Option<(&'a str, &'a Statement)>,
        org: Option<&'a Statement>,
    ) -> Verdict<'_, 'a> {
        let mut v = if let Some((key, st)) = own {
            self.statement(control, st, Basis::Own { key, statement: st })
        } else if let Some(st) = org {
            self.statement(control, st, Basis::OrgDefault(st))
        } else {
            let recs = self.records.for_scope(control, at, system);
            if !recs.is_empty() {
                self.records(control, recs)
            } else {
                let mut reason = if control.records.is_empty() {
                    "no statement".to_string()
                } else {
                    let kinds: Vec<&str> = control.records.iter().map(|k| k.absent()).collect();
                    format!("no statement, and {}", kinds.join(", and "))
                };
                if let (None, [first, ..]) = (system, self.records.drafts(at)) {
                    reason.push_str(&format!(
                        "; policy `{first}` lists it but is a draft (no `approved` date)"
                    ));
                }
                Verdict {
                    level: Level::Missing,
                    reason,
                    basis: Basis::Nothing,
                    judged: Vec::new(),
                    capped: false,
                    audit: None,
                }
            }
        };
        self.cap(at, system, &mut v);
        v
    }

    /// An error finding on this control and scope caps it at `partial`.
    fn cap(&self, at: usize, system: Option<usize>, v: &mut Verdict) {
        if v.level > Level::Partial && self.capped.contains(&(at, system)) {
            v.level = Level::Partial;
            v.capped = true;
            v.reason = format!(
                "capped at partial by an error finding on this control ({})",
                v.reason
            );
        }
    }

    fn statement<'r>(
        &self,
        control: &Control,
        st: &Statement,
        basis: Basis<'r, 'a>,
    ) -> Verdict<'r, 'a> {
        let done = |level, reason: &str| Verdict {
            level,
            reason: reason.to_string(),
            basis: basis.clone(),
            judged: Vec::new(),
            capped: false,
            audit: None,
        };
        if st.applicable == Some(false) {
            return done(Level::NotApplicable, "excluded");
        }
        match st.status {
            None => done(Level::Missing, "statement has no status"),
            Some(Status::NotStarted) => done(Level::Missing, "not started"),
            Some(Status::Planned) => done(Level::Missing, "planned"),
            Some(Status::Partial) => done(Level::Partial, "partially implemented"),
            Some(Status::Implemented) if st.evidence.0.is_empty() => {
                done(Level::Partial, "implemented, but no evidence cited")
            }
            Some(Status::Implemented) => {
                let p = self.project;
                let judged =
                    judge_statement(self.ev, st, control, &p.inventory, &p.config, self.as_of);
                let (level, reason, audit) = self.ladder(control, &judged);
                Verdict {
                    level,
                    reason,
                    basis,
                    judged,
                    capped: false,
                    audit,
                }
            }
        }
    }

    /// Records as an `implemented` statement citing their documents; a
    /// register entry without one is its own record, reviewed on its date.
    fn records<'r>(&self, control: &Control, recs: Vec<&'r Record<'a>>) -> Verdict<'r, 'a> {
        let p = self.project;
        let st = records::as_statement(&recs);
        let mut judged =
            judge_statement(self.ev, &st, control, &p.inventory, &p.config, self.as_of);
        let limit = limit_for(control, &p.config);
        // For each judged piece, the register entry it stands for, if any.
        let mut entries: Vec<Option<&Record>> = vec![None; judged.len()];
        let mut undocumented = None;
        for r in &recs {
            if !r.documents.is_empty() {
                continue;
            }
            if !r.entry_is_record {
                undocumented.get_or_insert_with(|| r.label());
                continue;
            }
            entries.push(Some(r));
            let freshness = freshness(r.date, limit, self.as_of);
            judged.push(Judged {
                cited: format!("{} {} (its inventory entry)", r.noun, r.id),
                files: Vec::new(),
                problem: None,
                freshness,
            });
        }
        let (level, mut reason, audit) = match undocumented {
            Some(label) if !judged.iter().any(|j| j.problem.is_some()) => {
                (Level::Partial, format!("{label} cites no document"), None)
            }
            _ => self.ladder(control, &judged),
        };
        // Where a register entry decided it, say so in its own terms.
        if level == Level::Implemented
            && let Some((j, r)) = judged
                .iter()
                .zip(entries.iter())
                .find(|(j, _)| !matches!(j.freshness, Freshness::Fresh { .. }))
                .and_then(|(j, r)| r.map(|r| (j, r)))
        {
            reason = match &j.freshness {
                Freshness::Stale { reviewed, limit } => format!(
                    "{} was last reviewed on {reviewed}, more than {limit} ago",
                    r.label()
                ),
                Freshness::Future { reviewed } => {
                    format!("{} is dated {reviewed}, after the as-of day", r.label())
                }
                Freshness::Unreviewed if r.kind == Some(RecordKind::Incident) => {
                    format!("{} is serious and has not been reported", r.label())
                }
                _ => format!("{} has no `reviewed` date", r.label()),
            };
        }
        let from = records_label(&recs);
        Verdict {
            level,
            reason: format!("from {from}: {reason}"),
            basis: Basis::Records(recs),
            judged,
            capped: false,
            audit,
        }
    }

    /// The ladder above `partial`: every piece present, then current, then
    /// audited.
    fn ladder(&self, control: &Control, judged: &[Judged]) -> (Level, String, Option<Audited>) {
        if let Some(j) = judged.iter().find(|j| j.problem.is_some()) {
            let problem = j
                .problem
                .as_ref()
                .map(|pr| pr.describe(&j.cited))
                .unwrap_or_default();
            return (Level::Partial, problem, None);
        }
        if let Some(j) = judged
            .iter()
            .find(|j| !matches!(j.freshness, Freshness::Fresh { .. }))
        {
            let why = match &j.freshness {
                Freshness::Stale { reviewed, .. } => {
                    format!("evidence `{}` is stale (reviewed {reviewed})", j.cited)
                }
                Freshness::Future { reviewed } => format!(
                    "evidence `{}` is dated {reviewed}, after the as-of day: not reviewed yet",
                    j.cited
                ),
                _ => format!("evidence `{}` has no review date", j.cited),
            };
            return (Level::Implemented, why, None);
        }
        let audit = self.audited(&control.id);
        let (level, why) = match &audit {
            Audited::By(a) => (
                Level::Effective,
                format!("evidence current; audited in `{a}`"),
            ),
            Audited::OpenNonconformity(nc) => (
                Level::Evidenced,
                format!("evidence current; nonconformity `{nc}` is open"),
            ),
            Audited::NotRecently => (
                Level::Evidenced,
                "evidence current; no audit in the last 12 months covered it".to_string(),
            ),
        };
        (level, why, Some(audit))
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

/// The evidence a control's levels were judged on: the organisation's,
/// then each system's (its own statement, records or the organisation's
/// default), each citation once, in the order met.
pub fn judged_evidence<'v>(org: &'v Verdict, systems: &'v [(usize, Verdict)]) -> Vec<&'v Judged> {
    let mut seen = HashSet::new();
    org.judged
        .iter()
        .chain(systems.iter().flat_map(|(_, v)| &v.judged))
        .filter(|j| seen.insert(j.cited.as_str()))
        .collect()
}

/// "impact assessment `ia-1`", "risks `r1` and `r2`", "4 risks".
fn records_label(recs: &[&Record]) -> String {
    let same = recs.iter().all(|r| r.plural == recs[0].plural);
    match recs {
        [one] => one.label(),
        [a, b] if same => format!("{} `{}` and `{}`", a.plural, a.id, b.id),
        [a, b] => format!("{} and {}", a.label(), b.label()),
        many if same => format!("{} {}", many.len(), many[0].plural),
        many => format!("{} records", many.len()),
    }
}

/// What the audits say of a control whose evidence is current.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audited {
    /// Covered by this audit within 12 months, with no nonconformity open.
    By(String),
    /// This nonconformity on it is open.
    OpenNonconformity(String),
    /// No audit in the last 12 months covered it.
    NotRecently,
}
