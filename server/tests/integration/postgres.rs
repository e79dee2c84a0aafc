//! The store on PostgreSQL, for real (`make test` starts a throwaway cluster and runs these with
//! `--ignored`; without one they fail, naming the variable): the saved-scenario flows, many
//! concurrent saves, and two servers on one database, where a save made through one is read,
//! renamed and deleted through the other.

use axum::http::StatusCode;

use crate::common::{app_on, postgres_url};

#[tokio::test]
#[ignore = "needs PostgreSQL: make test starts one"]
async fn on_postgres_a_save_comes_back_renames_and_deletes() {
    let t = app_on(&postgres_url()).await;
    let (id, token) = t.save("on postgres", ", \"peak_users\": 7").await;
    let saved = t.stored(&id).await;
    assert_eq!(saved.name, "on postgres");
    assert_eq!(saved.scenario.peak_users, 7);
    let page = t.get(&format!("/s/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("on postgres"));
    let api = t.get(&format!("/api/v1/scenarios/{id}")).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let wrong = t
        .post_form(
            &format!("/s/{id}/rename"),
            &[("owner", "nope"), ("name", "x")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let renamed = t
        .post_form(
            &format!("/s/{id}/rename"),
            &[("owner", &token), ("name", "renamed")],
        )
        .await;
    assert!(renamed.status.is_redirection(), "{}", renamed.body);
    assert_eq!(t.stored(&id).await.name, "renamed");
    let deleted = t
        .post_form(
            &format!("/s/{id}/delete"),
            &[("owner", &token), ("confirm", "yes")],
        )
        .await;
    assert!(deleted.status.is_redirection(), "{}", deleted.body);
    assert_eq!(
        t.get(&format!("/s/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
#[ignore = "needs PostgreSQL: make test starts one"]
async fn on_postgres_two_hundred_concurrent_saves_all_come_back() {
    let t = app_on(&postgres_url()).await;
    let mut tasks = Vec::new();
    for i in 0..200 {
        let (router, pool) = (t.router.clone(), t.pool.clone());
        tasks.push(tokio::spawn(async move {
            let t = crate::common::TestApp { router, pool };
            let extra = format!(", \"peak_users\": {}", i + 1);
            (i + 1, t.save(&format!("pg run {i}"), &extra).await.0)
        }));
    }
    for task in tasks {
        let (users, id) = task.await.unwrap();
        assert_eq!(t.stored(&id).await.scenario.peak_users, users);
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL: make test starts one"]
async fn two_servers_on_one_postgres_share_every_save() {
    let url = postgres_url();
    let (a, b) = (app_on(&url).await, app_on(&url).await);
    let (id, token) = a.save("made on a", "").await;
    // b has never seen it: no cache, no catalog of its own for it yet.
    let page = b.get(&format!("/s/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("made on a"));
    let renamed = b
        .post_form(
            &format!("/s/{id}/rename"),
            &[("owner", &token), ("name", "renamed on b")],
        )
        .await;
    assert!(renamed.status.is_redirection(), "{}", renamed.body);
    assert!(a
        .get(&format!("/s/{id}"))
        .await
        .body
        .contains("renamed on b"));
    let deleted = b
        .post_form(
            &format!("/s/{id}/delete"),
            &[("owner", &token), ("confirm", "yes")],
        )
        .await;
    assert!(deleted.status.is_redirection(), "{}", deleted.body);
    assert_eq!(
        a.get(&format!("/s/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        a.get(&format!("/api/v1/scenarios/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
#[ignore = "needs PostgreSQL: make test starts one"]
async fn on_postgres_the_save_quota_is_one_for_every_server_and_the_size_is_measured() {
    use store::quota::{take_at, BURST};
    let url = postgres_url();
    let (a, b) = (app_on(&url).await, app_on(&url).await);
    // A client of its own per run: the database outlives one test.
    let client = format!("198.51.100.{}", std::process::id() % 250);
    let t0 = 1_900_000_000.0 + f64::from(std::process::id());
    // Half the burst through one server, half through the other, then both refuse.
    for i in 0..BURST {
        let pool = if i % 2 == 0 { &a.pool } else { &b.pool };
        take_at(pool, &client, t0).await.unwrap();
    }
    for pool in [&a.pool, &b.pool] {
        assert!(matches!(
            take_at(pool, &client, t0).await,
            Err(store::StoreError::Quota { .. })
        ));
    }
    let used = store::capacity::used_bytes(&a.pool).await.unwrap();
    assert!(
        used > 1_000_000,
        "a PostgreSQL database holds its catalogs: {used}"
    );
    assert!(matches!(
        store::capacity::check(&a.pool, used / 2).await,
        Err(store::StoreError::Full { .. })
    ));
}
