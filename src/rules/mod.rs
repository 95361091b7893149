//! Rules: data-driven checks with stable ids, default severities, and the
//! waivers and gate that act on their findings.
//!
//! Each rule has an id (`area/name`) users configure in `[rules]`, waive in
//! `waivers:`, deny in `[gate]` and grep for. `aims rules ID` prints the
//! explanation and the fix written here.

use std::collections::HashMap;

use serde::Serialize;

use crate::assess::evidence::{Evidence, Freshness};
use crate::catalog::Catalog;
use crate::diag::{Location, Severity};
use crate::load::Project;
use crate::load::config::{Config, Level};
use crate::model::*;

/// A rule's documentation and default severity.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub explain: &'static str,
    pub fix: &'static str,
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "evidence/missing",
        severity: Severity::Error,
        summary: "Cited evidence does not exist",
        explain: "A claim never counts for more than its evidence shows: a statement whose evidence file is missing, or whose glob matches nothing, is at most `partial`.",
        fix: "Commit the file at the cited path (relative to the evidence root), or correct the path or glob.",
    },
    Rule {
        id: "evidence/outside-root",
        severity: Severity::Error,
        summary: "Cited evidence leads outside the evidence root",
        explain: "Evidence must live in the repository so that it is versioned and can be packed for an auditor. A path that is absolute, climbs out with `..`, or goes through a symlink to outside the root is never opened or read, and counts as missing.",
        fix: "Copy the document under the evidence root (see `evidence_root` in aims.toml) and cite it there.",
    },
    Rule {
        id: "evidence/unreadable",
        severity: Severity::Error,
        summary: "Cited evidence cannot be used",
        explain: "The cited path exists but is a folder, an empty file, unreadable, a symlink loop, or a URL. It counts as missing.",
        fix: "Cite a readable, non-empty file, or a glob such as `records/*.csv` for the files in a folder.",
    },
    Rule {
        id: "evidence/hash-mismatch",
        severity: Severity::Error,
        summary: "Evidence changed since its hash was recorded",
        explain: "The statement records a `sha256` for the file and the file no longer matches, so what was reviewed is not what is there now. It counts as missing until reviewed again.",
        fix: "Review the new version, then update `sha256` (and `reviewed`) in the inventory.",
    },
    Rule {
        id: "evidence/stale",
        severity: Severity::Warning,
        summary: "Evidence is older than its freshness limit",
        explain: "Evidence counts as current for a limited time after it was last reviewed (12 months for policies and impact assessments, 3 months for operation and monitoring records; `aims controls ID` shows each control's limit, `[freshness]` in aims.toml changes it). A statement with stale evidence is `implemented`, not `evidenced`.",
        fix: "Review the evidence (or produce a current record) and update its `reviewed` date.",
    },
    Rule {
        id: "evidence/unreviewed",
        severity: Severity::Warning,
        summary: "Evidence has no review date",
        explain: "Without a `reviewed` date on the evidence or its statement, nothing shows the evidence is current, so the statement stays `implemented`.",
        fix: "Add `reviewed: YYYY-MM-DD` to the evidence entry (`{path, reviewed}`) or to the statement.",
    },
    Rule {
        id: "statement/no-evidence",
        severity: Severity::Warning,
        summary: "A control is marked implemented with no evidence",
        explain: "An `implemented` status with nothing cited is a claim an auditor cannot check; it counts as `partial`.",
        fix: "Cite the documents or records that show the control working under `evidence:`.",
    },
    Rule {
        id: "eu-ai-act/prohibited",
        severity: Severity::Error,
        summary: "A system is a prohibited AI practice",
        explain: "Art. 5 of the EU AI Act bans these practices outright since 2 February 2025; no control makes them acceptable.",
        fix: "Withdraw the system from the EU market and from use in the EU, or change it so that no `prohibited` key applies.",
    },
    Rule {
        id: "eu-ai-act/tier-mismatch",
        severity: Severity::Error,
        summary: "The declared EU AI Act tier differs from the computed one",
        explain: "`declared_tier` records what the owner believes; aims computes the tier from the facts (Art. 5, Art. 6, Annex III, Art. 50). A difference means the facts or the belief are wrong, and the obligations planned may be the wrong ones.",
        fix: "Correct the facts under `eu_ai_act` or `declared_tier`; `aims classify` shows the basis of the computed tier.",
    },
    Rule {
        id: "eu-ai-act/not-assessed",
        severity: Severity::Warning,
        summary: "A system has no EU AI Act assessment",
        explain: "Without an `eu_ai_act` block nothing records whether the system is in scope of the Act or which tier it is in.",
        fix: "Add `eu_ai_act:` with at least `in_scope`, and the keys that apply (`annex_iii`, `transparency`, …).",
    },
    Rule {
        id: "high-risk/no-human-oversight",
        severity: Severity::Error,
        summary: "A high-risk system has no human oversight described",
        explain: "High-risk systems need effective human oversight (AI Act Art. 14 and 26; ISO/IEC 42001 A.9.2).",
        fix: "Describe under `human_oversight` who can review, override or stop the system, and how.",
    },
    Rule {
        id: "high-risk/no-logging",
        severity: Severity::Error,
        summary: "A high-risk system has no event logging described",
        explain: "High-risk systems must record events automatically over their lifetime (AI Act Art. 12 and 26(6); ISO/IEC 42001 A.6.2.8).",
        fix: "Describe under `logging` what events are recorded, where, and for how long.",
    },
    Rule {
        id: "high-risk/no-impact-assessment",
        severity: Severity::Error,
        summary: "A high-risk system has no impact assessment",
        explain: "A high-risk system needs a documented AI system impact assessment (ISO/IEC 42001 6.1.4, 8.4, A.5.2–A.5.5; AI Act Art. 9 and 27).",
        fix: "Add an entry under `impact_assessments` with `system:` naming it.",
    },
    Rule {
        id: "high-risk/no-data-provenance",
        severity: Severity::Error,
        summary: "A high-risk system has data without recorded provenance",
        explain: "Data governance for high-risk systems needs to know where data comes from (AI Act Art. 10; ISO/IEC 42001 A.7.5).",
        fix: "List the system's data sets under `data:` with `provenance:` pointing at a provenance record.",
    },
    Rule {
        id: "impact/missing",
        severity: Severity::Error,
        summary: "An AI system in scope has no impact assessment",
        explain: "Clause 6.1.4 and A.5.2 expect every AI system in the AIMS scope to have its impacts on individuals, groups and society assessed before and during use.",
        fix: "Add an entry under `impact_assessments` with `system:` naming it.",
    },
    Rule {
        id: "impact/stale",
        severity: Severity::Warning,
        summary: "An impact assessment is past its review date",
        explain: "Impact assessments are repeated at planned intervals (8.4). Past `next_review` (or 12 months after `date` when none is set) the assessment no longer counts as current.",
        fix: "Review the assessment and record the new `date` and `next_review`.",
    },
    Rule {
        id: "impact/outdated",
        severity: Severity::Warning,
        summary: "An impact assessment predates the system's last material change",
        explain: "When a system's model, data or use changes (`changed:`), its impacts must be assessed again (6.1.4, 8.4).",
        fix: "Reassess the system after the change and record the new assessment.",
    },
    Rule {
        id: "impact/unapproved",
        severity: Severity::Warning,
        summary: "An impact assessment has no approval",
        explain: "The conclusion of an impact assessment is a management decision (A.5.3); `approved_by` records who took it.",
        fix: "Add `approved_by: ROLE-ID`.",
    },
    Rule {
        id: "impact/perspective-missing",
        severity: Severity::Warning,
        summary: "An impact assessment leaves out individuals and groups, or society",
        explain: "ISO/IEC 42001 asks for both perspectives: impacts on individuals or groups (A.5.4) and on society (A.5.5).",
        fix: "Add `impacts` entries with `on: individuals` or `groups`, and with `on: society` (a low severity is a valid finding).",
    },
    Rule {
        id: "impact/unmitigated",
        severity: Severity::Error,
        summary: "A severe impact has no mitigation",
        explain: "An impact of severity 4 or 5 without any mitigation means the assessment accepted a severe harm without saying how it is reduced.",
        fix: "List the measures under `mitigations` (and the controls that implement them under `controls`).",
    },
    Rule {
        id: "risk/untreated",
        severity: Severity::Error,
        summary: "A risk above appetite has no treatment",
        explain: "Risks scored above the organisation's `risk_appetite` (likelihood × impact) must be treated (6.1.3, 8.3).",
        fix: "Set `treatment:` (mitigate, accept, avoid or transfer) and the `controls` that carry it out.",
    },
    Rule {
        id: "risk/acceptance-unapproved",
        severity: Severity::Error,
        summary: "A risk above appetite is accepted without an approver",
        explain: "Accepting a risk above appetite is a decision for a risk owner with the authority to take it (6.1.3 f).",
        fix: "Add `accepted_by: ROLE-ID`.",
    },
    Rule {
        id: "risk/residual-above-appetite",
        severity: Severity::Warning,
        summary: "A risk's residual score is still above appetite",
        explain: "After treatment the remaining risk should be within appetite, or explicitly accepted.",
        fix: "Strengthen the treatment, or accept the residual risk (`treatment: accept`, `accepted_by`).",
    },
    Rule {
        id: "risk/excluded-control",
        severity: Severity::Error,
        summary: "A risk is treated with a control the organisation excluded",
        explain: "Clause 6.1.3 requires comparing the treatment with Annex A: a treatment that relies on a control the Statement of Applicability excludes is contradictory.",
        fix: "Make the control applicable, or treat the risk with other controls.",
    },
    Rule {
        id: "risk/review-overdue",
        severity: Severity::Warning,
        summary: "A risk is past its review date",
        explain: "Risk assessments are performed at planned intervals (8.2); `review_by` has passed.",
        fix: "Review the risk and set a new `review_by`.",
    },
    Rule {
        id: "supplier/no-due-diligence",
        severity: Severity::Error,
        summary: "A bought-in system's supplier has no due diligence",
        explain: "A.10.3 expects suppliers of AI systems to be assessed before and while they are used.",
        fix: "Record `due_diligence: {date, evidence}` on the supplier.",
    },
    Rule {
        id: "audit/review-inputs-missing",
        severity: Severity::Warning,
        summary: "A management review records no inputs",
        explain: "Clause 9.3.2 lists what a management review must consider (status of previous actions, changes in issues, AIMS performance, nonconformities, audit results, risks and opportunities…). A review that records none cannot show it considered them.",
        fix: "List what the review considered under `inputs:`, and cite its minutes under `evidence:`.",
    },
    Rule {
        id: "statement/owner-missing",
        severity: Severity::Warning,
        summary: "A control statement has no owner",
        explain: "Every applicable control needs someone accountable for it (ISO/IEC 42001 5.3 and A.3.2). A statement without `owner` has nobody to keep its evidence current.",
        fix: "Add `owner: ROLE-ID` to the statement, naming a role from `roles:`.",
    },
    Rule {
        id: "statement/unjustified-exclusion",
        severity: Severity::Error,
        summary: "A control is excluded without a justification",
        explain: "Clause 6.1.3 requires the Statement of Applicability to justify every excluded Annex A control. `applicable: false` without `justification` is the first thing a Stage 1 auditor flags.",
        fix: "Add `justification: \"…\"` saying why the control does not apply, or remove `applicable: false`.",
    },
    Rule {
        id: "policy/review-overdue",
        severity: Severity::Error,
        summary: "A policy is past its review date",
        explain: "Policies are reviewed at planned intervals (A.2.4). The review is due at `approved` plus `review_every` (default 12 months).",
        fix: "Review the policy, record the new approval date in `approved`, and commit the updated document.",
    },
    Rule {
        id: "policy/unapproved",
        severity: Severity::Warning,
        summary: "A policy has no recorded approval",
        explain: "A policy counts once top management has approved it (5.2). Without `approved_by` and `approved`, nothing shows it was.",
        fix: "Add `approved_by: ROLE-ID` and `approved: YYYY-MM-DD`.",
    },
    Rule {
        id: "system/owner-missing",
        severity: Severity::Warning,
        summary: "An AI system has no owner",
        explain: "Each AI system in scope needs an accountable owner (A.3.2); without one, its risks, impact assessment and monitoring have nobody to answer for them.",
        fix: "Add `owner: ROLE-ID` to the system.",
    },
    Rule {
        id: "risk/owner-missing",
        severity: Severity::Warning,
        summary: "A risk has no owner",
        explain: "Risk treatment (6.1.3) needs a risk owner who approves the treatment plan and accepts the residual risk.",
        fix: "Add `owner: ROLE-ID` to the risk.",
    },
    Rule {
        id: "nonconformity/overdue",
        severity: Severity::Error,
        summary: "A nonconformity is open past its due date",
        explain: "Corrective action must be taken in time (10.2). A nonconformity with a `due` date in the past and no `closed` date is overdue; it also keeps its controls below `evidenced`.",
        fix: "Finish the corrective action and set `closed:`, or agree a new `due` date and record why.",
    },
    Rule {
        id: "waiver/expired",
        severity: Severity::Error,
        summary: "A waiver has expired",
        explain: "Waivers silence findings only until `expires`. After that the finding is back, and the stale waiver itself is reported so it gets renewed or removed.",
        fix: "Fix what the waiver covered and remove it, or renew it with a new `expires` and a fresh approval.",
    },
    Rule {
        id: "waiver/unused",
        severity: Severity::Warning,
        summary: "A waiver matches no finding",
        explain: "A waiver that silences nothing is stale, like an unused ignore in cargo-deny: the problem was fixed or the waiver is mistyped.",
        fix: "Remove the waiver, or correct its `rule`, `control` or `system`.",
    },
];

