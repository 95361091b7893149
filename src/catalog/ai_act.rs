//! EU AI Act reference data: dates, Annex III areas, prohibited practices
//! and the obligations that follow from a tier and a role.

use serde::{Deserialize, Serialize};

use super::*;
use crate::model::Date;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActDate {
    pub key: String,
    pub date: Date,
    pub original: Date,
    pub covers: String,
    pub source: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActEntry {
    pub key: String,
    pub basis: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<CatalogRole>,
    /// For a prohibited practice: the `dates` key from which the ban
    /// applies, when not `prohibitions` (the Omnibus bans).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub summary: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    pub id: String,
    pub article: String,
    pub title: String,
    pub summary: String,
    pub tiers: Vec<String>,
    pub roles: Vec<CatalogRole>,
    pub date: String,
    /// Art. 111: the `dates` key that applies instead to a system placed on
    /// the market before `date`, and the paragraph that says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing_basis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AiAct {
    pub regulation: String,
    pub dates: Vec<ActDate>,
    pub prohibited: Vec<ActEntry>,
    pub annex_iii: Vec<ActEntry>,
    pub art6_3_exceptions: Vec<ActEntry>,
    pub transparency: Vec<ActEntry>,
    pub obligations: Vec<Obligation>,
}

impl AiAct {
    pub fn date(&self, key: &str) -> Option<&ActDate> {
        self.dates.iter().find(|d| d.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model as m;

    #[test]
    fn ai_act_keys_match_the_inventory_enums() {
        let act = &Catalog::embedded().ai_act;
        let keys = |v: &[ActEntry]| v.iter().map(|e| e.key.clone()).collect::<Vec<_>>();
        let prohibited: Vec<String> = m::Prohibited::ALL
            .iter()
            .map(|p| p.as_str().to_string())
            .collect();
        assert_eq!(keys(&act.prohibited), prohibited);
        let annex: Vec<String> = m::AnnexIii::ALL
            .iter()
            .map(|p| p.as_str().to_string())
            .collect();
        assert_eq!(keys(&act.annex_iii), annex);
        let tr: Vec<String> = m::Transparency::ALL
            .iter()
            .map(|p| p.as_str().to_string())
            .collect();
        assert_eq!(keys(&act.transparency), tr);
        let ex: Vec<String> = m::Art63Exception::ALL[1..]
            .iter()
            .map(|p| p.as_str().to_string())
            .collect();
        assert_eq!(keys(&act.art6_3_exceptions), ex);
        assert_eq!(act.prohibited[2].basis, "Art. 5(1)(c)");
        assert_eq!(
            act.annex_iii
                .iter()
                .find(|e| e.key == "creditworthiness")
                .unwrap()
                .basis,
            "Annex III 5(b)"
        );
        for o in &act.obligations {
            assert!(
                o.date == "high-risk" || act.date(&o.date).is_some(),
                "{} has unknown date {}",
                o.id,
                o.date
            );
        }
        // Art. 111 transitions and the Omnibus bans name dates that exist.
        for o in &act.obligations {
            if let Some(ex) = &o.existing {
                assert!(act.date(ex).is_some(), "{}: unknown {ex}", o.id);
                assert!(o.existing_basis.is_some(), "{}", o.id);
            }
        }
        for e in &act.prohibited {
            if let Some(d) = &e.date {
                assert!(act.date(d).is_some(), "{}: unknown {d}", e.key);
                assert!(
                    act.obligations.iter().any(|o| &o.date == d),
                    "no obligation dated {d} for {}",
                    e.key
                );
            }
        }
        assert_eq!(
            act.date("prohibitions").unwrap().date.to_string(),
            "2025-02-02"
        );
        assert_eq!(act.date("general").unwrap().date.to_string(), "2026-08-02");
    }
}
