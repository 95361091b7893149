//! Catalogue entries: clauses, Annex A controls and their groups, and the
//! raw form in which the embedded data and overlays write them.

use serde::{Deserialize, Serialize};

use crate::model::{Duration, Lifecycle, SystemRole};

/// What kind of catalogue entry a control is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Clause,
    AnnexA,
    Custom,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Clause => "clause",
            Kind::AnnexA => "annex-a",
            Kind::Custom => "custom",
        }
    }
}

/// Whom a control is judged for: the organisation, each AI system, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppliesTo {
    Organization,
    System,
    Both,
}

impl AppliesTo {
    pub fn as_str(self) -> &'static str {
        match self {
            AppliesTo::Organization => "organization",
            AppliesTo::System => "system",
            AppliesTo::Both => "both",
        }
    }
    pub fn per_system(self) -> bool {
        matches!(self, AppliesTo::System | AppliesTo::Both)
    }
}

/// Which certification stage looks at a control first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Documentation,
    Operation,
}

/// A role as the catalogue names it (a provider that develops, a deployer that
/// buys in). The AI Act catalogue also names the operators that only pass a
/// system on (Art. 22-24); no ISO/IEC 42001 control is written for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CatalogRole {
    Provider,
    Deployer,
    Importer,
    Distributor,
    AuthorisedRepresentative,
}

impl CatalogRole {
    pub fn as_str(self) -> &'static str {
        match self {
            CatalogRole::Provider => "provider",
            CatalogRole::Deployer => "deployer",
            CatalogRole::Importer => "importer",
            CatalogRole::Distributor => "distributor",
            CatalogRole::AuthorisedRepresentative => "authorised-representative",
        }
    }
}

/// A kind of inventory record that supports a control: where no statement
/// is written, such a record stands in for one (records are evidence, so
/// that a fact is written once).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordKind {
    /// The latest impact assessment of a system (`impact_assessments`).
    ImpactAssessment,
    /// The latest impact assessment that assesses impacts on individuals or groups.
    ImpactOnIndividuals,
    /// The latest impact assessment that assesses impacts on society.
    ImpactOnSociety,
    /// The risk register (`risks`), by the systems each risk names.
    Risk,
    /// The latest internal audit (`audits`, kind `internal-audit`).
    InternalAudit,
    /// The latest management review that lists its inputs.
    ManagementReview,
    /// Nonconformities with a corrective action.
    Nonconformity,
    /// The due diligence of the supplier of a system.
    SupplierDueDiligence,
    /// The provenance document of each of a system's data sets.
    DataProvenance,
    /// The incident register (`incidents`), by the system each concerns.
    Incident,
}

impl RecordKind {
    pub const ALL: [RecordKind; 10] = [
        RecordKind::ImpactAssessment,
        RecordKind::ImpactOnIndividuals,
        RecordKind::ImpactOnSociety,
        RecordKind::Risk,
        RecordKind::InternalAudit,
        RecordKind::ManagementReview,
        RecordKind::Nonconformity,
        RecordKind::SupplierDueDiligence,
        RecordKind::DataProvenance,
        RecordKind::Incident,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::ImpactAssessment => "impact-assessment",
            RecordKind::ImpactOnIndividuals => "impact-on-individuals",
            RecordKind::ImpactOnSociety => "impact-on-society",
            RecordKind::Risk => "risk",
            RecordKind::InternalAudit => "internal-audit",
            RecordKind::ManagementReview => "management-review",
            RecordKind::Nonconformity => "nonconformity",
            RecordKind::SupplierDueDiligence => "supplier-due-diligence",
            RecordKind::DataProvenance => "data-provenance",
            RecordKind::Incident => "incident",
        }
    }

    /// How one record of this kind is named in a reason: "impact assessment".
    pub fn noun(self) -> &'static str {
        match self {
            RecordKind::ImpactAssessment
            | RecordKind::ImpactOnIndividuals
            | RecordKind::ImpactOnSociety => "impact assessment",
            RecordKind::Risk => "risk",
            RecordKind::InternalAudit => "internal audit",
            RecordKind::ManagementReview => "management review",
            RecordKind::Nonconformity => "nonconformity",
            RecordKind::SupplierDueDiligence => "due diligence of supplier",
            RecordKind::DataProvenance => "data set",
            RecordKind::Incident => "incident",
        }
    }

    /// The reason where no record of this kind supports the control.
    pub fn absent(self) -> &'static str {
        match self {
            RecordKind::ImpactAssessment => "no impact assessment",
            RecordKind::ImpactOnIndividuals => {
                "no impact assessment of impacts on individuals or groups"
            }
            RecordKind::ImpactOnSociety => "no impact assessment of societal impacts",
            RecordKind::Risk => "no risk in the register",
            RecordKind::InternalAudit => "no internal audit",
            RecordKind::ManagementReview => "no management review that lists its inputs",
            RecordKind::Nonconformity => "no nonconformity with a corrective action",
            RecordKind::SupplierDueDiligence => "no supplier due diligence",
            RecordKind::DataProvenance => "no data set",
            RecordKind::Incident => "no incident in the register",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub group: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subgroup: Option<String>,
    pub kind: Kind,
    pub applies_to: AppliesTo,
    pub roles: Vec<CatalogRole>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lifecycle: Vec<Lifecycle>,
    pub stage: Stage,
    pub asks: String,
    pub evidence: Vec<String>,
    pub freshness: Duration,
    pub effort_weeks: u8,
    /// The kinds of record that support this control where no statement
    /// is written (policies support the controls they list, always).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<RecordKind>,
    /// The user's own licensed wording, laid over ours with `[catalog] extra`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `embedded`, or the overlay file that added or changed it.
    pub source: String,
}

impl Control {
    /// Does this control concern a system with this role and life-cycle stage?
    /// Retired systems are never judged. An importer, distributor or
    /// authorised representative neither develops nor uses the system, so
    /// only the controls written for every role (`roles` empty) concern it.
    /// The Art. 25 triggers change the AI Act duties only, not this.
    pub fn applies_to_system(&self, role: SystemRole, lifecycle: Lifecycle) -> bool {
        if !self.applies_to.per_system() || lifecycle == Lifecycle::Retired {
            return false;
        }
        if !self.lifecycle.is_empty() && !self.lifecycle.contains(&lifecycle) {
            return false;
        }
        self.roles.is_empty()
            || (role.is_provider() && self.roles.contains(&CatalogRole::Provider))
            || (role.is_deployer() && self.roles.contains(&CatalogRole::Deployer))
    }
}

/// A control entry as written in YAML (embedded or overlay).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawControl {
    pub id: crate::model::ControlId,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub subgroup: Option<String>,
    #[serde(default)]
    pub kind: Option<Kind>,
    #[serde(default)]
    pub applies_to: Option<AppliesTo>,
    #[serde(default)]
    pub roles: Option<Vec<CatalogRole>>,
    #[serde(default)]
    pub lifecycle: Option<Vec<Lifecycle>>,
    #[serde(default)]
    pub stage: Option<Stage>,
    #[serde(default)]
    pub asks: Option<String>,
    #[serde(default)]
    pub evidence: Option<Vec<String>>,
    #[serde(default)]
    pub freshness: Option<Duration>,
    #[serde(default)]
    pub effort_weeks: Option<u8>,
    #[serde(default)]
    pub records: Option<Vec<RecordKind>>,
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCatalog {
    #[serde(default)]
    pub catalog: Option<String>,
    #[serde(default)]
    pub standard: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub controls: Vec<RawControl>,
}
