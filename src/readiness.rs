//! Certification readiness and the roadmap (being written).

use serde::Serialize;

use crate::assess::Gap;
use crate::inventory::Project;
use crate::inventory::model::Date;

#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    pub as_of: Date,
    pub ready: bool,
}

pub fn readiness(_project: &Project, _gap: &Gap, as_of: Date) -> Readiness {
    Readiness {
        as_of,
        ready: false,
    }
}

pub fn readiness_table(_r: &Readiness) -> String {
    String::new()
}

pub fn readiness_markdown(_r: &Readiness) -> String {
    String::new()
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub as_of: Date,
}

pub fn plan(_project: &Project, _gap: &Gap, as_of: Date) -> Plan {
    Plan { as_of }
}

pub fn plan_markdown(_p: &Plan) -> String {
    String::new()
}
