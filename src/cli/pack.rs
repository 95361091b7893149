//! `aims pack`, `aims verify`, `aims keygen`: evidence packs.

use super::*;

pub(super) fn pack_cmd(a: PackArgs, term: Term) -> Result<u8, Failure> {
    let as_of = output::as_of(a.as_of.as_deref())?;
    let generated = output::generated_at()?;
    let signing = match &a.sign {
        Some(k) => Some(crate::pack::read_secret_key(k)?),
        None => None,
    };
    if !a.force && a.output.symlink_metadata().is_ok() {
        return Err(RunError::Usage(format!(
            "`{}` already exists; pass --force to replace it",
            a.output.display()
        ))
        .into());
    }
    let engine = crate::render::templates::engine(None)?;
    let project = load(a.path.as_deref(), None)?;
    let evidence = crate::assess::evidence::Evidence::new(&project.evidence_root);
    let gap = assess::gap_with(&project, as_of, &evidence);
    let plan = crate::pack::assemble(&project, &gap, &evidence, &engine, as_of, generated)?;
    let bar = progress_bar(plan.total_bytes(), term);
    let records = plan.write(
        &a.output,
        signing.as_ref(),
        a.force,
        Guard::Project(&project),
        &|n| bar.inc(n),
    )?;
    bar.finish_and_clear();
    let packed: u64 = records.iter().map(|r| r.size).sum();
    if !term.quiet {
        term::eprint(
            &format!(
                "packed {} files ({:.1} MB) into {}{}\n",
                records.len(),
                packed as f64 / 1e6,
                escape::term_line(&a.output.display().to_string()),
                if signing.is_some() { ", signed" } else { "" }
            ),
            term.color_err,
        );
        for l in &plan.left_out {
            term::eprint_labelled(
                "warning",
                YELLOW,
                term.color_err,
                &escape::term_line(&format!("left out {} ({}): {}", l.cited, l.by, l.reason)),
            );
        }
    }
    Ok(EXIT_OK)
}

/// A progress bar on a terminal for large packs; nothing in CI or in a pipe.
pub(super) fn progress_bar(total: u64, term: Term) -> indicatif::ProgressBar {
    let show = !term.quiet
        && std::io::stdout().is_terminal()
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
        && total > 50_000_000;
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("hashing {bar:40} {bytes}/{total_bytes} {eta}")
    {
        bar.set_style(style);
    }
    bar
}

pub(super) fn verify_cmd(a: VerifyArgs, term: Term) -> Result<u8, Failure> {
    let v = crate::pack::verify(&a.pack, a.key.as_deref())?;
    let ok = v.ok();
    let verified = Verified {
        pack: &a.pack,
        result: &v,
    };
    let cx = Cx {
        colour: term.color_out,
        quiet: term.quiet,
    };
    // Quiet, a pack that checks out says nothing.
    if a.format == ListFormat::Json || !term.quiet || !ok {
        render(
            &verified,
            a.format.into(),
            &cx,
            &OutputArgs::default(),
            Guard::None,
        )?;
    }
    Ok(if ok { EXIT_OK } else { EXIT_GATE })
}

pub(super) fn keygen_cmd(a: KeygenArgs) -> Result<u8, Failure> {
    let secret = a.output.clone();
    let public = PathBuf::from(format!("{}.pub", a.output.display()));
    for p in [&secret, &public] {
        if p.symlink_metadata().is_ok() {
            return Err(RunError::Usage(format!(
                "`{}` already exists; aims keygen never overwrites a key",
                p.display()
            ))
            .into());
        }
    }
    let (s, p) = crate::pack::keygen()?;
    // Private from its first byte: never readable by others, not even briefly.
    write::write_file_mode(&secret, s.as_bytes(), false, Guard::None, 0o600)?;
    write::write_file(&public, p.as_bytes(), false, Guard::None)?;
    emit_human(
        &format!(
            "wrote {} (keep it secret) and {} (give it to the auditor)\n",
            escape::term_line(&secret.display().to_string()),
            escape::term_line(&public.display().to_string())
        ),
        &OutputArgs::default(),
        false,
        Guard::None,
    )?;
    Ok(EXIT_OK)
}
