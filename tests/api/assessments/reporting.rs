//! The strategic report's assessment figures, on counts large enough to be published.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use super::{ask, complete, contribute, contribution_of, start, team};
use crate::fixture;
use crate::helpers::plans::active_plan;
use crate::helpers::{TestActor, id_of, spawn_apps};

const REPORT: &str = "query($from: DateTime!, $to: DateTime!) { strategicReport(from: $from, to: $to) { assessments {
    completed { total { value suppressed } cells { key value suppressed } }
    completedWithinTimescale { value suppressed }
    contributions { total { value suppressed } cells { key value suppressed } }
    plansActive { value suppressed } plansSpanningThreeAgencyKinds { value suppressed }
    needsIdentified { value suppressed } needsWithoutAction { value suppressed } } } }";

fn cell(breakdown: &Value, key: &str) -> Value {
    breakdown["cells"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["key"] == key))
        .cloned()
        .unwrap_or_else(|| panic!("no {key} cell in {breakdown}"))
}

fn count(value: i64) -> Value {
    json!({ "value": value, "suppressed": false })
}

#[tokio::test]
async fn five_completed_assessments_are_published_by_lead_and_contributing_agency_kind() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        for name in ["Assessa", "Assessb", "Assessc", "Assessd", "Assesse"] {
            let kid = fixture::register(&app, name).await;
            fixture::involve(&app, &f.agency_gid("school"), &kid, "school").await;
            fixture::involve(&app, &f.agency_gid("police"), &kid, "police").await;
            let assessment = start(&app, &f, &kid).await;
            let asked = ask(&app, &f, &assessment, &["school", "police"], &["FAMILY"]).await;
            let part = id_of(&contribution_of(
                &asked["contributions"],
                "school",
                "FAMILY",
            ));
            let answered = contribute(
                &app,
                &TestActor::practitioner("school"),
                &part,
                name,
                "STANDARD",
                &[],
            )
            .await;
            assert!(answered["errors"].is_null(), "{answered}");
            complete(
                &app,
                &assessment,
                &[("FAMILY", "Synthetic: supervision at home.")],
            )
            .await;
            active_plan(&app, &f, &kid, &["school"]).await;
        }
        // One more in progress, not counted.
        start(&app, &f, &f.alpha).await;

        let analyst = TestActor::analyst("partnership");
        let now = json!({ "from": (Utc::now() - Duration::days(7)).to_rfc3339(), "to": (Utc::now() + Duration::days(1)).to_rfc3339() });
        let data = app.ok_as(&analyst, REPORT, now).await;
        let figures = &data["strategicReport"]["assessments"];
        assert_eq!(figures["completed"]["total"], count(5), "{figures}");
        assert_eq!(
            cell(&figures["completed"], "CHILDRENS_SOCIAL_CARE"),
            json!({ "key": "CHILDRENS_SOCIAL_CARE", "value": 5, "suppressed": false })
        );
        assert_eq!(cell(&figures["completed"], "POLICE")["value"], 0);
        assert_eq!(figures["completedWithinTimescale"], count(5));
        // The police never answered: only the school's five count.
        assert_eq!(figures["contributions"]["total"], count(5));
        assert_eq!(cell(&figures["contributions"], "EDUCATION")["value"], 5);
        assert_eq!(cell(&figures["contributions"], "POLICE")["value"], 0);
        assert_eq!(figures["plansActive"], count(5));
        assert_eq!(figures["plansSpanningThreeAgencyKinds"], count(0));
        assert_eq!(figures["needsIdentified"], count(5));
        assert_eq!(figures["needsWithoutAction"], count(5));

        // A period before any of it: nothing.
        let before = json!({ "from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z" });
        let data = app.ok_as(&analyst, REPORT, before).await;
        let figures = &data["strategicReport"]["assessments"];
        assert_eq!(figures["completed"]["total"], count(0), "{figures}");
        assert_eq!(figures["needsIdentified"], count(0));
        assert_eq!(figures["plansActive"], count(0));
    }
}

#[tokio::test]
async fn needs_and_contributions_of_fewer_than_five_assessments_are_withheld_however_many() {
    for app in spawn_apps().await {
        let f = team(&app).await;
        let assessment = start(&app, &f, &f.alpha).await;
        let domains = [
            "SEXUAL_BEHAVIOURS",
            "NON_SEXUAL_BEHAVIOURS",
            "DEVELOPMENTAL",
            "FAMILY",
            "ENVIRONMENT",
        ];
        let asked = ask(&app, &f, &assessment, &["school", "police"], &domains).await;
        for code in ["school", "police"] {
            for domain in domains {
                let part = id_of(&contribution_of(&asked["contributions"], code, domain));
                let answered = contribute(
                    &app,
                    &TestActor::practitioner(code),
                    &part,
                    domain,
                    "STANDARD",
                    &[],
                )
                .await;
                assert!(answered["errors"].is_null(), "{answered}");
            }
        }
        let needs: Vec<(&str, &str)> = domains.iter().map(|d| (*d, "Synthetic need.")).collect();
        complete(&app, &assessment, &needs).await;

        let analyst = TestActor::analyst("partnership");
        let now = json!({ "from": (Utc::now() - Duration::days(7)).to_rfc3339(), "to": (Utc::now() + Duration::days(1)).to_rfc3339() });
        let data = app.ok_as(&analyst, REPORT, now).await;
        let figures = &data["strategicReport"]["assessments"];
        let withheld = json!({ "value": null, "suppressed": true });
        // One assessment: its ten contributions and five needs would describe it.
        assert_eq!(figures["completed"]["total"], withheld, "{figures}");
        assert_eq!(figures["contributions"]["total"], withheld, "{figures}");
        for cell in figures["contributions"]["cells"].as_array().expect("cells") {
            assert_eq!(cell["suppressed"], true, "{cell}");
        }
        assert_eq!(figures["needsIdentified"], withheld);
        assert_eq!(figures["needsWithoutAction"], withheld);
    }
}
