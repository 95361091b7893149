//! Baselines: the levels of an earlier `aims gap --format json`, and every
//! level that went down since.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Gap, Level};

/// A level that changed since the baseline (down, for a regression).
#[derive(Debug, Clone, Serialize)]
pub struct Regression {
    pub control: String,
    /// `None` for the organisation scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    pub from: Level,
    pub to: Level,
}

impl std::fmt::Display for Regression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.system {
            Some(s) => write!(
                f,
                "{} for system `{s}`: {} -> {}",
                self.control,
                self.from.as_str(),
                self.to.as_str()
            ),
            None => write!(
                f,
                "{} (organisation): {} -> {}",
                self.control,
                self.from.as_str(),
                self.to.as_str()
            ),
        }
    }
}

#[derive(Deserialize)]
struct BaselineEnvelope {
    format_version: u32,
    tool: String,
    command: String,
    data: BaselineData,
}

#[derive(Deserialize)]
struct BaselineData {
    controls: Vec<BaselineControl>,
    #[serde(default)]
    summary: Option<BaselineSummary>,
    #[serde(default)]
    findings: Vec<BaselineFinding>,
}

#[derive(Deserialize)]
struct BaselineSummary {
    score: f64,
}

/// A finding as a baseline recorded it (`aims gap --format json`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct BaselineFinding {
    pub rule: String,
    pub severity: String,
    pub message: String,
    #[serde(default)]
    pub control: Option<String>,
    #[serde(default)]
    pub system: Option<String>,
    #[serde(default)]
    pub location: Option<BaselineLocation>,
    #[serde(default)]
    pub waived_by: Option<String>,
}

/// Where a baseline's finding was.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct BaselineLocation {
    pub file: String,
    #[serde(default)]
    pub line: u32,
}

/// A level that went up since the baseline: [`Regression`]'s opposite.
pub type Improvement = Regression;

/// Everything that changed since a baseline, for a pull request.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The baseline's score, when it recorded one.
    pub score_before: Option<f64>,
    pub regressions: Vec<Regression>,
    pub improvements: Vec<Improvement>,
    /// Indexes into the gap's findings of those the baseline did not have.
    pub new_findings: Vec<usize>,
    /// The baseline's findings that are gone.
    pub resolved_findings: Vec<BaselineFinding>,
}

/// A finding's identity across runs: rule, subject and file, not the line
/// (edits above move it) nor the message (it names dates and counts).
type FindingKey = (String, Option<String>, Option<String>, Option<String>);

fn key_of(
    rule: &str,
    control: Option<&str>,
    system: Option<&str>,
    file: Option<&str>,
) -> FindingKey {
    (
        rule.to_string(),
        control.map(str::to_string),
        system.map(str::to_string),
        file.map(str::to_string),
    )
}

/// Compare with a saved `aims gap --format json`: what
/// [`regressions`] finds, the levels that went up, and the findings that
/// appeared or went away (matched as a multiset by rule, control, system
/// and file; waived findings are compared like the others).
pub fn compare(gap: &Gap, baseline_json: &str) -> Result<Comparison, BaselineError> {
    let env = parse(baseline_json)?;
    let regressions = changes(gap, &env.data, |from, to| to < from);
    let improvements = changes(gap, &env.data, |from, to| to > from);
    let mut before: BTreeMap<FindingKey, Vec<&BaselineFinding>> = BTreeMap::new();
    for f in &env.data.findings {
        before
            .entry(key_of(
                &f.rule,
                f.control.as_deref(),
                f.system.as_deref(),
                f.location.as_ref().map(|l| l.file.as_str()),
            ))
            .or_default()
            .push(f);
    }
    let mut new_findings = Vec::new();
    for (i, f) in gap.findings.iter().enumerate() {
        let k = key_of(
            f.rule.as_str(),
            f.control.as_deref(),
            f.system.as_deref(),
            f.location.as_ref().map(|l| l.file.as_str()),
        );
        match before.get_mut(&k) {
            Some(v) if !v.is_empty() => {
                v.remove(0);
            }
            _ => new_findings.push(i),
        }
    }
    let resolved_findings = env
        .data
        .findings
        .iter()
        .filter(|f| {
            let k = key_of(
                &f.rule,
                f.control.as_deref(),
                f.system.as_deref(),
                f.location.as_ref().map(|l| l.file.as_str()),
            );
            before
                .get(&k)
                .is_some_and(|v| v.iter().any(|b| std::ptr::eq(*b, *f)))
        })
        .cloned()
        .collect();
    Ok(Comparison {
        score_before: env.data.summary.map(|s| s.score),
        regressions,
        improvements,
        new_findings,
        resolved_findings,
    })
}

fn parse(baseline_json: &str) -> Result<BaselineEnvelope, BaselineError> {
    let env: BaselineEnvelope =
        serde_json::from_str(baseline_json).map_err(BaselineError::NotJson)?;
    if env.tool != "aims" || env.command != "gap" || env.format_version != 1 {
        return Err(BaselineError::NotGap {
            tool: env.tool,
            command: env.command,
        });
    }
    Ok(env)
}

#[derive(Deserialize)]
struct BaselineControl {
    id: String,
    level: Level,
    #[serde(default)]
    systems: BTreeMap<String, Level>,
}

/// Why a baseline could not be compared with.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// Not JSON of the shape of a gap envelope.
    #[error("not an `aims gap --format json` file: {0}")]
    NotJson(#[source] serde_json::Error),
    /// A JSON envelope, but of another tool, command or format version.
    #[error("not an `aims gap --format json` file (tool `{tool}`, command `{command}`)")]
    NotGap { tool: String, command: String },
}

/// Compare with a saved `aims gap --format json`. Moving to or from
/// `not-applicable` is a change of scope, not a regression; controls or
/// systems that disappeared are not regressions either.
pub fn regressions(gap: &Gap, baseline_json: &str) -> Result<Vec<Regression>, BaselineError> {
    let env = parse(baseline_json)?;
    Ok(changes(gap, &env.data, |from, to| to < from))
}

/// Every level that moved as `moved(from, to)` says, scope changes
/// (to or from `not-applicable`) aside.
fn changes(
    gap: &Gap,
    data: &BaselineData,
    moved: impl Fn(Level, Level) -> bool,
) -> Vec<Regression> {
    let down = |from: Level, to: Level| {
        from != Level::NotApplicable && to != Level::NotApplicable && moved(from, to)
    };
    let mut out = Vec::new();
    let before: BTreeMap<&str, &BaselineControl> =
        data.controls.iter().map(|c| (c.id.as_str(), c)).collect();
    for c in &gap.controls {
        let Some(b) = before.get(c.id.as_str()) else {
            continue;
        };
        if gap.system.is_none() && down(b.level, c.level) {
            out.push(Regression {
                control: c.id.clone(),
                system: None,
                from: b.level,
                to: c.level,
            });
        }
        for (s, l) in &c.systems {
            if let Some(bl) = b.systems.get(s.as_str())
                && down(*bl, *l)
            {
                out.push(Regression {
                    control: c.id.clone(),
                    system: Some(s.0.clone()),
                    from: *bl,
                    to: *l,
                });
            }
        }
    }
    out
}
