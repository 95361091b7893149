//! Property tests: laws that must hold for every inventory, checked on
//! small generated ones (1–6 systems, a few roles, policies, statements,
//! records and evidence files) written into a temporary folder and loaded
//! with the real loader.
//!
//! - adding an evidence file never lowers a level, removing one never
//!   raises one; adding a present, currently reviewed citation never lowers
//!   one (removing such a citation is the same pair read backwards);
//! - a waiver only silences findings: it changes no other finding, adds
//!   none beyond the one the contract names for the waiver itself
//!   (`waiver/unused`, `waiver/expired`), and never lowers a level;
//! - the same input gives the same bytes (gap JSON, report Markdown and
//!   HTML), and reordering the systems or the statements of `controls:`
//!   changes no level, score or finding (only where findings point);
//! - every score stays within 0–100;
//! - a generated inventory reads back unchanged (see [`roundtrip`]).

use std::collections::BTreeMap;
use std::path::Path;

use aims::assess::{self, Gap, Level};
use aims::model::{self as m, Date};
use aims::rules::Finding;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

const AS_OF: &str = "2026-11-24";

fn as_of() -> Date {
    Date::parse(AS_OF).unwrap()
}

/// Catalogue ids the organisation's `controls:` may state (organisation,
/// system and both kinds of control, clauses and Annex A).
const ORG_CONTROLS: &[&str] = &[
    "4.1", "5.2", "6.1.2", "6.1.4", "7.1", "8.2", "9.2", "10.2", "A.2.2", "A.4.2", "A.5.3",
    "A.6.2.4", "A.6.2.6", "A.6.2.8", "A.7.5", "A.10.3",
];
/// Ids a system may have its own statement for (per-system controls only).
const SYS_CONTROLS: &[&str] = &[
    "6.1.4", "8.2", "A.4.2", "A.5.3", "A.6.2.4", "A.6.2.6", "A.6.2.8", "A.7.5", "A.10.3",
];
/// Evidence files `docs/e0.md` … ; index `FILES` cites the glob `docs/*.md`.
const FILES: usize = 5;

const STATUS: &[&str] = &["not-started", "planned", "partial", "implemented"];
const LIFECYCLE: &[&str] = &[
    "design",
    "development",
    "verification",
    "deployment",
    "operation",
    "retired",
];
const ROLE: &[&str] = &["provider", "deployer", "provider-and-deployer"];
const ANNEX_III: &[&str] = &[
    "employment-recruitment",
    "creditworthiness",
    "emergency-triage",
    "education-access",
];
const TRANSPARENCY: &[&str] = &["interacts-with-people", "synthetic-content", "deep-fake"];
const AUDIT_KIND: &[&str] = &["internal-audit", "management-review", "surveillance"];
const TREATMENT: &[&str] = &["mitigate", "accept", "avoid", "transfer"];
const CONCLUSION: &[&str] = &["proceed", "proceed-with-conditions", "do-not-proceed"];

// ---------------------------------------------------------------------------
// The generated inventory: plain data, written to YAML by hand below.

#[derive(Clone, Debug)]
struct Ev {
    /// Index into the evidence files; `FILES` is the glob.
    file: usize,
    /// Days before the as-of day (negative: in the future).
    reviewed: Option<i64>,
    /// Written as `{path, reviewed}` rather than a bare path.
    detailed: bool,
}

#[derive(Clone, Debug)]
struct St {
    applicable: Option<bool>,
    justification: Option<String>,
    status: Option<usize>,
    owner: Option<usize>,
    evidence: Vec<Ev>,
    reviewed: Option<i64>,
    notes: Option<String>,
}

#[derive(Clone, Debug)]
struct RoleG {
    title: String,
    holder: Option<String>,
    responsibilities: Vec<String>,
}

#[derive(Clone, Debug)]
struct PolicyG {
    title: String,
    path: Option<usize>,
    approved_by: Option<usize>,
    approved: Option<i64>,
    review_months: Option<u32>,
    controls: Vec<usize>,
}

#[derive(Clone, Debug)]
struct DataG {
    personal: Option<bool>,
    provenance: Option<usize>,
}

#[derive(Clone, Debug)]
struct ActG {
    in_scope: Option<bool>,
    annex_iii: Vec<usize>,
    profiling: Option<bool>,
    transparency: Vec<usize>,
}

#[derive(Clone, Debug)]
struct SysG {
    suffix: String,
    name: String,
    description: Option<String>,
    owner: Option<usize>,
    lifecycle: usize,
    role: usize,
    changed: Option<i64>,
    purpose: Option<String>,
    data: Vec<DataG>,
    act: Option<ActG>,
    controls: BTreeMap<usize, St>,
    evidence: Vec<Ev>,
}

#[derive(Clone, Debug)]
struct RiskG {
    title: String,
    systems: Vec<usize>,
    likelihood: u8,
    impact: u8,
    owner: Option<usize>,
    treatment: Option<usize>,
    controls: Vec<usize>,
    review_by: Option<i64>,
}

#[derive(Clone, Debug)]
struct IaG {
    system: usize,
    date: i64,
    /// Days after `date`.
    next_review: Option<i64>,
    path: Option<usize>,
    conclusion: Option<usize>,
}

#[derive(Clone, Debug)]
struct AuditG {
    kind: usize,
    date: i64,
    by: Option<String>,
    scope: Vec<usize>,
}

#[derive(Clone, Debug)]
struct NcG {
    raised: i64,
    /// Days after `raised`.
    closed: Option<i64>,
    controls: Vec<usize>,
    description: String,
    corrective_action: Option<String>,
    owner: Option<usize>,
    due: Option<i64>,
}

#[derive(Clone, Debug)]
struct Inv {
    org_name: String,
    scope: Option<String>,
    aims_owner: Option<usize>,
    risk_appetite: Option<u8>,
    roles: Vec<RoleG>,
    policies: Vec<PolicyG>,
    controls: BTreeMap<usize, St>,
    systems: Vec<SysG>,
    risks: Vec<RiskG>,
    ias: Vec<IaG>,
    audits: Vec<AuditG>,
    ncs: Vec<NcG>,
    /// Which evidence files exist on disk.
    present: Vec<bool>,
    /// Write clause ids (`4.1`) as plain YAML, which reads them as numbers.
    bare_clause_keys: bool,
    /// Write a single bare citation as `evidence: path`, not a list.
    scalar_evidence: bool,
}

