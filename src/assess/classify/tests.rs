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
        [
            "art-4",
            "art-50-1",
            "art-50-2",
            "art-53",
            "art-53-1-c",
            "art-55"
        ]
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

// ---------------------------------------------------------------------------
// Regulation (EU) 2024/1689 as amended by the Digital Omnibus on AI
// (Regulation (EU) 2026/1744): one test per article, paragraph and point.

fn has(c: &Classification, id: &str, role: &str) -> bool {
    ids(c, role).iter().any(|x| x == id)
}

/// Art. 27(1): not for a system that is high-risk under Art. 6(1) only.
#[test]
fn art_27_1_fria_is_not_due_for_an_art_6_1_only_system() {
    let c = run(
        "deployer",
        "{safety_component: true, third_party_assessment: true, public_service: true}",
    );
    assert_eq!(c.tier, Tier::High);
    assert!(!has(&c, "art-27", "deployer"), "{:?}", ids(&c, "deployer"));
}

/// Art. 27(1): "with the exception of high-risk AI systems intended to be
/// used in the area listed in point 2 of Annex III".
#[test]
fn art_27_1_fria_excepts_annex_iii_point_2_even_for_public_bodies() {
    let c = run(
        "deployer",
        "{annex_iii: [critical-infrastructure], public_service: true, public_body: true}",
    );
    assert_eq!(c.tier, Tier::High);
    assert!(!has(&c, "art-27", "deployer"));
    // Another point beside point 2 brings it back.
    let c = run(
        "deployer",
        "{annex_iii: [critical-infrastructure, public-benefits], public_service: true}",
    );
    assert!(has(&c, "art-27", "deployer"));
}

/// Art. 27(1): bodies governed by public law (`public_body`) and private
/// entities providing public services (`public_service`) both owe a FRIA.
#[test]
fn art_27_1_fria_for_public_bodies_and_public_service_providers() {
    for fact in ["public_body", "public_service"] {
        let c = run(
            "deployer",
            &format!("{{annex_iii: [education-access], {fact}: true}}"),
        );
        assert!(has(&c, "art-27", "deployer"), "{fact}");
    }
    // Annex III 5(b) and 5(c): every deployer, public or not.
    let c = run("deployer", "{annex_iii: [insurance-life-health]}");
    assert!(has(&c, "art-27", "deployer"));
    // Neither: no FRIA.
    let c = run("deployer", "{annex_iii: [education-access]}");
    assert!(!has(&c, "art-27", "deployer"));
}

/// Art. 49(1) covers providers of Annex III systems, not Art. 6(1)-only
/// ones; Annex III point 2 registers nationally instead (Art. 49(5)).
#[test]
fn art_49_1_registration_only_for_annex_iii_except_point_2() {
    let annex_i = run(
        "provider",
        "{safety_component: true, third_party_assessment: true}",
    );
    assert!(!has(&annex_i, "art-49", "provider"));
    assert!(!has(&annex_i, "art-49-5", "provider"));

    let point2 = run("provider", "{annex_iii: [critical-infrastructure]}");
    assert!(!has(&point2, "art-49", "provider"));
    assert_eq!(get(&point2, "art-49-5", "provider").article, "Art. 49(5)");

    let credit = run("provider", "{annex_iii: [creditworthiness]}");
    assert_eq!(get(&credit, "art-49", "provider").article, "Art. 49(1)");
    assert!(!has(&credit, "art-49-5", "provider"));
}

/// Art. 49(3) and Art. 26(8): public-authority deployers register their use
/// of an Annex III system (except point 2) and use only registered ones.
#[test]
fn art_49_3_and_26_8_public_authority_deployers_register_their_use() {
    let c = run(
        "deployer",
        "{annex_iii: [public-benefits], public_body: true}",
    );
    for id in ["art-26-8", "art-49-3"] {
        let o = get(&c, id, "deployer");
        assert_eq!(o.date_key, DATE_ANNEX_III, "{id}");
    }
    // A private entity providing public services is not a public authority.
    let c = run(
        "deployer",
        "{annex_iii: [public-benefits], public_service: true}",
    );
    assert!(!has(&c, "art-49-3", "deployer"));
    assert!(!has(&c, "art-26-8", "deployer"));
    // Point 2 is excepted; a provider does not register a deployer's use.
    let c = run(
        "deployer",
        "{annex_iii: [critical-infrastructure], public_body: true}",
    );
    assert!(!has(&c, "art-49-3", "deployer"));
    let c = run(
        "provider",
        "{annex_iii: [public-benefits], public_body: true}",
    );
    assert!(!has(&c, "art-49-3", "provider") && !has(&c, "art-49-3", "deployer"));
}

