//! Annex C: the organisational objectives and risk sources it lists.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keyed {
    pub key: String,
    pub title: String,
    pub description: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnexC {
    pub objectives: Vec<Keyed>,
    pub risk_sources: Vec<Keyed>,
}

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;
    use crate::model as m;

    #[test]
    fn annex_c_keys_match_the_inventory_enums() {
        let cat = Catalog::embedded();
        let obj: Vec<&str> = cat
            .annex_c
            .objectives
            .iter()
            .map(|k| k.key.as_str())
            .collect();
        let want: Vec<&str> = m::Objective::ALL.iter().map(|o| o.as_str()).collect();
        assert_eq!(obj, want);
        let src: Vec<&str> = cat
            .annex_c
            .risk_sources
            .iter()
            .map(|k| k.key.as_str())
            .collect();
        let want: Vec<&str> = m::RiskSource::ALL.iter().map(|o| o.as_str()).collect();
        assert_eq!(src, want);
    }
}
