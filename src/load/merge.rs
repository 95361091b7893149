//! Merging the inventory files into one inventory: each section read
//! item by item, `organization` and statements written once.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Deserialize;

use super::convert::Typed;
use super::read::{Loader, StandIn};
use crate::catalog::Catalog;
use crate::diag::{Location, suggest};
use crate::load::yaml::{Node, Pos, Value};
use crate::model::*;
use crate::rules::LoadCode;

/// Merge one file's sections into the inventory.
pub(super) fn read_file(
    l: &mut Loader,
    file: &Arc<str>,
    node: Node,
    inv: &mut Inventory,
    version: &mut Option<(Arc<str>, Pos)>,
    org_at: &mut Option<Location>,
    catalog: &Catalog,
) {
    let kind = node.kind();
    let entries = match node.value {
        Value::Map(e) => e,
        Value::Null => {
            l.err(
                LoadCode::Empty,
                format!("inventory file `{file}` is empty"),
                Some(Location::new(file, Pos { line: 1, col: 1 })),
                Some("start it with `version: 1` and `organization:` (see `aims init`)".into()),
            );
            return;
        }
        _ => {
            l.err(
                LoadCode::Invalid,
                format!("an inventory file must be a mapping of sections, found {kind}"),
                Some(Location::new(file, node.pos)),
                Some(format!("top-level keys are: {}", TOP_LEVEL_KEYS.join(", "))),
            );
            return;
        }
    };
    let orphans = orphans(&entries, catalog);
    for (i, (k, v)) in entries.into_iter().enumerate() {
        let key = k.key_text().unwrap_or_default();
        // `organization:` with nothing under it, then its keys at the left
        // margin: one mistake, reported once, at the first of those keys.
        if let Some(&(section, first)) = orphans.get(&i) {
            if first {
                l.err(
                    LoadCode::Invalid,
                    format!("`{key}` belongs under `{section}:` but is not indented"),
                    Some(Location::new(file, k.pos)),
                    Some(format!(
                        "indent `{key}:` and the lines of `{section}` after it by 2 spaces"
                    )),
                );
            }
            continue;
        }
        if matches!(v.value, Value::Null) && orphans.values().any(|(s, _)| *s == key.as_ref()) {
            continue;
        }
        match key.as_ref() {
            "version" => {
                match &v.value {
                    Value::Int(1) => {}
                    _ => l.err(
                        LoadCode::Invalid,
                        format!(
                            "unsupported inventory `version`: {}",
                            v.key_text().unwrap_or(Cow::Borrowed(v.kind()))
                        ),
                        Some(Location::new(file, v.pos)),
                        Some("this aims reads format version 1: write `version: 1`".into()),
                    ),
                }
                if version.is_none() {
                    *version = Some((file.clone(), v.pos));
                }
            }
            "organization" => {
                if let Some(prev) = org_at.clone() {
                    l.err(
                        LoadCode::DuplicateId,
                        "`organization` is defined twice",
                        Some(Location::new(file, k.pos)),
                        Some(format!("keep one: the other is at {prev}")),
                    );
                    continue;
                }
                *org_at = Some(Location::new(file, k.pos));
                if let Some(mut o) = l.typed::<Organization>(file, &v, "`organization`") {
                    o.src = Src::new(file, v);
                    inv.organization = Some(o);
                }
            }
            "controls" => read_statements(l, file, v, &mut inv.controls, "`controls`", catalog),
            "policies" => read_list(
                l,
                file,
                v,
                "policies",
                "a policy",
                &mut inv.policies,
                |p: &mut Policy, s| p.src = s,
            ),
            "roles" => read_list(
                l,
                file,
                v,
                "roles",
                "a role",
                &mut inv.roles,
                |p: &mut Role, s| p.src = s,
            ),
            "systems" => read_list(
                l,
                file,
                v,
                "systems",
                "a system",
                &mut inv.systems,
                |p: &mut System, s| p.src = s,
            ),
            "risks" => read_list(
                l,
                file,
                v,
                "risks",
                "a risk",
                &mut inv.risks,
                |p: &mut Risk, s| p.src = s,
            ),
            "impact_assessments" => read_list(
                l,
                file,
                v,
                "impact_assessments",
                "an impact assessment",
                &mut inv.impact_assessments,
                |p: &mut ImpactAssessment, s| p.src = s,
            ),
            "suppliers" => read_list(
                l,
                file,
                v,
                "suppliers",
                "a supplier",
                &mut inv.suppliers,
                |p: &mut Supplier, s| p.src = s,
            ),
            "audits" => read_list(
                l,
                file,
                v,
                "audits",
                "an audit",
                &mut inv.audits,
                |p: &mut Audit, s| p.src = s,
            ),
            "nonconformities" => read_list(
                l,
                file,
                v,
                "nonconformities",
                "a nonconformity",
                &mut inv.nonconformities,
                |p: &mut Nonconformity, s| p.src = s,
            ),
            "incidents" => read_list(
                l,
                file,
                v,
                "incidents",
                "an incident",
                &mut inv.incidents,
                |p: &mut Incident, s| p.src = s,
            ),
            "waivers" => read_list(
                l,
                file,
                v,
                "waivers",
                "a waiver",
                &mut inv.waivers,
                |p: &mut Waiver, s| p.src = s,
            ),
            other => {
                let help = suggest(other, TOP_LEVEL_KEYS.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| {
                        format!("top-level keys are: {}", TOP_LEVEL_KEYS.join(", "))
                    });
                l.err(
                    LoadCode::UnknownField,
                    format!("unknown top-level key `{other}`"),
                    Some(Location::new(file, k.pos)),
                    Some(help),
                );
            }
        }
    }
}

