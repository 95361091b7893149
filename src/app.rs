//! The commands: each loads what it needs, runs the library, renders, and
//! returns the exit code of the contract (0 ok, 1 gate failed, 2 could not run).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::json;

use crate::assess::{self, Level};
use crate::catalog::{Catalog, Control};
use crate::cli::*;
use crate::diag::{self, Diagnostic, Severity};
use crate::escape::{self, md};
use crate::inventory::{self, LoadFailure, Project};
use crate::output::{self, Guard, RunError, emit, emit_human, envelope};
use crate::rules::{self, Finding};
use crate::term::{self, GREEN, RED, Table, YELLOW, paint};

pub const EXIT_OK: u8 = 0;
pub const EXIT_GATE: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Terminal settings for human output.
#[derive(Clone, Copy)]
pub struct Term {
    pub color_out: bool,
    pub color_err: bool,
    pub quiet: bool,
}

impl Term {
    pub fn new(choice: ColorChoice, quiet: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let (out, err) = match choice {
            ColorChoice::Always => (true, true),
            ColorChoice::Never => (false, false),
            ColorChoice::Auto => (
                !no_color && std::io::stdout().is_terminal(),
                !no_color && std::io::stderr().is_terminal(),
            ),
        };
        Term {
            color_out: out,
            color_err: err,
            quiet,
        }
    }
}

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    let term = Term::new(cli.color, cli.quiet);
    let result = match cli.command {
        Command::Check(a) => check(a, term),
        Command::Gap(a) => gap(a, term),
        Command::Report(a) => report_cmd(a),
        Command::Soa(a) => soa_cmd(a),
        Command::Map(a) => map_cmd(a),
        Command::Pack(a) => pack_cmd(a, term),
        Command::Verify(a) => verify_cmd(a, term),
        Command::Keygen(a) => keygen_cmd(a),
        Command::Classify(a) => classify_cmd(a),
        Command::Risks(a) => risks_cmd(a),
        Command::Readiness(a) => readiness_cmd(a),
        Command::Plan(a) => plan_cmd(a),
        Command::Controls(a) => controls(a),
        Command::Rules(a) => rules_cmd(a),
        Command::Init(a) => init(a, term),
        Command::Schema(a) => schema(a),
        Command::Completions(a) => completions(a),
        Command::Man(a) => man(a),
    };
    match result {
        Ok(code) => code,
        Err(Failure::Run(e)) => {
            term::eprint_labelled("error", RED, term.color_err, &e.to_string());
            EXIT_ERROR
        }
        Err(Failure::Load(f, json_cmd)) => {
            report_load_failure(&f, json_cmd, term);
            EXIT_ERROR
        }
    }
}

