//! Size: a report is refused before it is built when it would not fit.

use crate::assess::Gap;
use crate::load::Project;
use crate::load::budget::address_space_left;
use crate::render::RenderError;

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
/// policy, incident, waiver and finding. Counted from the gap analysis, before any
/// of the report is built.
pub fn report_rows(project: &Project, gap: &Gap) -> u64 {
    let inv = &project.inventory;
    let controls: usize = gap.controls.iter().map(|c| 1 + c.systems.len()).sum();
    (controls
        + inv.systems.len()
        + inv.risks.len()
        + inv.impact_assessments.len()
        + inv.policies.len()
        + inv.incidents.len()
        + gap.waivers.len()
        + gap.findings.len()) as u64
}

/// Refuse, with exit 2 and what to do, a report of more rows than
/// `[limits] report_rows`, or one whose memory (at [`BYTES_PER_ROW`]) the
/// process's address-space limit (`ulimit -v`) does not leave room for:
/// a named refusal, never an allocation failure part-way.
pub fn check_size(project: &Project, gap: &Gap, what: &str) -> Result<(), RenderError> {
    let rows = report_rows(project, gap);
    let limit = project
        .config
        .limits
        .report_rows
        .unwrap_or(DEFAULT_REPORT_ROWS);
    let need = rows.saturating_mul(BYTES_PER_ROW);
    if rows > limit {
        return Err(RenderError::TooManyRows {
            what: what.to_string(),
            rows,
            limit,
            need,
        });
    }
    if let Some(left) = address_space_left()
        && need > left
    {
        return Err(RenderError::AddressSpace {
            what: what.to_string(),
            rows,
            need,
            left,
        });
    }
    Ok(())
}
