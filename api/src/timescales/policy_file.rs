//! The partnership's timescales policy, read from TOML.
//!
//! The defaults ship inside the binary as `policy.default.toml`, which doubles
//! as the commented template an operator copies. A local file only has to name
//! what differs; anything it does not know is an error, because a misspelt key
//! that silently fell back to a default would hide a wrong deadline.

use std::path::Path;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::timescales::calendar::Jurisdiction;
use crate::timescales::frameworks::{self, Framework};

/// The shipped default policy, as TOML text (also usable as a template).
pub const DEFAULT_POLICY_TOML: &str = include_str!("policy.default.toml");

/// The name used for the shipped default policy in error messages.
pub const DEFAULT_POLICY_NAME: &str = "policy.default.toml";

/// A partnership's timescales policy.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default = "Policy::builtin", deny_unknown_fields)]
pub struct Policy {
    /// Whose bank holidays are skipped when counting working days.
    pub jurisdiction: Jurisdiction,
    /// The designated social-care partner, if the partnership names one.
    pub designated_social_care: Option<String>,
    /// The designated police partner, if the partnership names one.
    pub designated_police: Option<String>,
    /// How long each stage may take.
    pub deadlines: DeadlinePolicy,
    /// The assessment frameworks: the file's own list, or the shipped one when the file
    /// lists none.
    pub assessment_frameworks: Vec<Framework>,
    /// How long each class of record is kept (`[retention]`).
    pub retention: RetentionPolicy,
}

/// The retention schedule: how long each class of record, and the audit log, is kept
/// (`docs/product.md`, "Retention and legal hold").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default = "RetentionPolicy::builtin", deny_unknown_fields)]
pub struct RetentionPolicy {
    /// Years after the last contact that a child protection record is kept.
    pub child_protection_years_after_last_contact: u32,
    /// Years after the child's date of birth that a looked-after child's record is kept.
    pub looked_after_years_after_birth: u32,
    /// Years after the last contact that a youth justice out-of-court disposal record is kept.
    pub youth_justice_out_of_court_years_after_last_contact: u32,
    /// Years after the last contact that any other case record is kept (the default class).
    pub case_record_years_after_last_contact: u32,
    /// Years the audit log is kept.
    pub audit_log_years: u32,
}

/// How long each safeguarding stage may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default = "DeadlinePolicy::builtin", deny_unknown_fields)]
pub struct DeadlinePolicy {
    /// Working days from a referral to the decision on next steps.
    pub referral_decision_working_days: u32,
    /// Clock hours from the disclosure of an escalated behaviour to the strategy discussion.
    pub strategy_discussion_hours: u32,
    /// Working days from the strategy discussion to the initial conference.
    pub initial_cp_conference_working_days: u32,
    /// Working days from a referral to a completed assessment.
    pub assessment_completed_working_days: u32,
    /// Calendar months from a plan's activation to its first review, then between reviews.
    pub plan_review_months: u32,
    /// Calendar days from a disclosure to its recorded outcome.
    pub disclosure_to_outcome_days: u32,
    /// Months before a young person's 18th birthday to raise a transition alert.
    pub transition_alert_months_before_18: u32,
    /// Working days from a disclosure request to the recording agency's decision.
    pub disclosure_decision_working_days: u32,
}

/// Why a policy could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The policy file could not be read at all.
    #[error("cannot read policy file {path}: {error}")]
    Read {
        /// The path as given.
        path: String,
        /// The underlying I/O error.
        #[source]
        error: std::io::Error,
    },
    /// The text is not valid TOML or does not fit the policy's shape.
    #[error("{file}{}: {}{message}", line_label(*.line), field_label(.field.as_deref()))]
    Invalid {
        /// The file's name as given to the loader.
        file: String,
        /// The 1-based line of the problem, when toml reports a position.
        line: Option<usize>,
        /// The dotted key at fault, e.g. `deadlines.plan_review_months`, when known.
        field: Option<String>,
        /// toml's description of the problem.
        message: String,
    },
}

fn line_label(line: Option<usize>) -> String {
    line.map(|line| format!(" line {line}")).unwrap_or_default()
}

fn field_label(field: Option<&str>) -> String {
    field.map(|field| format!("{field}: ")).unwrap_or_default()
}

impl Policy {
    /// The policy shipped in `policy.default.toml`.
    pub fn default_policy() -> Policy {
        // A unit test proves the shipped file parses to `builtin()`, so the
        // fallback only keeps this infallible; it never changes the answer.
        Self::from_toml_str(DEFAULT_POLICY_TOML, DEFAULT_POLICY_NAME)
            .unwrap_or_else(|_| Self::builtin())
    }

    /// Parses a policy; `source_name` is used in error messages, e.g. the file name.
    pub fn from_toml_str(text: &str, source_name: &str) -> Result<Policy, PolicyError> {
        let mut policy: Policy =
            toml::from_str(text).map_err(|error| invalid(source_name, text, &error))?;
        // A file that lists no frameworks keeps the shipped ones (the shipped file lists
        // them, so this never recurses).
        if policy.assessment_frameworks.is_empty() && text != DEFAULT_POLICY_TOML {
            policy.assessment_frameworks = Self::default_policy().assessment_frameworks;
        }
        frameworks::check(&policy.assessment_frameworks).map_err(|message| {
            PolicyError::Invalid {
                file: source_name.to_owned(),
                line: None,
                field: Some("assessment_frameworks".into()),
                message,
            }
        })?;
        Ok(policy)
    }

