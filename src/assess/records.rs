//! Records are evidence: where no statement is written for a (control,
//! scope) pair, the inventory's records that the catalogue links to that
//! control stand in for an `implemented` statement whose evidence is the
//! records' documents, each reviewed on its record's date. A fact is then
//! written once: an approved impact assessment evidences A.5.3 without the
//! same file being cited again in a statement.

use std::collections::HashMap;

use crate::catalog::{Control, RecordKind};
use crate::model::*;

/// One record as evidence for one scope.
#[derive(Clone, Debug)]
pub struct Record<'a> {
    /// The catalogue kind (`None` for a policy, which supports the
    /// controls it lists rather than a kind of control).
    pub kind: Option<RecordKind>,
    /// How one is named: `policy` for a policy, else the kind's noun.
    pub noun: &'static str,
    /// How several are named: "impact assessments".
    pub plural: &'static str,
    /// The record's id (for data provenance, the data set's).
    pub id: &'a str,
    pub src: &'a Src,
    /// The record's own date, the review date of its documents.
    pub date: Option<Date>,
    /// The documents it cites (empty: see `entry_is_record`).
    pub documents: Vec<EvidenceRef>,
    /// A register entry (a risk, a nonconformity) is itself the record
    /// when it cites no document; other kinds without one give `partial`.
    pub entry_is_record: bool,
}

impl Record<'_> {
    /// "impact assessment `ia-1`".
    pub fn label(&self) -> String {
        format!("{} `{}`", self.noun, self.id)
    }
}

/// The records of an inventory, indexed by the kind and scope they
/// support: built once per judgement, linear in the records.
pub struct Records<'a> {
    /// By kind and system position: that system's records of that kind.
    by_system: HashMap<(RecordKind, usize), Vec<Record<'a>>>,
    /// By kind: the organisation's records of that kind.
    org: HashMap<RecordKind, Vec<Record<'a>>>,
    /// By catalogue control (its catalogue position): policies listing it.
    policies: HashMap<usize, Vec<Record<'a>>>,
    /// By catalogue control: draft policies (no approval date) listing it,
    /// which are not evidence yet but are worth naming.
    drafts: HashMap<usize, Vec<&'a str>>,
}

fn docs<'e>(
    refs: impl IntoIterator<Item = &'e EvidenceRef>,
    date: Option<Date>,
) -> Vec<EvidenceRef> {
    refs.into_iter()
        .map(|e| match (e, date) {
            (EvidenceRef::Path(p), Some(d)) => EvidenceRef::Detailed(EvidenceDetail {
                path: p.clone(),
                reviewed: Some(d),
                sha256: None,
            }),
            (EvidenceRef::Detailed(x), Some(d)) if x.reviewed.is_none() => {
                EvidenceRef::Detailed(EvidenceDetail {
                    reviewed: Some(d),
                    ..x.clone()
                })
            }
            (e, _) => e.clone(),
        })
        .collect()
}

fn one_doc(path: &Option<String>, date: Option<Date>) -> Vec<EvidenceRef> {
    docs(
        path.iter()
            .map(|p| EvidenceRef::Path(p.clone()))
            .collect::<Vec<_>>()
            .iter(),
        date,
    )
}

