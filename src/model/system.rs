//! AI systems, the data they use, and the facts the EU AI Act
//! classification is computed from.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Date, EvidenceRef, Id, OneOrMany, Src, Statement};

kebab_enum!(
    /// Where a system is in its life cycle.
    Lifecycle {
    Design = "design", Development = "development", Verification = "verification",
    Deployment = "deployment", Operation = "operation", Retired = "retired",
});

kebab_enum!(
    /// The organisation's role for a system (ISO/IEC 22989 / AI Act terms).
    SystemRole {
    Provider = "provider", Deployer = "deployer", ProviderAndDeployer = "provider-and-deployer",
});

impl SystemRole {
    pub fn is_provider(self) -> bool {
        matches!(self, SystemRole::Provider | SystemRole::ProviderAndDeployer)
    }
    pub fn is_deployer(self) -> bool {
        matches!(self, SystemRole::Deployer | SystemRole::ProviderAndDeployer)
    }
}

kebab_enum!(
    /// EU AI Act risk tier.
    Tier {
    Prohibited = "prohibited", High = "high", Limited = "limited", Minimal = "minimal", OutOfScope = "out-of-scope",
});

kebab_enum!(Prohibited {
    SubliminalManipulation = "subliminal-manipulation",
    ExploitingVulnerabilities = "exploiting-vulnerabilities",
    SocialScoring = "social-scoring",
    CrimePredictionProfiling = "crime-prediction-profiling",
    FacialImageScraping = "facial-image-scraping",
    EmotionRecognitionWorkEducation = "emotion-recognition-work-education",
    BiometricCategorisationSensitive = "biometric-categorisation-sensitive",
    RealtimeRemoteBiometricIdLawEnforcement = "realtime-remote-biometric-id-law-enforcement",
});

kebab_enum!(AnnexIii {
    BiometricsRemoteId = "biometrics-remote-id",
    BiometricsCategorisation = "biometrics-categorisation",
    BiometricsEmotion = "biometrics-emotion",
    CriticalInfrastructure = "critical-infrastructure",
    EducationAccess = "education-access",
    EducationAssessment = "education-assessment",
    EducationLevel = "education-level",
    EducationProctoring = "education-proctoring",
    EmploymentRecruitment = "employment-recruitment",
    EmploymentDecisions = "employment-decisions",
    PublicBenefits = "public-benefits",
    Creditworthiness = "creditworthiness",
    InsuranceLifeHealth = "insurance-life-health",
    EmergencyTriage = "emergency-triage",
    LawEnforcement = "law-enforcement",
    MigrationBorder = "migration-border",
    JusticeDemocracy = "justice-democracy",
});

kebab_enum!(Art63Exception {
    None = "none",
    NarrowProceduralTask = "narrow-procedural-task",
    ImprovesHumanActivity = "improves-human-activity",
    DetectsPatterns = "detects-patterns",
    PreparatoryTask = "preparatory-task",
});

kebab_enum!(Transparency {
    InteractsWithPeople = "interacts-with-people",
    SyntheticContent = "synthetic-content",
    EmotionRecognition = "emotion-recognition",
    BiometricCategorisation = "biometric-categorisation",
    DeepFake = "deep-fake",
    PublicInterestText = "public-interest-text",
});

kebab_enum!(Gpai { None = "none", Gpai = "gpai", GpaiSystemic = "gpai-systemic" });

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct System {
    pub id: Id,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub owner: Option<Id>,
    pub lifecycle: Lifecycle,
    pub role: SystemRole,
    /// Supplier id, when the system is bought in.
    #[serde(default)]
    pub supplier: Option<Id>,
    /// Last material change (model, data or use).
    #[serde(default)]
    pub changed: Option<Date>,
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(default)]
    pub users: Option<String>,
    #[serde(default)]
    pub affected: Option<String>,
    #[serde(default)]
    pub data: Vec<DataSet>,
    #[serde(default)]
    pub human_oversight: Option<String>,
    #[serde(default)]
    pub logging: Option<String>,
    #[serde(default)]
    pub eu_ai_act: Option<EuAiAct>,
    /// Per-system statements; they override the organisation's for this system.
    #[serde(default)]
    pub controls: BTreeMap<String, Statement>,
    /// System-level evidence (model card, technical documentation…).
    #[serde(default)]
    pub evidence: OneOrMany<EvidenceRef>,
    #[serde(skip)]
    pub src: Src,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataSet {
    pub id: Id,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub personal: Option<bool>,
    /// Evidence path documenting where the data comes from.
    #[serde(default)]
    pub provenance: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EuAiAct {
    /// Placed on the EU market or used in the EU. Default true.
    #[serde(default)]
    pub in_scope: Option<bool>,
    #[serde(default)]
    pub prohibited: Vec<Prohibited>,
    /// Art. 6(1): safety component of a product under Annex I legislation.
    #[serde(default)]
    pub safety_component: bool,
    #[serde(default)]
    pub annex_iii: Vec<AnnexIii>,
    #[serde(default)]
    pub art6_3_exception: Option<Art63Exception>,
    /// Profiling of natural persons: an Annex III system that profiles is always high-risk.
    #[serde(default)]
    pub profiling: Option<bool>,
    #[serde(default)]
    pub transparency: Vec<Transparency>,
    #[serde(default)]
    pub gpai: Option<Gpai>,
    /// What the owner believes the tier is; compared with the computed one.
    #[serde(default)]
    pub declared_tier: Option<Tier>,
    /// The deployer is a public body or a private entity providing public
    /// services: with a high-risk system, Art. 27 (fundamental rights
    /// impact assessment) applies. Default false.
    #[serde(default)]
    pub public_service: bool,
}
