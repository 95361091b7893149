//! `aims explain`: every fact behind one level — the statement or record
//! used, each piece of evidence with its review date and freshness limit,
//! the findings that capped it, and the audit that made it effective or
//! the nonconformity that stopped it.

use serde::Serialize;

use crate::assess::evidence::{Freshness, Judged};
use crate::assess::{Assessor, Audited, Basis, Gap, Level, Verdict};
use crate::catalog::Control;
use crate::diag::Location;
use crate::load::Project;
use crate::model::{Date, natural_cmp};
use crate::render::escape::{self, md_code};
use crate::render::{Cx, Output, Render};
use crate::rules::Finding;

/// One level explained (the JSON of `aims explain`).
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub as_of: Date,
    pub control: String,
    pub title: String,
    /// `organization`, `system` or `both`: whom the catalogue judges it for.
    pub applies_to: &'static str,
    /// `organization`, or the system's id.
    pub scope: String,
    pub level: Level,
    pub reason: String,
    pub decided_by: DecidedBy,
    pub evidence: Vec<EvidenceFact>,
    /// Findings that name this control for this scope.
    pub findings: Vec<FindingFact>,
    /// Capped at `partial` by an error finding above.
    pub capped: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditFact>,
    /// For the organisation's level of a per-system control: every system
    /// it applies to, lowest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub systems: Vec<SystemFact>,
}

