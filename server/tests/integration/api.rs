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
        "x".repeat(server::json::BODY_LIMIT + 10)
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
    // Each model carries its quality scores (or why not), each format what it loses.
    for m in c["models"].as_array().unwrap() {
        let scores = m["quality"].as_array().unwrap().len();
        assert!(
            scores >= 3 || m["quality_not_reported"] != "",
            "{}",
            m["id"]
        );
    }
    let q4 = c["formats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "q4_k_m")
        .unwrap();
    assert!(q4["quality_loss"][0]["source"]
        .as_str()
        .unwrap()
        .contains("llama.cpp"));
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

/// Issue 15, D1: the catalog's model list ×100 with every format, every GPU at 1/2/4/8 and
/// every engine, posted to plan and to save, is refused at once with a 422 naming the field,
/// and nothing is saved.
#[tokio::test]
async fn a_plan_over_the_size_limits_is_refused_not_planned() {
    let t = app().await;
    let catalog: serde_json::Value =
        serde_json::from_str(&t.get("/api/v1/catalog").await.body).unwrap();
    let ids = |key: &str| -> Vec<serde_json::Value> {
        catalog[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].clone())
            .collect()
    };
    let models: Vec<_> = (0..100).flat_map(|_| ids("models")).collect();
    let gpus: Vec<_> = ids("gpus")
        .into_iter()
        .flat_map(|id| [1, 2, 4, 8].map(|n| serde_json::json!({"id": id, "count": n})))
        .collect();
    let body = serde_json::json!({
        "models": models, "quants": ids("formats"), "gpus": gpus, "engine": "all",
    })
    .to_string();
    for path in ["/api/v1/plan", "/api/v1/scenarios"] {
        let mut b: serde_json::Value = serde_json::from_str(&body).unwrap();
        if path.ends_with("scenarios") {
            b["name"] = "attack".into();
        }
        let started = std::time::Instant::now();
        let r = t.post_json(path, &b.to_string()).await;
        assert!(
            started.elapsed().as_millis() < 100,
            "{path}: {:?}",
            started.elapsed()
        );
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {}",
            r.body
        );
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert!(
            v["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("at most 64"),
            "{path}: {}",
            r.body
        );
    }
}

/// Issue 15, D2: plans run on blocking threads, one per core, so `/healthz` answers at once
/// while eight whole-catalog plans are under way; plans past the queue's wait are refused with
/// 503 and `Retry-After`, never left hanging.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_while_heavy_plans_run() {
    let t = std::sync::Arc::new(app().await);
    let full =
        serde_json::to_string(&planner::Scenario::full_grid(planner::Catalog::builtin())).unwrap();
    let heavy: Vec<_> = (0..8)
        .map(|_| {
            let (t, body) = (t.clone(), full.clone());
            tokio::spawn(async move { t.post_json("/api/v1/plan", &body).await })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut worst = std::time::Duration::ZERO;
    for _ in 0..5 {
        let started = std::time::Instant::now();
        assert_eq!(t.get("/healthz").await.status, StatusCode::OK);
        worst = worst.max(started.elapsed());
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        worst.as_millis() <= 50,
        "/healthz took {worst:?} while plans ran"
    );
    for h in heavy {
        let r = h.await.unwrap();
        match r.status {
            StatusCode::OK => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(r.headers.contains_key("retry-after"), "{:?}", r.headers)
            }
            s => panic!(
                "a heavy plan answered {s}: {}",
                &r.body[..r.body.len().min(300)]
            ),
        }
    }
}

