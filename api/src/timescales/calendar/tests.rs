use super::*;
use proptest::prelude::*;

use Jurisdiction::{EnglandAndWales as EW, NorthernIreland as NI, Scotland as SC};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cal(j: Jurisdiction) -> Calendar {
    Calendar::try_for_jurisdiction(j).unwrap()
}

#[test]
fn jurisdiction_names_round_trip() {
    for j in Jurisdiction::ALL {
        assert_eq!(Jurisdiction::from_name(j.name()), Some(j));
        assert_eq!(j.to_string(), j.name());
    }
    assert_eq!(Jurisdiction::from_name("scotland"), Some(SC));
    assert_eq!(Jurisdiction::from_name("Scotland"), None);
    assert_eq!(Jurisdiction::from_name("wales"), None);
}

#[test]
fn shipped_files_parse_and_cover_2024_to_2030() {
    for j in Jurisdiction::ALL {
        let c = cal(j);
        assert_eq!((c.first_year(), c.last_year()), (2024, 2030), "{j}");
        assert_eq!(c, Calendar::for_jurisdiction(j));
        assert!(!c.covers(d(2023, 12, 31)) && c.covers(d(2024, 1, 1)));
        assert!(c.covers(d(2030, 12, 31)) && !c.covers(d(2031, 1, 1)));
    }
}

#[test]
fn holidays_per_year_match_the_statutory_lists() {
    // E&W 8, Scotland 9 (+1 one-off in 2026), Northern Ireland 10; substitute
    // days replace, never add to, the weekend date.
    for year in 2024..=2030 {
        let count = |j| {
            cal(j)
                .holidays
                .keys()
                .filter(|date| date.year() == year)
                .count()
        };
        assert_eq!(count(EW), 8, "E&W {year}");
        assert_eq!(
            count(SC),
            if year == 2026 { 10 } else { 9 },
            "Scotland {year}"
        );
        assert_eq!(count(NI), 10, "NI {year}");
    }
}

#[test]
fn known_bank_holidays() {
    // (jurisdiction, date, is a bank holiday) — each worked out by hand.
    let cases = [
        // Easter 2024 is Sunday 31 March: Good Friday 29 March, Easter Monday 1 April.
        (EW, d(2024, 3, 29), true),
        (EW, d(2024, 4, 1), true),
        (SC, d(2024, 3, 29), true),
        (SC, d(2024, 4, 1), false), // Easter Monday is not a Scottish bank holiday.
        (NI, d(2024, 4, 1), true),
        // 25 Dec 2027 is a Saturday and 26th a Sunday: substitutes Mon 27, Tue 28.
        (EW, d(2027, 12, 25), false),
        (EW, d(2027, 12, 27), true),
        (EW, d(2027, 12, 28), true),
        (SC, d(2027, 12, 28), true),
        (NI, d(2027, 12, 27), true),
        // 26 Dec 2026 is a Saturday (Christmas a Friday): substitute Mon 28.
        (EW, d(2026, 12, 25), true),
        (EW, d(2026, 12, 28), true),
        // 1 Jan 2028 is a Saturday: E&W substitute Mon 3 Jan only; Scotland
        // also moves 2 January (a Sunday) to Tue 4 Jan.
        (EW, d(2028, 1, 3), true),
        (EW, d(2028, 1, 4), false),
        (SC, d(2028, 1, 3), true),
        (SC, d(2028, 1, 4), true),
        // 2 Jan 2027 is a Saturday: Scottish substitute Mon 4 Jan 2027.
        (SC, d(2027, 1, 4), true),
        (EW, d(2027, 1, 4), false),
        (SC, d(2024, 1, 2), true),
        (EW, d(2024, 1, 2), false),
        // St Andrew's Day: Sat 30 Nov 2024 -> Mon 2 Dec; Mon 30 Nov 2026 stays.
        (SC, d(2024, 12, 2), true),
        (EW, d(2024, 12, 2), false),
        (SC, d(2026, 11, 30), true),
        (SC, d(2030, 12, 2), true), // 30 Nov 2030 is a Saturday.
        // Summer: Scotland first Monday of August, elsewhere the last.
        (SC, d(2024, 8, 5), true),
        (SC, d(2024, 8, 26), false),
        (EW, d(2024, 8, 26), true),
        // Scotland's one-off World Cup bank holiday, Monday 15 June 2026.
        (SC, d(2026, 6, 15), true),
        (EW, d(2026, 6, 15), false),
        // St Patrick's Day: Sun 17 Mar 2024 -> Mon 18; Sat 17 Mar 2029 -> Mon 19.
        (NI, d(2024, 3, 18), true),
        (EW, d(2024, 3, 18), false),
        (NI, d(2029, 3, 19), true),
        (NI, d(2027, 3, 17), true), // A Wednesday.
        // Battle of the Boyne: Sat 12 Jul 2025 -> Mon 14; Sun 12 Jul 2026 -> Mon 13.
        (NI, d(2025, 7, 14), true),
        (NI, d(2026, 7, 13), true),
        (NI, d(2024, 7, 12), true), // A Friday.
        (SC, d(2024, 7, 12), false),
    ];
    for (j, date, expected) in cases {
        assert_eq!(cal(j).is_bank_holiday(date), expected, "{j} {date}");
    }
    assert_eq!(cal(EW).holiday_name(d(2024, 3, 29)), Some("Good Friday"));
    assert_eq!(cal(EW).holiday_name(d(2024, 3, 28)), None);
}