enum Failure {
    Run(RunError),
    /// A load failure; `Some(command)` prints it as a JSON envelope too
    /// (or as SARIF when the command is `sarif`).
    Load(LoadFailure, Option<&'static str>),
}

impl From<RunError> for Failure {
    fn from(e: RunError) -> Self {
        Failure::Run(e)
    }
}

fn report_load_failure(f: &LoadFailure, json_cmd: Option<&str>, term: Term) {
    if json_cmd == Some("sarif") {
        print!("{}", crate::ci::sarif_load_errors(&f.diagnostics));
    } else if let Some(cmd) = json_cmd
        && let Ok(s) = envelope(cmd, json!({"errors": f.diagnostics}))
    {
        print!("{s}");
    }
    term::eprint(
        &diag::render(&f.diagnostics, &f.sources, term.color_err),
        term.color_err,
    );
    let n = f.total;
    term::eprint_labelled(
        "error",
        RED,
        term.color_err,
        &format!(
            "could not load the inventory: {n} problem{} to fix",
            plural(n)
        ),
    );
}

fn cwd() -> Result<PathBuf, RunError> {
    std::env::current_dir()
        .map_err(|e| RunError::Io(format!("cannot read the current folder: {e}")))
}

fn load(path: Option<&Path>, json_cmd: Option<&'static str>) -> Result<Project, Failure> {
    let cwd = cwd()?;
    inventory::load(path, &cwd).map_err(|f| Failure::Load(f, json_cmd))
}

// ---------------------------------------------------------------------------
// aims check

#[derive(Serialize)]
struct Counts {
    error: usize,
    warning: usize,
    note: usize,
    waived: usize,
}

fn counts(findings: &[Finding]) -> Counts {
    let live = |s: Severity| {
        findings
            .iter()
            .filter(|f| f.waived_by.is_none() && f.severity == s)
            .count()
    };
    Counts {
        error: live(Severity::Error),
        warning: live(Severity::Warning),
        note: live(Severity::Note),
        waived: findings.iter().filter(|f| f.waived_by.is_some()).count(),
    }
}

fn check(a: CheckArgs, term: Term) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let json_cmd = match a.format {
        CheckFormat::Json => Some("check"),
        CheckFormat::Sarif => Some("sarif"),
        CheckFormat::Human => None,
    };
    let project = load(a.common.path.as_deref(), json_cmd)?;
    let findings = rules::run(&project, as_of);
    let deny = project.config.gate.deny.as_deref();
    let failed = findings.iter().any(|f| rules::denied(f, deny));
    let c = counts(&findings);
    match a.format {
        CheckFormat::Sarif => emit(
            &crate::ci::sarif(&findings),
            &a.common.out,
            Guard::Project(&project),
        )?,
        CheckFormat::Json => {
            let data = json!({
                "as_of": as_of,
                "files": project.files,
                "summary": c,
                "passed": !failed,
                "findings": findings,
            });
            emit(
                &envelope("check", data)?,
                &a.common.out,
                Guard::Project(&project),
            )?;
        }
        CheckFormat::Human => {
            let live: Vec<Diagnostic> = findings
                .iter()
                .filter(|f| f.waived_by.is_none())
                .map(|f| Diagnostic {
                    code: f.rule.to_string(),
                    severity: f.severity,
                    message: f.message.clone(),
                    help: f.help.clone(),
                    location: f.location.clone(),
                })
                .collect();
            let to_file = a.common.out.output.is_some();
            let color = term.color_out && !to_file;
            let mut text = if term.quiet && !to_file {
                String::new()
            } else {
                diag::render(&live, &project.sources, color)
            };
            let systems = project.inventory.systems.len();
            let summary = format!(
                "{}: {} file{}, {} system{}, {} statement{}; {} error{}, {} warning{}, {} note{}{} (as of {as_of})\n",
                if failed {
                    paint("failed", RED, color)
                } else {
                    paint("ok", GREEN, color)
                },
                project.files.len(),
                plural(project.files.len()),
                systems,
                plural(systems),
                project.inventory.controls.len(),
                plural(project.inventory.controls.len()),
                c.error,
                plural(c.error),
                c.warning,
                plural(c.warning),
                c.note,
                plural(c.note),
                if c.waived > 0 {
                    format!(", {} waived", c.waived)
                } else {
                    String::new()
                },
            );
            if !term.quiet || failed || to_file {
                text.push_str(&summary);
            }
            emit_human(&text, &a.common.out, color, Guard::Project(&project))?;
        }
    }
    Ok(if failed { EXIT_GATE } else { EXIT_OK })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

// ---------------------------------------------------------------------------
// aims gap

fn gap(a: GapArgs, term: Term) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let json_cmd = match a.format {
        GapFormat::Json => Some("gap"),
        GapFormat::Sarif => Some("sarif"),
        _ => None,
    };
    let fail_under = a.fail_under;
    if let Some(f) = fail_under
        && !(0.0..=100.0).contains(&f)
    {
        return Err(
            RunError::Usage(format!("--fail-under must be between 0 and 100, found {f}")).into(),
        );
    }
    // Read the baseline before any work, so a bad one fails fast.
    let baseline = match &a.baseline {
        Some(p) => Some(
            crate::safe::read_given_text(p, crate::inventory::MAX_FILE_BYTES).map_err(|why| {
                RunError::Usage(format!("cannot read baseline `{}`: {why}", p.display()))
            })?,
        ),
        None => None,
    };
    let project = load(a.common.path.as_deref(), json_cmd)?;
    let mut result = assess::gap(&project, as_of);
    if let Some(id) = &a.system {
        let known: Vec<&str> = project
            .inventory
            .systems
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        result = result.for_system(&project, id).ok_or_else(|| {
            let hint = diag::suggest(id, known.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            RunError::Usage(format!("no system `{id}` in the inventory{hint}"))
        })?;
    }
    let regressions = match &baseline {
        Some(text) => assess::regressions(&result, text)
            .map_err(|e| RunError::Usage(format!("--baseline: {e}")))?,
        None => Vec::new(),
    };
    let threshold = fail_under.or(project.config.gate.fail_under);
    let deny = project.config.gate.deny.as_deref();
    let denied: Vec<&Finding> = result
        .findings
        .iter()
        .filter(|f| rules::denied(f, deny))
        .collect();
    let under = threshold.filter(|t| result.summary.score < *t);
    let failed = !denied.is_empty() || under.is_some() || !regressions.is_empty();
    let gate = json!({
        "passed": !failed,
        "fail_under": threshold,
        "denied_findings": denied.len(),
        "regressions": regressions,
    });
    let table_colour = term.color_out && a.common.out.output.is_none();
    let text = match a.format {
        GapFormat::Json => {
            let mut data =
                serde_json::to_value(&result).map_err(|e| RunError::Io(e.to_string()))?;
            data["gate"] = gate;
            envelope("gap", data)?
        }
        GapFormat::Markdown => gap_markdown(&project, &result, &regressions),
        GapFormat::Sarif => crate::ci::sarif(&result.findings),
        GapFormat::Junit => {
            let groups: Vec<(String, String)> = project
                .catalog
                .groups
                .iter()
                .map(|g| (g.id.clone(), g.title.clone()))
                .collect();
            crate::ci::junit(&result, threshold, &denied, &groups)
        }
        GapFormat::Table => gap_table(&project, &result, table_colour),
    };
    if a.format == GapFormat::Table {
        emit_human(&text, &a.common.out, table_colour, Guard::Project(&project))?;
    } else {
        emit(&text, &a.common.out, Guard::Project(&project))?;
    }
    if !term.quiet || failed {
        let color = term.color_err;
        for r in &regressions {
            term::eprint_labelled("regression", RED, color, &r.to_string());
        }
        if let (Some(t), Some(_)) = (threshold, under) {
            term::eprint_labelled(
                "gate",
                RED,
                color,
                &format!("score {:.1} is under the gate's {t}", result.summary.score),
            );
        }
        if !denied.is_empty() {
            term::eprint_labelled(
                "gate",
                RED,
                color,
                &format!(
                    "{} finding{} at a denied severity (see `aims check`)",
                    denied.len(),
                    plural(denied.len())
                ),
            );
        }
    }
    Ok(if failed { EXIT_GATE } else { EXIT_OK })
}

const LEVEL_COLUMNS: [(&str, &str); 6] = [
    ("missing", "Miss"),
    ("partial", "Part"),
    ("implemented", "Impl"),
    ("evidenced", "Evid"),
    ("effective", "Eff"),
    ("not-applicable", "N/A"),
];

fn gap_table(project: &Project, g: &assess::Gap, color: bool) -> String {
    let mut out = String::new();
    let title = escape::term_line(&project.title()).into_owned();
    let scope = g
        .system
        .as_ref()
        .map(|s| format!(" — system `{}`", escape::term_line(s)))
        .unwrap_or_default();
    out.push_str(&format!(
        "{title}{scope}\nGap analysis against {} as of {}\n\n",
        project.catalog.standard, g.as_of
    ));
    let mut header = vec!["Group", "Title"];
    header.extend(LEVEL_COLUMNS.iter().map(|(_, h)| *h));
    header.push("Score");
    let mut t = Table::new(&header);
    for grp in &g.groups {
        let mut row = vec![grp.id.clone(), grp.title.clone()];
        row.extend(
            LEVEL_COLUMNS
                .iter()
                .map(|(k, _)| grp.counts.get(k).copied().unwrap_or(0).to_string()),
        );
        row.push(format!("{:.1}", grp.score));
        t.row(row);
    }
    let mut total = vec![
        "All".to_string(),
        format!("{} controls", g.summary.controls),
    ];
    total.extend(
        LEVEL_COLUMNS
            .iter()
            .map(|(k, _)| g.summary.counts.get(k).copied().unwrap_or(0).to_string()),
    );
    total.push(format!("{:.1}", g.summary.score));
    t.row(total);
    for i in 2..9 {
        if let Some(c) = t.layout().column_mut(i) {
            c.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    out.push_str(&t.to_string());
    out.push_str(&format!(
        "\n\nScore {:.1}/100 (evidenced and effective count fully, implemented half, partial a quarter;\nnot-applicable is left out).\n",
        g.summary.score
    ));
    // The controls furthest behind, so the table says what to do next.
    let behind: Vec<&assess::ControlGap> = g
        .controls
        .iter()
        .filter(|c| matches!(c.overall, Level::Missing | Level::Partial))
        .collect();
    if !behind.is_empty() {
        out.push_str(&format!(
            "\n{} controls are missing or partial, for example:\n",
            behind.len()
        ));
        for c in behind.iter().take(8) {
            out.push_str(&format!(
                "  {:<8} {} {}\n",
                escape::term_line(&c.id),
                paint(
                    &format!("{:<11}", c.overall.as_str()),
                    term::DIM_YELLOW,
                    color
                ),
                escape::term_line(&truncate(&c.title, 70))
            ));
        }
        if behind.len() > 8 {
            out.push_str("  … `--format markdown` lists every control.\n");
        }
    }
    let live: Vec<&Finding> = g
        .findings
        .iter()
        .filter(|f| f.waived_by.is_none())
        .collect();
    let n = |s: Severity| live.iter().filter(|f| f.severity == s).count();
    out.push_str(&format!(
        "\nFindings: {} errors, {} warnings, {} notes, {} waived. `aims check` shows each with its place.\n",
        n(Severity::Error),
        n(Severity::Warning),
        n(Severity::Note),
        g.findings.len() - live.len()
    ));
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// An id in a Markdown code span.
fn code(s: &str) -> String {
    escape::md_spans(&format!("`{s}`"))
}

fn gap_markdown(project: &Project, g: &assess::Gap, regressions: &[assess::Regression]) -> String {
    let title = project.title();
    let mut o = format!(
        "# {} — ISO/IEC 42001 gap analysis\n\nAs of {}. Score **{:.1}/100**",
        md(&title),
        g.as_of,
        g.summary.score
    );
    if let Some(s) = &g.system {
        o.push_str(&format!(" for system {}", code(s)));
    }
    o.push_str(".\n\n| Group | Title | Missing | Partial | Implemented | Evidenced | Effective | N/A | Score |\n|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
    for grp in &g.groups {
        let c = |k: &str| grp.counts.get(k).copied().unwrap_or(0);
        o.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.1} |\n",
            md(&grp.id),
            md(&grp.title),
            c("missing"),
            c("partial"),
            c("implemented"),
            c("evidenced"),
            c("effective"),
            c("not-applicable"),
            grp.score
        ));
    }
    o.push_str("\n## Controls\n\n| Control | Title | Organisation | Systems | Why |\n|---|---|---|---|---|\n");
    for c in &g.controls {
        let systems: Vec<String> = c
            .systems
            .iter()
            .map(|(s, l)| format!("{s}: {}", l.as_str()))
            .collect();
        o.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            md(&c.id),
            md(&c.title),
            c.level.as_str(),
            md(&systems.join(", ")),
            md(&c.reason)
        ));
    }
    if !regressions.is_empty() {
        o.push_str("\n## Regressions since the baseline\n\n");
        for r in regressions {
            o.push_str(&format!("- {}\n", md(&r.to_string())));
        }
    }
    let live: Vec<&Finding> = g
        .findings
        .iter()
        .filter(|f| f.waived_by.is_none())
        .collect();
    if !live.is_empty() {
        o.push_str("\n## Findings\n\n| Severity | Rule | Finding | Where |\n|---|---|---|---|\n");
        for f in live {
            let loc = f
                .location
                .as_ref()
                .map(|l| l.to_string())
                .unwrap_or_default();
            o.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                f.severity.as_str(),
                code(f.rule),
                md(&f.message),
                md(&loc)
            ));
        }
    }
    if !g.waivers.is_empty() {
        o.push_str("\n## Waivers\n\n| Waiver | Rule | Covers | Expires | Status |\n|---|---|---|---|---|\n");
        for w in &g.waivers {
            let covers = [w.control.as_deref(), w.system.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            o.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                md(&w.id),
                code(&w.rule),
                md(&covers),
                w.expires,
                w.status
            ));
        }
    }
    o
}

