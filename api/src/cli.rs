//! The command line: `concord [serve|migrate|agency add|token|seed-demo|export-schema|audit verify|retention run]`.

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use entity::enums::AgencyKind;
use migration::MigratorTrait as _;
use secrecy::SecretString;

use crate::auth::{self, Role};
use crate::config::{Mode, Settings};
use crate::domain;
use crate::error::ApiError;

mod database;
mod lifecycle;
mod serve;

use database::{database_location, open};
use lifecycle::{audit_verify, retention_run};
pub use serve::domain_config;
use serve::serve;

/// Concord: the shared, role-scoped record of a safeguarding partnership's work with
/// children who display harmful sexual behaviour.
///
/// With no command and no JWT settings, runs local development mode: a SQLite file in
/// the data folder, a demo partnership, and a printed token for each demo role.
#[derive(Parser, Debug)]
#[command(name = "concord", version, about, long_about)]
pub struct Cli {
    /// Settings shared by every command.
    #[command(flatten)]
    pub settings: Settings,
    /// What to do (default: `serve`).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands (`serve`, `migrate`, `token`, … ; see `docs/operating.md` and the README)
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the HTTP server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage agencies from the shell: how an operator creates the first one.
    #[command(subcommand)]
    Agency(AgencyCommand),
    /// Print a development token (signed with the development secret, or CONCORD_JWT_SECRET).
    Token {
        /// Subject.
        #[arg(long)]
        sub: String,
        /// Agency code.
        #[arg(long)]
        agency: String,
        /// Role (repeatable): PRACTITIONER, AGENCY_LEAD, COORDINATOR, STRATEGIC_ANALYST,
        /// AUDITOR, SYSTEM_ADMIN.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// Display name (defaults to the subject).
        #[arg(long)]
        name: Option<String>,
        /// Hours until it expires.
        #[arg(long, default_value_t = 12)]
        hours: i64,
    },
    /// Seed the synthetic demo partnership (only into a database without it).
    SeedDemo,
    /// Print the GraphQL schema (SDL), as committed in `schema.graphql`.
    ExportSchema,
    /// Check the audit log (`concord audit verify`).
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Apply the retention schedule (`concord retention run`).
    #[command(subcommand)]
    Retention(RetentionCommand),
}

/// `concord retention …`
#[derive(Subcommand, Debug)]
pub enum RetentionCommand {
    /// List every closed record past its retention day and not under legal hold (what
    /// would be erased), and the due records a legal hold keeps; with `--apply`, erase
    /// each in its own transaction, leaving a tombstone and an audit row, and prune the
    /// audit log older than its retention.
    Run {
        /// Erase what is due (without it, only list it: a dry run changes nothing).
        #[arg(long)]
        apply: bool,
        /// The day to run as of, `YYYY-MM-DD` (default: today in London): records whose
        /// retention day is before it are due.
        #[arg(long, value_parser = parse_day)]
        as_of: Option<chrono::NaiveDate>,
        /// Allow `--apply` with an `--as-of` day after today: erases records before their
        /// retention day really passes (for rehearsals on a copy of the database, never
        /// on the live one).
        #[arg(long)]
        clock_forward: bool,
    },
}

/// `concord audit …`
#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Walk the audit chain from its anchor, recomputing every hash from the audit rows
    /// as they are now, and report the rows not sealed yet and the age of the oldest;
    /// exits 1 naming the first break (or when the oldest unsealed row is older than
    /// `--max-unsealed-age`), 0 when the chain holds. Only reads.
    Verify(lifecycle::VerifyArgs),
}

/// `concord agency …`
#[derive(Subcommand, Debug)]
pub enum AgencyCommand {
    /// Add an agency.
    Add {
        /// Unique lowercase slug, e.g. `sefton-csc`.
        #[arg(long)]
        code: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Kind, e.g. CHILDRENS_SOCIAL_CARE, POLICE, EDUCATION.
        #[arg(long, value_parser = parse_kind)]
        kind: AgencyKind,
    },
}