#[tokio::test]
async fn a_misspelt_field_or_a_body_that_is_no_object_is_a_422_naming_it() {
    let t = app().await;
    let r = t.post_json("/api/v1/plan", r#"{"peak_userz": 5}"#).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["errors"][0]["field"], "peak_userz");
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("'peak_users'"),
        "{v}"
    );
    // Nothing like any field: no guess.
    let r = t
        .post_json("/api/v1/plan", r#"{"zzzzzzzz": 1, "hours_per_day": 4}"#)
        .await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["errors"][0]["message"], "unknown field", "{v}");
    for body in ["[]", "[8, 30]", "5", "\"x\""] {
        let r = t.post_json("/api/v1/plan", body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert!(r.body.contains("\"body\""), "{body}: {}", r.body);
    }
    // Saving knows its own two keys besides the scenario's, and nothing else.
    let r = t
        .post_json("/api/v1/scenarios", r#"{"name": "n", "parnet": ""}"#)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("'parent'"), "{}", r.body);
    let r = t
        .post_json("/api/v1/scenarios", r#"{"name": "n", "peak_users": 3}"#)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = t.post_json("/api/v1/plan", r#"{"peak_users": 3}"#).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn a_large_plan_answers_a_page_of_options_at_a_time() {
    let t = app().await;
    let catalog: serde_json::Value =
        serde_json::from_str(&t.get("/api/v1/catalog").await.body).unwrap();
    let ids = |k: &str| -> Vec<serde_json::Value> {
        catalog[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].clone())
            .collect()
    };
    let gpus: Vec<serde_json::Value> = ids("gpus")
        .into_iter()
        .map(|id| serde_json::json!({"id": id, "count": 1}))
        .collect();
    let body = serde_json::json!({"models": ids("models"), "quants": ["bf16", "fp8", "q4_k_m"], "gpus": gpus})
        .to_string();
    let keys = |r: &crate::common::Reply| -> (usize, usize, Vec<String>) {
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{}",
            &r.body[..r.body.len().min(300)]
        );
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        let options = v["options"].as_array().unwrap();
        // An option is its model, format, GPU, GPU count and engine.
        let keys = (options.iter())
            .map(|o| {
                let f = ["model", "quant", "gpu", "gpus_per_replica", "engine"];
                f.map(|k| o[k].to_string()).join("/")
            })
            .collect::<Vec<_>>();
        assert!(keys.iter().all(|k| !k.contains("null")), "{keys:?}");
        (
            v["options_total"].as_u64().unwrap() as usize,
            v["options_offset"].as_u64().unwrap() as usize,
            keys,
        )
    };
    let (total, offset, first) = keys(&t.post_json("/api/v1/plan", &body).await);
    assert!(total > 500, "{total} options");
    assert_eq!((offset, first.len()), (0, 500));
    // Two pages of 300 are the first 600, in order.
    let (_, _, a) = keys(&t.post_json("/api/v1/plan?limit=300", &body).await);
    let (_, off, b) = keys(
        &t.post_json("/api/v1/plan?offset=300&limit=300", &body)
            .await,
    );
    assert_eq!(off, 300);
    assert_eq!(&a[..], &first[..300]);
    assert_eq!(&b[..200], &first[300..]);
    // Past the end: none, and where it would start.
    let (_, off, none) = keys(
        &t.post_json(&format!("/api/v1/plan?offset={}", total + 10), &body)
            .await,
    );
    assert_eq!((off, none.len()), (total, 0));
    for q in ["limit=0", "limit=5001", "limit=x", "offset=-1"] {
        let r = t.post_json(&format!("/api/v1/plan?{q}"), &body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{q}: {}",
            r.body
        );
    }
}

/// Issue 13: the JSON plan carries the bottom line (`api`, `rent`, `buy`, null with a reason
/// when a route has none) and a traffic split as the scenario field `split`; shares that do not
/// sum to 1 are a 422 naming `split`, and a misspelt key inside a share names itself.
#[tokio::test]
async fn the_json_plan_carries_the_bottom_line_and_the_split() {
    let t = app().await;
    let body = r#"{"models": ["gpt-oss-20b", "gpt-oss-120b"], "quants": ["mxfp4"],
        "gpus": [{"id": "h100-sxm", "count": 1}], "peak_users": 20,
        "split": [{"model": "gpt-oss-20b", "share": 0.7}, {"model": "gpt-oss-120b", "share": 0.3}]}"#;
    let r = t.post_json("/api/v1/plan", body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let b = &v["bottom_line"];
    for route in ["api", "rent", "buy"] {
        let a = &b[route];
        assert!(a.is_null() || a["model"].is_string(), "{route}: {a}");
        if a.is_null() {
            assert!(b["why_not"][route].is_string(), "{route} without a reason");
        } else {
            assert!(a["monthly_usd"].as_f64().unwrap() > 0.0);
        }
    }
    let split = &v["split"]["split"];
    assert_eq!(split["parts"].as_array().unwrap().len(), 2);
    assert!(split["monthly_usd"].as_f64().unwrap() > 0.0);
    let bad = body.replace("0.3}", "0.2}");
    let r = t.post_json("/api/v1/plan", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["errors"][0]["field"], "split", "{v}");
    let typo = body.replace("\"share\": 0.3", "\"shar\": 0.3");
    let r = t.post_json("/api/v1/plan", &typo).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("split[1].shar"), "{}", r.body);
}