// ---------------------------------------------------------------------------
// aims report, aims soa

/// The folder an output lands in, for relative evidence links.
fn out_dir(out: &OutputArgs) -> Result<PathBuf, RunError> {
    let cwd = cwd()?;
    Ok(match &out.output {
        Some(p) => cwd.join(p).parent().map(Path::to_path_buf).unwrap_or(cwd),
        None => cwd,
    })
}

fn find_system<'a>(
    project: &'a Project,
    id: &str,
) -> Result<&'a crate::inventory::model::System, RunError> {
    project
        .inventory
        .systems
        .iter()
        .find(|s| s.id.0.eq_ignore_ascii_case(id))
        .ok_or_else(|| {
            let hint = diag::suggest(id, project.inventory.systems.iter().map(|s| s.id.as_str()))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            RunError::Usage(format!("no system `{id}` in the inventory{hint}"))
        })
}

fn report_cmd(a: ReportArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let engine = crate::report::engine(a.templates.as_deref())?;
    let baseline = match &a.baseline {
        Some(p) => Some(
            crate::safe::read_given_text(p, crate::inventory::MAX_FILE_BYTES).map_err(|why| {
                RunError::Usage(format!("cannot read baseline `{}`: {why}", p.display()))
            })?,
        ),
        None => None,
    };
    let project = load(a.common.path.as_deref(), None)?;
    let evidence = crate::evidence::Evidence::new(&project.evidence_root);
    let gap = assess::gap_with(&project, as_of, &evidence);
    let regressions = match &baseline {
        Some(t) => Some(
            assess::regressions(&gap, t)
                .map_err(|e| RunError::Usage(format!("--baseline: {e}")))?,
        ),
        None => None,
    };
    let inputs = crate::report::Inputs {
        project: &project,
        gap: &gap,
        as_of,
        generated_at: output::generated_at()?
            .format("%Y-%m-%d %H:%M UTC")
            .to_string(),
        out_dir: out_dir(&a.common.out)?,
        link_root: project.evidence_root.clone(),
        regressions: regressions.as_deref(),
        crosswalks: crate::crosswalk::report_sections(&project, &gap),
        evidence: &evidence,
    };
    crate::report::check_size(&project, &gap, "the report")?;
    let ctx = crate::report::context(crate::report::report_view(&inputs))?;
    let name = match a.format {
        DocFormat::Html => "report.html",
        DocFormat::Markdown => "report.md",
    };
    output::emit_with(&a.common.out, Guard::Project(&project), &mut |w| {
        crate::report::render_to(&engine, name, &ctx, w)
    })?;
    Ok(EXIT_OK)
}

fn soa_cmd(a: SoaArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let engine = crate::report::engine(a.templates.as_deref())?;
    let project = load(
        a.common.path.as_deref(),
        (a.format == SoaFormat::Json).then_some("soa"),
    )?;
    let evidence = crate::evidence::Evidence::new(&project.evidence_root);
    let mut gap = assess::gap_with(&project, as_of, &evidence);
    let system = match &a.system {
        Some(id) => Some(find_system(&project, id)?),
        None => None,
    };
    if let Some(s) = system {
        gap.system = Some(s.id.0.clone());
    }
    let rows = crate::report::soa_rows(&project, &gap, system);
    let inputs = crate::report::Inputs {
        project: &project,
        gap: &gap,
        as_of,
        generated_at: output::generated_at()?
            .format("%Y-%m-%d %H:%M UTC")
            .to_string(),
        out_dir: out_dir(&a.common.out)?,
        link_root: project.evidence_root.clone(),
        regressions: None,
        crosswalks: Vec::new(),
        evidence: &evidence,
    };
    let text = match a.format {
        SoaFormat::Csv => crate::report::soa_csv(&rows),
        SoaFormat::Json => envelope(
            "soa",
            json!({"as_of": as_of, "system": gap.system, "controls": rows}),
        )?,
        SoaFormat::Markdown => {
            crate::report::render(&engine, "soa.md", &crate::report::soa_view(&inputs, &rows))?
        }
        SoaFormat::Html => crate::report::render(
            &engine,
            "soa.html",
            &crate::report::soa_view(&inputs, &rows),
        )?,
    };
    emit(&text, &a.common.out, Guard::Project(&project))?;
    Ok(EXIT_OK)
}

// ---------------------------------------------------------------------------
// aims pack, aims verify, aims keygen

