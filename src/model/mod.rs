//! The inventory types of `../shared/spec/inventory.md` (format version 1).
//!
//! The same types drive loading (through [`crate::load::yaml::from_node`]) and the
//! JSON Schema of `aims schema`, so the two cannot drift apart.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, OnceLock};

use chrono::{Datelike, Months, NaiveDate};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::diag::Location;
use crate::load::yaml::{Node, Pos};

// ---------------------------------------------------------------------------
// Where an item came from.

/// The file and node an item was read from, for diagnostics that point at
/// the item or one of its fields. Not part of the format.
#[derive(Clone, Debug, Default)]
pub struct Src {
    pub file: Arc<str>,
    pub node: Option<Arc<Node>>,
}

impl Src {
    pub fn new(file: &Arc<str>, node: &Node) -> Self {
        Src {
            file: file.clone(),
            node: Some(Arc::new(node.clone())),
        }
    }
    pub fn pos(&self) -> Pos {
        self.node.as_ref().map(|n| n.pos).unwrap_or_default()
    }
    /// The item itself.
    pub fn loc(&self) -> Location {
        Location::new(&self.file, self.pos())
    }
    /// A field of the item (`["owner"]`, `["impacts", "0", "controls"]`).
    pub fn loc_of(&self, path: &[&str]) -> Location {
        let pos = self
            .node
            .as_ref()
            .map(|n| n.pos_of(path))
            .unwrap_or_default();
        Location::new(&self.file, pos)
    }
}

// ---------------------------------------------------------------------------
// Scalars with meaning.

/// An item id: `[a-z0-9][a-z0-9._-]*`, compared case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Id(pub String);

impl Id {
    /// The id in lowercase, for comparing without case. Borrowed when it is
    /// lowercase already (the usual case), so no allocation.
    pub fn key(&self) -> Cow<'_, str> {
        let s = self.0.as_str();
        if s.is_ascii() {
            if s.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(s.to_ascii_lowercase())
            } else {
                Cow::Borrowed(s)
            }
        } else {
            Cow::Owned(s.to_lowercase())
        }
    }

    /// The same id, ignoring case; no allocation.
    pub fn same(&self, other: &Id) -> bool {
        if self.0.is_ascii() && other.0.is_ascii() {
            self.0.eq_ignore_ascii_case(&other.0)
        } else {
            self.key() == other.key()
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if valid_id(&s) {
            Ok(Id(s))
        } else {
            Err(de::Error::custom(format!(
                "`{s}` is not a valid id: use lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit"
            )))
        }
    }
}

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$",
            "description": "An id, unique within its list (compared case-insensitively)."})
    }
}

/// A catalogue id (`A.6.2.8`, `6.1.3`, or `4.1` written unquoted, which
/// YAML reads as a number: the id is the text as written).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ControlId(pub String);

