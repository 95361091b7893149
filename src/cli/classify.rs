//! `aims classify`: the EU AI Act tier of every system.

use super::*;

pub(super) fn classify_cmd(a: ClassifyArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let project = load(
        a.common.path.as_deref(),
        (a.format == ListFormat::Json).then_some("classify"),
    )?;
    let act = &project.catalog.ai_act;
    let mut systems: Vec<&crate::model::System> = project.inventory.systems.iter().collect();
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
        &crate::model::System,
        crate::assess::classify::Classification,
    )> = systems
        .into_iter()
        .map(|s| (s, crate::assess::classify::classify(s, act, as_of)))
        .collect();
    let text = match a.format {
        ListFormat::Json => {
            let view = ClassifyView {
                as_of,
                regulation: &act.regulation,
                systems: rows
                    .iter()
                    .map(|(s, c)| ClassifiedView::new(s, c))
                    .collect(),
            };
            emit_json("classify", view, &a.common.out, Guard::Project(&project))?;
            return Ok(EXIT_OK);
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
    emit_human(&text, &a.common.out, false, Guard::Project(&project))?;
    Ok(EXIT_OK)
}