#[test]
fn weekends_are_never_working_days() {
    let c = cal(EW);
    assert!(!c.is_working_day(d(2024, 3, 30))); // Saturday
    assert!(!c.is_working_day(d(2024, 3, 31))); // Sunday
    assert!(!c.is_working_day(d(2027, 12, 25))); // Saturday Christmas, not listed
    assert!(c.is_working_day(d(2024, 3, 28))); // Thursday before Good Friday
    assert!(!c.is_working_day(d(2024, 3, 29))); // Good Friday
}

#[test]
fn adding_working_days_across_holidays() {
    // (jurisdiction, from, n, expected) — each counted by hand.
    let cases = [
        // Thu 28 Mar 2024 + 1: Fri 29 Good Friday, weekend, Mon 1 Apr Easter
        // Monday -> Tue 2 Apr. Scotland works Easter Monday -> Mon 1 Apr.
        (EW, d(2024, 3, 28), 1, d(2024, 4, 2)),
        (NI, d(2024, 3, 28), 1, d(2024, 4, 2)),
        (SC, d(2024, 3, 28), 1, d(2024, 4, 1)),
        // Starting on a holiday or a weekend counts from that day: Good Friday
        // 2024 + 1 -> Tue 2 Apr; Sat 6 Jan 2024 + 1 -> Mon 8 Jan.
        (EW, d(2024, 3, 29), 1, d(2024, 4, 2)),
        (EW, d(2024, 1, 6), 1, d(2024, 1, 8)),
        // Fri 22 Dec 2028 + 1: weekend, Mon 25 Christmas, Tue 26 Boxing Day -> Wed 27.
        (EW, d(2028, 12, 22), 1, d(2028, 12, 27)),
        // Thu 23 Dec 2027 + 3: Fri 24 (1), weekend, Mon 27 and Tue 28
        // substitutes, Wed 29 (2), Thu 30 (3).
        (EW, d(2027, 12, 23), 3, d(2027, 12, 30)),
        // Thu 24 Dec 2026 + 1: Fri 25 Christmas, weekend, Mon 28 Boxing Day
        // substitute -> Tue 29.
        (EW, d(2026, 12, 24), 1, d(2026, 12, 29)),
        // Fri 31 Dec 2027 + 1: weekend, Mon 3 Jan substitute -> Tue 4 Jan 2028;
        // Scotland also has Tue 4 Jan -> Wed 5 Jan.
        (EW, d(2027, 12, 31), 1, d(2028, 1, 4)),
        (SC, d(2027, 12, 31), 1, d(2028, 1, 5)),
        // Initial conference (15 working days) from Mon 14 Dec 2026, E&W:
        // 15-18 Dec (1-4), 21-24 Dec (5-8), Fri 25 and Mon 28 off, 29-31 Dec
        // (9-11), Fri 1 Jan off, Mon 4 to Thu 7 Jan (12-15) -> Thu 7 Jan 2027.
        // Scotland also loses Mon 4 Jan (2 January substitute) -> Fri 8 Jan.
        (EW, d(2026, 12, 14), 15, d(2027, 1, 7)),
        (SC, d(2026, 12, 14), 15, d(2027, 1, 8)),
        // 20 working days from Thu 17 Apr 2025, E&W: Fri 18 and Mon 21 off,
        // 22-25 Apr (1-4), 28 Apr-2 May (5-9), Mon 5 May off, 6-9 May
        // (10-13), 12-16 May (14-18), Mon 19 (19), Tue 20 (20).
        // Scotland works Easter Monday, so it is one day earlier: Mon 19 May.
        (EW, d(2025, 4, 17), 20, d(2025, 5, 20)),
        (SC, d(2025, 4, 17), 20, d(2025, 5, 19)),
        // Assessment (45 working days) from Mon 2 Sep 2024, no holidays until
        // Christmas: exactly 9 weeks -> Mon 4 Nov 2024.
        (EW, d(2024, 9, 2), 45, d(2024, 11, 4)),
        // Fri 29 Nov 2024 + 1: Scotland's St Andrew's substitute Mon 2 Dec -> Tue 3.
        (SC, d(2024, 11, 29), 1, d(2024, 12, 3)),
        (EW, d(2024, 11, 29), 1, d(2024, 12, 2)),
        // Fri 31 Jul 2026 + 1: Scotland's summer holiday Mon 3 Aug -> Tue 4.
        (SC, d(2026, 7, 31), 1, d(2026, 8, 4)),
        (EW, d(2026, 7, 31), 1, d(2026, 8, 3)),
        // Fri 12 Jun 2026 + 1: Scotland's World Cup holiday Mon 15 Jun -> Tue 16.
        (SC, d(2026, 6, 12), 1, d(2026, 6, 16)),
        // NI: Fri 15 Mar 2024 + 1 skips St Patrick's substitute Mon 18 -> Tue 19;
        // Fri 11 Jul 2025 + 1 skips the Boyne substitute Mon 14 -> Tue 15.
        (NI, d(2024, 3, 15), 1, d(2024, 3, 19)),
        (EW, d(2024, 3, 15), 1, d(2024, 3, 18)),
        (NI, d(2025, 7, 11), 1, d(2025, 7, 15)),
        // Zero working days returns the start date, even on a weekend.
        (EW, d(2024, 3, 30), 0, d(2024, 3, 30)),
    ];
    for (j, from, n, expected) in cases {
        assert_eq!(
            cal(j).add_working_days(from, n),
            expected,
            "{j} {from} + {n}"
        );
    }
}

