//! Command-line arguments (clap derive). Kept in the library so that
//! completions and the man page can be generated from the same definition.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "aims",
    version,
    about = "ISO/IEC 42001 AI management system as code: validate, gap-analyse and gate your AIMS in CI",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    /// When to use colours: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only what a gate needs: the failing findings, one line each.
    ///
    /// `check` and `gap` print the findings that fail the gate as
    /// `file:line:col: severity[rule]: message` (and nothing when it passes);
    /// `readiness` prints what is not ready. JSON, SARIF, JUnit, Markdown and
    /// files written with --output are the same as without it.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and validate the inventory, then run every rule.
    Check(CheckArgs),
    /// Gap analysis: the level of every clause and Annex A control, a score, and the CI gate.
    Gap(GapArgs),
    /// The AIMS report for auditors and management: HTML (one self-contained file) or Markdown.
    Report(ReportArgs),
    /// The Statement of Applicability (clause 6.1.3 d), for the organisation or one AI system.
    Soa(SoaArgs),
    /// Crosswalk from ISO/IEC 42001 to NIST AI RMF 1.0, the EU AI Act or ISO/IEC 27001:2022,
    /// with your levels when an inventory is found.
    Map(MapArgs),
    /// Build an audit evidence pack (a .zip or a folder) with a SHA-256 manifest.
    Pack(PackArgs),
    /// Check a pack against its manifest (and its signature with --key).
    Verify(VerifyArgs),
    /// Make an Ed25519 key pair for signing packs.
    Keygen(KeygenArgs),
    /// EU AI Act risk tier of every AI system, with its legal basis and dated obligations.
    Classify(ClassifyArgs),
    /// The risk register, with 5x5 heat maps of inherent and residual risk.
    Risks(RisksArgs),
    /// How far the AIMS is from a Stage 1 and Stage 2 certification audit, and the audit schedule.
    Readiness(ReadinessArgs),
    /// A phased roadmap from today's gaps to certification, with owners and effort.
    Plan(PlanArgs),
    /// Export the catalogue, assessment results, POA&M or crosswalks as OSCAL 1.2.1 JSON.
    Export(ExportArgs),
    /// Turn an existing spreadsheet into inventory YAML.
    Import(ImportArgs),
    /// Show the catalogue: every clause and Annex A control, or one in full.
    Controls(ControlsArgs),
    /// Every fact behind one control's level: the statement or record used, each evidence
    /// file with its review date, the findings that capped it, the audit that made it effective.
    Explain(ExplainArgs),
    /// List the rules, or explain one and how to fix its findings.
    Rules(RulesArgs),
    /// Start an inventory here: aims.toml, aims.yaml, its JSON Schema and a policy stub.
    Init(InitArgs),
    /// Print the JSON Schema (draft 2020-12) of the inventory format.
    Schema(SchemaArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page of aims or of one command (roff), or write them all with --dir.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (for example `gap`); default: aims(1).
    pub command: Option<String>,
    /// Write every page (aims.1 and aims-COMMAND.1) into this folder instead.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["command", "output"])]
    pub dir: Option<PathBuf>,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Options shared by commands that read an inventory.
#[derive(Debug, Args, Clone)]
pub struct Common {
    /// An inventory file, or a folder holding aims.toml or aims.yaml
    /// (default: found from the current folder).
    pub path: Option<PathBuf>,
    /// Judge every date as of this day (YYYY-MM-DD). Default: the day of
    /// SOURCE_DATE_EPOCH, else today.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args, Clone, Default)]
pub struct OutputArgs {
    /// Write the output to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite FILE when it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Order of the findings: by place (file, line), by rule, or by the EU AI
    /// Act tier of the system they concern (prohibited and high-risk first).
    #[arg(long, value_enum, default_value_t = CheckSort::File)]
    pub sort: CheckSort,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CheckSort {
    File,
    Rule,
    Tier,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
}

#[derive(Debug, Args)]
pub struct GapArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long, value_enum, default_value_t = GapFormat::Table)]
    pub format: GapFormat,
    /// Only this AI system: the controls that apply to it, at its level.
    #[arg(long, value_name = "ID")]
    pub system: Option<String>,
    /// Exit 1 when the score is under this (0-100); overrides [gate] fail_under.
    #[arg(long, value_name = "SCORE")]
    pub fail_under: Option<f64>,
    /// A saved `aims gap --format json`: exit 1 when any level went down.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum GapFormat {
    Table,
    Json,
    Markdown,
    /// SARIF 2.1.0 of the findings, for GitHub code scanning.
    Sarif,
    /// JUnit XML: a suite per clause group and Annex A objective, a case per control.
    Junit,
    /// A pull-request comment: what changed since `--baseline`, under GitHub's size limit.
    Pr,
    /// An Excel workbook (needs --output or a pipe).
    Xlsx,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TableFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long, value_enum, default_value_t = DocFormat::Html)]
    pub format: DocFormat,
    /// A saved `aims gap --format json`: the summary says what changed since.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// A folder of templates that replace the embedded ones, file by file
    /// (report.html, report.md, soa.html, soa.md).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DocFormat {
    Html,
    Markdown,
}

#[derive(Debug, Args)]
pub struct SoaArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long, value_enum, default_value_t = SoaFormat::Markdown)]
    pub format: SoaFormat,
    /// The SoA of one AI system: applicability follows its role and life cycle.
    #[arg(long, value_name = "ID")]
    pub system: Option<String>,
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SoaFormat {
    Markdown,
    Html,
    Csv,
    Json,
    // An Excel workbook: needs --output or a pipe (no doc comment, which
    // would turn `--help` into the long form).
    Xlsx,
}

