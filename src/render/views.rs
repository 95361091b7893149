//! Typed JSON views: what each command puts under `data` in the envelope of
//! the contract. Field order is the order of the JSON keys.

use std::path::Path;

use serde::Serialize;

use crate::assess::classify::{Classification, ObligationDue};
use crate::assess::{Gap, Regression};
use crate::catalog::crosswalk::{MappedItem, Source};
use crate::catalog::{Control, Group};
use crate::diag::Diagnostic;
use crate::model::{
    ControlId, Date, Gpai, Id, Lifecycle, Objective, Risk, RiskSource, Scale, System, SystemRole,
    Tier, Treatment,
};
use crate::pack::Verification;
use crate::render::soa::SoaRow;
use crate::rules::{Finding, Rule};

/// The gate of `aims gap`: the threshold, what it denied, what regressed.
#[derive(Serialize)]
pub struct GateView<'a> {
    pub passed: bool,
    pub fail_under: Option<f64>,
    pub denied_findings: usize,
    pub regressions: &'a [Regression],
}

/// `aims gap --format json`: the gap result with its gate.
#[derive(Serialize)]
pub struct GapView<'a> {
    #[serde(flatten)]
    pub gap: &'a Gap,
    pub gate: GateView<'a>,
}

/// Finding counts of `aims check`, waived findings counted apart.
#[derive(Serialize)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub note: usize,
    pub waived: usize,
}

/// `aims check --format json`.
#[derive(Serialize)]
pub struct CheckView<'a> {
    pub as_of: Date,
    pub files: &'a [String],
    pub summary: Counts,
    /// Live findings per rule and severity, the most frequent first.
    pub by_rule: Vec<RuleCount>,
    pub passed: bool,
    pub findings: &'a [Finding],
}

/// How many live findings one rule gave at one severity.
#[derive(Serialize, Debug, Clone)]
pub struct RuleCount {
    pub rule: String,
    pub severity: &'static str,
    pub count: usize,
}

/// One system of `aims classify --format json`.
#[derive(Serialize)]
pub struct ClassifiedView<'a> {
    pub id: &'a Id,
    pub name: &'a str,
    pub role: SystemRole,
    pub lifecycle: Lifecycle,
    /// A [`Tier`], or `not-assessed` with no `eu_ai_act` block.
    pub tier: &'static str,
    pub declared_tier: Option<Tier>,
    pub assessed: bool,
    pub gpai: Gpai,
    pub basis: &'a [String],
    pub obligations: &'a [ObligationDue],
}

impl<'a> ClassifiedView<'a> {
    pub fn new(s: &'a System, c: &'a Classification) -> Self {
        ClassifiedView {
            id: &s.id,
            name: &s.name,
            role: s.role,
            lifecycle: s.lifecycle,
            tier: c.tier_name(),
            declared_tier: s.eu_ai_act.as_ref().and_then(|e| e.declared_tier),
            assessed: c.assessed,
            gpai: c.gpai,
            basis: &c.basis,
            obligations: &c.obligations,
        }
    }
}

/// `aims classify --format json`.
#[derive(Serialize)]
pub struct ClassifyView<'a> {
    pub as_of: Date,
    pub regulation: &'a str,
    pub systems: Vec<ClassifiedView<'a>>,
}

/// One risk of `aims risks --format json`, with its scores.
#[derive(Serialize)]
pub struct RiskView<'a> {
    pub id: &'a Id,
    pub title: &'a str,
    pub systems: &'a [Id],
    pub source: Option<RiskSource>,
    pub objective: Option<Objective>,
    pub likelihood: Scale,
    pub impact: Scale,
    pub score: u16,
    pub above_appetite: bool,
    pub treatment: Option<Treatment>,
    pub controls: &'a [ControlId],
    pub residual_score: Option<u16>,
    pub owner: Option<&'a Id>,
    pub accepted_by: Option<&'a Id>,
    pub review_by: Option<Date>,
    /// `review_by` has passed as of the register's day (rule `risk/review-overdue`).
    pub review_overdue: bool,
}

impl<'a> RiskView<'a> {
    pub fn new(r: &'a Risk, appetite: u8, as_of: Date) -> Self {
        let score = r.score();
        RiskView {
            id: &r.id,
            title: &r.title,
            systems: &r.systems,
            source: r.source,
            objective: r.objective,
            likelihood: r.likelihood,
            impact: r.impact,
            score,
            above_appetite: score > u16::from(appetite),
            treatment: r.treatment,
            controls: &r.controls,
            residual_score: r.residual_score(),
            owner: r.owner.as_ref(),
            accepted_by: r.accepted_by.as_ref(),
            review_by: r.review_by,
            review_overdue: r.review_by.is_some_and(|d| d < as_of),
        }
    }
}

/// Risk counts by `[impact 1-5][likelihood 1-5]`.
#[derive(Serialize)]
pub struct HeatmapView<'a> {
    pub axes: &'static str,
    pub inherent: &'a [[usize; 5]; 5],
    pub residual: &'a [[usize; 5]; 5],
}