fn pack_cmd(a: PackArgs, term: Term) -> Result<u8, Failure> {
    use crate::pack::{Content, Entry};
    let as_of = output::as_of(a.as_of.as_deref())?;
    let generated = output::generated_at()?;
    let signing = match &a.sign {
        Some(k) => Some(crate::pack::read_secret_key(k)?),
        None => None,
    };
    if !a.force && a.output.symlink_metadata().is_ok() {
        return Err(RunError::Usage(format!(
            "`{}` already exists; pass --force to replace it",
            a.output.display()
        ))
        .into());
    }
    let engine = crate::report::engine(None)?;
    let project = load(a.path.as_deref(), None)?;
    let evidence = crate::evidence::Evidence::new(&project.evidence_root);
    let gap = assess::gap_with(&project, as_of, &evidence);
    let generated_text = generated.format("%Y-%m-%d %H:%M UTC").to_string();
    let virtual_root = PathBuf::from("/aims-pack");
    // Only the report has crosswalk sections; the SoA does not need them.
    let inputs = |dir: &str, crosswalks: Vec<serde_json::Value>| crate::report::Inputs {
        project: &project,
        gap: &gap,
        as_of,
        generated_at: generated_text.clone(),
        out_dir: virtual_root.join(dir),
        link_root: virtual_root.join("evidence"),
        regressions: None,
        crosswalks,
        evidence: &evidence,
    };
    let mut entries: Vec<Entry> = Vec::new();
    let bytes = |s: String| Content::Bytes(s.into_bytes());
    // The pack holds the report: refused, by name, before it is built when too large.
    crate::report::check_size(&project, &gap, "the pack's report")?;
    let ctx = crate::report::context(crate::report::report_view(&inputs(
        "reports",
        crate::crosswalk::report_sections(&project, &gap),
    )))?;
    for (path, name) in [
        ("reports/report.html", "report.html"),
        ("reports/report.md", "report.md"),
    ] {
        let mut out = Vec::new();
        crate::report::render_to(&engine, name, &ctx, &mut out)?;
        entries.push(Entry {
            path: path.into(),
            content: Content::Bytes(out),
        });
    }
    drop(ctx);
    let rows = crate::report::soa_rows(&project, &gap, None);
    let soa = crate::report::soa_view(&inputs("soa", Vec::new()), &rows);
    entries.push(Entry {
        path: "soa/soa.md".into(),
        content: bytes(crate::report::render(&engine, "soa.md", &soa)?),
    });
    entries.push(Entry {
        path: "soa/soa.html".into(),
        content: bytes(crate::report::render(&engine, "soa.html", &soa)?),
    });
    entries.push(Entry {
        path: "soa/soa.csv".into(),
        content: bytes(crate::report::soa_csv(&rows)),
    });
    let mut gap_json = serde_json::to_value(&gap).map_err(|e| RunError::Io(e.to_string()))?;
    gap_json["gate"] = json!({"fail_under": project.config.gate.fail_under});
    entries.push(Entry {
        path: "data/gap.json".into(),
        content: bytes(envelope("gap", gap_json)?),
    });
    let act = &project.catalog.ai_act;
    let systems: Vec<serde_json::Value> = project
        .inventory
        .systems
        .iter()
        .map(|s| {
            let c = crate::classify::classify(s, act, as_of);
            json!({"id": s.id, "tier": c.tier, "basis": c.basis, "obligations": c.obligations})
        })
        .collect();
    entries.push(Entry {
        path: "data/classification.json".into(),
        content: bytes(envelope(
            "classify",
            json!({"as_of": as_of, "systems": systems}),
        )?),
    });
    // The inventory as it is: aims.toml, inventory files and catalogue overlays,
    // each read through the safe reader under the repository root.
    let repo = std::sync::Arc::new(crate::safe::Root::new(&project.root));
    let mut sources: Vec<PathBuf> = Vec::new();
    if let Some(c) = &project.config_path {
        sources.push(c.clone());
    }
    sources.extend(project.paths.iter().cloned());
    for x in &project.config.catalog.extra {
        sources.push(project.root.join(x));
    }
    for src in sources {
        let rel = src
            .strip_prefix(&project.root)
            .ok()
            .or_else(|| src.file_name().map(Path::new))
            .unwrap_or(&src);
        // The loader refused names that are not UTF-8: every name is exact.
        let rel = crate::evidence::rel_name(rel).ok_or_else(|| {
            RunError::Usage(format!(
                "cannot pack `{}`: {}",
                crate::evidence::rel_text(rel),
                crate::evidence::not_utf8_reason(rel)
            ))
        })?;
        entries.push(Entry {
            path: format!("inventory/{rel}"),
            content: Content::File(repo.clone(), src),
        });
    }
    let (files, left_out) = crate::pack::evidence_files(&project, &evidence);
    let evidence_root = std::sync::Arc::new(crate::safe::Root::new(&project.evidence_root));
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
    let index = crate::report::render(
        &engine,
        "pack-index.html",
        &json!({"title": project.title(), "as_of": as_of.to_string(), "generated_at": generated_text, "tool": format!("aims {}", env!("CARGO_PKG_VERSION")),
                "score": format!("{:.1}", gap.summary.score), "files": listing, "left_out": left_out}),
    )?;
    entries.push(Entry {
        path: "index.html".into(),
        content: bytes(index),
    });
    entries.sort_by(|x, y| x.path.cmp(&y.path));

    // Sizes for the progress bar only; what is packed is what is read.
    let total: u64 = entries
        .iter()
        .map(|e| match &e.content {
            Content::Bytes(b) => b.len() as u64,
            Content::File(root, p) => std::fs::symlink_metadata(root.path().join(p))
                .map(|m| m.len())
                .unwrap_or(0),
        })
        .sum();
    let bar = progress_bar(total, term);
    let git_commit = crate::pack::git_commit(&project.root);
    let make_manifest = |records: Vec<crate::pack::FileRecord>| {
        let manifest = crate::pack::Manifest {
            format: "aims-pack".into(),
            format_version: 1,
            tool: "aims".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            catalog: project.catalog.standard.clone(),
            catalog_version: project.catalog.version.clone(),
            as_of: as_of.to_string(),
            generated_at: generated.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            git_commit: git_commit.clone(),
            files: records,
            left_out: left_out.clone(),
        };
        let mut manifest_bytes = escape::json_pretty(&manifest)
            .map_err(|e| RunError::Io(e.to_string()))?
            .into_bytes();
        manifest_bytes.push(b'\n');
        let signature = signing
            .as_ref()
            .map(|k| crate::pack::sign(k, &manifest_bytes));
        Ok((manifest_bytes, signature))
    };
    let records = crate::pack::write(
        &a.output,
        &entries,
        &make_manifest,
        generated,
        a.force,
        Guard::Project(&project),
        &|n| bar.inc(n),
    )?;
    bar.finish_and_clear();
    let packed: u64 = records.iter().map(|r| r.size).sum();
    if !term.quiet {
        term::eprint(
            &format!(
                "packed {} files ({:.1} MB) into {}{}\n",
                records.len(),
                packed as f64 / 1e6,
                escape::term_line(&a.output.display().to_string()),
                if signing.is_some() { ", signed" } else { "" }
            ),
            term.color_err,
        );
        for l in &left_out {
            term::eprint_labelled(
                "warning",
                YELLOW,
                term.color_err,
                &escape::term_line(&format!("left out {} ({}): {}", l.cited, l.by, l.reason)),
            );
        }
    }
    Ok(EXIT_OK)
}

/// A progress bar on a terminal for large packs; nothing in CI or in a pipe.
fn progress_bar(total: u64, term: Term) -> indicatif::ProgressBar {
    let show = !term.quiet
        && std::io::stdout().is_terminal()
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
        && total > 50_000_000;
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("hashing {bar:40} {bytes}/{total_bytes} {eta}")
    {
        bar.set_style(style);
    }
    bar
}

fn verify_cmd(a: VerifyArgs, term: Term) -> Result<u8, Failure> {
    let v = crate::pack::verify(&a.pack, a.key.as_deref())?;
    let ok = v.ok();
    match a.format {
        ListFormat::Json => emit(
            &envelope("verify", json!({"pack": a.pack, "ok": ok, "result": v}))?,
            &OutputArgs::default(),
            Guard::None,
        )?,
        ListFormat::Table => {
            let mut out = String::new();
            for (what, list) in [
                ("changed", &v.changed),
                ("missing", &v.missing),
                ("extra", &v.extra),
            ] {
                for f in list {
                    out.push_str(&format!("{what}: {}\n", escape::term_line(f)));
                }
            }
            if let Some(s) = &v.signature {
                out.push_str(&format!("signature: {}\n", escape::term_line(s)));
            }
            let verdict = if ok {
                paint("ok", GREEN, term.color_out)
            } else {
                paint("FAILED", RED, term.color_out)
            };
            out.push_str(&format!(
                "{verdict}: {} files in the manifest; {} changed, {} missing, {} extra\n",
                v.files,
                v.changed.len(),
                v.missing.len(),
                v.extra.len()
            ));
            if !term.quiet || !ok {
                emit_human(&out, &OutputArgs::default(), term.color_out, Guard::None)?;
            }
        }
    }
    Ok(if ok { EXIT_OK } else { EXIT_GATE })
}

