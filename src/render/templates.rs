//! The Tera engine: the embedded templates, the user's overrides, and
//! rendering a view to text or straight into a writer. HTML templates are
//! autoescaped; Markdown goes through the `md` filter.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::render::RenderError;
use crate::render::escape;

/// The embedded templates, by name. `--templates DIR` overrides any of them file by file.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("report.html", include_str!("../../templates/report.html")),
    ("report.md", include_str!("../../templates/report.md")),
    ("soa.html", include_str!("../../templates/soa.html")),
    ("soa.md", include_str!("../../templates/soa.md")),
    (
        "pack-index.html",
        include_str!("../../templates/pack-index.html"),
    ),
];

/// The Tera instance: embedded templates, then the user's overrides.
pub fn engine(dir: Option<&Path>) -> Result<tera::Tera, RenderError> {
    let mut t = tera::Tera::new();
    // HTML templates autoescape (by their `.html` name) with our escaper,
    // which also shows control characters and bidirectional overrides.
    t.set_escape_fn(escape::html_write);
    t.register_filter("md", |v: &str, _: tera::Kwargs, _: &tera::State| {
        escape::md(v)
    });
    // An id in a Markdown code span.
    t.register_filter("code", |v: &str, _: tera::Kwargs, _: &tera::State| {
        escape::md_spans(&format!("`{v}`"))
    });
    // Messages quote ids in backticks: escape everything, then show those as code.
    t.register_filter("ticks", |v: &str, _: tera::Kwargs, _: &tera::State| {
        escape::html_ticks(v)
    });
    // An empty value shown as a dash in tables.
    t.register_filter("dash", |v: &str, _: tera::Kwargs, _: &tera::State| {
        if v.trim().is_empty() {
            "—".to_string()
        } else {
            v.to_string()
        }
    });
    // A template that is a symlink out of the templates folder is refused,
    // never read: its first line would show in a parse error.
    let root = dir.map(crate::load::safe::Root::new);
    for (name, text) in TEMPLATES {
        let text = match (&root, dir) {
            (Some(root), Some(d)) if d.join(name).symlink_metadata().is_ok() => {
                let shown = d.join(name);
                let opened =
                    root.open(Path::new(name))
                        .map_err(|refusal| RenderError::TemplateRefused {
                            path: shown.clone(),
                            refusal,
                        })?;
                let mut t = String::new();
                std::io::Read::read_to_string(
                    &mut std::io::Read::take(opened.file, crate::load::MAX_FILE_BYTES),
                    &mut t,
                )
                .map_err(|source| RenderError::TemplateRead {
                    path: shown,
                    source,
                })?;
                t
            }
            _ => (*text).to_string(),
        };
        t.add_raw_template(name, &text)
            .map_err(|source| RenderError::TemplateParse {
                name: name.to_string(),
                source,
            })?;
    }
    if let Some(d) = dir
        && !d.is_dir()
    {
        return Err(RenderError::TemplatesNotAFolder {
            path: d.to_path_buf(),
        });
    }
    Ok(t)
}

/// A Tera error with the chain of its causes, `: `-separated.
pub(crate) fn tera_error(e: &tera::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

/// Templates see no nulls: an absent value is empty text, which is false in
/// `{% if %}` and shows as a dash through the `dash` filter.
fn no_nulls(v: &mut Value) {
    match v {
        Value::Null => *v = Value::String(String::new()),
        Value::Array(a) => a.iter_mut().for_each(no_nulls),
        Value::Object(o) => o.values_mut().for_each(no_nulls),
        _ => {}
    }
}

/// Render a small view (an index, the SoA) to a string.
pub fn render(t: &tera::Tera, name: &str, view: &impl Serialize) -> Result<String, RenderError> {
    let value = serde_json::to_value(view).map_err(RenderError::Data)?;
    let ctx = context(value)?;
    let mut out = Vec::new();
    render_to(t, name, &ctx, &mut out)?;
    String::from_utf8(out).map_err(|_| RenderError::NotUtf8 {
        name: name.to_string(),
    })
}

/// The template context for a view, which is consumed: each top-level
/// section is converted to Tera's values and its JSON freed at once, so a
/// large view is never held twice over.
pub fn context(view: Value) -> Result<tera::Context, RenderError> {
    let Value::Object(sections) = view else {
        return Err(RenderError::DataNotMapping);
    };
    let mut ctx = tera::Context::new();
    for (key, mut section) in sections {
        no_nulls(&mut section);
        let value = tera::Value::try_from_serializable(&section).map_err(RenderError::DataValue)?;
        drop(section);
        ctx.insert_value(key, value);
    }
    Ok(ctx)
}

/// Render a template into `out` as it goes (a file or standard output),
/// never building the whole text in memory. A failed write is reported
/// by the writer's owner (see [`crate::render::output::emit_with`]).
pub fn render_to(
    t: &tera::Tera,
    name: &str,
    ctx: &tera::Context,
    out: &mut dyn std::io::Write,
) -> Result<(), RenderError> {
    t.render_to(name, ctx, out)
        .map_err(|source| RenderError::TemplateFailed {
            name: name.to_string(),
            source,
        })
}
