//! Rules: data-driven checks with stable ids, default severities, and the
//! waivers and gate that act on their findings.
//!
//! Each rule has an id (`area/name`) users configure in `[rules]`, waive in
//! `waivers:`, deny in `[gate]` and grep for. `aims rules ID` prints the
//! explanation and the fix written here.

use serde::Serialize;

use crate::catalog::Catalog;
use crate::config::{Config, Level};
use crate::diag::{Location, Severity};
use crate::evidence::{Evidence, Freshness};
use crate::inventory::Project;
use crate::inventory::model::*;

/// A rule's documentation and default severity.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub explain: &'static str,
    pub fix: &'static str,
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "evidence/missing",
        severity: Severity::Error,
        summary: "Cited evidence does not exist",
        explain: "A claim never counts for more than its evidence shows: a statement whose evidence file is missing, or whose glob matches nothing, is at most `partial`.",
        fix: "Commit the file at the cited path (relative to the evidence root), or correct the path or glob.",
    },
    Rule {
        id: "evidence/outside-root",
        severity: Severity::Error,
        summary: "Cited evidence leads outside the evidence root",
        explain: "Evidence must live in the repository so that it is versioned and can be packed for an auditor. A path that is absolute, climbs out with `..`, or goes through a symlink to outside the root is never opened or read, and counts as missing.",
        fix: "Copy the document under the evidence root (see `evidence_root` in aims.toml) and cite it there.",
    },
    Rule {
        id: "evidence/unreadable",
        severity: Severity::Error,
        summary: "Cited evidence cannot be used",
        explain: "The cited path exists but is a folder, an empty file, unreadable, a symlink loop, or a URL. It counts as missing.",
        fix: "Cite a readable, non-empty file, or a glob such as `records/*.csv` for the files in a folder.",
    },
    Rule {
        id: "evidence/hash-mismatch",
        severity: Severity::Error,
        summary: "Evidence changed since its hash was recorded",
        explain: "The statement records a `sha256` for the file and the file no longer matches, so what was reviewed is not what is there now. It counts as missing until reviewed again.",
        fix: "Review the new version, then update `sha256` (and `reviewed`) in the inventory.",
    },
    Rule {
        id: "evidence/stale",
        severity: Severity::Warning,
        summary: "Evidence is older than its freshness limit",
        explain: "Evidence counts as current for a limited time after it was last reviewed (12 months for policies and impact assessments, 3 months for operation and monitoring records; `aims controls ID` shows each control's limit, `[freshness]` in aims.toml changes it). A statement with stale evidence is `implemented`, not `evidenced`.",
        fix: "Review the evidence (or produce a current record) and update its `reviewed` date.",
    },
    Rule {
        id: "evidence/unreviewed",
        severity: Severity::Warning,
        summary: "Evidence has no review date",
        explain: "Without a `reviewed` date on the evidence or its statement, nothing shows the evidence is current, so the statement stays `implemented`.",
        fix: "Add `reviewed: YYYY-MM-DD` to the evidence entry (`{path, reviewed}`) or to the statement.",
    },
    Rule {
        id: "statement/no-evidence",
        severity: Severity::Warning,
        summary: "A control is marked implemented with no evidence",
        explain: "An `implemented` status with nothing cited is a claim an auditor cannot check; it counts as `partial`.",
        fix: "Cite the documents or records that show the control working under `evidence:`.",
    },
    Rule {
        id: "statement/owner-missing",
        severity: Severity::Warning,
        summary: "A control statement has no owner",
        explain: "Every applicable control needs someone accountable for it (ISO/IEC 42001 5.3 and A.3.2). A statement without `owner` has nobody to keep its evidence current.",
        fix: "Add `owner: ROLE-ID` to the statement, naming a role from `roles:`.",
    },
    Rule {
        id: "statement/unjustified-exclusion",
        severity: Severity::Error,
        summary: "A control is excluded without a justification",
        explain: "Clause 6.1.3 requires the Statement of Applicability to justify every excluded Annex A control. `applicable: false` without `justification` is the first thing a Stage 1 auditor flags.",
        fix: "Add `justification: \"…\"` saying why the control does not apply, or remove `applicable: false`.",
    },
    Rule {
        id: "policy/review-overdue",
        severity: Severity::Error,
        summary: "A policy is past its review date",
        explain: "Policies are reviewed at planned intervals (A.2.4). The review is due at `approved` plus `review_every` (default 12 months).",
        fix: "Review the policy, record the new approval date in `approved`, and commit the updated document.",
    },
    Rule {
        id: "policy/unapproved",
        severity: Severity::Warning,
        summary: "A policy has no recorded approval",
        explain: "A policy counts once top management has approved it (5.2). Without `approved_by` and `approved`, nothing shows it was.",
        fix: "Add `approved_by: ROLE-ID` and `approved: YYYY-MM-DD`.",
    },
    Rule {
        id: "system/owner-missing",
        severity: Severity::Warning,
        summary: "An AI system has no owner",
        explain: "Each AI system in scope needs an accountable owner (A.3.2); without one, its risks, impact assessment and monitoring have nobody to answer for them.",
        fix: "Add `owner: ROLE-ID` to the system.",
    },
    Rule {
        id: "risk/owner-missing",
        severity: Severity::Warning,
        summary: "A risk has no owner",
        explain: "Risk treatment (6.1.3) needs a risk owner who approves the treatment plan and accepts the residual risk.",
        fix: "Add `owner: ROLE-ID` to the risk.",
    },
    Rule {
        id: "nonconformity/overdue",
        severity: Severity::Error,
        summary: "A nonconformity is open past its due date",
        explain: "Corrective action must be taken in time (10.2). A nonconformity with a `due` date in the past and no `closed` date is overdue; it also keeps its controls below `evidenced`.",
        fix: "Finish the corrective action and set `closed:`, or agree a new `due` date and record why.",
    },
    Rule {
        id: "waiver/expired",
        severity: Severity::Error,
        summary: "A waiver has expired",
        explain: "Waivers silence findings only until `expires`. After that the finding is back, and the stale waiver itself is reported so it gets renewed or removed.",
        fix: "Fix what the waiver covered and remove it, or renew it with a new `expires` and a fresh approval.",
    },
    Rule {
        id: "waiver/unused",
        severity: Severity::Warning,
        summary: "A waiver matches no finding",
        explain: "A waiver that silences nothing is stale, like an unused ignore in cargo-deny: the problem was fixed or the waiver is mistyped.",
        fix: "Remove the waiver, or correct its `rule`, `control` or `system`.",
    },
];

pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The waiver that silences it, when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived_by: Option<String>,
}

struct Ctx<'a> {
    inv: &'a Inventory,
    catalog: &'a Catalog,
    as_of: Date,
    out: Vec<Finding>,
}

impl Ctx<'_> {
    fn push(
        &mut self,
        rule: &'static str,
        message: String,
        control: Option<&str>,
        system: Option<&Id>,
        location: Location,
    ) {
        let r = self::rule(rule).expect("rule ids used by checks are registered");
        self.out.push(Finding {
            rule,
            severity: r.severity,
            message,
            control: control.map(str::to_string),
            system: system.map(|s| s.0.clone()),
            location: Some(location),
            help: Some(r.fix.to_string()),
            waived_by: None,
        });
    }
}

/// Run every rule, apply `[rules]` levels and waivers, and sort.
pub fn run(project: &Project, as_of: Date) -> Vec<Finding> {
    run_with(project, as_of, &Evidence::new(&project.evidence_root))
}

/// As [`run`], with a resolver the caller keeps (gap analysis reuses it).
pub fn run_with(project: &Project, as_of: Date, ev: &Evidence) -> Vec<Finding> {
    let mut cx = Ctx {
        inv: &project.inventory,
        catalog: &project.catalog,
        as_of,
        out: Vec::new(),
    };
    statements(&mut cx);
    evidence(&mut cx, project, ev);
    policies(&mut cx);
    owners(&mut cx);
    nonconformities(&mut cx);
    let mut findings = cx.out;
    apply_levels(&mut findings, &project.config);
    apply_waivers(
        &mut findings,
        &project.inventory.waivers,
        as_of,
        &project.config,
    );
    findings.sort_by(|a, b| {
        a.location
            .cmp(&b.location)
            .then(a.rule.cmp(b.rule))
            .then(a.message.cmp(&b.message))
    });
    findings
}

fn statement_checks(
    cx: &mut Ctx,
    id: &str,
    st: &Statement,
    system: Option<&Id>,
    loc: impl Fn(&str) -> Location,
) {
    let title = cx
        .catalog
        .get(id)
        .map(|c| c.title.clone())
        .unwrap_or_default();
    let whose = system
        .map(|s| format!(" for system `{s}`"))
        .unwrap_or_default();
    if st.applicable == Some(false) {
        if st
            .justification
            .as_deref()
            .is_none_or(|j| j.trim().is_empty())
        {
            cx.push(
                "statement/unjustified-exclusion",
                format!("`{id}` ({title}) is excluded{whose} without a justification"),
                Some(id),
                system,
                loc("applicable"),
            );
        }
        return;
    }
    if st.owner.is_none() && st.status.is_some() {
        cx.push(
            "statement/owner-missing",
            format!("`{id}` ({title}){whose} has no owner"),
            Some(id),
            system,
            loc(""),
        );
    }
}

