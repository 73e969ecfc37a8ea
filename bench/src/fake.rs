//! Obviously fake values: names, identifiers in the NHS test range, texts.

use rand::Rng;
use rand::rngs::StdRng;

/// Given names: the NATO alphabet, as in the demo partnership.
pub const GIVEN_NAMES: [&str; 26] = [
    "Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett",
    "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango",
    "Uniform", "Victor", "Whiskey", "Xray", "Yankee", "Zulu",
];

/// Family names that no real child carries.
pub const FAMILY_NAMES: [&str; 6] = [
    "Testchild",
    "Examplechild",
    "Benchmarkson",
    "Fakeley",
    "Sampleford",
    "Mockworth",
];

/// One of `items`, uniformly.
pub fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// The `n`-th NHS number of the test range (999 000 0000 upwards, never issued to a
/// person) whose modulus-11 check digit exists; `n` indexes only the valid ones.
pub struct NhsNumbers {
    next: u32,
}

impl NhsNumbers {
    /// Starts at 999 000 000x.
    pub fn new() -> Self {
        Self { next: 0 }
    }

    /// The next valid number of the test range.
    pub fn next_number(&mut self) -> String {
        loop {
            let base = format!("999{:06}", self.next);
            self.next += 1;
            let sum: u32 = base
                .chars()
                .filter_map(|c| c.to_digit(10))
                .zip((2..=10).rev())
                .map(|(d, w)| d * w)
                .sum();
            let check = match 11 - sum % 11 {
                11 => 0,
                10 => continue,
                check => check,
            };
            return format!("{base}{check}");
        }
    }
}

impl Default for NhsNumbers {
    fn default() -> Self {
        Self::new()
    }
}

/// A short, plainly synthetic text for a summary or description.
pub fn text(rng: &mut StdRng, what: &str) -> String {
    const PHRASES: [&str; 6] = [
        "synthetic benchmark record",
        "example narrative for load testing",
        "test entry with no real person behind it",
        "placeholder text written by the generator",
        "fake observation for the benchmark",
        "sample note, not a real event",
    ];
    format!(
        "{what}: {} #{}",
        pick(rng, &PHRASES),
        rng.random_range(1..100_000)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers_pass_the_check_that_the_api_applies() {
        let mut numbers = NhsNumbers::new();
        for _ in 0..500 {
            let number = numbers.next_number();
            assert!(number.starts_with("999"));
            assert_eq!(
                api::domain::identifiers::nhs_number(&number),
                Some(number.clone())
            );
        }
    }
}