impl fmt::Display for ControlId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ControlId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ControlId;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a control or clause id such as `A.6.2.8` or `6.1.3`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ControlId, E> {
                Ok(ControlId(v.trim().to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ControlId, E> {
                Ok(ControlId(crate::load::yaml::float_text(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ControlId, E> {
                Ok(ControlId(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ControlId, E> {
                Ok(ControlId(v.to_string()))
            }
        }
        // Asked for as text: an unquoted `4.10` is read as written, not as
        // the number 4.1 (the numbers above are for readers that cannot).
        d.deserialize_str(V)
    }
}

impl JsonSchema for ControlId {
    fn schema_name() -> Cow<'static, str> {
        "ControlId".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": ["string", "number"],
            "description": "A catalogue id: an Annex A control (A.6.2.8), a clause (6.1.3), or a custom control."})
    }
}

/// A calendar date, ISO 8601 (`2026-03-01`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn parse(s: &str) -> Result<Date, String> {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(Date)
            .map_err(|_| {
                format!("`{s}` is not a date: write it as YYYY-MM-DD, for example 2026-03-01")
            })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written as YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Date, E> {
                Err(E::custom(format!(
                    "`{v}` is not a date: write it as YYYY-MM-DD"
                )))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Date, E> {
                Err(E::custom(format!(
                    "`{v}` is not a date: write it as YYYY-MM-DD"
                )))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})
    }
}

/// A duration such as `12 months`, `90 days`, `2 weeks`, `1 year`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Duration {
    pub n: u32,
    pub unit: DurationUnit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DurationUnit {
    Days,
    Weeks,
    Months,
    Years,
}

impl Duration {
    pub const fn months(n: u32) -> Self {
        Duration {
            n,
            unit: DurationUnit::Months,
        }
    }

    pub fn parse(s: &str) -> Result<Duration, String> {
        let err = || {
            format!(
                "`{s}` is not a duration: write `N days`, `N weeks`, `N months` or `N years`, for example `12 months`"
            )
        };
        let mut parts = s.split_whitespace();
        let (Some(n), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(err());
        };
        let n: u32 = n.parse().map_err(|_| err())?;
        if n == 0 || n > 100_000 {
            return Err(err());
        }
        let unit = match unit.to_lowercase().as_str() {
            "day" | "days" => DurationUnit::Days,
            "week" | "weeks" => DurationUnit::Weeks,
            "month" | "months" => DurationUnit::Months,
            "year" | "years" => DurationUnit::Years,
            _ => return Err(err()),
        };
        Ok(Duration { n, unit })
    }

    /// `date + self`, clamped to the end of the month (31 Jan + 1 month = 28/29 Feb).
    pub fn after(&self, date: Date) -> Date {
        let d = date.0;
        let r = match self.unit {
            DurationUnit::Days => d.checked_add_days(chrono::Days::new(self.n.into())),
            DurationUnit::Weeks => d.checked_add_days(chrono::Days::new(u64::from(self.n) * 7)),
            DurationUnit::Months => d.checked_add_months(Months::new(self.n)),
            DurationUnit::Years => d.checked_add_months(Months::new(self.n.saturating_mul(12))),
        };
        Date(r.unwrap_or(NaiveDate::MAX))
    }

    /// `date - self`.
    pub fn before(&self, date: Date) -> Date {
        let d = date.0;
        let r = match self.unit {
            DurationUnit::Days => d.checked_sub_days(chrono::Days::new(self.n.into())),
            DurationUnit::Weeks => d.checked_sub_days(chrono::Days::new(u64::from(self.n) * 7)),
            DurationUnit::Months => d.checked_sub_months(Months::new(self.n)),
            DurationUnit::Years => d.checked_sub_months(Months::new(self.n.saturating_mul(12))),
        };
        Date(r.unwrap_or(NaiveDate::MIN))
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match (self.unit, self.n == 1) {
            (DurationUnit::Days, true) => "day",
            (DurationUnit::Days, false) => "days",
            (DurationUnit::Weeks, true) => "week",
            (DurationUnit::Weeks, false) => "weeks",
            (DurationUnit::Months, true) => "month",
            (DurationUnit::Months, false) => "months",
            (DurationUnit::Years, true) => "year",
            (DurationUnit::Years, false) => "years",
        };
        write!(f, "{} {unit}", self.n)
    }
}

impl Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Duration::parse(&s).map_err(de::Error::custom)
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "pattern": "^[0-9]+ (day|days|week|weeks|month|months|year|years)$",
            "examples": ["12 months", "90 days"]})
    }
}

/// A number on a 1–5 scale (likelihood, impact, severity).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Scale(pub u8);

impl<'de> Deserialize<'de> for Scale {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        if (1..=5).contains(&n) {
            Ok(Scale(n as u8))
        } else {
            Err(de::Error::custom(format!(
                "{n} is out of range: use a whole number from 1 to 5"
            )))
        }
    }
}

impl JsonSchema for Scale {
    fn schema_name() -> Cow<'static, str> {
        "Scale".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "integer", "minimum": 1, "maximum": 5})
    }
}

