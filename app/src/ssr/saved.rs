//! Data of the saved-scenario, my-scenarios and compare pages.

use planner::Catalog;
use store::{Catalogs, Pool};

use super::build::plan_view;
use super::query::{canonical, pairs, Parsed};
use planner::plan::PlanOption;

use crate::views::{CompareInput, CompareRow, CompareView, PlanView, SavedView, MAX_ROWS};

fn parsed_for(scenario: planner::Scenario, table_query: &str) -> Parsed {
    let table = pairs(table_query);
    let get = |k: &str, d: &str| {
        table
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| d.to_string())
    };
    Parsed {
        scenario,
        errors: Vec::new(),
        sort: get("sort", "rank"),
        dir: get("dir", "asc"),
        show: get("show", "all"),
        only: crate::views::TableFilter {
            model: get("only_model", ""),
            gpu: get("only_gpu", ""),
            engine: get("only_engine", ""),
        },
    }
}

fn cheapest(plan: &planner::Plan) -> Option<(f64, String)> {
    plan.options
        .ranked()
        .next()
        .map(|o| (o.monthly_cost_usd.unwrap_or(0.0), o.key()))
}

/// Where the request came in (`https://host` behind a TLS proxy that says so, else
/// `http://host`), so share links can be copied whole; empty when the Host header is missing
/// or holds anything but a host name and port (the links then stay relative).
pub fn origin(headers: &http::HeaderMap) -> String {
    let host = (headers.get(http::header::HOST)).and_then(|v| v.to_str().ok());
    let Some(host) = host.filter(|h| {
        !h.is_empty()
            && h.len() <= 255
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    }) else {
        return String::new();
    };
    let tls = (headers.get("x-forwarded-proto"))
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    format!("{}://{host}", if tls { "https" } else { "http" })
}

pub async fn saved_view(
    pool: &Pool,
    catalogs: &Catalogs,
    id: &str,
    owner: &str,
    new: bool,
    table_query: &str,
) -> Result<SavedView, String> {
    let Some(saved) = store::get(pool, id)
        .await
        .map_err(|e| super::failure::store_message(&e))?
    else {
        return Ok(SavedView::default());
    };
    let catalog = catalogs
        .get(pool, &saved.catalog_snapshot_id)
        .await
        .map_err(|e| super::failure::store_message(&e))?;
    let is_owner = !owner.is_empty() && store::is_owner(pool, id, owner).await;
    let (view, price_change) = {
        let (saved, table_query) = (saved.clone(), table_query.to_string());
        super::work::plan(move || saved_plans(&saved, &catalog, &table_query))
            .await
            .unwrap_or_else(|busy| {
                let view = PlanView {
                    busy: Some(busy.to_string()),
                    ..PlanView::default()
                };
                (view, Vec::new())
            })
    };
    Ok(SavedView {
        found: true,
        id: saved.id.clone(),
        name: saved.name.clone(),
        created_at: saved.created_at.clone(),
        parent_id: saved.parent_id.clone(),
        inputs: pairs(&canonical(&saved.scenario)),
        plan: view,
        is_owner,
        owner_url: (is_owner && new).then(|| crate::links::saved_owner(&saved.id, owner)),
        share_url: crate::links::saved(&saved.id),
        owner_token: is_owner.then(|| owner.to_string()),
        price_change,
    })
}

/// A saved scenario's plan as page data, and what changed in prices since it was saved (a plan
/// under each catalog): the work `saved_view` hands to `work::plan`.
fn saved_plans(
    saved: &store::Saved,
    catalog: &Catalog,
    table_query: &str,
) -> (PlanView, Vec<String>) {
    let view = plan_view(
        &parsed_for(saved.scenario.clone(), table_query),
        catalog,
        super::build::Origin::Saved(&saved.id),
    );
    // Prices today versus when saved.
    let mut price_change = Vec::new();
    let today = Catalog::builtin();
    if today.snapshot_id == saved.catalog_snapshot_id {
        price_change.push("Prices unchanged since this was saved (same catalog snapshot).".into());
    } else if let (Ok(then), Ok(now)) = (
        planner::plan(catalog, &saved.scenario),
        planner::plan(today, &saved.scenario),
    ) {
        price_change.push(format!(
            "Prices changed since this was saved: catalog {} then, {} today.",
            then.catalog_snapshot, now.catalog_snapshot
        ));
        match (cheapest(&then), cheapest(&now)) {
            (Some((a, ka)), Some((b, kb))) => price_change.push(format!(
                "Cheapest option meeting the targets: ${a:.0}/month when saved ({ka}), ${b:.0}/month today ({kb}): {:+.0} $/month.",
                b - a
            )),
            _ => price_change.push("No option met the targets under one of the catalogs.".into()),
        }
        // By key, not by searching: a whole-catalog scenario has tens of thousands of options.
        let today_cost: std::collections::HashMap<String, Option<f64>> = (now.options.iter())
            .map(|o| (o.key(), o.monthly_cost_usd))
            .collect();
        let changed = (then.options.iter())
            .filter(|o| {
                today_cost
                    .get(&o.key())
                    .is_some_and(|c| *c != o.monthly_cost_usd)
            })
            .count();
        price_change.push(format!("{changed} option(s) cost differently today."));
    }
    (view, price_change)
}

