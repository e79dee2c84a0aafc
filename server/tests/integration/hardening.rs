//! The hardening of issue 15, written as the attacks: a cross-site form post, a page framed or
//! leaking its address, a store URL the build cannot serve.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use crate::common::{app, Reply, TestApp};

async fn post_from(t: &TestApp, uri: &str, body: &str, kind: &str, from: &[(&str, &str)]) -> Reply {
    let mut req = Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::HOST, "planner.example")
        .header(header::CONTENT_TYPE, kind);
    for (k, v) in from {
        req = req.header(*k, *v);
    }
    t.send(req.body(Body::from(body.to_string())).unwrap())
        .await
}

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn another_sites_page_cannot_save_rename_or_delete_and_the_cookie_stays() {
    let t = app().await;
    let (id, token) = t.save("mine", "").await;
    let evil = [("origin", "http://evil.example")];
    let cross = [("sec-fetch-site", "cross-site")];
    for from in [&evil[..], &cross[..]] {
        let r = post_from(&t, "/scenarios", "name=x&query=", FORM, from).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(
            r.headers.get(header::SET_COOKIE).is_none(),
            "the cookie is not touched"
        );
        assert!(r.body.contains("another site"), "{}", r.body);
        let body = format!("owner={token}&name=pwned");
        let r = post_from(&t, &format!("/s/{id}/rename"), &body, FORM, from).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = post_from(
            &t,
            &format!("/s/{id}/delete"),
            &format!("owner={token}"),
            FORM,
            from,
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // The API answers in JSON, naming what it refused.
        let r = post_from(
            &t,
            "/api/v1/scenarios",
            r#"{"name": "x"}"#,
            "application/json",
            from,
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["errors"][0]["field"], "origin");
    }
    assert_eq!(t.stored(&id).await.name, "mine", "nothing changed");
    // The site's own pages (and scripts, which send neither header) still work.
    let own = [
        ("origin", "http://planner.example"),
        ("sec-fetch-site", "same-origin"),
    ];
    let r = post_from(&t, "/scenarios", "name=ok&query=", FORM, &own).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = post_from(&t, "/scenarios", "name=ok&query=", FORM, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn every_page_forbids_sniffing_framing_and_referrers_and_scripts_need_the_nonce() {
    let t = app().await;
    let (id, token) = t.save("headers", "").await;
    let owner = format!("/s/{id}?owner={token}");
    for uri in [
        "/",
        "/catalog",
        "/article",
        "/no-such-page",
        &format!("/s/{id}"),
        &owner,
    ] {
        let r = t.get(uri).await;
        let h = |name: &str| r.headers.get(name).map(|v| v.to_str().unwrap().to_string());
        assert_eq!(
            h("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{uri}"
        );
        assert_eq!(h("x-frame-options").as_deref(), Some("DENY"), "{uri}");
        assert_eq!(
            h("referrer-policy").as_deref(),
            Some("no-referrer"),
            "{uri}"
        );
        let csp = h("content-security-policy").unwrap_or_else(|| panic!("{uri}: no CSP"));
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"));
        // Every inline script of the page carries the policy's nonce.
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|s| s.split('\'').next())
            .unwrap_or_else(|| panic!("{uri}: {csp}"));
        let scripts = r.body.matches("<script").count();
        assert!(scripts > 0, "{uri}");
        let nonced = r.body.matches(&format!("nonce=\"{nonce}\"")).count();
        assert!(nonced >= scripts, "{uri}: {nonced} of {scripts} scripts");
    }
    // The owner's page and the saved list hold tokens: never stored by a cache.
    let r = t.get(&owner).await;
    assert_eq!(r.headers["cache-control"], "no-store");
    // So is every saved page: the browser whose cookie holds its token sees the owner's
    // controls on the plain share address.
    let plain = t.get(&format!("/s/{id}")).await;
    assert_eq!(plain.headers["cache-control"], "no-store");
    let page = t.get("/").await;
    assert!(
        page.headers
            .get("cache-control")
            .map(|v| v.to_str().unwrap())
            != Some("no-store")
    );
    let saved = t
        .post_form("/scenarios", &[("name", "n"), ("query", "")])
        .await;
    assert_eq!(
        saved.headers["cache-control"], "no-store",
        "the redirect to the owner link"
    );
    // The API and the charts get the same headers.
    for uri in ["/api/v1/catalog", "/healthz"] {
        let r = t.get(uri).await;
        assert_eq!(r.headers["x-content-type-options"], "nosniff", "{uri}");
    }
}

#[tokio::test]
async fn a_store_url_the_server_cannot_serve_is_refused_by_name_and_creates_nothing() {
    // sqlx alone would read "mysql://x/y" as a relative SQLite path and create a folder
    // "mysql:" in the working directory.
    for url in ["mysql://user@localhost/planner", "planner.db", "redis://x"] {
        let e = store::connect_to(url).await.unwrap_err().to_string();
        assert!(e.contains("DATABASE_URL"), "{url}: {e}");
        assert!(
            e.contains("sqlite://") && e.contains("postgres://"),
            "{url}: {e}"
        );
    }
    for made in ["mysql:", "redis:"] {
        assert!(!std::path::Path::new(made).exists(), "{made} created");
    }
}

/// The real server loop on a free loopback port, with short limits for the test.
async fn listen(t: &TestApp, max_connections: usize) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let limits = server::serve::Limits {
        max_connections,
        header_read_timeout: std::time::Duration::from_millis(300),
    };
    tokio::spawn(server::serve::serve(listener, t.router.clone(), limits));
    addr
}

/// Reads until the peer closes (or `wait` passes): what was read, and whether it closed.
async fn read_until_closed(s: &mut tokio::net::TcpStream, wait_ms: u64) -> (String, bool) {
    use tokio::io::AsyncReadExt;
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_millis(wait_ms);
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&out).into(), true),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&out).into(), false),
        }
    }
}

