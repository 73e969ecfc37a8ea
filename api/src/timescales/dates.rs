//! Calendar arithmetic every rule shares: months added to a day, and birthdays.

use chrono::{Datelike, Months, NaiveDate};

/// `day` plus `months` calendar months; a day past the end of the month ends on the
/// month's last day (31 January + 1 month is 28 or 29 February). Saturates at the last
/// representable day rather than failing.
pub fn add_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// `day` minus `months` calendar months, saturating at the first representable day.
pub fn sub_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_sub_months(Months::new(months))
        .unwrap_or(NaiveDate::MIN)
}

/// The day a person born on `date_of_birth` turns `years` old. Someone born on
/// 29 February has their birthday on 1 March in a common year, so they are never
/// taken to be older than they are. `None` only past the representable range.
pub fn birthday(date_of_birth: NaiveDate, years: u32) -> Option<NaiveDate> {
    let year = date_of_birth
        .year()
        .checked_add(i32::try_from(years).ok()?)?;
    date_of_birth.with_year(year).or_else(|| {
        // Only 29 February has no counterpart in a common year.
        NaiveDate::from_ymd_opt(year, 3, 1)
    })
}

/// Whether a person born on `date_of_birth` is under `years` on `day`.
pub fn is_under(date_of_birth: NaiveDate, years: u32, day: NaiveDate) -> bool {
    birthday(date_of_birth, years).is_none_or(|birthday| day < birthday)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn a_leap_day_birthday_falls_on_the_first_of_march_in_a_common_year() {
        assert_eq!(birthday(date(2008, 2, 29), 18), Some(date(2026, 3, 1)));
        assert_eq!(birthday(date(2008, 2, 29), 16), Some(date(2024, 2, 29)));
        assert!(is_under(date(2008, 2, 29), 18, date(2026, 2, 28)));
        assert!(!is_under(date(2008, 2, 29), 18, date(2026, 3, 1)));
    }

    #[test]
    fn an_ordinary_birthday_is_the_same_day_and_month() {
        assert_eq!(birthday(date(2010, 11, 27), 17), Some(date(2027, 11, 27)));
        assert!(is_under(date(2008, 11, 28), 18, date(2026, 11, 27)));
        assert!(!is_under(date(2008, 11, 27), 18, date(2026, 11, 27)));
    }

    #[test]
    fn months_end_on_the_last_day_of_a_shorter_month_and_saturate() {
        assert_eq!(add_months(date(2026, 1, 31), 1), date(2026, 2, 28));
        assert_eq!(add_months(date(2024, 11, 30), 3), date(2025, 2, 28));
        assert_eq!(add_months(NaiveDate::MAX, 3), NaiveDate::MAX);
        assert_eq!(sub_months(NaiveDate::MIN, 6), NaiveDate::MIN);
    }
}
