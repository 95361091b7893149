//! Baselines: the levels of an earlier `aims gap --format json`, and every
//! level that went down since.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Gap, Level};

/// A level that went down since the baseline.
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
    let env: BaselineEnvelope =
        serde_json::from_str(baseline_json).map_err(BaselineError::NotJson)?;
    if env.tool != "aims" || env.command != "gap" || env.format_version != 1 {
        return Err(BaselineError::NotGap {
            tool: env.tool,
            command: env.command,
        });
    }
    let down = |from: Level, to: Level| {
        from != Level::NotApplicable && to != Level::NotApplicable && to < from
    };
    let mut out = Vec::new();
    let before: BTreeMap<&str, &BaselineControl> = env
        .data
        .controls
        .iter()
        .map(|c| (c.id.as_str(), c))
        .collect();
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
    Ok(out)
}
