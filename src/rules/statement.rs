//! The Statement of Applicability: excluded controls need a justification,
//! implemented ones an owner; and the owners of systems and risks.

use super::{Ctx, RuleId};
use crate::catalog::Catalog;
use crate::diag::Location;
use crate::model::*;

/// One statement: an exclusion needs a justification, a statement with a
/// status needs an owner.
fn statement_checks(
    cx: &mut Ctx,
    id: &str,
    st: &Statement,
    system: Option<&Id>,
    loc: impl Fn(&str) -> Location,
) {
    let title = cx
        .catalog
        .get(id)
        .map(|c| c.title.clone())
        .unwrap_or_default();
    let whose = system
        .map(|s| format!(" for system `{s}`"))
        .unwrap_or_default();
    if st.applicable == Some(false) {
        if st
            .justification
            .as_deref()
            .is_none_or(|j| j.trim().is_empty())
        {
            cx.push(
                RuleId::StatementUnjustifiedExclusion,
                format!("`{id}` ({title}) is excluded{whose} without a justification"),
                Some(id),
                system,
                loc("applicable"),
            );
        }
        return;
    }
    if st.owner.is_none() && st.status.is_some() {
        cx.push(
            RuleId::StatementOwnerMissing,
            format!("`{id}` ({title}){whose} has no owner"),
            Some(id),
            system,
            loc(""),
        );
    }
}

/// The statements of systems still in use, with the canonical control id
/// (`a.6.2.8` written by a user is `A.6.2.8`) and the key as written.
pub(super) fn system_statements<'a>(
    inv: &'a Inventory,
    catalog: &Catalog,
) -> Vec<(&'a System, String, &'a str, &'a Statement)> {
    inv.systems
        .iter()
        .filter(|s| s.lifecycle != Lifecycle::Retired)
        .flat_map(|s| {
            s.controls.iter().map(move |(key, st)| {
                let id = catalog
                    .get(key)
                    .map_or_else(|| key.clone(), |c| c.id.clone());
                (s, id, key.as_str(), st)
            })
        })
        .collect()
}

pub(super) fn statements(cx: &mut Ctx) {
    let inv = cx.inv;
    for (id, placed) in &inv.controls {
        let src = &placed.src;
        statement_checks(cx, id, &placed.statement, None, |f| {
            if f.is_empty() {
                src.loc()
            } else {
                src.loc_of(&[f])
            }
        });
    }
    for (s, id, key, st) in system_statements(inv, cx.catalog) {
        statement_checks(cx, &id, st, Some(&s.id), |f| {
            if f.is_empty() {
                s.src.loc_of(&["controls", key])
            } else {
                s.src.loc_of(&["controls", key, f])
            }
        });
    }
}

/// Systems and risks need someone accountable for them.
pub(super) fn owners(cx: &mut Ctx) {
    let inv = cx.inv;
    for s in &inv.systems {
        if s.owner.is_none() && s.lifecycle != Lifecycle::Retired {
            cx.push(
                RuleId::SystemOwnerMissing,
                format!("system `{}` ({}) has no owner", s.id, s.name),
                None,
                Some(&s.id),
                s.src.loc(),
            );
        }
    }
    for r in &inv.risks {
        if r.owner.is_none() {
            cx.push(
                RuleId::RiskOwnerMissing,
                format!("risk `{}` ({}) has no owner", r.id, r.title),
                None,
                None,
                r.src.loc(),
            );
        }
    }
}