/// Text with what YAML cares about: quotes, backslashes, `#`, `:`, line
/// breaks, tabs, non-ASCII.
fn text() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9 #:'\"\\\\\n\té€ü-]{0,14}"
}

fn days() -> impl Strategy<Value = i64> {
    // Mostly within the last year (fresh for most limits), often older
    // (stale), sometimes in the future.
    prop_oneof![12 => 0i64..300, 5 => 300i64..800, 1 => -40i64..0]
}

fn ev() -> impl Strategy<Value = Ev> {
    (0..=FILES, prop::option::of(days()), any::<bool>()).prop_map(|(file, reviewed, detailed)| Ev {
        file,
        reviewed: if detailed { reviewed } else { None },
        detailed,
    })
}

fn statement() -> impl Strategy<Value = St> {
    (
        prop::option::weighted(0.15, prop_oneof![1 => Just(false), 2 => Just(true)]),
        prop::option::weighted(0.3, text()),
        // Mostly `implemented`, the status whose level the evidence decides.
        prop::option::weighted(
            0.9,
            prop_oneof![1 => Just(0usize), 1 => Just(1), 2 => Just(2), 8 => Just(3)],
        ),
        prop::option::weighted(0.8, 0usize..8),
        prop::collection::vec(ev(), 0..4),
        prop::option::weighted(0.7, days()),
        prop::option::weighted(0.2, text()),
    )
        .prop_map(
            |(applicable, justification, status, owner, evidence, reviewed, notes)| St {
                applicable,
                justification,
                status,
                owner,
                evidence,
                reviewed,
                notes,
            },
        )
}

fn role() -> impl Strategy<Value = RoleG> {
    (
        text(),
        prop::option::of(text()),
        prop::collection::vec(text(), 0..3),
    )
        .prop_map(|(title, holder, responsibilities)| RoleG {
            title,
            holder,
            responsibilities,
        })
}

fn policy() -> impl Strategy<Value = PolicyG> {
    (
        text(),
        prop::option::of(0..FILES),
        prop::option::of(0usize..8),
        prop::option::of(days()),
        prop::option::of(1u32..30),
        prop::collection::vec(0..ORG_CONTROLS.len(), 0..3),
    )
        .prop_map(
            |(title, path, approved_by, approved, review_months, controls)| PolicyG {
                title,
                path,
                approved_by,
                approved,
                review_months,
                controls,
            },
        )
}

fn system() -> impl Strategy<Value = SysG> {
    let act = (
        prop::option::weighted(0.2, any::<bool>()),
        prop::collection::vec(0..ANNEX_III.len(), 0..2),
        prop::option::of(any::<bool>()),
        prop::collection::vec(0..TRANSPARENCY.len(), 0..2),
    )
        .prop_map(|(in_scope, annex_iii, profiling, transparency)| ActG {
            in_scope,
            annex_iii,
            profiling,
            transparency,
        });
    let data = (prop::option::of(any::<bool>()), prop::option::of(0..FILES)).prop_map(
        |(personal, provenance)| DataG {
            personal,
            provenance,
        },
    );
    (
        (
            "[a-z0-9._-]{0,5}",
            text(),
            prop::option::of(text()),
            prop::option::of(0usize..8),
            // Retired less often: a retired system has no controls.
            prop_oneof![5 => 0usize..5, 1 => Just(5usize)],
            0..ROLE.len(),
            prop::option::of(days()),
            prop::option::of(text()),
        ),
        (
            prop::collection::vec(data, 0..3),
            prop::option::weighted(0.7, act),
            prop::collection::btree_map(0..SYS_CONTROLS.len(), statement(), 0..5),
            prop::collection::vec(ev(), 0..2),
        ),
    )
        .prop_map(
            |(
                (suffix, name, description, owner, lifecycle, role, changed, purpose),
                (data, act, controls, evidence),
            )| SysG {
                suffix,
                name,
                description,
                owner,
                lifecycle,
                role,
                changed,
                purpose,
                data,
                act,
                controls,
                evidence,
            },
        )
}

fn risk() -> impl Strategy<Value = RiskG> {
    (
        text(),
        prop::collection::vec(0usize..8, 0..3),
        1u8..=5,
        1u8..=5,
        prop::option::of(0usize..8),
        prop::option::of(0..TREATMENT.len()),
        prop::collection::vec(0..ORG_CONTROLS.len(), 0..3),
        prop::option::of(days()),
    )
        .prop_map(
            |(title, systems, likelihood, impact, owner, treatment, controls, review_by)| RiskG {
                title,
                systems,
                likelihood,
                impact,
                owner,
                treatment,
                controls,
                review_by,
            },
        )
}

fn ia() -> impl Strategy<Value = IaG> {
    (
        0usize..8,
        days(),
        prop::option::of(0i64..800),
        prop::option::of(0..FILES),
        prop::option::of(0..CONCLUSION.len()),
    )
        .prop_map(|(system, date, next_review, path, conclusion)| IaG {
            system,
            date,
            next_review,
            path,
            conclusion,
        })
}

fn audit() -> impl Strategy<Value = AuditG> {
    (
        0..AUDIT_KIND.len(),
        days(),
        prop::option::of(text()),
        prop::collection::vec(0..ORG_CONTROLS.len(), 0..3),
    )
        .prop_map(|(kind, date, by, scope)| AuditG {
            kind,
            date,
            by,
            scope,
        })
}

fn nc() -> impl Strategy<Value = NcG> {
    (
        days(),
        prop::option::of(0i64..200),
        prop::collection::vec(0..ORG_CONTROLS.len(), 0..3),
        text(),
        prop::option::of(text()),
        prop::option::of(0usize..8),
        prop::option::of(days()),
    )
        .prop_map(
            |(raised, closed, controls, description, corrective_action, owner, due)| NcG {
                raised,
                closed,
                controls,
                description,
                corrective_action,
                owner,
                due,
            },
        )
}

