use super::obligations::article_number;
use super::*;
use crate::catalog::Catalog;
use crate::model::InventoryFile;

fn act() -> &'static AiAct {
    &Catalog::embedded().ai_act
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// A system with this role and `eu_ai_act` block (a flow mapping, or
/// empty for none), parsed the way the loader parses it.
fn system(role: &str, eu: &str) -> System {
    let mut text = format!("id: s\nname: S\nlifecycle: operation\nrole: {role}\n");
    if !eu.is_empty() {
        text.push_str(&format!("eu_ai_act: {eu}\n"));
    }
    let node = crate::load::yaml::parse(&text).unwrap();
    let (r, unknown) = crate::load::yaml::from_node::<System>(&node);
    assert!(unknown.is_empty(), "{unknown:?}");
    r.unwrap_or_else(|e| panic!("{}", e.message))
}

fn run(role: &str, eu: &str) -> Classification {
    classify(&system(role, eu), act(), date("2026-11-23"))
}

/// The duties the organisation carries in `role`.
fn ids(c: &Classification, role: &str) -> Vec<String> {
    c.obligations
        .iter()
        .filter(|o| o.role == role && o.carried_by == Carrier::This)
        .map(|o| o.id.clone())
        .collect()
}

/// The duties shown as another operator's, as `(id, role)`.
fn others(c: &Classification) -> Vec<(String, String)> {
    c.obligations
        .iter()
        .filter(|o| o.carried_by == Carrier::Other)
        .map(|o| (o.id.clone(), o.role.clone()))
        .collect()
}

fn get<'a>(c: &'a Classification, id: &str, role: &str) -> &'a ObligationDue {
    c.obligations
        .iter()
        .find(|o| o.id == id && o.role == role)
        .unwrap_or_else(|| panic!("{id} for {role} missing: {:?}", ids(c, role)))
}

#[test]
fn prohibited_cites_art_5_and_lists_only_the_ban_and_literacy() {
    let c = run(
        "provider-and-deployer",
        "{prohibited: [social-scoring], annex_iii: [creditworthiness], transparency: [interacts-with-people], gpai: gpai}",
    );
    assert_eq!(c.tier, Tier::Prohibited);
    assert_eq!(c.basis, ["Art. 5(1)(c)"]);
    assert_eq!(ids(&c, "provider"), ["art-4", "art-5"]);
    assert_eq!(ids(&c, "deployer"), ["art-4", "art-5"]);
    let ban = get(&c, "art-5", "provider");
    assert_eq!(
        (ban.date_key.as_str(), ban.in_force),
        ("prohibitions", true)
    );
    assert_eq!(ban.original_date, None);
}

#[test]
fn several_prohibited_keys_are_cited_in_article_order() {
    let c = run(
        "deployer",
        "{prohibited: [facial-image-scraping, subliminal-manipulation]}",
    );
    assert_eq!(c.basis, ["Art. 5(1)(a)", "Art. 5(1)(e)"]);
}

#[test]
fn annex_iii_provider_gets_the_high_risk_duties_on_the_omnibus_date() {
    let c = run(
        "provider",
        "{annex_iii: [employment-recruitment], profiling: true}",
    );
    assert_eq!(c.tier, Tier::High);
    assert_eq!(c.basis, ["Annex III 4(a)", "Art. 6(2)"]);
    let got = ids(&c, "provider");
    for id in [
        "art-4", "art-9", "art-10", "art-11", "art-12", "art-13", "art-14", "art-15", "art-16",
        "art-17", "art-43", "art-47", "art-48", "art-49", "art-72", "art-73",
    ] {
        assert!(got.iter().any(|g| g == id), "{id} missing: {got:?}");
    }
    assert!(ids(&c, "deployer").is_empty());
    for o in c.obligations.iter().filter(|o| o.id != "art-4") {
        assert_eq!(o.date_key, DATE_ANNEX_III, "{}", o.id);
        assert_eq!(o.applies_from, date("2027-12-02"));
        assert_eq!(o.original_date, Some(date("2026-08-02")));
        assert!(!o.in_force);
    }
    // Ordered by article number, not as text ("Art. 10" after "Art. 9").
    assert_eq!(&got[..3], ["art-4", "art-9", "art-10"]);
}