#[test]
fn beyond_the_data_only_weekends_are_skipped() {
    let c = cal(EW);
    // Fri 27 Dec 2030 + 3: Mon 30, Tue 31, then Wed 1 Jan 2031 — New Year's
    // Day 2031 is not in the data, which is why the checked form says None.
    assert_eq!(c.add_working_days(d(2030, 12, 27), 3), d(2031, 1, 1));
    assert_eq!(c.checked_add_working_days(d(2030, 12, 27), 3), None);
    assert_eq!(
        c.checked_add_working_days(d(2030, 12, 27), 2),
        Some(d(2030, 12, 31))
    );
    assert_eq!(c.checked_add_working_days(d(2023, 12, 29), 1), None);
    // 10 weekdays from Sat 4 Jan 2031: as from Fri 3 Jan -> Fri 17 Jan 2031.
    assert_eq!(c.add_working_days(d(2031, 1, 4), 10), d(2031, 1, 17));
    // Absurd n saturates instead of looping for ever or panicking.
    assert_eq!(c.add_working_days(d(2024, 1, 1), u32::MAX), NaiveDate::MAX);
}

#[test]
fn parser_accepts_comments_and_names() {
    let text = "# header\n\n2024-01-01   # New Year's Day\n2025-01-01\n";
    let c = Calendar::from_holiday_list(EW, "t.txt", text).unwrap();
    assert_eq!(c.holiday_name(d(2024, 1, 1)), Some("New Year's Day"));
    assert_eq!(c.holiday_name(d(2025, 1, 1)), Some("bank holiday"));
    assert_eq!((c.first_year(), c.last_year()), (2024, 2025));
}

