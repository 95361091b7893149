//! Waivers: a finding accepted on purpose, by someone, until a date.

use schemars::JsonSchema;
use serde::Deserialize;

use super::{ControlId, Date, Id, Src};

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    pub id: Id,
    /// A rule id, or `*` for every rule.
    #[serde(default = "star")]
    pub rule: String,
    #[serde(default)]
    pub control: Option<ControlId>,
    #[serde(default)]
    pub system: Option<Id>,
    pub reason: String,
    #[serde(default)]
    pub approved_by: Option<Id>,
    pub expires: Date,
    #[serde(skip)]
    pub src: Src,
}

fn star() -> String {
    "*".into()
}
