use super::*;
use std::fs;

fn tree() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("root");
    fs::create_dir_all(root.join("docs/sub")).unwrap();
    fs::write(root.join("docs/a.md"), "a").unwrap();
    fs::write(root.join("docs/b.md"), "b").unwrap();
    fs::write(root.join("docs/sub/c.md"), "c").unwrap();
    fs::write(root.join("docs/empty.md"), "").unwrap();
    fs::write(d.path().join("secret.txt"), "top secret").unwrap();
    d
}

#[test]
fn a_glob_looks_only_under_its_literal_folders() {
    assert_eq!(
        literal_prefix("records/systems/5/monitoring-*.csv"),
        "records/systems/5/"
    );
    assert_eq!(literal_prefix("docs/*.md"), "docs/");
    assert_eq!(literal_prefix("*.md"), "");
    assert_eq!(literal_prefix("**/x.md"), "");
    assert_eq!(literal_prefix("a/b[cd]/e/*.md"), "a/");
    assert_eq!(literal_prefix("a/\\*b/*.md"), "a/");
    let mut w = Walk::default();
    for f in ["a/b.md", "a.md", "a/c/d.md", "ab/x.md", "a/z.md"] {
        w.files.push((PathBuf::from(f), Some(f.to_string())));
    }
    w.sorted = (0..w.files.len()).collect();
    w.sorted
        .sort_by(|&x, &y| bytes(&w.files[x].0).cmp(bytes(&w.files[y].0)));
    // Walk order kept; `ab/` is not under `a/`.
    assert_eq!(w.under("a/"), vec![0, 2, 4]);
    assert_eq!(w.under(""), vec![0, 1, 2, 3, 4]);
    assert!(w.under("q/").is_empty());
}

#[test]
fn paths_and_globs_resolve_inside_the_root() {
    let d = tree();
    let ev = Evidence::new(&d.path().join("root"));
    assert_eq!(ev.resolve("docs/a.md", None).files, ["docs/a.md"]);
    assert_eq!(ev.resolve("./docs/../docs/a.md", None).files, ["docs/a.md"]);
    assert_eq!(
        ev.resolve("docs/*.md", None).problem,
        Some(Problem::Unreadable("the file is empty".into()))
    );
    assert_eq!(
        ev.resolve("docs/[ab].md", None).files,
        ["docs/a.md", "docs/b.md"]
    );
    assert_eq!(ev.resolve("docs/**/c.md", None).files, ["docs/sub/c.md"]);
    assert_eq!(
        ev.resolve("docs/nope.md", None).problem,
        Some(Problem::Missing)
    );
    assert_eq!(
        ev.resolve("records/*.csv", None).problem,
        Some(Problem::EmptyGlob)
    );
    assert!(matches!(
        ev.resolve("docs", None).problem,
        Some(Problem::Unreadable(_))
    ));
}

#[test]
fn nothing_outside_the_root_is_reached() {
    let d = tree();
    let ev = Evidence::new(&d.path().join("root"));
    assert_eq!(
        ev.resolve("../secret.txt", None).problem,
        Some(Problem::OutsideRoot)
    );
    assert_eq!(
        ev.resolve("/etc/passwd", None).problem,
        Some(Problem::OutsideRoot)
    );
    assert_eq!(
        ev.resolve("../*.txt", None).problem,
        Some(Problem::OutsideRoot)
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            d.path().join("secret.txt"),
            d.path().join("root/docs/link.md"),
        )
        .unwrap();
        std::os::unix::fs::symlink(d.path(), d.path().join("root/up")).unwrap();
        std::os::unix::fs::symlink(d.path().join("root/loop1"), d.path().join("root/loop2"))
            .unwrap();
        std::os::unix::fs::symlink(d.path().join("root/loop2"), d.path().join("root/loop1"))
            .unwrap();
        let ev = Evidence::new(&d.path().join("root"));
        assert_eq!(
            ev.resolve("docs/link.md", None).problem,
            Some(Problem::OutsideRoot)
        );
        assert_eq!(
            ev.resolve("up/secret.txt", None).problem,
            Some(Problem::OutsideRoot)
        );
        assert_eq!(
            ev.resolve("docs/l*.md", None).problem,
            Some(Problem::OutsideRoot)
        );
        assert!(matches!(
            ev.resolve("loop1", None).problem,
            Some(Problem::Unreadable(_))
        ));
    }
}

#[test]
fn recorded_hashes_are_checked() {
    let d = tree();
    let ev = Evidence::new(&d.path().join("root"));
    let a = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"; // sha256("a")
    assert_eq!(ev.resolve("docs/a.md", Some(a)).problem, None);
    assert!(matches!(
        ev.resolve("docs/b.md", Some(a)).problem,
        Some(Problem::HashMismatch { .. })
    ));
}

#[test]
fn simple_globs_match_only_what_globset_matches() {
    let cases = [
        ("docs/*.md", "docs/a.md", true),
        ("docs/*.md", "docs/sub/c.md", false),
        ("docs/*", "docs/.hidden", true),
        ("*/*.md", "docs/a.md", true),
        ("docs/a*b*c", "docs/aXbYbZc", true),
        ("docs/a*b*c", "docs/aXbYbZ", false),
        ("docs/*.MD", "docs/a.md", false),
    ];
    for (glob, path, expected) in cases {
        let m = Matcher::new(glob).unwrap();
        assert!(
            matches!(m, Matcher::Star(_)),
            "{glob} takes the simple path"
        );
        assert_eq!(m.is_match(Path::new(path)), expected, "{glob} on {path}");
    }
    // Other syntax goes to globset.
    for glob in [
        "docs/**/*.md",
        "docs/?.md",
        "docs/[ab].md",
        "docs/{a,b}.md",
        "docs/\\*.md",
    ] {
        assert!(
            matches!(Matcher::new(glob).unwrap(), Matcher::Glob(_)),
            "{glob}"
        );
    }
}

proptest::proptest! {
    /// The simple matcher and globset agree on every pattern of stars,
    /// letters, dots and slashes, and every path of letters, dots and slashes.
    #[test]
    fn the_simple_matcher_agrees_with_globset(
        glob in "[ab.*/]{1,8}",
        path in "[ab./]{1,8}",
    ) {
        proptest::prop_assume!(!glob.contains("**") && !glob.starts_with('/'));
        let simple = Matcher::new(&glob).unwrap();
        let reference = globset::GlobBuilder::new(&glob)
            .literal_separator(true)
            .build()
            .unwrap()
            .compile_matcher();
        proptest::prop_assert_eq!(
            simple.is_match(Path::new(&path)),
            reference.is_match(Path::new(&path)),
            "{} on {}", glob, path
        );
    }
}
