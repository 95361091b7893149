//! EU AI Act classification: the risk tier of one system, the articles and
//! Annex III points that decided it, and the obligations that follow for the
//! organisation's role, each with its application date.
//!
//! The tier rule is the contract's (`shared/spec/inventory.md`); everything
//! that can change with the law (citations, obligations, dates) is read from
//! the catalogue (`controls/eu_ai_act.yaml`) so that data, not code, moves
//! when the law moves.

mod obligations;

use obligations::obligations;
use serde::Serialize;

use crate::catalog::{ActEntry, AiAct, CatalogRole, Obligation};
use crate::model::{
    AnnexIii, Art63Exception, Date, EuAiAct, Gpai, System, SystemRole, Tier, Transparency,
};

/// Scope of the Regulation: cited for systems declared `in_scope: false`.
const SCOPE: &str = "Art. 2";
/// Art. 6(1): safety component of, or itself, an Annex I product.
const ANNEX_I: &str = "Art. 6(1)";
/// Art. 6(2): the Annex III systems are high-risk.
const ANNEX_III: &str = "Art. 6(2)";
/// Why a claimed Art. 6(3) exception does not hold.
const PROFILING: &str = "Art. 6(3) last subparagraph (profiling)";
const PROFILING_NOT_STATED: &str = "Art. 6(3) last subparagraph (profiling not stated)";

/// The catalogue's `high-risk` date, resolved per system by [`HighVia`].
const DATE_HIGH_RISK: &str = "high-risk";
const DATE_ANNEX_III: &str = "high-risk-annex-iii";
const DATE_ANNEX_I: &str = "high-risk-annex-i";

/// The classification of one system, ready to be serialised as JSON.
#[derive(Debug, Clone, Serialize)]
pub struct Classification {
    pub tier: Tier,
    /// What decided the tier, as citations (`Art. 5(1)(c)`, `Annex III 4(a)`,
    /// `Art. 6(2)`, `Art. 6(3)(a)`, `Art. 50(1)`), then the GPAI articles.
    pub basis: Vec<String>,
    pub gpai: Gpai,
    /// False when the system has no `eu_ai_act` block: the tier is then a
    /// default, not a judgement, and the caller reports it.
    pub assessed: bool,
    pub obligations: Vec<ObligationDue>,
}

/// One obligation that falls on the organisation for one system and role.
#[derive(Debug, Clone, Serialize)]
pub struct ObligationDue {
    pub id: String,
    pub article: String,
    pub title: String,
    /// `provider` or `deployer`: whose duty it is.
    pub role: String,
    /// The date in force, after `[regulation.dates]` overrides.
    pub applies_from: Date,
    /// The date as adopted in 2024, when it differs (the Digital Omnibus
    /// moved several), so a reader sees both.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_date: Option<Date>,
    /// The `dates` key, with `high-risk` already resolved.
    pub date_key: String,
    pub in_force: bool,
}

/// Why a system is high-risk; both can hold.
#[derive(Debug, Clone, Copy, Default)]
struct HighVia {
    annex_i: bool,
    annex_iii: bool,
}

/// The facts about a system that obligation selection needs.
struct Facts<'a> {
    tier: Tier,
    assessed: bool,
    role: SystemRole,
    high: HighVia,
    /// An Art. 6(3) exception that holds (claimed, Annex III, no profiling).
    exception: bool,
    fria: bool,
    transparency: &'a [Transparency],
    gpai: Gpai,
}

