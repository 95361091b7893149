//! Dates that have not happened yet: a review, approval, assessment, audit
//! or closure dated after the as-of day is a typo or a claim made early,
//! and must not read as done (the evidence judgement counts such a review
//! as no review at all).

use super::statement::system_statements;
use super::{Ctx, RuleId};
use crate::diag::Location;
use crate::model::*;

pub(super) fn in_future(cx: &mut Ctx) {
    let inv = cx.inv;
    let as_of = cx.as_of;
    let check = |cx: &mut Ctx,
                 date: Option<Date>,
                 what: &str,
                 control: Option<&str>,
                 system: Option<&Id>,
                 loc: &dyn Fn() -> Location| {
        if let Some(d) = date
            && d > as_of
        {
            cx.push(
                RuleId::DateInFuture,
                format!("{what} is dated {d}, after the as-of day {as_of}"),
                control,
                system,
                loc(),
            );
        }
    };
    // A statement's own `reviewed` and each of its evidence entries'.
    let statement =
        |cx: &mut Ctx, id: &str, st: &Statement, system: Option<&Id>, src: &Src, base: &[&str]| {
            let whose = system
                .map(|s| format!(" for system `{s}`"))
                .unwrap_or_default();
            let mut p = base.to_vec();
            p.push("reviewed");
            check(
                cx,
                st.reviewed,
                &format!("the review of the statement for `{id}`{whose}"),
                Some(id),
                system,
                &|| src.loc_of(&p),
            );
            for (i, e) in st.evidence.iter().enumerate() {
                let idx = i.to_string();
                let mut p = base.to_vec();
                p.extend(["evidence", idx.as_str(), "reviewed"]);
                check(
                    cx,
                    e.reviewed(),
                    &format!("the review of evidence `{}` for `{id}`{whose}", e.path()),
                    Some(id),
                    system,
                    &|| src.loc_of(&p),
                );
            }
        };
    for (id, placed) in &inv.controls {
        statement(cx, id, &placed.statement, None, &placed.src, &[]);
    }
    for (s, id, key, st) in system_statements(inv, cx.catalog) {
        statement(cx, &id, st, Some(&s.id), &s.src, &["controls", key]);
    }
    let listed = |cx: &mut Ctx,
                  evidence: &OneOrMany<EvidenceRef>,
                  whose: &str,
                  control: Option<&str>,
                  system: Option<&Id>,
                  src: &Src,
                  base: &[&str]| {
        for (i, e) in evidence.iter().enumerate() {
            let idx = i.to_string();
            let mut p = base.to_vec();
            p.extend([idx.as_str(), "reviewed"]);
            check(
                cx,
                e.reviewed(),
                &format!("the review of evidence `{}` of {whose}", e.path()),
                control,
                system,
                &|| src.loc_of(&p),
            );
        }
    };
    for p in &inv.policies {
        let control = p.controls.first().map(|c| c.0.as_str());
        check(
            cx,
            p.approved,
            &format!("the approval of policy `{}`", p.id),
            control,
            None,
            &|| p.src.loc_of(&["approved"]),
        );
    }
    for s in &inv.systems {
        check(
            cx,
            s.changed,
            &format!("the last change of system `{}`", s.id),
            None,
            Some(&s.id),
            &|| s.src.loc_of(&["changed"]),
        );
        let whose = format!("system `{}`", s.id);
        listed(
            cx,
            &s.evidence,
            &whose,
            None,
            Some(&s.id),
            &s.src,
            &["evidence"],
        );
    }
    for ia in &inv.impact_assessments {
        check(
            cx,
            Some(ia.date),
            &format!("impact assessment `{}`", ia.id),
            Some("6.1.4"),
            Some(&ia.system),
            &|| ia.src.loc_of(&["date"]),
        );
    }
    for sup in &inv.suppliers {
        if let Some(dd) = &sup.due_diligence {
            check(
                cx,
                Some(dd.date),
                &format!("the due diligence of supplier `{}`", sup.id),
                Some("A.10.3"),
                None,
                &|| sup.src.loc_of(&["due_diligence", "date"]),
            );
            let whose = format!("supplier `{}`", sup.id);
            listed(
                cx,
                &dd.evidence,
                &whose,
                Some("A.10.3"),
                None,
                &sup.src,
                &["due_diligence", "evidence"],
            );
        }
    }
    for a in &inv.audits {
        let control = if a.kind == AuditKind::ManagementReview {
            "9.3"
        } else {
            "9.2"
        };
        check(
            cx,
            Some(a.date),
            &format!("audit `{}`", a.id),
            Some(control),
            None,
            &|| a.src.loc_of(&["date"]),
        );
        let whose = format!("audit `{}`", a.id);
        listed(
            cx,
            &a.evidence,
            &whose,
            Some(control),
            None,
            &a.src,
            &["evidence"],
        );
    }
    for n in &inv.nonconformities {
        let control = n.controls.first().map(|c| c.0.as_str());
        check(
            cx,
            Some(n.raised),
            &format!("nonconformity `{}` (raised)", n.id),
            control,
            None,
            &|| n.src.loc_of(&["raised"]),
        );
        check(
            cx,
            n.closed,
            &format!("the closure of nonconformity `{}`", n.id),
            control,
            None,
            &|| n.src.loc_of(&["closed"]),
        );
    }
}