/// The codes of load errors (exit 2): always errors, neither configurable
/// nor waivable, registered so that `aims rules ID` explains them and SARIF
/// describes them.
pub const LOAD_CODES: &[Rule] = &[
    Rule {
        id: "load/yaml",
        severity: Severity::Error,
        summary: "A file is not valid YAML",
        explain: "The inventory, aims.toml and overlays are read as YAML (TOML for aims.toml) with line and column for every value; a syntax error stops the load of that file, and only that file.",
        fix: "Fix the syntax at the place shown (an unclosed quote, a bad indent, a tab); `aims check` reports one error per mistake.",
    },
    Rule {
        id: "load/encoding",
        severity: Severity::Error,
        summary: "A file is not UTF-8 text",
        explain: "Inputs must be UTF-8 (a BOM is allowed). UTF-16 files and binary files are refused with the place of the first bad byte.",
        fix: "Save the file as UTF-8.",
    },
    Rule {
        id: "load/empty",
        severity: Severity::Error,
        summary: "A file holds no inventory",
        explain: "An inventory file that is empty or only comments contributes nothing, which is almost always a mistake (a truncated file, the wrong glob).",
        fix: "Add the inventory's content, or remove the file or the glob that names it.",
    },
    Rule {
        id: "load/too-large",
        severity: Severity::Error,
        summary: "A file or structure exceeds a limit",
        explain: "aims reads files up to a size limit and YAML up to limits on depth, aliases and nodes, so that a hostile or careless input cannot exhaust memory or time.",
        fix: "Split the inventory into several files, or remove the alias or nesting the message names.",
    },
    Rule {
        id: "load/file-name",
        severity: Severity::Error,
        summary: "An inventory file's name is not UTF-8",
        explain: "The manifest of a pack, every message and every report name files exactly, as UTF-8 text; a file whose name is not UTF-8 cannot be named that way, so every command refuses it alike instead of reading it in one and failing in another.",
        fix: "Rename the file (the message shows the bad byte escaped).",
    },
    Rule {
        id: "load/io",
        severity: Severity::Error,
        summary: "A file cannot be read",
        explain: "The file named exists in the inventory's list but reading it failed: permission denied, a folder where a file belongs, a FIFO or device file (never opened).",
        fix: "Make the file a readable regular file, or correct the path.",
    },
    Rule {
        id: "load/outside-root",
        severity: Severity::Error,
        summary: "A path leads outside the repository root",
        explain: "Every file aims reads lies inside the repository root (the folder holding aims.toml, or the inventory's folder): a path that is absolute, climbs out with `..` or goes through a symlink to outside is refused and never read, so a pull request cannot make aims print files from elsewhere.",
        fix: "Move the file into the repository and cite it by a relative path.",
    },
    Rule {
        id: "load/no-inventory",
        severity: Severity::Error,
        summary: "No inventory was found",
        explain: "aims looks for aims.toml or aims.yaml in the folder given (or the current folder and its parents), and for the files aims.toml's `inventory` names.",
        fix: "Run `aims init`, pass the inventory's path, or correct `inventory` in aims.toml.",
    },
    Rule {
        id: "load/config",
        severity: Severity::Error,
        summary: "aims.toml is invalid",
        explain: "aims.toml sets the inventory files, the evidence root, rule levels, freshness, the gate and catalogue overlays; an unknown key or a bad value is an error at its line.",
        fix: "Correct the key or value at the place shown; `aims init` writes a commented example.",
    },
    Rule {
        id: "load/catalog",
        severity: Severity::Error,
        summary: "A catalogue overlay is invalid",
        explain: "A `[catalog] extra` overlay may add groups and controls with their own ids and may not change the ids or titles of ISO/IEC 42001 clauses and controls.",
        fix: "Correct the overlay entry at the place shown.",
    },
    Rule {
        id: "load/unknown-field",
        severity: Severity::Error,
        summary: "A field is not part of the format",
        explain: "Every mapping accepts only its documented fields, so a typo (`ownr:`) is caught instead of silently ignored. The message suggests the closest field.",
        fix: "Correct the field name, or remove it; `aims schema` prints every field.",
    },
    Rule {
        id: "load/invalid",
        severity: Severity::Error,
        summary: "A value has the wrong type or form",
        explain: "A field holds a value of the wrong kind (a list where a mapping belongs, a date that is not YYYY-MM-DD, an id with characters ids cannot hold).",
        fix: "Write the value in the form the message names.",
    },
    Rule {
        id: "load/duplicate-key",
        severity: Severity::Error,
        summary: "A mapping repeats a key",
        explain: "YAML parsers differ on which of two equal keys wins; aims refuses the repeat so that the file means one thing.",
        fix: "Remove or rename one of the two keys.",
    },
    Rule {
        id: "load/duplicate-id",
        severity: Severity::Error,
        summary: "Two items share an id",
        explain: "Ids (systems, policies, roles, risks, assessments, suppliers, audits, nonconformities, waivers) are compared ignoring case and must be unique across all inventory files, so that every reference names one item.",
        fix: "Rename one of the two items; the message names both places.",
    },
    Rule {
        id: "load/broken-reference",
        severity: Severity::Error,
        summary: "A reference names no item",
        explain: "An owner, approver, supplier, system or source must name an item defined in the inventory.",
        fix: "Define the item, or correct the reference (the message suggests the closest id).",
    },
    Rule {
        id: "load/unknown-control",
        severity: Severity::Error,
        summary: "A control id is not in the catalogue",
        explain: "Statements, scopes and references must use a clause or Annex A id of ISO/IEC 42001 as written there (`6.1.3`, `A.6.2.4`), or an id an overlay adds. Number-like ids are read as written: `10.10` is not `10.1`.",
        fix: "Correct the id; `aims controls` lists the catalogue.",
    },
    Rule {
        id: "load/unknown-rule",
        severity: Severity::Error,
        summary: "aims.toml or a waiver names no rule",
        explain: "Rule levels in `[rules]` and waivers name rules by id; an unknown id would configure or silence nothing.",
        fix: "Correct the id; `aims rules` lists them.",
    },
    Rule {
        id: "load/too-many-problems",
        severity: Severity::Error,
        summary: "Further problems were not listed",
        explain: "After many load errors aims stops listing more, so that one broken file does not flood a CI log.",
        fix: "Fix the problems shown and run again.",
    },
];