impl<'a> Records<'a> {
    pub fn new(inv: &'a Inventory, catalog: &crate::catalog::Catalog, as_of: Date) -> Self {
        let mut r = Records {
            by_system: HashMap::new(),
            org: HashMap::new(),
            policies: HashMap::new(),
            drafts: HashMap::new(),
        };
        let pos = |id: &Id| inv.system_position(id);

        // Impact assessments: the latest of each system (by date, then the
        // last written), for the three kinds by the perspectives assessed.
        let mut latest: HashMap<(RecordKind, usize), (usize, &'a ImpactAssessment)> =
            HashMap::new();
        for (at, ia) in inv.impact_assessments.iter().enumerate() {
            let Some(i) = pos(&ia.system) else { continue };
            let individuals = ia
                .impacts
                .iter()
                .any(|x| matches!(x.on, ImpactOn::Individuals | ImpactOn::Groups));
            let society = ia.impacts.iter().any(|x| x.on == ImpactOn::Society);
            for (kind, yes) in [
                (RecordKind::ImpactAssessment, true),
                (RecordKind::ImpactOnIndividuals, individuals),
                (RecordKind::ImpactOnSociety, society),
            ] {
                if !yes {
                    continue;
                }
                let e = latest.entry((kind, i)).or_insert((at, ia));
                if ia.date >= e.1.date {
                    *e = (at, ia);
                }
            }
        }
        let mut latest: Vec<_> = latest.into_iter().collect();
        // In inventory order of the assessments, whatever the order of systems.
        latest.sort_by_key(|((k, _), (at, _))| (*k, *at));
        for ((kind, i), (_, ia)) in latest {
            let rec = Record {
                kind: Some(kind),
                noun: kind.noun(),
                plural: "impact assessments",
                id: ia.id.as_str(),
                src: &ia.src,
                date: Some(ia.date),
                documents: one_doc(&ia.path, Some(ia.date)),
                entry_is_record: false,
            };
            r.org.entry(kind).or_default().push(rec.clone());
            r.by_system.entry((kind, i)).or_default().push(rec);
        }

        for risk in &inv.risks {
            let rec = Record {
                kind: Some(RecordKind::Risk),
                noun: "risk",
                plural: "risks",
                id: risk.id.as_str(),
                src: &risk.src,
                date: risk.reviewed,
                documents: docs(risk.evidence.iter(), risk.reviewed),
                entry_is_record: true,
            };
            for s in &risk.systems {
                if let Some(i) = pos(s) {
                    r.by_system
                        .entry((RecordKind::Risk, i))
                        .or_default()
                        .push(rec.clone());
                }
            }
            r.org.entry(RecordKind::Risk).or_default().push(rec);
        }

        // The latest internal audit, and the latest management review that
        // lists its inputs (clause 9.3.2), on or before the as-of day.
        let latest_audit = |kind: AuditKind, inputs: bool| {
            inv.audits
                .iter()
                .filter(|a| a.kind == kind && a.date <= as_of && (!inputs || !a.inputs.is_empty()))
                .max_by_key(|a| a.date)
        };
        for (kind, audit) in [
            (
                RecordKind::InternalAudit,
                latest_audit(AuditKind::InternalAudit, false),
            ),
            (
                RecordKind::ManagementReview,
                latest_audit(AuditKind::ManagementReview, true),
            ),
        ] {
            if let Some(a) = audit {
                r.org.entry(kind).or_default().push(Record {
                    kind: Some(kind),
                    noun: kind.noun(),
                    plural: if kind == RecordKind::InternalAudit {
                        "internal audits"
                    } else {
                        "management reviews"
                    },
                    id: a.id.as_str(),
                    src: &a.src,
                    date: Some(a.date),
                    documents: docs(a.evidence.iter(), Some(a.date)),
                    entry_is_record: false,
                });
            }
        }

        for n in inv.nonconformities.iter().filter(|n| {
            n.corrective_action
                .as_deref()
                .is_some_and(|c| !c.trim().is_empty())
        }) {
            let date = Some(n.closed.unwrap_or(n.raised));
            r.org
                .entry(RecordKind::Nonconformity)
                .or_default()
                .push(Record {
                    kind: Some(RecordKind::Nonconformity),
                    noun: "nonconformity",
                    plural: "nonconformities",
                    id: n.id.as_str(),
                    src: &n.src,
                    date,
                    documents: docs(n.evidence.iter(), date),
                    entry_is_record: true,
                });
        }

        // Supplier due diligence: for each system its supplier supplies,
        // and for the organisation every supplier's.
        let dd_record = |sup: &'a Supplier| {
            sup.due_diligence.as_ref().map(|dd| Record {
                kind: Some(RecordKind::SupplierDueDiligence),
                noun: RecordKind::SupplierDueDiligence.noun(),
                plural: "due diligence records of suppliers",
                id: sup.id.as_str(),
                src: &sup.src,
                date: Some(dd.date),
                documents: docs(dd.evidence.iter(), Some(dd.date)),
                entry_is_record: false,
            })
        };
        for sup in &inv.suppliers {
            if let Some(rec) = dd_record(sup) {
                r.org
                    .entry(RecordKind::SupplierDueDiligence)
                    .or_default()
                    .push(rec);
            }
        }
        for (i, s) in inv.systems.iter().enumerate() {
            let sup = s.supplier.as_ref().and_then(|id| inv.supplier(id));
            if let Some(rec) = sup.and_then(dd_record) {
                r.by_system
                    .entry((RecordKind::SupplierDueDiligence, i))
                    .or_default()
                    .push(rec);
            }
            // Data provenance: one record per data set; a data set with no
            // provenance document is a record without one (`partial`).
            for d in &s.data {
                r.by_system
                    .entry((RecordKind::DataProvenance, i))
                    .or_default()
                    .push(Record {
                        kind: Some(RecordKind::DataProvenance),
                        noun: "data set",
                        plural: "data sets",
                        id: d.id.as_str(),
                        src: &s.src,
                        date: None,
                        documents: docs(d.provenance.iter(), None),
                        entry_is_record: false,
                    });
            }
        }

        // Incidents, as communicated (A.8.4): each reviewed on the day it
        // was reported; one that is not serious, on the day the organisation
        // became aware of it. A serious incident not yet reported is not
        // current evidence of communication.
        for inc in &inv.incidents {
            let date = inc.reported.or((!inc.serious).then_some(inc.aware));
            let rec = Record {
                kind: Some(RecordKind::Incident),
                noun: "incident",
                plural: "incidents",
                id: inc.id.as_str(),
                src: &inc.src,
                date,
                documents: docs(inc.evidence.iter(), date),
                entry_is_record: true,
            };
            if let Some(i) = pos(&inc.system) {
                r.by_system
                    .entry((RecordKind::Incident, i))
                    .or_default()
                    .push(rec.clone());
            }
            r.org.entry(RecordKind::Incident).or_default().push(rec);
        }

        // Policies support the controls they list, for the organisation.
        // A policy with no approval date is a draft, not yet evidence.
        for p in inv.policies.iter().filter(|p| p.approved.is_none()) {
            for c in &p.controls {
                if let Some(at) = catalog.position(&c.0) {
                    r.drafts.entry(at).or_default().push(p.id.as_str());
                }
            }
        }
        for p in inv.policies.iter().filter(|p| p.approved.is_some()) {
            let date = p.approved;
            for c in &p.controls {
                let Some(at) = catalog.position(&c.0) else {
                    continue;
                };
                r.policies.entry(at).or_default().push(Record {
                    kind: None,
                    noun: "policy",
                    plural: "policies",
                    id: p.id.as_str(),
                    src: &p.src,
                    date,
                    documents: one_doc(&p.path, None),
                    entry_is_record: false,
                });
            }
        }
        r
    }

