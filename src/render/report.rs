//! The report's view: everything the report templates show, computed from
//! the gap analysis.
//!
//! Everything a template needs is computed here (levels, dates as text,
//! chart geometry), so templates only lay it out and a user overriding one
//! with `--templates DIR` cannot get a judgement wrong. The engine is in
//! [`super::templates`], the SoA in [`super::soa`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::{Value, json};

use super::chart::{bar_chart, heat_map};
use crate::assess::classify::{Classification, classify};
use crate::assess::evidence::{Evidence, Freshness, Judged};
use crate::assess::{Assessor, judged_evidence};
use crate::assess::{Gap, Level, Regression};
use crate::load::Project;
use crate::model::*;
use crate::render::explain::{Explanation, explain_from};
use crate::render::soa::EVIDENCE_SHOWN;

/// The report's size limits, checked before it is built.
pub use super::limits::{BYTES_PER_ROW, DEFAULT_REPORT_ROWS, check_size, report_rows};

pub(super) fn css(level: Level) -> &'static str {
    level.css()
}

fn level_view(level: Level) -> Value {
    json!({"level": level.as_str(), "css": css(level)})
}

/// Link to a file under the evidence root, relative to where the report is written.
struct Linker {
    root: PathBuf,
    out_dir: PathBuf,
}

impl Linker {
    fn href(&self, rel: &str) -> String {
        let target = self.root.join(rel);
        let path = pathdiff::diff_paths(&target, &self.out_dir).unwrap_or(target);
        path.to_string_lossy()
            .replace('\\', "/")
            .split('/')
            .map(percent)
            .collect::<Vec<_>>()
            .join("/")
    }
}

fn percent(seg: &str) -> String {
    let mut out = String::new();
    for b in seg.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Context shared by the report and the SoA.
pub struct Inputs<'a> {
    pub project: &'a Project,
    pub gap: &'a Gap,
    pub as_of: Date,
    pub generated_at: String,
    /// Folder the output goes to (for relative evidence links).
    pub out_dir: PathBuf,
    /// Where the evidence is, as seen from `out_dir` (the evidence root, or
    /// `evidence/` inside a pack).
    pub link_root: PathBuf,
    pub regressions: Option<&'a [Regression]>,
    pub crosswalks: Vec<Value>,
    /// The resolver the gap analysis used: citations are resolved once per run.
    pub evidence: &'a Evidence,
}

pub(super) fn header(i: &Inputs) -> Value {
    let p = i.project;
    let org = p.inventory.organization.as_ref();
    json!({
        "title": p.title(),
        "organization": org.map(|o| o.name.clone()).unwrap_or_default(),
        "scope": org.and_then(|o| o.scope.clone()).unwrap_or_default(),
        "as_of": i.as_of.to_string(),
        "generated_at": i.generated_at,
        "tool": format!("aims {}", env!("CARGO_PKG_VERSION")),
        "standard": p.catalog.standard,
        "catalog_version": p.catalog.version,
        "system": i.gap.system,
    })
}

/// One piece of judged evidence as shown in tables: path, link, state.
fn evidence_row(link: &Linker, j: &Judged) -> Value {
    let (state, note) = match (&j.problem, &j.freshness) {
        (Some(p), _) => ("problem", p.describe(&j.cited)),
        (None, Freshness::Stale { reviewed, .. }) => ("stale", format!("reviewed {reviewed}")),
        (None, Freshness::Unreviewed) => ("unreviewed", "no review date".to_string()),
        (None, Freshness::Future { reviewed }) => (
            "unreviewed",
            format!("dated {reviewed}, after the as-of day"),
        ),
        (None, Freshness::Fresh { reviewed, .. }) => ("current", format!("reviewed {reviewed}")),
    };
    // Only files that resolved inside the root get a link; nothing else is ever pointed at.
    let files: Vec<Value> = j
        .files
        .iter()
        .map(|f| json!({"path": f, "href": link.href(f)}))
        .collect();
    json!({"cited": j.cited, "state": state, "note": note, "files": files})
}

