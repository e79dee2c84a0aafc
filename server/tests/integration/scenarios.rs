//! Saved scenarios on a temporary SQLite: save and fetch, concurrency, catalog snapshots,
//! owner-only changes, 404s, escaping and formula-safe CSV.

use crate::common::app;
use axum::http::StatusCode;
use planner::catalog::Sources;
use planner::{Catalog, Scenario};

#[tokio::test]
async fn save_then_fetch_gives_the_same_scenario_and_plan() {
    let t = app().await;
    let (id, _) = t
        .save("Support bot", ", \"peak_users\": 25, \"hours_per_day\": 12")
        .await;
    let r = t.get(&format!("/api/v1/scenarios/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let scenario: Scenario = serde_json::from_value(v["scenario"].clone()).unwrap();
    assert_eq!(scenario.peak_users, 25);
    assert_eq!(scenario.hours_per_day, 12.0);
    assert_eq!(v["name"], "Support bot");
    let fresh = planner::plan(Catalog::builtin(), &scenario).unwrap();
    // Byte-identical (comparing parsed floats would lose the last bit without float_roundtrip).
    assert!(
        r.body.contains(&serde_json::to_string(&fresh).unwrap()),
        "the same plan"
    );
    assert_eq!(v["catalog_snapshot_id"], Catalog::builtin().snapshot_id);
    assert!(
        id.len() >= 16
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    );
}

#[tokio::test]
async fn two_hundred_concurrent_saves_all_come_back() {
    let t = app().await;
    let mut tasks = Vec::new();
    for i in 0..200 {
        let (router, pool) = (t.router.clone(), t.pool.clone());
        tasks.push(tokio::spawn(async move {
            let t = crate::common::TestApp { router, pool };
            t.save(&format!("run {i}"), &format!(", \"peak_users\": {}", i + 1))
                .await
        }));
    }
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.unwrap());
    }
    let mut unique: Vec<_> = ids.iter().map(|(id, _)| id.clone()).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 200);
    for (i, (id, _)) in ids.iter().enumerate() {
        let s = t.stored(id).await;
        assert_eq!(s.scenario.peak_users, i as u32 + 1);
        assert_eq!(s.name, format!("run {i}"));
    }
}