/// A configurable rule (a finding's rule) by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// A rule or a load code by id: what `aims rules ID` explains.
pub fn explain(id: &str) -> Option<&'static Rule> {
    rule(id).or_else(|| LOAD_CODES.iter().find(|r| r.id == id))
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The waiver that silences it, when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived_by: Option<String>,
}

impl Finding {
    /// The finding as the terminal shows it: a diagnostic with its place
    /// and a source excerpt.
    pub fn to_diagnostic(&self) -> crate::diag::Diagnostic {
        crate::diag::Diagnostic {
            code: self.rule.to_string(),
            severity: self.severity,
            message: self.message.clone(),
            help: self.help.clone(),
            location: self.location.clone(),
        }
    }
}

struct Ctx<'a> {
    inv: &'a Inventory,
    catalog: &'a Catalog,
    as_of: Date,
    out: Vec<Finding>,
    /// The EU AI Act classification of each system, in inventory order,
    /// computed once for every check that needs it.
    tiers: Vec<crate::assess::classify::Classification>,
}

impl Ctx<'_> {
    fn push(
        &mut self,
        rule: &'static str,
        message: String,
        control: Option<&str>,
        system: Option<&Id>,
        location: Location,
    ) {
        let r = self::rule(rule).expect("rule ids used by checks are registered");
        self.out.push(Finding {
            rule,
            severity: r.severity,
            message,
            control: control.map(str::to_string),
            system: system.map(|s| s.0.clone()),
            location: Some(location),
            help: Some(r.fix.to_string()),
            waived_by: None,
        });
    }
}