/// Up to this many systems, a row shows each system's level; above it,
/// counts per level and the systems that fall short, collapsed.
pub const SYSTEM_BADGES: usize = 10;
/// Systems named in Markdown (which cannot collapse) before a count.
const SYSTEMS_NAMED_MD: usize = 20;

/// The HTML anchor of a control's explanation.
fn anchor(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("why-{safe}")
}

/// A control's systems: each one's badge (a few systems), or counts per
/// level and the systems below `evidenced` (a portfolio).
fn systems_view(c: &crate::assess::ControlGap) -> (Vec<Value>, Vec<Value>, Value) {
    let few = c.systems.len() <= SYSTEM_BADGES;
    let ids: Vec<(&crate::model::Natural, &Level)> = c.systems.iter().collect();
    let systems: Vec<Value> = if few {
        ids.iter()
            .map(|(s, l)| json!({"id": s, "level": l.as_str(), "css": css(**l)}))
            .collect()
    } else {
        Vec::new()
    };
    let counts: Vec<Value> = if few {
        Vec::new()
    } else {
        Level::LADDER
            .iter()
            .filter_map(|l| {
                let n = c.systems.values().filter(|x| *x == l).count();
                (n > 0).then(|| json!({"level": l.as_str(), "css": css(*l), "count": n}))
            })
            .collect()
    };
    let short: Vec<&str> = ids
        .iter()
        .filter(|(_, l)| **l < Level::Evidenced && **l != Level::NotApplicable)
        .map(|(s, _)| s.as_str())
        .collect();
    let short = if few || short.is_empty() {
        Value::Null
    } else {
        json!({
            "count": short.len(),
            "all": short.join(", "),
            "named": short.iter().take(SYSTEMS_NAMED_MD).copied().collect::<Vec<_>>().join(", "),
            "more": short.len().saturating_sub(SYSTEMS_NAMED_MD),
        })
    };
    (systems, counts, short)
}

/// An explanation as the report shows it: the same facts as `aims
/// explain`, with the systems below `evidenced` named (at most 50).
fn explanation_view(e: &Explanation) -> Value {
    let t = e.text_parts(true);
    json!({
        "id": e.control, "anchor": anchor(&e.control), "title": e.title,
        "level": e.level.as_str(), "css": css(e.level), "reason": e.reason,
        "decided": t.decided, "evidence": t.evidence, "findings": t.findings,
        "audit": t.audit, "systems": t.systems, "more_systems": t.more_systems,
    })
}

fn classification_view(s: &System, c: &Classification) -> Value {
    let obligations: Vec<Value> = c
        .obligations
        .iter()
        .map(|o| {
            json!({
                "article": o.article, "title": o.title, "role": o.holder(),
                "date": o.applies_from.to_string(), "in_force": o.in_force,
                "original": o.original_date.map(|d| d.to_string()),
            })
        })
        .collect();
    json!({
        "id": s.id.0, "name": s.name, "role": s.role.as_str(), "lifecycle": s.lifecycle.as_str(),
        "owner": s.owner.as_ref().map(|o| o.0.clone()),
        "supplier": s.supplier.as_ref().map(|o| o.0.clone()),
        "purpose": s.purpose, "tier": if c.assessed { c.tier.as_str() } else { "not assessed" },
        "tier_css": c.tier.as_str(),
        "declared": s.eu_ai_act.as_ref().and_then(|e| e.declared_tier).map(|t| t.as_str()),
        "basis": c.basis,
        "in_force": c.obligations.iter().filter(|o| o.in_force).count(),
    })
    .with("obligations", obligations)
}