fn inventory() -> impl Strategy<Value = Inv> {
    (
        (
            text(),
            prop::option::of(text()),
            prop::option::of(0usize..8),
            prop::option::weighted(0.3, 1u8..=25),
            prop::collection::vec(role(), 1..4),
            prop::collection::vec(policy(), 0..3),
            prop::collection::btree_map(0..ORG_CONTROLS.len(), statement(), 1..12),
        ),
        (
            prop::collection::vec(system(), 1..=6),
            prop::collection::vec(risk(), 0..3),
            prop::collection::vec(ia(), 0..3),
            prop::collection::vec(audit(), 0..3),
            prop::collection::vec(nc(), 0..3),
            prop::collection::vec(prop::bool::weighted(0.75), FILES),
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (org_name, scope, aims_owner, risk_appetite, roles, policies, controls),
                (systems, risks, ias, audits, ncs, present, bare_clause_keys, scalar_evidence),
            )| Inv {
                org_name,
                scope,
                aims_owner,
                risk_appetite,
                roles,
                policies,
                controls,
                systems,
                risks,
                ias,
                audits,
                ncs,
                present,
                bare_clause_keys,
                scalar_evidence,
            },
        )
}

// ---------------------------------------------------------------------------
// Writing the generated inventory as YAML text.

/// A YAML double-quoted scalar: JSON string syntax is valid YAML.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn date_str(days_before: i64) -> String {
    let d = as_of().0 - chrono::Duration::days(days_before);
    d.format("%Y-%m-%d").to_string()
}

fn file_path(i: usize) -> String {
    if i == FILES {
        "docs/*.md".into()
    } else {
        format!("docs/e{i}.md")
    }
}

impl Inv {
    fn role_id(&self, i: usize) -> String {
        format!("r{}", i % self.roles.len())
    }
    fn system_id(&self, i: usize) -> String {
        let i = i % self.systems.len();
        format!("s{i}{}", self.systems[i].suffix)
    }
    fn key(&self, id: &str) -> String {
        if self.bare_clause_keys && id.starts_with(|c: char| c.is_ascii_digit()) {
            id.to_string()
        } else {
            q(id)
        }
    }
    fn ids(&self, pool: &[&str], idx: &[usize]) -> String {
        let v: Vec<String> = idx.iter().map(|&i| q(pool[i])).collect();
        format!("[{}]", v.join(", "))
    }

    /// `key:` and the citations under it.
    fn evidence(&self, out: &mut String, ind: &str, key: &str, evs: &[Ev]) {
        if let [e] = evs
            && self.scalar_evidence
            && !e.detailed
        {
            out.push_str(&format!("{ind}{key}: {}\n", q(&file_path(e.file))));
            return;
        }
        out.push_str(&format!("{ind}{key}:\n"));
        let ind = format!("{ind}  ");
        for e in evs {
            if e.detailed {
                out.push_str(&format!("{ind}- path: {}\n", q(&file_path(e.file))));
                if let Some(r) = e.reviewed {
                    out.push_str(&format!("{ind}  reviewed: {}\n", date_str(r)));
                }
            } else {
                out.push_str(&format!("{ind}- {}\n", q(&file_path(e.file))));
            }
        }
    }

    fn statement(&self, out: &mut String, ind: &str, id: &str, st: &St) {
        let mut body = String::new();
        if let Some(a) = st.applicable {
            body.push_str(&format!("{ind}  applicable: {a}\n"));
        }
        if let Some(j) = &st.justification {
            body.push_str(&format!("{ind}  justification: {}\n", q(j)));
        }
        if let Some(s) = st.status {
            body.push_str(&format!("{ind}  status: {}\n", STATUS[s]));
        }
        if let Some(o) = st.owner {
            body.push_str(&format!("{ind}  owner: {}\n", q(&self.role_id(o))));
        }
        if !st.evidence.is_empty() {
            self.evidence(&mut body, &format!("{ind}  "), "evidence", &st.evidence);
        }
        if let Some(r) = st.reviewed {
            body.push_str(&format!("{ind}  reviewed: {}\n", date_str(r)));
        }
        if let Some(n) = &st.notes {
            body.push_str(&format!("{ind}  notes: {}\n", q(n)));
        }
        if body.is_empty() {
            out.push_str(&format!("{ind}{}: {{}}\n", self.key(id)));
        } else {
            out.push_str(&format!("{ind}{}:\n{body}", self.key(id)));
        }
    }

