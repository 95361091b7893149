//! The plan: today's gaps as phases with owners, effort and projected audit dates (`aims plan`).

use super::*;

/// The result of `aims plan`.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub as_of: Date,
    pub title: String,
    pub score: f64,
    pub counts: BTreeMap<&'static str, usize>,
    /// Controls short of `evidenced` (not-applicable aside).
    pub short: usize,
    pub phases: Vec<Phase>,
    /// Weeks of work, all phases.
    pub weeks: u32,
    /// Calendar weeks from the day of the plan to the end of phase 5.
    pub duration_weeks: u32,
    pub stage1_week: u32,
    pub stage1: Date,
    pub stage2_week: u32,
    pub stage2: Date,
    pub certification: Option<CertificationFacts>,
    /// The next audit of the certification cycle not yet done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_audit: Option<Scheduled>,
    pub owners: Vec<OwnerLoad>,
    pub assumptions: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    pub phase: u8,
    pub title: &'static str,
    /// Which clauses and Annex A groups belong here.
    pub covers: &'static str,
    pub controls: Vec<PlanItem>,
    pub tasks: Vec<Task>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Weeks of work: the sum of the controls' and tasks' weeks.
    pub weeks: u32,
    pub workstreams: u32,
    /// Calendar weeks: `weeks` shared over the workstreams, rounded up.
    pub duration_weeks: u32,
    /// Weeks after the day of the plan when the phase starts and ends.
    pub start_week: u32,
    pub end_week: u32,
    pub start: Date,
    pub end: Date,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanItem {
    pub id: String,
    pub title: String,
    pub level: Level,
    pub owner: String,
    /// `documentation` (looked at in Stage 1) or `operation`.
    pub stage: &'static str,
    /// The catalogue's estimate for the whole control.
    pub effort_weeks: u8,
    /// What is left of it at this level.
    pub weeks: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub title: String,
    pub weeks: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct OwnerLoad {
    pub owner: String,
    pub controls: usize,
    pub weeks: u32,
}

pub(super) const PHASES: [(&str, &str); 5] = [
    ("Gap assessment", "scope and baseline"),
    ("AI policy and governance", "clauses 4, 5, 7; A.2, A.3"),
    (
        "Risk and impact assessment",
        "clauses 6.1, 6.2, 6.3, 8.2, 8.3, 8.4; A.5",
    ),
    (
        "Implementing controls",
        "clause 8.1; A.4, A.6, A.7, A.8, A.9, A.10; custom controls",
    ),
    ("Audit and certification", "clauses 9, 10"),
];

/// The phase (2–5) a control belongs to, by clause or Annex A group.
pub(super) fn phase_of(c: &ControlGap) -> usize {
    let kind = c.kind;
    let group = c.group.as_str();
    if kind == Kind::Clause.as_str() {
        match group {
            "4" | "5" | "7" => 2,
            "6" => 3,
            "8" if c.id == "8.1" => 4,
            "8" => 3,
            "9" | "10" => 5,
            _ => 4,
        }
    } else if kind == Kind::AnnexA.as_str() {
        match group {
            "A.2" | "A.3" => 2,
            "A.5" => 3,
            _ => 4,
        }
    } else {
        4
    }
}

/// What is left of a control's effort at its level: missing 100%, partial
/// 60%, implemented 25%, rounded up, at least a week.
pub fn remaining_weeks(effort: u8, level: Level) -> u32 {
    let pct: u32 = match level {
        Level::Missing => 100,
        Level::Partial => 60,
        Level::Implemented => 25,
        _ => return 0,
    };
    (u32::from(effort) * pct).div_ceil(100).max(1)
}

/// The day `weeks` weeks after `as_of`.
pub fn weeks_after(as_of: Date, weeks: u32) -> Date {
    Duration {
        n: weeks,
        unit: DurationUnit::Weeks,
    }
    .after(as_of)
}

/// Build the roadmap from today's gaps.
pub fn plan(project: &Project, gap: &Gap, as_of: Date) -> Plan {
    let mut buckets: [Vec<PlanItem>; 5] = Default::default();
    for c in &gap.controls {
        if !matches!(
            c.overall,
            Level::Missing | Level::Partial | Level::Implemented
        ) {
            continue;
        }
        let meta = project.catalog.get(&c.id);
        let effort = meta.map_or(2, |m| m.effort_weeks);
        let stage = match meta.map(|m| m.stage) {
            Some(Stage::Documentation) => "documentation",
            _ => "operation",
        };
        let n = phase_of(c);
        if let Some(b) = buckets.get_mut(n - 1) {
            b.push(PlanItem {
                id: c.id.clone(),
                title: c.title.clone(),
                level: c.overall,
                owner: c.owner.clone().unwrap_or_else(|| "unassigned".into()),
                stage,
                effort_weeks: effort,
                weeks: remaining_weeks(effort, c.overall),
            });
        }
    }
    let short: usize = buckets.iter().map(Vec::len).sum();
    let scope = project
        .inventory
        .organization
        .as_ref()
        .and_then(|o| o.scope.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let counts = &gap.summary.counts;
    let count = |k: &str| counts.get(k).copied().unwrap_or(0);
    let mut notes = vec![
        format!(
            "Score {:.1}/100 over {} controls: {} effective, {} evidenced, {} implemented, {} partial, {} missing, {} not applicable.",
            gap.summary.score,
            gap.summary.controls,
            count("effective"),
            count("evidenced"),
            count("implemented"),
            count("partial"),
            count("missing"),
            count("not-applicable"),
        ),
        format!(
            "{} short of `evidenced`; the phases below list each once.",
            plural(short, "control is", "controls are")
        ),
    ];
    notes.push(match scope {
        Some(_) => "Confirm the AIMS scope (4.3) with top management: its boundaries, the AI systems inside it and the interfaces with what is outside.".into(),
        None => "Write the AIMS scope (4.3) in `organization.scope`: nothing can be audited until its boundaries are agreed.".into(),
    });
    let systems = project
        .inventory
        .systems
        .iter()
        .filter(|s| s.lifecycle != Lifecycle::Retired)
        .count();
    notes.push(format!(
        "Confirm the AI system inventory is complete ({} in use or in development).",
        plural(systems, "system", "systems")
    ));

    let certified = project
        .inventory
        .organization
        .as_ref()
        .and_then(|o| o.certification.as_ref())
        .is_some_and(|c| c.certified.is_some());
    let mut phases = Vec::new();
    let mut week = 0u32;
    let mut doc_weeks = [0u32; 5];
    for (i, items) in buckets.into_iter().enumerate() {
        let (title, covers) = PHASES.get(i).copied().unwrap_or(("", ""));
        let mut tasks = Vec::new();
        if i == 0 {
            tasks.push(Task {
                title: "Confirm the scope and this baseline with top management".into(),
                weeks: 1,
            });
        }
        // Before a first Stage 2, one internal audit and one management
        // review must have looked at the controls as now implemented.
        let has = |id: &str| items.iter().any(|c| c.id == id);
        if i == 4 && !certified {
            if !has("9.2") {
                tasks.push(Task {
                    title: "Internal audit of the whole AIMS, once phase 4 is done (9.2)".into(),
                    weeks: 1,
                });
            }
            if !has("9.3") {
                tasks.push(Task {
                    title: "Management review of the audit results and readiness (9.3)".into(),
                    weeks: 1,
                });
            }
        }
        if let Some(d) = doc_weeks.get_mut(i) {
            *d = items
                .iter()
                .filter(|c| c.stage == "documentation")
                .map(|c| c.weeks)
                .sum();
        }
        let weeks: u32 =
            items.iter().map(|c| c.weeks).sum::<u32>() + tasks.iter().map(|t| t.weeks).sum::<u32>();
        let workstreams = if i == 3 { PHASE4_WORKSTREAMS } else { 1 };
        let duration = weeks.div_ceil(workstreams);
        let start_week = week;
        week += duration;
        phases.push(Phase {
            phase: u8::try_from(i + 1).unwrap_or(u8::MAX),
            title,
            covers,
            controls: items,
            tasks,
            notes: if i == 0 {
                std::mem::take(&mut notes)
            } else {
                Vec::new()
            },
            weeks,
            workstreams,
            duration_weeks: duration,
            start_week,
            end_week: week,
            start: weeks_after(as_of, start_week),
            end: weeks_after(as_of, week),
        });
    }
    let end_of = |n: usize| phases.get(n - 1).map_or(0, |p| p.end_week);
    // Stage 1 looks at documents: it can take place once phases 1–3 are done
    // and the documentation controls of phase 4 (done first) are written.
    let stage1_week = if doc_weeks[4] > 0 {
        end_of(4) + doc_weeks[4]
    } else {
        end_of(3) + doc_weeks[3].div_ceil(PHASE4_WORKSTREAMS)
    };
    let stage2_week = end_of(5).max(stage1_week + STAGE_GAP_WEEKS);
    let mut owners: BTreeMap<String, (usize, u32)> = BTreeMap::new();
    for c in phases.iter().flat_map(|p| &p.controls) {
        let e = owners.entry(c.owner.clone()).or_default();
        e.0 += 1;
        e.1 += c.weeks;
    }
    let mut owners: Vec<OwnerLoad> = owners
        .into_iter()
        .map(|(owner, (controls, weeks))| OwnerLoad {
            owner,
            controls,
            weeks,
        })
        .collect();
    owners.sort_by(|a, b| b.weeks.cmp(&a.weeks).then_with(|| a.owner.cmp(&b.owner)));
    let r = schedule(project, as_of);
    let next_audit = r.0.into_iter().find(|s| s.status != "done");
    let certification = certification_facts(project);
    Plan {
        as_of,
        title: project.title(),
        score: gap.summary.score,
        counts: gap.summary.counts.clone(),
        short,
        weeks: phases.iter().map(|p| p.weeks).sum(),
        duration_weeks: week,
        phases,
        stage1_week,
        stage1: weeks_after(as_of, stage1_week),
        stage2_week,
        stage2: weeks_after(as_of, stage2_week),
        certification,
        next_audit,
        owners,
        assumptions: vec![
            "Weeks per control come from the catalogue's `effort_weeks`, scaled by what is left: missing 100%, partial 60%, implemented 25%, rounded up, at least 1 week.".into(),
            "Phases run one after another; phase 4 runs two workstreams in parallel, the others one.".into(),
            "Until certified, phase 5 includes an internal audit and a management review of the AIMS as implemented (1 week each), unless 9.2 or 9.3 is itself listed.".into(),
            "Stage 1 can take place once phases 1 to 3 and the documentation controls of phase 4 (done first) are complete.".into(),
            format!("Stage 2 follows the end of phase 5, and at least {STAGE_GAP_WEEKS} weeks after Stage 1 to close its findings."),
        ],
    }
}

pub(super) fn certification_facts(project: &Project) -> Option<CertificationFacts> {
    project
        .inventory
        .organization
        .as_ref()
        .and_then(|o| o.certification.as_ref())
        .map(|c| CertificationFacts {
            body: c.body.clone(),
            certified: c.certified,
            expires: c.expires,
            stage1: c.stage1,
            stage2: c.stage2,
        })
}