/// The full report's data.
pub fn report_view(i: &Inputs) -> Value {
    let p = i.project;
    let inv = &p.inventory;
    let ev = i.evidence;
    let link = Linker {
        root: i.link_root.clone(),
        out_dir: i.out_dir.clone(),
    };
    let g = i.gap;

    let counts: Vec<Value> = Level::LADDER
        .iter()
        .map(|l| json!({"level": l.as_str(), "css": css(*l), "count": g.summary.counts.get(l.as_str()).copied().unwrap_or(0)}))
        .collect();
    let live: Vec<&crate::rules::Finding> = g
        .findings
        .iter()
        .filter(|f| f.waived_by.is_none())
        .collect();
    let sev = |s: crate::diag::Severity| live.iter().filter(|f| f.severity == s).count();

    let annex_groups: Vec<&crate::assess::GroupSummary> =
        g.groups.iter().filter(|x| x.kind == "annex-a").collect();

    // Controls grouped, with evidence and the explanation of each level.
    let judge = Assessor::new(p, i.as_of, ev, &g.findings);
    let mut cited: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut explanations: Vec<Value> = Vec::new();
    let mut group_rows = |kind: &str,
                          cited: &mut BTreeMap<String, BTreeSet<String>>|
     -> Vec<Value> {
        g.groups
            .iter()
            .filter(|grp| grp.kind == kind)
            .map(|grp| {
                let controls: Vec<Value> = g
                    .controls
                    .iter()
                    .filter(|c| c.group == grp.id)
                    .map(|c| {
                        // Each pair judged once: the evidence the levels were
                        // judged on, and the explanation, from the same verdicts.
                        let verdicts = p.catalog.position(&c.id).and_then(|at| judge.control_verdicts(at));
                        let mut evidence: Vec<Value> = Vec::new();
                        let mut more_evidence = 0;
                        if let Some((org_v, per_system)) = verdicts {
                            let judged = judged_evidence(&org_v, &per_system);
                            more_evidence = judged.len().saturating_sub(EVIDENCE_SHOWN);
                            for j in &judged {
                                for f in &j.files {
                                    cited.entry(f.clone()).or_default().insert(c.id.clone());
                                }
                            }
                            evidence = judged.iter().take(EVIDENCE_SHOWN).map(|j| evidence_row(&link, j)).collect();
                            if let Some(ctl) = p.catalog.get(&c.id) {
                                explanations.push(explanation_view(&explain_from(p, g, ctl, None, org_v, &per_system)));
                            }
                        }
                        let (systems, counts, short) = systems_view(c);
                        json!({
                            "id": c.id, "title": c.title, "level": c.level.as_str(), "css": css(c.level),
                            "overall": level_view(c.overall), "owner": c.owner, "reason": c.reason,
                            "anchor": anchor(&c.id), "more_evidence": more_evidence,
                            "system_count": c.systems.len(), "short": short,
                        })
                        .with("systems", systems)
                        .with("system_counts", counts)
                        .with("evidence", evidence)
                    })
                    .collect();
                json!({"id": grp.id, "title": grp.title, "score": format!("{:.1}", grp.score)})
                    .with("controls", controls)
            })
            .collect()
    };
    let clause_groups = group_rows("clause", &mut cited);
    let annex = group_rows("annex-a", &mut cited);
    let custom = group_rows("custom", &mut cited);

    let act = &p.catalog.ai_act;
    let systems: Vec<Value> = inv
        .systems
        .iter()
        .map(|s| {
            // System-level evidence (model cards, validation reports) and
            // data provenance, linked and in the evidence index.
            let mut links = Vec::new();
            let retired = s.lifecycle == crate::model::Lifecycle::Retired;
            for e in s.evidence.iter() {
                for f in ev.resolve(e.path(), None).files {
                    if !retired {
                        cited
                            .entry(f.clone())
                            .or_default()
                            .insert(format!("system {}", s.id));
                    }
                    links.push(json!({"path": f, "href": link.href(&f)}));
                }
            }
            for d in &s.data {
                if let Some(pv) = &d.provenance {
                    for f in ev.resolve(pv.path(), None).files {
                        cited
                            .entry(f)
                            .or_default()
                            .insert(format!("data set {} of {}", d.id, s.id));
                    }
                }
            }
            classification_view(s, &classify(s, act, i.as_of)).with("evidence", links)
        })
        .collect();

    let ias: Vec<Value> = inv
        .impact_assessments
        .iter()
        .map(|ia| {
            let sys = inv.system(&ia.system);
            let due = ia.next_review.unwrap_or_else(|| Duration::months(12).after(ia.date));
            let outdated = sys.and_then(|s| s.changed).is_some_and(|c| c > ia.date);
            let state = if due < i.as_of {
                "review overdue"
            } else if outdated {
                "predates last change"
            } else if ia.approved_by.is_none() {
                "not approved"
            } else {
                "current"
            };
            let max = ia.impacts.iter().map(|x| x.severity.0).max().unwrap_or(0);
            let persp: BTreeSet<&str> = ia.impacts.iter().map(|x| x.on.as_str()).collect();
            if let Some(path) = &ia.path {
                for f in ev.resolve(path, None).files {
                    cited.entry(f).or_default().insert(ia.id.0.clone());
                }
            }
            json!({
                "id": ia.id.0, "system": ia.system.0, "date": ia.date.to_string(), "next_review": due.to_string(),
                "approved_by": ia.approved_by.as_ref().map(|a| a.0.clone()),
                "conclusion": ia.conclusion.map(|c| c.as_str()), "impacts": ia.impacts.len(),
                "max_severity": max, "perspectives": persp.into_iter().collect::<Vec<_>>().join(", "),
                "state": state, "current": state == "current",
            })
        })
        .collect();

    let appetite = inv.risk_appetite();
    let risks: Vec<Value> = inv
        .risks
        .iter()
        .map(|r| {
            let score = r.score();
            let res = r.residual_score();
            json!({
                "id": r.id.0, "title": r.title,
                "systems": r.systems.iter().map(|s| s.0.clone()).collect::<Vec<_>>().join(", "),
                "likelihood": r.likelihood.0, "impact": r.impact.0, "score": score,
                "above": score > u16::from(appetite), "treatment": r.treatment.map(|t| t.as_str()),
                "residual": res.map(|x| x.to_string()), "owner": r.owner.as_ref().map(|o| o.0.clone()),
                "controls": r.controls.iter().map(|c| c.0.clone()).collect::<Vec<_>>().join(", "),
            })
        })
        .collect();
    let inherent: Vec<(u8, u8)> = inv
        .risks
        .iter()
        .map(|r| (r.likelihood.0, r.impact.0))
        .collect();
    let residual: Vec<(u8, u8)> = inv
        .risks
        .iter()
        .map(|r| {
            r.residual
                .as_ref()
                .map_or((r.likelihood.0, r.impact.0), |x| {
                    (x.likelihood.0, x.impact.0)
                })
        })
        .collect();

    let findings: Vec<Value> = ["error", "warning", "note"]
        .iter()
        .map(|s| {
            let items: Vec<Value> = live
                .iter()
                .filter(|f| f.severity.as_str() == *s)
                .map(|f| {
                    json!({"rule": f.rule, "message": f.message, "control": f.control, "system": f.system,
                           "location": f.location.as_ref().map(|l| l.to_string())})
                })
                .collect();
            json!({"severity": s}).with("items", items)
        })
        .collect();

    let mut policies = Vec::new();
    for pol in &inv.policies {
        let mut links = Vec::new();
        if let Some(path) = &pol.path {
            for f in ev.resolve(path, None).files {
                cited.entry(f.clone()).or_default().insert(pol.id.0.clone());
                links.push(json!({"path": f, "href": link.href(&f)}));
            }
        }
        let every = pol.review_every.unwrap_or(Duration::months(12));
        let due = pol.approved.map(|a| every.after(a));
        policies.push(json!({
            "id": pol.id.0, "title": pol.title,
            "approved_by": pol.approved_by.as_ref().map(|a| a.0.clone()),
            "approved": pol.approved.map(|d| d.to_string()),
            "review_due": due.map(|d| d.to_string()),
            "overdue": due.is_some_and(|d| d < i.as_of),
            "files": links, "cited": pol.path,
        }));
    }
    let evidence_index: Vec<Value> = cited
        .iter()
        .map(|(path, by)| json!({"path": path, "href": link.href(path), "cited_by": by.iter().cloned().collect::<Vec<_>>().join(", ")}))
        .collect();

    let baseline = i.regressions.map(|r| {
        json!({"regressions": r.iter().map(|x| x.to_string()).collect::<Vec<_>>(), "count": r.len()})
    });

    json!({
        "header": header(i),
        "summary": {
            "score": format!("{:.1}", g.summary.score), "controls": g.summary.controls, "counts": counts,
            "errors": sev(crate::diag::Severity::Error), "warnings": sev(crate::diag::Severity::Warning),
            "notes": sev(crate::diag::Severity::Note), "waived": g.findings.len() - live.len(),
            "systems": inv.systems.len(), "risks": inv.risks.len(),
        },
        "baseline": baseline,
        "chart": bar_chart(&annex_groups),
        "appetite": appetite,
        "heat": {"inherent": heat_map(&inherent, appetite), "residual": heat_map(&residual, appetite)},
        "waivers": g.waivers.iter().map(|w| {
            let covers: Vec<&str> = [w.control.as_deref(), w.system.as_deref()].into_iter().flatten().collect();
            json!({"id": w.id, "rule": w.rule, "covers": covers.join(", "), "reason": w.reason,
                   "expires": w.expires.to_string(), "status": w.status, "silenced": w.silenced})
        }).collect::<Vec<_>>(),
        "crosswalks": i.crosswalks,
    })
    // The large parts are moved in, not copied (`json!` copies a value it is given).
    .with("clause_groups", clause_groups)
    .with("annex_groups", annex)
    .with("custom_groups", custom)
    .with("policies", policies)
    .with("systems", systems)
    .with("impact_assessments", ias)
    .with("incidents", incidents(inv))
    .with("risks", risks)
    .with("findings", findings)
    .with("evidence_index", evidence_index)
    .with("explanations", explanations)
}

