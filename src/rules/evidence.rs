//! Evidence: what each citation resolves to, and how fresh it is.

use super::statement::system_statements;
use super::{Ctx, RuleId};
use crate::assess::evidence::{Evidence, Freshness};
use crate::diag::Location;
use crate::load::Project;
use crate::model::*;

/// Every citation in the inventory: statements (with freshness for
/// implemented ones) and the documents other items point at.
pub(super) fn evidence(cx: &mut Ctx, project: &Project, ev: &Evidence) {
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
                RuleId::StatementNoEvidence,
                format!(
                    "`{id}` ({}) is marked implemented{whose} but cites no evidence",
                    control.title
                ),
                Some(id),
                system,
                src.loc_of(&p),
            );
        }
        for (i, j) in
            crate::assess::evidence::judge_statement(ev, st, control, inv, config, cx.as_of)
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
                    RuleId::EvidenceStale,
                    format!("evidence `{}` for `{id}`{whose} was last reviewed on {reviewed}, more than {limit} ago", j.cited),
                    Some(id),
                    system,
                    loc,
                ),
                // Dated after the as-of day: `date/in-future` says so.
                Freshness::Unreviewed if dated_later(st, i, inv, cx.as_of) => {}
                Freshness::Unreviewed => cx.push(
                    RuleId::EvidenceUnreviewed,
                    format!("evidence `{}` for `{id}`{whose} has no review date", j.cited),
                    Some(id),
                    system,
                    loc,
                ),
                // `date/in-future` reports the date itself.
                Freshness::Fresh { .. } | Freshness::Future { .. } => {}
            }
        }
    };
    for (id, placed) in &inv.controls {
        judge(cx, id, &placed.statement, None, &placed.src, &[]);
    }
    for (s, id, key, st) in system_statements(inv, cx.catalog) {
        judge(cx, &id, st, Some(&s.id), &s.src, &["controls", key]);
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
        // A system's own evidence (model cards, validation reports,
        // monitoring records) is judged like a statement's: it exists, and
        // someone reviewed it within the freshness limit.
        let limit = config
            .freshness
            .get(RuleId::EvidenceStale.as_str())
            .map_or(Duration::months(12), |d| d.0);
        for (i, e) in s.evidence.iter().enumerate() {
            let loc = s.src.loc_of(&["evidence", &i.to_string()]);
            if ev.resolve(e.path(), None).problem.is_some() {
                cite(
                    cx,
                    e.path(),
                    format!("system `{}`", s.id),
                    None,
                    Some(&s.id),
                    loc,
                );
                continue;
            }
            match e.reviewed() {
                // `date/in-future` reports a review still to come.
                Some(r) if r > cx.as_of => {}
                Some(r) if limit.after(r) < cx.as_of => cx.push(
                    RuleId::EvidenceStale,
                    format!(
                        "evidence `{}` of system `{}` was last reviewed on {r}, more than {limit} ago",
                        e.path(),
                        s.id
                    ),
                    None,
                    Some(&s.id),
                    loc,
                ),
                Some(_) => {}
                None => cx.push(
                    RuleId::EvidenceUnreviewed,
                    format!("evidence `{}` of system `{}` has no review date", e.path(), s.id),
                    None,
                    Some(&s.id),
                    loc,
                ),
            }
        }
        for (i, d) in s.data.iter().enumerate() {
            if let Some(p) = &d.provenance {
                let loc = s.src.loc_of(&["data", &i.to_string(), "provenance"]);
                cite(
                    cx,
                    p.path(),
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
    for n in &inv.incidents {
        for (i, e) in n.evidence.iter().enumerate() {
            cite(
                cx,
                e.path(),
                format!("incident `{}`", n.id),
                Some("A.8.4"),
                Some(&n.system),
                n.src.loc_of(&["evidence", &i.to_string()]),
            );
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
    for r in &inv.risks {
        for (i, e) in r.evidence.iter().enumerate() {
            cite(
                cx,
                e.path(),
                format!("risk `{}`", r.id),
                Some("6.1.2"),
                None,
                r.src.loc_of(&["evidence", &i.to_string()]),
            );
        }
    }
    for n in &inv.nonconformities {
        for (i, e) in n.evidence.iter().enumerate() {
            cite(
                cx,
                e.path(),
                format!("nonconformity `{}`", n.id),
                Some("10.2"),
                None,
                n.src.loc_of(&["evidence", &i.to_string()]),
            );
        }
    }
}

/// Whether evidence entry `i` of `st` carries a review (or its policy an
/// approval) dated after `as_of`, which the judgement counts as none.
fn dated_later(st: &Statement, i: usize, inv: &Inventory, as_of: Date) -> bool {
    let Some(e) = st.evidence.iter().nth(i) else {
        return false;
    };
    e.reviewed()
        .or(st.reviewed)
        .or_else(|| inv.policy_at(e.path()).and_then(|p| p.approved))
        .is_some_and(|d| d > as_of)
}
