//! Assessment frameworks (`docs/product.md`, joint assessment): the conceptual models an
//! assessment is built on, as versioned reference data in the policy file.

use serde::Deserialize;

/// One framework: what `startAssessment` names by `code`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// The code `startAssessment` takes, e.g. `HSB_AIM3`.
    pub code: String,
    /// The version of the framework's definition, kept with every assessment.
    pub version: String,
    /// Its name.
    pub name: String,
    /// The youngest age, in whole years on the day an assessment starts.
    pub min_age_years: u32,
    /// The oldest age, inclusive.
    pub max_age_years: u32,
    /// Its domains, in the order they are presented.
    pub domains: Vec<Domain>,
}

/// One domain of a framework.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// The code contributions and needs name it by, e.g. `FAMILY`.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The dimensions it covers, by name.
    #[serde(default)]
    pub dimensions: Vec<String>,
}

impl Framework {
    /// Whether a child of `age` whole years may be assessed under it.
    pub fn fits_age(&self, age: u32) -> bool {
        (self.min_age_years..=self.max_age_years).contains(&age)
    }

    /// The domains as stored with an assessment.
    pub fn domain_list(&self) -> entity::enums::DomainList {
        entity::enums::DomainList(
            self.domains
                .iter()
                .map(|domain| entity::enums::DomainEntry {
                    code: domain.code.clone(),
                    name: domain.name.clone(),
                    dimensions: domain.dimensions.clone(),
                })
                .collect(),
        )
    }
}

/// What is wrong with a list of frameworks, if anything: codes are short upper-case
/// slugs, unique (domains unique within their framework), ages ordered, texts bounded,
/// and every framework has at least one domain.
pub fn check(frameworks: &[Framework]) -> Result<(), String> {
    let slug = |code: &str| {
        !code.is_empty()
            && code.len() <= 40
            && code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    };
    let text = |value: &str| !value.trim().is_empty() && value.chars().count() <= 200;
    let mut codes = std::collections::BTreeSet::new();
    for framework in frameworks {
        let code = &framework.code;
        if !slug(code) {
            return Err(format!(
                "framework code {code:?} must be 1 to 40 of A-Z, 0-9 and _"
            ));
        }
        if !codes.insert(code.as_str()) {
            return Err(format!("framework code {code} is listed twice"));
        }
        if !text(&framework.name) || !text(&framework.version) {
            return Err(format!(
                "framework {code}: name and version must be 1 to 200 characters"
            ));
        }
        if framework.min_age_years > framework.max_age_years || framework.max_age_years > 25 {
            return Err(format!(
                "framework {code}: min_age_years must not exceed max_age_years (at most 25)"
            ));
        }
        if framework.domains.is_empty() || framework.domains.len() > 20 {
            return Err(format!("framework {code}: must have 1 to 20 domains"));
        }
        let mut domains = std::collections::BTreeSet::new();
        for domain in &framework.domains {
            if !slug(&domain.code) || !domains.insert(domain.code.as_str()) {
                return Err(format!(
                    "framework {code}: domain code {:?} must be a unique code of A-Z, 0-9 and _",
                    domain.code
                ));
            }
            if !text(&domain.name)
                || domain.dimensions.len() > 30
                || !domain.dimensions.iter().all(|d| text(d))
            {
                return Err(format!(
                    "framework {code}: domain {} needs a name and at most 30 named dimensions",
                    domain.code
                ));
            }
        }
    }
    Ok(())
}