/// The settings each command uses, shown in its `--help`; every other setting is still
/// accepted after it (the settings are global) but left out of its help, so that
/// `concord token --help` is about tokens. `serve` shows them all.
const SHOWN: [(&str, &[&str]); 7] = [
    (
        "migrate",
        &["database_url", "db_max_connections", "data_dir"],
    ),
    ("agency", &["database_url", "data_dir"]),
    (
        "token",
        &[
            "database_url",
            "data_dir",
            "jwt_secret",
            "jwt_issuer",
            "jwt_audience",
        ],
    ),
    ("seed-demo", &["database_url", "data_dir"]),
    ("export-schema", &[]),
    ("audit", &["database_url", "data_dir"]),
    ("retention", &["database_url", "data_dir", "policy_file"]),
];

/// The command line, with each command's help limited to what it uses (see [`SHOWN`]).
pub fn command() -> clap::Command {
    use clap::CommandFactory as _;
    let mut cli = Cli::command();
    let globals: Vec<clap::Arg> = cli
        .get_arguments()
        .filter(|arg| arg.is_global_set())
        .cloned()
        .collect();
    for (name, shown) in SHOWN {
        // A command that defines a global setting itself keeps that definition when the
        // settings are copied down: here, the same setting, hidden.
        let hidden: Vec<clap::Arg> = globals
            .iter()
            .filter(|arg| !shown.contains(&arg.get_id().as_str()))
            .map(|arg| arg.clone().hide(true))
            .collect();
        cli = cli.mut_subcommand(name, |sub| sub.args(hidden));
    }
    cli
}

/// Parses the process's arguments (exiting with the help or the usage error, as clap does).
pub fn parse() -> Cli {
    use clap::FromArgMatches as _;
    let matches = command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
}

fn parse_role(value: &str) -> Result<Role, String> {
    Role::parse(&value.to_ascii_uppercase()).ok_or_else(|| {
        let names: Vec<_> = Role::ALL.iter().map(|r| r.name()).collect();
        format!("unknown role; one of {}", names.join(", "))
    })
}

fn parse_day(value: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| "expected a day as YYYY-MM-DD".to_owned())
}

fn parse_kind(value: &str) -> Result<AgencyKind, String> {
    serde_json::from_value(serde_json::Value::String(value.to_ascii_uppercase())).map_err(|_| {
        "unknown kind; one of CHILDRENS_SOCIAL_CARE, POLICE, YOUTH_JUSTICE, EDUCATION, \
         EDUCATIONAL_PSYCHOLOGY, HEALTH, CAMHS, SECURE_ESTATE, EARLY_HELP, \
         SPECIALIST_HSB_SERVICE, OTHER"
            .to_owned()
    })
}

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = cli.settings;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            let db = open(&settings).await?;
            migration::Migrator::up(&db, None)
                .await
                .context("applying migrations")?;
            println!("migrations applied");
            Ok(())
        }
        Command::Agency(AgencyCommand::Add { code, name, kind }) => {
            let db = open(&settings).await?;
            let adding = format!("adding agency {code}");
            let agency =
                domain::agencies::bootstrap(&db, domain::agencies::NewAgency { code, name, kind })
                    .await
                    .map_err(operator_error)
                    .context(adding)?;
            println!("added agency {} ({})", agency.code, agency.id);
            Ok(())
        }
        Command::Token {
            sub,
            agency,
            roles,
            name,
            hours,
        } => {
            let (secret, signed_with) = signing_secret(&settings)?;
            ensure_agency_exists(&settings, &agency).await?;
            let mut claims = auth::dev_claims(
                &sub,
                name.as_deref().unwrap_or(&sub),
                &agency,
                &roles,
                hours,
            );
            if settings.mode() == Mode::Production {
                claims.iss = settings
                    .jwt_issuer
                    .clone()
                    .context("CONCORD_JWT_ISSUER is required")?;
                claims.aud = settings
                    .jwt_audience
                    .clone()
                    .context("CONCORD_JWT_AUDIENCE is required")?;
            }
            println!("{}", auth::sign_hs256(&secret, &claims)?);
            eprintln!("signed with {signed_with}");
            Ok(())
        }
        Command::SeedDemo => {
            let (db, seeded) = database::open_with_demo(&settings).await?;
            if seeded {
                // Seeded under this command's rules: the next `serve` derives them again.
                crate::domain::deadlines::stored::invalidate(&db)
                    .await
                    .map_err(operator_error)?;
                println!("demo partnership seeded");
            } else {
                println!("demo partnership already present");
            }
            Ok(())
        }
        Command::ExportSchema => {
            print!("{}", crate::graphql::sdl());
            Ok(())
        }
        Command::Audit(AuditCommand::Verify(args)) => audit_verify(&settings, args).await,
        Command::Retention(RetentionCommand::Run {
            apply,
            as_of,
            clock_forward,
        }) => retention_run(&settings, apply, as_of, clock_forward).await,
    }
}

