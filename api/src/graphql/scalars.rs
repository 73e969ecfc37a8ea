//! The schema's own date and time scalars, so that clients see standard formats with
//! `@specifiedBy` rather than the names and messages of a Rust library.
//!
//! - [`Date`]: a calendar date, `YYYY-MM-DD` (ISO 8601), with no time zone.
//! - [`DateTime`]: an instant, RFC 3339. Output is always UTC with whole seconds
//!   (`2026-11-27T09:30:00Z`); input may carry any offset and is normalised to UTC.
//!
//! Both check their input during validation, so a bad value is refused before anything
//! runs; [`describe_invalid`] then rewrites async-graphql's "Invalid value for argument"
//! into a message that names the field and the expected format.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{NaiveDate, SecondsFormat, Utc};

/// What a `Date` must look like, in the words of an error message.
const DATE_FORMAT: &str = "expected a calendar date as YYYY-MM-DD (ISO 8601)";

/// What a `DateTime` must look like, in the words of an error message.
const DATE_TIME_FORMAT: &str =
    "expected a date and time as YYYY-MM-DDThh:mm:ss with Z or an offset such as +01:00 (RFC 3339)";

/// A calendar date with no time of day or zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

/// A calendar date with no time of day or time zone, written `YYYY-MM-DD` (ISO 8601),
/// for example `2014-03-09`. Used for dates people record as days: a date of birth, the
/// day a behaviour happened, a review's date. Any other form, such as `09/03/2014` or a
/// date with a time, is refused with `VALIDATION_FAILED`.
#[Scalar(
    name = "Date",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        parse_date(&value)
            .map(Date)
            .ok_or_else(|| InputValueError::custom(DATE_FORMAT))
    }

    fn is_valid(value: &Value) -> bool {
        parse_date(value).is_some()
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

fn parse_date(value: &Value) -> Option<NaiveDate> {
    let Value::String(text) = value else {
        return None;
    };
    // `%Y` alone would take five-digit or signed years; a calendar date here is exactly
    // ten characters.
    if text.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Self(date)
    }
}

impl From<Date> for NaiveDate {
    fn from(date: Date) -> Self {
        date.0
    }
}

/// An instant in time, in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(pub chrono::DateTime<Utc>);

/// An instant, as an RFC 3339 date and time, `YYYY-MM-DDThh:mm:ss` followed by `Z` or an
/// offset. Concord always answers in UTC to the whole second, for example
/// `2026-11-27T09:30:00Z`. Input may carry any offset (`2026-11-27T09:30:00+01:00` is
/// 08:30 UTC) and fractions of a second; it is converted to UTC. A value without an
/// offset, or in any other form, is refused with `VALIDATION_FAILED`. To show a day to a
/// person, convert to the partnership's time zone (Europe/London) first.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"
)]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        parse_date_time(&value)
            .map(DateTime)
            .ok_or_else(|| InputValueError::custom(DATE_TIME_FORMAT))
    }

    fn is_valid(value: &Value) -> bool {
        parse_date_time(value).is_some()
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(SecondsFormat::Secs, true))
    }
}

fn parse_date_time(value: &Value) -> Option<chrono::DateTime<Utc>> {
    let Value::String(text) = value else {
        return None;
    };
    // Bounded before parsing: the longest RFC 3339 value with nanoseconds is 35 characters.
    if text.len() > 40 {
        return None;
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(at: chrono::DateTime<Utc>) -> Self {
        Self(at)
    }
}

impl From<DateTime> for chrono::DateTime<Utc> {
    fn from(at: DateTime) -> Self {
        at.0
    }
}

/// The message for a value that validation refused as a [`Date`] or [`DateTime`]
/// (async-graphql says `Invalid value for argument "input.dateOfBirth", expected type
/// "Date"`): `dateOfBirth: expected a calendar date as YYYY-MM-DD (ISO 8601)`. `None` for
/// any other message. `field` is the input field as the error names it.
pub fn describe_invalid(message: &str, field: &str) -> Option<String> {
    let format = if message.ends_with("expected type \"Date\"") {
        DATE_FORMAT
    } else if message.ends_with("expected type \"DateTime\"") {
        DATE_TIME_FORMAT
    } else {
        return None;
    };
    Some(format!("{field}: {format}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Value {
        Value::String(value.to_owned())
    }

    #[test]
    fn a_date_is_exactly_an_iso_calendar_date() {
        assert_eq!(
            parse_date(&text("2014-03-09")),
            NaiveDate::from_ymd_opt(2014, 3, 9)
        );
        for refused in [
            "09/03/2014",
            "2014-3-9",
            "2014-02-30",
            "+2014-03-09",
            "2014-03-09T00:00:00Z",
            "",
        ] {
            assert_eq!(parse_date(&text(refused)), None, "{refused}");
        }
        assert_eq!(parse_date(&Value::from(20140309)), None);
    }

    #[test]
    fn a_date_time_takes_any_offset_and_answers_utc_to_the_second() {
        let parsed = parse_date_time(&text("2026-11-27T09:30:00.750+01:00"));
        let Some(at) = parsed else {
            panic!("an RFC 3339 value with an offset is accepted");
        };
        assert_eq!(
            DateTime(at).to_value(),
            text("2026-11-27T08:30:00Z"),
            "converted to UTC, fraction dropped on output"
        );
        for refused in [
            "2026-11-27T09:30:00",
            "2026-11-27",
            "27/11/2026 09:30",
            "2026-11-27T09:30:00+01:00xxxxxxxxxxxxxxxxxxxxx",
        ] {
            assert_eq!(parse_date_time(&text(refused)), None, "{refused}");
        }
    }

    #[test]
    fn a_refused_value_is_described_with_its_field_and_format() {
        assert_eq!(
            describe_invalid(
                r#"Invalid value for argument "input.dateOfBirth", expected type "Date""#,
                "dateOfBirth"
            )
            .as_deref(),
            Some("dateOfBirth: expected a calendar date as YYYY-MM-DD (ISO 8601)")
        );
        assert!(
            describe_invalid(
                r#"Invalid value for argument "dueBefore", expected type "DateTime""#,
                "dueBefore"
            )
            .is_some_and(|message| message.starts_with("dueBefore: expected a date and time"))
        );
        assert_eq!(
            describe_invalid(
                r#"Invalid value for argument "first", expected type "Int""#,
                "first"
            ),
            None
        );
    }
}