fn keygen_cmd(a: KeygenArgs) -> Result<u8, Failure> {
    let secret = a.output.clone();
    let public = PathBuf::from(format!("{}.pub", a.output.display()));
    for p in [&secret, &public] {
        if p.symlink_metadata().is_ok() {
            return Err(RunError::Usage(format!(
                "`{}` already exists; aims keygen never overwrites a key",
                p.display()
            ))
            .into());
        }
    }
    let (s, p) = crate::pack::keygen()?;
    // Private from its first byte: never readable by others, not even briefly.
    output::write_file_mode(&secret, s.as_bytes(), false, Guard::None, 0o600)?;
    output::write_file(&public, p.as_bytes(), false, Guard::None)?;
    emit_human(
        &format!(
            "wrote {} (keep it secret) and {} (give it to the auditor)\n",
            escape::term_line(&secret.display().to_string()),
            escape::term_line(&public.display().to_string())
        ),
        &OutputArgs::default(),
        false,
        Guard::None,
    )?;
    Ok(EXIT_OK)
}

// ---------------------------------------------------------------------------
// aims map

fn map_cmd(a: MapArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let cw = crate::crosswalk::get(a.to.key())
        .ok_or_else(|| RunError::Usage(format!("no crosswalk `{}`", a.to.key())))?;
    // With an inventory (given, or found from here), items carry levels; without one, the bare crosswalk.
    let project = match &a.common.path {
        Some(p) => Some(load(
            Some(p),
            (a.format == TableFormat::Json).then_some("map"),
        )?),
        None => inventory::load(None, &cwd()?).ok(),
    };
    let gap = project.as_ref().map(|p| assess::gap(p, as_of));
    let items = crate::crosswalk::map(cw, gap.as_ref());
    let text = match a.format {
        TableFormat::Json => envelope(
            "map",
            json!({"target": cw.target, "title": cw.title, "sources": cw.sources, "with_inventory": gap.is_some(), "items": items}),
        )?,
        TableFormat::Markdown => {
            let mut o = format!("# ISO/IEC 42001 → {}\n\n", md(&cw.title));
            if let Some(p) = &project {
                o.push_str(&format!(
                    "Levels for {} as of {as_of}: the lowest of the controls behind each item.\n\n",
                    md(&p.title())
                ));
            }
            o.push_str("| Item | Title | Level | ISO/IEC 42001 controls (relationship, source) |\n| --- | --- | --- | --- |\n");
            for it in &items {
                let controls: Vec<String> = it
                    .controls
                    .iter()
                    .map(|c| {
                        format!("{} ({:?}, {})", c.id, c.relationship, c.source)
                            .to_lowercase()
                            .replace(&c.id.to_lowercase(), &c.id)
                    })
                    .collect();
                o.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    it.id,
                    md(&it.title),
                    it.level.map_or("—", |l| l.as_str()),
                    if controls.is_empty() {
                        "—".to_string()
                    } else {
                        controls.join(", ")
                    }
                ));
            }
            o.push_str("\nSources:\n");
            for s in &cw.sources {
                o.push_str(&format!(
                    "- `{}`: {}{}\n",
                    s.id,
                    md(&s.title),
                    s.url
                        .as_ref()
                        .map(|u| format!(" <{u}>"))
                        .unwrap_or_default()
                ));
            }
            o
        }
        TableFormat::Table => {
            let mut header = vec!["Item", "Title", "ISO/IEC 42001 controls"];
            if gap.is_some() {
                header.insert(2, "Level");
            }
            let mut t = Table::new(&header);
            for it in &items {
                let controls: Vec<String> = it
                    .controls
                    .iter()
                    .map(|c| match c.level {
                        Some(l) => format!("{} {}", c.id, l.as_str()),
                        None => c.id.clone(),
                    })
                    .collect();
                let mut row = vec![
                    it.id.clone(),
                    it.title.clone(),
                    if controls.is_empty() {
                        "—".into()
                    } else {
                        controls.join(", ")
                    },
                ];
                if gap.is_some() {
                    row.insert(2, it.level.map_or("—", |l| l.as_str()).to_string());
                }
                t.row(row);
            }
            let mapped = items.iter().filter(|i| !i.controls.is_empty()).count();
            format!(
                "ISO/IEC 42001 → {}\n{t}\n{mapped} of {} items have ISO/IEC 42001 controls behind them. Sources and relationships: --format json.\n",
                cw.title,
                items.len()
            )
        }
    };
    if a.format == TableFormat::Table {
        emit_human(
            &text,
            &a.common.out,
            false,
            project.as_ref().map_or(Guard::None, Guard::Project),
        )?;
    } else {
        emit(
            &text,
            &a.common.out,
            project.as_ref().map_or(Guard::None, Guard::Project),
        )?;
    }
    Ok(EXIT_OK)
}

// ---------------------------------------------------------------------------
// aims classify

fn classify_cmd(a: ClassifyArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let project = load(
        a.common.path.as_deref(),
        (a.format == ListFormat::Json).then_some("classify"),
    )?;
    let act = &project.catalog.ai_act;
    let mut systems: Vec<&crate::inventory::model::System> =
        project.inventory.systems.iter().collect();
    if let Some(id) = &a.system {
        systems.retain(|s| s.id.0.eq_ignore_ascii_case(id));
        if systems.is_empty() {
            let hint = diag::suggest(id, project.inventory.systems.iter().map(|s| s.id.as_str()))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(RunError::Usage(format!("no system `{id}` in the inventory{hint}")).into());
        }
    }
    let rows: Vec<(
        &crate::inventory::model::System,
        crate::classify::Classification,
    )> = systems
        .into_iter()
        .map(|s| (s, crate::classify::classify(s, act, as_of)))
        .collect();
    let text = match a.format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .map(|(s, c)| {
                    json!({
                        "id": s.id, "name": s.name, "role": s.role, "lifecycle": s.lifecycle,
                        "tier": c.tier, "declared_tier": s.eu_ai_act.as_ref().and_then(|e| e.declared_tier),
                        "assessed": c.assessed, "gpai": c.gpai, "basis": c.basis, "obligations": c.obligations,
                    })
                })
                .collect();
            envelope(
                "classify",
                json!({"as_of": as_of, "regulation": act.regulation, "systems": list}),
            )?
        }
        ListFormat::Table => {
            let mut out = format!(
                "EU AI Act classification as of {as_of} ({})\n\n",
                act.regulation
            );
            let mut t = Table::new(&["System", "Role", "Tier", "Basis", "Obligations"]);
            for (s, c) in &rows {
                let in_force = c.obligations.iter().filter(|o| o.in_force).count();
                let later = c.obligations.len() - in_force;
                let next = c
                    .obligations
                    .iter()
                    .filter(|o| !o.in_force)
                    .map(|o| o.applies_from)
                    .min();
                let mut tier = c.tier.as_str().to_string();
                if let Some(d) = s
                    .eu_ai_act
                    .as_ref()
                    .and_then(|e| e.declared_tier)
                    .filter(|d| *d != c.tier)
                {
                    tier.push_str(&format!(" (declared {d})"));
                }
                if !c.assessed {
                    tier = "not assessed".into();
                }
                let obligations = match next {
                    Some(d) => format!("{in_force} in force, {later} from {d}"),
                    None => format!("{in_force} in force"),
                };
                t.row(vec![
                    format!("{}\n{}", s.id, escape::term_line(&s.name)),
                    s.role.as_str().to_string(),
                    tier,
                    c.basis.join("\n"),
                    obligations,
                ]);
            }
            out.push_str(&t.to_string());
            out.push('\n');
            for (s, c) in &rows {
                if c.obligations.is_empty() {
                    continue;
                }
                out.push_str(&format!(
                    "\n{} — {} ({})\n",
                    escape::term_line(&s.id.0),
                    c.tier,
                    s.role
                ));
                for o in &c.obligations {
                    let when = if o.in_force {
                        "in force  ".to_string()
                    } else {
                        format!("{}", o.applies_from)
                    };
                    let moved = o
                        .original_date
                        .map(|d| format!(" (was {d})"))
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "  {when:<10}  {:<10} {:<9} {}{moved}\n",
                        o.article,
                        o.role,
                        truncate(&o.title, 46)
                    ));
                }
            }
            out.push_str("\n\"was\": the date as adopted in 2024, before the Digital Omnibus on AI moved it.\nOverride dates in aims.toml [regulation.dates].\n");
            out
        }
    };
    if a.format == ListFormat::Table {
        emit_human(&text, &a.common.out, false, Guard::Project(&project))?;
    } else {
        emit(&text, &a.common.out, Guard::Project(&project))?;
    }
    Ok(EXIT_OK)
}

