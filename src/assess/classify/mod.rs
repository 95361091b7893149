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
    AnnexIii, Art63Exception, Date, EuAiAct, Gpai, Prohibited, System, SystemRole, Tier,
    Transparency,
};

/// Scope of the Regulation: cited for systems declared `in_scope: false`.
const SCOPE: &str = "Art. 2";
/// Art. 2(12): open-source systems that are not high-risk, prohibited or
/// under Art. 50 are out of scope.
const OPEN_SOURCE: &str = "Art. 2(12)";
/// Art. 6(1): safety component of, or itself, an Annex I product that needs
/// a third-party conformity assessment.
const ANNEX_I: &str = "Art. 6(1)";
/// Why `safety_component` alone did not make the system high-risk.
const ANNEX_I_NO_THIRD_PARTY: &str = "Art. 6(1)(b) (no third-party conformity assessment)";
/// Art. 6(2): the Annex III systems are high-risk.
const ANNEX_III: &str = "Art. 6(2)";
/// Why a claimed Art. 6(3) exception does not hold.
const PROFILING: &str = "Art. 6(3) last subparagraph (profiling)";
const PROFILING_NOT_STATED: &str = "Art. 6(3) last subparagraph (profiling not stated)";

/// The catalogue's `high-risk` date, resolved per system by [`HighVia`].
const DATE_HIGH_RISK: &str = "high-risk";
const DATE_ANNEX_III: &str = "high-risk-annex-iii";
const DATE_ANNEX_I: &str = "high-risk-annex-i";
/// Art. 111(2), second sentence: public-authority systems already on the
/// market comply by this date.
const DATE_ART111_PUBLIC: &str = "art111-public-authority";
const ART111_2: &str = "Art. 111(2)";

/// The classification of one system, ready to be serialised as JSON.
#[derive(Debug, Clone, Serialize)]
pub struct Classification {
    pub tier: Tier,
    /// What decided the tier, as citations (`Art. 5(1)(c)`, `Annex III 4(a)`,
    /// `Art. 6(2)`, `Art. 6(3)(a)`, `Art. 50(1)`), then the articles that
    /// changed the duties (`Art. 25(1)(a)`, GPAI articles, `Art. 111(2)`).
    pub basis: Vec<String>,
    pub gpai: Gpai,
    /// False when the system has no `eu_ai_act` block: the tier is then a
    /// default, not a judgement, and the caller reports it.
    pub assessed: bool,
    pub obligations: Vec<ObligationDue>,
}

impl Classification {
    /// The tier as output shows it: `not-assessed` when there were no facts
    /// to judge, so that no reader takes the default for a judgement.
    pub fn tier_name(&self) -> &'static str {
        if self.assessed {
            self.tier.as_str()
        } else {
            "not-assessed"
        }
    }
}

/// Who carries a duty listed for a system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Carrier {
    /// The organisation, in the duty's `role`.
    #[serde(rename = "self")]
    This,
    /// Another operator of the same system: shown so that a deployer sees
    /// the Art. 50(1)/(2) duties sit with its provider, and a provider the
    /// Art. 50(3)/(4) duties with its deployers.
    #[serde(rename = "other")]
    Other,
}

/// One obligation that falls on the organisation, or on another operator,
/// for one system.
#[derive(Debug, Clone, Serialize)]
pub struct ObligationDue {
    pub id: String,
    pub article: String,
    pub title: String,
    /// The operator whose duty it is: `provider`, `deployer`, `importer`,
    /// `distributor` or `authorised-representative`.
    pub role: String,
    /// `self` when the organisation carries it; `other` when the operator in
    /// `role` is someone else (the system's provider, or its deployers).
    pub carried_by: Carrier,
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

impl ObligationDue {
    /// The role column as shown: `deployer`, or `provider's` when another
    /// operator carries it.
    pub fn holder(&self) -> String {
        match self.carried_by {
            Carrier::This => self.role.clone(),
            Carrier::Other => format!("{}'s", self.role),
        }
    }
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
    /// The operator roles the organisation holds, Art. 25 included.
    roles: Vec<CatalogRole>,
    high: HighVia,
    /// The Annex III points (only read when `high.annex_iii`).
    annex_iii: &'a [AnnexIii],
    /// An Art. 6(3) exception that holds (claimed, Annex III, no profiling).
    exception: bool,
    public_service: bool,
    public_body: bool,
    open_source: bool,
    /// Out of scope under Art. 2(12) only: the GPAI model duties remain.
    gpai_only: bool,
    placed_on_market: Option<Date>,
    /// The system's last material change, read as Art. 111(2)'s
    /// "significant change in design".
    changed: Option<Date>,
    prohibited: &'a [Prohibited],
    transparency: &'a [Transparency],
    gpai: Gpai,
}

impl Facts<'_> {
    /// High-risk under Art. 6(2) through an Annex III point other than 2
    /// (critical infrastructure), which Art. 27, 49(1), 49(3) and 86 except.
    fn annex_iii_not_2(&self) -> bool {
        self.high.annex_iii
            && self
                .annex_iii
                .iter()
                .any(|a| *a != AnnexIii::CriticalInfrastructure)
    }
}