/// Classify one system as of `as_of` (which decides `in_force`).
pub fn classify(system: &System, act: &AiAct, as_of: Date) -> Classification {
    let Some(eu) = &system.eu_ai_act else {
        let facts = Facts {
            tier: Tier::Minimal,
            assessed: false,
            role: system.role,
            high: HighVia::default(),
            exception: false,
            fria: false,
            transparency: &[],
            gpai: Gpai::None,
        };
        return Classification {
            tier: Tier::Minimal,
            basis: Vec::new(),
            gpai: Gpai::None,
            assessed: false,
            obligations: obligations(act, &facts, as_of).0,
        };
    };
    let gpai = eu.gpai.unwrap_or(Gpai::None);
    let (tier, mut basis, facts) = tier_of(eu, act, system.role, gpai);
    let (obligations, gpai_articles) = obligations(act, &facts, as_of);
    for article in gpai_articles {
        push_unique(&mut basis, article);
    }
    Classification {
        tier,
        basis,
        gpai,
        assessed: true,
        obligations,
    }
}

/// The contract's tier rule, with the citations that decided it.
fn tier_of<'a>(
    eu: &'a EuAiAct,
    act: &AiAct,
    role: SystemRole,
    gpai: Gpai,
) -> (Tier, Vec<String>, Facts<'a>) {
    let mut facts = Facts {
        tier: Tier::Minimal,
        assessed: true,
        role,
        high: HighVia::default(),
        exception: false,
        fria: eu.public_service
            || eu.annex_iii.iter().any(|a| {
                matches!(
                    a,
                    AnnexIii::Creditworthiness | AnnexIii::InsuranceLifeHealth
                )
            }),
        transparency: &eu.transparency,
        gpai,
    };
    let mut basis = Vec::new();

    if eu.in_scope == Some(false) {
        facts.tier = Tier::OutOfScope;
        return (Tier::OutOfScope, vec![SCOPE.to_string()], facts);
    }
    if !eu.prohibited.is_empty() {
        let keys: Vec<&str> = eu.prohibited.iter().map(|p| p.as_str()).collect();
        cite(&mut basis, &act.prohibited, &keys);
        facts.tier = Tier::Prohibited;
        return (Tier::Prohibited, basis, facts);
    }

    if eu.safety_component {
        facts.high.annex_i = true;
        basis.push(ANNEX_I.to_string());
    }
    // Art. 6(3) only concerns Annex III systems: a claim without an Annex III
    // point is ignored here (nothing to except).
    let claimed = eu
        .art6_3_exception
        .filter(|e| *e != Art63Exception::None && !eu.annex_iii.is_empty());
    if !eu.annex_iii.is_empty() {
        // A claimed exception with `profiling` unstated cannot be confirmed:
        // the conservative reading is that the system profiles.
        let profiling = match (claimed, eu.profiling) {
            (None, _) => None,
            (Some(_), Some(true)) => Some(PROFILING),
            (Some(_), None) => Some(PROFILING_NOT_STATED),
            (Some(_), Some(false)) => {
                facts.exception = true;
                None
            }
        };
        if !facts.exception {
            facts.high.annex_iii = true;
            let keys: Vec<&str> = eu.annex_iii.iter().map(|a| a.as_str()).collect();
            cite(&mut basis, &act.annex_iii, &keys);
            basis.push(ANNEX_III.to_string());
            if let Some(why) = profiling {
                basis.push(why.to_string());
            }
        } else if let Some(e) = claimed {
            cite(&mut basis, &act.art6_3_exceptions, &[e.as_str()]);
        }
    }

    let tier = if facts.high.annex_i || facts.high.annex_iii {
        Tier::High
    } else if !eu.transparency.is_empty() {
        let keys: Vec<&str> = eu.transparency.iter().map(|t| t.as_str()).collect();
        cite(&mut basis, &act.transparency, &keys);
        Tier::Limited
    } else {
        Tier::Minimal
    };
    facts.tier = tier;
    (tier, basis, facts)
}

/// Append the catalogue citation of each entry whose key is in `keys`, in
/// catalogue order and once each (two Art. 50(3) keys give one citation).
fn cite(basis: &mut Vec<String>, entries: &[ActEntry], keys: &[&str]) {
    for e in entries.iter().filter(|e| keys.contains(&e.key.as_str())) {
        push_unique(basis, e.basis.clone());
    }
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

#[cfg(test)]
mod tests;
