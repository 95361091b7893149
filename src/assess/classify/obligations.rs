//! The obligations that follow from a tier, a role and the facts, each with
//! the date from which it applies.

use super::*;

/// Every operator role the catalogue may name, in output order.
const ROLES: [CatalogRole; 5] = [
    CatalogRole::Provider,
    CatalogRole::Deployer,
    CatalogRole::Importer,
    CatalogRole::Distributor,
    CatalogRole::AuthorisedRepresentative,
];

/// The obligations that apply, and the articles to add to the basis: the
/// GPAI ones (they do not follow from the tier) and the Art. 111
/// transitions that moved or removed a duty.
pub(super) fn obligations(
    act: &AiAct,
    f: &Facts,
    as_of: Date,
) -> (Vec<ObligationDue>, Vec<String>) {
    let mut out: Vec<ObligationDue> = Vec::new();
    let mut cited = Vec::new();
    for o in &act.obligations {
        let Some(via_gpai) = tier_matches(o, f) else {
            continue;
        };
        let Some((mut date_key, mut date)) = resolve_date(act, &o.date, f.high) else {
            continue; // unknown key: the catalogue tests rule this out
        };
        let before = |d: &crate::catalog::ActDate| f.placed_on_market.is_some_and(|p| p < d.date);
        // Art. 111(3)/(4): a model or system already on the market when the
        // duty starts gets a later date.
        let mut transition = None;
        if let Some(ex) = o.existing.as_deref()
            && before(date)
            && let Some(d) = act.date(ex)
        {
            (date_key, date) = (d.key.as_str(), d);
            transition = o.existing_basis.clone();
        }
        // Art. 111(2): a high-risk system already on the market is covered
        // only once significantly changed after the date, except that a
        // public authority's must comply by 2030-08-02.
        if o.date == DATE_HIGH_RISK && before(date) && f.changed.is_none_or(|c| c < date.date) {
            match act.date(DATE_ART111_PUBLIC) {
                Some(d) if f.public_body => {
                    (date_key, date) = (d.key.as_str(), d);
                    transition = Some(ART111_2.to_string());
                }
                _ => {
                    push_unique(&mut cited, ART111_2.to_string());
                    continue;
                }
            }
        }
        let mut listed = false;
        for role in ROLES {
            if !o.roles.contains(&role) || !condition_met(o, act, f, role) {
                continue;
            }
            // Another operator's duty is shown only for Art. 50, where the
            // same facts oblige the provider and the deployer differently.
            let carried_by = if f.roles.contains(&role) {
                Carrier::This
            } else if o.condition.as_deref() == Some("transparency")
                && matches!(role, CatalogRole::Provider | CatalogRole::Deployer)
            {
                Carrier::Other
            } else {
                continue;
            };
            let name = role.as_str();
            if out.iter().any(|d| d.id == o.id && d.role == name) {
                continue;
            }
            listed = true;
            out.push(ObligationDue {
                id: o.id.clone(),
                article: o.article.clone(),
                title: o.title.clone(),
                role: name.to_string(),
                carried_by,
                applies_from: date.date,
                original_date: (date.original != date.date).then_some(date.original),
                date_key: date_key.to_string(),
                in_force: date.date <= as_of,
            });
        }
        if listed {
            if via_gpai {
                push_unique(&mut cited, o.article.clone());
            }
            if let Some(t) = transition {
                push_unique(&mut cited, t);
            }
        }
    }
    let rank = |r: &str| ROLES.iter().position(|x| x.as_str() == r);
    out.sort_by(|a, b| {
        (article_number(&a.article), &a.id, rank(&a.role)).cmp(&(
            article_number(&b.article),
            &b.id,
            rank(&b.role),
        ))
    });
    (out, cited)
}

/// Whether the obligation's `tiers` cover the system: `None` when not,
/// `Some(true)` when only through its GPAI model.
fn tier_matches(o: &Obligation, f: &Facts) -> Option<bool> {
    let has = |t: &str| o.tiers.iter().any(|x| x == t);
    let base = has("all") && o.condition.is_none();
    let matched = match f.tier {
        // Out of scope under Art. 2(12) leaves the model's duties (below).
        Tier::OutOfScope if f.gpai_only => false,
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
        // Art. 27(1): public bodies and private entities providing public
        // services deploying an Art. 6(2) system (not Annex III point 2),
        // and every deployer of an Annex III 5(b) or 5(c) system.
        Some("fria") => {
            role == CatalogRole::Deployer
                && f.high.annex_iii
                && (((f.public_service || f.public_body) && f.annex_iii_not_2())
                    || f.annex_iii.iter().any(|a| {
                        matches!(
                            a,
                            AnnexIii::Creditworthiness | AnnexIii::InsuranceLifeHealth
                        )
                    }))
        }
        // The system has a prohibited key whose ban starts on this
        // obligation's date (the Omnibus bans start later).
        Some("prohibited") => act.prohibited.iter().any(|e| {
            e.date.as_deref().unwrap_or("prohibitions") == o.date
                && f.prohibited.iter().any(|p| p.as_str() == e.key)
        }),
        Some("annex-iii-not-2") => f.annex_iii_not_2(),
        Some("annex-iii-point-2") => f.high.annex_iii && !f.annex_iii_not_2(),
        Some("public-body-annex-iii") => f.public_body && f.annex_iii_not_2(),
        // Art. 53(2), 54(6): open-source models without systemic risk.
        Some("not-open-source-gpai") => !(f.open_source && f.gpai == Gpai::Gpai),
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
