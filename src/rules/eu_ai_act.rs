//! The EU AI Act: prohibited practices, declared tiers, and what a
//! high-risk system needs before it can be used.

use super::{Ctx, RuleId};
use crate::model::*;

/// EU AI Act: prohibited practices, declared tiers, and what a high-risk
/// system needs before it can be used.
pub(super) fn ai_act(cx: &mut Ctx) {
    let inv = cx.inv;
    for (n, s) in inv.systems.iter().enumerate() {
        if s.lifecycle == Lifecycle::Retired {
            continue;
        }
        // Only the tier and its basis are needed; copy them out so `cx` can be borrowed for findings.
        let (tier, basis) = (cx.tiers[n].tier, cx.tiers[n].basis.clone());
        let Some(act) = &s.eu_ai_act else {
            cx.push(
                RuleId::EuAiActNotAssessed,
                format!(
                    "system `{}` ({}) has no `eu_ai_act` assessment",
                    s.id, s.name
                ),
                None,
                Some(&s.id),
                s.src.loc(),
            );
            continue;
        };
        if tier == Tier::Prohibited {
            cx.push(
                RuleId::EuAiActProhibited,
                format!(
                    "system `{}` is a prohibited practice under {}",
                    s.id,
                    basis.join(", ")
                ),
                None,
                Some(&s.id),
                s.src.loc_of(&["eu_ai_act", "prohibited"]),
            );
        }
        if let Some(declared) = act.declared_tier
            && declared != tier
        {
            let shown = if basis.is_empty() {
                String::new()
            } else {
                format!(" ({})", basis.join(", "))
            };
            cx.push(
                RuleId::EuAiActTierMismatch,
                format!(
                    "system `{}` is declared `{declared}` but its facts make it `{}`{shown}",
                    s.id, tier
                ),
                None,
                Some(&s.id),
                s.src.loc_of(&["eu_ai_act", "declared_tier"]),
            );
        }
        if tier != Tier::High {
            continue;
        }
        let blank = |t: &Option<String>| t.as_deref().is_none_or(|t| t.trim().is_empty());
        if blank(&s.human_oversight) {
            cx.push(
                RuleId::HighRiskNoHumanOversight,
                format!(
                    "high-risk system `{}` does not describe `human_oversight`",
                    s.id
                ),
                Some("A.9.2"),
                Some(&s.id),
                s.src.loc(),
            );
        }
        if blank(&s.logging) {
            cx.push(
                RuleId::HighRiskNoLogging,
                format!("high-risk system `{}` does not describe `logging`", s.id),
                Some("A.6.2.8"),
                Some(&s.id),
                s.src.loc(),
            );
        }
        if inv.assessments_of(&s.id).next().is_none() {
            cx.push(
                RuleId::HighRiskNoImpactAssessment,
                format!("high-risk system `{}` has no impact assessment", s.id),
                Some("A.5.3"),
                Some(&s.id),
                s.src.loc(),
            );
        }
        if s.data.is_empty() {
            cx.push(
                RuleId::HighRiskNoDataProvenance,
                format!(
                    "high-risk system `{}` lists no data sets, so no provenance is recorded",
                    s.id
                ),
                Some("A.7.5"),
                Some(&s.id),
                s.src.loc(),
            );
        }
        for (i, d) in s.data.iter().enumerate() {
            if d.provenance.is_none() {
                cx.push(
                    RuleId::HighRiskNoDataProvenance,
                    format!(
                        "data set `{}` of high-risk system `{}` has no `provenance`",
                        d.id, s.id
                    ),
                    Some("A.7.5"),
                    Some(&s.id),
                    s.src.loc_of(&["data", &i.to_string()]),
                );
            }
        }
    }
}