    /// The inventory as YAML; `order` is the order the systems are written
    /// in and `reverse_controls` writes `controls:` last key first.
    fn yaml_with(&self, order: &[usize], reverse_controls: bool) -> String {
        let mut o = String::from("version: 1\norganization:\n");
        o.push_str(&format!("  name: {}\n", q(&self.org_name)));
        if let Some(s) = &self.scope {
            o.push_str(&format!("  scope: {}\n", q(s)));
        }
        if let Some(r) = self.aims_owner {
            o.push_str(&format!("  aims_owner: {}\n", q(&self.role_id(r))));
        }
        if let Some(a) = self.risk_appetite {
            o.push_str(&format!("  risk_appetite: {a}\n"));
        }
        o.push_str("roles:\n");
        for (i, r) in self.roles.iter().enumerate() {
            o.push_str(&format!(
                "  - id: {}\n    title: {}\n",
                q(&format!("r{i}")),
                q(&r.title)
            ));
            if let Some(h) = &r.holder {
                o.push_str(&format!("    holder: {}\n", q(h)));
            }
            if !r.responsibilities.is_empty() {
                o.push_str("    responsibilities:\n");
                for x in &r.responsibilities {
                    o.push_str(&format!("      - {}\n", q(x)));
                }
            }
        }
        if !self.policies.is_empty() {
            o.push_str("policies:\n");
        }
        for (i, p) in self.policies.iter().enumerate() {
            o.push_str(&format!("  - id: \"p{i}\"\n    title: {}\n", q(&p.title)));
            if let Some(f) = p.path {
                o.push_str(&format!("    path: {}\n", q(&file_path(f))));
            }
            if let Some(r) = p.approved_by {
                o.push_str(&format!("    approved_by: {}\n", q(&self.role_id(r))));
            }
            if let Some(d) = p.approved {
                o.push_str(&format!("    approved: {}\n", date_str(d)));
            }
            if let Some(n) = p.review_months {
                o.push_str(&format!("    review_every: {n} months\n"));
            }
            o.push_str(&format!(
                "    controls: {}\n",
                self.ids(ORG_CONTROLS, &p.controls)
            ));
        }
        if !self.controls.is_empty() {
            o.push_str("controls:\n");
            let mut sts: Vec<(&usize, &St)> = self.controls.iter().collect();
            if reverse_controls {
                sts.reverse();
            }
            for (c, st) in sts {
                self.statement(&mut o, "  ", ORG_CONTROLS[*c], st);
            }
        }
        o.push_str("systems:\n");
        for &i in order {
            let s = &self.systems[i];
            o.push_str(&format!(
                "  - id: {}\n    name: {}\n    lifecycle: {}\n    role: {}\n",
                q(&self.system_id(i)),
                q(&s.name),
                LIFECYCLE[s.lifecycle],
                ROLE[s.role]
            ));
            if let Some(d) = &s.description {
                o.push_str(&format!("    description: {}\n", q(d)));
            }
            if let Some(r) = s.owner {
                o.push_str(&format!("    owner: {}\n", q(&self.role_id(r))));
            }
            if let Some(d) = s.changed {
                o.push_str(&format!("    changed: {}\n", date_str(d)));
            }
            if let Some(p) = &s.purpose {
                o.push_str(&format!("    purpose: {}\n", q(p)));
            }
            if !s.data.is_empty() {
                o.push_str("    data:\n");
                for (k, d) in s.data.iter().enumerate() {
                    o.push_str(&format!("      - id: \"d{k}\"\n"));
                    if let Some(p) = d.personal {
                        o.push_str(&format!("        personal: {p}\n"));
                    }
                    if let Some(f) = d.provenance {
                        o.push_str(&format!("        provenance: {}\n", q(&file_path(f))));
                    }
                }
            }
            if let Some(a) = &s.act {
                o.push_str("    eu_ai_act:\n");
                if let Some(b) = a.in_scope {
                    o.push_str(&format!("      in_scope: {b}\n"));
                }
                o.push_str(&format!(
                    "      annex_iii: {}\n",
                    self.ids(ANNEX_III, &a.annex_iii)
                ));
                if let Some(p) = a.profiling {
                    o.push_str(&format!("      profiling: {p}\n"));
                }
                o.push_str(&format!(
                    "      transparency: {}\n",
                    self.ids(TRANSPARENCY, &a.transparency)
                ));
            }
            if !s.controls.is_empty() {
                o.push_str("    controls:\n");
                for (c, st) in &s.controls {
                    self.statement(&mut o, "      ", SYS_CONTROLS[*c], st);
                }
            }
            if !s.evidence.is_empty() {
                self.evidence(&mut o, "    ", "evidence", &s.evidence);
            }
        }
        if !self.risks.is_empty() {
            o.push_str("risks:\n");
        }
        for (i, r) in self.risks.iter().enumerate() {
            let systems: Vec<String> = r.systems.iter().map(|&s| q(&self.system_id(s))).collect();
            o.push_str(&format!(
                "  - id: \"risk{i}\"\n    title: {}\n    systems: [{}]\n    likelihood: {}\n    impact: {}\n",
                q(&r.title),
                systems.join(", "),
                r.likelihood,
                r.impact
            ));
            if let Some(x) = r.owner {
                o.push_str(&format!("    owner: {}\n", q(&self.role_id(x))));
            }
            if let Some(t) = r.treatment {
                o.push_str(&format!("    treatment: {}\n", TREATMENT[t]));
                if TREATMENT[t] == "accept" {
                    let by = r.owner.unwrap_or(0);
                    o.push_str(&format!("    accepted_by: {}\n", q(&self.role_id(by))));
                }
            }
            o.push_str(&format!(
                "    controls: {}\n",
                self.ids(ORG_CONTROLS, &r.controls)
            ));
            if let Some(d) = r.review_by {
                o.push_str(&format!("    review_by: {}\n", date_str(d)));
            }
        }
        if !self.ias.is_empty() {
            o.push_str("impact_assessments:\n");
        }
        for (i, a) in self.ias.iter().enumerate() {
            o.push_str(&format!(
                "  - id: \"ia{i}\"\n    system: {}\n    date: {}\n",
                q(&self.system_id(a.system)),
                date_str(a.date)
            ));
            if let Some(n) = a.next_review {
                o.push_str(&format!("    next_review: {}\n", date_str(a.date - n)));
            }
            if let Some(f) = a.path {
                o.push_str(&format!("    path: {}\n", q(&file_path(f))));
            }
            if let Some(c) = a.conclusion {
                o.push_str(&format!("    conclusion: {}\n", CONCLUSION[c]));
            }
        }
        if !self.audits.is_empty() {
            o.push_str("audits:\n");
        }
        for (i, a) in self.audits.iter().enumerate() {
            o.push_str(&format!(
                "  - id: \"a{i}\"\n    kind: {}\n    date: {}\n    scope: {}\n",
                AUDIT_KIND[a.kind],
                date_str(a.date),
                self.ids(ORG_CONTROLS, &a.scope)
            ));
            if let Some(b) = &a.by {
                o.push_str(&format!("    by: {}\n", q(b)));
            }
        }
        if !self.ncs.is_empty() {
            o.push_str("nonconformities:\n");
        }
        for (i, n) in self.ncs.iter().enumerate() {
            o.push_str(&format!(
                "  - id: \"nc{i}\"\n    raised: {}\n    controls: {}\n    description: {}\n",
                date_str(n.raised),
                self.ids(ORG_CONTROLS, &n.controls),
                q(&n.description)
            ));
            if let Some(c) = n.closed {
                o.push_str(&format!("    closed: {}\n", date_str(n.raised - c)));
            }
            if let Some(c) = &n.corrective_action {
                o.push_str(&format!("    corrective_action: {}\n", q(c)));
            }
            if let Some(x) = n.owner {
                o.push_str(&format!("    owner: {}\n", q(&self.role_id(x))));
            }
            if let Some(d) = n.due {
                o.push_str(&format!("    due: {}\n", date_str(d)));
            }
        }
        o
    }

    fn yaml(&self) -> String {
        let order: Vec<usize> = (0..self.systems.len()).collect();
        self.yaml_with(&order, false)
    }

    /// Every statement, as (system index or None, pool index).
    fn statements(&self) -> Vec<(Option<usize>, usize)> {
        let mut v: Vec<(Option<usize>, usize)> = self.controls.keys().map(|&c| (None, c)).collect();
        for (i, s) in self.systems.iter().enumerate() {
            v.extend(s.controls.keys().map(|&c| (Some(i), c)));
        }
        v
    }

