//! Risk treatment (6.1.3, 8.2, 8.3).

use super::{Ctx, RuleId};
use crate::model::*;

/// Risk treatment against the organisation's appetite and its SoA.
pub(super) fn risks(cx: &mut Ctx) {
    let inv = cx.inv;
    let appetite = u32::from(inv.risk_appetite());
    for r in &inv.risks {
        let score = u32::from(r.score());
        let system = r.systems.first();
        if score > appetite {
            match r.treatment {
                None => cx.push(
                    RuleId::RiskUntreated,
                    format!("risk `{}` scores {score} (appetite {appetite}) and has no treatment", r.id),
                    Some("6.1.3"),
                    system,
                    r.src.loc(),
                ),
                Some(Treatment::Accept) if r.accepted_by.is_none() => cx.push(
                    RuleId::RiskAcceptanceUnapproved,
                    format!("risk `{}` scores {score} (appetite {appetite}) and is accepted without `accepted_by`", r.id),
                    Some("6.1.3"),
                    system,
                    r.src.loc_of(&["treatment"]),
                ),
                _ => {}
            }
        }
        if let Some(rs) = r.residual_score().map(u32::from) {
            let accepted = r.treatment == Some(Treatment::Accept) && r.accepted_by.is_some();
            if rs > appetite && !accepted {
                cx.push(
                    RuleId::RiskResidualAboveAppetite,
                    format!("risk `{}` keeps a residual score of {rs} after treatment (appetite {appetite})", r.id),
                    Some("6.1.3"),
                    system,
                    r.src.loc_of(&["residual"]),
                );
            }
        }
        for (i, c) in r.controls.iter().enumerate() {
            let id = cx
                .catalog
                .get(&c.0)
                .map_or_else(|| c.0.clone(), |k| k.id.clone());
            if inv
                .controls
                .get(&id)
                .is_some_and(|p| p.statement.applicable == Some(false))
            {
                cx.push(
                    RuleId::RiskExcludedControl,
                    format!("risk `{}` is treated with `{id}`, which the organisation excluded as not applicable", r.id),
                    Some(&id),
                    None,
                    r.src.loc_of(&["controls", &i.to_string()]),
                );
            }
        }
        if let Some(review) = r.review_by
            && review < cx.as_of
        {
            cx.push(
                RuleId::RiskReviewOverdue,
                format!("risk `{}` was due for review by {review}", r.id),
                Some("8.2"),
                system,
                r.src.loc_of(&["review_by"]),
            );
        }
    }
}
