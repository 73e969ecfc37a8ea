//! Classification and escalation (`docs/product.md`): pure rules.

use chrono::NaiveDate;
use entity::enums::{Continuum, Indicator, TrafficLight};

/// Indicators that make a behaviour `RED` on their own.
const RED_INDICATORS: [Indicator; 5] = [
    Indicator::Force,
    Indicator::Coercion,
    Indicator::AgeOrPowerGap,
    Indicator::NoInformedConsent,
    Indicator::Under13Involved,
];

/// Indicators that make a behaviour at least `AMBER`.
const AMBER_INDICATORS: [Indicator; 6] = [
    Indicator::Secrecy,
    Indicator::PersistsAfterIntervention,
    Indicator::Compulsive,
    Indicator::Distress,
    Indicator::Planning,
    Indicator::ImagesOrOnline,
];

/// The traffic light the service suggests from the indicators and the continuum.
pub fn suggested_traffic_light(indicators: &[Indicator], continuum: Continuum) -> TrafficLight {
    if indicators.iter().any(|i| RED_INDICATORS.contains(i))
        || matches!(continuum, Continuum::Abusive | Continuum::Violent)
    {
        TrafficLight::Red
    } else if indicators.iter().any(|i| AMBER_INDICATORS.contains(i))
        || continuum == Continuum::Problematic
    {
        TrafficLight::Amber
    } else {
        TrafficLight::Green
    }
}

/// Whether the practitioner's classification needs a rationale: it is lower than the suggestion.
pub fn needs_rationale(chosen: TrafficLight, suggested: TrafficLight) -> bool {
    chosen < suggested
}

/// Whether two dates are within 12 months of each other.
fn within_twelve_months(a: NaiveDate, b: NaiveDate) -> bool {
    let (early, late) = if a <= b { (a, b) } else { (b, a) };
    late <= crate::timescales::dates::add_months(early, 12)
}

