//! What goes into a pack, decided before anything is written: the reports
//! rendered for it, its data files, the inventory as it is, the evidence it
//! cites and the index linking them, each under its name in the pack.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::json;

use super::PackError;
use super::manifest::{FileRecord, LeftOut, Manifest};
use super::{Content, Entry};
use crate::assess::Gap;
use crate::assess::classify::Classification;
use crate::assess::evidence::Evidence;
use crate::load::Project;
use crate::load::safe::Root;
use crate::model::{Date, EvidenceRef, Id};
use crate::render::output::envelope;
use crate::render::views::{
    IncidentView, PackClassificationView, PackClassifiedView, PackGapView, PackGateView,
    PackIncidentsView,
};
use crate::render::write::Guard;
use crate::render::{escape, report, soa, templates};

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
                refs(
                    &mut out,
                    std::slice::from_ref(p),
                    format!("system {} data {}", s.id, d.id),
                );
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
    for i in &inv.incidents {
        refs(&mut out, &i.evidence.0, format!("incident {}", i.id));
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

/// Everything a pack holds, named and sorted, and what its manifest says
/// besides the files: made by [`assemble`], written by [`PackPlan::write`].
pub struct PackPlan {
    /// The files of the pack, sorted by path, one per path.
    pub entries: Vec<Entry>,
    /// Citations whose evidence is not in the pack, with why.
    pub left_out: Vec<LeftOut>,
    catalog: String,
    catalog_version: String,
    as_of: Date,
    generated: chrono::DateTime<chrono::Utc>,
    git_commit: Option<String>,
}

/// The pack for a loaded and judged project: every report and data file
/// rendered in memory, the inventory and evidence named for copying
/// through the safe reader. A report too large to build is refused here,
/// by name, before any of it is built.
pub fn assemble(
    project: &Project,
    gap: &Gap,
    evidence: &Evidence,
    engine: &tera::Tera,
    as_of: Date,
    generated: chrono::DateTime<chrono::Utc>,
) -> Result<PackPlan, PackError> {
    let generated_text = generated.format("%Y-%m-%d %H:%M UTC").to_string();
    let virtual_root = PathBuf::from("/aims-pack");
    // Only the report has crosswalk sections; the SoA does not need them.
    let inputs = |dir: &str, crosswalks: Vec<serde_json::Value>| report::Inputs {
        project,
        gap,
        as_of,
        generated_at: generated_text.clone(),
        out_dir: virtual_root.join(dir),
        link_root: virtual_root.join("evidence"),
        regressions: None,
        crosswalks,
        evidence,
    };
    let mut entries: Vec<Entry> = Vec::new();
    let bytes = |s: String| Content::Bytes(s.into_bytes());
    // The pack holds the report: refused, by name, before it is built when too large.
    report::check_size(project, gap, "the pack's report")?;
    let ctx = templates::context(report::report_view(&inputs(
        "reports",
        crate::catalog::crosswalk::report_sections(project, gap),
    )))?;
    for (path, name) in [
        ("reports/report.html", "report.html"),
        ("reports/report.md", "report.md"),
    ] {
        let mut out = Vec::new();
        templates::render_to(engine, name, &ctx, &mut out)?;
        entries.push(Entry {
            path: path.into(),
            content: Content::Bytes(out),
        });
    }
    drop(ctx);
    let rows = soa::soa_rows(project, gap, evidence, None);
    let soa_view = soa::soa_view(&inputs("soa", Vec::new()), &rows);
    entries.push(Entry {
        path: "soa/soa.md".into(),
        content: bytes(templates::render(engine, "soa.md", &soa_view)?),
    });
    entries.push(Entry {
        path: "soa/soa.html".into(),
        content: bytes(templates::render(engine, "soa.html", &soa_view)?),
    });
    entries.push(Entry {
        path: "soa/soa.csv".into(),
        content: bytes(soa::soa_csv(&rows)),
    });
    let gap_view = PackGapView {
        gap,
        gate: PackGateView {
            fail_under: project.config.gate.fail_under,
        },
    };
    entries.push(Entry {
        path: "data/gap.json".into(),
        content: bytes(envelope("gap", gap_view)?),
    });
    let act = &project.catalog.ai_act;
    let classified: Vec<(&Id, Classification)> = project
        .inventory
        .systems
        .iter()
        .map(|s| (&s.id, crate::assess::classify::classify(s, act, as_of)))
        .collect();
    let classification = PackClassificationView {
        as_of,
        systems: classified
            .iter()
            .map(|(id, c)| PackClassifiedView {
                id,
                tier: c.tier_name(),
                basis: &c.basis,
                obligations: &c.obligations,
            })
            .collect(),
    };
    entries.push(Entry {
        path: "data/classification.json".into(),
        content: bytes(envelope("classify", classification)?),
    });
    let incidents = PackIncidentsView {
        as_of,
        incidents: project
            .inventory
            .incidents
            .iter()
            .map(IncidentView::new)
            .collect(),
    };
    entries.push(Entry {
        path: "data/incidents.json".into(),
        content: bytes(envelope("incidents", incidents)?),
    });
    entries.extend(inventory_entries(project)?);
    let (files, left_out) = evidence_files(project, evidence);
    let evidence_root = Arc::new(Root::new(&project.evidence_root));
    for f in &files {
        entries.push(Entry {
            path: format!("evidence/{f}"),
            content: Content::File(evidence_root.clone(), PathBuf::from(f)),
        });
    }
    entries.sort_by(|x, y| x.path.cmp(&y.path));
    entries.dedup_by(|x, y| x.path == y.path);
    // The index links everything that is in the pack.
    let listing: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| json!({"path": e.path, "section": e.path.split('/').next().unwrap_or("")}))
        .collect();
    let index = templates::render(
        engine,
        "pack-index.html",
        &json!({"title": project.title(), "as_of": as_of.to_string(), "generated_at": generated_text, "tool": format!("aims {}", env!("CARGO_PKG_VERSION")),
                "score": format!("{:.1}", gap.summary.score), "files": listing, "left_out": left_out}),
    )?;
    entries.push(Entry {
        path: "index.html".into(),
        content: bytes(index),
    });
    entries.sort_by(|x, y| x.path.cmp(&y.path));
    Ok(PackPlan {
        entries,
        left_out,
        catalog: project.catalog.standard.clone(),
        catalog_version: project.catalog.version.clone(),
        as_of,
        generated,
        git_commit: super::git_commit(&project.root),
    })
}