/// The keys of `organization` and of `controls` written at the top level
/// right after an empty `organization:` or `controls:` (by entry index:
/// the section, and whether it is the first such key).
fn orphans(entries: &[(Node, Node)], catalog: &Catalog) -> HashMap<usize, (&'static str, bool)> {
    const ORGANIZATION: &[&str] = &[
        "name",
        "scope",
        "aims_owner",
        "risk_appetite",
        "certification",
    ];
    let mut out = HashMap::new();
    let mut open: Option<&'static str> = None;
    for (i, (k, v)) in entries.iter().enumerate() {
        let key = k.key_text().unwrap_or_default();
        if TOP_LEVEL_KEYS.contains(&key.as_ref()) {
            open = match (key.as_ref(), &v.value) {
                ("organization", Value::Null) => Some("organization"),
                ("controls", Value::Null) => Some("controls"),
                _ => None,
            };
            continue;
        }
        let belongs = match open {
            Some("organization") => ORGANIZATION.contains(&key.as_ref()),
            Some(_) => catalog.get(&key).is_some(),
            None => false,
        };
        match open {
            Some(section) if belongs => {
                let first = !out.values().any(|(s, _)| *s == section);
                out.insert(i, (section, first));
            }
            _ => open = None,
        }
    }
    out
}

fn read_list<T: for<'a> Deserialize<'a>>(
    l: &mut Loader,
    file: &Arc<str>,
    node: Node,
    section: &'static str,
    what: &str,
    out: &mut Vec<T>,
    set_src: impl Fn(&mut T, Src),
) {
    let (kind, pos) = (node.kind(), node.pos);
    match node.value {
        Value::Seq(items) => {
            for item in items {
                let label = match item.get("id").and_then(Node::key_text) {
                    Some(id) => format!("{what} `{id}`"),
                    None => what.to_string(),
                };
                match l.typed_item::<T>(file, &item, &label) {
                    // The errors are recorded, so the load fails; kept, the
                    // item still answers for its references and checks its own.
                    Typed::Whole(mut t) | Typed::Pruned(mut t) => {
                        set_src(&mut t, Src::new(file, item));
                        out.push(t);
                    }
                    Typed::Failed => {
                        let id = item
                            .get("id")
                            .and_then(Node::key_text)
                            .filter(|id| valid_id(id));
                        if let Some(id) = id {
                            l.stand_ins.push(StandIn {
                                section,
                                id: Id(id.into_owned()),
                                loc: Location::new(file, item.pos_of(&["id"])),
                            });
                        }
                    }
                }
            }
        }
        Value::Null => {}
        _ => l.err(
            LoadCode::Invalid,
            format!("`{section}` must be a list (items start with `- `), found {kind}"),
            Some(Location::new(file, pos)),
            None,
        ),
    }
}

/// Read a `controls:` map, each statement on its own so that one bad entry
/// does not hide the others.
fn read_statements(
    l: &mut Loader,
    file: &Arc<str>,
    node: Node,
    out: &mut BTreeMap<String, PlacedStatement>,
    what: &str,
    catalog: &Catalog,
) {
    let (kind, pos) = (node.kind(), node.pos);
    let entries = match node.value {
        Value::Map(e) => e,
        Value::Null => return,
        _ => {
            l.err(
                LoadCode::Invalid,
                format!("{what} must be a mapping from control id to statement, found {kind}"),
                Some(Location::new(file, pos)),
                Some("write for example `A.2.2: {status: implemented}`".into()),
            );
            return;
        }
    };
    for (k, v) in entries {
        let raw = k.key_text().unwrap_or_default();
        let Some(control) = catalog.get(&raw) else {
            if l.catalog_unread {
                continue;
            }
            let help = if l.full() {
                None
            } else {
                Some(
                    suggest(&raw, catalog.ids())
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "run `aims controls` for the catalogue".into()),
                )
            };
            l.err(
                LoadCode::UnknownControl,
                format!("`{raw}` is not a control or clause in the catalogue"),
                Some(Location::new(file, k.pos)),
                help,
            );
            continue;
        };
        let id = control.id.clone();
        if let Some(prev) = out.get(&id) {
            l.err(
                LoadCode::DuplicateId,
                format!("a statement for `{id}` is written twice"),
                Some(Location::new(file, k.pos)),
                Some(format!("keep one: the other is at {}", prev.src.loc())),
            );
            continue;
        }
        if let Some(st) = l.typed::<Statement>(file, &v, &format!("the statement for `{id}`")) {
            let src = Src {
                file: file.clone(),
                node: Some(Arc::new(Node {
                    value: v.value,
                    pos: k.pos,
                    raw: v.raw,
                })),
            };
            out.insert(id, PlacedStatement { statement: st, src });
        }
    }
}