#[derive(Debug, Args)]
pub struct MapArgs {
    #[command(flatten)]
    pub common: Common,
    /// The framework to map to.
    #[arg(long, value_enum)]
    pub to: MapTarget,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum MapTarget {
    NistAiRmf,
    EuAiAct,
    Iso27001,
}

impl MapTarget {
    pub fn key(self) -> &'static str {
        match self {
            MapTarget::NistAiRmf => "nist-ai-rmf",
            MapTarget::EuAiAct => "eu-ai-act",
            MapTarget::Iso27001 => "iso27001",
        }
    }
}

#[derive(Debug, Args)]
pub struct PackArgs {
    /// An inventory file, or a folder holding aims.toml or aims.yaml.
    pub path: Option<PathBuf>,
    /// Where to write the pack: a path ending in .zip, or a folder.
    #[arg(long, short, value_name = "PATH")]
    pub output: PathBuf,
    /// Replace PATH when it exists.
    #[arg(long)]
    pub force: bool,
    /// Sign the manifest with this secret key (from `aims keygen`).
    #[arg(long, value_name = "KEY")]
    pub sign: Option<PathBuf>,
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A pack: a .zip or a folder holding manifest.json.
    pub pack: PathBuf,
    /// Check the signature with this public key.
    #[arg(long, value_name = "PUB")]
    pub key: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The secret key file to write; the public key goes to FILE.pub.
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Only this AI system.
    #[arg(long, value_name = "ID")]
    pub system: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The control or clause (for example A.5.3 or 6.1.2).
    pub control: String,
    #[command(flatten)]
    pub common: Common,
    /// For this AI system (default: the organisation).
    #[arg(long, value_name = "ID")]
    pub system: Option<String>,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct RisksArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long, value_enum, default_value_t = RisksFormat::Table)]
    pub format: RisksFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RisksFormat {
    Table,
    Json,
    // An Excel workbook: needs --output or a pipe.
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ReadinessArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long, value_enum, default_value_t = PlanFormat::Markdown)]
    pub format: PlanFormat,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub common: Common,
    /// The OSCAL model to write.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub what: ImportWhat,
}

#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// A spreadsheet SoA (CSV or XLSX) into `controls:` YAML that loads.
    Soa(ImportSoaArgs),
}

#[derive(Debug, Args)]
pub struct ImportSoaArgs {
    /// The spreadsheet: a .csv or .xlsx file.
    pub file: PathBuf,
    /// Read column COLUMN as FIELD: control, applicable, justification,
    /// status, owner, evidence, reviewed, notes or ignore (repeatable).
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
    /// Show how each column is read and the YAML; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the YAML to FILE, which must not exist (default: standard output).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The AIMS whose `[catalog] extra` controls count (default: found
    /// from the current folder; none is fine).
    #[arg(long, value_name = "PATH")]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    /// The catalogue with your `[catalog] extra` overlays.
    OscalCatalog,
    /// Every control and system level as a finding, its evidence as observations.
    OscalAssessmentResults,
    /// Plan of action and milestones: every gap and open nonconformity.
    OscalPoam,
    /// The crosswalks (NIST AI RMF, EU AI Act, ISO/IEC 27001) as a mapping collection.
    OscalMapping,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PlanFormat {
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ControlsArgs {
    /// One control or clause to show in full (for example A.6.2.8 or 6.1.3).
    pub id: Option<String>,
    /// The AIMS whose `[catalog] extra` overlays to include (default: found
    /// from the current folder; none is fine).
    #[arg(long, value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Accepted for symmetry with other commands; the catalogue has no dates.
    #[arg(long, value_name = "DATE", hide = true)]
    pub as_of: Option<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RulesFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule id to explain (for example policy/review-overdue).
    pub id: Option<String>,
    /// `markdown` is the rules table of the README, generated from the registry.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the inventory in (default: the current folder).
    pub path: Option<PathBuf>,
    /// The organisation's name, written into aims.yaml.
    #[arg(long, default_value = "Example Organisation")]
    pub name: String,
    /// Date of the draft policy the scaffold writes (default: today); no approval or review is dated.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Each `--format` names outputs of [`crate::render::Output`].
macro_rules! into_output {
    ($($format:ident { $($variant:ident => $output:ident),* $(,)? })*) => {$(
        impl From<$format> for crate::render::Output {
            fn from(f: $format) -> Self {
                match f {
                    $($format::$variant => crate::render::Output::$output),*
                }
            }
        }
    )*};
}

into_output! {
    CheckFormat { Human => Table, Json => Json, Sarif => Sarif }
    GapFormat { Table => Table, Json => Json, Markdown => Markdown, Sarif => Sarif, Junit => Junit, Pr => Pr, Xlsx => Xlsx }
    TableFormat { Table => Table, Json => Json, Markdown => Markdown }
    DocFormat { Html => Html, Markdown => Markdown }
    SoaFormat { Markdown => Markdown, Html => Html, Csv => Csv, Json => Json, Xlsx => Xlsx }
    RisksFormat { Table => Table, Json => Json, Xlsx => Xlsx }
    PlanFormat { Markdown => Markdown, Json => Json }
    ListFormat { Table => Table, Json => Json }
    RulesFormat { Table => Table, Json => Json, Markdown => Markdown }
}
