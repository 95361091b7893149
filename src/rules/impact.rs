//! AI system impact assessments (6.1.4, 8.4, A.5).

use super::{Ctx, RuleId};
use crate::model::*;

/// Every in-scope system that is not retired needs a current, approved,
/// complete impact assessment.
pub(super) fn impact_assessments(cx: &mut Ctx) {
    let inv = cx.inv;
    for (n, s) in inv.systems.iter().enumerate() {
        if s.lifecycle == Lifecycle::Retired {
            continue;
        }
        let tier = cx.tiers[n].tier;
        if tier == Tier::OutOfScope {
            continue;
        }
        let latest = inv.assessments_of(&s.id).max_by_key(|ia| ia.date);
        let Some(ia) = latest else {
            if tier != Tier::High {
                cx.push(
                    RuleId::ImpactMissing,
                    format!("system `{}` ({}) has no impact assessment", s.id, s.name),
                    Some("A.5.3"),
                    Some(&s.id),
                    s.src.loc(),
                );
            }
            continue;
        };
        let due = ia
            .next_review
            .unwrap_or_else(|| Duration::months(12).after(ia.date));
        if due < cx.as_of {
            cx.push(
                RuleId::ImpactStale,
                format!(
                    "impact assessment `{}` of system `{}` was due for review on {due}",
                    ia.id, s.id
                ),
                Some("A.5.3"),
                Some(&s.id),
                ia.src.loc_of(&[if ia.next_review.is_some() {
                    "next_review"
                } else {
                    "date"
                }]),
            );
        }
        if let Some(changed) = s.changed
            && changed > ia.date
        {
            cx.push(
                RuleId::ImpactOutdated,
                format!("impact assessment `{}` ({}) predates the last change to system `{}` ({changed})", ia.id, ia.date, s.id),
                Some("A.5.3"),
                Some(&s.id),
                ia.src.loc_of(&["date"]),
            );
        }
        if ia.approved_by.is_none() {
            cx.push(
                RuleId::ImpactUnapproved,
                format!(
                    "impact assessment `{}` of system `{}` has no `approved_by`",
                    ia.id, s.id
                ),
                Some("A.5.3"),
                Some(&s.id),
                ia.src.loc(),
            );
        }
        let has = |on: &[ImpactOn]| ia.impacts.iter().any(|i| on.contains(&i.on));
        if !has(&[ImpactOn::Individuals, ImpactOn::Groups]) {
            cx.push(
                RuleId::ImpactPerspectiveMissing,
                format!("impact assessment `{}` of system `{}` assesses no impact on individuals or groups", ia.id, s.id),
                Some("A.5.4"),
                Some(&s.id),
                ia.src.loc_of(&["impacts"]),
            );
        }
        if !has(&[ImpactOn::Society]) {
            cx.push(
                RuleId::ImpactPerspectiveMissing,
                format!(
                    "impact assessment `{}` of system `{}` assesses no impact on society",
                    ia.id, s.id
                ),
                Some("A.5.5"),
                Some(&s.id),
                ia.src.loc_of(&["impacts"]),
            );
        }
        for (i, imp) in ia.impacts.iter().enumerate() {
            if imp.severity.0 >= 4 && imp.mitigations.iter().all(|m| m.trim().is_empty()) {
                let control = if imp.on == ImpactOn::Society {
                    "A.5.5"
                } else {
                    "A.5.4"
                };
                cx.push(
                    RuleId::ImpactUnmitigated,
                    format!(
                        "impact `{}` on {} (severity {}) in `{}` has no mitigation",
                        imp.dimension, imp.on, imp.severity.0, ia.id
                    ),
                    Some(control),
                    Some(&s.id),
                    ia.src.loc_of(&["impacts", &i.to_string()]),
                );
            }
        }
    }
}