/// The catalogue roles a system role holds before Art. 25.
fn roles_of(role: SystemRole) -> Vec<CatalogRole> {
    match role {
        SystemRole::Provider => vec![CatalogRole::Provider],
        SystemRole::Deployer => vec![CatalogRole::Deployer],
        SystemRole::ProviderAndDeployer => vec![CatalogRole::Provider, CatalogRole::Deployer],
        SystemRole::Importer => vec![CatalogRole::Importer],
        SystemRole::Distributor => vec![CatalogRole::Distributor],
        SystemRole::AuthorisedRepresentative => vec![CatalogRole::AuthorisedRepresentative],
    }
}

/// Classify one system as of `as_of` (which decides `in_force`).
pub fn classify(system: &System, act: &AiAct, as_of: Date) -> Classification {
    let Some(eu) = &system.eu_ai_act else {
        let facts = Facts {
            tier: Tier::Minimal,
            assessed: false,
            roles: roles_of(system.role),
            high: HighVia::default(),
            annex_iii: &[],
            exception: false,
            public_service: false,
            public_body: false,
            open_source: false,
            gpai_only: false,
            placed_on_market: None,
            changed: None,
            prohibited: &[],
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
    let (tier, mut basis, facts) = tier_of(eu, act, system, gpai);
    let (obligations, cited) = obligations(act, &facts, as_of);
    for article in cited {
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
    system: &System,
    gpai: Gpai,
) -> (Tier, Vec<String>, Facts<'a>) {
    let mut facts = Facts {
        tier: Tier::Minimal,
        assessed: true,
        roles: roles_of(system.role),
        high: HighVia::default(),
        annex_iii: &eu.annex_iii,
        exception: false,
        public_service: eu.public_service,
        public_body: eu.public_body,
        open_source: eu.open_source,
        gpai_only: false,
        placed_on_market: eu.placed_on_market,
        changed: system.changed,
        prohibited: &eu.prohibited,
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

    // Art. 6(1) needs both (a) an Annex I product or safety component and
    // (b) a third-party conformity assessment under that legislation.
    if eu.safety_component && eu.third_party_assessment {
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

    let mut tier = if facts.high.annex_i || facts.high.annex_iii {
        Tier::High
    } else if !eu.transparency.is_empty() {
        let keys: Vec<&str> = eu.transparency.iter().map(|t| t.as_str()).collect();
        cite(&mut basis, &act.transparency, &keys);
        Tier::Limited
    } else {
        Tier::Minimal
    };
    if eu.safety_component && !eu.third_party_assessment && tier != Tier::High {
        basis.push(ANNEX_I_NO_THIRD_PARTY.to_string());
    }
    if tier == Tier::Minimal && eu.open_source {
        tier = Tier::OutOfScope;
        facts.gpai_only = true;
        basis = vec![OPEN_SOURCE.to_string()];
    }
    // Art. 25(1): a distributor, importer, deployer or other third party of
    // a high-risk system becomes its provider.
    if tier == Tier::High && !facts.roles.contains(&CatalogRole::Provider) {
        let triggers = [
            (eu.own_name, "Art. 25(1)(a)"),
            (eu.substantial_modification, "Art. 25(1)(b)"),
            (eu.changed_purpose, "Art. 25(1)(c)"),
        ];
        for (held, article) in triggers {
            if held {
                basis.push(article.to_string());
            }
        }
        if triggers.iter().any(|(held, _)| *held) {
            facts.roles.insert(0, CatalogRole::Provider);
        }
    }
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