// ---------------------------------------------------------------------------
// aims risks

fn heat_text(title: &str, m: &[[usize; 5]; 5], appetite: u8) -> String {
    let mut o = format!("{title}\n            likelihood →\n             1    2    3    4    5\n");
    for i in (1..=5u8).rev() {
        o.push_str(&format!("  impact {i} "));
        for l in 1..=5u8 {
            let n = m[usize::from(i - 1)][usize::from(l - 1)];
            let cell = if n == 0 {
                "·".to_string()
            } else {
                n.to_string()
            };
            // Cells above appetite are bracketed.
            if u16::from(l) * u16::from(i) > u16::from(appetite) {
                o.push_str(&format!(" [{cell:>1}] "));
            } else {
                o.push_str(&format!("  {cell:>1}  "));
            }
        }
        o.push('\n');
    }
    o
}

fn risks_cmd(a: RisksArgs) -> Result<u8, Failure> {
    let project = load(
        a.common.path.as_deref(),
        (a.format == ListFormat::Json).then_some("risks"),
    )?;
    let inv = &project.inventory;
    let appetite = inv.risk_appetite();
    let inherent = crate::report::heat(inv.risks.iter().map(|r| (r.likelihood.0, r.impact.0)));
    let residual = crate::report::heat(inv.risks.iter().map(|r| {
        r.residual
            .as_ref()
            .map_or((r.likelihood.0, r.impact.0), |x| {
                (x.likelihood.0, x.impact.0)
            })
    }));
    let text = match a.format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = inv
                .risks
                .iter()
                .map(|r| {
                    let score = r.score();
                    let res = r.residual_score();
                    json!({
                        "id": r.id, "title": r.title, "systems": r.systems, "source": r.source, "objective": r.objective,
                        "likelihood": r.likelihood, "impact": r.impact, "score": score,
                        "above_appetite": score > u16::from(appetite), "treatment": r.treatment,
                        "controls": r.controls, "residual_score": res, "owner": r.owner,
                        "accepted_by": r.accepted_by, "review_by": r.review_by,
                    })
                })
                .collect();
            envelope(
                "risks",
                json!({"appetite": appetite, "risks": list,
                       "heatmap": {"axes": "[impact 1-5][likelihood 1-5]", "inherent": inherent, "residual": residual}}),
            )?
        }
        ListFormat::Table => {
            let mut t = Table::new(&[
                "Risk and owner",
                "Title (scope)",
                "L×I",
                "Treatment",
                "Residual",
            ]);
            for r in &inv.risks {
                let score = r.score();
                let mark = if score > u16::from(appetite) {
                    " !"
                } else {
                    ""
                };
                let res = r
                    .residual
                    .as_ref()
                    .map(|x| {
                        format!(
                            "{}×{}={}",
                            x.likelihood.0,
                            x.impact.0,
                            r.residual_score().unwrap_or_default()
                        )
                    })
                    .unwrap_or_else(|| "—".into());
                let systems: Vec<&str> = r.systems.iter().map(|s| s.as_str()).collect();
                let scope = if systems.is_empty() {
                    "organisation".to_string()
                } else {
                    systems.join(", ")
                };
                let owner = r
                    .owner
                    .as_ref()
                    .map_or_else(|| "no owner".to_string(), |o| o.0.clone());
                t.row(vec![
                    format!("{}\n  {owner}", r.id.0),
                    format!("{}\n({scope})", escape::term_line(&r.title)),
                    format!("{}×{}={score}{mark}", r.likelihood.0, r.impact.0),
                    r.treatment.map(|t| t.as_str()).unwrap_or("—").to_string(),
                    res,
                ]);
            }
            // Ids and scores stay on one line; the title takes the rest.
            use comfy_table::{ColumnConstraint::*, Width::Fixed};
            t.layout().set_constraints(vec![
                ContentWidth,
                LowerBoundary(Fixed(24)),
                ContentWidth,
                ContentWidth,
                ContentWidth,
            ]);
            format!(
                "Risk register: {} risks, appetite {appetite} (! marks a score above it)\n{t}\n\n{}\n{}",
                inv.risks.len(),
                heat_text("Inherent risk", &inherent, appetite),
                heat_text(
                    "Residual risk (inherent where no residual is recorded)",
                    &residual,
                    appetite
                )
            )
        }
    };
    if a.format == ListFormat::Table {
        emit_human(&text, &a.common.out, false, Guard::Project(&project))?;
    } else {
        emit(&text, &a.common.out, Guard::Project(&project))?;
    }
    Ok(EXIT_OK)
}

// ---------------------------------------------------------------------------
// aims readiness, aims plan

fn readiness_cmd(a: ReadinessArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let project = load(
        a.common.path.as_deref(),
        (a.format == TableFormat::Json).then_some("readiness"),
    )?;
    let gap = assess::gap(&project, as_of);
    let r = crate::readiness::readiness(&project, &gap, as_of);
    let text = match a.format {
        TableFormat::Json => envelope("readiness", &r)?,
        TableFormat::Table => crate::readiness::readiness_table(&r),
        TableFormat::Markdown => crate::readiness::readiness_markdown(&r),
    };
    if a.format == TableFormat::Table {
        emit_human(&text, &a.common.out, false, Guard::Project(&project))?;
    } else {
        emit(&text, &a.common.out, Guard::Project(&project))?;
    }
    Ok(EXIT_OK)
}

