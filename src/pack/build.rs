//! What goes into a pack: the evidence the inventory cites.

use std::collections::BTreeSet;

use super::manifest::LeftOut;
use crate::assess::evidence::Evidence;
use crate::load::Project;
use crate::model::EvidenceRef;

/// Every evidence citation in the inventory, with who cites it.
fn citations(project: &Project) -> Vec<(String, String, Option<String>)> {
    let inv = &project.inventory;
    let mut out = Vec::new();
    let refs =
        |out: &mut Vec<(String, String, Option<String>)>, refs: &[EvidenceRef], by: String| {
            for r in refs {
                let sha = match r {
                    EvidenceRef::Detailed(d) => d.sha256.clone(),
                    EvidenceRef::Path(_) => None,
                };
                out.push((r.path().to_string(), by.clone(), sha));
            }
        };
    for (id, st) in &inv.controls {
        refs(&mut out, &st.statement.evidence.0, format!("control {id}"));
    }
    for s in &inv.systems {
        for (id, st) in &s.controls {
            refs(
                &mut out,
                &st.evidence.0,
                format!("system {} control {id}", s.id),
            );
        }
        refs(&mut out, &s.evidence.0, format!("system {}", s.id));
        for d in &s.data {
            if let Some(p) = &d.provenance {
                out.push((p.clone(), format!("system {} data {}", s.id, d.id), None));
            }
        }
    }
    for p in &inv.policies {
        if let Some(path) = &p.path {
            out.push((path.clone(), format!("policy {}", p.id), None));
        }
    }
    for ia in &inv.impact_assessments {
        if let Some(path) = &ia.path {
            out.push((path.clone(), format!("impact assessment {}", ia.id), None));
        }
    }
    for sup in &inv.suppliers {
        if let Some(c) = &sup.contract {
            out.push((c.clone(), format!("supplier {} contract", sup.id), None));
        }
        if let Some(dd) = &sup.due_diligence {
            refs(
                &mut out,
                &dd.evidence.0,
                format!("supplier {} due diligence", sup.id),
            );
        }
    }
    for a in &inv.audits {
        refs(&mut out, &a.evidence.0, format!("audit {}", a.id));
    }
    out
}

/// The evidence files to pack (relative to the root) and the citations left out, with why.
pub fn evidence_files(project: &Project, ev: &Evidence) -> (BTreeSet<String>, Vec<LeftOut>) {
    let mut files = BTreeSet::new();
    let mut left = BTreeSet::new();
    for (cited, by, sha) in citations(project) {
        let r = ev.resolve(&cited, sha.as_deref());
        files.extend(r.files);
        if let Some(p) = r.problem {
            left.insert((cited.clone(), by, p.describe(&cited)));
        }
    }
    let left_out = left
        .into_iter()
        .map(|(cited, by, reason)| LeftOut { cited, by, reason })
        .collect();
    (files, left_out)
}