#[test]
fn annex_iii_points_are_cited_in_annex_order() {
    let c = run(
        "provider",
        "{annex_iii: [creditworthiness, employment-recruitment, law-enforcement]}",
    );
    assert_eq!(
        c.basis,
        [
            "Annex III 4(a)",
            "Annex III 5(b)",
            "Annex III 6",
            "Art. 6(2)"
        ]
    );
}

#[test]
fn high_risk_deployer_gets_art_26_and_art_27_only_when_a_fria_is_due() {
    let plain = run("deployer", "{annex_iii: [employment-recruitment]}");
    assert_eq!(ids(&plain, "deployer"), ["art-4", "art-26", "art-86"]);
    assert!(ids(&plain, "provider").is_empty());

    let public = run(
        "deployer",
        "{annex_iii: [employment-recruitment], public_service: true}",
    );
    assert_eq!(
        ids(&public, "deployer"),
        ["art-4", "art-26", "art-27", "art-86"]
    );

    for point in ["creditworthiness", "insurance-life-health"] {
        let c = run("deployer", &format!("{{annex_iii: [{point}]}}"));
        assert_eq!(
            ids(&c, "deployer"),
            ["art-4", "art-26", "art-27", "art-86"],
            "{point}"
        );
        assert_eq!(get(&c, "art-27", "deployer").date_key, DATE_ANNEX_III);
    }
    // A provider never carries the deployer's FRIA.
    let provider = run("provider", "{annex_iii: [creditworthiness]}");
    assert!(!ids(&provider, "provider").contains(&"art-27".to_string()));
}

#[test]
fn provider_and_deployer_gets_both_lists_once() {
    let c = run(
        "provider-and-deployer",
        "{annex_iii: [insurance-life-health]}",
    );
    assert!(ids(&c, "provider").contains(&"art-9".to_string()));
    assert_eq!(ids(&c, "deployer"), ["art-4", "art-26", "art-27", "art-86"]);
    let art4: Vec<&str> = c
        .obligations
        .iter()
        .filter(|o| o.id == "art-4")
        .map(|o| o.role.as_str())
        .collect();
    assert_eq!(art4, ["provider", "deployer"]);
}

#[test]
fn safety_component_is_high_on_the_annex_i_date() {
    let c = run(
        "provider",
        "{safety_component: true, third_party_assessment: true}",
    );
    assert_eq!(c.tier, Tier::High);
    assert_eq!(c.basis, ["Art. 6(1)"]);
    let o = get(&c, "art-9", "provider");
    assert_eq!(o.date_key, DATE_ANNEX_I);
    assert_eq!(o.applies_from, date("2028-08-02"));
    assert_eq!(o.original_date, Some(date("2027-08-02")));
}

#[test]
fn both_grounds_take_the_earlier_date() {
    let c = run(
        "provider",
        "{safety_component: true, third_party_assessment: true, annex_iii: [critical-infrastructure]}",
    );
    assert_eq!(c.basis, ["Art. 6(1)", "Annex III 2", "Art. 6(2)"]);
    assert_eq!(get(&c, "art-9", "provider").date_key, DATE_ANNEX_III);

    // After an override that makes Annex I the earlier one, it wins.
    let mut moved = act().clone();
    for d in &mut moved.dates {
        if d.key == DATE_ANNEX_I {
            d.date = date("2027-01-01");
        }
    }
    let s = system(
        "provider",
        "{safety_component: true, third_party_assessment: true, annex_iii: [critical-infrastructure]}",
    );
    let c = classify(&s, &moved, date("2026-11-23"));
    let o = get(&c, "art-9", "provider");
    assert_eq!(
        (o.date_key.as_str(), o.applies_from),
        (DATE_ANNEX_I, date("2027-01-01"))
    );
    assert_eq!(o.original_date, Some(date("2027-08-02")));
}