/// An error of the rules for the operator: a database failure shows its cause, which
/// `ApiError`'s own message keeps from GraphQL clients.
fn operator_error(error: ApiError) -> anyhow::Error {
    match error {
        ApiError::Database(error) => anyhow::Error::new(error).context("database error"),
        ApiError::Internal(detail) => anyhow::anyhow!("internal error: {detail}"),
        other => anyhow::Error::new(other),
    }
}

fn signing_secret(settings: &Settings) -> anyhow::Result<(SecretString, String)> {
    if let Some(secret) = &settings.jwt_secret {
        return Ok((
            secret.clone(),
            "CONCORD_JWT_SECRET (--jwt-secret)".to_owned(),
        ));
    }
    if settings.mode() == Mode::Production {
        bail!(
            "`concord token` signs HS256 only; configure CONCORD_JWT_SECRET or use development mode"
        );
    }
    let path = settings.data_dir.join(auth::DEV_SECRET_FILE);
    if !path.exists() {
        bail!(
            "no development signing secret at {}: run `concord token` in the folder where \
             `concord` serves (it creates the secret on first start), or point --data-dir \
             (CONCORD_DATA_DIR) at that server's data folder",
            absolute(&path).display()
        );
    }
    let secret = auth::dev_secret(&settings.data_dir).context("reading the development secret")?;
    Ok((
        secret,
        format!("the development secret in {}", absolute(&path).display()),
    ))
}

/// `path` made absolute against the current folder, for messages.
fn absolute(path: &std::path::Path) -> std::path::PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// Refuses a token for an agency the configured database does not hold: the server
/// would refuse it with `UNKNOWN_AGENCY`.
async fn ensure_agency_exists(settings: &Settings, code: &str) -> anyhow::Result<()> {
    if settings.database_url.is_none() && settings.mode() == Mode::Production {
        bail!(
            "CONCORD_DATABASE_URL (--database-url) is required: `concord token` checks that \
             the agency exists in the server's database"
        );
    }
    if settings.database_url.is_none() {
        let path = settings.data_dir.join("concord.db");
        if !path.exists() {
            bail!(
                "no development database at {}: start `concord` once in this folder, or point \
                 --data-dir (CONCORD_DATA_DIR) or --database-url (CONCORD_DATABASE_URL) at the \
                 server's database",
                absolute(&path).display()
            );
        }
    }
    let db = open(settings).await?;
    let found = domain::agencies::by_code(&db, code)
        .await
        .map_err(operator_error)
        .with_context(|| {
            format!(
                "looking up agency {code} in the database at {} (has it been migrated?)",
                database_location(&settings.database_url())
            )
        })?;
    if found.is_none() {
        bail!(
            "no agency with code {code} in the database at {}: add it with `concord agency add`, \
             or check the code and CONCORD_DATABASE_URL",
            database_location(&settings.database_url())
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        command().debug_assert();
    }
}
