//! Placeholders: a value that still starts with `TODO` (as `aims init`
//! writes them) is a draft, and a draft must not pass for a fact.

use super::{Ctx, RuleId};
use crate::load::yaml::{Node, Value};
use crate::model::*;

pub(super) fn placeholders(cx: &mut Ctx) {
    let inv = cx.inv;
    let mut items: Vec<(String, Option<&Id>, &Src)> = Vec::new();
    if let Some(o) = &inv.organization {
        items.push(("the organisation".into(), None, &o.src));
    }
    items.extend(
        inv.roles
            .iter()
            .map(|r| (format!("role `{}`", r.id), None, &r.src)),
    );
    items.extend(
        inv.policies
            .iter()
            .map(|p| (format!("policy `{}`", p.id), None, &p.src)),
    );
    items.extend(
        inv.controls
            .iter()
            .map(|(id, p)| (format!("the statement for `{id}`"), None, &p.src)),
    );
    items.extend(
        inv.systems
            .iter()
            .map(|s| (format!("system `{}`", s.id), Some(&s.id), &s.src)),
    );
    items.extend(
        inv.risks
            .iter()
            .map(|r| (format!("risk `{}`", r.id), None, &r.src)),
    );
    items.extend(inv.impact_assessments.iter().map(|r| {
        (
            format!("impact assessment `{}`", r.id),
            Some(&r.system),
            &r.src,
        )
    }));
    items.extend(
        inv.suppliers
            .iter()
            .map(|r| (format!("supplier `{}`", r.id), None, &r.src)),
    );
    items.extend(
        inv.audits
            .iter()
            .map(|r| (format!("audit `{}`", r.id), None, &r.src)),
    );
    items.extend(
        inv.nonconformities
            .iter()
            .map(|r| (format!("nonconformity `{}`", r.id), None, &r.src)),
    );
    items.extend(
        inv.waivers
            .iter()
            .map(|r| (format!("waiver `{}`", r.id), None, &r.src)),
    );
    for (what, system, src) in items {
        let Some(node) = src.node.as_deref() else {
            continue;
        };
        let mut found = Vec::new();
        todo_values(node, "", &mut found);
        for (key, n) in found {
            let Value::Str(text) = &n.value else {
                continue;
            };
            let shown: String = text.chars().take(80).collect();
            cx.push(
                RuleId::DraftPlaceholder,
                format!("`{key}` of {what} is still a placeholder: \"{shown}\""),
                None,
                system,
                crate::diag::Location::new(&src.file, n.pos),
            );
        }
    }
}

/// Every text value under `node` that starts with `TODO`, with the key
/// it is written under.
fn todo_values<'a>(node: &'a Node, key: &str, out: &mut Vec<(String, &'a Node)>) {
    match &node.value {
        Value::Str(s) if s.trim_start().starts_with("TODO") => out.push((key.to_string(), node)),
        Value::Map(entries) => {
            for (k, v) in entries {
                let k = k.key_text().unwrap_or_default();
                let path = if key.is_empty() {
                    k.into_owned()
                } else {
                    format!("{key}.{k}")
                };
                todo_values(v, &path, out);
            }
        }
        Value::Seq(items) => {
            for (i, v) in items.iter().enumerate() {
                todo_values(v, &format!("{key}[{i}]"), out);
            }
        }
        _ => {}
    }
}
