//! Reading what the server wrote, straight from the test database.

use entity::audit_events;
use entity::enums::AuditOutcome;
use sea_orm::sea_query::IntoCondition;
use sea_orm::{
    ColumnTrait as _, Condition, DatabaseConnection, EntityTrait, PaginatorTrait as _,
    PrimaryKeyTrait, QueryFilter as _,
};
use uuid::Uuid;

use crate::helpers::{TestActor, uuid_of};

/// How many rows `E` holds.
pub async fn count<E>(db: &DatabaseConnection) -> u64
where
    E: EntityTrait,
    E::Model: Sync,
{
    E::find().count(db).await.expect("count")
}

/// How many rows of `E` match `condition`.
pub async fn count_where<E>(db: &DatabaseConnection, condition: impl IntoCondition) -> u64
where
    E: EntityTrait,
    E::Model: Sync,
{
    E::find().filter(condition).count(db).await.expect("count")
}

/// The row of `E` behind a global id.
pub async fn row<E>(db: &DatabaseConnection, global: &str) -> E::Model
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    E::find_by_id(uuid_of(global))
        .one(db)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("no {} row for {global}", E::default().table_name()))
}

/// How many refusals of `actor` the audit log holds.
pub async fn denials(db: &DatabaseConnection, actor: &TestActor) -> u64 {
    count_where::<audit_events::Entity>(
        db,
        Condition::all()
            .add(audit_events::Column::ActorSubject.eq(actor.sub.as_str()))
            .add(audit_events::Column::Outcome.eq(AuditOutcome::Denied)),
    )
    .await
}

/// The allowed audit rows of `action` on `entity`.
pub async fn audited(
    db: &DatabaseConnection,
    action: &str,
    entity: Uuid,
) -> Vec<audit_events::Model> {
    audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq(action))
        .filter(audit_events::Column::EntityId.eq(entity))
        .filter(audit_events::Column::Outcome.eq(AuditOutcome::Allowed))
        .all(db)
        .await
        .expect("audit query")
}
