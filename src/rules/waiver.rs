//! What acts on findings after the checks: `[rules]` levels, waivers, and
//! the gate.

use std::collections::HashMap;

use super::{Finding, RuleId};
use crate::diag::{Code, Severity};
use crate::load::config::{Config, Level};
use crate::model::*;

/// `[rules]` levels: a rule set to `off` drops its findings, any other level
/// replaces their severity.
pub(super) fn apply_levels(findings: &mut Vec<Finding>, config: &Config) {
    findings.retain_mut(|f| match config.rules.get(f.rule.as_str()) {
        Some(Level::Off) => false,
        Some(Level::Error) => {
            f.severity = Severity::Error;
            true
        }
        Some(Level::Warning) => {
            f.severity = Severity::Warning;
            true
        }
        Some(Level::Note) => {
            f.severity = Severity::Note;
            true
        }
        None => true,
    });
}

/// Does waiver `w` cover finding `f`? Ids compare ignoring case, as ids do
/// everywhere in the inventory.
fn waiver_matches(w: &Waiver, f: &Finding) -> bool {
    (w.rule == "*" || w.rule == f.rule.as_str())
        && w.control.as_ref().is_none_or(|c| {
            f.control
                .as_deref()
                .is_some_and(|fc| fc.eq_ignore_ascii_case(&c.0))
        })
        && w.system.as_ref().is_none_or(|s| {
            f.system
                .as_deref()
                .is_some_and(|fs| fs.eq_ignore_ascii_case(&s.0))
        })
}

/// Active waivers silence matching findings; expired and unused ones are findings.
pub(super) fn apply_waivers(
    findings: &mut Vec<Finding>,
    waivers: &[Waiver],
    as_of: Date,
    config: &Config,
) {
    if waivers.is_empty() {
        return;
    }
    // The findings each waiver could match, by rule and by (rule, control),
    // so that many waivers over many findings are not a quadratic scan.
    let mut by_rule: HashMap<Code, Vec<usize>> = HashMap::new();
    let mut by_control: HashMap<Code, HashMap<String, Vec<usize>>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        if !f.rule.waivable() {
            continue;
        }
        by_rule.entry(f.rule).or_default().push(i);
        if let Some(c) = &f.control {
            by_control
                .entry(f.rule)
                .or_default()
                .entry(c.to_ascii_lowercase())
                .or_default()
                .push(i);
        }
    }
    let all: Vec<usize> = (0..findings.len())
        .filter(|&i| findings[i].rule.waivable())
        .collect();
    let none: Vec<usize> = Vec::new();
    let mut extra = Vec::new();
    for w in waivers {
        if w.expires < as_of {
            extra.push(Finding {
                systems: Vec::new(),
                rule: RuleId::WaiverExpired.into(),
                severity: Severity::Error,
                message: format!(
                    "waiver `{}` expired on {} (it covered {})",
                    w.id,
                    w.expires,
                    describe(w)
                ),
                control: w.control.as_ref().map(|c| c.0.clone()),
                system: w.system.as_ref().map(|s| s.0.clone()),
                location: Some(w.src.loc_of(&["expires"])),
                help: Some(RuleId::WaiverExpired.rule().fix.to_string()),
                waived_by: None,
            });
            continue;
        }
        // A rule id that names no rule (refused when loading) matches nothing.
        let candidates = match (w.rule.as_str(), RuleId::from_id(&w.rule), &w.control) {
            ("*", _, _) => &all,
            (_, None, _) => &none,
            (_, Some(r), Some(c)) => by_control
                .get(&Code::Rule(r))
                .and_then(|m| m.get(&c.0.to_ascii_lowercase()))
                .unwrap_or(&none),
            (_, Some(r), None) => by_rule.get(&Code::Rule(r)).unwrap_or(&none),
        };
        let mut used = false;
        for &i in candidates {
            let f = &mut findings[i];
            if f.waived_by.is_none() && waiver_matches(w, f) {
                f.waived_by = Some(w.id.0.clone());
                used = true;
            }
        }
        if !used {
            extra.push(Finding {
                systems: Vec::new(),
                rule: RuleId::WaiverUnused.into(),
                severity: Severity::Warning,
                message: format!("waiver `{}` matches no finding ({})", w.id, describe(w)),
                control: w.control.as_ref().map(|c| c.0.clone()),
                system: w.system.as_ref().map(|s| s.0.clone()),
                location: Some(w.src.loc()),
                help: Some(RuleId::WaiverUnused.rule().fix.to_string()),
                waived_by: None,
            });
        }
    }
    apply_levels(&mut extra, config);
    findings.extend(extra);
}

/// What a waiver covers, for its own findings.
fn describe(w: &Waiver) -> String {
    let mut parts = vec![format!("rule `{}`", w.rule)];
    if let Some(c) = &w.control {
        parts.push(format!("control `{c}`"));
    }
    if let Some(s) = &w.system {
        parts.push(format!("system `{s}`"));
    }
    parts.join(", ")
}

/// Does this finding fail the gate? `deny` holds severities and rule ids;
/// the default denies errors, as a linter would.
pub fn denied(f: &Finding, deny: Option<&[String]>) -> bool {
    if f.waived_by.is_some() {
        return false;
    }
    match deny {
        None => f.severity == Severity::Error,
        Some(list) => list
            .iter()
            .any(|d| d == f.severity.as_str() || d == f.rule.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_defaults_to_errors_and_respects_waivers() {
        let mut f = Finding {
            systems: Vec::new(),
            rule: RuleId::PolicyReviewOverdue.into(),
            severity: Severity::Error,
            message: String::new(),
            control: None,
            system: None,
            location: None,
            help: None,
            waived_by: None,
        };
        assert!(denied(&f, None));
        assert!(!denied(&f, Some(&["warning".into()])));
        assert!(denied(&f, Some(&["policy/review-overdue".into()])));
        f.waived_by = Some("w1".into());
        assert!(!denied(&f, None));
    }
}