fn plan_cmd(a: PlanArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let project = load(
        a.common.path.as_deref(),
        (a.format == PlanFormat::Json).then_some("plan"),
    )?;
    let gap = assess::gap(&project, as_of);
    let p = crate::readiness::plan(&project, &gap, as_of);
    let text = match a.format {
        PlanFormat::Json => envelope("plan", &p)?,
        PlanFormat::Markdown => crate::readiness::plan_markdown(&p),
    };
    emit(&text, &a.common.out, Guard::Project(&project))?;
    Ok(EXIT_OK)
}

// ---------------------------------------------------------------------------
// aims controls

/// The embedded catalogue with the overlays of the AIMS found at `path`
/// (or from the current folder). No AIMS is fine; a broken overlay is not.
fn catalog_for(path: Option<&Path>) -> Result<Catalog, Failure> {
    let cwd = cwd()?;
    let config_path = match path {
        Some(p) => {
            let p = cwd.join(p);
            if p.is_dir() {
                Some(p.join(crate::config::CONFIG_FILE)).filter(|c| c.is_file())
            } else {
                Some(p)
            }
        }
        None => crate::config::find_upwards(&cwd),
    };
    let Some(cp) = config_path else {
        return Ok(Catalog::embedded().clone());
    };
    // Reuse the full loader so overlay errors read the same everywhere.
    match inventory::load(Some(&cp), &cwd) {
        Ok(p) => Ok(p.catalog),
        Err(f) => Err(Failure::Load(f, None)),
    }
}

fn controls(a: ControlsArgs) -> Result<u8, Failure> {
    let catalog = catalog_for(a.path.as_deref())?;
    if let Some(id) = &a.id {
        let Some(c) = catalog.get(id) else {
            let hint = diag::suggest(id, catalog.ids())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(RunError::Usage(format!(
                "`{id}` is not in the catalogue{hint}; `aims controls` lists them all"
            ))
            .into());
        };
        let text = match a.format {
            ListFormat::Json => envelope("controls", json!({"controls": [c]}))?,
            ListFormat::Table => describe_control(&catalog, c),
        };
        if a.format == ListFormat::Table {
            emit_human(&text, &a.out, false, Guard::None)?;
        } else {
            emit(&text, &a.out, Guard::None)?;
        }
        return Ok(EXIT_OK);
    }
    let text = match a.format {
        ListFormat::Json => envelope(
            "controls",
            json!({
                "catalog": {"standard": catalog.standard, "version": catalog.version},
                "groups": catalog.groups,
                "controls": catalog.controls,
            }),
        )?,
        ListFormat::Table => {
            let mut t = Table::new(&["ID", "Title", "Group", "Judged for", "Roles"]);
            for c in &catalog.controls {
                let roles: Vec<&str> = c
                    .roles
                    .iter()
                    .map(|r| match r {
                        crate::catalog::CatalogRole::Provider => "provider",
                        crate::catalog::CatalogRole::Deployer => "deployer",
                    })
                    .collect();
                t.row(vec![
                    c.id.clone(),
                    c.title.clone(),
                    c.group.clone(),
                    c.applies_to.as_str().to_string(),
                    roles.join(", "),
                ]);
            }
            let clauses = catalog
                .controls
                .iter()
                .filter(|c| c.kind == crate::catalog::Kind::Clause)
                .count();
            let annex = catalog
                .controls
                .iter()
                .filter(|c| c.kind == crate::catalog::Kind::AnnexA)
                .count();
            let custom = catalog.controls.len() - clauses - annex;
            format!(
                "{t}\n{} {}: {clauses} clauses, {annex} Annex A controls{}. `aims controls ID` shows one in full.\n",
                catalog.standard,
                catalog.version,
                if custom > 0 {
                    format!(", {custom} custom")
                } else {
                    String::new()
                }
            )
        }
    };
    if a.format == ListFormat::Table {
        emit_human(&text, &a.out, false, Guard::None)?;
    } else {
        emit(&text, &a.out, Guard::None)?;
    }
    Ok(EXIT_OK)
}

/// `aims controls ID`: every catalogue field, user text escaped (an
/// overlay can set the title, subgroup, wording and evidence of a control).
fn describe_control(catalog: &Catalog, c: &Control) -> String {
    let line = |x: &str| escape::term_line(x).into_owned();
    let group = catalog
        .group(&c.group)
        .map(|g| format!("{} {}", g.id, g.title))
        .unwrap_or_else(|| c.group.clone());
    let mut s = format!("{} {}\n", line(&c.id), line(&c.title));
    s.push_str(&format!("  group:       {}\n", line(&group)));
    if let Some(sg) = &c.subgroup {
        s.push_str(&format!("  subgroup:    {}\n", line(sg)));
    }
    s.push_str(&format!("  kind:        {}\n", c.kind.as_str()));
    let roles: Vec<String> = c
        .roles
        .iter()
        .map(|r| format!("{r:?}").to_lowercase())
        .collect();
    s.push_str(&format!(
        "  judged for:  {}{}\n",
        c.applies_to.as_str(),
        if roles.is_empty() {
            String::new()
        } else {
            format!(" (system roles: {})", roles.join(", "))
        }
    ));
    if !c.lifecycle.is_empty() {
        let l: Vec<&str> = c.lifecycle.iter().map(|l| l.as_str()).collect();
        s.push_str(&format!("  life cycle:  {}\n", l.join(", ")));
    }
    s.push_str(&format!(
        "  stage:       {}\n",
        if c.stage == crate::catalog::Stage::Documentation {
            "documentation (Stage 1)"
        } else {
            "operation (Stage 2)"
        }
    ));
    s.push_str(&format!(
        "  freshness:   evidence older than {} is stale\n",
        c.freshness
    ));
    s.push_str(&format!(
        "  effort:      about {} week{}\n",
        c.effort_weeks,
        plural(c.effort_weeks as usize)
    ));
    s.push_str(&format!("\nWhat it asks\n  {}\n", escape::term(&c.asks)));
    if let Some(t) = &c.text {
        s.push_str(&format!(
            "\nYour licensed text ({})\n  {}\n",
            line(&c.source),
            escape::term(t)
        ));
    }
    s.push_str("\nEvidence an auditor looks for\n");
    for e in &c.evidence {
        s.push_str(&format!("  - {}\n", line(e)));
    }
    s
}

// ---------------------------------------------------------------------------
// aims rules

fn rules_cmd(a: RulesArgs) -> Result<u8, Failure> {
    if let Some(id) = &a.id {
        let Some(r) = rules::explain(id) else {
            let hint = diag::suggest(
                id,
                rules::RULES.iter().chain(rules::LOAD_CODES).map(|r| r.id),
            )
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
            return Err(
                RunError::Usage(format!("no rule `{id}`{hint}; `aims rules` lists them")).into(),
            );
        };
        let text = match a.format {
            RulesFormat::Json => envelope("rules", json!({"rules": [r]}))?,
            RulesFormat::Markdown => format!(
                "### {}\n\n{} (default: {})\n\n**Why.** {}\n\n**How to fix.** {}\n",
                code(r.id),
                escape::md(r.summary),
                r.severity.as_str(),
                escape::md_spans(r.explain),
                escape::md_spans(r.fix)
            ),
            RulesFormat::Table if rules::rule(id).is_none() => format!(
                "{} (a load error: exit 2)\n  {}\n\nWhy\n  {}\n\nHow to fix\n  {}\n\nLoad errors are always errors; they cannot be configured or waived.\n",
                r.id, r.summary, r.explain, r.fix
            ),
            RulesFormat::Table => format!(
                "{} ({} by default)\n  {}\n\nWhy\n  {}\n\nHow to fix\n  {}\n\nConfigure in aims.toml: [rules] \"{}\" = \"error\" | \"warning\" | \"note\" | \"off\"\n",
                r.id,
                r.severity.as_str(),
                r.summary,
                r.explain,
                r.fix,
                r.id
            ),
        };
        emit(&text, &a.out, Guard::None)?;
        return Ok(EXIT_OK);
    }
    let text = match a.format {
        RulesFormat::Json => envelope(
            "rules",
            json!({"rules": rules::RULES, "load_codes": rules::LOAD_CODES}),
        )?,
        RulesFormat::Markdown => rules_markdown(),
        RulesFormat::Table => {
            let mut t = Table::new(&["Rule", "Default", "What it finds"]);
            for r in rules::RULES {
                t.row(vec![r.id, r.severity.as_str(), r.summary]);
            }
            let mut l = Table::new(&["Load error (exit 2)", "What it means"]);
            for r in rules::LOAD_CODES {
                l.row(vec![r.id, r.summary]);
            }
            format!(
                "{t}\n{l}\n`aims rules ID` explains one rule or load error and how to fix it.\n"
            )
        }
    };
    emit(&text, &a.out, Guard::None)?;
    Ok(EXIT_OK)
}

