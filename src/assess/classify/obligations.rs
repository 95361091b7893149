//! The obligations that follow from a tier, a role and the facts, each with
//! the date from which it applies.

use super::*;

/// The obligations that apply, and the articles of the GPAI ones among them
/// (they go into the basis, since they do not follow from the tier).
pub(super) fn obligations(
    act: &AiAct,
    f: &Facts,
    as_of: Date,
) -> (Vec<ObligationDue>, Vec<String>) {
    let mut out: Vec<ObligationDue> = Vec::new();
    let mut gpai_articles = Vec::new();
    for o in &act.obligations {
        let Some(via_gpai) = tier_matches(o, f) else {
            continue;
        };
        let Some((date_key, date)) = resolve_date(act, &o.date, f.high) else {
            continue; // unknown key: the catalogue tests rule this out
        };
        for (role, name) in [
            (CatalogRole::Provider, "provider"),
            (CatalogRole::Deployer, "deployer"),
        ] {
            let holds = match role {
                CatalogRole::Provider => f.role.is_provider(),
                CatalogRole::Deployer => f.role.is_deployer(),
            };
            if !holds || !o.roles.contains(&role) || !condition_met(o, act, f, role) {
                continue;
            }
            if out.iter().any(|d| d.id == o.id && d.role == name) {
                continue;
            }
            if via_gpai {
                push_unique(&mut gpai_articles, o.article.clone());
            }
            out.push(ObligationDue {
                id: o.id.clone(),
                article: o.article.clone(),
                title: o.title.clone(),
                role: name.to_string(),
                applies_from: date.date,
                original_date: (date.original != date.date).then_some(date.original),
                date_key: date_key.to_string(),
                in_force: date.date <= as_of,
            });
        }
    }
    out.sort_by(|a, b| {
        (article_number(&a.article), &a.id, a.role != "provider").cmp(&(
            article_number(&b.article),
            &b.id,
            b.role != "provider",
        ))
    });
    (out, gpai_articles)
}

/// Whether the obligation's `tiers` cover the system: `None` when not,
/// `Some(true)` when only through its GPAI model.
fn tier_matches(o: &Obligation, f: &Facts) -> Option<bool> {
    let has = |t: &str| o.tiers.iter().any(|x| x == t);
    let base = has("all") && o.condition.is_none();
    let matched = match f.tier {
        Tier::OutOfScope => return None,
        // A prohibited system may not be placed on the market at all: only
        // the ban itself and AI literacy are listed, not duties that assume
        // it is in use (transparency, GPAI).
        Tier::Prohibited => has("prohibited") || base,
        // Not assessed: only what applies whatever the tier.
        _ if !f.assessed => base,
        t => has("all") || has(t.as_str()),
    };
    if matched {
        return Some(false);
    }
    let gpai = match f.gpai {
        Gpai::None => false,
        Gpai::Gpai => has("gpai"),
        Gpai::GpaiSystemic => has("gpai") || has("gpai-systemic"),
    };
    (gpai && f.assessed && f.tier != Tier::Prohibited).then_some(true)
}

/// The obligation's `condition`, judged for one role. An unknown condition
/// is not met; a catalogue test keeps the list closed.
fn condition_met(o: &Obligation, act: &AiAct, f: &Facts, role: CatalogRole) -> bool {
    match o.condition.as_deref() {
        None => true,
        Some("fria") => role == CatalogRole::Deployer && f.fria,
        Some("art6-3-exception") => f.exception,
        // The system has a transparency key whose paragraph is this
        // obligation's article and whose duty falls on this role.
        Some("transparency") => act.transparency.iter().any(|e| {
            e.basis == o.article
                && e.role.is_none_or(|r| r == role)
                && f.transparency.iter().any(|t| t.as_str() == e.key)
        }),
        Some(_) => false,
    }
}

/// Resolve a `dates` key, turning `high-risk` into the Annex III or Annex I
/// date according to why the system is high-risk.
fn resolve_date<'a>(
    act: &'a AiAct,
    key: &str,
    high: HighVia,
) -> Option<(&'a str, &'a crate::catalog::ActDate)> {
    if key != DATE_HIGH_RISK {
        return act.date(key).map(|d| (d.key.as_str(), d));
    }
    let iii = act.date(DATE_ANNEX_III);
    let i = act.date(DATE_ANNEX_I);
    let d = match (high.annex_iii, high.annex_i) {
        // High on both grounds: the earlier date governs, since the system
        // must comply as soon as either ground applies. As shipped that is
        // the Annex III date; comparing keeps it right after overrides.
        (true, true) => match (iii, i) {
            (Some(a), Some(b)) if b.date < a.date => Some(b),
            (a, b) => a.or(b),
        },
        (false, true) => i,
        _ => iii,
    }?;
    Some((d.key.as_str(), d))
}

/// The article number of a citation (`Art. 49(2)` → 49), for ordering.
pub(super) fn article_number(article: &str) -> u32 {
    article
        .trim_start_matches("Art.")
        .trim_start()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(u32::MAX)
}
