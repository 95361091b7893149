//! Overlays: custom controls and the user's own licensed text, merged into
//! the embedded catalogue with a diagnostic for every entry it refuses.

use std::collections::BTreeMap;

use super::*;
use crate::model::{Date, Duration};

impl Catalog {
    /// Build a new control from a raw entry; every field but `text` is required
    /// for an embedded control, and defaults are filled for custom ones.
    pub(super) fn new_control(
        &self,
        rc: RawControl,
        source: &str,
    ) -> Result<Control, OverlayProblem> {
        let id = rc.id.0.clone();
        let missing = |field| OverlayProblem::MissingField {
            id: id.clone(),
            field,
        };
        let title = rc.title.ok_or_else(|| missing("title"))?;
        let group = rc.group.ok_or_else(|| missing("group"))?;
        if self.group(&group).is_none() {
            // Every group, unless an overlay adds so many that listing them
            // for each of its controls would cost more than the load.
            let mut known: Vec<&str> = self.groups.iter().map(|g| g.id.as_str()).take(41).collect();
            if known.len() > 40 {
                known[40] = "…";
            }
            return Err(OverlayProblem::UnknownGroup {
                id,
                group,
                known: known.join(", "),
            });
        }
        let kind = rc.kind.unwrap_or(Kind::Custom);
        Ok(Control {
            id,
            title,
            group,
            subgroup: rc.subgroup,
            kind,
            applies_to: rc.applies_to.unwrap_or(AppliesTo::Organization),
            roles: rc.roles.unwrap_or_default(),
            lifecycle: rc.lifecycle.unwrap_or_default(),
            stage: rc.stage.unwrap_or(Stage::Operation),
            asks: rc.asks.unwrap_or_default(),
            evidence: rc.evidence.unwrap_or_default(),
            freshness: rc.freshness.unwrap_or(Duration::months(12)),
            effort_weeks: rc.effort_weeks.unwrap_or(2),
            records: rc.records.unwrap_or_default(),
            text: rc.text,
            source: source.to_string(),
        })
    }

    /// Lay an overlay file's groups and controls over this catalogue.
    /// Existing ids only take text fields; their id and title are facts.
    /// Group ids are checked like control ids: they are shown in every
    /// report, as table cells and headings.
    pub fn overlay(&mut self, raw: RawCatalog, source: &str) -> Vec<OverlayError> {
        let mut errors = Vec::new();
        let mut invalid_groups = Vec::new();
        for g in raw.groups {
            if !crate::model::valid_id(&g.id) {
                errors.push(OverlayError {
                    entry: Some(OverlayEntry::Group(g.id.clone())),
                    problem: OverlayProblem::InvalidGroupId(g.id.clone()),
                });
                invalid_groups.push(g.id);
            } else if self.group(&g.id).is_some() {
                errors.push(OverlayError {
                    entry: Some(OverlayEntry::Group(g.id.clone())),
                    problem: OverlayProblem::GroupExists(g.id.clone()),
                });
            } else {
                self.group_index.insert(g.id.clone(), self.groups.len());
                self.groups.push(g);
            }
        }
        for rc in raw.controls {
            let id = rc.id.0.clone();
            if !crate::model::valid_id(&id) {
                errors.push(OverlayError {
                    entry: Some(OverlayEntry::Control(id.clone())),
                    problem: OverlayProblem::InvalidControlId(id.clone()),
                });
                continue;
            }
            // Its group's own error says what is wrong; "not defined" would not.
            if rc
                .group
                .as_ref()
                .is_some_and(|g| invalid_groups.contains(g))
            {
                continue;
            }
            if let Some(&i) = self.index.get(crate::model::Key::new(&id)) {
                let c = &mut self.controls[i];
                let fixed = [
                    ("title", rc.title.is_some()),
                    ("group", rc.group.is_some()),
                    ("subgroup", rc.subgroup.is_some()),
                    ("kind", rc.kind.is_some()),
                    ("applies_to", rc.applies_to.is_some()),
                    ("roles", rc.roles.is_some()),
                    ("lifecycle", rc.lifecycle.is_some()),
                    ("stage", rc.stage.is_some()),
                ];
                if let Some((field, _)) = fixed.iter().find(|(_, set)| *set) {
                    errors.push(OverlayError {
                        entry: Some(OverlayEntry::Control(id.clone())),
                        problem: OverlayProblem::Fixed {
                            field,
                            id: c.id.clone(),
                        },
                    });
                    continue;
                }
                if let Some(t) = rc.text {
                    c.text = Some(t);
                }
                if let Some(a) = rc.asks {
                    c.asks = a;
                }
                if let Some(e) = rc.evidence {
                    c.evidence = e;
                }
                if let Some(f) = rc.freshness {
                    c.freshness = f;
                }
                if let Some(w) = rc.effort_weeks {
                    c.effort_weeks = w;
                }
                if let Some(r) = rc.records {
                    c.records = r;
                }
                c.source = source.to_string();
            } else {
                match self.new_control(rc, source) {
                    Ok(c) => self.push(c),
                    Err(problem) => errors.push(OverlayError {
                        entry: Some(OverlayEntry::Control(id)),
                        problem,
                    }),
                }
            }
        }
        errors
    }

