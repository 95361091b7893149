//! Reports and the Statement of Applicability, rendered through Tera.
//!
//! Everything a template needs is computed here (levels, dates as text,
//! chart geometry), so templates only lay it out and a user overriding one
//! with `--templates DIR` cannot get a judgement wrong. HTML templates are
//! autoescaped; Markdown goes through the `md` filter.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Value, json};

use crate::assess::classify::{Classification, classify};
use crate::assess::evidence::{Evidence, Freshness, judge_statement};
use crate::assess::{Gap, Level, Regression};
use crate::catalog::{Control, Kind};
use crate::load::Project;
use crate::model::*;
use crate::render::escape;
use crate::render::output::RunError;

/// The embedded templates, by name. `--templates DIR` overrides any of them file by file.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("report.html", include_str!("../../templates/report.html")),
    ("report.md", include_str!("../../templates/report.md")),
    ("soa.html", include_str!("../../templates/soa.html")),
    ("soa.md", include_str!("../../templates/soa.md")),
    (
        "pack-index.html",
        include_str!("../../templates/pack-index.html"),
    ),
];

/// The Tera instance: embedded templates, then the user's overrides.
pub fn engine(dir: Option<&Path>) -> Result<tera::Tera, RunError> {
    let mut t = tera::Tera::new();
    // HTML templates autoescape (by their `.html` name) with our escaper,
    // which also shows control characters and bidirectional overrides.
    t.set_escape_fn(escape::html_write);
    t.register_filter("md", |v: &str, _: tera::Kwargs, _: &tera::State| {
        escape::md(v)
    });
    // An id in a Markdown code span.
    t.register_filter("code", |v: &str, _: tera::Kwargs, _: &tera::State| {
        escape::md_spans(&format!("`{v}`"))
    });
    // Messages quote ids in backticks: escape everything, then show those as code.
    t.register_filter("ticks", |v: &str, _: tera::Kwargs, _: &tera::State| {
        escape::html_ticks(v)
    });
    // An empty value shown as a dash in tables.
    t.register_filter("dash", |v: &str, _: tera::Kwargs, _: &tera::State| {
        if v.trim().is_empty() {
            "—".to_string()
        } else {
            v.to_string()
        }
    });
    // A template that is a symlink out of the templates folder is refused,
    // never read: its first line would show in a parse error.
    let root = dir.map(crate::load::safe::Root::new);
    for (name, text) in TEMPLATES {
        let text = match (&root, dir) {
            (Some(root), Some(d)) if d.join(name).symlink_metadata().is_ok() => {
                let shown = d.join(name);
                let cannot = |why: String| {
                    RunError::Usage(format!("cannot read template `{}`: {why}", shown.display()))
                };
                let opened = root
                    .open(Path::new(name))
                    .map_err(|r| cannot(r.to_string()))?;
                let mut t = String::new();
                std::io::Read::read_to_string(
                    &mut std::io::Read::take(opened.file, crate::load::MAX_FILE_BYTES),
                    &mut t,
                )
                .map_err(|e| cannot(crate::load::safe::io_reason(&e)))?;
                t
            }
            _ => (*text).to_string(),
        };
        t.add_raw_template(name, &text).map_err(|e| {
            RunError::Usage(format!(
                "template `{name}` does not parse: {}",
                tera_error(&e)
            ))
        })?;
    }
    if let Some(d) = dir
        && !d.is_dir()
    {
        return Err(RunError::Usage(format!(
            "--templates `{}` is not a folder",
            d.display()
        )));
    }
    Ok(t)
}