    /// The assessment frameworks in force: the file's own list, or the shipped one when
    /// the file lists none.
    pub fn frameworks(&self) -> Vec<Framework> {
        self.assessment_frameworks.clone()
    }

    /// Reads and parses a policy file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Policy, PolicyError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| PolicyError::Read {
            path: name.clone(),
            error,
        })?;
        Self::from_toml_str(&text, &name)
    }

    /// Values for keys a policy file leaves out; must match `policy.default.toml`.
    fn builtin() -> Policy {
        Policy {
            jurisdiction: Jurisdiction::EnglandAndWales,
            designated_social_care: None,
            designated_police: None,
            deadlines: DeadlinePolicy::builtin(),
            // The shipped frameworks live in `policy.default.toml` only; an empty list
            // stands for them (see `frameworks`).
            assessment_frameworks: Vec::new(),
            retention: RetentionPolicy::builtin(),
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self::default_policy()
    }
}

impl DeadlinePolicy {
    /// Values for keys a policy file leaves out; must match `policy.default.toml`.
    fn builtin() -> DeadlinePolicy {
        DeadlinePolicy {
            referral_decision_working_days: 1,
            strategy_discussion_hours: 24,
            initial_cp_conference_working_days: 15,
            assessment_completed_working_days: 45,
            plan_review_months: 3,
            disclosure_to_outcome_days: 120,
            transition_alert_months_before_18: 6,
            disclosure_decision_working_days: 2,
        }
    }
}

impl Default for DeadlinePolicy {
    fn default() -> Self {
        Policy::default_policy().deadlines
    }
}

impl RetentionPolicy {
    /// Values for keys a policy file leaves out; must match `policy.default.toml`.
    fn builtin() -> RetentionPolicy {
        RetentionPolicy {
            child_protection_years_after_last_contact: 35,
            looked_after_years_after_birth: 75,
            youth_justice_out_of_court_years_after_last_contact: 3,
            case_record_years_after_last_contact: 35,
            audit_log_years: 7,
        }
    }
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Policy::default_policy().retention
    }
}

/// Turns a toml error into one that names the file, line and field.
fn invalid(file: &str, text: &str, error: &toml::de::Error) -> PolicyError {
    let offset = error.span().map(|span| span.start);
    PolicyError::Invalid {
        file: file.to_owned(),
        line: offset.map(|offset| line_at(text, offset)),
        field: offset.and_then(|offset| field_at(text, offset)),
        // toml's own Display repeats the source line with a caret; the bare
        // message keeps our one-line format readable in logs.
        message: error.message().trim().replace('\n', "; "),
    }
}

/// The 1-based line holding byte `offset`.
fn line_at(text: &str, offset: usize) -> usize {
    text.bytes()
        .take(offset)
        .filter(|byte| *byte == b'\n')
        .count()
        + 1
}

/// The dotted key whose key or value spans byte `offset`.
fn field_at(text: &str, offset: usize) -> Option<String> {
    // Recovery still yields spans for everything that parsed, which covers
    // type errors and unknown keys; a syntax error may leave its own key out
    // of the tree, so fall back to reading the key off the offending line.
    let (document, _) = DeTable::parse_recoverable(text);
    let mut path = Vec::new();
    if key_path_at(document.get_ref(), offset, &mut path) {
        return Some(path.join("."));
    }
    key_on_line(text, line_at(text, offset))
}

fn key_path_at(table: &DeTable<'_>, offset: usize, path: &mut Vec<String>) -> bool {
    for (key, value) in table {
        path.push(key.get_ref().to_string());
        let found = key.span().contains(&offset)
            || match value.get_ref() {
                // A header table's span is only its `[header]`, so look inside
                // it whatever its span says.
                DeValue::Table(inner) => {
                    key_path_at(inner, offset, path) || value.span().contains(&offset)
                }
                _ => value.span().contains(&offset),
            };
        if found {
            return true;
        }
        path.pop();
    }
    false
}

/// Best-effort `table.key` for `key = ...` on 1-based line `line`, using the last `[table]` above it.
fn key_on_line(text: &str, line: usize) -> Option<String> {
    let is_key = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    let mut table: Option<&str> = None;
    for (index, raw) in text.lines().enumerate() {
        let content = raw.split('#').next().unwrap_or("").trim();
        if let Some(header) = content.strip_prefix('[') {
            let name = header.trim_matches(|c| c == '[' || c == ']').trim();
            table = is_key(name).then_some(name);
        }
        if index + 1 == line {
            let (key, _) = content.split_once('=')?;
            let key = key.trim();
            return is_key(key).then(|| match table {
                Some(table) => format!("{table}.{key}"),
                None => key.to_owned(),
            });
        }
    }
    None
}

// Tests live in `policy_file/tests.rs` to keep this file short.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
