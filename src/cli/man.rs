//! `aims man`: a man page for aims and one per command (clap_mangen), with
//! the exit codes, environment and date handling that `--help` has no
//! room for, so that `aims-gap(1)` and the others named by aims(1) exist.

use super::*;

use clap::CommandFactory;

/// The commands that judge dates and so take `--as-of` (the README's list).
const JUDGES_DATES: &[&str] = &[
    "check",
    "gap",
    "report",
    "soa",
    "map",
    "pack",
    "classify",
    "risks",
    "readiness",
    "plan",
    "explain",
    "export",
    "init",
];

/// The command line, built as the pages document it: subcommands named
/// `aims-check` and so on, global options propagated.
fn built() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// Roff text: a backslash doubled, a leading dot or quote protected, a
/// hyphen as `\-` so that `--as-of` is searchable and copies as typed.
fn roff(s: &str) -> String {
    let t = s.replace('\\', "\\\\").replace('-', "\\-");
    if t.starts_with('.') || t.starts_with('\'') {
        format!("\\&{t}")
    } else {
        t
    }
}

/// One `.TP` entry: a bold tag and its text.
fn entry(out: &mut String, tag: &str, text: &str) {
    out.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", roff(tag), roff(text)));
}

/// The sections every page ends with, after clap's own.
fn extra_sections(name: Option<&str>) -> String {
    let mut o = String::new();
    if let Some(n) = name {
        o.push_str(".SH DATES\n");
        if n == "controls" {
            o.push_str(&roff(
                "--as-of is accepted and ignored: the catalogue has no dates.",
            ));
        } else if JUDGES_DATES.contains(&n) {
            o.push_str(&roff(
                "Every date is judged as of --as-of DATE (YYYY-MM-DD): review and approval \
                 dates, freshness limits, due dates and the EU AI Act dates in force. \
                 Default: the day of SOURCE_DATE_EPOCH, else today.",
            ));
        } else {
            o.push_str(&roff(
                "This command judges no date and does not take --as-of.",
            ));
        }
        o.push('\n');
    }
    o.push_str(".SH EXIT STATUS\n");
    entry(&mut o, "0", "It ran; the gate passed.");
    entry(
        &mut o,
        "1",
        "It ran; the gate failed: a finding at a denied severity, a score under \
         fail_under, or a level that went down since --baseline (check, gap); for verify, \
         the pack does not match its manifest or signature.",
    );
    entry(
        &mut o,
        "2",
        "It could not run: bad arguments, unreadable or invalid input, or an output \
         file that exists without --force. Every problem is reported with its \
         file:line:column and what to do.",
    );
    o.push_str(".SH ENVIRONMENT\n");
    entry(
        &mut o,
        "SOURCE_DATE_EPOCH",
        "Seconds since 1970-01-01 UTC: the default --as-of day and the time written into \
         outputs, so that the same inputs give the same bytes.",
    );
    entry(
        &mut o,
        "NO_COLOR",
        "When set (to anything), no colours, even on a terminal; --color always overrides it.",
    );
    entry(
        &mut o,
        "COLUMNS",
        "The width of terminal tables (default: the terminal's, or 100 in a pipe).",
    );
    o.push_str(".SH SEE ALSO\n");
    let pages: Vec<String> = std::iter::once("aims".to_string())
        .chain(
            built()
                .get_subcommands()
                .filter(|s| Some(s.get_name()) != name)
                .map(|s| format!("aims\\-{}", s.get_name())),
        )
        .filter(|p| !(name.is_none() && p == "aims"))
        .map(|p| format!("\\fB{p}\\fR(1)"))
        .collect();
    o.push_str(&pages.join(", "));
    o.push_str(&format!(
        "\n.PP\n{}\n",
        roff(concat!(
            "The README: ",
            env!("CARGO_PKG_REPOSITORY"),
            "/blob/main/README.md"
        ))
    ));
    o
}

/// The roff of one page: aims(1) for `None`, else `aims-NAME(1)`.
pub fn page(name: Option<&str>) -> Result<String, RunError> {
    let top = built();
    let cmd = match name {
        None => top,
        Some(n) => top
            .get_subcommands()
            .find(|s| s.get_name() == n)
            .cloned()
            .ok_or_else(|| {
                let names: Vec<&str> = top.get_subcommands().map(|s| s.get_name()).collect();
                let hint = diag::suggest(n, names.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                RunError::Usage(format!(
                    "no command `{n}`{hint}; the commands are {}",
                    names.join(", ")
                ))
            })?,
    };
    let man = clap_mangen::Man::new(cmd.clone())
        .source(concat!("aims ", env!("CARGO_PKG_VERSION")))
        .manual("aims manual");
    let mut buf = Vec::new();
    let io = |e: std::io::Error| RunError::Io(format!("cannot render the man page: {e}"));
    man.render_title(&mut buf).map_err(io)?;
    man.render_name_section(&mut buf).map_err(io)?;
    man.render_synopsis_section(&mut buf).map_err(io)?;
    man.render_description_section(&mut buf).map_err(io)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut buf).map_err(io)?;
    }
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut buf).map_err(io)?;
    }
    let mut s = String::from_utf8_lossy(&buf).into_owned();
    s.push_str(&extra_sections(name));
    let mut v = Vec::new();
    man.render_version_section(&mut v).map_err(io)?;
    s.push_str(&String::from_utf8_lossy(&v));
    Ok(s)
}

/// Every page: (file name, roff), aims.1 first.
pub fn pages() -> Result<Vec<(String, String)>, RunError> {
    let mut out = vec![("aims.1".to_string(), page(None)?)];
    for sub in built().get_subcommands() {
        let n = sub.get_name();
        out.push((format!("aims-{n}.1"), page(Some(n))?));
    }
    Ok(out)
}

pub(super) fn man(a: ManArgs) -> Result<u8, Failure> {
    if let Some(dir) = &a.dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| RunError::Io(format!("cannot create `{}`: {e}", dir.display())))?;
        for (file, text) in pages()? {
            write::write_file(&dir.join(&file), text.as_bytes(), a.out.force, Guard::None)?;
        }
        return Ok(EXIT_OK);
    }
    emit(&page(a.command.as_deref())?, &a.out, Guard::None)?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roff_text_cannot_start_a_request() {
        assert_eq!(roff(".SH x"), "\\&.SH x");
        assert_eq!(roff("a\\b --as-of"), "a\\\\b \\-\\-as\\-of");
    }
}
