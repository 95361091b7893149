//! `aims pack`, `aims verify`, `aims keygen`: evidence packs.

use super::*;

pub(super) fn pack_cmd(a: PackArgs, term: Term) -> Result<u8, Failure> {
    use crate::pack::{Content, Entry};
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
    let generated_text = generated.format("%Y-%m-%d %H:%M UTC").to_string();
    let virtual_root = PathBuf::from("/aims-pack");
    // Only the report has crosswalk sections; the SoA does not need them.
    let inputs = |dir: &str, crosswalks: Vec<serde_json::Value>| crate::render::report::Inputs {
        project: &project,
        gap: &gap,
        as_of,
        generated_at: generated_text.clone(),
        out_dir: virtual_root.join(dir),
        link_root: virtual_root.join("evidence"),
        regressions: None,
        crosswalks,
        evidence: &evidence,
    };
    let mut entries: Vec<Entry> = Vec::new();
    let bytes = |s: String| Content::Bytes(s.into_bytes());
    // The pack holds the report: refused, by name, before it is built when too large.
    crate::render::report::check_size(&project, &gap, "the pack's report")?;
    let ctx = crate::render::templates::context(crate::render::report::report_view(&inputs(
        "reports",
        crate::catalog::crosswalk::report_sections(&project, &gap),
    )))?;
    for (path, name) in [
        ("reports/report.html", "report.html"),
        ("reports/report.md", "report.md"),
    ] {
        let mut out = Vec::new();
        crate::render::templates::render_to(&engine, name, &ctx, &mut out)?;
        entries.push(Entry {
            path: path.into(),
            content: Content::Bytes(out),
        });
    }
    drop(ctx);
    let rows = crate::render::soa::soa_rows(&project, &gap, None);
    let soa = crate::render::soa::soa_view(&inputs("soa", Vec::new()), &rows);
    entries.push(Entry {
        path: "soa/soa.md".into(),
        content: bytes(crate::render::templates::render(&engine, "soa.md", &soa)?),
    });
    entries.push(Entry {
        path: "soa/soa.html".into(),
        content: bytes(crate::render::templates::render(&engine, "soa.html", &soa)?),
    });
    entries.push(Entry {
        path: "soa/soa.csv".into(),
        content: bytes(crate::render::soa::soa_csv(&rows)),
    });
    let mut gap_json = serde_json::to_value(&gap).map_err(|e| RunError::Io(e.to_string()))?;
    gap_json["gate"] = json!({"fail_under": project.config.gate.fail_under});
    entries.push(Entry {
        path: "data/gap.json".into(),
        content: bytes(envelope("gap", gap_json)?),
    });
    let act = &project.catalog.ai_act;
    let systems: Vec<serde_json::Value> = project
        .inventory
        .systems
        .iter()
        .map(|s| {
            let c = crate::assess::classify::classify(s, act, as_of);
            json!({"id": s.id, "tier": c.tier, "basis": c.basis, "obligations": c.obligations})
        })
        .collect();
    entries.push(Entry {
        path: "data/classification.json".into(),
        content: bytes(envelope(
            "classify",
            json!({"as_of": as_of, "systems": systems}),
        )?),
    });
    // The inventory as it is: aims.toml, inventory files and catalogue overlays,
    // each read through the safe reader under the repository root.
    let repo = std::sync::Arc::new(crate::load::safe::Root::new(&project.root));
    let mut sources: Vec<PathBuf> = Vec::new();
    if let Some(c) = &project.config_path {
        sources.push(c.clone());
    }
    sources.extend(project.paths.iter().cloned());
    for x in &project.config.catalog.extra {
        sources.push(project.root.join(x));
    }
    for src in sources {
        let rel = src
            .strip_prefix(&project.root)
            .ok()
            .or_else(|| src.file_name().map(Path::new))
            .unwrap_or(&src);
        // The loader refused names that are not UTF-8: every name is exact.
        let rel = crate::assess::evidence::rel_name(rel).ok_or_else(|| {
            RunError::Usage(format!(
                "cannot pack `{}`: {}",
                crate::assess::evidence::rel_text(rel),
                crate::assess::evidence::not_utf8_reason(rel)
            ))
        })?;
        entries.push(Entry {
            path: format!("inventory/{rel}"),
            content: Content::File(repo.clone(), src),
        });
    }
    let (files, left_out) = crate::pack::evidence_files(&project, &evidence);
    let evidence_root = std::sync::Arc::new(crate::load::safe::Root::new(&project.evidence_root));
    for f in &files {
        entries.push(Entry {
            path: format!("evidence/{f}"),
            content: Content::File(evidence_root.clone(), PathBuf::from(f)),
        });
    }
    entries.sort_by(|x, y| x.path.cmp(&y.path));
    entries.dedup_by(|x, y| x.path == y.path);
    // The index links everything that is in the pack.
    let listing: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| json!({"path": e.path, "section": e.path.split('/').next().unwrap_or("")}))
        .collect();
    let index = crate::render::templates::render(
        &engine,
        "pack-index.html",
        &json!({"title": project.title(), "as_of": as_of.to_string(), "generated_at": generated_text, "tool": format!("aims {}", env!("CARGO_PKG_VERSION")),
                "score": format!("{:.1}", gap.summary.score), "files": listing, "left_out": left_out}),
    )?;
    entries.push(Entry {
        path: "index.html".into(),
        content: bytes(index),
    });
    entries.sort_by(|x, y| x.path.cmp(&y.path));

    // Sizes for the progress bar only; what is packed is what is read.
    let total: u64 = entries
        .iter()
        .map(|e| match &e.content {
            Content::Bytes(b) => b.len() as u64,
            Content::File(root, p) => std::fs::symlink_metadata(root.path().join(p))
                .map(|m| m.len())
                .unwrap_or(0),
        })
        .sum();
    let bar = progress_bar(total, term);
    let git_commit = crate::pack::git_commit(&project.root);
    let make_manifest = |records: Vec<crate::pack::FileRecord>| {
        let manifest = crate::pack::Manifest {
            format: "aims-pack".into(),
            format_version: 1,
            tool: "aims".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            catalog: project.catalog.standard.clone(),
            catalog_version: project.catalog.version.clone(),
            as_of: as_of.to_string(),
            generated_at: generated.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            git_commit: git_commit.clone(),
            files: records,
            left_out: left_out.clone(),
        };
        let mut manifest_bytes = escape::json_pretty(&manifest)
            .map_err(|e| RunError::Io(e.to_string()))?
            .into_bytes();
        manifest_bytes.push(b'\n');
        let signature = signing
            .as_ref()
            .map(|k| crate::pack::sign(k, &manifest_bytes));
        Ok((manifest_bytes, signature))
    };
    let records = crate::pack::write(
        &a.output,
        &entries,
        &make_manifest,
        generated,
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
        for l in &left_out {
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
    match a.format {
        ListFormat::Json => emit(
            &envelope("verify", json!({"pack": a.pack, "ok": ok, "result": v}))?,
            &OutputArgs::default(),
            Guard::None,
        )?,
        ListFormat::Table => {
            let mut out = String::new();
            for (what, list) in [
                ("changed", &v.changed),
                ("missing", &v.missing),
                ("extra", &v.extra),
            ] {
                for f in list {
                    out.push_str(&format!("{what}: {}\n", escape::term_line(f)));
                }
            }
            if let Some(s) = &v.signature {
                out.push_str(&format!("signature: {}\n", escape::term_line(s)));
            }
            let verdict = if ok {
                paint("ok", GREEN, term.color_out)
            } else {
                paint("FAILED", RED, term.color_out)
            };
            out.push_str(&format!(
                "{verdict}: {} files in the manifest; {} changed, {} missing, {} extra\n",
                v.files,
                v.changed.len(),
                v.missing.len(),
                v.extra.len()
            ));
            if !term.quiet || !ok {
                emit_human(&out, &OutputArgs::default(), term.color_out, Guard::None)?;
            }
        }
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
    output::write_file_mode(&secret, s.as_bytes(), false, Guard::None, 0o600)?;
    output::write_file(&public, p.as_bytes(), false, Guard::None)?;
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