/// What decided the level.
#[derive(Debug, Clone, Serialize)]
pub struct DecidedBy {
    /// `statement` | `organization-statement` | `records` | `lowest-system` | `nothing`
    pub kind: &'static str,
    /// Where the statement is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<RecordFact>,
    /// For `lowest-system`: the system whose level it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordFact {
    pub kind: &'static str,
    pub id: String,
    pub location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceFact {
    pub cited: String,
    pub files: Vec<String>,
    /// `fresh` | `stale` | `unreviewed` | `problem`
    pub state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingFact {
    pub rule: String,
    pub severity: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// This finding caps the level (an unwaived error of a rule that caps).
    pub caps: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditFact {
    /// `audited` | `open-nonconformity` | `not-recently`
    pub state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SystemFact {
    pub id: String,
    pub level: Level,
    pub reason: String,
}

fn evidence_fact(j: &Judged) -> EvidenceFact {
    let (state, reviewed, limit) = match &j.freshness {
        _ if j.problem.is_some() => ("problem", None, None),
        Freshness::Fresh { reviewed, limit } => ("fresh", Some(*reviewed), Some(limit.clone())),
        Freshness::Stale { reviewed, limit } => ("stale", Some(*reviewed), Some(limit.clone())),
        Freshness::Unreviewed => ("unreviewed", None, None),
        Freshness::Future { reviewed } => ("future", Some(*reviewed), None),
    };
    EvidenceFact {
        cited: j.cited.clone(),
        files: j.files.clone(),
        state,
        problem: j.problem.as_ref().map(|p| p.describe(&j.cited)),
        reviewed,
        limit,
    }
}

/// The explanation of `control` for the organisation or one system (its
/// position); `None` when the control does not apply to that system.
pub fn explain(
    project: &Project,
    gap: &Gap,
    judge: &Assessor,
    control: &Control,
    system: Option<usize>,
) -> Option<Explanation> {
    let at = project.catalog.position(&control.id)?;
    if system.is_none() {
        let (v, per_system) = judge.control_verdicts(at)?;
        return Some(explain_from(project, gap, control, None, v, &per_system));
    }
    let v: Verdict = judge.verdict(at, system)?;
    Some(explain_from(project, gap, control, system, v, &[]))
}

/// As [`explain`], from a verdict already reached and, for the
/// organisation's level of a per-system control, its systems' verdicts
/// (so that a report judges each pair once).
pub fn explain_from(
    project: &Project,
    gap: &Gap,
    control: &Control,
    system: Option<usize>,
    v: Verdict,
    per_system: &[(usize, Verdict)],
) -> Explanation {
    let inv = &project.inventory;
    let sys = system.and_then(|i| inv.systems.get(i));
    let decided_by = match &v.basis {
        Basis::Nothing => DecidedBy {
            kind: "nothing",
            location: None,
            records: Vec::new(),
            system: None,
        },
        Basis::Own { key, .. } => DecidedBy {
            kind: "statement",
            location: match sys {
                Some(s) => Some(s.src.loc_of(&["controls", key])),
                None => inv.controls.get(&control.id).map(|p| p.src.loc()),
            },
            records: Vec::new(),
            system: None,
        },
        Basis::OrgDefault(_) => DecidedBy {
            kind: "organization-statement",
            location: inv.controls.get(&control.id).map(|p| p.src.loc()),
            records: Vec::new(),
            system: None,
        },
        Basis::Records(recs) => DecidedBy {
            kind: "records",
            location: None,
            records: recs
                .iter()
                .map(|r| RecordFact {
                    kind: r.noun,
                    id: r.id.to_string(),
                    location: r.src.loc(),
                    date: r.date,
                })
                .collect(),
            system: None,
        },
        Basis::LowestSystem { system, .. } => DecidedBy {
            kind: "lowest-system",
            location: None,
            records: Vec::new(),
            system: system
                .and_then(|i| inv.systems.get(i))
                .map(|s| s.id.0.clone()),
        },
    };
    let mut systems = Vec::new();
    if matches!(v.basis, Basis::LowestSystem { .. }) {
        for (i, sv) in per_system {
            systems.push(SystemFact {
                id: inv.systems[*i].id.0.clone(),
                level: sv.level,
                reason: sv.reason.clone(),
            });
        }
        systems.sort_by(|a, b| {
            let rank = |l: Level| {
                if l == Level::NotApplicable {
                    9
                } else {
                    l as u8
                }
            };
            rank(a.level)
                .cmp(&rank(b.level))
                .then_with(|| natural_cmp(&a.id, &b.id))
        });
    }
    let findings = gap
        .findings
        .iter()
        .filter(|f| {
            f.control
                .as_deref()
                .and_then(|c| project.catalog.get(c))
                .is_some_and(|c| c.id == control.id)
                && f.system.as_deref() == sys.map(|s| s.id.0.as_str())
        })
        .map(|f: &Finding| FindingFact {
            rule: f.rule.to_string(),
            severity: f.severity.as_str(),
            message: f.message.clone(),
            location: f.location.clone(),
            caps: f.waived_by.is_none()
                && f.severity == crate::diag::Severity::Error
                && f.rule.caps_level(),
            waived_by: f.waived_by.clone(),
        })
        .collect();
    let audit = v.audit.as_ref().map(|a| match a {
        Audited::By(id) => AuditFact {
            state: "audited",
            id: Some(id.clone()),
        },
        Audited::OpenNonconformity(id) => AuditFact {
            state: "open-nonconformity",
            id: Some(id.clone()),
        },
        Audited::NotRecently => AuditFact {
            state: "not-recently",
            id: None,
        },
    });
    Explanation {
        as_of: gap.as_of,
        control: control.id.clone(),
        title: control.title.clone(),
        applies_to: control.applies_to.as_str(),
        scope: sys.map_or_else(|| "organization".to_string(), |s| s.id.0.clone()),
        level: v.level,
        reason: v.reason.clone(),
        decided_by,
        evidence: v.judged.iter().map(evidence_fact).collect(),
        findings,
        capped: v.capped,
        audit,
        systems,
    }
}

/// Systems listed in the text forms before the rest are counted.
const SYSTEMS_SHOWN: usize = 50;
/// Records named in the text forms' "decided by" before the rest are counted.
const RECORDS_NAMED: usize = 10;
/// Evidence listed in the text forms before the rest are counted (`--format
/// json` lists all).
const EVIDENCE_SHOWN: usize = 50;

impl Explanation {
    fn scope_text(&self) -> String {
        if self.scope == "organization" {
            "the organisation".to_string()
        } else {
            format!("system `{}`", self.scope)
        }
    }

    fn decided_text(&self) -> String {
        let d = &self.decided_by;
        let at = |l: &Option<Location>| l.as_ref().map(|l| format!(" ({l})")).unwrap_or_default();
        match d.kind {
            "statement" => format!("its own statement{}", at(&d.location)),
            "organization-statement" => format!(
                "the organisation's statement, as the default for systems without their own{}",
                at(&d.location)
            ),
            "records" => {
                let mut recs: Vec<String> = d
                    .records
                    .iter()
                    .take(RECORDS_NAMED)
                    .map(|r| {
                        let date = r.date.map(|d| format!(", dated {d}")).unwrap_or_default();
                        format!("{} `{}` ({}{date})", r.kind, r.id, r.location)
                    })
                    .collect();
                if d.records.len() > RECORDS_NAMED {
                    recs.push(format!("and {} more", d.records.len() - RECORDS_NAMED));
                }
                format!("records, as no statement is written: {}", recs.join("; "))
            }
            "lowest-system" => match &d.system {
                Some(s) => format!(
                    "the lowest level of its systems, that of `{s}` (the catalogue judges it per system)"
                ),
                None => "no system it applies to".to_string(),
            },
            _ => "nothing: no statement is written and no record supports it".to_string(),
        }
    }

    fn evidence_line(e: &EvidenceFact) -> String {
        let files = match e.files.as_slice() {
            [] => String::new(),
            [one] if *one == e.cited => String::new(),
            files => format!(" → {}", files.join(", ")),
        };
        let state = match e.state {
            "problem" => e.problem.clone().unwrap_or_default(),
            "fresh" => format!(
                "current: reviewed {}, limit {}",
                e.reviewed.map(|d| d.to_string()).unwrap_or_default(),
                e.limit.clone().unwrap_or_default()
            ),
            "stale" => format!(
                "stale: reviewed {}, more than {} ago",
                e.reviewed.map(|d| d.to_string()).unwrap_or_default(),
                e.limit.clone().unwrap_or_default()
            ),
            "future" => format!(
                "dated {}, after the as-of day: not a review yet",
                e.reviewed.map(|d| d.to_string()).unwrap_or_default()
            ),
            _ => "no review date".to_string(),
        };
        format!("{}{files}: {state}", e.cited)
    }

    fn audit_text(&self) -> Option<String> {
        let a = self.audit.as_ref()?;
        Some(match (a.state, &a.id) {
            ("audited", Some(id)) => {
                format!("audit `{id}` covered it in the last 12 months: effective")
            }
            ("open-nonconformity", Some(id)) => {
                format!("nonconformity `{id}` on it is open: not effective until it is closed")
            }
            _ => "no audit in the last 12 months covered it: not effective".to_string(),
        })
    }

    /// The facts as lines of plain text (escaped where they are put);
    /// `short` keeps only the systems below `evidenced`.
    pub fn text_parts(&self, short: bool) -> TextParts {
        let systems: Vec<&SystemFact> = self
            .systems
            .iter()
            .filter(|s| !short || (s.level < Level::Evidenced && s.level != Level::NotApplicable))
            .collect();
        TextParts {
            decided: self.decided_text(),
            evidence: {
                let mut v: Vec<String> = self
                    .evidence
                    .iter()
                    .take(EVIDENCE_SHOWN)
                    .map(Self::evidence_line)
                    .collect();
                if self.evidence.len() > EVIDENCE_SHOWN {
                    v.push(format!(
                        "… and {} more (`--format json` lists them all)",
                        self.evidence.len() - EVIDENCE_SHOWN
                    ));
                }
                v
            },
            findings: self
                .findings
                .iter()
                .map(|f| {
                    let caps = if f.caps {
                        " (caps the level at partial)"
                    } else {
                        ""
                    };
                    let waived = f
                        .waived_by
                        .as_ref()
                        .map(|w| format!(" (waived by `{w}`)"))
                        .unwrap_or_default();
                    let loc = f
                        .location
                        .as_ref()
                        .map(|l| format!("{l}: "))
                        .unwrap_or_default();
                    format!(
                        "{loc}{} [{}] {}{caps}{waived}",
                        f.severity, f.rule, f.message
                    )
                })
                .collect(),
            audit: self.audit_text(),
            systems: systems
                .iter()
                .take(SYSTEMS_SHOWN)
                .map(|s| format!("{}: {} ({})", s.id, s.level.as_str(), s.reason))
                .collect(),
            more_systems: systems.len().saturating_sub(SYSTEMS_SHOWN),
            listed: systems.len(),
        }
    }

    fn human(&self) -> String {
        let t = self.text_parts(false);
        let mut out = format!(
            "{} {} — for {}, as of {}\n  level: {}\n  why: {}\n  decided by: {}\n",
            self.control,
            self.title,
            self.scope_text(),
            self.as_of,
            self.level.as_str(),
            self.reason,
            t.decided
        );
        let mut list = |name: &str, lines: &[String]| {
            if !lines.is_empty() {
                out.push_str(&format!("  {name}:\n"));
                for l in lines {
                    out.push_str(&format!("    - {l}\n"));
                }
            }
        };
        list("evidence", &t.evidence);
        list("findings", &t.findings);
        if let Some(a) = &t.audit {
            out.push_str(&format!("  audit: {a}\n"));
        }
        if t.listed > 0 {
            out.push_str(&format!("  systems ({}):\n", t.listed));
            for l in &t.systems {
                out.push_str(&format!("    - {l}\n"));
            }
            if t.more_systems > 0 {
                out.push_str(&format!(
                    "    … and {} more (`--format json` lists them all)\n",
                    t.more_systems
                ));
            }
        }
        out
    }

    /// Markdown: the same facts; `heading` is the level of its heading.
    pub fn markdown(&self, heading: usize) -> String {
        let t = self.text_parts(false);
        let h = "#".repeat(heading.clamp(1, 6));
        let mut out = format!(
            "{h} {} {} — {}\n\n**Level: {}.** {}\n\n**Decided by** {}.\n",
            md_code(&self.control),
            escape::md(&self.title),
            escape::md(&self.scope_text()),
            self.level.as_str(),
            escape::md(&self.reason),
            escape::md(&t.decided)
        );
        let mut list = |name: &str, lines: &[String]| {
            if !lines.is_empty() {
                out.push_str(&format!("\n**{name}**\n\n"));
                for l in lines {
                    out.push_str(&format!("- {}\n", escape::md(l)));
                }
            }
        };
        list("Evidence", &t.evidence);
        list("Findings", &t.findings);
        if let Some(a) = &t.audit {
            out.push_str(&format!("\n**Audit.** {}\n", escape::md(a)));
        }
        if t.listed > 0 {
            out.push_str(&format!("\n**Systems** ({})\n\n", t.listed));
            for l in &t.systems {
                out.push_str(&format!("- {}\n", escape::md(l)));
            }
            if t.more_systems > 0 {
                out.push_str(&format!(
                    "- … and {} more (`--format json` lists them all)\n",
                    t.more_systems
                ));
            }
        }
        out
    }
}

/// An explanation's facts as lines of text.
#[derive(Debug, Clone, Serialize)]
pub struct TextParts {
    pub decided: String,
    pub evidence: Vec<String>,
    pub findings: Vec<String>,
    pub audit: Option<String>,
    /// At most [`SYSTEMS_SHOWN`] systems, "id: level (reason)".
    pub systems: Vec<String>,
    pub more_systems: usize,
    /// How many systems the list covers in all.
    pub listed: usize,
}

impl Render for Explanation {
    const COMMAND: &'static str = "explain";
    const FORMATS: &'static [Output] = &[Output::Table, Output::Json, Output::Markdown];
    type Json<'a> = &'a Explanation;

    fn json(&self) -> &Explanation {
        self
    }

    fn text(&self, format: Output, _: &Cx) -> Option<String> {
        match format {
            Output::Table => Some(self.human()),
            Output::Markdown => Some(self.markdown(1)),
            _ => None,
        }
    }
}
