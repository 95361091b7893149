//! Incidents: AI Act Art. 73 reporting deadlines, and the corrective action
//! a serious incident needs.

use super::{Ctx, RuleId};
use crate::assess::classify::Carrier;
use crate::model::Date;

/// The catalogue id of the Art. 73 obligation.
const ART_73: &str = "art-73";

/// Serious incidents reported late, or without a corrective action.
pub(super) fn incidents(cx: &mut Ctx) {
    let inv = cx.inv;
    for i in &inv.incidents {
        if !i.serious {
            continue;
        }
        if i.nonconformity.is_none() {
            cx.push(
                RuleId::IncidentUnlinked,
                format!(
                    "serious incident `{}` on system `{}` names no `nonconformity` for its corrective action",
                    i.id, i.system
                ),
                Some("10.2"),
                Some(&i.system),
                i.src.loc(),
            );
        }
        if i.reported.is_some() {
            continue;
        }
        // Art. 73 binds the provider of a high-risk system, from the date it
        // applies to that system: the classification says both.
        let Some(n) = inv.system_index(&i.system) else {
            continue;
        };
        let owed = cx.tiers[n].obligations.iter().any(|o| {
            o.id == ART_73 && o.role == "provider" && o.carried_by == Carrier::This && o.in_force
        });
        if !owed {
            continue;
        }
        let (days, article) = i.deadline();
        let Some(due) = i
            .aware
            .0
            .checked_add_days(chrono::Days::new(days.unsigned_abs()))
            .map(Date)
        else {
            continue;
        };
        if cx.as_of <= due {
            continue;
        }
        let late = (cx.as_of.0 - due.0).num_days();
        cx.push(
            RuleId::IncidentReportOverdue,
            format!(
                "serious incident `{}` on system `{}` was due to be reported by {due} ({article}: {days} days after awareness on {}); it is {late} days overdue",
                i.id, i.system, i.aware
            ),
            Some("A.8.4"),
            Some(&i.system),
            i.src.loc_of(&["aware"]),
        );
    }
}