/// Art. 86(1): the right to an explanation is owed by the deployer of an
/// Annex III high-risk system, except point 2.
#[test]
fn art_86_1_explanation_for_annex_iii_deployers_except_point_2() {
    let c = run("deployer", "{annex_iii: [employment-decisions]}");
    assert_eq!(get(&c, "art-86", "deployer").article, "Art. 86");
    let c = run("deployer", "{annex_iii: [critical-infrastructure]}");
    assert!(!has(&c, "art-86", "deployer"));
    let c = run(
        "deployer",
        "{safety_component: true, third_party_assessment: true}",
    );
    assert!(!has(&c, "art-86", "deployer"));
}

/// Art. 6(1)(a) and (b) are cumulative: an Annex I safety component without
/// a third-party conformity assessment is not high-risk.
#[test]
fn art_6_1_needs_a_third_party_conformity_assessment() {
    let c = run("provider", "{safety_component: true}");
    assert_eq!(c.tier, Tier::Minimal);
    assert_eq!(
        c.basis,
        ["Art. 6(1)(b) (no third-party conformity assessment)"]
    );
    assert!(!has(&c, "art-9", "provider"));
    let c = run(
        "provider",
        "{safety_component: true, third_party_assessment: true}",
    );
    assert_eq!(
        (c.tier, c.basis.as_slice()),
        (Tier::High, &["Art. 6(1)".to_string()][..])
    );
    // The assessment alone is no Annex I product (the loader refuses it:
    // tests/checks.rs).
    assert_eq!(
        run("provider", "{third_party_assessment: true}").tier,
        Tier::Minimal
    );
}

/// Digital Omnibus: Chapter III Sections 1-3 apply from 2027-12-02 for
/// Annex III systems and 2028-08-02 for Annex I; Art. 6(4) likewise; every
/// date stays overridable (`[regulation.dates]` replaces the catalogue's).
#[test]
fn omnibus_dates_apply_as_of_and_stay_overridable() {
    let s = system(
        "provider",
        "{annex_iii: [education-access], art6_3_exception: narrow-procedural-task, profiling: false}",
    );
    let o = |c: &Classification| get(c, "art-6-4", "provider").clone();
    assert!(!o(&classify(&s, act(), date("2027-12-01"))).in_force);
    let on = o(&classify(&s, act(), date("2027-12-02")));
    assert!(on.in_force);
    assert_eq!(on.original_date, Some(date("2026-08-02")));
    let mut moved = act().clone();
    for d in &mut moved.dates {
        if d.key == DATE_ANNEX_III {
            d.date = date("2026-08-02");
        }
    }
    assert!(o(&classify(&s, &moved, date("2026-12-04"))).in_force);
    // Art. 43-49 (Section 5) follow the system's high-risk date too.
    let c = run("provider", "{annex_iii: [creditworthiness]}");
    for id in ["art-43", "art-47", "art-48", "art-49"] {
        assert_eq!(get(&c, id, "provider").applies_from, date("2027-12-02"));
    }
}

/// Omnibus Art. 5(1)(ba) and (bb): new prohibited keys, banned from
/// 2026-12-02, not from the 2025 date of the other bans.
#[test]
fn omnibus_art_5_1_ba_bb_prohibitions_from_2026_12_02() {
    for (key, basis) in [
        ("intimate-imagery", "Art. 5(1)(ba)"),
        ("child-sexual-abuse-material", "Art. 5(1)(bb)"),
    ] {
        let s = system("provider", &format!("{{prohibited: [{key}]}}"));
        let before = classify(&s, act(), date("2026-12-01"));
        assert_eq!(before.tier, Tier::Prohibited);
        assert_eq!(before.basis, [basis]);
        assert_eq!(ids(&before, "provider"), ["art-4", "art-5-1-ba"]);
        let ban = get(&before, "art-5-1-ba", "provider");
        assert_eq!(ban.applies_from, date("2026-12-02"));
        assert!(!ban.in_force);
        let after = classify(&s, act(), date("2026-12-02"));
        assert!(get(&after, "art-5-1-ba", "provider").in_force);
    }
    // Both kinds of ban together: both dates.
    let c = run(
        "deployer",
        "{prohibited: [social-scoring, intimate-imagery]}",
    );
    assert_eq!(ids(&c, "deployer"), ["art-4", "art-5", "art-5-1-ba"]);
}