    /// Override EU AI Act application dates (`[regulation.dates]`).
    pub fn override_dates(&mut self, dates: &BTreeMap<String, Date>) -> Result<(), DateKeyError> {
        for (key, date) in dates {
            match self.ai_act.dates.iter_mut().find(|d| &d.key == key) {
                Some(d) => {
                    d.date = *date;
                    d.source = format!("aims.toml [regulation.dates] (catalogue: {})", d.source);
                }
                None => {
                    let keys: Vec<&str> =
                        self.ai_act.dates.iter().map(|d| d.key.as_str()).collect();
                    let suggestion =
                        crate::diag::suggest(key, keys.iter().copied()).map(str::to_string);
                    return Err(DateKeyError {
                        key: key.clone(),
                        suggestion,
                        known: keys.iter().map(|k| k.to_string()).collect(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// The overlay entry an error is about, to point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OverlayEntry {
    Group(String),
    Control(String),
}

/// An overlay entry refused, and the entry it is about.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{problem}")]
pub struct OverlayError {
    pub entry: Option<OverlayEntry>,
    pub problem: OverlayProblem,
}

/// Why an overlay entry was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverlayProblem {
    #[error(
        "`{0}` is not a valid group id: use letters, digits, `.`, `_` and `-`, starting with a letter or digit"
    )]
    InvalidGroupId(String),
    #[error("group `{0}` already exists in the catalogue")]
    GroupExists(String),
    #[error(
        "`{0}` is not a valid control id: use letters, digits, `.`, `_` and `-`, starting with a letter or digit"
    )]
    InvalidControlId(String),
    /// A field of an embedded control that an overlay may not change.
    #[error(
        "`{field}` of `{id}` cannot be changed by an overlay: only `text`, `asks`, `evidence`, `freshness`, `effort_weeks` and `records` can"
    )]
    Fixed { field: &'static str, id: String },
    /// A new control without a required field.
    #[error("control `{id}` needs a `{field}`")]
    MissingField { id: String, field: &'static str },
    /// A new control in a group that is not defined; `known` lists the groups.
    #[error(
        "control `{id}` names group `{group}`, which is not defined; add it under `groups:` (known: {known})"
    )]
    UnknownGroup {
        id: String,
        group: String,
        known: String,
    },
}

/// A `[regulation.dates]` key that is not an EU AI Act date of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateKeyError {
    pub key: String,
    /// The known key it is closest to, if any.
    pub suggestion: Option<String>,
    /// Every known key.
    pub known: Vec<String>,
}

impl std::fmt::Display for DateKeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown EU AI Act date `{}` in [regulation.dates]: ",
            self.key
        )?;
        match &self.suggestion {
            Some(s) => write!(f, "did you mean `{s}`?"),
            None => write!(f, "known keys: {}", self.known.join(", ")),
        }
    }
}

impl std::error::Error for DateKeyError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model as m;

    #[test]
    fn overlay_adds_custom_controls_and_licensed_text_only() {
        let mut cat = Catalog::embedded().clone();
        let raw: RawCatalog = serde_saphyr::from_str(
            "groups:\n  - {id: NB, title: Bank controls, kind: custom}\ncontrols:\n  - {id: NB.1, title: Model validation, group: NB, applies_to: both, roles: [provider]}\n  - {id: A.2.2, text: Licensed wording}\n  - {id: A.2.3, title: Renamed}\n",
        )
        .unwrap();
        let errors = cat.overlay(raw, "extra.yaml");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .to_string()
                .contains("`title` of `A.2.3` cannot be changed")
        );
        assert_eq!(cat.get("nb.1").unwrap().kind, Kind::Custom);
        assert_eq!(
            cat.get("A.2.2").unwrap().text.as_deref(),
            Some("Licensed wording")
        );
        assert_eq!(
            cat.get("A.2.3").unwrap().title,
            "Alignment with other organizational policies"
        );
    }

    #[test]
    fn overlay_group_ids_follow_the_rules_of_control_ids() {
        for bad in [
            "G1\n# Owned",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "G|1",
            "G\x1b[2K",
            "-G",
            "",
        ] {
            let mut cat = Catalog::embedded().clone();
            let raw = RawCatalog {
                catalog: None,
                standard: None,
                version: None,
                groups: vec![Group {
                    id: bad.into(),
                    title: "Hostile".into(),
                    kind: Kind::Custom,
                    objective: None,
                }],
                controls: vec![RawControl {
                    id: m::ControlId("G.1".into()),
                    title: Some("In the hostile group".into()),
                    group: Some(bad.into()),
                    subgroup: None,
                    kind: None,
                    applies_to: None,
                    roles: None,
                    lifecycle: None,
                    stage: None,
                    asks: None,
                    evidence: None,
                    freshness: None,
                    effort_weeks: None,
                    records: None,
                    text: None,
                }],
            };
            let errors = cat.overlay(raw, "extra.yaml");
            // One error, about the group; its control is not added either.
            assert_eq!(errors.len(), 1, "{bad:?}: {errors:?}");
            assert_eq!(errors[0].entry, Some(OverlayEntry::Group(bad.into())));
            assert!(
                errors[0].to_string().contains("is not a valid group id"),
                "{errors:?}"
            );
            assert!(cat.group(bad).is_none() && cat.get("G.1").is_none());
        }
        let mut cat = Catalog::embedded().clone();
        let raw: RawCatalog =
            serde_saphyr::from_str("groups:\n  - {id: NB_2.x-y, title: Fine, kind: custom}\n")
                .unwrap();
        assert!(cat.overlay(raw, "extra.yaml").is_empty());
    }
}
