//! Policies: approved, and reviewed at planned intervals.

use super::{Ctx, RuleId};
use crate::model::*;

/// Each policy needs an approval, and a review before `review_every` runs out.
pub(super) fn policies(cx: &mut Ctx) {
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
                        RuleId::PolicyReviewOverdue,
                        format!("policy `{}` ({}) was due for review on {due} (approved {approved}, reviewed every {every})", p.id, p.title),
                        control,
                        None,
                        p.src.loc_of(&["approved"]),
                    );
                }
                if p.approved_by.is_none() {
                    cx.push(
                        RuleId::PolicyUnapproved,
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
                RuleId::PolicyUnapproved,
                format!("policy `{}` ({}) has no approval date", p.id, p.title),
                control,
                None,
                p.src.loc(),
            ),
        }
    }
}