/// One value or a list of them (`evidence: file.md` or `evidence: [a, b]`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("one entry or a list of entries")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element()? {
                    out.push(v);
                }
                Ok(OneOrMany(out))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(de::value::StrDeserializer::<E>::new(v)).map(|t| OneOrMany(vec![t]))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|t| OneOrMany(vec![t]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OneOrMany(Vec::new()))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<T: JsonSchema> JsonSchema for OneOrMany<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("OneOrMany_{}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let one = generator.subschema_for::<T>();
        let many = generator.subschema_for::<Vec<T>>();
        json_schema!({"anyOf": [one, many]})
    }
}

impl<T> OneOrMany<T> {
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
}

// ---------------------------------------------------------------------------
// Evidence.

/// A cited evidence file: a path or glob relative to the evidence root, or
/// the same with the date it was last reviewed and its expected hash.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum EvidenceRef {
    Path(String),
    Detailed(EvidenceDetail),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceDetail {
    /// Path or glob relative to the evidence root.
    pub path: String,
    /// When a person last checked that this evidence is still accurate.
    #[serde(default)]
    pub reviewed: Option<Date>,
    /// Expected SHA-256 of the file (hex); a mismatch is a finding.
    #[serde(default)]
    pub sha256: Option<String>,
}

impl EvidenceRef {
    pub fn path(&self) -> &str {
        match self {
            EvidenceRef::Path(p) => p,
            EvidenceRef::Detailed(d) => &d.path,
        }
    }
    pub fn reviewed(&self) -> Option<Date> {
        match self {
            EvidenceRef::Path(_) => None,
            EvidenceRef::Detailed(d) => d.reviewed,
        }
    }
}

impl<'de> Deserialize<'de> for EvidenceRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = EvidenceRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "an evidence path, or a mapping with `path` and optional `reviewed`, `sha256`",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<EvidenceRef, E> {
                if v.trim().is_empty() {
                    return Err(E::custom("an evidence path cannot be empty"));
                }
                Ok(EvidenceRef::Path(v.to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<EvidenceRef, A::Error> {
                EvidenceDetail::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(EvidenceRef::Detailed)
            }
        }
        d.deserialize_any(V)
    }
}

// ---------------------------------------------------------------------------
// Enumerations of the contract.

macro_rules! kebab_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $s)] $v),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),*];
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $s),* } }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

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

kebab_enum!(Status {
    NotStarted = "not-started", Planned = "planned", Partial = "partial", Implemented = "implemented",
});

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

kebab_enum!(AuditKind {
    InternalAudit = "internal-audit", ManagementReview = "management-review", Stage1 = "stage1",
    Stage2 = "stage2", Surveillance = "surveillance", Recertification = "recertification",
});

// ---------------------------------------------------------------------------
// Sections.

/// One inventory file. Several files are merged: lists are concatenated,
/// `controls` maps joined; `version` and `organization` may appear once.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "aims inventory (format version 1)")]
pub struct InventoryFile {
    /// Format version of the inventory: 1.
    #[serde(default)]
    pub version: Option<u32>,
    #[serde(default)]
    pub organization: Option<Organization>,
    #[serde(default)]
    pub policies: Vec<Policy>,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Organisation-level statements, keyed by catalogue id.
    #[serde(default)]
    pub controls: BTreeMap<String, Statement>,
    #[serde(default)]
    pub systems: Vec<System>,
    #[serde(default)]
    pub risks: Vec<Risk>,
    #[serde(default)]
    pub impact_assessments: Vec<ImpactAssessment>,
    #[serde(default)]
    pub suppliers: Vec<Supplier>,
    #[serde(default)]
    pub audits: Vec<Audit>,
    #[serde(default)]
    pub nonconformities: Vec<Nonconformity>,
    #[serde(default)]
    pub waivers: Vec<Waiver>,
}