#[test]
fn art_6_3_exception_without_profiling_falls_through_with_its_duties() {
    let c = run(
        "provider",
        "{annex_iii: [employment-recruitment], art6_3_exception: narrow-procedural-task, profiling: false}",
    );
    assert_eq!(c.tier, Tier::Minimal);
    assert_eq!(c.basis, ["Art. 6(3)(a)"]);
    assert_eq!(ids(&c, "provider"), ["art-4", "art-6-4", "art-49-2"]);
    // Art. 6(4) sits in Chapter III Section 1, which the Omnibus defers.
    let o = get(&c, "art-6-4", "provider");
    assert_eq!(
        (o.date_key.as_str(), o.in_force),
        ("high-risk-annex-iii", false)
    );

    // Same claim, with transparency: limited, exception cited first.
    let c = run(
        "provider",
        "{annex_iii: [education-assessment], art6_3_exception: preparatory-task, profiling: false, transparency: [interacts-with-people]}",
    );
    assert_eq!(c.tier, Tier::Limited);
    assert_eq!(c.basis, ["Art. 6(3)(d)", "Art. 50(1)"]);
    assert_eq!(
        ids(&c, "provider"),
        ["art-4", "art-6-4", "art-49-2", "art-50-1"]
    );

    // The exception's duties are the provider's.
    let c = run(
        "deployer",
        "{annex_iii: [employment-recruitment], art6_3_exception: detects-patterns, profiling: false}",
    );
    assert_eq!(ids(&c, "deployer"), ["art-4"]);
}

#[test]
fn art_6_3_exception_does_not_hold_with_profiling() {
    let c = run(
        "provider",
        "{annex_iii: [employment-decisions], art6_3_exception: improves-human-activity, profiling: true}",
    );
    assert_eq!(c.tier, Tier::High);
    assert_eq!(
        c.basis,
        [
            "Annex III 4(b)",
            "Art. 6(2)",
            "Art. 6(3) last subparagraph (profiling)"
        ]
    );
    let got = ids(&c, "provider");
    assert!(got.contains(&"art-9".to_string()));
    assert!(!got.contains(&"art-6-4".to_string()), "{got:?}");
}

#[test]
fn art_6_3_exception_with_profiling_unstated_is_not_confirmed() {
    let c = run(
        "provider",
        "{annex_iii: [employment-decisions], art6_3_exception: narrow-procedural-task}",
    );
    assert_eq!(c.tier, Tier::High);
    assert_eq!(
        c.basis,
        [
            "Annex III 4(b)",
            "Art. 6(2)",
            "Art. 6(3) last subparagraph (profiling not stated)"
        ]
    );
}

#[test]
fn an_exception_without_annex_iii_is_ignored() {
    let c = run(
        "provider",
        "{art6_3_exception: narrow-procedural-task, profiling: false}",
    );
    assert_eq!(c.tier, Tier::Minimal);
    assert!(c.basis.is_empty());
    assert_eq!(ids(&c, "provider"), ["art-4"]);
    // `none` is no claim at all.
    let c = run(
        "provider",
        "{annex_iii: [migration-border], art6_3_exception: none, profiling: false}",
    );
    assert_eq!(c.basis, ["Annex III 7", "Art. 6(2)"]);
}

#[test]
fn limited_cites_art_50_paragraphs_once_each() {
    let c = run("provider", "{transparency: [interacts-with-people]}");
    assert_eq!(c.tier, Tier::Limited);
    assert_eq!(c.basis, ["Art. 50(1)"]);
    assert_eq!(ids(&c, "provider"), ["art-4", "art-50-1"]);

    let c = run("provider", "{transparency: [synthetic-content]}");
    assert_eq!(c.basis, ["Art. 50(2)"]);
    let o = get(&c, "art-50-2", "provider");
    assert_eq!(o.applies_from, date("2026-08-02"));
    assert_eq!(o.original_date, None);

    let c = run(
        "deployer",
        "{transparency: [biometric-categorisation, emotion-recognition, deep-fake]}",
    );
    assert_eq!(c.basis, ["Art. 50(3)", "Art. 50(4)"]);
    assert_eq!(ids(&c, "deployer"), ["art-4", "art-50-3", "art-50-4"]);
}

#[test]
fn transparency_duties_follow_the_role_that_carries_them() {
    let eu = "{transparency: [interacts-with-people, deep-fake]}";
    let c = run("provider", eu);
    assert_eq!(c.tier, Tier::Limited);
    assert_eq!(ids(&c, "provider"), ["art-4", "art-50-1"]);
    let c = run("deployer", eu);
    assert_eq!(ids(&c, "deployer"), ["art-4", "art-50-4"]);
    let c = run("provider-and-deployer", eu);
    assert_eq!(ids(&c, "provider"), ["art-4", "art-50-1"]);
    assert_eq!(ids(&c, "deployer"), ["art-4", "art-50-4"]);
}