/// Art. 2(12): an open-source system that is not high-risk, prohibited or
/// under Art. 50 is out of scope; the others are not.
#[test]
fn art_2_12_open_source_out_of_scope_unless_high_prohibited_or_art_50() {
    let c = run("provider", "{open_source: true}");
    assert_eq!(
        (c.tier, c.basis.as_slice()),
        (Tier::OutOfScope, &["Art. 2(12)".to_string()][..])
    );
    assert!(c.obligations.is_empty());
    for (eu, tier) in [
        (
            "{open_source: true, annex_iii: [education-access]}",
            Tier::High,
        ),
        (
            "{open_source: true, prohibited: [social-scoring]}",
            Tier::Prohibited,
        ),
        (
            "{open_source: true, transparency: [synthetic-content]}",
            Tier::Limited,
        ),
    ] {
        assert_eq!(run("provider", eu).tier, tier, "{eu}");
    }
}

/// Art. 53(2): open-source GPAI models without systemic risk are spared
/// Art. 53(1)(a)-(b), not (c)-(d); with systemic risk, nothing is spared.
#[test]
fn art_53_2_open_source_gpai_spared_53_1_a_b() {
    let c = run("provider", "{open_source: true, gpai: gpai}");
    // Art. 2(12) concerns AI systems; the model's duties remain.
    assert_eq!(c.tier, Tier::OutOfScope);
    assert_eq!(ids(&c, "provider"), ["art-53-1-c"]);
    assert_eq!(c.basis, ["Art. 2(12)", "Art. 53(1)(c)-(d)"]);
    let c = run(
        "provider",
        "{open_source: true, gpai: gpai-systemic, transparency: [synthetic-content]}",
    );
    assert_eq!(
        ids(&c, "provider"),
        ["art-4", "art-50-2", "art-53", "art-53-1-c", "art-55"]
    );
}

/// Art. 23, 24 and 22: importers, distributors and authorised
/// representatives of a high-risk system each get their own article, and
/// none of the provider's or deployer's (nor Art. 4, which binds providers
/// and deployers).
#[test]
fn art_22_23_24_other_operators_get_their_own_duties() {
    for (role, id) in [
        ("importer", "art-23"),
        ("distributor", "art-24"),
        ("authorised-representative", "art-22"),
    ] {
        let c = run(role, "{annex_iii: [education-access]}");
        assert_eq!(ids(&c, role), [id], "{role}");
        assert!(ids(&c, "provider").is_empty() && ids(&c, "deployer").is_empty());
        // Nothing for a minimal-risk system.
        assert!(run(role, "{}").obligations.is_empty(), "{role}");
    }
    // Art. 54: the authorised representative of a GPAI model provider,
    // not needed for open-source models without systemic risk (Art. 54(6)).
    let c = run("authorised-representative", "{gpai: gpai}");
    assert_eq!(ids(&c, "authorised-representative"), ["art-54"]);
    let c = run(
        "authorised-representative",
        "{gpai: gpai, open_source: true}",
    );
    assert!(c.obligations.is_empty());
}

/// Art. 25(1)(a), (b), (c): a distributor, importer or deployer of a
/// high-risk system becomes its provider.
#[test]
fn art_25_1_triggers_make_the_operator_a_provider() {
    for (role, fact, cite) in [
        ("distributor", "own_name", "Art. 25(1)(a)"),
        ("importer", "substantial_modification", "Art. 25(1)(b)"),
        ("deployer", "changed_purpose", "Art. 25(1)(c)"),
    ] {
        let c = run(
            role,
            &format!("{{annex_iii: [employment-recruitment], {fact}: true}}"),
        );
        assert!(c.basis.contains(&cite.to_string()), "{:?}", c.basis);
        assert!(has(&c, "art-16", "provider"), "{role}");
        assert!(has(&c, "art-49", "provider"), "{role}");
        // It keeps the duties of the role it holds.
        assert!(!ids(&c, role).is_empty(), "{role}");
    }
    // Not high-risk: no provider duties follow (Art. 25(1) is about
    // high-risk systems).
    let c = run("deployer", "{own_name: true, transparency: [deep-fake]}");
    assert!(ids(&c, "provider").is_empty());
    assert!(!c.basis.iter().any(|b| b.starts_with("Art. 25")));
}