/// Top-level keys of an inventory file, in contract order.
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "version",
    "organization",
    "policies",
    "roles",
    "controls",
    "systems",
    "risks",
    "impact_assessments",
    "suppliers",
    "audits",
    "nonconformities",
    "waivers",
];

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub name: String,
    /// The AIMS scope statement (clause 4.3).
    #[serde(default)]
    pub scope: Option<String>,
    /// Role id of whoever owns the AIMS.
    #[serde(default)]
    pub aims_owner: Option<Id>,
    /// Highest acceptable risk score (likelihood × impact, 1–25). Default 9.
    #[serde(default)]
    pub risk_appetite: Option<u8>,
    #[serde(default)]
    pub certification: Option<Certification>,
    #[serde(skip)]
    pub src: Src,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Certification {
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub certified: Option<Date>,
    #[serde(default)]
    pub expires: Option<Date>,
    #[serde(default)]
    pub stage1: Option<Date>,
    #[serde(default)]
    pub stage2: Option<Date>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub id: Id,
    pub title: String,
    /// The policy document (evidence path).
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub approved_by: Option<Id>,
    #[serde(default)]
    pub approved: Option<Date>,
    /// Default 12 months.
    #[serde(default)]
    pub review_every: Option<Duration>,
    #[serde(default)]
    pub controls: Vec<ControlId>,
    #[serde(skip)]
    pub src: Src,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: Id,
    pub title: String,
    #[serde(default)]
    pub holder: Option<String>,
    #[serde(default)]
    pub responsibilities: Vec<String>,
    #[serde(skip)]
    pub src: Src,
}