fn statements(cx: &mut Ctx) {
    let inv = cx.inv;
    for (id, placed) in &inv.controls {
        let src = &placed.src;
        statement_checks(cx, id, &placed.statement, None, |f| {
            if f.is_empty() {
                src.loc()
            } else {
                src.loc_of(&[f])
            }
        });
    }
    for s in &inv.systems {
        if s.lifecycle == Lifecycle::Retired {
            continue;
        }
        for (key, st) in &s.controls {
            let id = cx
                .catalog
                .get(key)
                .map(|c| c.id.clone())
                .unwrap_or_else(|| key.clone());
            statement_checks(cx, &id, st, Some(&s.id), |f| {
                if f.is_empty() {
                    s.src.loc_of(&["controls", key])
                } else {
                    s.src.loc_of(&["controls", key, f])
                }
            });
        }
    }
}

fn policies(cx: &mut Ctx) {
    let inv = cx.inv;
    for p in &inv.policies {
        let controls: Vec<&str> = p.controls.iter().map(|c| c.0.as_str()).collect();
        let control = controls.first().copied();
        match (p.approved, &p.approved_by) {
            (Some(approved), _) => {
                let every = p.review_every.unwrap_or(Duration::months(12));
                let due = every.after(approved);
                if due < cx.as_of {
                    cx.push(
                        "policy/review-overdue",
                        format!("policy `{}` ({}) was due for review on {due} (approved {approved}, reviewed every {every})", p.id, p.title),
                        control,
                        None,
                        p.src.loc_of(&["approved"]),
                    );
                }
                if p.approved_by.is_none() {
                    cx.push(
                        "policy/unapproved",
                        format!(
                            "policy `{}` ({}) does not say who approved it",
                            p.id, p.title
                        ),
                        control,
                        None,
                        p.src.loc(),
                    );
                }
            }
            (None, _) => cx.push(
                "policy/unapproved",
                format!("policy `{}` ({}) has no approval date", p.id, p.title),
                control,
                None,
                p.src.loc(),
            ),
        }
    }
}

fn owners(cx: &mut Ctx) {
    let inv = cx.inv;
    for s in &inv.systems {
        if s.owner.is_none() && s.lifecycle != Lifecycle::Retired {
            cx.push(
                "system/owner-missing",
                format!("system `{}` ({}) has no owner", s.id, s.name),
                None,
                Some(&s.id),
                s.src.loc(),
            );
        }
    }
    for r in &inv.risks {
        if r.owner.is_none() {
            cx.push(
                "risk/owner-missing",
                format!("risk `{}` ({}) has no owner", r.id, r.title),
                None,
                None,
                r.src.loc(),
            );
        }
    }
}

fn nonconformities(cx: &mut Ctx) {
    let inv = cx.inv;
    for n in &inv.nonconformities {
        if let (None, Some(due)) = (n.closed, n.due)
            && due < cx.as_of
        {
            let days = (cx.as_of.0 - due.0).num_days();
            let message = format!(
                "nonconformity `{}` was due on {due} and is still open ({days} days overdue)",
                n.id
            );
            // One finding per control, so each control's level is capped.
            let controls: Vec<Option<String>> = if n.controls.is_empty() {
                vec![None]
            } else {
                n.controls
                    .iter()
                    .map(|c| {
                        Some(
                            cx.catalog
                                .get(&c.0)
                                .map_or_else(|| c.0.clone(), |k| k.id.clone()),
                        )
                    })
                    .collect()
            };
            for c in controls {
                let message = match &c {
                    Some(c) => format!("{message} (on `{c}`)"),
                    None => message.clone(),
                };
                cx.push(
                    "nonconformity/overdue",
                    message,
                    c.as_deref(),
                    None,
                    n.src.loc_of(&["due"]),
                );
            }
        }
    }
}