    /// The draft policies that list the control at `at`.
    pub fn drafts(&self, at: usize) -> &[&'a str] {
        self.drafts.get(&at).map_or(&[], Vec::as_slice)
    }

    /// The records that support a control for one scope (a system's
    /// position, or the organisation), in a stable order.
    pub fn for_scope(
        &self,
        control: &Control,
        at: usize,
        system: Option<usize>,
    ) -> Vec<&Record<'a>> {
        let mut out: Vec<&Record<'a>> = Vec::new();
        for kind in &control.records {
            let list = match system {
                Some(i) => self.by_system.get(&(*kind, i)),
                None => self.org.get(kind),
            };
            out.extend(list.into_iter().flatten());
        }
        if system.is_none() {
            out.extend(self.policies.get(&at).into_iter().flatten());
        }
        out
    }
}

/// The statement a set of records stands for: `implemented`, citing every
/// record's documents, each reviewed on its record's date.
pub fn as_statement(records: &[&Record<'_>]) -> Statement {
    Statement {
        applicable: None,
        justification: None,
        status: Some(Status::Implemented),
        owner: None,
        evidence: OneOrMany(
            records
                .iter()
                .flat_map(|r| r.documents.iter().cloned())
                .collect(),
        ),
        reviewed: None,
        notes: None,
    }
}