    fn statement_mut(&mut self, at: (Option<usize>, usize)) -> &mut St {
        match at {
            (None, c) => self.controls.get_mut(&c).unwrap(),
            (Some(i), c) => self.systems[i].controls.get_mut(&c).unwrap(),
        }
    }
}

// ---------------------------------------------------------------------------
// Running aims on it.

fn write_file(dir: &Path, i: usize, present: bool) {
    let p = dir.join(file_path(i));
    if present {
        std::fs::write(&p, format!("# Evidence {i}\n\nA real document.\n")).unwrap();
    } else {
        let _ = std::fs::remove_file(&p);
    }
}

/// Write the inventory (and the evidence files it has) into `dir`.
fn materialise(dir: &Path, inv: &Inv, yaml: &str) {
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(dir.join("aims.yaml"), yaml).unwrap();
    for (i, &p) in inv.present.iter().enumerate() {
        write_file(dir, i, p);
    }
}

fn load(dir: &Path) -> aims::load::Project {
    match aims::load::load(Some(dir), dir) {
        Ok(p) => p,
        Err(f) => {
            let text = std::fs::read_to_string(dir.join("aims.yaml")).unwrap_or_default();
            let diags: Vec<String> = f.diagnostics.iter().map(|d| format!("{d:?}")).collect();
            panic!(
                "a generated inventory must load:\n{}\n---\n{text}",
                diags.join("\n")
            )
        }
    }
}

fn gap_of(dir: &Path) -> Gap {
    let project = load(dir);
    let g = assess::gap(&project, as_of());
    assert_scores_in_range(&g);
    g
}

/// (d) Every score of a gap analysis is within 0–100, and the counts add
/// up to the controls they count.
fn assert_scores_in_range(g: &Gap) {
    let ok = |s: f64| s.is_finite() && (0.0..=100.0).contains(&s);
    assert!(ok(g.summary.score), "score {}", g.summary.score);
    assert_eq!(g.summary.counts.values().sum::<usize>(), g.summary.controls);
    for grp in &g.groups {
        assert!(ok(grp.score), "group {} score {}", grp.id, grp.score);
    }
}

/// Every level of `before` (less evidence, or no waiver) is at most the
/// one in `after`, scope by scope; not-applicable stays not-applicable.
fn assert_not_lower(before: &Gap, after: &Gap, what: &str) {
    assert_eq!(before.controls.len(), after.controls.len());
    let check = |id: &str, scope: &str, b: Level, a: Level| {
        if b == Level::NotApplicable || a == Level::NotApplicable {
            assert_eq!(b, a, "{what}: {id} ({scope}) changed applicability");
        } else {
            assert!(
                a >= b,
                "{what}: {id} ({scope}) is {} with less evidence but {} with more",
                b.as_str(),
                a.as_str()
            );
        }
    };
    for (b, a) in before.controls.iter().zip(&after.controls) {
        assert_eq!(b.id, a.id);
        check(&b.id, "organisation", b.level, a.level);
        check(&b.id, "overall", b.overall, a.overall);
        assert_eq!(
            b.systems.keys().collect::<Vec<_>>(),
            a.systems.keys().collect::<Vec<_>>()
        );
        for (s, bl) in &b.systems {
            check(&b.id, s, *bl, a.systems[s]);
        }
    }
    assert!(
        after.summary.score >= before.summary.score,
        "{what}: score {} with less evidence but {} with more",
        before.summary.score,
        after.summary.score
    );
}

/// A finding without where it points (which moves when items are reordered).
fn unplaced(f: &Finding) -> (String, String, String, Option<String>, Option<String>) {
    (
        f.rule.to_string(),
        f.severity.as_str().to_string(),
        f.message.clone(),
        f.control.clone(),
        f.system.clone(),
    )
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        // Shrinking rewrites and reloads whole inventories; keep it bounded.
        max_shrink_iters: 256,
        // Integration tests have no lib.rs beside them to find the default place.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/proptest-regressions/properties.txt",
        ))),
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// The properties.