/// What the organisation (or a system) says about one catalogue control.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// `false` excludes the control; it then needs a `justification`.
    #[serde(default)]
    pub applicable: Option<bool>,
    #[serde(default)]
    pub justification: Option<String>,
    #[serde(default)]
    pub status: Option<Status>,
    /// Role id.
    #[serde(default)]
    pub owner: Option<Id>,
    #[serde(default)]
    pub evidence: OneOrMany<EvidenceRef>,
    #[serde(default)]
    pub reviewed: Option<Date>,
    #[serde(default)]
    pub notes: Option<String>,
}

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

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Supplier {
    pub id: Id,
    pub name: String,
    #[serde(default)]
    pub provides: Option<String>,
    #[serde(default)]
    pub due_diligence: Option<DueDiligence>,
    /// The contract (evidence path).
    #[serde(default)]
    pub contract: Option<String>,
    /// Who does what between the organisation and the supplier.
    #[serde(default)]
    pub responsibilities: Option<String>,
    #[serde(skip)]
    pub src: Src,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DueDiligence {
    pub date: Date,
    #[serde(default)]
    pub evidence: OneOrMany<EvidenceRef>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Audit {
    pub id: Id,
    pub kind: AuditKind,
    pub date: Date,
    /// Who performed it (a name or an audit body).
    #[serde(default)]
    pub by: Option<String>,
    /// Catalogue ids covered; empty means all.
    #[serde(default)]
    pub scope: Vec<ControlId>,
    #[serde(default)]
    pub evidence: OneOrMany<EvidenceRef>,
    /// Nonconformity ids raised.
    #[serde(default)]
    pub findings: Vec<Id>,
    /// For a management review: the inputs it considered (clause 9.3.2),
    /// e.g. "status of actions from previous reviews", "AI objectives".
    #[serde(default)]
    pub inputs: Vec<String>,
    #[serde(skip)]
    pub src: Src,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Nonconformity {
    pub id: Id,
    pub raised: Date,
    /// An audit id, or text.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub controls: Vec<ControlId>,
    pub description: String,
    #[serde(default)]
    pub corrective_action: Option<String>,
    #[serde(default)]
    pub owner: Option<Id>,
    #[serde(default)]
    pub due: Option<Date>,
    #[serde(default)]
    pub closed: Option<Date>,
    #[serde(skip)]
    pub src: Src,
}

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

/// A statement together with where it was written.
#[derive(Clone, Debug)]
pub struct PlacedStatement {
    pub statement: Statement,
    pub src: Src,
}

/// The merged inventory, every reference checked.
#[derive(Debug, Default)]
pub struct Inventory {
    pub organization: Option<Organization>,
    pub policies: Vec<Policy>,
    pub roles: Vec<Role>,
    /// Organisation-level statements by catalogue id (canonical case).
    pub controls: BTreeMap<String, PlacedStatement>,
    pub systems: Vec<System>,
    pub risks: Vec<Risk>,
    pub impact_assessments: Vec<ImpactAssessment>,
    pub suppliers: Vec<Supplier>,
    pub audits: Vec<Audit>,
    pub nonconformities: Vec<Nonconformity>,
    pub waivers: Vec<Waiver>,
    /// Lookups by id, built on first use: the lists are complete once the
    /// inventory is loaded, and checks look up ids for every item.
    index: OnceLock<Index>,
}

/// Positions in the inventory's lists by lowercase id; the first of
/// repeated ids wins, as a scan would find it.
#[derive(Debug, Default)]
struct Index {
    systems: HashMap<String, usize>,
    suppliers: HashMap<String, usize>,
    /// Impact assessments by the system they assess, in inventory order.
    assessments: HashMap<String, Vec<usize>>,
    /// Policies by their document's normalised path.
    policy_paths: HashMap<std::path::PathBuf, usize>,
    /// The list lengths the index was built from.
    lens: (usize, usize, usize, usize),
}

impl Inventory {
    fn index(&self) -> &Index {
        let lens = (
            self.systems.len(),
            self.suppliers.len(),
            self.impact_assessments.len(),
            self.policies.len(),
        );
        let index = self.index.get_or_init(|| {
            let mut ix = Index {
                lens,
                ..Index::default()
            };
            for (i, s) in self.systems.iter().enumerate() {
                ix.systems.entry(s.id.key().into_owned()).or_insert(i);
            }
            for (i, s) in self.suppliers.iter().enumerate() {
                ix.suppliers.entry(s.id.key().into_owned()).or_insert(i);
            }
            for (i, ia) in self.impact_assessments.iter().enumerate() {
                ix.assessments
                    .entry(ia.system.key().into_owned())
                    .or_default()
                    .push(i);
            }
            for (i, p) in self.policies.iter().enumerate() {
                if let Some(path) = p.path.as_deref().and_then(normalised) {
                    ix.policy_paths.entry(path).or_insert(i);
                }
            }
            ix
        });
        debug_assert_eq!(index.lens, lens, "inventory changed after it was indexed");
        index
    }

    /// The system with this id (ignoring case).
    pub fn system(&self, id: &Id) -> Option<&System> {
        let i = *self.index().systems.get(id.key().as_ref())?;
        self.systems.get(i)
    }

    /// The supplier with this id (ignoring case).
    pub fn supplier(&self, id: &Id) -> Option<&Supplier> {
        let i = *self.index().suppliers.get(id.key().as_ref())?;
        self.suppliers.get(i)
    }

    /// The impact assessments of a system, in inventory order.
    pub fn assessments_of(&self, system: &Id) -> impl Iterator<Item = &ImpactAssessment> {
        self.index()
            .assessments
            .get(system.key().as_ref())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&i| self.impact_assessments.get(i))
    }

    /// The policy whose document is at `path` (compared after lexical
    /// normalisation, so `./docs/p.md` is `docs/p.md`).
    pub fn policy_at(&self, path: &str) -> Option<&Policy> {
        let i = *self.index().policy_paths.get(&normalised(path)?)?;
        self.policies.get(i)
    }

    pub fn risk_appetite(&self) -> u8 {
        self.organization
            .as_ref()
            .and_then(|o| o.risk_appetite)
            .unwrap_or(9)
    }
}

fn normalised(p: &str) -> Option<std::path::PathBuf> {
    crate::load::safe::normalise(std::path::Path::new(p))
}

/// Today's month/day on `date`'s year, for schedule arithmetic.
pub fn same_day_in_year(date: Date, year: i32) -> Date {
    Date(date.0.with_year(year).unwrap_or(date.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_add() {
        let d = Duration::parse("12 months").unwrap();
        assert_eq!(
            d.after(Date::parse("2025-06-01").unwrap()).to_string(),
            "2026-06-01"
        );
        assert_eq!(
            Duration::parse("1 month")
                .unwrap()
                .after(Date::parse("2026-01-31").unwrap())
                .to_string(),
            "2026-02-28"
        );
        assert_eq!(
            Duration::parse("90 days")
                .unwrap()
                .before(Date::parse("2026-04-01").unwrap())
                .to_string(),
            "2026-01-01"
        );
        assert!(Duration::parse("twelve months").is_err());
        assert!(Duration::parse("12").is_err());
        assert!(Duration::parse("0 days").is_err());
        assert!(Duration::parse("3 fortnights").is_err());
    }

    #[test]
    fn ids_follow_the_pattern() {
        assert!(valid_id("cv-screening"));
        assert!(valid_id("ia.2026_v2"));
        assert!(valid_id("CV-Screening"));
        assert!(!valid_id("-x"));
        assert!(!valid_id("a b"));
        assert!(!valid_id(""));
    }

    #[test]
    fn id_keys_borrow_when_already_lowercase() {
        assert!(matches!(Id("cv-1".into()).key(), Cow::Borrowed("cv-1")));
        assert_eq!(Id("CV-1".into()).key(), "cv-1");
        assert!(Id("CV-1".into()).same(&Id("cv-1".into())));
        assert!(!Id("cv-1".into()).same(&Id("cv-2".into())));
    }

    #[test]
    fn lookups_by_id_ignore_case_and_keep_inventory_order() {
        let text = "systems:
  - {id: Alpha, name: A, lifecycle: operation, role: deployer}
  - {id: beta, name: B, lifecycle: operation, role: deployer}
suppliers:
  - {id: Vendor, name: V}
impact_assessments:
  - {id: ia-2, system: alpha, date: 2026-02-01}
  - {id: ia-1, system: ALPHA, date: 2026-01-01}
  - {id: ia-3, system: beta, date: 2026-03-01}
";
        let node = crate::load::yaml::parse(text).unwrap();
        let (file, unknown) = crate::load::yaml::from_node::<InventoryFile>(&node);
        assert!(unknown.is_empty());
        let file = file.unwrap();
        let inv = Inventory {
            systems: file.systems,
            suppliers: file.suppliers,
            impact_assessments: file.impact_assessments,
            ..Inventory::default()
        };
        let id = |s: &str| Id(s.into());
        assert_eq!(inv.system(&id("ALPHA")).unwrap().name, "A");
        assert!(inv.system(&id("gamma")).is_none());
        assert_eq!(inv.supplier(&id("vendor")).unwrap().name, "V");
        let of_alpha: Vec<&str> = inv
            .assessments_of(&id("Alpha"))
            .map(|ia| ia.id.as_str())
            .collect();
        assert_eq!(of_alpha, ["ia-2", "ia-1"]);
        assert_eq!(inv.assessments_of(&id("gamma")).count(), 0);
    }

    #[test]
    fn control_ids_are_read_as_written() {
        // Through aims' node tree, as the loader reads them…
        let node = crate::load::yaml::parse("[4.10, 6.1.2, 4.1, 10.2, 0x4, A.6.2.4]").unwrap();
        let (ids, _) = crate::load::yaml::from_node::<Vec<ControlId>>(&node);
        let want = ["4.10", "6.1.2", "4.1", "10.2", "0x4", "A.6.2.4"];
        let got: Vec<String> = ids.unwrap().into_iter().map(|c| c.0).collect();
        assert_eq!(got, want);
        // …and straight from serde-saphyr, as the embedded catalogue is read.
        let ids: Vec<ControlId> =
            serde_saphyr::from_str("[4.10, 6.1.2, 4.1, 10.2, 0x4, A.6.2.4]").unwrap();
        let got: Vec<String> = ids.into_iter().map(|c| c.0).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn dates_are_strict() {
        assert!(Date::parse("2026-02-30").is_err());
        assert!(Date::parse("2026/02/01").is_err());
        assert_eq!(Date::parse("2026-02-01").unwrap().to_string(), "2026-02-01");
    }
}