/// Every citation in the inventory: statements (with freshness for
/// implemented ones) and the documents other items point at.
fn evidence(cx: &mut Ctx, project: &Project, ev: &Evidence) {
    let inv = cx.inv;
    let config = &project.config;
    let judge = |cx: &mut Ctx,
                 id: &str,
                 st: &Statement,
                 system: Option<&Id>,
                 src: &Src,
                 base: &[&str]| {
        let Some(control) = cx.catalog.get(id) else {
            return;
        };
        if st.applicable == Some(false) {
            return;
        }
        let whose = system
            .map(|s| format!(" for system `{s}`"))
            .unwrap_or_default();
        let implemented = st.status == Some(Status::Implemented);
        if implemented && st.evidence.0.is_empty() {
            let mut p = base.to_vec();
            p.push("status");
            cx.push(
                "statement/no-evidence",
                format!(
                    "`{id}` ({}) is marked implemented{whose} but cites no evidence",
                    control.title
                ),
                Some(id),
                system,
                src.loc_of(&p),
            );
        }
        for (i, j) in crate::evidence::judge_statement(ev, st, control, inv, config, cx.as_of)
            .into_iter()
            .enumerate()
        {
            let idx = i.to_string();
            let mut p = base.to_vec();
            p.extend(["evidence", idx.as_str()]);
            let loc = src.loc_of(&p);
            if let Some(problem) = &j.problem {
                cx.push(
                    problem.rule(),
                    format!("{} (`{id}`{whose})", problem.describe(&j.cited)),
                    Some(id),
                    system,
                    loc,
                );
                continue;
            }
            if !implemented {
                continue;
            }
            match &j.freshness {
                Freshness::Stale { reviewed, limit } => cx.push(
                    "evidence/stale",
                    format!("evidence `{}` for `{id}`{whose} was last reviewed on {reviewed}, more than {limit} ago", j.cited),
                    Some(id),
                    system,
                    loc,
                ),
                Freshness::Unreviewed => cx.push(
                    "evidence/unreviewed",
                    format!("evidence `{}` for `{id}`{whose} has no review date", j.cited),
                    Some(id),
                    system,
                    loc,
                ),
                Freshness::Fresh { .. } => {}
            }
        }
    };
    for (id, placed) in &inv.controls {
        judge(cx, id, &placed.statement, None, &placed.src, &[]);
    }
    for s in &inv.systems {
        if s.lifecycle == Lifecycle::Retired {
            continue;
        }
        for (key, st) in &s.controls {
            let id = cx
                .catalog
                .get(key)
                .map_or_else(|| key.clone(), |c| c.id.clone());
            judge(cx, &id, st, Some(&s.id), &s.src, &["controls", key]);
        }
    }

    // Documents cited outside statements: each must exist under the root.
    let cite = |cx: &mut Ctx,
                path: &str,
                what: String,
                control: Option<&str>,
                system: Option<&Id>,
                loc: Location| {
        if let Some(problem) = ev.resolve(path, None).problem {
            cx.push(
                problem.rule(),
                format!("{} ({what})", problem.describe(path)),
                control,
                system,
                loc,
            );
        }
    };
    for p in &inv.policies {
        if let Some(path) = &p.path {
            let control = p.controls.first().map(|c| c.0.clone());
            cite(
                cx,
                path,
                format!("policy `{}`", p.id),
                control.as_deref(),
                None,
                p.src.loc_of(&["path"]),
            );
        }
    }
    for s in inv
        .systems
        .iter()
        .filter(|s| s.lifecycle != Lifecycle::Retired)
    {
        for (i, e) in s.evidence.iter().enumerate() {
            cite(
                cx,
                e.path(),
                format!("system `{}`", s.id),
                None,
                Some(&s.id),
                s.src.loc_of(&["evidence", &i.to_string()]),
            );
        }
        for (i, d) in s.data.iter().enumerate() {
            if let Some(p) = &d.provenance {
                let loc = s.src.loc_of(&["data", &i.to_string(), "provenance"]);
                cite(
                    cx,
                    p,
                    format!("provenance of data set `{}`", d.id),
                    Some("A.7.5"),
                    Some(&s.id),
                    loc,
                );
            }
        }
    }
    for ia in &inv.impact_assessments {
        if let Some(p) = &ia.path {
            cite(
                cx,
                p,
                format!("impact assessment `{}`", ia.id),
                Some("A.5.3"),
                Some(&ia.system),
                ia.src.loc_of(&["path"]),
            );
        }
    }
    for sup in &inv.suppliers {
        if let Some(c) = &sup.contract {
            cite(
                cx,
                c,
                format!("contract of supplier `{}`", sup.id),
                Some("A.10.2"),
                None,
                sup.src.loc_of(&["contract"]),
            );
        }
        if let Some(dd) = &sup.due_diligence {
            for (i, e) in dd.evidence.iter().enumerate() {
                let loc = sup
                    .src
                    .loc_of(&["due_diligence", "evidence", &i.to_string()]);
                cite(
                    cx,
                    e.path(),
                    format!("due diligence of supplier `{}`", sup.id),
                    Some("A.10.3"),
                    None,
                    loc,
                );
            }
        }
    }
    for a in &inv.audits {
        let control = if a.kind == AuditKind::ManagementReview {
            "9.3"
        } else {
            "9.2"
        };
        for (i, e) in a.evidence.iter().enumerate() {
            cite(
                cx,
                e.path(),
                format!("audit `{}`", a.id),
                Some(control),
                None,
                a.src.loc_of(&["evidence", &i.to_string()]),
            );
        }
    }
}