proptest! {
    #![proptest_config(config())]

    /// (a) Evidence files: creating one never lowers a level (nor the
    /// score); deleting one never raises a level.
    #[test]
    fn adding_an_evidence_file_never_lowers_a_level(inv in inventory(), k in 0..FILES) {
        let dir = tempfile::tempdir().unwrap();
        materialise(dir.path(), &inv, &inv.yaml());
        let first = gap_of(dir.path());
        let was_present = inv.present[k];
        write_file(dir.path(), k, !was_present);
        let second = gap_of(dir.path());
        if was_present {
            assert_not_lower(&second, &first, &format!("deleting {}", file_path(k)));
        } else {
            assert_not_lower(&first, &second, &format!("creating {}", file_path(k)));
        }
    }

    /// (a) Citations: citing one more present file, reviewed today, never
    /// lowers a level; taking such a citation away never raises one (the
    /// same pair read the other way). Taking away a *missing or stale*
    /// citation may raise a level, as the contract says it should, so
    /// that is not a law.
    #[test]
    fn adding_a_current_citation_never_lowers_a_level(
        inv in inventory(),
        pick in any::<prop::sample::Index>(),
        k in 0..FILES,
        detailed in any::<bool>(),
    ) {
        let spots = inv.statements();
        prop_assume!(!spots.is_empty());
        let at = spots[pick.index(spots.len())];
        let mut base = inv.clone();
        base.present[k] = true;
        if !detailed {
            // A bare path takes its statement's review date: make it today
            // on both sides, so that only the new citation differs.
            base.statement_mut(at).reviewed = Some(0);
        }
        let mut more = base.clone();
        more.statement_mut(at).evidence.push(Ev {
            file: k,
            reviewed: detailed.then_some(0),
            detailed,
        });
        let d1 = tempfile::tempdir().unwrap();
        let d2 = tempfile::tempdir().unwrap();
        materialise(d1.path(), &base, &base.yaml());
        materialise(d2.path(), &more, &more.yaml());
        let without = gap_of(d1.path());
        let with = gap_of(d2.path());
        assert_not_lower(&without, &with, &format!("citing {} at {at:?}", file_path(k)));
    }

    /// (b) A waiver only silences findings. With it, every finding of the
    /// run without it is still there, unchanged but for `waived_by`; only
    /// findings the waiver matches are silenced; the one finding it may
    /// add is about itself (`waiver/unused` when it silences nothing,
    /// `waiver/expired` when it has expired, which silences nothing); and
    /// no level goes down.
    #[test]
    fn a_waiver_only_removes_findings(
        inv in inventory(),
        pick in any::<prop::sample::Index>(),
        star in any::<bool>(),
        by_control in any::<bool>(),
        by_system in any::<bool>(),
        expires in prop_oneof![4 => -400i64..=0, 1 => 1i64..60],
    ) {
        let dir = tempfile::tempdir().unwrap();
        let yaml = inv.yaml();
        materialise(dir.path(), &inv, &yaml);
        let before = gap_of(dir.path());
        prop_assume!(!before.findings.is_empty());
        // Aim the waiver at one real finding, narrowed as drawn.
        let target = &before.findings[pick.index(before.findings.len())];
        let rule = if star { "*".to_string() } else { target.rule.to_string() };
        let mut w = format!(
            "waivers:\n  - id: \"w-prop\"\n    rule: {}\n    reason: \"accepted for now\"\n    expires: {}\n",
            q(&rule),
            date_str(expires)
        );
        let control = target.control.clone().filter(|_| by_control);
        let system = target.system.clone().filter(|_| by_system);
        if let Some(c) = &control {
            w.push_str(&format!("    control: {}\n", q(c)));
        }
        if let Some(s) = &system {
            w.push_str(&format!("    system: {}\n", q(s)));
        }
        // Appended last, so no other item moves.
        std::fs::write(dir.path().join("aims.yaml"), format!("{yaml}{w}")).unwrap();
        let after = gap_of(dir.path());
        let expired = expires > 0;

        let (own, rest): (Vec<&Finding>, Vec<&Finding>) =
            after.findings.iter().partition(|f| f.rule.as_str().starts_with("waiver/"));
        prop_assert!(before.findings.iter().all(|f| !f.rule.as_str().starts_with("waiver/")));
        let mut unwaived: Vec<Finding> = rest
            .iter()
            .map(|f| Finding { waived_by: None, ..(*f).clone() })
            .collect();
        let mut original = before.findings.clone();
        unwaived.sort_by_key(|f| format!("{f:?}"));
        original.sort_by_key(|f| format!("{f:?}"));
        prop_assert_eq!(&unwaived, &original, "a waiver changed, added or dropped another finding");
        let silenced: Vec<&&Finding> = rest.iter().filter(|f| f.waived_by.is_some()).collect();
        for f in &silenced {
            prop_assert_eq!(f.waived_by.as_deref(), Some("w-prop"));
            prop_assert!(rule == "*" || f.rule.as_str() == rule, "silenced {} with a waiver for {}", f.rule, rule);
            let covers = |want: &Option<String>, got: &Option<String>| {
                want.as_ref().is_none_or(|w| got.as_ref().is_some_and(|g| g.eq_ignore_ascii_case(w)))
            };
            prop_assert!(covers(&control, &f.control), "silenced {:?}, outside control {:?}", f, control);
            prop_assert!(covers(&system, &f.system), "silenced {:?}, outside system {:?}", f, system);
        }
        if expired {
            prop_assert!(silenced.is_empty(), "an expired waiver silenced findings");
            prop_assert_eq!(own.len(), 1);
            prop_assert_eq!(own[0].rule, "waiver/expired");
        } else {
            // Aimed at a real finding, an active waiver silences at least it.
            prop_assert!(!silenced.is_empty(), "an active waiver silenced nothing");
            prop_assert!(own.is_empty(), "an active, used waiver added {:?}", own);
            assert_not_lower(&before, &after, "adding a waiver");
        }
    }

    /// (d) The score of any set of levels is within 0–100; an empty or
    /// all not-applicable set scores 0.
    #[test]
    fn a_score_stays_within_0_and_100(levels in prop::collection::vec(prop::sample::select(Level::LADDER.to_vec()), 0..200)) {
        let s = assess::score(levels.iter().copied());
        prop_assert!(s.is_finite() && (0.0..=100.0).contains(&s), "score {}", s);
        if levels.iter().all(|l| *l == Level::NotApplicable) {
            prop_assert_eq!(s, 0.0);
        }
    }

    /// (e) See [`roundtrip`].
    #[test]
    fn a_generated_inventory_reads_back_unchanged(inv in inventory()) {
        roundtrip(&inv);
    }
}

fn cases(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, ..config() }
}

proptest! {
    // Three loads a case, or a law every other property checks too.
    #![proptest_config(cases(32))]

    /// (c) The same input gives the same bytes: two loads and two runs of
    /// the gap analysis give the same gap JSON. Reordering the systems and
    /// the organisation's statements (a list and a mapping whose order the
    /// contract gives no meaning) changes no level, score, reason or
    /// summary byte, and no finding except where it points.
    #[test]
    fn the_same_input_gives_the_same_gap(inv in inventory(), order in any::<u64>()) {
        let dir = tempfile::tempdir().unwrap();
        materialise(dir.path(), &inv, &inv.yaml());
        let g1 = gap_of(dir.path());
        let g2 = gap_of(dir.path());
        let j1 = aims::render::escape::json_pretty(&g1).unwrap();
        let j2 = aims::render::escape::json_pretty(&g2).unwrap();
        prop_assert!(j1 == j2, "gap JSON differs between two runs");

        // The same inventory, systems shuffled and `controls:` reversed.
        let mut perm: Vec<usize> = (0..inv.systems.len()).collect();
        let mut seed = order;
        for i in (1..perm.len()).rev() {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            perm.swap(i, (seed >> 33) as usize % (i + 1));
        }
        let other = tempfile::tempdir().unwrap();
        materialise(other.path(), &inv, &inv.yaml_with(&perm, true));
        let g3 = gap_of(other.path());
        let bytes = |g: &Gap| {
            (
                aims::render::escape::json_pretty(&g.summary).unwrap(),
                aims::render::escape::json_pretty(&g.groups).unwrap(),
                aims::render::escape::json_pretty(&g.controls).unwrap(),
            )
        };
        prop_assert!(bytes(&g1) == bytes(&g3), "reordering changed a level, score or reason");
        let mut f1: Vec<_> = g1.findings.iter().map(unplaced).collect();
        let mut f3: Vec<_> = g3.findings.iter().map(unplaced).collect();
        f1.sort();
        f3.sort();
        prop_assert_eq!(f1, f3, "reordering changed the findings");
    }
    /// (d) The scores of a generated inventory's gap analysis are within
    /// 0–100 (checked in every property here too, through `gap_of`).
    #[test]
    fn gap_scores_stay_within_0_and_100(inv in inventory()) {
        let dir = tempfile::tempdir().unwrap();
        materialise(dir.path(), &inv, &inv.yaml());
        let g = gap_of(dir.path());
        for c in &g.controls {
            let s = assess::score(std::iter::once(c.overall));
            prop_assert!((0.0..=100.0).contains(&s));
        }
    }
}

