//! Check-digit validation of children's identifiers, and the one way input fields
//! holding them are parsed (with their error messages).

use crate::error::{ApiError, ApiResult};

/// An optional NHS number input: trimmed, empty as absent, otherwise checked.
pub fn parse_nhs_number(value: Option<String>) -> ApiResult<Option<String>> {
    super::optional_text(value)
        .map(|value| {
            nhs_number(&value).ok_or_else(|| {
                ApiError::validation("nhsNumber", "is not a valid NHS number (check digit)")
            })
        })
        .transpose()
}

/// An optional unique pupil number input: trimmed, empty as absent, otherwise checked.
pub fn parse_unique_pupil_number(value: Option<String>) -> ApiResult<Option<String>> {
    super::optional_text(value)
        .map(|value| {
            unique_pupil_number(&value).ok_or_else(|| {
                ApiError::validation(
                    "uniquePupilNumber",
                    "is not a valid unique pupil number (check letter)",
                )
            })
        })
        .transpose()
}

/// Normalises an NHS number (spaces and hyphens removed) and checks its modulus-11
/// check digit. `None` when it is not a valid NHS number.
pub fn nhs_number(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.len() != 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = values[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(d, w)| d * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return None,
        check => check,
    };
    (check == values[9]).then_some(digits)
}

/// The 23 letters of the unique pupil number check table (no I, O or S).
const UPN_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

/// Normalises a unique pupil number (upper case, no spaces) and checks its check
/// letter (the DfE's modulus-23 scheme over positions 2–13 weighted 2–13). Position 13
/// may itself be a letter, as in a temporary UPN. `None` when it is not valid.
pub fn unique_pupil_number(input: &str) -> Option<String> {
    let upn: String = input
        .chars()
        .filter(|c| *c != ' ')
        .collect::<String>()
        .to_ascii_uppercase();
    let bytes = upn.as_bytes();
    if bytes.len() != 13 || !bytes[1..12].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = |byte: u8| -> Option<u32> {
        if byte.is_ascii_digit() {
            Some(u32::from(byte - b'0'))
        } else {
            UPN_LETTERS
                .iter()
                .position(|l| *l == byte)
                .and_then(|p| u32::try_from(p).ok())
        }
    };
    let mut sum = 0;
    for (weight, byte) in (2..=13).zip(&bytes[1..]) {
        sum += weight * value(*byte)?;
    }
    let expected = UPN_LETTERS[usize::try_from(sum % 23).ok()?];
    (bytes[0] == expected).then_some(upn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_nhs_numbers_pass_and_are_normalised() {
        // 9434765919: weights 10..2 give 299; 299 mod 11 = 2; 11 - 2 = 9, the last digit.
        assert_eq!(nhs_number("943 476 5919").as_deref(), Some("9434765919"));
        // 4010232137: 4·10+0·9+1·8+0·7+2·6+3·5+2·4+1·3+3·2 = 92; 92 mod 11 = 4; 11 - 4 = 7.
        assert_eq!(nhs_number("401-023-2137").as_deref(), Some("4010232137"));
        // A remainder of 0 makes the check digit 0: 0000000000 sums to 0.
        assert_eq!(nhs_number("0000000000").as_deref(), Some("0000000000"));
    }

    #[test]
    fn nhs_numbers_with_a_wrong_check_digit_or_shape_fail() {
        assert_eq!(nhs_number("9434765918"), None);
        assert_eq!(nhs_number("4010232138"), None);
        assert_eq!(nhs_number("943476591"), None);
        assert_eq!(nhs_number("94347659199"), None);
        assert_eq!(nhs_number("94347659X9"), None);
        // 0000000060 sums to 12; 12 mod 11 = 1; 11 - 1 = 10, so no final digit is valid.
        for last in 0..=9 {
            assert_eq!(nhs_number(&format!("000000006{last}")), None);
        }
    }

    #[test]
    fn valid_unique_pupil_numbers_pass_and_are_normalised() {
        // 201 3456 78 901: 2·2+0·3+1·4+3·5+4·6+5·7+6·8+7·9+8·10+9·11+0·12+1·13 = 385;
        // 385 mod 23 = 17, and letter 17 of ABCDEFGHJKLMNPQRTUVWXYZ is U.
        assert_eq!(
            unique_pupil_number("u20134567890 1").as_deref(),
            Some("U201345678901")
        );
        // Temporary UPN with a letter in position 13: A counts 0, so the sum is 372;
        // 372 mod 23 = 4, letter E.
        assert_eq!(
            unique_pupil_number("E20134567890A").as_deref(),
            Some("E20134567890A")
        );
    }

    #[test]
    fn unique_pupil_numbers_with_a_wrong_check_letter_or_shape_fail() {
        assert_eq!(unique_pupil_number("T201345678901"), None);
        assert_eq!(unique_pupil_number("U20134567890"), None);
        assert_eq!(unique_pupil_number("U2013456789012"), None);
        assert_eq!(unique_pupil_number("U2013456X8901"), None);
        assert_eq!(unique_pupil_number("920134567890 1"), None);
    }
}
