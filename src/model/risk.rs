//! Risks and their treatment, and impact assessments of systems.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ControlId, Date, EvidenceRef, Id, OneOrMany, Scale, Src};

kebab_enum!(
    /// Annex C.3 risk sources.
    RiskSource {
    EnvironmentComplexity = "environment-complexity",
    LackOfTransparency = "lack-of-transparency",
    LevelOfAutomation = "level-of-automation",
    MachineLearning = "machine-learning",
    Hardware = "hardware",
    LifeCycle = "life-cycle",
    TechnologyReadiness = "technology-readiness",
});

kebab_enum!(
    /// Annex C.2 objectives.
    Objective {
    Accountability = "accountability",
    AiExpertise = "ai-expertise",
    DataQuality = "data-quality",
    EnvironmentalImpact = "environmental-impact",
    Fairness = "fairness",
    Maintainability = "maintainability",
    Privacy = "privacy",
    Robustness = "robustness",
    Safety = "safety",
    Security = "security",
    Transparency = "transparency",
});

kebab_enum!(Treatment { Mitigate = "mitigate", Accept = "accept", Avoid = "avoid", Transfer = "transfer" });

kebab_enum!(ImpactOn { Individuals = "individuals", Groups = "groups", Society = "society" });

kebab_enum!(Dimension {
    Fairness = "fairness", Privacy = "privacy", Safety = "safety", Transparency = "transparency",
    HumanOversight = "human-oversight", Accessibility = "accessibility", Environment = "environment",
    Security = "security", HumanRights = "human-rights", Economic = "economic",
});

kebab_enum!(Conclusion {
    Proceed = "proceed", ProceedWithConditions = "proceed-with-conditions", DoNotProceed = "do-not-proceed",
});

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    pub id: Id,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// System ids; empty means organisation-wide.
    #[serde(default)]
    pub systems: Vec<Id>,
    #[serde(default)]
    pub source: Option<RiskSource>,
    #[serde(default)]
    pub objective: Option<Objective>,
    pub likelihood: Scale,
    pub impact: Scale,
    #[serde(default)]
    pub owner: Option<Id>,
    #[serde(default)]
    pub treatment: Option<Treatment>,
    #[serde(default)]
    pub controls: Vec<ControlId>,
    #[serde(default)]
    pub residual: Option<Residual>,
    #[serde(default)]
    pub accepted_by: Option<Id>,
    #[serde(default)]
    pub review_by: Option<Date>,
    /// When the risk was last assessed or reviewed: the date this register
    /// entry counts from as evidence of clauses 6.1.2, 6.1.3, 8.2 and 8.3.
    #[serde(default)]
    pub reviewed: Option<Date>,
    /// Documents of the assessment or treatment (paths or globs under the
    /// evidence root); the entry itself is the record when none is cited.
    #[serde(default)]
    pub evidence: OneOrMany<EvidenceRef>,
    #[serde(skip)]
    pub src: Src,
}

impl Risk {
    /// Inherent score: likelihood × impact, 1–25.
    pub fn score(&self) -> u16 {
        u16::from(self.likelihood.0) * u16::from(self.impact.0)
    }

    /// Residual score after treatment, when recorded.
    pub fn residual_score(&self) -> Option<u16> {
        self.residual
            .as_ref()
            .map(|r| u16::from(r.likelihood.0) * u16::from(r.impact.0))
    }
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Residual {
    pub likelihood: Scale,
    pub impact: Scale,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImpactAssessment {
    pub id: Id,
    pub system: Id,
    pub date: Date,
    #[serde(default)]
    pub assessor: Option<Id>,
    #[serde(default)]
    pub approved_by: Option<Id>,
    #[serde(default)]
    pub next_review: Option<Date>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub intended_use: Option<String>,
    #[serde(default)]
    pub foreseeable_misuse: Option<String>,
    #[serde(default)]
    pub impacts: Vec<Impact>,
    #[serde(default)]
    pub conclusion: Option<Conclusion>,
    #[serde(skip)]
    pub src: Src,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Impact {
    pub on: ImpactOn,
    pub dimension: Dimension,
    #[serde(default)]
    pub description: Option<String>,
    pub severity: Scale,
    #[serde(default)]
    pub likelihood: Option<Scale>,
    #[serde(default)]
    pub mitigations: Vec<String>,
    #[serde(default)]
    pub controls: Vec<ControlId>,
}
