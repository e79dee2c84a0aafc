//! The store on a fresh SQLite file: saving and owner checks, the quota, the size limit. The
//! same behaviour on PostgreSQL is tested by the server's PostgreSQL suite.

use planner::catalog::Sources;
use planner::Scenario;
use store::{Pool, StoreError};

async fn fresh() -> Pool {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("store-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    store::connect_to(&format!("sqlite://{}/s.db", dir.display()))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_save_reads_back_and_only_its_owner_renames_or_deletes_it() {
    let pool = fresh().await;
    let s = Scenario::default();
    let (saved, token) = store::save(&pool, "  first ", &s, None, &Sources::builtin())
        .await
        .unwrap();
    assert_eq!(saved.name, "first");
    let back = store::get(&pool, &saved.id).await.unwrap().unwrap();
    assert_eq!(back, saved);
    assert!(matches!(
        store::rename(&pool, &saved.id, "not-the-token", "x").await,
        Err(StoreError::Forbidden)
    ));
    assert!(matches!(
        store::rename(&pool, &saved.id, &token, " ").await,
        Err(StoreError::Invalid { field, .. }) if field == "name"
    ));
    store::rename(&pool, &saved.id, &token, "second")
        .await
        .unwrap();
    assert_eq!(
        store::get(&pool, &saved.id).await.unwrap().unwrap().name,
        "second"
    );
    // A fork names its parent; an unknown parent is dropped rather than refused.
    let (fork, _) = store::save(&pool, "fork", &s, Some(&saved.id), &Sources::builtin())
        .await
        .unwrap();
    assert_eq!(fork.parent_id.as_deref(), Some(saved.id.as_str()));
    let (orphan, _) = store::save(&pool, "o", &s, Some("nope"), &Sources::builtin())
        .await
        .unwrap();
    assert_eq!(orphan.parent_id, None);
    assert!(matches!(
        store::delete(&pool, &saved.id, "").await,
        Err(StoreError::Forbidden)
    ));
    store::delete(&pool, &saved.id, &token).await.unwrap();
    assert_eq!(store::get(&pool, &saved.id).await.unwrap(), None);
    assert!(matches!(
        store::delete(&pool, &saved.id, &token).await,
        Err(StoreError::NotFound(_))
    ));
    let listed = store::list(
        &pool,
        &[fork.id.clone(), saved.id.clone(), orphan.id.clone()],
    )
    .await
    .unwrap();
    assert_eq!(listed.len(), 2, "the deleted one is gone from lists");
}

#[tokio::test]
async fn the_quota_allows_a_burst_then_one_save_per_refill_per_client() {
    use store::quota::{take_at, BURST, REFILL_S};
    let pool = fresh().await;
    let t0 = 1_800_000_000.0;
    for _ in 0..BURST {
        take_at(&pool, "10.0.0.1", t0).await.unwrap();
    }
    let wait = |r: store::Result<()>| match r {
        Err(StoreError::Quota { wait_s }) => wait_s,
        other => panic!("expected a quota refusal, got {other:?}"),
    };
    assert_eq!(wait(take_at(&pool, "10.0.0.1", t0).await), REFILL_S as u64);
    // Another client is not held back by the first.
    take_at(&pool, "10.0.0.2", t0).await.unwrap();
    // Half a refill later, half a refill to wait; a whole one, one more save and no second.
    let half = REFILL_S / 2.0;
    assert_eq!(
        wait(take_at(&pool, "10.0.0.1", t0 + half).await),
        half as u64
    );
    take_at(&pool, "10.0.0.1", t0 + REFILL_S).await.unwrap();
    assert!(take_at(&pool, "10.0.0.1", t0 + REFILL_S).await.is_err());
    // Never more than the burst, however long the pause.
    let later = t0 + REFILL_S * 1000.0;
    for _ in 0..BURST {
        take_at(&pool, "10.0.0.1", later).await.unwrap();
    }
    assert!(take_at(&pool, "10.0.0.1", later).await.is_err());
}

#[tokio::test]
async fn a_full_store_refuses_saves_and_keeps_what_it_holds() {
    let pool = fresh().await;
    let (saved, _) = store::save(
        &pool,
        "kept",
        &Scenario::default(),
        None,
        &Sources::builtin(),
    )
    .await
    .unwrap();
    let used = store::capacity::used_bytes(&pool).await.unwrap();
    assert!(
        used > 4096,
        "a migrated database with a scenario holds pages: {used}"
    );
    match store::capacity::check(&pool, used).await {
        Err(StoreError::Full { used_mb, limit_mb }) => assert!(used_mb >= limit_mb),
        other => panic!("expected Full, got {other:?}"),
    }
    store::capacity::check(&pool, used + 1).await.unwrap();
    assert!(store::get(&pool, &saved.id).await.unwrap().is_some());
}