proptest! {
    // Rendering a report is the slow part: fewer cases.
    #![proptest_config(cases(8))]

    /// (c) The same input gives the same bytes: two loads and two runs give
    /// the same report Markdown and HTML.
    #[test]
    fn the_same_input_gives_the_same_report(inv in inventory()) {
        let dir = tempfile::tempdir().unwrap();
        materialise(dir.path(), &inv, &inv.yaml());
        let render = |dir: &Path| {
            let project = load(dir);
            let ev = aims::assess::evidence::Evidence::new(&project.evidence_root);
            let gap = assess::gap_with(&project, as_of(), &ev);
            let engine = aims::render::templates::engine(None).unwrap();
            let inputs = aims::render::report::Inputs {
                project: &project,
                gap: &gap,
                as_of: as_of(),
                generated_at: "2026-11-24 00:00 UTC".into(),
                out_dir: dir.to_path_buf(),
                link_root: project.evidence_root.clone(),
                regressions: None,
                crosswalks: aims::catalog::crosswalk::report_sections(&project, &gap),
                evidence: &ev,
            };
            let view = aims::render::report::report_view(&inputs);
            let md = aims::render::templates::render(&engine, "report.md", &view).unwrap();
            let html = aims::render::templates::render(&engine, "report.html", &view).unwrap();
            (md, html)
        };
        let (m1, h1) = render(dir.path());
        let (m2, h2) = render(dir.path());
        prop_assert!(m1 == m2, "report Markdown differs between two runs");
        prop_assert!(h1 == h2, "report HTML differs between two runs");
    }
}