#[tokio::test]
async fn a_half_sent_request_or_an_idle_connection_is_closed_after_the_header_timeout() {
    use tokio::io::AsyncWriteExt;
    let t = app().await;
    let addr = listen(&t, 16).await;
    // A request line trickling in, never finished.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHo").await.unwrap();
    let started = std::time::Instant::now();
    let (_, closed) = read_until_closed(&mut slow, 3_000).await;
    assert!(closed, "still open after 3 s");
    let took = started.elapsed().as_millis();
    assert!((200..2_000).contains(&took), "closed after {took} ms");
    // A served connection left open between requests is closed likewise.
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (reply, closed) = read_until_closed(&mut idle, 3_000).await;
    assert!(
        reply.starts_with("HTTP/1.1 200") && reply.ends_with("ok"),
        "{reply}"
    );
    assert!(closed, "an idle keep-alive connection stays open");
}

#[tokio::test]
async fn past_the_connection_cap_new_clients_wait_instead_of_exhausting_the_server() {
    use tokio::io::AsyncWriteExt;
    let t = app().await;
    let addr = listen(&t, 2).await;
    let _a = tokio::net::TcpStream::connect(addr).await.unwrap();
    let _b = tokio::net::TcpStream::connect(addr).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let mut third = tokio::net::TcpStream::connect(addr).await.unwrap();
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    // Both slots are held: no answer yet...
    let (early, _) = read_until_closed(&mut third, 150).await;
    assert!(early.is_empty(), "{early}");
    // ...until the two silent connections time out and free them.
    let (reply, _) = read_until_closed(&mut third, 3_000).await;
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
}