/// Art. 50(1)/(2) bind the provider, 50(3)/(4) the deployer: each side sees
/// the other's as theirs, not its own.
#[test]
fn art_50_duties_carried_by_the_other_operator_show_as_theirs() {
    let eu = "{transparency: [interacts-with-people, synthetic-content, deep-fake]}";
    let c = run("deployer", eu);
    assert_eq!(ids(&c, "deployer"), ["art-4", "art-50-4"]);
    assert_eq!(
        others(&c),
        [
            ("art-50-1".to_string(), "provider".to_string()),
            ("art-50-2".to_string(), "provider".to_string())
        ]
    );
    assert_eq!(get_any(&c, "art-50-1").holder(), "provider's");
    let c = run("provider", eu);
    assert_eq!(
        others(&c),
        [("art-50-4".to_string(), "deployer".to_string())]
    );
    // Both roles: nothing is someone else's.
    assert!(others(&run("provider-and-deployer", eu)).is_empty());
    let v = serde_json::to_value(run("deployer", eu)).unwrap();
    let o = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "art-50-1")
        .unwrap();
    assert_eq!(
        (o["role"].as_str(), o["carried_by"].as_str()),
        (Some("provider"), Some("other"))
    );
}

fn get_any<'a>(c: &'a Classification, id: &str) -> &'a ObligationDue {
    c.obligations.iter().find(|o| o.id == id).unwrap()
}

/// Art. 111(2): a high-risk system placed on the market before its
/// application date is covered only once significantly changed after it;
/// one intended for public authorities complies by 2030-08-02.
#[test]
fn art_111_2_existing_high_risk_systems() {
    let eu = "{annex_iii: [education-access], placed_on_market: 2025-03-01}";
    let c = run("provider", eu);
    assert_eq!(c.tier, Tier::High);
    assert_eq!(ids(&c, "provider"), ["art-4"]);
    assert!(c.basis.contains(&"Art. 111(2)".to_string()));

    // Significantly changed after the application date: covered.
    let mut s = system("provider", eu);
    s.changed = Some(date("2028-01-10"));
    let c = classify(&s, act(), date("2028-02-01"));
    assert!(get(&c, "art-9", "provider").in_force);
    // Changed before it: still grandfathered.
    s.changed = Some(date("2027-06-01"));
    assert!(!has(
        &classify(&s, act(), date("2028-02-01")),
        "art-9",
        "provider"
    ));

    // Public authority: 2030-08-02.
    let c = run(
        "deployer",
        "{annex_iii: [public-benefits], placed_on_market: 2025-03-01, public_body: true}",
    );
    let o = get(&c, "art-26", "deployer");
    assert_eq!(
        (o.date_key.as_str(), o.applies_from),
        ("art111-public-authority", date("2030-08-02"))
    );

    // Placed after the date: the ordinary date.
    let c = run(
        "provider",
        "{annex_iii: [education-access], placed_on_market: 2028-01-01}",
    );
    assert_eq!(get(&c, "art-9", "provider").date_key, DATE_ANNEX_III);
    assert!(!c.basis.contains(&"Art. 111(2)".to_string()));
}

/// Art. 111(3): GPAI models placed on the market before 2025-08-02 have
/// until 2027-08-02; Art. 111(4) (Omnibus): generative systems on the
/// market before 2026-08-02 mark output by 2026-12-02.
#[test]
fn art_111_3_and_4_existing_models_and_generative_systems() {
    let c = run(
        "provider",
        "{gpai: gpai-systemic, placed_on_market: 2024-11-01, transparency: [synthetic-content]}",
    );
    for id in ["art-53", "art-53-1-c", "art-55"] {
        let o = get(&c, id, "provider");
        assert_eq!(o.applies_from, date("2027-08-02"), "{id}");
        assert!(!o.in_force);
    }
    assert_eq!(
        get(&c, "art-50-2", "provider").applies_from,
        date("2026-12-02")
    );
    assert!(c.basis.contains(&"Art. 111(3)".to_string()));
    assert!(c.basis.contains(&"Art. 111(4)".to_string()));
    let c = run("provider", "{gpai: gpai, placed_on_market: 2025-09-01}");
    assert_eq!(
        get(&c, "art-53", "provider").applies_from,
        date("2025-08-02")
    );
}

/// No `eu_ai_act` block: the JSON says so rather than `minimal`.
#[test]
fn no_block_serialises_as_not_assessed() {
    let c = run("provider", "");
    assert_eq!(c.tier_name(), "not-assessed");
    let s = system("provider", "");
    let v = serde_json::to_value(crate::render::views::ClassifiedView::new(&s, &c)).unwrap();
    assert_eq!(
        (v["tier"].as_str(), v["assessed"].as_bool()),
        (Some("not-assessed"), Some(false))
    );
}