fn tera_error(e: &tera::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

/// Templates see no nulls: an absent value is empty text, which is false in
/// `{% if %}` and shows as a dash through the `dash` filter.
fn no_nulls(v: &mut Value) {
    match v {
        Value::Null => *v = Value::String(String::new()),
        Value::Array(a) => a.iter_mut().for_each(no_nulls),
        Value::Object(o) => o.values_mut().for_each(no_nulls),
        _ => {}
    }
}

/// Render a small view (an index, the SoA) to a string.
pub fn render(t: &tera::Tera, name: &str, view: &impl Serialize) -> Result<String, RunError> {
    let value =
        serde_json::to_value(view).map_err(|e| RunError::Io(format!("report data: {e}")))?;
    let ctx = context(value)?;
    let mut out = Vec::new();
    render_to(t, name, &ctx, &mut out)?;
    String::from_utf8(out).map_err(|_| RunError::Io(format!("template `{name}`: not UTF-8")))
}

/// The template context for a view, which is consumed: each top-level
/// section is converted to Tera's values and its JSON freed at once, so a
/// large view is never held twice over.
pub fn context(view: Value) -> Result<tera::Context, RunError> {
    let Value::Object(sections) = view else {
        return Err(RunError::Io("report data: not a mapping".into()));
    };
    let mut ctx = tera::Context::new();
    for (key, mut section) in sections {
        no_nulls(&mut section);
        let value = tera::Value::try_from_serializable(&section)
            .map_err(|e| RunError::Io(format!("report data: {}", tera_error(&e))))?;
        drop(section);
        ctx.insert_value(key, value);
    }
    Ok(ctx)
}

/// Render a template into `out` as it goes (a file or standard output),
/// never building the whole text in memory. A failed write is reported
/// by the writer's owner (see [`crate::cli::emit::emit_with`]).
pub fn render_to(
    t: &tera::Tera,
    name: &str,
    ctx: &tera::Context,
    out: &mut dyn std::io::Write,
) -> Result<(), RunError> {
    t.render_to(name, ctx, out)
        .map_err(|e| RunError::Usage(format!("template `{name}` failed: {}", tera_error(&e))))
}

// ---------------------------------------------------------------------------
// Size: a report is refused before it is built when it would not fit.

/// The default of `[limits] report_rows`, about 2 GiB at
/// [`BYTES_PER_ROW`]: 20,000 AI systems of the generated benchmark
/// inventory (`benches/load.rs`) make 660,073 rows.
pub const DEFAULT_REPORT_ROWS: u64 = 1_000_000;

/// Memory one row takes while a report is built and rendered, above what
/// loading and the gap analysis took: measured on the generated inventory
/// at about 1,250 bytes of peak RSS (see BENCHMARKS.md), counted with room
/// to spare.
pub const BYTES_PER_ROW: u64 = 2048;

/// The rows an HTML or Markdown report lays out: every control and clause,
/// and each AI system judged for it; each system, risk, impact assessment,
/// policy, waiver and finding. Counted from the gap analysis, before any
/// of the report is built.
pub fn report_rows(project: &Project, gap: &Gap) -> u64 {
    let inv = &project.inventory;
    let controls: usize = gap.controls.iter().map(|c| 1 + c.systems.len()).sum();
    (controls
        + inv.systems.len()
        + inv.risks.len()
        + inv.impact_assessments.len()
        + inv.policies.len()
        + gap.waivers.len()
        + gap.findings.len()) as u64
}

/// Refuse, with exit 2 and what to do, a report of more rows than
/// `[limits] report_rows`, or one whose memory (at [`BYTES_PER_ROW`]) the
/// process's address-space limit (`ulimit -v`) does not leave room for:
/// a named refusal, never an allocation failure part-way.
pub fn check_size(project: &Project, gap: &Gap, what: &str) -> Result<(), RunError> {
    let rows = report_rows(project, gap);
    let limit = project
        .config
        .limits
        .report_rows
        .unwrap_or(DEFAULT_REPORT_ROWS);
    let mib = |b: u64| b.div_ceil(1024 * 1024);
    let need = rows.saturating_mul(BYTES_PER_ROW);
    let instead = "ask for less (`aims soa --system ID`, or `aims gap --format json`, which lists the same judgements), or split the inventory";
    if rows > limit {
        return Err(RunError::Usage(format!(
            "{what} would lay out {rows} rows (controls and clauses for each AI system, findings, risks, ...), over the limit of {limit} (`[limits] report_rows` in aims.toml); {instead}, or raise the limit where the machine has about {} MiB to spare for it",
            mib(need)
        )));
    }
    if let Some(left) = address_space_left()
        && need > left
    {
        return Err(RunError::Usage(format!(
            "{what} would lay out {rows} rows and needs about {} MiB, but the address-space limit of this process (`ulimit -v`) leaves {} MiB; {instead}, or raise that limit",
            mib(need),
            mib(left)
        )));
    }
    Ok(())
}

/// Bytes of address space this process may still take under its
/// `RLIMIT_AS` (`ulimit -v`); `None` when unlimited or unknown.
#[cfg(target_os = "linux")]
fn address_space_left() -> Option<u64> {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    if unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut r) } != 0 || r.rlim_cur == libc::RLIM_INFINITY
    {
        return None;
    }
    // The size of the address space now, in pages: the first field.
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().next()?.parse().ok()?;
    let page = u64::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).ok()?;
    // `rlim_t` is 32 bits on some 32-bit targets.
    #[allow(clippy::useless_conversion)]
    let cur = u64::from(r.rlim_cur);
    Some(cur.saturating_sub(pages.saturating_mul(page)))
}

