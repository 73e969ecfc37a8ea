use super::*;

/// Parses `text` as `policy.toml` and returns the error's message.
fn error_for(text: &str) -> String {
    Policy::from_toml_str(text, "policy.toml")
        .unwrap_err()
        .to_string()
}

#[test]
fn shipped_default_parses_to_the_builtin_values() {
    let parsed = Policy::from_toml_str(DEFAULT_POLICY_TOML, DEFAULT_POLICY_NAME).unwrap();
    let without_frameworks = |policy: Policy| Policy {
        assessment_frameworks: vec![],
        ..policy
    };
    assert_eq!(without_frameworks(parsed), Policy::builtin());
    assert_eq!(
        without_frameworks(Policy::default_policy()),
        Policy::builtin()
    );
    assert_eq!(without_frameworks(Policy::default()), Policy::builtin());
    assert_eq!(DeadlinePolicy::default(), DeadlinePolicy::builtin());
}

#[test]
fn default_values_are_the_documented_ones() {
    let policy = Policy::default_policy();
    assert_eq!(policy.jurisdiction, Jurisdiction::EnglandAndWales);
    assert_eq!(policy.designated_social_care, None);
    assert_eq!(policy.designated_police, None);
    let d = policy.deadlines;
    assert_eq!(d.referral_decision_working_days, 1);
    assert_eq!(d.strategy_discussion_hours, 24);
    assert_eq!(d.initial_cp_conference_working_days, 15);
    assert_eq!(d.assessment_completed_working_days, 45);
    assert_eq!(d.plan_review_months, 3);
    assert_eq!(d.disclosure_to_outcome_days, 120);
    assert_eq!(d.transition_alert_months_before_18, 6);
}

#[test]
fn empty_file_is_the_default_policy() {
    assert_eq!(
        Policy::from_toml_str("", "policy.toml").unwrap(),
        Policy::default_policy()
    );
}

#[test]
fn missing_keys_fall_back_to_defaults() {
    let text = r#"
jurisdiction = "scotland"
designated_police = "Police Scotland"

[deadlines]
plan_review_months = 6
"#;
    let policy = Policy::from_toml_str(text, "policy.toml").unwrap();
    assert_eq!(policy.jurisdiction, Jurisdiction::Scotland);
    assert_eq!(policy.designated_police.as_deref(), Some("Police Scotland"));
    assert_eq!(policy.designated_social_care, None);
    assert_eq!(policy.deadlines.plan_review_months, 6);
    let expected = DeadlinePolicy {
        plan_review_months: 6,
        ..DeadlinePolicy::builtin()
    };
    assert_eq!(policy.deadlines, expected);
}

#[test]
fn dotted_and_inline_keys_work_too() {
    let dotted = "deadlines.strategy_discussion_hours = 12\n";
    let policy = Policy::from_toml_str(dotted, "policy.toml").unwrap();
    assert_eq!(policy.deadlines.strategy_discussion_hours, 12);
    let inline = "deadlines = { plan_review_months = 4 }\n";
    let policy = Policy::from_toml_str(inline, "policy.toml").unwrap();
    assert_eq!(policy.deadlines.plan_review_months, 4);
}

#[test]
fn wrong_type_names_file_line_and_field() {
    let text = r#"jurisdiction = "england-and-wales"

[deadlines]
referral_decision_working_days = "one"
"#;
    assert_eq!(
        error_for(text),
        "policy.toml line 4: deadlines.referral_decision_working_days: \
         invalid type: string \"one\", expected u32"
    );
}

#[test]
fn negative_number_names_the_field() {
    let message = error_for("[deadlines]\n\nplan_review_months = -3\n");
    assert!(
        message.starts_with("policy.toml line 3: deadlines.plan_review_months: "),
        "{message}"
    );
}

#[test]
fn unknown_field_names_file_line_and_field() {
    let text = "[deadlines]\nplan_review_months = 3\nplan_reveiw_months = 4\n";
    let message = error_for(text);
    assert!(
        message.starts_with("policy.toml line 3: deadlines.plan_reveiw_months: unknown field"),
        "{message}"
    );
}

#[test]
fn unknown_top_level_field_is_rejected() {
    let message = error_for("jurisdiction = \"scotland\"\ndesignated_health = \"NHS\"\n");
    assert!(
        message.starts_with("policy.toml line 2: designated_health: unknown field"),
        "{message}"
    );
}

#[test]
fn unknown_jurisdiction_names_file_line_and_field() {
    let message = error_for("# Our policy\njurisdiction = \"wales\"\n");
    assert_eq!(
        message,
        "policy.toml line 2: jurisdiction: unknown jurisdiction \"wales\", expected one of \
         \"england-and-wales\", \"scotland\", \"northern-ireland\""
    );
}

#[test]
fn syntax_error_names_file_line_and_field() {
    let text = "[deadlines]\nplan_review_months = 3\nstrategy_discussion_hours = 24 hours\n";
    let message = error_for(text);
    assert!(
        message.starts_with("policy.toml line 3: deadlines.strategy_discussion_hours: "),
        "{message}"
    );
}

#[test]
fn syntax_error_without_a_key_still_names_the_line() {
    let message = error_for("jurisdiction = \"scotland\"\n[deadlines\n");
    assert!(message.starts_with("policy.toml line 2: "), "{message}");
}