/// `aims risks --format json`.
#[derive(Serialize)]
pub struct RisksView<'a> {
    /// The day `review_overdue` is judged as of (`--as-of`).
    pub as_of: Date,
    pub appetite: u8,
    pub risks: Vec<RiskView<'a>>,
    pub heatmap: HeatmapView<'a>,
}

/// `aims map --format json`.
#[derive(Serialize)]
pub struct MapView<'a> {
    pub target: &'a str,
    pub title: &'a str,
    pub sources: &'a [Source],
    pub with_inventory: bool,
    pub items: &'a [MappedItem],
}

/// The catalogue's edition in `aims controls --format json`.
#[derive(Serialize)]
pub struct EditionView<'a> {
    pub standard: &'a str,
    pub version: &'a str,
}

/// `aims controls --format json`.
#[derive(Serialize)]
pub struct CatalogView<'a> {
    pub catalog: EditionView<'a>,
    pub groups: &'a [Group],
    pub controls: &'a [Control],
}

/// `aims controls ID --format json`: the one control.
#[derive(Serialize)]
pub struct ControlView<'a> {
    pub controls: [&'a Control; 1],
}

/// `aims soa --format json`.
#[derive(Serialize)]
pub struct SoaView<'a> {
    pub as_of: Date,
    pub system: Option<&'a str>,
    pub controls: &'a [SoaRow],
}

/// `aims rules --format json`: every rule and load code.
#[derive(Serialize)]
pub struct RulesView<'a> {
    pub rules: &'a [Rule],
    pub load_codes: &'a [Rule],
}

/// `aims rules ID --format json`: the one rule or load code.
#[derive(Serialize)]
pub struct RuleView<'a> {
    pub rules: [&'a Rule; 1],
}

/// `aims verify --format json`.
#[derive(Serialize)]
pub struct VerifyView<'a> {
    pub pack: &'a Path,
    pub ok: bool,
    pub result: &'a Verification,
}

/// What a command that writes JSON writes when the inventory does not load.
#[derive(Serialize)]
pub struct LoadErrorsView<'a> {
    pub errors: &'a [Diagnostic],
}

/// The gate a pack records beside its gap analysis: the threshold the AIMS
/// set itself (a pack is evidence, not a CI run, so nothing is denied).
#[derive(Serialize)]
pub struct PackGateView {
    pub fail_under: Option<f64>,
}

/// `data/gap.json` in a pack: the gap result with the AIMS's own threshold.
#[derive(Serialize)]
pub struct PackGapView<'a> {
    #[serde(flatten)]
    pub gap: &'a Gap,
    pub gate: PackGateView,
}

/// One system of `data/classification.json` in a pack.
#[derive(Serialize)]
pub struct PackClassifiedView<'a> {
    pub id: &'a Id,
    /// As in [`ClassifiedView`]: `not-assessed` with no `eu_ai_act` block.
    pub tier: &'static str,
    pub basis: &'a [String],
    pub obligations: &'a [ObligationDue],
}

/// `data/classification.json` in a pack.
#[derive(Serialize)]
pub struct PackClassificationView<'a> {
    pub as_of: Date,
    pub systems: Vec<PackClassifiedView<'a>>,
}

/// One incident in a pack's `data/incidents.json`, with the Art. 73
/// deadline it was judged by.
#[derive(Serialize)]
pub struct IncidentView<'a> {
    pub id: &'a Id,
    pub system: &'a Id,
    pub occurred: Date,
    pub aware: Date,
    pub serious: bool,
    pub kind: crate::model::IncidentKind,
    /// Days after `aware` within which a provider reports a serious incident.
    pub deadline_days: i64,
    /// The Art. 73 paragraph that sets it.
    pub deadline_basis: &'static str,
    pub reported: Option<Date>,
    pub authority: Option<&'a str>,
    pub nonconformity: Option<&'a Id>,
    pub evidence: Vec<&'a str>,
}

impl<'a> IncidentView<'a> {
    pub fn new(i: &'a crate::model::Incident) -> Self {
        let (deadline_days, deadline_basis) = i.deadline();
        IncidentView {
            id: &i.id,
            system: &i.system,
            occurred: i.occurred,
            aware: i.aware,
            serious: i.serious,
            kind: i.kind.unwrap_or(crate::model::IncidentKind::Other),
            deadline_days,
            deadline_basis,
            reported: i.reported,
            authority: i.authority.as_deref(),
            nonconformity: i.nonconformity.as_ref(),
            evidence: i.evidence.iter().map(|e| e.path()).collect(),
        }
    }
}

/// `data/incidents.json` in a pack.
#[derive(Serialize)]
pub struct PackIncidentsView<'a> {
    pub as_of: Date,
    pub incidents: Vec<IncidentView<'a>>,
}
