//! Rules: data-driven checks with stable ids, default severities, and the
//! waivers and gate that act on their findings.
//!
//! Each rule has an id (`area/name`) users configure in `[rules]`, waive in
//! `waivers:`, deny in `[gate]` and grep for. `aims rules ID` prints the
//! explanation and the fix written in the registry ([`registry`]); the
//! checks live in one file per area and push findings by typed id.

mod audit;
mod date;
mod draft;
mod eu_ai_act;
mod evidence;
mod impact;
mod incident;
mod load_codes;
mod policy;
mod registry;
mod risk;
mod statement;
mod supplier;
mod waiver;

use crate::assess::evidence::Evidence;
use crate::catalog::Catalog;
use crate::diag::{Diagnostic, Location};
use crate::load::Project;
use crate::model::*;

pub use load_codes::{LOAD_CODES, LoadCode};
pub use registry::{RULES, Rule, RuleId, UnknownRule, explain, rule};
pub use waiver::denied;

/// One finding of one rule: a [`Diagnostic`] whose code is a [`RuleId`].
pub type Finding = Diagnostic;

/// What every check reads, and where it puts its findings.
struct Ctx<'a> {
    inv: &'a Inventory,
    catalog: &'a Catalog,
    as_of: Date,
    out: Vec<Finding>,
    /// The EU AI Act classification of each system, in inventory order,
    /// computed once for every check that needs it.
    tiers: Vec<crate::assess::classify::Classification>,
}

impl Ctx<'_> {
    /// A finding of `rule` at its default severity, with its fix as help.
    fn push(
        &mut self,
        rule: RuleId,
        message: String,
        control: Option<&str>,
        system: Option<&Id>,
        location: Location,
    ) {
        let r = rule.rule();
        self.out.push(Finding {
            rule: rule.into(),
            severity: r.severity,
            message,
            control: control.map(str::to_string),
            system: system.map(|s| s.0.clone()),
            systems: Vec::new(),
            location: Some(location),
            help: Some(r.fix.to_string()),
            waived_by: None,
        });
    }

    /// A finding that concerns several systems at once.
    fn push_systems(
        &mut self,
        rule: RuleId,
        message: String,
        control: Option<&str>,
        systems: Vec<String>,
        location: Location,
    ) {
        self.push(rule, message, control, None, location);
        if let Some(f) = self.out.last_mut() {
            f.systems = systems;
        }
    }
}

/// Each system's EU AI Act tier rank by lowercase id: prohibited 0, high 1,
/// limited 2, minimal 3, out of scope 4, not assessed 5.
pub fn system_tiers(project: &Project, as_of: Date) -> std::collections::HashMap<String, u8> {
    project
        .inventory
        .systems
        .iter()
        .map(|s| {
            let c = crate::assess::classify::classify(s, &project.catalog.ai_act, as_of);
            // `Tier` is declared from prohibited to out of scope.
            let rank = if c.assessed { c.tier as u8 } else { 5 };
            (s.id.0.to_ascii_lowercase(), rank)
        })
        .collect()
}

/// Where a finding sorts by tier: by the highest tier of the systems it
/// concerns; organisation-wide findings after every system's.
pub fn tier_rank(f: &Finding, tiers: &std::collections::HashMap<String, u8>) -> u8 {
    f.system
        .iter()
        .chain(&f.systems)
        .filter_map(|s| tiers.get(&s.to_ascii_lowercase()).copied())
        .min()
        .unwrap_or(6)
}

/// Run every rule, apply `[rules]` levels and waivers, and sort.
pub fn run(project: &Project, as_of: Date) -> Vec<Finding> {
    run_with(project, as_of, &Evidence::new(&project.evidence_root))
}

/// As [`run`], with a resolver the caller keeps (gap analysis reuses it).
pub fn run_with(project: &Project, as_of: Date, ev: &Evidence) -> Vec<Finding> {
    let tiers = project
        .inventory
        .systems
        .iter()
        .map(|s| crate::assess::classify::classify(s, &project.catalog.ai_act, as_of))
        .collect();
    let mut cx = Ctx {
        inv: &project.inventory,
        catalog: &project.catalog,
        as_of,
        out: Vec::new(),
        tiers,
    };
    // The order only matters for findings equal in place, rule and message,
    // which the stable sort below leaves in this order.
    statement::statements(&mut cx);
    evidence::evidence(&mut cx, project, ev);
    policy::policies(&mut cx);
    statement::owners(&mut cx);
    audit::nonconformities(&mut cx);
    audit::management_reviews(&mut cx);
    eu_ai_act::ai_act(&mut cx);
    incident::incidents(&mut cx);
    supplier::suppliers(&mut cx);
    impact::impact_assessments(&mut cx);
    risk::risks(&mut cx);
    date::in_future(&mut cx);
    draft::placeholders(&mut cx);
    let mut findings = cx.out;
    waiver::apply_levels(&mut findings, &project.config);
    waiver::apply_waivers(
        &mut findings,
        &project.inventory.waivers,
        as_of,
        &project.config,
    );
    // By id string, not by `RuleId`'s declaration order: output order is
    // alphabetical by rule within a place.
    findings.sort_by(|a, b| {
        a.location
            .cmp(&b.location)
            .then(a.rule.as_str().cmp(b.rule.as_str()))
            .then(a.message.cmp(&b.message))
    });
    findings
}
