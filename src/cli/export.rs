//! `aims export`: OSCAL 1.2.1 JSON of the catalogue, the assessment
//! results, a POA&M or the crosswalks.

use super::*;
use crate::render::oscal;

/// Is there an AIMS to load? The catalogue and mapping exports need none:
/// without one they are of the embedded catalogue, as `aims controls` is.
fn aims_found(path: Option<&Path>) -> Result<bool, RunError> {
    let cwd = cwd()?;
    Ok(path.is_some()
        || crate::load::config::find_upwards(&cwd).is_some()
        || cwd.join("aims.yaml").is_file())
}

pub(super) fn export_cmd(a: ExportArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let generated = output::generated_at()?;
    let out = &a.common.out;
    let catalog_only = matches!(
        a.format,
        ExportFormat::OscalCatalog | ExportFormat::OscalMapping
    );
    if catalog_only && !aims_found(a.common.path.as_deref())? {
        let base = oscal::Base {
            catalog: Catalog::embedded(),
            title: String::new(),
            overlays: false,
            as_of,
            generated,
        };
        write_base(a.format, &base, out, Guard::None)?;
        return Ok(EXIT_OK);
    }
    let project = load(a.common.path.as_deref(), None)?;
    let guard = Guard::Project(&project);
    let base = oscal::Base {
        catalog: &project.catalog,
        title: project.title(),
        overlays: !project.config.catalog.extra.is_empty(),
        as_of,
        generated,
    };
    if catalog_only {
        write_base(a.format, &base, out, guard)?;
        return Ok(EXIT_OK);
    }
    let evidence = crate::assess::evidence::Evidence::new(&project.evidence_root);
    let gap = assess::gap_with(&project, as_of, &evidence);
    let inputs = oscal::Inputs {
        base,
        project: &project,
        gap: &gap,
        evidence: &evidence,
    };
    if a.format == ExportFormat::OscalPoam {
        let doc = oscal::poam::build(&inputs);
        // OSCAL requires at least one item; an empty plan is no document.
        if doc.poam.poam_items.is_empty() {
            return Err(RunError::Usage(
                "nothing to plan: every control counts fully in the score and no nonconformity is open, so there is no POA&M to export".into(),
            )
            .into());
        }
        emit::emit_with(out, guard, &mut |w| oscal::write_json(w, &doc))?;
    } else {
        let doc = oscal::assessment::build(&inputs);
        emit::emit_with(out, guard, &mut |w| oscal::write_json(w, &doc))?;
    }
    Ok(EXIT_OK)
}

/// The catalogue or mapping export of `base`.
fn write_base(
    format: ExportFormat,
    base: &oscal::Base,
    out: &OutputArgs,
    guard: Guard,
) -> Result<(), RunError> {
    if format == ExportFormat::OscalCatalog {
        let doc = oscal::catalog::build(base);
        emit::emit_with(out, guard, &mut |w| oscal::write_json(w, &doc))
    } else {
        let doc = oscal::mapping::build(base);
        emit::emit_with(out, guard, &mut |w| oscal::write_json(w, &doc))
    }
}