#[test]
fn from_file_names_the_path() {
    let dir = std::env::temp_dir().join(format!("concord-policy-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("policy.toml");
    std::fs::write(&path, "[deadlines]\nplan_review_months = \"x\"\n").unwrap();
    let message = Policy::from_file(&path).unwrap_err().to_string();
    let expected = format!("{} line 2: deadlines.plan_review_months: ", path.display());
    assert!(message.starts_with(&expected), "{message}");

    std::fs::write(&path, "jurisdiction = \"northern-ireland\"\n").unwrap();
    let policy = Policy::from_file(&path).unwrap();
    assert_eq!(policy.jurisdiction, Jurisdiction::NorthernIreland);

    let missing = dir.join("absent.toml");
    let err = Policy::from_file(&missing).unwrap_err();
    assert!(matches!(err, PolicyError::Read { .. }));
    assert!(
        err.to_string().starts_with("cannot read policy file "),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_shipped_frameworks_are_the_three_documented_ones() {
    let frameworks = Policy::default_policy().frameworks();
    let codes: Vec<_> = frameworks.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["CIN_AF", "HSB_AIM3", "HSB_AIM_UNDER_12"]);
    let aim3 = &frameworks[1];
    assert!(aim3.fits_age(12) && aim3.fits_age(17) && !aim3.fits_age(11));
    let domains: Vec<_> = aim3.domains.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        domains,
        [
            "SEXUAL_BEHAVIOURS",
            "NON_SEXUAL_BEHAVIOURS",
            "DEVELOPMENTAL",
            "FAMILY",
            "ENVIRONMENT"
        ]
    );
    assert!(frameworks[2].fits_age(8) && !frameworks[2].fits_age(12));
    assert_eq!(frameworks[0].domains.len(), 3);
}

#[test]
fn a_local_file_without_frameworks_keeps_the_shipped_ones_and_one_with_them_replaces_them() {
    let keeps = Policy::from_toml_str("jurisdiction = \"scotland\"\n", "local.toml").unwrap();
    assert_eq!(keeps.frameworks(), Policy::default_policy().frameworks());
    let own = "[[assessment_frameworks]]\ncode = \"LOCAL\"\nversion = \"1\"\nname = \"Local model\"\n\
               min_age_years = 5\nmax_age_years = 17\n[[assessment_frameworks.domains]]\n\
               code = \"ONLY\"\nname = \"The only domain\"\n";
    let replaced = Policy::from_toml_str(own, "local.toml").unwrap();
    let codes: Vec<_> = replaced.frameworks().into_iter().map(|f| f.code).collect();
    assert_eq!(codes, ["LOCAL"]);
}

#[test]
fn a_framework_with_duplicate_codes_or_no_domains_is_refused_naming_the_field() {
    let twice = "[[assessment_frameworks]]\ncode = \"A\"\nversion = \"1\"\nname = \"A\"\n\
                 min_age_years = 0\nmax_age_years = 17\ndomains = [{ code = \"D\", name = \"D\" }]\n\
                 [[assessment_frameworks]]\ncode = \"A\"\nversion = \"1\"\nname = \"A\"\n\
                 min_age_years = 0\nmax_age_years = 17\ndomains = [{ code = \"D\", name = \"D\" }]\n";
    let error = Policy::from_toml_str(twice, "local.toml")
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("assessment_frameworks") && error.contains("twice"),
        "{error}"
    );
    let empty = "[[assessment_frameworks]]\ncode = \"A\"\nversion = \"1\"\nname = \"A\"\n\
                 min_age_years = 0\nmax_age_years = 17\ndomains = []\n";
    let error = Policy::from_toml_str(empty, "local.toml")
        .unwrap_err()
        .to_string();
    assert!(error.contains("1 to 20 domains"), "{error}");
    let ages = "[[assessment_frameworks]]\ncode = \"A\"\nversion = \"1\"\nname = \"A\"\n\
                min_age_years = 12\nmax_age_years = 5\ndomains = [{ code = \"D\", name = \"D\" }]\n";
    let error = Policy::from_toml_str(ages, "local.toml")
        .unwrap_err()
        .to_string();
    assert!(error.contains("min_age_years"), "{error}");
}

#[test]
fn the_retention_schedule_defaults_are_the_documented_ones() {
    let r = Policy::default_policy().retention;
    assert_eq!(r, RetentionPolicy::builtin());
    assert_eq!(RetentionPolicy::default(), RetentionPolicy::builtin());
    assert_eq!(r.child_protection_years_after_last_contact, 35);
    assert_eq!(r.looked_after_years_after_birth, 75);
    assert_eq!(r.youth_justice_out_of_court_years_after_last_contact, 3);
    assert_eq!(r.case_record_years_after_last_contact, 35);
    assert_eq!(r.audit_log_years, 7);
}

#[test]
fn a_file_may_override_one_retention_key_and_keeps_the_rest() {
    let policy =
        Policy::from_toml_str("[retention]\naudit_log_years = 10\n", "policy.toml").unwrap();
    assert_eq!(
        policy.retention,
        RetentionPolicy {
            audit_log_years: 10,
            ..RetentionPolicy::builtin()
        }
    );
    let message = error_for("[retention]\naudit_log_yeras = 10\n");
    assert!(message.contains("policy.toml line 2"), "{message}");
    assert!(message.contains("retention.audit_log_yeras"), "{message}");
}
