//! The JSON API: template, plan, save and fetch, catalog, OpenAPI, limits and 422s.

use crate::common::app;
use axum::http::StatusCode;

#[tokio::test]
async fn template_plans_and_round_trips() {
    let t = app().await;
    let template = t.get("/api/v1/scenario-template").await;
    assert_eq!(template.status, StatusCode::OK);
    let plan = t.post_json("/api/v1/plan", &template.body).await;
    assert_eq!(plan.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&plan.body).unwrap();
    assert_eq!(v["verdict"].as_array().unwrap().len(), 4);
    assert!(v["options"].as_array().unwrap().len() >= 12);
}

#[tokio::test]
async fn invalid_bodies_get_one_message_per_field() {
    let t = app().await;
    let r = t
        .post_json("/api/v1/plan", "{\"hours_per_day\": \"eight\"}")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["errors"][0]["field"], "hours_per_day");
    let r = t
        .post_json(
            "/api/v1/plan",
            "{\"hours_per_day\": 30, \"peak_users\": 0, \"models\": [\"x\"]}",
        )
        .await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let fields: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["hours_per_day", "peak_users", "models"]);
    assert_eq!(
        t.post_json("/api/v1/plan", "not json").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = t
        .post_json("/api/v1/scenarios", "{\"peak_users\": 3}")
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a name is required: {}",
        r.body
    );
}

#[tokio::test]
async fn bodies_over_the_limit_get_413() {
    let t = app().await;
    let big = format!(
        "{{\"name\": \"{}\"}}",
        "x".repeat(server::api::BODY_LIMIT + 10)
    );
    assert_eq!(
        t.post_json("/api/v1/plan", &big).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(
        t.post_json("/api/v1/scenarios", &big).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

#[tokio::test]
async fn catalog_and_openapi_describe_themselves() {
    let t = app().await;
    let c: serde_json::Value = serde_json::from_str(&t.get("/api/v1/catalog").await.body).unwrap();
    assert!(c["gpus"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["source"].is_string() && g["source_date"].is_string()));
    let doc: serde_json::Value =
        serde_json::from_str(&t.get("/api/v1/openapi.json").await.body).unwrap();
    for path in [
        "/api/v1/plan",
        "/api/v1/scenarios",
        "/api/v1/scenarios/{id}",
        "/api/v1/catalog",
        "/api/v1/scenario-template",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    // Generated from the types: the Scenario schema lists the engine's fields.
    let props = &doc["components"]["schemas"]["Scenario"]["properties"];
    for f in ["hours_per_day", "peak_users", "gpus", "kwh_price"] {
        assert!(props[f].is_object(), "{f}");
    }
    assert_eq!(t.get("/api/v1/nothing").await.status, StatusCode::NOT_FOUND);
}
