//! `aims import soa`: a spreadsheet SoA into `controls:` YAML, with a
//! preview of how each column was read.

use super::*;
use crate::import::{self, Field};

pub(super) fn import_cmd(a: ImportArgs, term: Term) -> Result<u8, Failure> {
    let ImportWhat::Soa(a) = a.what;
    let catalog = catalog_for(a.path.as_deref())?;
    let name = a.file.display().to_string();
    let is_xlsx = a
        .file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let usage = |e: import::ImportError| RunError::Usage(format!("`{name}`: {e}"));
    let table = if is_xlsx {
        let opened = crate::load::safe::open_given(&a.file)
            .map_err(|why| RunError::Usage(format!("cannot read `{name}`: {why}")))?;
        let cap = crate::load::MAX_FILE_BYTES;
        if opened.len > cap {
            return Err(RunError::Usage(format!(
                "cannot read `{name}`: it is {} MiB; the limit is {} MiB",
                opened.len / (1024 * 1024),
                cap / (1024 * 1024)
            ))
            .into());
        }
        let mut bytes = Vec::new();
        use std::io::Read;
        opened
            .file
            .take(cap)
            .read_to_end(&mut bytes)
            .map_err(|e| RunError::Io(format!("cannot read `{name}`: {e}")))?;
        import::read_xlsx(&bytes).map_err(usage)?
    } else {
        let text = crate::load::safe::read_given_text(&a.file, crate::load::MAX_FILE_BYTES)
            .map_err(|why| RunError::Usage(format!("cannot read `{name}`: {why}")))?;
        import::read_csv(&text).map_err(usage)?
    };
    let cols = import::columns(&table.headers, &a.map).map_err(usage)?;
    if !term.quiet || a.dry_run {
        let mut p = format!(
            "{} rows under the header on {} {} of `{}`:\n",
            table.rows.len(),
            if is_xlsx { "row" } else { "line" },
            table.header_line,
            escape::term_line(&name)
        );
        let width = table
            .headers
            .iter()
            .map(|h| h.chars().count())
            .max()
            .unwrap_or(0);
        for (i, (h, f)) in table.headers.iter().zip(&cols).enumerate() {
            let read = match f {
                Some(Field::Ignored) => "not read (the catalogue has it)".to_string(),
                Some(f) => f.as_str().to_string(),
                None => "not read (no field matches; use --map)".to_string(),
            };
            let h = escape::term_line(h);
            p.push_str(&format!("  column {:>2} {h:<width$} -> {read}\n", i + 1));
        }
        term::eprint(&p, term.color_err);
    }
    let statements = match import::statements(&table, &cols, &catalog) {
        Ok(s) => s,
        Err(errors) => {
            for e in &errors {
                term::eprint_labelled(
                    "error",
                    RED,
                    term.color_err,
                    &format!("{}:{}: {}", name, e.line, e.message),
                );
            }
            return Err(usage(import::ImportError::Rows {
                count: errors.len(),
            })
            .into());
        }
    };
    let yaml = import::to_yaml(&name, &statements);
    let summary = format!(
        "{} statement{} ({} excluded)",
        statements.len(),
        plural(statements.len()),
        statements
            .iter()
            .filter(|s| s.applicable == Some(false))
            .count()
    );
    match (&a.output, a.dry_run) {
        (Some(p), true) => {
            term::eprint(
                &format!("dry run: would write {summary} to `{}`:\n", p.display()),
                term.color_err,
            );
            emit(&yaml, &OutputArgs::default(), Guard::None)?;
        }
        (None, _) => emit(&yaml, &OutputArgs::default(), Guard::None)?,
        (Some(p), false) => {
            // Never replaces a file: there is no --force.
            write::write_file(p, yaml.as_bytes(), false, Guard::None)?;
            if !term.quiet {
                term::eprint(
                    &format!("wrote {summary} to `{}`\n", p.display()),
                    term.color_err,
                );
            }
        }
    }
    Ok(EXIT_OK)
}