/// The inventory as it is: aims.toml, inventory files and catalogue overlays,
/// each read through the safe reader under the repository root.
fn inventory_entries(project: &Project) -> Result<Vec<Entry>, PackError> {
    let repo = Arc::new(Root::new(&project.root));
    let mut sources: Vec<PathBuf> = Vec::new();
    if let Some(c) = &project.config_path {
        sources.push(c.clone());
    }
    sources.extend(project.paths.iter().cloned());
    for x in &project.config.catalog.extra {
        sources.push(project.root.join(x));
    }
    let mut entries = Vec::new();
    for src in sources {
        let rel = src
            .strip_prefix(&project.root)
            .ok()
            .or_else(|| src.file_name().map(Path::new))
            .unwrap_or(&src);
        // The loader refused names that are not UTF-8: every name is exact.
        let rel = crate::assess::evidence::rel_name(rel).ok_or_else(|| PackError::NameNotUtf8 {
            path: rel.to_path_buf(),
        })?;
        entries.push(Entry {
            path: format!("inventory/{rel}"),
            content: Content::File(repo.clone(), src),
        });
    }
    Ok(entries)
}

impl PackPlan {
    /// Bytes to pack, for a progress bar only: what is packed is what is read.
    pub fn total_bytes(&self) -> u64 {
        self.entries
            .iter()
            .map(|e| match &e.content {
                Content::Bytes(b) => b.len() as u64,
                Content::File(root, p) => std::fs::symlink_metadata(root.path().join(p))
                    .map(|m| m.len())
                    .unwrap_or(0),
            })
            .sum()
    }

    /// `manifest.json` for the records of what was copied, and its
    /// signature with `signing`.
    fn manifest(
        &self,
        records: Vec<FileRecord>,
        signing: Option<&ed25519_dalek::SigningKey>,
    ) -> Result<(Vec<u8>, Option<Vec<u8>>), PackError> {
        let manifest = Manifest {
            format: "aims-pack".into(),
            format_version: 1,
            tool: "aims".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            catalog: self.catalog.clone(),
            catalog_version: self.catalog_version.clone(),
            as_of: self.as_of.to_string(),
            generated_at: self.generated.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            git_commit: self.git_commit.clone(),
            files: records,
            left_out: self.left_out.clone(),
        };
        let mut manifest_bytes = escape::json_pretty(&manifest)
            .map_err(PackError::Json)?
            .into_bytes();
        manifest_bytes.push(b'\n');
        let signature = signing.map(|k| super::sign(k, &manifest_bytes));
        Ok((manifest_bytes, signature))
    }

    /// Write the pack to `target` (see [`super::write`]), signed with
    /// `signing` when given. Returns the records of what was written.
    pub fn write(
        &self,
        target: &Path,
        signing: Option<&ed25519_dalek::SigningKey>,
        force: bool,
        guard: Guard,
        progress: &dyn Fn(u64),
    ) -> Result<Vec<FileRecord>, PackError> {
        super::write(
            target,
            &self.entries,
            &|records| self.manifest(records, signing),
            self.generated,
            force,
            guard,
            progress,
        )
    }
}
