//! `aims check`: load, run every rule, print the findings and the gate.

use super::*;

pub(super) fn check(a: CheckArgs, term: Term) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let json_cmd = match a.format {
        CheckFormat::Json => Some("check"),
        CheckFormat::Sarif => Some("sarif"),
        CheckFormat::Human => None,
    };
    let project = load(a.common.path.as_deref(), json_cmd)?;
    let mut findings = rules::run(&project, as_of);
    match a.sort {
        // `rules::run` orders by place already.
        CheckSort::File => {}
        CheckSort::Rule => findings.sort_by_key(|f| f.rule.as_str().to_string()),
        CheckSort::Tier => {
            let tiers = rules::system_tiers(&project, as_of);
            findings.sort_by_key(|f| (rules::tier_rank(f, &tiers), std::cmp::Reverse(f.severity)));
        }
    }
    let deny = project.config.gate.deny.as_deref();
    let failed = findings.iter().any(|f| rules::denied(f, deny));
    let checked = Checked {
        project: &project,
        as_of,
        findings: &findings,
        passed: !failed,
    };
    let to_file = a.common.out.output.is_some();
    let cx = Cx {
        colour: term.color_out && !to_file,
        quiet: term.quiet && !to_file,
    };
    render(
        &checked,
        a.format.into(),
        &cx,
        &a.common.out,
        Guard::Project(&project),
    )?;
    Ok(if failed { EXIT_GATE } else { EXIT_OK })
}