/// The incident register as the report lists it.
fn incidents(inv: &crate::model::Inventory) -> Vec<Value> {
    // Absent values are empty strings, which the templates show as a dash.
    let day = |d: Option<crate::model::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    inv.incidents
        .iter()
        .map(|i| {
            json!({
                "id": i.id.0, "system": i.system.0, "occurred": i.occurred.to_string(),
                "aware": i.aware.to_string(), "serious": i.serious,
                "kind": i.kind.unwrap_or(crate::model::IncidentKind::Other).as_str(),
                "reported": day(i.reported), "authority": i.authority.clone().unwrap_or_default(),
                "nonconformity": i.nonconformity.as_ref().map(|n| n.0.clone()).unwrap_or_default(),
            })
        })
        .collect()
}

/// Setting a field of a JSON object by moving the value in.
trait With {
    fn with(self, key: &str, value: Vec<Value>) -> Value;
}

impl With for Value {
    fn with(mut self, key: &str, value: Vec<Value>) -> Value {
        if let Value::Object(m) = &mut self {
            m.insert(key.to_string(), Value::Array(value));
        }
        self
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::render::escape;
    use crate::render::soa::{soa_csv, soa_rows, soa_view};
    use crate::render::templates::{engine, render};
    use std::path::Path;

    /// The injection fixture, with the id of its custom group replaced by
    /// `group_id` behind the loader's back (the loader refuses such an id).
    pub(crate) fn injection_with_group_id(group_id: &str) -> Project {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut p = crate::load::load(Some(&root.join("tests/fixtures/injection")), root)
            .expect("the injection fixture loads");
        for g in p.catalog.groups.iter_mut().filter(|g| g.id == "INJ") {
            g.id = group_id.to_string();
        }
        for c in p.catalog.controls.iter_mut().filter(|c| c.group == "INJ") {
            c.group = group_id.to_string();
        }
        p
    }

    pub(crate) const HOSTILE_ID: &str = "G1\n# Owned <img src=x onerror=alert(1)> [x](javascript:alert(1)) <details>\x1b]8;;https://evil.example/\x1b\\l\x1b]8;;\x1b\\ | cell";

    #[test]
    fn markdown_templates_escape_every_user_string_ids_included() {
        let project = injection_with_group_id(HOSTILE_ID);
        let as_of = crate::render::output::ymd(2026, 11, 24);
        let ev = Evidence::new(&project.evidence_root);
        let gap = crate::assess::gap_with(&project, as_of, &ev);
        assert!(
            gap.groups.iter().any(|g| g.id == HOSTILE_ID),
            "the hostile group is in the gap"
        );
        let inputs = Inputs {
            project: &project,
            gap: &gap,
            as_of,
            generated_at: "2026-11-24 00:00 UTC".into(),
            out_dir: project.root.clone(),
            link_root: project.evidence_root.clone(),
            regressions: None,
            crosswalks: crate::catalog::crosswalk::report_sections(&project, &gap),
            evidence: &ev,
        };
        let t = engine(None).unwrap();
        let md = render(&t, "report.md", &report_view(&inputs)).unwrap();
        let rows = soa_rows(&project, &gap, &ev, None);
        let soa = render(&t, "soa.md", &soa_view(&inputs, &rows)).unwrap();
        for out in [&md, &soa] {
            let lower = out.to_lowercase();
            assert!(
                !lower.contains("<img") && !lower.contains("<details"),
                "{out}"
            );
            assert!(!out.contains("](javascript:"), "{out}");
            assert!(!out.lines().any(|l| l.starts_with("# Owned")), "{out}");
            assert!(
                !out.chars().any(|c| escape::is_control(c) && c != '\n'),
                "{out:?}"
            );
        }
        // The group heading is one line, its id shown as text.
        assert!(
            md.contains("### G1 \\# Owned &lt;img src=x onerror=alert\\(1\\)&gt; \\[x\\]\\(javascript:alert\\(1\\)\\) &lt;details&gt;\\u{1b}\\]8;;https://evil.example/\\u{1b}\\\\l"),
            "{md}"
        );
        // HTML: escaped by the templates' escape function, controls shown.
        let html = render(&t, "report.html", &report_view(&inputs)).unwrap();
        // (The template's own `<details>` lists are not user text.)
        assert!(!html.to_lowercase().contains("<img") && !html.contains(") <details>"));
        assert!(html.contains("&lt;details&gt;"));
        assert!(html.contains("G1\n# Owned &lt;img src=x onerror=alert(1)&gt;"));
        assert!(
            !html
                .chars()
                .any(|c| escape::is_control(c) && !matches!(c, '\n' | '\t'))
        );
        // CSV: the group column is a quoted cell.
        let csv = soa_csv(&rows);
        assert!(
            csv.contains(",\"G1\n# Owned <img src=x onerror=alert(1)>"),
            "{csv}"
        );
    }

    #[test]
    fn links_are_relative_and_encoded() {
        let l = Linker {
            root: PathBuf::from("/r/evidence"),
            out_dir: PathBuf::from("/r/out"),
        };
        assert_eq!(l.href("docs/a b.md"), "../evidence/docs/a%20b.md");
    }

    /// WCAG 2.x relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let h = hex.trim_start_matches('#');
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&h[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
    }

    /// WCAG contrast ratio, as axe-core's `color-contrast` computes it.
    fn contrast(a: &str, b: &str) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// `name -> #hex` of every `--name:#hex` in the template's `:root`.
    fn palette(template: &str) -> std::collections::BTreeMap<String, String> {
        let root = &template[template.find(":root {").unwrap() + ":root {".len()..];
        let root = &root[..root.find('}').unwrap()];
        root.split(';')
            .filter_map(|d| {
                let (k, v) = d.split_once(':')?;
                let k = k.trim().strip_prefix("--")?;
                let v = v.trim();
                (v.starts_with('#') && v.len() == 7).then(|| (k.to_string(), v.to_string()))
            })
            .collect()
    }

    #[test]
    fn contrast_of_a_known_pair() {
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        // The badge colours of the issue: 4.05 and 3.97 by axe-core.
        assert!((contrast("#ffffff", "#c4640a") - 4.06).abs() < 0.01);
        assert!((contrast("#ffffff", "#a07a00") - 3.98).abs() < 0.01);
    }

    /// Every text/background pair of the report's palette passes WCAG AA
    /// for normal text (4.5:1), what axe-core's `color-contrast` asks.
    #[test]
    fn the_report_palette_passes_color_contrast() {
        let t = include_str!("../../templates/report.html");
        let p = palette(t);
        let c = |k: &str| p.get(k).unwrap_or_else(|| panic!("--{k}")).as_str();
        let mut pairs: Vec<(String, &str, &str)> = Vec::new();
        // Badges: white text on each level's and tier's colour.
        for level in Level::LADDER.map(Level::css) {
            pairs.push((format!("badge {level}"), "#ffffff", c(level)));
        }
        // Coloured and muted text (findings, evidence states, notes) on
        // the page and on the soft panels (table heads, scope, code).
        for text in ["ink", "muted", "missing", "partial"] {
            for bg in ["bg", "soft"] {
                pairs.push((format!("{text} on {bg}"), c(text), c(bg)));
            }
        }
        // Heat map cells carry their count in ink.
        for cell in ["#dcefdc", "#f6d9a8", "#f2b8b5"] {
            assert!(t.contains(cell), "heat cell {cell} is in the template");
            pairs.push((format!("ink on heat {cell}"), c("ink"), cell));
        }
        let failing: Vec<String> = pairs
            .iter()
            .map(|(what, fg, bg)| (what, contrast(fg, bg)))
            .filter(|(_, r)| *r < 4.5)
            .map(|(what, r)| format!("{what}: {r:.2}:1"))
            .collect();
        assert!(failing.is_empty(), "under 4.5:1: {failing:?}");
    }

    /// The SoA's own badge colours are the report's.
    #[test]
    fn the_soa_badges_are_the_report_palette() {
        let report = palette(include_str!("../../templates/report.html"));
        let soa = include_str!("../../templates/soa.html");
        for level in Level::LADDER.map(Level::css) {
            let rule = format!(".{level}{{background:{}}}", report[level]);
            assert!(soa.contains(&rule), "soa.html lacks {rule}");
            assert!(contrast("#ffffff", &report[level]) >= 4.5);
        }
    }

    /// Scrollable tables can be reached with the keyboard and are named
    /// (axe-core's `scrollable-region-focusable`).
    #[test]
    fn every_scrollable_table_is_focusable_and_labelled() {
        for t in [
            include_str!("../../templates/report.html"),
            include_str!("../../templates/soa.html"),
        ] {
            let opens: Vec<&str> = t.split("<div class=\"table-wrap\"").skip(1).collect();
            assert!(!opens.is_empty());
            for o in opens {
                let tag = &o[..o.find('>').unwrap()];
                assert!(tag.contains("tabindex=\"0\""), "{tag}");
                assert!(tag.contains("role=\"region\""), "{tag}");
                assert!(tag.contains("aria-label=\""), "{tag}");
            }
        }
    }
}