#[tokio::test]
async fn a_saved_link_keeps_its_original_prices_after_the_catalog_changes() {
    let t = app().await;
    // Save under a catalog where the cheapest A100 80GB offer cost 10x more.
    let mut old = Sources::builtin();
    old.cloud_prices = old.cloud_prices.replace(
        "a100-80gb-sxm,RunPod,A100 80GB SXM,pod (1 GPU),1,1.39,1.39",
        "a100-80gb-sxm,RunPod,A100 80GB SXM,pod (1 GPU),1,13.9,13.9",
    );
    assert_ne!(old.snapshot_id(), Sources::builtin().snapshot_id());
    let scenario = Scenario {
        models: vec!["gpt-oss-120b".into()],
        quants: vec!["mxfp4".into()],
        gpus: vec![planner::scenario::GpuChoice {
            id: "a100-80gb-sxm".into(),
            count: 1,
        }],
        ..Scenario::default()
    };
    let (saved, _) = store::save(&t.pool, "old prices", &scenario, None, &old)
        .await
        .unwrap();
    let r = t.get(&format!("/api/v1/scenarios/{}", saved.id)).await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let then = v["plan"]["options"][0]["cloud"]["monthly_usage_usd"]
        .as_f64()
        .unwrap();
    let today = planner::plan(Catalog::builtin(), &scenario)
        .unwrap()
        .options
        .first()
        .and_then(|o| o.cloud)
        .unwrap()
        .monthly_usage_usd;
    assert!(
        then > today,
        "saved plan uses its own catalog: {then} vs {today}"
    );
    assert_eq!(v["catalog_snapshot_id"], old.snapshot_id());
    let page = t.get(&format!("/s/{}", saved.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Prices changed since this was saved"),
        "the page says prices moved"
    );
}

#[tokio::test]
async fn only_the_owner_can_rename_or_delete() {
    let t = app().await;
    let (id, token) = t.save("mine", "").await;
    for owner in ["", "wrong-token"] {
        let r = t
            .post_form(&format!("/s/{id}/delete"), &[("owner", owner)])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t
            .post_form(
                &format!("/s/{id}/rename"),
                &[("owner", owner), ("name", "stolen")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(t.stored(&id).await.name, "mine");
    let r = t
        .post_form(
            &format!("/s/{id}/rename"),
            &[("owner", &token), ("name", "renamed")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(t.stored(&id).await.name, "renamed");
    // Delete asks first: the owner's first press answers a page with a confirming form (the
    // token in the form, not the address) and deletes nothing.
    let r = t
        .post_form(&format!("/s/{id}/delete"), &[("owner", &token)])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Delete “renamed”?"), "{}", r.body);
    assert!(r.body.contains("name=\"confirm\" value=\"yes\""));
    assert_eq!(t.stored(&id).await.name, "renamed", "nothing deleted yet");
    let r = t
        .post_form(
            &format!("/s/{id}/delete"),
            &[("owner", &token), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        t.get(&format!("/s/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn unknown_ids_are_404_not_500() {
    let t = app().await;
    let page = t.get("/s/does-not-exist").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Scenario not found"));
    assert_eq!(
        t.get("/api/v1/scenarios/does-not-exist").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.get("/s/does-not-exist/report.csv").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.get("/compare?a=x&b=y").await.status,
        StatusCode::NOT_FOUND
    );
    let r = t
        .post_form("/s/does-not-exist/delete", &[("owner", "x")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_save_form_redirects_remembers_and_lists_only_this_browsers_saves() {
    let t = app().await;
    let r = t
        .post_form(
            "/scenarios",
            &[
                ("name", "form save"),
                ("query", "hours_per_day=6&models=gpt-oss-20b"),
                ("parent", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let location = r.headers["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/s/") && !location.contains("owner=") && location.ends_with("?new=1"),
        "{location}"
    );
    let cookie = r.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let (other, _) = t.save("someone else's", "").await;
    let list = t.get_with_cookie("/scenarios", &cookie).await;
    assert!(list.body.contains("form save"));
    assert!(
        !list.body.contains("someone else"),
        "never everyone's scenarios"
    );
    assert!(!list.body.contains(&other));
    // The page it lands on knows this browser owns it (from the cookie): the owner link shown
    // once, whole, in a box to copy, and the owner's controls; no token in any address.
    let landed = t.get_with_cookie(&location, &cookie).await;
    assert!(
        landed.body.contains("id=\"owner-url\""),
        "the owner link, once"
    );
    assert!(landed.body.contains("aria-label=\"owner actions\""));
    assert_eq!(
        landed.headers["cache-control"].to_str().unwrap(),
        "no-store"
    );
    let id = location
        .trim_start_matches("/s/")
        .trim_end_matches("?new=1");
    let again = t.get_with_cookie(&format!("/s/{id}"), &cookie).await;
    assert!(!again.body.contains("id=\"owner-url\""), "shown once");
    assert!(again.body.contains("aria-label=\"owner actions\""));
    // Without the cookie the same page is read-only.
    let stranger = t.get(&format!("/s/{id}")).await;
    assert!(!stranger.body.contains("aria-label=\"owner actions\""));
    assert!(
        !stranger.body.contains("owner="),
        "no token on the share page"
    );
    let bad = t
        .post_form(
            "/scenarios",
            &[("name", "x"), ("query", "hours_per_day=99")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unnamed = t
        .post_form("/scenarios", &[("name", "  "), ("query", "")])
        .await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn names_are_text_everywhere_and_never_formulas() {
    let t = app().await;
    let (xss, token) = t.save("<script>alert(1)</script>", "").await;
    let page = t.get(&format!("/s/{xss}?owner={token}")).await;
    assert!(!page.body.contains("<script>alert(1)</script>"));
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // In the page's <title> too (leptos_meta does not escape it): look-alikes, no markup.
    let (breakout, _) = t.save("</title><script>alert(2)</script>", "").await;
    let page = t.get(&format!("/s/{breakout}")).await;
    assert!(
        !page.body.contains("<script>alert(2)"),
        "the title broke out"
    );
    assert!(page
        .body
        .contains("<title>‹/title›‹script›alert(2)‹/script› — LLM Deployment Planner</title>"));
    let print = t.get(&format!("/s/{xss}/report")).await;
    assert!(!print.body.contains("<script>alert(1)"));
    // Markdown passes raw HTML to its renderer: the report writes the name's markup as
    // entities, which render as the characters.
    let md = t.get(&format!("/s/{xss}/report.md")).await;
    assert_eq!(md.status, StatusCode::OK);
    assert!(!md.body.contains("<script>"), "{}", md.body);
    assert!(
        md.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        md.body
    );
    let list = t
        .get_with_cookie("/scenarios", &format!("planner_saved={xss}.{token}"))
        .await;
    assert!(!list.body.contains("<script>alert(1)</script>"));

    let (formula, _) = t.save("=HYPERLINK(\"x\")", "").await;
    let csv = t.get(&format!("/s/{formula}/report.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut rdr = csv::Reader::from_reader(csv.body.as_bytes());
    for rec in rdr.records() {
        let rec = rec.unwrap();
        assert_eq!(&rec[0], "'=HYPERLINK(\"x\")");
        for cell in rec.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell}"
            );
        }
    }
}

#[tokio::test]
async fn exports_parse_in_every_format() {
    let t = app().await;
    let (id, _) = t.save("exports", "").await;
    let csv = t.get(&format!("/s/{id}/report.csv")).await;
    assert!(csv.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let mut rdr = csv::Reader::from_reader(csv.body.as_bytes());
    assert!(rdr
        .headers()
        .unwrap()
        .iter()
        .any(|h| h == "cloud_monthly_usage_usd"));
    assert!(rdr.records().count() >= 12);
    let json = t.get(&format!("/s/{id}/report.json")).await;
    let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["currency"], "USD");
    assert!(v["generated_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(v["catalog_snapshot_id"], Catalog::builtin().snapshot_id);
    assert!(v["options"][0]["key"].as_str().unwrap().contains('|'));
    assert!(v["options"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["cloud"]["monthly_usage_usd"].is_number()));
    let md = t.get(&format!("/s/{id}/report.md")).await;
    assert!(md.body.starts_with("# exports") && md.body.contains("| Category | Winner | Why |"));
    let html = t.get(&format!("/s/{id}/report")).await;
    assert!(html.body.contains("@page") && html.body.matches("<svg").count() == 2);
    // The unsaved scenario of a query exports too.
    let current = t.get("/report.json?hours_per_day=4").await;
    let v: serde_json::Value = serde_json::from_str(&current.body).unwrap();
    assert_eq!(v["inputs"]["hours_per_day"], 4.0);
    assert_eq!(
        t.get("/report.csv?hours_per_day=99").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn compare_shows_input_and_cost_differences() {
    let t = app().await;
    let (a, _) = t.save("eight hours", ", \"hours_per_day\": 8").await;
    let (b, _) = t.save("sixteen hours", ", \"hours_per_day\": 16").await;
    // A scenario compared with itself is refused, saying why.
    let same = t.get(&format!("/compare?a={a}&b={a}")).await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(same.body.contains("choose two different scenarios"));
    let r = t.get(&format!("/compare?a={a}&b={b}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("class=\"differs\""),
        "the changed input is highlighted"
    );
    assert!(
        r.body.contains("delta-cloud\">+$"),
        "the cloud cost difference is shown"
    );
    // A headline of each answer, what differs first under the form's own labels, the rest
    // folded away.
    let head = &r.body[r.body.find("compare-headline").expect("a headline")..];
    assert_eq!(head.matches("class=\"card\"").count(), 2);
    let differs =
        &r.body[r.body.find("What differs").unwrap()..r.body.find("same-inputs").unwrap()];
    assert!(differs.contains("Usage hours per day"), "{differs}");
    assert!(!differs.contains("Electricity price"), "{differs}");
    assert!(r.body.contains("The same in both ("));
    // "Compare with…" on a saved page takes the other's share link as pasted.
    let page = t.get(&format!("/s/{a}")).await;
    assert!(page
        .body
        .contains("action=\"/compare\" class=\"compare-with\""));
    assert!(page.body.contains(&format!("name=\"a\" value=\"{a}\"")));
    let pasted = format!("https%3A%2F%2Fplanner.example%2Fs%2F{b}%3Fowner%3Dx");
    let r = t.get(&format!("/compare?a={a}&b={pasted}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("class=\"differs\""));
}

#[tokio::test]
async fn large_saved_scenarios_compare_by_key_and_show_their_first_rows() {
    let t = app().await;
    let c = planner::Catalog::builtin();
    let list = |ids: Vec<&str>| serde_json::to_string(&ids).unwrap();
    let gpus: Vec<String> = ["h100-sxm", "a100-80gb-sxm", "rtx-4090", "l40s"]
        .iter()
        .flat_map(|g| [1, 2, 4, 8].map(|n| format!(r#"{{"id": "{g}", "count": {n}}}"#)))
        .collect();
    let grid = format!(
        r#", "models": {}, "quants": {}, "gpus": [{}], "engine": "all""#,
        list(c.models.iter().map(|m| m.id.as_str()).collect()),
        list(c.formats.iter().map(|f| f.id.as_str()).collect()),
        gpus.join(",")
    );
    let (a, _) = t
        .save("grid, 8 h", &format!("{grid}, \"hours_per_day\": 8"))
        .await;
    let (b, _) = t
        .save("grid, 16 h", &format!("{grid}, \"hours_per_day\": 16"))
        .await;
    let options = planner::plan(c, &t.stored(&a).await.scenario)
        .unwrap()
        .options
        .len();
    assert!(options > app::views::MAX_ROWS, "{options} options");
    let r = t.get(&format!("/compare?a={a}&b={b}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.body.matches("<tr data-key=").count(),
        app::views::MAX_ROWS
    );
    assert!(
        r.body
            .contains(&format!("Showing the first 500 of {options} options")),
        "says how many there are"
    );
    assert!(r.body.contains("delta-cloud\">+$"), "costs matched by key");
    let r = t.get(&format!("/s/{a}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body.matches("data-key=").count(), app::views::MAX_ROWS);
}
