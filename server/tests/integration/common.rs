//! A fresh router on a temporary SQLite file, and request helpers.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use store::Pool;
use tower::ServiceExt;

pub struct TestApp {
    pub router: axum::Router,
    pub pool: Pool,
}

pub async fn app() -> TestApp {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("planner-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    app_on(&format!("sqlite://{}/t.db", dir.display())).await
}

/// A fresh router (a server of its own: its own pool, page cache and catalogs) on the store at
/// `url`.
pub async fn app_on(url: &str) -> TestApp {
    let pool = store::connect_to(url).await.unwrap();
    let options = LeptosOptions::builder()
        .output_name("planner-web")
        .site_root("target/site")
        .build();
    TestApp {
        router: server::router(options, pool.clone()),
        pool,
    }
}

/// The PostgreSQL database `make test` starts (`scripts/postgres-temp.sh`).
pub fn postgres_url() -> String {
    std::env::var("PLANNER_TEST_POSTGRES_URL").expect(
        "PLANNER_TEST_POSTGRES_URL: these tests need a PostgreSQL server; `make test` starts one",
    )
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestApp {
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let r = self.router.clone().oneshot(req).await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = r.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::builder().uri(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn get_with_cookie(&self, uri: &str, cookie: &str) -> Reply {
        self.send(
            Request::builder()
                .uri(uri)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn post_json(&self, uri: &str, json: &str) -> Reply {
        self.send(
            Request::builder()
                .method("POST")
                .uri(uri)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json.to_string()))
                .unwrap(),
        )
        .await
    }

    pub async fn post_form(&self, uri: &str, form: &[(&str, &str)]) -> Reply {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        self.send(
            Request::builder()
                .method("POST")
                .uri(uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Saves through the API; returns (id, owner token).
    /// The stored scenario with an id (it must exist).
    pub async fn stored(&self, id: &str) -> store::Saved {
        store::get(&self.pool, id).await.unwrap().unwrap()
    }

    pub async fn save(&self, name: &str, extra: &str) -> (String, String) {
        let name = serde_json::to_string(name).unwrap();
        let r = self
            .post_json("/api/v1/scenarios", &format!("{{\"name\": {name}{extra}}}"))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        let owner = v["owner_url"].as_str().unwrap();
        let token = owner.split("owner=").nth(1).unwrap().to_string();
        (v["id"].as_str().unwrap().to_string(), token)
    }
}
