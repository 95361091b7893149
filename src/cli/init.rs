//! `aims init`, `aims schema`, `aims completions`.

use super::*;

pub(super) const INIT_TOML: &str = include_str!("../../templates/init/aims.toml");
pub(super) const INIT_YAML: &str = include_str!("../../templates/init/aims.yaml");
pub(super) const INIT_POLICY: &str = include_str!("../../templates/init/ai-policy.md");

pub(super) fn init(a: InitArgs, term: Term) -> Result<u8, Failure> {
    let dir = match &a.path {
        Some(p) => cwd()?.join(p),
        None => cwd()?,
    };
    let today = output::as_of(a.as_of.as_deref())?;
    if a.name.contains(['"', '\\']) || a.name.chars().any(escape::is_control) {
        return Err(RunError::Usage(
            "--name cannot contain quotes, backslashes, line breaks or control characters".into(),
        )
        .into());
    }
    let schema = schema_json()?;
    let files: Vec<(&str, String)> = vec![
        ("aims.toml", INIT_TOML.to_string()),
        (
            "aims.yaml",
            INIT_YAML
                .replace("{{name}}", &a.name)
                .replace("{{today}}", &today.to_string()),
        ),
        ("aims.schema.json", schema),
        (
            "docs/ai-policy.md",
            INIT_POLICY
                .replace("{{name}}", &a.name)
                .replace("{{today}}", &today.to_string()),
        ),
    ];
    // Undo first what an init killed half-way here had put in place.
    write::sweep_stale(&dir);
    // Never overwrite: if any file exists, write none of them.
    let existing: Vec<String> = files
        .iter()
        .filter(|(f, _)| dir.join(f).symlink_metadata().is_ok())
        .map(|(f, _)| f.to_string())
        .collect();
    if !existing.is_empty() {
        return Err(RunError::Usage(format!(
            "`{}` already has {}; aims init changed nothing (it never overwrites)",
            dir.display(),
            existing.join(", ")
        ))
        .into());
    }
    if !dir.is_dir() {
        return Err(RunError::Io(format!("`{}` is not a folder", dir.display())).into());
    }
    write::write_all_or_none(&dir, &files)?;
    if !term.quiet {
        emit_human(
            &format!(
                "Created aims.toml, aims.yaml, aims.schema.json and docs/ai-policy.md in {}.\nNext: describe your AI systems in aims.yaml, then run `aims check`.\n",
                escape::term_line(&dir.display().to_string())
            ),
            &OutputArgs::default(),
            false,
            Guard::None,
        )?;
    }
    Ok(EXIT_OK)
}

// ---------------------------------------------------------------------------
// aims completions

pub(super) fn completions(a: CompletionsArgs) -> Result<u8, Failure> {
    use clap::CommandFactory;
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "aims", &mut buf);
    emit(&String::from_utf8_lossy(&buf), &a.out, Guard::None)?;
    Ok(EXIT_OK)
}

// ---------------------------------------------------------------------------
// aims schema

/// The JSON Schema of one inventory file, from the Rust types.
pub fn schema_json() -> Result<String, RunError> {
    let schema = schemars::schema_for!(crate::model::InventoryFile);
    let mut s = serde_json::to_string_pretty(&schema).map_err(|e| RunError::Io(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

pub(super) fn schema(a: SchemaArgs) -> Result<u8, Failure> {
    emit(&schema_json()?, &a.out, Guard::None)?;
    Ok(EXIT_OK)
}
