//! `aims export`: OSCAL 1.2.1 JSON of the catalogue, the assessment
//! results, a POA&M or the crosswalks.

use super::*;
use crate::render::oscal;

pub(super) fn export_cmd(a: ExportArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let generated = output::generated_at()?;
    let project = load(a.common.path.as_deref(), None)?;
    let evidence = crate::assess::evidence::Evidence::new(&project.evidence_root);
    let gap = assess::gap_with(&project, as_of, &evidence);
    let inputs = oscal::Inputs {
        project: &project,
        gap: &gap,
        evidence: &evidence,
        as_of,
        generated,
    };
    let guard = Guard::Project(&project);
    let out = &a.common.out;
    match a.format {
        ExportFormat::OscalCatalog => {
            let doc = oscal::catalog::build(&inputs);
            emit::emit_with(out, guard, &mut |w| oscal::write_json(w, &doc))?;
        }
        ExportFormat::OscalAssessmentResults => {
            let doc = oscal::assessment::build(&inputs);
            emit::emit_with(out, guard, &mut |w| oscal::write_json(w, &doc))?;
        }
        ExportFormat::OscalPoam => {
            let doc = oscal::poam::build(&inputs);
            // OSCAL requires at least one item; an empty plan is no document.
            if doc.poam.poam_items.is_empty() {
                return Err(RunError::Usage(
                    "nothing to plan: every control counts fully in the score and no nonconformity is open, so there is no POA&M to export".into(),
                )
                .into());
            }
            emit::emit_with(out, guard, &mut |w| oscal::write_json(w, &doc))?;
        }
        ExportFormat::OscalMapping => {
            let doc = oscal::mapping::build(&inputs);
            emit::emit_with(out, guard, &mut |w| oscal::write_json(w, &doc))?;
        }
    }
    Ok(EXIT_OK)
}
