//! `aims verify`'s result: a pack checked against its manifest.

use std::path::Path;

use crate::pack::Verification;
use crate::render::escape;
use crate::render::term::{GREEN, RED, paint};
use crate::render::views::VerifyView;
use crate::render::{Cx, Output, Render};

/// A pack and what checking it found.
pub struct Verified<'a> {
    pub pack: &'a Path,
    pub result: &'a Verification,
}

impl Render for Verified<'_> {
    const COMMAND: &'static str = "verify";
    const FORMATS: &'static [Output] = &[Output::Table, Output::Json];
    type Json<'a>
        = VerifyView<'a>
    where
        Self: 'a;

    fn json(&self) -> VerifyView<'_> {
        VerifyView {
            pack: self.pack,
            ok: self.result.ok(),
            result: self.result,
        }
    }

    fn text(&self, format: Output, cx: &Cx) -> Option<String> {
        (format == Output::Table).then(|| self.table(cx.colour))
    }
}

impl Verified<'_> {
    /// Every file that differs, the signature, then the verdict.
    fn table(&self, colour: bool) -> String {
        let v = self.result;
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
        let verdict = if v.ok() {
            paint("ok", GREEN, colour)
        } else {
            paint("FAILED", RED, colour)
        };
        out.push_str(&format!(
            "{verdict}: {} files in the manifest; {} changed, {} missing, {} extra\n",
            v.files,
            v.changed.len(),
            v.missing.len(),
            v.extra.len()
        ));
        out
    }
}