pub async fn compare_view(
    pool: &Pool,
    catalogs: &Catalogs,
    a: &str,
    b: &str,
) -> Result<CompareView, String> {
    let (Some(sa), Some(sb)) = (
        store::get(pool, a)
            .await
            .map_err(|e| super::failure::store_message(&e))?,
        store::get(pool, b)
            .await
            .map_err(|e| super::failure::store_message(&e))?,
    ) else {
        return Ok(CompareView {
            error: Some("one of the scenarios does not exist".into()),
            ..CompareView::default()
        });
    };
    let ca = catalogs
        .get(pool, &sa.catalog_snapshot_id)
        .await
        .map_err(|e| super::failure::store_message(&e))?;
    let cb = catalogs
        .get(pool, &sb.catalog_snapshot_id)
        .await
        .map_err(|e| super::failure::store_message(&e))?;
    let (pa, pb) = {
        let (sa, sb) = (sa.scenario.clone(), sb.scenario.clone());
        super::work::plan(move || (planner::plan(&ca, &sa), planner::plan(&cb, &sb)))
            .await
            .map_err(|busy| busy.to_string())?
    };
    let (pa, pb) = (
        pa.map_err(|e| e.to_string())?,
        pb.map_err(|e| e.to_string())?,
    );
    let ia = pairs(&canonical(&sa.scenario));
    let ib = pairs(&canonical(&sb.scenario));
    let inputs = ia
        .iter()
        .map(|(k, va)| {
            let vb = ib
                .iter()
                .find(|(kb, _)| kb == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            CompareInput {
                label: crate::fields::label_of(k).to_string(),
                key: k.clone(),
                differs: *va != vb,
                a: va.clone(),
                b: vb,
            }
        })
        .collect();
    // A's options in order, then B's that A lacks; matched by key through a map (whole-catalog
    // scenarios have tens of thousands of options).
    let costs = |o: &PlanOption| {
        (
            o.cloud.as_ref().map(|c| c.monthly_usage_usd),
            o.local.as_ref().map(|l| l.one_time_usd),
            o.usd_per_m_output(),
        )
    };
    type Costs = (Option<f64>, Option<f64>, Option<f64>);
    // Each option built once: (key, costs) in plan order, and a map by key.
    let listed = |p: &planner::Plan| -> Vec<(String, Costs)> {
        p.options.iter().map(|o| (o.key(), costs(&o))).collect()
    };
    let (list_a, list_b) = (listed(&pa), listed(&pb));
    let by_key = |list: &[(String, Costs)]| -> std::collections::HashMap<String, Costs> {
        list.iter().cloned().collect()
    };
    let (of_a, of_b) = (by_key(&list_a), by_key(&list_b));
    let row = |key: String, a: Option<Costs>, b: Option<Costs>| CompareRow {
        a_cloud: a.and_then(|c| c.0),
        b_cloud: b.and_then(|c| c.0),
        a_local: a.and_then(|c| c.1),
        b_local: b.and_then(|c| c.1),
        a_per_m: a.and_then(|c| c.2),
        b_per_m: b.and_then(|c| c.2),
        key,
    };
    let mut rows: Vec<CompareRow> = (list_a.into_iter())
        .map(|(k, a)| {
            let b = of_b.get(&k).copied();
            row(k, Some(a), b)
        })
        .collect();
    rows.extend(
        (list_b.into_iter())
            .filter(|(k, _)| !of_a.contains_key(k))
            .map(|(k, c)| row(k, None, Some(c))),
    );
    let total_rows = rows.len();
    rows.truncate(MAX_ROWS);
    Ok(CompareView {
        error: None,
        a_id: sa.id,
        a_name: sa.name,
        b_id: sb.id,
        b_name: sb.name,
        a_summary: super::bottom_line::bottom_line_view(&pa).summary,
        b_summary: super::bottom_line::bottom_line_view(&pb).summary,
        inputs,
        rows,
        total_rows,
    })
}

/// The details page of one option: of a saved scenario (`s=id`) or of the query's scenario.
pub async fn details_view(
    pool: &Pool,
    catalogs: &Catalogs,
    query: &str,
) -> Result<Option<crate::views::DetailsView>, String> {
    let q = pairs(query);
    let get = |k: &str| q.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    let key = get("key").unwrap_or_default();
    let (scenario, catalog, back) = match get("s") {
        Some(id) => {
            let Some(saved) = store::get(pool, &id)
                .await
                .map_err(|e| super::failure::store_message(&e))?
            else {
                return Ok(None);
            };
            let c = catalogs
                .get(pool, &saved.catalog_snapshot_id)
                .await
                .map_err(|e| super::failure::store_message(&e))?;
            (saved.scenario, c, crate::links::saved(&id))
        }
        None => {
            let parsed = super::query::parse(query, Catalog::builtin());
            if !parsed.errors.is_empty() {
                return Ok(None);
            }
            let c = catalogs
                .get(pool, &Catalog::builtin().snapshot_id)
                .await
                .map_err(|e| super::failure::store_message(&e))?;
            let back = crate::links::planner(&canonical(&parsed.scenario));
            (parsed.scenario, c, back)
        }
    };
    let option = super::work::plan(move || {
        let plan = planner::plan(&catalog, &scenario).map_err(|e| e.to_string())?;
        Ok::<_, String>(super::build::option_details(&plan, &key, &catalog))
    })
    .await
    .map_err(|busy| busy.to_string())??;
    Ok(option.map(|option| crate::views::DetailsView { option, back }))
}
