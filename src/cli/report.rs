//! `aims report` and `aims soa`: the documents for auditors.

use super::*;

/// The folder an output lands in, for relative evidence links.
pub(super) fn out_dir(out: &OutputArgs) -> Result<PathBuf, RunError> {
    let cwd = cwd()?;
    Ok(match &out.output {
        Some(p) => cwd.join(p).parent().map(Path::to_path_buf).unwrap_or(cwd),
        None => cwd,
    })
}

/// What a report or SoA written to `out` renders from: evidence linked
/// relative to where the file lands; no baseline and no crosswalks.
fn local_inputs<'a>(
    project: &'a Project,
    gap: &'a assess::Gap,
    evidence: &'a crate::assess::evidence::Evidence,
    as_of: crate::model::Date,
    out: &OutputArgs,
) -> Result<crate::render::report::Inputs<'a>, RunError> {
    Ok(crate::render::report::Inputs {
        project,
        gap,
        as_of,
        generated_at: output::generated_at()?
            .format("%Y-%m-%d %H:%M UTC")
            .to_string(),
        out_dir: out_dir(out)?,
        link_root: project.evidence_root.clone(),
        regressions: None,
        crosswalks: Vec::new(),
        evidence,
    })
}

pub(super) fn find_system<'a>(
    project: &'a Project,
    id: &str,
) -> Result<&'a crate::model::System, RunError> {
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

/// Where a report may go, refused before any work: HTML is a file to open
/// in a browser, not text for a terminal, and aims writes no PDF.
fn report_destination(
    format: DocFormat,
    output: Option<&Path>,
    stdout_is_terminal: bool,
) -> Result<(), RunError> {
    if let Some(p) = output
        && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
    {
        return Err(RunError::Usage(format!(
            "`{}`: aims writes the report as HTML or Markdown, not PDF; write `--output report.html`, open it in a browser and print it to PDF from there (it has a print layout)",
            p.display()
        )));
    }
    if output.is_none() && format == DocFormat::Html && stdout_is_terminal {
        return Err(RunError::Usage(
            "the HTML report is a file for a browser, not text for a terminal; write it with `--output report.html` (then open it), pipe it (`aims report > report.html`), or read `--format markdown` here".into(),
        ));
    }
    Ok(())
}

pub(super) fn report_cmd(a: ReportArgs) -> Result<u8, Failure> {
    use std::io::IsTerminal;
    report_destination(
        a.format,
        a.common.out.output.as_deref(),
        std::io::stdout().is_terminal(),
    )?;
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let engine = crate::render::templates::engine(a.templates.as_deref())?;
    let baseline = read_baseline(a.baseline.as_deref())?;
    let project = load(a.common.path.as_deref(), None)?;
    let evidence = crate::assess::evidence::Evidence::new(&project.evidence_root);
    let gap = assess::gap_with(&project, as_of, &evidence);
    let regressions = regressions_since(&gap, baseline.as_deref())?;
    let mut inputs = local_inputs(&project, &gap, &evidence, as_of, &a.common.out)?;
    inputs.regressions = regressions.as_deref();
    inputs.crosswalks = crate::catalog::crosswalk::report_sections(&project, &gap);
    crate::render::report::check_size(&project, &gap, "the report")?;
    let ctx = crate::render::templates::context(crate::render::report::report_view(&inputs))?;
    let name = match a.format {
        DocFormat::Html => "report.html",
        DocFormat::Markdown => "report.md",
    };
    emit::emit_with(&a.common.out, Guard::Project(&project), &mut |w| {
        crate::render::templates::render_to(&engine, name, &ctx, w)
    })?;
    Ok(EXIT_OK)
}

pub(super) fn soa_cmd(a: SoaArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    emit::refuse_terminal(&a.common.out, a.format.into())?;
    let engine = crate::render::templates::engine(a.templates.as_deref())?;
    let project = load(
        a.common.path.as_deref(),
        (a.format == SoaFormat::Json).then_some("soa"),
    )?;
    let evidence = crate::assess::evidence::Evidence::new(&project.evidence_root);
    let mut gap = assess::gap_with(&project, as_of, &evidence);
    let system = match &a.system {
        Some(id) => Some(find_system(&project, id)?),
        None => None,
    };
    if let Some(s) = system {
        gap.system = Some(s.id.0.clone());
    }
    let rows = crate::render::soa::soa_rows(&project, &gap, &evidence, system);
    let inputs = local_inputs(&project, &gap, &evidence, as_of, &a.common.out)?;
    let text = match a.format {
        SoaFormat::Csv => crate::render::soa::soa_csv(&rows),
        SoaFormat::Xlsx => {
            let sheet =
                crate::render::xlsx::soa_sheet(&project, gap.system.as_deref(), as_of, &rows);
            let bytes = crate::render::xlsx::workbook(&[sheet])?;
            emit::emit_with(&a.common.out, Guard::Project(&project), &mut |w| {
                w.write_all(&bytes)
                    .map_err(crate::render::RenderError::Output)
            })?;
            return Ok(EXIT_OK);
        }
        SoaFormat::Json => {
            let view = SoaView {
                as_of,
                system: gap.system.as_deref(),
                controls: &rows,
            };
            emit_json("soa", view, &a.common.out, Guard::Project(&project))?;
            return Ok(EXIT_OK);
        }
        SoaFormat::Markdown => crate::render::templates::render(
            &engine,
            "soa.md",
            &crate::render::soa::soa_view(&inputs, &rows),
        )?,
        SoaFormat::Html => crate::render::templates::render(
            &engine,
            "soa.html",
            &crate::render::soa::soa_view(&inputs, &rows),
        )?,
    };
    emit(&text, &a.common.out, Guard::Project(&project))?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_goes_to_a_file_or_a_pipe_never_a_terminal_and_never_pdf() {
        let html = DocFormat::Html;
        assert!(report_destination(html, None, false).is_ok());
        assert!(report_destination(html, Some(Path::new("r.html")), true).is_ok());
        assert!(report_destination(DocFormat::Markdown, None, true).is_ok());
        let tty = report_destination(html, None, true)
            .unwrap_err()
            .to_string();
        assert!(tty.contains("--output report.html"), "{tty}");
        for pdf in ["report.pdf", "out/Report.PDF"] {
            let e = report_destination(html, Some(Path::new(pdf)), false)
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("not PDF") && e.contains("print it to PDF"),
                "{e}"
            );
        }
    }
}
