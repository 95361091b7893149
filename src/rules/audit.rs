//! Improvement and review: overdue nonconformities, management reviews
//! without inputs.

use super::{Ctx, RuleId};
use crate::model::*;

/// Corrective action must be finished by its due date.
pub(super) fn nonconformities(cx: &mut Ctx) {
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
                    RuleId::NonconformityOverdue,
                    message,
                    c.as_deref(),
                    None,
                    n.src.loc_of(&["due"]),
                );
            }
        }
    }
}

/// A management review must show what it considered.
pub(super) fn management_reviews(cx: &mut Ctx) {
    let inv = cx.inv;
    for a in inv
        .audits
        .iter()
        .filter(|a| a.kind == AuditKind::ManagementReview)
    {
        if a.inputs.iter().all(|i| i.trim().is_empty()) {
            cx.push(
                RuleId::AuditReviewInputsMissing,
                format!(
                    "management review `{}` ({}) records no `inputs`",
                    a.id, a.date
                ),
                Some("9.3"),
                None,
                a.src.loc(),
            );
        }
    }
}