/// `docs/product.md`: `RED`, or the second `AMBER` or worse for the child within 12 months,
/// whichever agency recorded the other. `others` are the child's other behaviours as
/// (occurred on, traffic light).
pub fn escalates(
    light: TrafficLight,
    occurred_on: NaiveDate,
    others: &[(NaiveDate, TrafficLight)],
) -> bool {
    light == TrafficLight::Red
        || (light >= TrafficLight::Amber
            && others.iter().any(|(date, other)| {
                *other >= TrafficLight::Amber && within_twelve_months(*date, occurred_on)
            }))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn suggestions_follow_the_design() {
        assert_eq!(
            suggested_traffic_light(&[], Continuum::Normal),
            TrafficLight::Green
        );
        assert_eq!(
            suggested_traffic_light(&[], Continuum::Inappropriate),
            TrafficLight::Green
        );
        assert_eq!(
            suggested_traffic_light(&[], Continuum::Problematic),
            TrafficLight::Amber
        );
        assert_eq!(
            suggested_traffic_light(&[], Continuum::Abusive),
            TrafficLight::Red
        );
        assert_eq!(
            suggested_traffic_light(&[], Continuum::Violent),
            TrafficLight::Red
        );
        assert_eq!(
            suggested_traffic_light(&[Indicator::Secrecy], Continuum::Normal),
            TrafficLight::Amber
        );
        assert_eq!(
            suggested_traffic_light(&[Indicator::Under13Involved], Continuum::Normal),
            TrafficLight::Red
        );
        assert_eq!(
            suggested_traffic_light(
                &[Indicator::ImagesOrOnline, Indicator::Coercion],
                Continuum::Inappropriate
            ),
            TrafficLight::Red
        );
    }

    #[test]
    fn a_lower_classification_needs_a_rationale_and_a_higher_one_does_not() {
        assert!(needs_rationale(TrafficLight::Green, TrafficLight::Amber));
        assert!(needs_rationale(TrafficLight::Amber, TrafficLight::Red));
        assert!(!needs_rationale(TrafficLight::Red, TrafficLight::Amber));
        assert!(!needs_rationale(TrafficLight::Amber, TrafficLight::Amber));
    }

    #[test]
    fn escalation_follows_the_design() {
        let today = date(2026, 6, 1);
        assert!(escalates(TrafficLight::Red, today, &[]));
        assert!(!escalates(TrafficLight::Amber, today, &[]));
        assert!(escalates(
            TrafficLight::Amber,
            today,
            &[(date(2025, 6, 1), TrafficLight::Amber)]
        ));
        assert!(!escalates(
            TrafficLight::Amber,
            today,
            &[(date(2025, 5, 31), TrafficLight::Amber)]
        ));
        assert!(escalates(
            TrafficLight::Amber,
            today,
            &[(date(2026, 1, 1), TrafficLight::Red)]
        ));
        assert!(!escalates(
            TrafficLight::Amber,
            today,
            &[(date(2026, 1, 1), TrafficLight::Green)]
        ));
        assert!(!escalates(
            TrafficLight::Green,
            today,
            &[(date(2026, 1, 1), TrafficLight::Red)]
        ));
        // Recorded late but occurred earlier: still within 12 months.
        assert!(escalates(
            TrafficLight::Amber,
            date(2026, 1, 1),
            &[(today, TrafficLight::Amber)]
        ));
    }

    fn indicator() -> impl Strategy<Value = Indicator> {
        prop::sample::select(vec![
            Indicator::Force,
            Indicator::Coercion,
            Indicator::Secrecy,
            Indicator::AgeOrPowerGap,
            Indicator::NoInformedConsent,
            Indicator::PersistsAfterIntervention,
            Indicator::Compulsive,
            Indicator::Distress,
            Indicator::Planning,
            Indicator::Under13Involved,
            Indicator::ImagesOrOnline,
        ])
    }

    fn continuum() -> impl Strategy<Value = Continuum> {
        prop::sample::select(vec![
            Continuum::Normal,
            Continuum::Inappropriate,
            Continuum::Problematic,
            Continuum::Abusive,
            Continuum::Violent,
        ])
    }

    fn light() -> impl Strategy<Value = TrafficLight> {
        prop::sample::select(vec![
            TrafficLight::Green,
            TrafficLight::Amber,
            TrafficLight::Red,
        ])
    }

    proptest! {
        #[test]
        fn adding_an_indicator_never_lowers_the_suggestion(
            indicators in prop::collection::vec(indicator(), 0..6), extra in indicator(), c in continuum()
        ) {
            let before = suggested_traffic_light(&indicators, c);
            let mut more = indicators.clone();
            more.push(extra);
            prop_assert!(suggested_traffic_light(&more, c) >= before);
        }

        #[test]
        fn a_worse_continuum_never_lowers_the_suggestion(
            indicators in prop::collection::vec(indicator(), 0..6), a in continuum(), b in continuum()
        ) {
            let (low, high) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(suggested_traffic_light(&indicators, high) >= suggested_traffic_light(&indicators, low));
        }

        #[test]
        fn the_order_of_indicators_does_not_matter(mut indicators in prop::collection::vec(indicator(), 0..6), c in continuum()) {
            let before = suggested_traffic_light(&indicators, c);
            indicators.reverse();
            prop_assert_eq!(suggested_traffic_light(&indicators, c), before);
        }

        #[test]
        fn escalation_is_monotonic_in_history_and_severity(
            history in prop::collection::vec((0i64..800, light()), 0..6), extra in (0i64..800, light()),
            l in light(), worse in light()
        ) {
            let base = date(2026, 1, 1);
            let others: Vec<(NaiveDate, TrafficLight)> =
                history.iter().map(|(d, l)| (base - chrono::Duration::days(*d), *l)).collect();
            let mut more = others.clone();
            more.push((base - chrono::Duration::days(extra.0), extra.1));
            // More history never un-escalates.
            prop_assert!(!escalates(l, base, &others) || escalates(l, base, &more));
            // A worse light never un-escalates.
            if worse >= l {
                prop_assert!(!escalates(l, base, &others) || escalates(worse, base, &others));
            }
            // RED always escalates; GREEN never does.
            prop_assert!(escalates(TrafficLight::Red, base, &others));
            prop_assert!(!escalates(TrafficLight::Green, base, &others));
        }
    }
}