#[test]
fn parser_rejects_bad_lines_naming_file_and_line() {
    let cases = [
        (
            "2024-01-01\n2024-13-01 # bad month\n",
            2,
            "not a calendar date",
        ),
        ("# x\n2024-1-2\n", 2, "expected a date as YYYY-MM-DD"),
        ("2024-01-01\n\nChristmas 2024-12-25\n", 3, "expected a date"),
        ("2024-01-01 2024-01-02\n", 1, "expected a date"),
        (
            "2024-01-01\n2024-12-25\n2024-12-28 # Saturday\n",
            3,
            "is a Saturday",
        ),
        ("2024-12-25\n2024-01-01\n", 2, "does not come after"),
        ("2024-01-01\n2024-01-01\n", 2, "does not come after"),
    ];
    for (text, line, reason) in cases {
        let err = Calendar::from_holiday_list(EW, "holidays/x.txt", text).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("holidays/x.txt line {line}: "))
                && message.contains(reason),
            "{text:?} gave {message:?}"
        );
    }
}

#[test]
fn parser_rejects_empty_files_and_year_gaps() {
    let empty = Calendar::from_holiday_list(EW, "e.txt", "# nothing\n").unwrap_err();
    assert_eq!(empty.to_string(), "e.txt: lists no dates");
    // 2025 mistyped as 2052 would otherwise stretch coverage to 2052.
    let gap = Calendar::from_holiday_list(EW, "g.txt", "2024-01-01\n2052-01-01\n").unwrap_err();
    assert!(
        gap.to_string().starts_with("g.txt: no dates for 2025"),
        "{gap}"
    );
}

fn any_jurisdiction() -> impl Strategy<Value = Jurisdiction> {
    prop::sample::select(Jurisdiction::ALL.to_vec())
}

/// Dates from mid-2023 to mid-2031, so spans start and end both inside and outside the data.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0u64..2950).prop_map(|offset| d(2023, 6, 1) + Days::new(offset))
}

proptest! {
    #[test]
    fn result_is_a_working_day(j in any_jurisdiction(), from in any_date(), n in 1u32..400) {
        let c = cal(j);
        let result = c.add_working_days(from, n);
        prop_assert!(weekend_name(result).is_none(), "{result} is a weekend");
        prop_assert!(!c.is_bank_holiday(result), "{result} is a bank holiday");
    }

    #[test]
    fn monotonic_in_n(j in any_jurisdiction(), from in any_date(), a in 0u32..400, b in 0u32..400) {
        let c = cal(j);
        let (low, high) = (a.min(b), a.max(b));
        prop_assert!(c.add_working_days(from, low) <= c.add_working_days(from, high));
    }

    #[test]
    fn each_extra_day_moves_strictly_later(j in any_jurisdiction(), from in any_date(), n in 0u32..400) {
        let c = cal(j);
        prop_assert!(c.add_working_days(from, n + 1) > c.add_working_days(from, n));
    }

    #[test]
    fn exactly_n_working_days_are_passed(j in any_jurisdiction(), from in any_date(), n in 0u32..200) {
        let c = cal(j);
        let result = c.add_working_days(from, n);
        let counted = from
            .iter_days()
            .skip(1)
            .take_while(|day| *day <= result)
            .filter(|day| c.is_working_day(*day))
            .count();
        prop_assert_eq!(counted, n as usize);
    }
}