#[tokio::test]
async fn a_save_loop_gets_429s_after_its_burst_and_other_clients_do_not() {
    use axum::extract::ConnectInfo;
    let t = app().await;
    let from = |ip: &str, uri: &str, body: &str, kind: &str| {
        let addr: std::net::SocketAddr = format!("{ip}:40000").parse().unwrap();
        Request::builder()
            .method("POST")
            .uri(uri)
            .header(header::CONTENT_TYPE, kind)
            .extension(ConnectInfo(addr))
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let json = "application/json";
    let save_from = |ip: &str| from(ip, "/api/v1/scenarios", r#"{"name": "s"}"#, json);
    for i in 0..store::quota::BURST as usize {
        let r = t.send(save_from("10.1.1.1")).await;
        assert_eq!(r.status, StatusCode::CREATED, "save {i}: {}", r.body);
    }
    let r = t.send(save_from("10.1.1.1")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    // At most one refill away (less if the saves above took a while).
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry), "{retry}");
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["errors"][0]["field"], "quota");
    // The form shares the address's quota, and answers in HTML.
    let r = t
        .send(from("10.1.1.1", "/scenarios", "name=s&query=", FORM))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("too many saves"), "{}", r.body);
    // Another address saves; planning is never counted.
    let r = t.send(save_from("10.1.1.2")).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = t.send(from("10.1.1.1", "/api/v1/plan", "{}", json)).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn the_server_loop_counts_saves_by_the_connections_address() {
    use tokio::io::AsyncWriteExt;
    let t = app().await;
    let addr = listen(&t, 16).await;
    let body = r#"{"name": "over tcp"}"#;
    let request = format!(
        "POST /api/v1/scenarios HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut statuses = Vec::new();
    for _ in 0..=store::quota::BURST as usize {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(request.as_bytes()).await.unwrap();
        let (reply, _) = read_until_closed(&mut s, 3_000).await;
        statuses.push(reply.get(9..12).unwrap_or("").to_string());
    }
    assert!(
        statuses[..statuses.len() - 1].iter().all(|s| s == "201"),
        "{statuses:?}"
    );
    assert_eq!(statuses.last().unwrap(), "429", "{statuses:?}");
}

#[tokio::test]
async fn a_database_failure_answers_500_with_a_reference_and_no_database_text() {
    let t = app().await;
    let (id, _) = t.save("then the database fails", "").await;
    t.pool.close().await;
    for uri in [
        format!("/api/v1/scenarios/{id}"),
        format!("/s/{id}/report.csv"),
    ] {
        let r = t.get(&uri).await;
        assert_eq!(
            r.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{uri}: {}",
            r.body
        );
        // The reference quoted is the request's id: the log line with the cause carries it.
        let id = r.headers["x-request-id"].to_str().unwrap();
        assert!(
            r.body.contains(&format!("reference {id}")),
            "{uri}: {}",
            r.body
        );
        let lower = r.body.to_lowercase();
        for leak in ["sqlx", "pool", "sqlite", "closed", "/tmp"] {
            assert!(!lower.contains(leak), "{uri} says '{leak}': {}", r.body);
        }
    }
    // The page says the same, in its own words.
    let page = t.get(&format!("/s/{id}")).await;
    let lower = page.body.to_lowercase();
    assert!(
        !lower.contains("sqlx") && !lower.contains("pool"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn the_saved_list_cookie_is_secure_behind_tls_and_only_then() {
    let t = app().await;
    let post = |proto: Option<&'static str>| {
        let mut req = Request::builder()
            .method("POST")
            .uri("/scenarios")
            .header(header::CONTENT_TYPE, FORM);
        if let Some(p) = proto {
            req = req.header("x-forwarded-proto", p);
        }
        req.body(Body::from("name=c&query=")).unwrap()
    };
    let cookie = |r: &Reply| r.headers[header::SET_COOKIE].to_str().unwrap().to_string();
    let tls = t.send(post(Some("https"))).await;
    assert!(cookie(&tls).ends_with("; Secure"), "{}", cookie(&tls));
    for proto in [None, Some("http")] {
        let plain = t.send(post(proto)).await;
        assert!(!cookie(&plain).contains("Secure"), "{}", cookie(&plain));
        assert!(cookie(&plain).contains("HttpOnly") && cookie(&plain).contains("SameSite=Lax"));
    }
}

#[tokio::test]
async fn a_server_function_call_over_its_limit_is_a_413_not_a_500() {
    let t = app().await;
    let big = format!("query={}", "a".repeat(100 * 1024));
    let length = big.len().to_string();
    let r = post_from(
        &t,
        "/api/run_plan",
        &big,
        FORM,
        &[("content-length", length.as_str())],
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["errors"][0]["field"], "body");
    // The JSON API keeps its own limit and answer.
    let r = post_from(
        &t,
        "/api/v1/plan",
        &"x".repeat(300 * 1024),
        "application/json",
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_server_function_body_sent_without_a_length_is_cut_at_its_limit() {
    use futures_util::stream;
    let t = app().await;
    let path = <app::planner_page::RunPlan as leptos::server_fn::ServerFn>::PATH;
    assert!(path.starts_with("/api/run_plan"), "{path}");
    // 100 chunks of 1 KB with no Content-Length: Leptos would read them all.
    let chunks = (0..100).map(|i| {
        let chunk = if i == 0 {
            "query=".to_string()
        } else {
            String::new()
        } + &"a".repeat(1024);
        Ok::<_, std::io::Error>(axum::body::Bytes::from(chunk))
    });
    let req = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, FORM)
        .body(Body::from_stream(stream::iter(chunks)))
        .unwrap();
    let r = t.send(req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["errors"][0]["field"], "body");
    // A small chunked call still reaches the server function.
    let small = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, FORM)
        .body(Body::from_stream(stream::iter([Ok::<_, std::io::Error>(
            axum::body::Bytes::from("query=models%3Dgpt-oss-20b"),
        )])))
        .unwrap();
    let r = t.send(small).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn an_error_is_json_for_the_api_and_scripts_and_a_page_for_browsers() {
    let t = app().await;
    let get = |uri: &str, accept: &str| {
        Request::builder()
            .uri(uri)
            .header(header::ACCEPT, accept)
            .body(Body::empty())
            .unwrap()
    };
    let html = "text/html,application/xhtml+xml,*/*;q=0.8";
    // The same error (no such scenario) from a report route, asked both ways.
    let page = t.send(get("/s/nope/report.csv", html)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(
        page.body.contains("<h1>Not found</h1>") && page.body.contains("nope"),
        "{}",
        page.body
    );
    let json = t.send(get("/s/nope/report.csv", "application/json")).await;
    assert_eq!(json.status, StatusCode::NOT_FOUND);
    let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(v["errors"][0]["field"], "id");
    // Under /api/ it is JSON whatever the browser asks for; every answer has a request id.
    let api = t.send(get("/api/v1/scenarios/nope", html)).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(
        serde_json::from_str::<serde_json::Value>(&api.body).is_ok(),
        "{}",
        api.body
    );
    let a = api.headers["x-request-id"].to_str().unwrap().to_string();
    let b = t.send(get("/healthz", "*/*")).await.headers["x-request-id"].clone();
    assert_eq!(a.len(), 12);
    assert_ne!(a, b.to_str().unwrap());
}