#[test]
fn transparency_applies_on_top_of_high_risk() {
    let c = run(
        "provider",
        "{annex_iii: [education-access], transparency: [interacts-with-people]}",
    );
    assert_eq!(c.tier, Tier::High);
    assert_eq!(c.basis, ["Annex III 3(a)", "Art. 6(2)"]);
    let o = get(&c, "art-50-1", "provider");
    assert_eq!(o.date_key, "general");
}

#[test]
fn gpai_adds_its_articles_on_top_of_the_tier() {
    let c = run(
        "provider",
        "{transparency: [interacts-with-people, synthetic-content], gpai: gpai-systemic}",
    );
    assert_eq!(c.tier, Tier::Limited);
    assert_eq!(c.gpai, Gpai::GpaiSystemic);
    assert_eq!(
        c.basis,
        [
            "Art. 50(1)",
            "Art. 50(2)",
            "Art. 53(1)(a)-(b)",
            "Art. 53(1)(c)-(d)",
            "Art. 55"
        ]
    );
    assert_eq!(
        ids(&c, "provider"),
        ["art-4", "art-50-1", "art-50-2", "art-53", "art-53-1-c", "art-55"]
    );
    let o = get(&c, "art-55", "provider");
    assert_eq!((o.date_key.as_str(), o.in_force), ("gpai", true));

    let c = run("provider", "{gpai: gpai}");
    assert_eq!(c.tier, Tier::Minimal);
    assert_eq!(c.basis, ["Art. 53(1)(a)-(b)", "Art. 53(1)(c)-(d)"]);
    assert_eq!(ids(&c, "provider"), ["art-4", "art-53", "art-53-1-c"]);

    // The model provider's duties are not a deployer's.
    let c = run("deployer", "{gpai: gpai-systemic}");
    assert_eq!(c.gpai, Gpai::GpaiSystemic);
    assert!(c.basis.is_empty());
    assert_eq!(ids(&c, "deployer"), ["art-4"]);
}

#[test]
fn minimal_has_only_ai_literacy() {
    let c = run("deployer", "{annex_iii: [], transparency: []}");
    assert_eq!(c.tier, Tier::Minimal);
    assert!(c.assessed);
    assert!(c.basis.is_empty());
    assert_eq!(ids(&c, "deployer"), ["art-4"]);
}

#[test]
fn out_of_scope_cites_art_2_and_owes_nothing() {
    let c = run(
        "provider-and-deployer",
        "{in_scope: false, prohibited: [social-scoring], annex_iii: [creditworthiness], gpai: gpai}",
    );
    assert_eq!(c.tier, Tier::OutOfScope);
    assert_eq!(c.basis, ["Art. 2"]);
    assert!(c.assessed);
    assert!(c.obligations.is_empty());
    // `in_scope` missing means in scope.
    let annex_i = "safety_component: true, third_party_assessment: true";
    assert_eq!(run("provider", &format!("{{{annex_i}}}")).tier, Tier::High);
    assert_eq!(
        run("provider", &format!("{{in_scope: true, {annex_i}}}")).tier,
        Tier::High
    );
}

#[test]
fn no_block_is_unassessed_minimal_with_ai_literacy() {
    let c = run("provider-and-deployer", "");
    assert!(!c.assessed);
    assert_eq!(c.tier, Tier::Minimal);
    assert_eq!(c.gpai, Gpai::None);
    assert!(c.basis.is_empty());
    let all: Vec<(&str, &str)> = c
        .obligations
        .iter()
        .map(|o| (o.id.as_str(), o.role.as_str()))
        .collect();
    assert_eq!(all, [("art-4", "provider"), ("art-4", "deployer")]);
}

#[test]
fn in_force_follows_as_of() {
    let s = system("provider", "{annex_iii: [creditworthiness]}");
    let before = classify(&s, act(), date("2027-12-01"));
    let on = classify(&s, act(), date("2027-12-02"));
    assert!(!get(&before, "art-9", "provider").in_force);
    assert!(get(&on, "art-9", "provider").in_force);
    let early = classify(&s, act(), date("2025-02-01"));
    assert!(!get(&early, "art-4", "provider").in_force);
    assert!(get(&before, "art-4", "provider").in_force);
}