/// Run every rule, apply `[rules]` levels and waivers, and sort.
pub fn run(project: &Project, as_of: Date) -> Vec<Finding> {
    run_with(project, as_of, &Evidence::new(&project.evidence_root))
}

/// As [`run`], with a resolver the caller keeps (gap analysis reuses it).
pub fn run_with(project: &Project, as_of: Date, ev: &Evidence) -> Vec<Finding> {
    let tiers = project
        .inventory
        .systems
        .iter()
        .map(|s| crate::assess::classify::classify(s, &project.catalog.ai_act, as_of))
        .collect();
    let mut cx = Ctx {
        inv: &project.inventory,
        catalog: &project.catalog,
        as_of,
        out: Vec::new(),
        tiers,
    };
    statements(&mut cx);
    evidence(&mut cx, project, ev);
    policies(&mut cx);
    owners(&mut cx);
    nonconformities(&mut cx);
    management_reviews(&mut cx);
    ai_act(&mut cx);
    impact_assessments(&mut cx);
    risks(&mut cx);
    let mut findings = cx.out;
    apply_levels(&mut findings, &project.config);
    apply_waivers(
        &mut findings,
        &project.inventory.waivers,
        as_of,
        &project.config,
    );
    findings.sort_by(|a, b| {
        a.location
            .cmp(&b.location)
            .then(a.rule.cmp(b.rule))
            .then(a.message.cmp(&b.message))
    });
    findings
}

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
                "statement/unjustified-exclusion",
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
            "statement/owner-missing",
            format!("`{id}` ({title}){whose} has no owner"),
            Some(id),
            system,
            loc(""),
        );
    }
}