/// The rules table of the README (between its `rules` markers), made from
/// the registry so that the two never differ (a test in tests/cli.rs).
pub fn rules_markdown() -> String {
    let mut o = String::from("| rule | default | what it finds |\n| --- | --- | --- |\n");
    for r in rules::RULES {
        o.push_str(&format!(
            "| {} | {} | {} |\n",
            code(r.id),
            r.severity.as_str(),
            escape::md_spans(r.summary)
        ));
    }
    o.push_str("\nLoad errors stop the run with exit code 2; they are always errors and\ncannot be configured or waived.\n\n| load error | what it means |\n| --- | --- |\n");
    for r in rules::LOAD_CODES {
        o.push_str(&format!(
            "| {} | {} |\n",
            code(r.id),
            escape::md_spans(r.summary)
        ));
    }
    o
}

// ---------------------------------------------------------------------------
// aims init

const INIT_TOML: &str = include_str!("../templates/init/aims.toml");
const INIT_YAML: &str = include_str!("../templates/init/aims.yaml");
const INIT_POLICY: &str = include_str!("../templates/init/ai-policy.md");

fn init(a: InitArgs, term: Term) -> Result<u8, Failure> {
    let dir = match &a.path {
        Some(p) => cwd()?.join(p),
        None => cwd()?,
    };
    let today = output::as_of(a.as_of.as_deref())?;
    if a.name.contains(['"', '\\']) || a.name.chars().any(escape::is_control) {
        return Err(RunError::Usage(
            "--name cannot contain quotes, backslashes, line breaks or control characters".into(),
        )
        .into());
    }
    let schema = schema_json()?;
    let files: Vec<(&str, String)> = vec![
        ("aims.toml", INIT_TOML.to_string()),
        (
            "aims.yaml",
            INIT_YAML
                .replace("{{name}}", &a.name)
                .replace("{{today}}", &today.to_string()),
        ),
        ("aims.schema.json", schema),
        (
            "docs/ai-policy.md",
            INIT_POLICY
                .replace("{{name}}", &a.name)
                .replace("{{today}}", &today.to_string()),
        ),
    ];
    // Undo first what an init killed half-way here had put in place.
    output::sweep_stale(&dir);
    // Never overwrite: if any file exists, write none of them.
    let existing: Vec<String> = files
        .iter()
        .filter(|(f, _)| dir.join(f).symlink_metadata().is_ok())
        .map(|(f, _)| f.to_string())
        .collect();
    if !existing.is_empty() {
        return Err(RunError::Usage(format!(
            "`{}` already has {}; aims init changed nothing (it never overwrites)",
            dir.display(),
            existing.join(", ")
        ))
        .into());
    }
    if !dir.is_dir() {
        return Err(RunError::Io(format!("`{}` is not a folder", dir.display())).into());
    }
    output::write_all_or_none(&dir, &files)?;
    if !term.quiet {
        emit_human(
            &format!(
                "Created aims.toml, aims.yaml, aims.schema.json and docs/ai-policy.md in {}.\nNext: describe your AI systems in aims.yaml, then run `aims check`.\n",
                escape::term_line(&dir.display().to_string())
            ),
            &OutputArgs::default(),
            false,
            Guard::None,
        )?;
    }
    Ok(EXIT_OK)
}

// ---------------------------------------------------------------------------
// aims completions, aims man

fn completions(a: CompletionsArgs) -> Result<u8, Failure> {
    use clap::CommandFactory;
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "aims", &mut buf);
    emit(&String::from_utf8_lossy(&buf), &a.out, Guard::None)?;
    Ok(EXIT_OK)
}

fn man(a: SchemaArgs) -> Result<u8, Failure> {
    use clap::CommandFactory;
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| RunError::Io(format!("cannot render the man page: {e}")))?;
    emit(&String::from_utf8_lossy(&buf), &a.out, Guard::None)?;
    Ok(EXIT_OK)
}

// ---------------------------------------------------------------------------
// aims schema

/// The JSON Schema of one inventory file, from the Rust types.
pub fn schema_json() -> Result<String, RunError> {
    let schema = schemars::schema_for!(crate::inventory::model::InventoryFile);
    let mut s = serde_json::to_string_pretty(&schema).map_err(|e| RunError::Io(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

fn schema(a: SchemaArgs) -> Result<u8, Failure> {
    emit(&schema_json()?, &a.out, Guard::None)?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::{HOSTILE_ID, injection_with_group_id};

    #[test]
    fn gap_markdown_escapes_every_user_string_ids_included() {
        let project = injection_with_group_id(HOSTILE_ID);
        let gap = assess::gap(&project, output::ymd(2026, 11, 24));
        let md = gap_markdown(&project, &gap, &[]);
        assert!(!md.contains("<img") && !md.contains("<details"), "{md}");
        assert!(!md.contains("](javascript:"), "{md}");
        assert!(!md.lines().any(|l| l.starts_with("# Owned")), "{md}");
        assert!(
            !md.chars().any(|c| escape::is_control(c) && c != '\n'),
            "{md:?}"
        );
        // The group's row and its control's row keep the header's columns.
        let row = md
            .lines()
            .find(|l| l.starts_with("| G1 "))
            .expect("the group's row");
        let cells = |l: &str| l.replace("\\|", "").matches('|').count();
        assert_eq!(cells(row), 10, "{row}");
        let table = md.lines().find(|l| l.starts_with("| Group |")).unwrap();
        assert_eq!(cells(table), 10);
    }

    #[test]
    fn terminal_tables_and_descriptions_escape_overlay_text() {
        let project = injection_with_group_id(HOSTILE_ID);
        let gap = assess::gap(&project, output::ymd(2026, 11, 24));
        let text = gap_table(&project, &gap, true);
        let c = project.catalog.get("INJ.1").unwrap();
        let described = describe_control(&project.catalog, c);
        for out in [&text, &described] {
            let rest = escape::SGR
                .iter()
                .fold(out.to_string(), |acc, code| acc.replace(code, ""));
            assert!(
                !rest.chars().any(|c| escape::is_control(c) && c != '\n'),
                "{out:?}"
            );
        }
        assert!(text.contains("\\u{1b}"), "{text}");
        assert!(
            described.contains("  group:       G1\\n# Owned"),
            "{described}"
        );
    }
}
