//! `aims rules`: the rule and load-code registry.

use super::*;

pub(super) fn rules_cmd(a: RulesArgs) -> Result<u8, Failure> {
    let format = a.format.into();
    let cx = Cx::default();
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
        render(&Explained(r), format, &cx, &a.out, Guard::None)?;
        return Ok(EXIT_OK);
    }
    render(&Registry, format, &cx, &a.out, Guard::None)?;
    Ok(EXIT_OK)
}