/// The statements of systems still in use, with the canonical control id
/// (`a.6.2.8` written by a user is `A.6.2.8`) and the key as written.
fn system_statements<'a>(
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

fn statements(cx: &mut Ctx) {
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

fn policies(cx: &mut Ctx) {
    let inv = cx.inv;
    for p in &inv.policies {
        let controls: Vec<&str> = p.controls.iter().map(|c| c.0.as_str()).collect();
        let control = controls.first().copied();
        match (p.approved, &p.approved_by) {
            (Some(approved), _) => {
                let every = p.review_every.unwrap_or(Duration::months(12));
                let due = every.after(approved);
                if due < cx.as_of {
                    cx.push(
                        "policy/review-overdue",
                        format!("policy `{}` ({}) was due for review on {due} (approved {approved}, reviewed every {every})", p.id, p.title),
                        control,
                        None,
                        p.src.loc_of(&["approved"]),
                    );
                }
                if p.approved_by.is_none() {
                    cx.push(
                        "policy/unapproved",
                        format!(
                            "policy `{}` ({}) does not say who approved it",
                            p.id, p.title
                        ),
                        control,
                        None,
                        p.src.loc(),
                    );
                }
            }
            (None, _) => cx.push(
                "policy/unapproved",
                format!("policy `{}` ({}) has no approval date", p.id, p.title),
                control,
                None,
                p.src.loc(),
            ),
        }
    }
}

fn owners(cx: &mut Ctx) {
    let inv = cx.inv;
    for s in &inv.systems {
        if s.owner.is_none() && s.lifecycle != Lifecycle::Retired {
            cx.push(
                "system/owner-missing",
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
                "risk/owner-missing",
                format!("risk `{}` ({}) has no owner", r.id, r.title),
                None,
                None,
                r.src.loc(),
            );
        }
    }
}

fn nonconformities(cx: &mut Ctx) {
    let inv = cx.inv;
    for n in &inv.nonconformities {
        if let (None, Some(due)) = (n.closed, n.due)
            && due < cx.as_of
        {
            let days = (cx.as_of.0 - due.0).num_days();
            let message = format!(
                "nonconformity `{}` was due on {due} and is still open ({days} days overdue)",
                n.id
            );
            // One finding per control, so each control's level is capped.
            let controls: Vec<Option<String>> = if n.controls.is_empty() {
                vec![None]
            } else {
                n.controls
                    .iter()
                    .map(|c| {
                        Some(
                            cx.catalog
                                .get(&c.0)
                                .map_or_else(|| c.0.clone(), |k| k.id.clone()),
                        )
                    })
                    .collect()
            };
            for c in controls {
                let message = match &c {
                    Some(c) => format!("{message} (on `{c}`)"),
                    None => message.clone(),
                };
                cx.push(
                    "nonconformity/overdue",
                    message,
                    c.as_deref(),
                    None,
                    n.src.loc_of(&["due"]),
                );
            }
        }
    }
}

/// Every citation in the inventory: statements (with freshness for
/// implemented ones) and the documents other items point at.
fn evidence(cx: &mut Ctx, project: &Project, ev: &Evidence) {
    let inv = cx.inv;
    let config = &project.config;
    let judge = |cx: &mut Ctx,
                 id: &str,
                 st: &Statement,
                 system: Option<&Id>,
                 src: &Src,
                 base: &[&str]| {
        let Some(control) = cx.catalog.get(id) else {
            return;
        };
        if st.applicable == Some(false) {
            return;
        }
        let whose = system
            .map(|s| format!(" for system `{s}`"))
            .unwrap_or_default();
        let implemented = st.status == Some(Status::Implemented);
        if implemented && st.evidence.0.is_empty() {
            let mut p = base.to_vec();
            p.push("status");
            cx.push(
                "statement/no-evidence",
                format!(
                    "`{id}` ({}) is marked implemented{whose} but cites no evidence",
                    control.title
                ),
                Some(id),
                system,
                src.loc_of(&p),
            );
        }
        for (i, j) in
            crate::assess::evidence::judge_statement(ev, st, control, inv, config, cx.as_of)
                .into_iter()
                .enumerate()
        {
            let idx = i.to_string();
            let mut p = base.to_vec();
            p.extend(["evidence", idx.as_str()]);
            let loc = src.loc_of(&p);
            if let Some(problem) = &j.problem {
                cx.push(
                    problem.rule(),
                    format!("{} (`{id}`{whose})", problem.describe(&j.cited)),
                    Some(id),
                    system,
                    loc,
                );
                continue;
            }
            if !implemented {
                continue;
            }
            match &j.freshness {
                Freshness::Stale { reviewed, limit } => cx.push(
                    "evidence/stale",
                    format!("evidence `{}` for `{id}`{whose} was last reviewed on {reviewed}, more than {limit} ago", j.cited),
                    Some(id),
                    system,
                    loc,
                ),
                Freshness::Unreviewed => cx.push(
                    "evidence/unreviewed",
                    format!("evidence `{}` for `{id}`{whose} has no review date", j.cited),
                    Some(id),
                    system,
                    loc,
                ),
                Freshness::Fresh { .. } => {}
            }
        }
    };
    for (id, placed) in &inv.controls {
        judge(cx, id, &placed.statement, None, &placed.src, &[]);
    }
    for (s, id, key, st) in system_statements(inv, cx.catalog) {
        judge(cx, &id, st, Some(&s.id), &s.src, &["controls", key]);
    }

    // Documents cited outside statements: each must exist under the root.
    let cite = |cx: &mut Ctx,
                path: &str,
                what: String,
                control: Option<&str>,
                system: Option<&Id>,
                loc: Location| {
        if let Some(problem) = ev.resolve(path, None).problem {
            cx.push(
                problem.rule(),
                format!("{} ({what})", problem.describe(path)),
                control,
                system,
                loc,
            );
        }
    };
    for p in &inv.policies {
        if let Some(path) = &p.path {
            let control = p.controls.first().map(|c| c.0.clone());
            cite(
                cx,
                path,
                format!("policy `{}`", p.id),
                control.as_deref(),
                None,
                p.src.loc_of(&["path"]),
            );
        }
    }
    for s in inv
        .systems
        .iter()
        .filter(|s| s.lifecycle != Lifecycle::Retired)
    {
        for (i, e) in s.evidence.iter().enumerate() {
            cite(
                cx,
                e.path(),
                format!("system `{}`", s.id),
                None,
                Some(&s.id),
                s.src.loc_of(&["evidence", &i.to_string()]),
            );
        }
        for (i, d) in s.data.iter().enumerate() {
            if let Some(p) = &d.provenance {
                let loc = s.src.loc_of(&["data", &i.to_string(), "provenance"]);
                cite(
                    cx,
                    p,
                    format!("provenance of data set `{}`", d.id),
                    Some("A.7.5"),
                    Some(&s.id),
                    loc,
                );
            }
        }
    }
    for ia in &inv.impact_assessments {
        if let Some(p) = &ia.path {
            cite(
                cx,
                p,
                format!("impact assessment `{}`", ia.id),
                Some("A.5.3"),
                Some(&ia.system),
                ia.src.loc_of(&["path"]),
            );
        }
    }
    for sup in &inv.suppliers {
        if let Some(c) = &sup.contract {
            cite(
                cx,
                c,
                format!("contract of supplier `{}`", sup.id),
                Some("A.10.2"),
                None,
                sup.src.loc_of(&["contract"]),
            );
        }
        if let Some(dd) = &sup.due_diligence {
            for (i, e) in dd.evidence.iter().enumerate() {
                let loc = sup
                    .src
                    .loc_of(&["due_diligence", "evidence", &i.to_string()]);
                cite(
                    cx,
                    e.path(),
                    format!("due diligence of supplier `{}`", sup.id),
                    Some("A.10.3"),
                    None,
                    loc,
                );
            }
        }
    }
    for a in &inv.audits {
        let control = if a.kind == AuditKind::ManagementReview {
            "9.3"
        } else {
            "9.2"
        };
        for (i, e) in a.evidence.iter().enumerate() {
            cite(
                cx,
                e.path(),
                format!("audit `{}`", a.id),
                Some(control),
                None,
                a.src.loc_of(&["evidence", &i.to_string()]),
            );
        }
    }
}

fn management_reviews(cx: &mut Ctx) {
    let inv = cx.inv;
    for a in inv
        .audits
        .iter()
        .filter(|a| a.kind == AuditKind::ManagementReview)
    {
        if a.inputs.iter().all(|i| i.trim().is_empty()) {
            cx.push(
                "audit/review-inputs-missing",
                format!(
                    "management review `{}` ({}) records no `inputs`",
                    a.id, a.date
                ),
                Some("9.3"),
                None,
                a.src.loc(),
            );
        }
    }
}

/// EU AI Act: prohibited practices, declared tiers, and what a high-risk
/// system needs before it can be used.
fn ai_act(cx: &mut Ctx) {
    let inv = cx.inv;
    for (n, s) in inv.systems.iter().enumerate() {
        if s.lifecycle == Lifecycle::Retired {
            continue;
        }
        // Only the tier and its basis are needed; copy them out so `cx` can be borrowed for findings.
        let (tier, basis) = (cx.tiers[n].tier, cx.tiers[n].basis.clone());
        let Some(act) = &s.eu_ai_act else {
            cx.push(
                "eu-ai-act/not-assessed",
                format!(
                    "system `{}` ({}) has no `eu_ai_act` assessment",
                    s.id, s.name
                ),
                None,
                Some(&s.id),
                s.src.loc(),
            );
            continue;
        };
        if tier == Tier::Prohibited {
            cx.push(
                "eu-ai-act/prohibited",
                format!(
                    "system `{}` is a prohibited practice under {}",
                    s.id,
                    basis.join(", ")
                ),
                None,
                Some(&s.id),
                s.src.loc_of(&["eu_ai_act", "prohibited"]),
            );
        }
        if let Some(declared) = act.declared_tier
            && declared != tier
        {
            let shown = if basis.is_empty() {
                String::new()
            } else {
                format!(" ({})", basis.join(", "))
            };
            cx.push(
                "eu-ai-act/tier-mismatch",
                format!(
                    "system `{}` is declared `{declared}` but its facts make it `{}`{shown}",
                    s.id, tier
                ),
                None,
                Some(&s.id),
                s.src.loc_of(&["eu_ai_act", "declared_tier"]),
            );
        }
        if tier != Tier::High {
            continue;
        }
        let blank = |t: &Option<String>| t.as_deref().is_none_or(|t| t.trim().is_empty());
        if blank(&s.human_oversight) {
            cx.push(
                "high-risk/no-human-oversight",
                format!(
                    "high-risk system `{}` does not describe `human_oversight`",
                    s.id
                ),
                Some("A.9.2"),
                Some(&s.id),
                s.src.loc(),
            );
        }
        if blank(&s.logging) {
            cx.push(
                "high-risk/no-logging",
                format!("high-risk system `{}` does not describe `logging`", s.id),
                Some("A.6.2.8"),
                Some(&s.id),
                s.src.loc(),
            );
        }
        if inv.assessments_of(&s.id).next().is_none() {
            cx.push(
                "high-risk/no-impact-assessment",
                format!("high-risk system `{}` has no impact assessment", s.id),
                Some("A.5.3"),
                Some(&s.id),
                s.src.loc(),
            );
        }
        if s.data.is_empty() {
            cx.push(
                "high-risk/no-data-provenance",
                format!(
                    "high-risk system `{}` lists no data sets, so no provenance is recorded",
                    s.id
                ),
                Some("A.7.5"),
                Some(&s.id),
                s.src.loc(),
            );
        }
        for (i, d) in s.data.iter().enumerate() {
            if d.provenance.is_none() {
                cx.push(
                    "high-risk/no-data-provenance",
                    format!(
                        "data set `{}` of high-risk system `{}` has no `provenance`",
                        d.id, s.id
                    ),
                    Some("A.7.5"),
                    Some(&s.id),
                    s.src.loc_of(&["data", &i.to_string()]),
                );
            }
        }
    }
    for s in inv
        .systems
        .iter()
        .filter(|s| s.lifecycle != Lifecycle::Retired)
    {
        if let Some(sup) = &s.supplier
            && let Some(supplier) = inv.supplier(sup)
            && supplier.due_diligence.is_none()
        {
            cx.push(
                "supplier/no-due-diligence",
                format!(
                    "system `{}` is bought in from `{}`, which has no recorded due diligence",
                    s.id, supplier.id
                ),
                Some("A.10.3"),
                Some(&s.id),
                supplier.src.loc(),
            );
        }
    }
}

/// Every in-scope system that is not retired needs a current, approved,
/// complete impact assessment.
fn impact_assessments(cx: &mut Ctx) {
    let inv = cx.inv;
    for (n, s) in inv.systems.iter().enumerate() {
        if s.lifecycle == Lifecycle::Retired {
            continue;
        }
        let tier = cx.tiers[n].tier;
        if tier == Tier::OutOfScope {
            continue;
        }
        let latest = inv.assessments_of(&s.id).max_by_key(|ia| ia.date);
        let Some(ia) = latest else {
            if tier != Tier::High {
                cx.push(
                    "impact/missing",
                    format!("system `{}` ({}) has no impact assessment", s.id, s.name),
                    Some("A.5.3"),
                    Some(&s.id),
                    s.src.loc(),
                );
            }
            continue;
        };
        let due = ia
            .next_review
            .unwrap_or_else(|| Duration::months(12).after(ia.date));
        if due < cx.as_of {
            cx.push(
                "impact/stale",
                format!(
                    "impact assessment `{}` of system `{}` was due for review on {due}",
                    ia.id, s.id
                ),
                Some("A.5.3"),
                Some(&s.id),
                ia.src.loc_of(&[if ia.next_review.is_some() {
                    "next_review"
                } else {
                    "date"
                }]),
            );
        }
        if let Some(changed) = s.changed
            && changed > ia.date
        {
            cx.push(
                "impact/outdated",
                format!("impact assessment `{}` ({}) predates the last change to system `{}` ({changed})", ia.id, ia.date, s.id),
                Some("A.5.3"),
                Some(&s.id),
                ia.src.loc_of(&["date"]),
            );
        }
        if ia.approved_by.is_none() {
            cx.push(
                "impact/unapproved",
                format!(
                    "impact assessment `{}` of system `{}` has no `approved_by`",
                    ia.id, s.id
                ),
                Some("A.5.3"),
                Some(&s.id),
                ia.src.loc(),
            );
        }
        let has = |on: &[ImpactOn]| ia.impacts.iter().any(|i| on.contains(&i.on));
        if !has(&[ImpactOn::Individuals, ImpactOn::Groups]) {
            cx.push(
                "impact/perspective-missing",
                format!("impact assessment `{}` of system `{}` assesses no impact on individuals or groups", ia.id, s.id),
                Some("A.5.4"),
                Some(&s.id),
                ia.src.loc_of(&["impacts"]),
            );
        }
        if !has(&[ImpactOn::Society]) {
            cx.push(
                "impact/perspective-missing",
                format!(
                    "impact assessment `{}` of system `{}` assesses no impact on society",
                    ia.id, s.id
                ),
                Some("A.5.5"),
                Some(&s.id),
                ia.src.loc_of(&["impacts"]),
            );
        }
        for (i, imp) in ia.impacts.iter().enumerate() {
            if imp.severity.0 >= 4 && imp.mitigations.iter().all(|m| m.trim().is_empty()) {
                let control = if imp.on == ImpactOn::Society {
                    "A.5.5"
                } else {
                    "A.5.4"
                };
                cx.push(
                    "impact/unmitigated",
                    format!(
                        "impact `{}` on {} (severity {}) in `{}` has no mitigation",
                        imp.dimension, imp.on, imp.severity.0, ia.id
                    ),
                    Some(control),
                    Some(&s.id),
                    ia.src.loc_of(&["impacts", &i.to_string()]),
                );
            }
        }
    }
}

/// Risk treatment against the organisation's appetite and its SoA.
fn risks(cx: &mut Ctx) {
    let inv = cx.inv;
    let appetite = u32::from(inv.risk_appetite());
    for r in &inv.risks {
        let score = u32::from(r.score());
        let system = r.systems.first();
        if score > appetite {
            match r.treatment {
                None => cx.push(
                    "risk/untreated",
                    format!("risk `{}` scores {score} (appetite {appetite}) and has no treatment", r.id),
                    Some("6.1.3"),
                    system,
                    r.src.loc(),
                ),
                Some(Treatment::Accept) if r.accepted_by.is_none() => cx.push(
                    "risk/acceptance-unapproved",
                    format!("risk `{}` scores {score} (appetite {appetite}) and is accepted without `accepted_by`", r.id),
                    Some("6.1.3"),
                    system,
                    r.src.loc_of(&["treatment"]),
                ),
                _ => {}
            }
        }
        if let Some(rs) = r.residual_score().map(u32::from) {
            let accepted = r.treatment == Some(Treatment::Accept) && r.accepted_by.is_some();
            if rs > appetite && !accepted {
                cx.push(
                    "risk/residual-above-appetite",
                    format!("risk `{}` keeps a residual score of {rs} after treatment (appetite {appetite})", r.id),
                    Some("6.1.3"),
                    system,
                    r.src.loc_of(&["residual"]),
                );
            }
        }
        for (i, c) in r.controls.iter().enumerate() {
            let id = cx
                .catalog
                .get(&c.0)
                .map_or_else(|| c.0.clone(), |k| k.id.clone());
            if inv
                .controls
                .get(&id)
                .is_some_and(|p| p.statement.applicable == Some(false))
            {
                cx.push(
                    "risk/excluded-control",
                    format!("risk `{}` is treated with `{id}`, which the organisation excluded as not applicable", r.id),
                    Some(&id),
                    None,
                    r.src.loc_of(&["controls", &i.to_string()]),
                );
            }
        }
        if let Some(review) = r.review_by
            && review < cx.as_of
        {
            cx.push(
                "risk/review-overdue",
                format!("risk `{}` was due for review by {review}", r.id),
                Some("8.2"),
                system,
                r.src.loc_of(&["review_by"]),
            );
        }
    }
}

fn apply_levels(findings: &mut Vec<Finding>, config: &Config) {
    findings.retain_mut(|f| match config.rules.get(f.rule) {
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

fn waiver_matches(w: &Waiver, f: &Finding) -> bool {
    (w.rule == "*" || w.rule == f.rule)
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
fn apply_waivers(findings: &mut Vec<Finding>, waivers: &[Waiver], as_of: Date, config: &Config) {
    if waivers.is_empty() {
        return;
    }
    // The findings each waiver could match, by rule and by (rule, control),
    // so that many waivers over many findings are not a quadratic scan.
    let mut by_rule: HashMap<&'static str, Vec<usize>> = HashMap::new();
    let mut by_control: HashMap<&'static str, HashMap<String, Vec<usize>>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        if f.rule.starts_with("waiver/") {
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
        .filter(|&i| !findings[i].rule.starts_with("waiver/"))
        .collect();
    let none: Vec<usize> = Vec::new();
    let mut extra = Vec::new();
    for w in waivers {
        if w.expires < as_of {
            extra.push(Finding {
                rule: "waiver/expired",
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
                help: rule("waiver/expired").map(|r| r.fix.to_string()),
                waived_by: None,
            });
            continue;
        }
        let candidates = match (w.rule.as_str(), &w.control) {
            ("*", _) => &all,
            (r, Some(c)) => by_control
                .get(r)
                .and_then(|m| m.get(&c.0.to_ascii_lowercase()))
                .unwrap_or(&none),
            (r, None) => by_rule.get(r).unwrap_or(&none),
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
                rule: "waiver/unused",
                severity: Severity::Warning,
                message: format!("waiver `{}` matches no finding ({})", w.id, describe(w)),
                control: w.control.as_ref().map(|c| c.0.clone()),
                system: w.system.as_ref().map(|s| s.0.clone()),
                location: Some(w.src.loc()),
                help: rule("waiver/unused").map(|r| r.fix.to_string()),
                waived_by: None,
            });
        }
    }
    apply_levels(&mut extra, config);
    findings.extend(extra);
}

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
        Some(list) => list.iter().any(|d| d == f.severity.as_str() || d == f.rule),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `"load/…"` code the source emits is registered, and every
    /// registered load code is emitted somewhere: a new code without an
    /// explanation, or a stale entry, fails here.
    #[test]
    fn load_codes_are_exactly_the_ones_emitted() {
        let mut used = std::collections::BTreeSet::new();
        for e in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")) {
            let e = e.unwrap();
            if e.path().extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(e.path()).unwrap();
            for (at, _) in text.match_indices("\"load/") {
                let rest = &text[at + 1..];
                let end = rest.find('"').unwrap();
                let code = &rest[..end];
                let name = &code["load/".len()..];
                if !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
                    used.insert(code.to_string());
                }
            }
        }
        let registered: std::collections::BTreeSet<String> =
            LOAD_CODES.iter().map(|r| r.id.to_string()).collect();
        assert_eq!(used, registered);
        assert!(LOAD_CODES.iter().all(|r| rule(r.id).is_none()));
        assert_eq!(explain("load/yaml").map(|r| r.id), Some("load/yaml"));
    }

    #[test]
    fn rule_ids_are_unique_and_well_formed() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        for id in &ids {
            let (area, name) = id.split_once('/').expect("area/name");
            assert!(!area.is_empty() && !name.is_empty());
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '/' || c == '-'),
                "{id}"
            );
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
    }

    #[test]
    fn gate_defaults_to_errors_and_respects_waivers() {
        let mut f = Finding {
            rule: "policy/review-overdue",
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