/// (e) A generated inventory survives writing and loading unchanged.
///
/// `aims` has no serialiser for its inventory model (it only reads YAML),
/// so "unchanged" means: the generated value is written as YAML text by
/// this test, read by the real loader, and every field written is read
/// back equal (text byte for byte, including quotes, `#`, line breaks,
/// tabs and non-ASCII; dates, enums, numbers, ids and references; lists
/// in order and with nothing added), and every field not written is
/// empty or absent. Clause ids written as plain YAML numbers (`4.1:`)
/// must come back as the id written.
fn roundtrip(g: &Inv) {
    let dir = tempfile::tempdir().unwrap();
    materialise(dir.path(), g, &g.yaml());
    let p = load(dir.path());
    let inv = &p.inventory;
    let date = |d: i64| Date::parse(&date_str(d)).unwrap();
    let dates = |d: Option<i64>| d.map(date);
    let id = |s: String| Some(m::Id(s));
    let ctl = |pool: &[&str], idx: &[usize]| -> Vec<String> {
        idx.iter().map(|&i| pool[i].to_string()).collect()
    };
    let ids_of = |v: &[m::ControlId]| -> Vec<String> { v.iter().map(|c| c.0.clone()).collect() };

    let org = inv.organization.as_ref().expect("organization");
    assert_eq!(org.name, g.org_name);
    assert_eq!(org.scope, g.scope);
    assert_eq!(org.aims_owner, g.aims_owner.and_then(|r| id(g.role_id(r))));
    assert_eq!(org.risk_appetite, g.risk_appetite);

    assert_eq!(inv.roles.len(), g.roles.len());
    for (i, (r, w)) in inv.roles.iter().zip(&g.roles).enumerate() {
        assert_eq!(r.id.0, format!("r{i}"));
        assert_eq!(r.title, w.title);
        assert_eq!(r.holder, w.holder);
        assert_eq!(r.responsibilities, w.responsibilities);
    }

    assert_eq!(inv.policies.len(), g.policies.len());
    for (i, (r, w)) in inv.policies.iter().zip(&g.policies).enumerate() {
        assert_eq!(r.id.0, format!("p{i}"));
        assert_eq!(r.title, w.title);
        assert_eq!(r.path, w.path.map(file_path));
        assert_eq!(r.approved_by, w.approved_by.and_then(|x| id(g.role_id(x))));
        assert_eq!(r.approved, dates(w.approved));
        assert_eq!(r.review_every, w.review_months.map(m::Duration::months));
        assert_eq!(ids_of(&r.controls), ctl(ORG_CONTROLS, &w.controls));
    }

    let check_statement = |read: &m::Statement, w: &St, what: &str| {
        assert_eq!(read.applicable, w.applicable, "{what}");
        assert_eq!(read.justification, w.justification, "{what}");
        assert_eq!(
            read.status.map(|s| s.as_str()),
            w.status.map(|s| STATUS[s]),
            "{what}"
        );
        assert_eq!(read.owner, w.owner.and_then(|x| id(g.role_id(x))), "{what}");
        assert_eq!(read.reviewed, dates(w.reviewed), "{what}");
        assert_eq!(read.notes, w.notes, "{what}");
        check_evidence(&read.evidence, &w.evidence, what);
    };
    let written: Vec<&str> = g.controls.keys().map(|&c| ORG_CONTROLS[c]).collect();
    let read: Vec<&str> = inv.controls.keys().map(String::as_str).collect();
    let mut written_sorted = written.clone();
    written_sorted.sort_unstable();
    let mut read_sorted = read.clone();
    read_sorted.sort_unstable();
    assert_eq!(read_sorted, written_sorted, "organisation statements");
    for (c, w) in &g.controls {
        let key = ORG_CONTROLS[*c];
        check_statement(&inv.controls[key].statement, w, key);
    }

    assert_eq!(inv.systems.len(), g.systems.len());
    for (i, (s, w)) in inv.systems.iter().zip(&g.systems).enumerate() {
        assert_eq!(s.id.0, g.system_id(i));
        assert_eq!(s.name, w.name);
        assert_eq!(s.description, w.description);
        assert_eq!(s.owner, w.owner.and_then(|x| id(g.role_id(x))));
        assert_eq!(s.lifecycle.as_str(), LIFECYCLE[w.lifecycle]);
        assert_eq!(s.role.as_str(), ROLE[w.role]);
        assert_eq!(s.changed, dates(w.changed));
        assert_eq!(s.purpose, w.purpose);
        assert!(s.supplier.is_none() && s.users.is_none() && s.affected.is_none());
        assert!(s.human_oversight.is_none() && s.logging.is_none());
        assert_eq!(s.data.len(), w.data.len());
        for (k, (d, wd)) in s.data.iter().zip(&w.data).enumerate() {
            assert_eq!(d.id.0, format!("d{k}"));
            assert_eq!(d.personal, wd.personal);
            assert_eq!(
                d.provenance.as_ref().map(|p| p.path().to_string()),
                wd.provenance.map(file_path)
            );
            assert!(d.description.is_none());
        }
        match (&s.eu_ai_act, &w.act) {
            (None, None) => {}
            (Some(a), Some(wa)) => {
                assert_eq!(a.in_scope, wa.in_scope);
                let annex: Vec<&str> = a.annex_iii.iter().map(|x| x.as_str()).collect();
                let wannex: Vec<&str> = wa.annex_iii.iter().map(|&x| ANNEX_III[x]).collect();
                assert_eq!(annex, wannex);
                assert_eq!(a.profiling, wa.profiling);
                let tr: Vec<&str> = a.transparency.iter().map(|x| x.as_str()).collect();
                let wtr: Vec<&str> = wa.transparency.iter().map(|&x| TRANSPARENCY[x]).collect();
                assert_eq!(tr, wtr);
                assert!(a.prohibited.is_empty() && !a.safety_component && a.gpai.is_none());
            }
            (a, wa) => panic!("eu_ai_act: read {a:?}, wrote {wa:?}"),
        }
        let keys: Vec<&str> = s.controls.keys().map(String::as_str).collect();
        let mut wkeys: Vec<&str> = w.controls.keys().map(|&c| SYS_CONTROLS[c]).collect();
        wkeys.sort_unstable();
        let mut keys_sorted = keys.clone();
        keys_sorted.sort_unstable();
        assert_eq!(keys_sorted, wkeys, "statements of system {i}");
        for (c, wst) in &w.controls {
            let key = SYS_CONTROLS[*c];
            check_statement(&s.controls[key], wst, key);
        }
        check_evidence(&s.evidence, &w.evidence, "system evidence");
    }

    assert_eq!(inv.risks.len(), g.risks.len());
    for (i, (r, w)) in inv.risks.iter().zip(&g.risks).enumerate() {
        assert_eq!(r.id.0, format!("risk{i}"));
        assert_eq!(r.title, w.title);
        let sys: Vec<String> = r.systems.iter().map(|s| s.0.clone()).collect();
        let wsys: Vec<String> = w.systems.iter().map(|&s| g.system_id(s)).collect();
        assert_eq!(sys, wsys);
        assert_eq!((r.likelihood.0, r.impact.0), (w.likelihood, w.impact));
        assert_eq!(r.owner, w.owner.and_then(|x| id(g.role_id(x))));
        assert_eq!(
            r.treatment.map(|t| t.as_str()),
            w.treatment.map(|t| TREATMENT[t])
        );
        assert_eq!(ids_of(&r.controls), ctl(ORG_CONTROLS, &w.controls));
        assert_eq!(r.review_by, dates(w.review_by));
        let accepted = w
            .treatment
            .filter(|&t| TREATMENT[t] == "accept")
            .and_then(|_| id(g.role_id(w.owner.unwrap_or(0))));
        assert_eq!(r.accepted_by, accepted);
    }

    assert_eq!(inv.impact_assessments.len(), g.ias.len());
    for (i, (a, w)) in inv.impact_assessments.iter().zip(&g.ias).enumerate() {
        assert_eq!(a.id.0, format!("ia{i}"));
        assert_eq!(a.system.0, g.system_id(w.system));
        assert_eq!(a.date, date(w.date));
        assert_eq!(a.next_review, w.next_review.map(|n| date(w.date - n)));
        assert_eq!(a.path, w.path.map(file_path));
        assert_eq!(
            a.conclusion.map(|c| c.as_str()),
            w.conclusion.map(|c| CONCLUSION[c])
        );
        assert!(a.impacts.is_empty());
    }

    assert_eq!(inv.audits.len(), g.audits.len());
    for (i, (a, w)) in inv.audits.iter().zip(&g.audits).enumerate() {
        assert_eq!(a.id.0, format!("a{i}"));
        assert_eq!(a.kind.as_str(), AUDIT_KIND[w.kind]);
        assert_eq!(a.date, date(w.date));
        assert_eq!(a.by, w.by);
        assert_eq!(ids_of(&a.scope), ctl(ORG_CONTROLS, &w.scope));
    }

    assert_eq!(inv.nonconformities.len(), g.ncs.len());
    for (i, (n, w)) in inv.nonconformities.iter().zip(&g.ncs).enumerate() {
        assert_eq!(n.id.0, format!("nc{i}"));
        assert_eq!(n.raised, date(w.raised));
        assert_eq!(n.closed, w.closed.map(|c| date(w.raised - c)));
        assert_eq!(ids_of(&n.controls), ctl(ORG_CONTROLS, &w.controls));
        assert_eq!(n.description, w.description);
        assert_eq!(n.corrective_action, w.corrective_action);
        assert_eq!(n.owner, w.owner.and_then(|x| id(g.role_id(x))));
        assert_eq!(n.due, dates(w.due));
    }
    assert!(inv.suppliers.is_empty() && inv.waivers.is_empty());
}

fn check_evidence(read: &m::OneOrMany<m::EvidenceRef>, written: &[Ev], what: &str) {
    assert_eq!(read.0.len(), written.len(), "{what}: evidence count");
    for (r, w) in read.iter().zip(written) {
        assert_eq!(r.path(), file_path(w.file), "{what}");
        match r {
            m::EvidenceRef::Path(_) => assert!(!w.detailed, "{what}"),
            m::EvidenceRef::Detailed(d) => {
                assert!(w.detailed, "{what}");
                assert_eq!(
                    d.reviewed,
                    w.reviewed.map(|x| Date::parse(&date_str(x)).unwrap()),
                    "{what}"
                );
                assert!(d.sha256.is_none());
            }
        }
    }
}
