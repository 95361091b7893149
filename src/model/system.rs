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
    /// The organisation's role for a system (ISO/IEC 22989 / AI Act Art. 3
    /// terms): provider (3(3)), deployer (3(4)), both, authorised
    /// representative (3(5)), importer (3(6)) or distributor (3(7)).
    SystemRole {
    Provider = "provider", Deployer = "deployer", ProviderAndDeployer = "provider-and-deployer",
    Importer = "importer", Distributor = "distributor",
    AuthorisedRepresentative = "authorised-representative",
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
    // Added by the Digital Omnibus on AI (reported as Art. 5(1)(ba), (bb)).
    IntimateImagery = "intimate-imagery",
    ChildSexualAbuseMaterial = "child-sexual-abuse-material",
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
    /// The document of where the data comes from: a path under the evidence
    /// root, or `{path, reviewed, sha256}` (a review date lets it evidence
    /// A.7.5 where no statement is written).
    #[serde(default)]
    pub provenance: Option<EvidenceRef>,
}

#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EuAiAct {
    /// Placed on the EU market or used in the EU. Default true.
    #[serde(default)]
    pub in_scope: Option<bool>,
    /// Art. 5(1) prohibited practices that apply; any one makes the system
    /// prohibited. `intimate-imagery` and `child-sexual-abuse-material` are
    /// the Digital Omnibus bans (reported as Art. 5(1)(ba)/(bb)), from
    /// 2026-12-02.
    #[serde(default)]
    pub prohibited: Vec<Prohibited>,
    /// Art. 6(1)(a): the system is a product, or a safety component of a
    /// product, covered by the Union harmonisation legislation of Annex I.
    /// High-risk only with `third_party_assessment` (Art. 6(1)(b)).
    #[serde(default)]
    pub safety_component: bool,
    /// Art. 6(1)(b): that product must undergo a third-party conformity
    /// assessment under the Annex I legislation. Default false.
    #[serde(default)]
    pub third_party_assessment: bool,
    /// Annex III points (Art. 6(2)).
    #[serde(default)]
    pub annex_iii: Vec<AnnexIii>,
    /// Art. 6(3) derogation claimed for an Annex III system.
    #[serde(default)]
    pub art6_3_exception: Option<Art63Exception>,
    /// Profiling of natural persons: an Annex III system that profiles is always high-risk.
    #[serde(default)]
    pub profiling: Option<bool>,
    /// Art. 50 transparency situations.
    #[serde(default)]
    pub transparency: Vec<Transparency>,
    /// The system is, or is built on, a general-purpose AI model (Chapter V).
    #[serde(default)]
    pub gpai: Option<Gpai>,
    /// What the owner believes the tier is; compared with the computed one.
    #[serde(default)]
    pub declared_tier: Option<Tier>,
    /// The deployer is a body governed by public law or a private entity
    /// providing public services: with an Annex III high-risk system (except
    /// point 2), Art. 27(1) (fundamental rights impact assessment) applies.
    /// Default false.
    #[serde(default)]
    pub public_service: bool,
    /// The organisation is a public authority, or a Union institution, body,
    /// office or agency (or acts on behalf of one); for a provider, the
    /// system is intended to be used by one. Deployers register their use of
    /// Annex III systems (Art. 26(8), 49(3)), Art. 27(1) applies, and
    /// Art. 111(2) sets 2030-08-02 for systems already on the market.
    /// Default false.
    #[serde(default)]
    pub public_body: bool,
    /// Released under a free and open-source licence: out of scope unless
    /// high-risk, prohibited or under Art. 50 (Art. 2(12)); for a GPAI model
    /// without systemic risk, Art. 53(1)(a)-(b) do not apply (Art. 53(2)).
    /// Default false.
    #[serde(default)]
    pub open_source: bool,
    /// When the system (or its GPAI model) was first placed on the EU market
    /// or put into service, for the Art. 111 transitions. A high-risk system
    /// placed before its application date is covered once `changed` (read
    /// as a significant change in design) is on or after that date.
    #[serde(default)]
    pub placed_on_market: Option<Date>,
    /// Art. 25(1)(a): the organisation puts its name or trademark on a
    /// high-risk system already on the market, and so becomes its provider.
    #[serde(default)]
    pub own_name: bool,
    /// Art. 25(1)(b): the organisation made a substantial modification to a
    /// high-risk system that keeps it high-risk, and so becomes its provider.
    #[serde(default)]
    pub substantial_modification: bool,
    /// Art. 25(1)(c): the organisation changed the intended purpose of a
    /// system so that it became high-risk, and so becomes its provider.
    #[serde(default)]
    pub changed_purpose: bool,
}