fn apply_levels(findings: &mut Vec<Finding>, config: &Config) {
    findings.retain_mut(|f| match config.rules.get(f.rule) {
        Some(Level::Off) => false,
        Some(Level::Error) => {
            f.severity = Severity::Error;
            true
        }
        Some(Level::Warning) => {
            f.severity = Severity::Warning;
            true
        }
        Some(Level::Note) => {
            f.severity = Severity::Note;
            true
        }
        None => true,
    });
}

fn waiver_matches(w: &Waiver, f: &Finding) -> bool {
    (w.rule == "*" || w.rule == f.rule)
        && w.control.as_ref().is_none_or(|c| {
            f.control
                .as_deref()
                .is_some_and(|fc| fc.eq_ignore_ascii_case(&c.0))
        })
        && w.system.as_ref().is_none_or(|s| {
            f.system
                .as_deref()
                .is_some_and(|fs| fs.eq_ignore_ascii_case(&s.0))
        })
}

/// Active waivers silence matching findings; expired and unused ones are findings.
fn apply_waivers(findings: &mut Vec<Finding>, waivers: &[Waiver], as_of: Date, config: &Config) {
    let mut extra = Vec::new();
    for w in waivers {
        if w.expires < as_of {
            extra.push(Finding {
                rule: "waiver/expired",
                severity: Severity::Error,
                message: format!(
                    "waiver `{}` expired on {} (it covered {})",
                    w.id,
                    w.expires,
                    describe(w)
                ),
                control: w.control.as_ref().map(|c| c.0.clone()),
                system: w.system.as_ref().map(|s| s.0.clone()),
                location: Some(w.src.loc_of(&["expires"])),
                help: rule("waiver/expired").map(|r| r.fix.to_string()),
                waived_by: None,
            });
            continue;
        }
        let mut used = false;
        for f in findings.iter_mut() {
            if f.waived_by.is_none() && !f.rule.starts_with("waiver/") && waiver_matches(w, f) {
                f.waived_by = Some(w.id.0.clone());
                used = true;
            }
        }
        if !used {
            extra.push(Finding {
                rule: "waiver/unused",
                severity: Severity::Warning,
                message: format!("waiver `{}` matches no finding ({})", w.id, describe(w)),
                control: w.control.as_ref().map(|c| c.0.clone()),
                system: w.system.as_ref().map(|s| s.0.clone()),
                location: Some(w.src.loc()),
                help: rule("waiver/unused").map(|r| r.fix.to_string()),
                waived_by: None,
            });
        }
    }
    apply_levels(&mut extra, config);
    findings.extend(extra);
}

fn describe(w: &Waiver) -> String {
    let mut parts = vec![format!("rule `{}`", w.rule)];
    if let Some(c) = &w.control {
        parts.push(format!("control `{c}`"));
    }
    if let Some(s) = &w.system {
        parts.push(format!("system `{s}`"));
    }
    parts.join(", ")
}

/// Does this finding fail the gate? `deny` holds severities and rule ids;
/// the default denies errors, as a linter would.
pub fn denied(f: &Finding, deny: Option<&[String]>) -> bool {
    if f.waived_by.is_some() {
        return false;
    }
    match deny {
        None => f.severity == Severity::Error,
        Some(list) => list.iter().any(|d| d == f.severity.as_str() || d == f.rule),
    }
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

    #[test]
    fn gate_defaults_to_errors_and_respects_waivers() {
        let mut f = Finding {
            rule: "policy/review-overdue",
            severity: Severity::Error,
            message: String::new(),
            control: None,
            system: None,
            location: None,
            help: None,
            waived_by: None,
        };
        assert!(denied(&f, None));
        assert!(!denied(&f, Some(&["warning".into()])));
        assert!(denied(&f, Some(&["policy/review-overdue".into()])));
        f.waived_by = Some("w1".into());
        assert!(!denied(&f, None));
    }
}