#[test]
fn serialises_as_the_contract_shows() {
    let c = run(
        "provider",
        "{safety_component: true, third_party_assessment: true}",
    );
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v["tier"], "high");
    assert_eq!(v["gpai"], "none");
    let art4 = &v["obligations"][0];
    assert_eq!(art4["id"], "art-4");
    assert_eq!(art4["applies_from"], "2025-02-02");
    assert!(art4.get("original_date").is_none());
    assert_eq!(art4["carried_by"], "self");
    assert_eq!(v["obligations"][1]["original_date"], "2027-08-02");
}

#[test]
fn every_catalogue_condition_and_tier_is_understood() {
    for o in &act().obligations {
        if let Some(c) = &o.condition {
            assert!(
                [
                    "fria",
                    "art6-3-exception",
                    "transparency",
                    "prohibited",
                    "annex-iii-not-2",
                    "annex-iii-point-2",
                    "public-body-annex-iii",
                    "not-open-source-gpai"
                ]
                .contains(&c.as_str()),
                "{}: unknown condition {c}",
                o.id
            );
        }
        for t in &o.tiers {
            assert!(
                [
                    "all",
                    "prohibited",
                    "high",
                    "limited",
                    "minimal",
                    "gpai",
                    "gpai-systemic"
                ]
                .contains(&t.as_str()),
                "{}: unknown tier {t}",
                o.id
            );
        }
        assert_ne!(article_number(&o.article), u32::MAX, "{}", o.article);
        if o.condition.as_deref() == Some("transparency") {
            assert!(
                act().transparency.iter().any(|e| e.basis == o.article),
                "{} matches no transparency key",
                o.id
            );
        }
    }
}

/// The CLI fixtures say in a comment what they classify as; keep that true.
#[test]
fn fixtures_classify_as_their_comments_say() {
    let cases: &[(&str, &str, Tier, &[&str])] = &[
        (
            include_str!("../../../tests/fixtures/classify/prohibited.yaml"),
            "citizen-score",
            Tier::Prohibited,
            &["Art. 5(1)(c)"],
        ),
        (
            include_str!("../../../tests/fixtures/classify/high-annex-iii.yaml"),
            "cv-screening",
            Tier::High,
            &["Annex III 4(a)", "Art. 6(2)"],
        ),
        (
            include_str!("../../../tests/fixtures/classify/high-annex-iii.yaml"),
            "credit-scoring",
            Tier::High,
            &["Annex III 5(b)", "Art. 6(2)"],
        ),
        (
            include_str!("../../../tests/fixtures/classify/art6-3-exception.yaml"),
            "cv-parser",
            Tier::Minimal,
            &["Art. 6(3)(a)"],
        ),
        (
            include_str!("../../../tests/fixtures/classify/art6-3-exception.yaml"),
            "candidate-ranker",
            Tier::High,
            &[
                "Annex III 4(a)",
                "Art. 6(2)",
                "Art. 6(3) last subparagraph (profiling)",
            ],
        ),
        (
            include_str!("../../../tests/fixtures/classify/limited-gpai.yaml"),
            "support-assistant",
            Tier::Limited,
            &[
                "Art. 50(1)",
                "Art. 50(2)",
                "Art. 53(1)(a)-(b)",
                "Art. 53(1)(c)-(d)",
                "Art. 55",
            ],
        ),
        (
            include_str!("../../../tests/fixtures/classify/out-of-scope.yaml"),
            "us-claims-triage",
            Tier::OutOfScope,
            &["Art. 2"],
        ),
        (
            include_str!("../../../tests/fixtures/classify/not-assessed.yaml"),
            "meeting-notes",
            Tier::Minimal,
            &[],
        ),
    ];
    for (text, id, tier, basis) in cases {
        let node = crate::load::yaml::parse(text).unwrap();
        let (file, unknown) = crate::load::yaml::from_node::<InventoryFile>(&node);
        assert!(unknown.is_empty(), "{id}: {unknown:?}");
        let file = file.unwrap_or_else(|e| panic!("{id}: {}", e.message));
        let s = file
            .systems
            .iter()
            .find(|s| s.id.as_str() == *id)
            .unwrap_or_else(|| panic!("no system {id}"));
        let c = classify(s, act(), date("2026-11-23"));
        assert_eq!(c.tier, *tier, "{id}");
        assert_eq!(c.basis, *basis, "{id}");
        assert_eq!(c.assessed, *id != "meeting-notes", "{id}");
    }
}