#[cfg(not(target_os = "linux"))]
fn address_space_left() -> Option<u64> {
    None
}

// ---------------------------------------------------------------------------
// The view model.

fn css(level: Level) -> &'static str {
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

fn header(i: &Inputs) -> Value {
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

/// Evidence of a statement as shown in tables: path, link, state.
fn evidence_rows(
    ev: &Evidence,
    link: &Linker,
    st: &Statement,
    control: &Control,
    i: &Inputs,
) -> Vec<Value> {
    judge_statement(
        ev,
        st,
        control,
        &i.project.inventory,
        &i.project.config,
        i.as_of,
    )
    .into_iter()
    .map(|j| {
        let (state, note) = match (&j.problem, &j.freshness) {
            (Some(p), _) => ("problem", p.describe(&j.cited)),
            (None, Freshness::Stale { reviewed, .. }) => ("stale", format!("reviewed {reviewed}")),
            (None, Freshness::Unreviewed) => ("unreviewed", "no review date".to_string()),
            (None, Freshness::Fresh { reviewed, .. }) => {
                ("current", format!("reviewed {reviewed}"))
            }
        };
        // Only files that resolved inside the root get a link; nothing else is ever pointed at.
        let files: Vec<Value> = j
            .files
            .iter()
            .map(|f| json!({"path": f, "href": link.href(f)}))
            .collect();
        json!({"cited": j.cited, "state": state, "note": note, "files": files})
    })
    .collect()
}

fn classification_view(s: &System, c: &Classification) -> Value {
    let obligations: Vec<Value> = c
        .obligations
        .iter()
        .map(|o| {
            json!({
                "article": o.article, "title": o.title, "role": o.role,
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

/// Bar chart geometry for scores per group (SVG user units).
fn bar_chart(groups: &[&crate::assess::GroupSummary]) -> Value {
    let row = 26.0;
    let bars: Vec<Value> = groups
        .iter()
        .enumerate()
        .map(|(n, g)| {
            let y = 10.0 + n as f64 * row;
            json!({
                "id": g.id, "title": g.title, "score": format!("{:.1}", g.score),
                "y": y, "text_y": y + 15.0, "width": (g.score * 3.6).round() / 1.0,
                "css": if g.score >= 75.0 { "good" } else if g.score >= 40.0 { "fair" } else { "poor" },
                "blocks": "█".repeat((g.score / 5.0).round() as usize),
            })
        })
        .collect();
    json!({"bars": bars, "height": 20.0 + groups.len() as f64 * row})
}

/// A 5x5 matrix of counts of (likelihood, impact) points: `[impact-1][likelihood-1]`.
pub fn heat(points: impl Iterator<Item = (u8, u8)>) -> [[usize; 5]; 5] {
    let mut m = [[0usize; 5]; 5];
    for (l, i) in points {
        if (1..=5).contains(&l) && (1..=5).contains(&i) {
            m[usize::from(i - 1)][usize::from(l - 1)] += 1;
        }
    }
    m
}

/// A 5×5 heat map: cells from impact 5 (top) to 1, likelihood 1 to 5.
fn heat_map(points: &[(u8, u8)], appetite: u8) -> Value {
    let counts = heat(points.iter().copied());
    let mut cells = Vec::new();
    for (row, impact) in (1..=5u8).rev().enumerate() {
        for likelihood in 1..=5u8 {
            let count = counts[usize::from(impact - 1)][usize::from(likelihood - 1)];
            let score = u16::from(likelihood) * u16::from(impact);
            let band = if score > u16::from(appetite) {
                if score >= 15 { "high" } else { "above" }
            } else {
                "within"
            };
            cells.push(json!({
                "x": 40 + (likelihood as usize - 1) * 44, "y": 10 + row * 44,
                "tx": 62 + (likelihood as usize - 1) * 44, "ty": 38 + row * 44,
                "count": count, "score": score, "band": band,
            }));
        }
    }
    json!({"cells": cells})
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

    // Controls grouped, with evidence.
    let mut cited: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let group_rows = |kind: &str, cited: &mut BTreeMap<String, BTreeSet<String>>| -> Vec<Value> {
        g.groups
            .iter()
            .filter(|grp| grp.kind == kind)
            .map(|grp| {
                let controls: Vec<Value> = g
                    .controls
                    .iter()
                    .filter(|c| c.group == grp.id)
                    .map(|c| {
                        let control = p.catalog.get(&c.id);
                        let evidence = match (inv.controls.get(&c.id), control) {
                            (Some(st), Some(ctl)) => evidence_rows(ev, &link, &st.statement, ctl, i),
                            _ => vec![],
                        };
                        for e in &evidence {
                            for f in e["files"].as_array().into_iter().flatten() {
                                cited.entry(f["path"].as_str().unwrap_or_default().to_string()).or_default().insert(c.id.clone());
                            }
                        }
                        let systems: Vec<Value> = c.systems.iter().map(|(s, l)| json!({"id": s, "level": l.as_str(), "css": css(*l)})).collect();
                        json!({
                            "id": c.id, "title": c.title, "level": c.level.as_str(), "css": css(c.level),
                            "overall": level_view(c.overall), "owner": c.owner, "reason": c.reason,
                        })
                        .with("systems", systems)
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
        .map(|s| classification_view(s, &classify(s, act, i.as_of)))
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
    .with("risks", risks)
    .with("findings", findings)
    .with("evidence_index", evidence_index)
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

// ---------------------------------------------------------------------------
// Statement of Applicability.

#[derive(Debug, Clone, Serialize)]
pub struct SoaRow {
    pub id: String,
    pub title: String,
    pub group: String,
    pub applicable: bool,
    /// Why it is included (risks, impact assessments, policies that call
    /// for it) or excluded (the justification).
    pub justification: String,
    pub level: String,
    pub css: String,
    pub owner: String,
    pub evidence: Vec<String>,
}

/// One row per Annex A control (and custom control), for the organisation
/// or for one system.
pub fn soa_rows(project: &Project, gap: &Gap, system: Option<&System>) -> Vec<SoaRow> {
    let inv = &project.inventory;
    gap.controls
        .iter()
        .filter(|c| c.kind == Kind::AnnexA.as_str() || c.kind == Kind::Custom.as_str())
        .filter_map(|c| {
            let control = project.catalog.get(&c.id)?;
            let org = inv.controls.get(&c.id).map(|p| &p.statement);
            let own = system.and_then(|s| {
                s.controls
                    .iter()
                    .find(|(k, _)| project.catalog.get(k).is_some_and(|x| x.id == c.id))
                    .map(|(_, st)| st)
            });
            let st = own.or(org);
            let level = match system {
                Some(s) => c.systems.get(&s.id.0).copied().unwrap_or(c.level),
                None => c.level,
            };
            // Applicability: the statement's exclusion, else the catalogue's scope for this system.
            let (applicable, justification) =
                if let Some(st) = st.filter(|st| st.applicable == Some(false)) {
                    (
                        false,
                        st.justification.clone().unwrap_or_else(|| {
                            "Excluded without a justification (finding).".into()
                        }),
                    )
                } else if let Some(s) =
                    system.filter(|s| !control.applies_to_system(s.role, s.lifecycle))
                {
                    (false, scope_reason(control, s))
                } else {
                    (true, inclusion(project, &c.id, system))
                };
            let evidence = st
                .map(|st| st.evidence.iter().map(|e| e.path().to_string()).collect())
                .unwrap_or_default();
            let (level_text, level_css) = if applicable {
                (level.as_str(), css(level))
            } else {
                ("not-applicable", "na")
            };
            Some(SoaRow {
                id: c.id.clone(),
                title: c.title.clone(),
                group: c.group.clone(),
                applicable,
                justification,
                level: level_text.to_string(),
                css: level_css.to_string(),
                owner: st
                    .and_then(|s| s.owner.as_ref())
                    .map(|o| o.0.clone())
                    .unwrap_or_default(),
                evidence,
            })
        })
        .collect()
}

fn scope_reason(control: &Control, s: &System) -> String {
    if s.lifecycle == Lifecycle::Retired {
        return format!("System `{}` is retired.", s.id);
    }
    if !control.applies_to.per_system() {
        return "Judged for the organisation as a whole, not per system.".into();
    }
    if !control.lifecycle.is_empty() && !control.lifecycle.contains(&s.lifecycle) {
        let stages: Vec<&str> = control.lifecycle.iter().map(|l| l.as_str()).collect();
        return format!(
            "Applies in the {} stages; system `{}` is in {}.",
            stages.join(", "),
            s.id,
            s.lifecycle
        );
    }
    let roles: Vec<String> = control
        .roles
        .iter()
        .map(|r| format!("{r:?}").to_lowercase())
        .collect();
    format!(
        "Concerns {} of AI systems; the organisation is the {} of `{}`.",
        roles.join(" and "),
        s.role,
        s.id
    )
}

/// Why a control is in the SoA: the risks, impact assessments and policies
/// that call for it, in the organisation's own records.
fn inclusion(project: &Project, id: &str, system: Option<&System>) -> String {
    let inv = &project.inventory;
    let applies = |systems: &[Id]| {
        system.is_none_or(|s| systems.is_empty() || systems.iter().any(|x| x.same(&s.id)))
    };
    let risks: Vec<&str> = inv
        .risks
        .iter()
        .filter(|r| applies(&r.systems) && r.controls.iter().any(|c| c.0.eq_ignore_ascii_case(id)))
        .map(|r| r.id.as_str())
        .collect();
    let ias: Vec<&str> = inv
        .impact_assessments
        .iter()
        .filter(|ia| system.is_none_or(|s| ia.system.same(&s.id)))
        .filter(|ia| {
            ia.impacts
                .iter()
                .any(|imp| imp.controls.iter().any(|c| c.0.eq_ignore_ascii_case(id)))
        })
        .map(|ia| ia.id.as_str())
        .collect();
    let policies: Vec<&str> = inv
        .policies
        .iter()
        .filter(|p| p.controls.iter().any(|c| c.0.eq_ignore_ascii_case(id)))
        .map(|p| p.id.as_str())
        .collect();
    let mut parts = Vec::new();
    if !risks.is_empty() {
        parts.push(format!("treats risks {}", risks.join(", ")));
    }
    if !ias.is_empty() {
        parts.push(format!("mitigates impacts in {}", ias.join(", ")));
    }
    if !policies.is_empty() {
        parts.push(format!("required by policy {}", policies.join(", ")));
    }
    if parts.is_empty() {
        "Included: a reference control of ISO/IEC 42001 Annex A, not excluded.".into()
    } else {
        let mut s = parts.join("; ");
        if let Some(first) = s.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        s.push('.');
        s
    }
}

pub fn soa_view(i: &Inputs, rows: &[SoaRow]) -> Value {
    let applicable = rows.iter().filter(|r| r.applicable).count();
    json!({
        "header": header(i),
        "rows": rows,
        "applicable": applicable,
        "excluded": rows.len() - applicable,
    })
}

/// CSV that opens cleanly in a spreadsheet: RFC 4180 quoting, a UTF-8 BOM
/// for Excel, and cells that start like a formula neutralised (see
/// [`escape::csv_cell`]).
pub fn soa_csv(rows: &[SoaRow]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(
        "Control,Title,Group,Applicable,Justification,Implementation level,Owner,Evidence\r\n",
    );
    for r in rows {
        let fields = [
            r.id.as_str(),
            r.title.as_str(),
            r.group.as_str(),
            if r.applicable { "yes" } else { "no" },
            r.justification.as_str(),
            r.level.as_str(),
            r.owner.as_str(),
            &r.evidence.join("; "),
        ];
        out.push_str(
            &fields
                .iter()
                .map(|f| escape::csv_cell(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_neutralises_formulas() {
        let row = SoaRow {
            id: "A.2.2".into(),
            title: "AI \"policy\"".into(),
            group: "A.2".into(),
            applicable: true,
            justification: "=HYPERLINK(\"x\")".into(),
            level: "partial".into(),
            css: "partial".into(),
            owner: "lead".into(),
            evidence: vec!["a.md".into(), "b,c.md".into()],
        };
        let csv = soa_csv(&[row]);
        let line = csv.lines().nth(1).unwrap();
        assert_eq!(
            line,
            "\"A.2.2\",\"AI \"\"policy\"\"\",\"A.2\",\"yes\",\"'=HYPERLINK(\"\"x\"\")\",\"partial\",\"lead\",\"a.md; b,c.md\""
        );
    }

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
        let rows = soa_rows(&project, &gap, None);
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
        assert!(!html.to_lowercase().contains("<img") && !html.contains("<details"));
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
}
