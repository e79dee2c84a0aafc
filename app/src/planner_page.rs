//! `/`: the planner. A GET form whose query string is the scenario (every what-if is a link,
//! and the page works without JavaScript); hydrated, results follow the form as the user types
//! (debounced server call) and the URL follows with history.replaceState.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_navigate};

use crate::fields::{NumberField, CUSTOM_GPU, ECONOMICS, PRESETS, QUALITY, WORKLOAD};
use crate::qs;
use crate::usd;
use crate::views::{BandView, Choice, FormChoices, OptionView, PlanView, MAX_ROWS, PICKER_COUNTS};

/// Plans the scenario a query string describes. Bad fields come back as `errors` (the page
/// shows each beside its field and answers 422), not as a server error.
#[server]
pub async fn run_plan(query: String) -> Result<PlanView, ServerFnError> {
    let catalog = planner::Catalog::builtin();
    let planned = crate::ssr::work::plan(move || {
        let parsed = crate::ssr::query::parse(&query, catalog);
        crate::ssr::build::plan_view(&parsed, catalog, crate::ssr::build::Origin::Current)
    })
    .await;
    Ok(planned.unwrap_or_else(|busy| PlanView {
        busy: Some(busy.to_string()),
        ..PlanView::default()
    }))
}

/// What the form offers (catalog ids) and every field's default.
#[server]
pub async fn load_form_choices() -> Result<FormChoices, ServerFnError> {
    use crate::views::Choice;
    let c = planner::Catalog::builtin();
    let mut providers: Vec<String> = c.cloud.iter().map(|o| o.provider.to_string()).collect();
    providers.sort();
    providers.dedup();
    Ok(FormChoices {
        models: c
            .models
            .iter()
            .map(|m| Choice {
                id: m.id.clone(),
                label: m.name.clone(),
            })
            .collect(),
        quants: c
            .formats
            .iter()
            .map(|f| Choice {
                id: f.id.clone(),
                label: f.name.clone(),
            })
            .collect(),
        gpus: planner::catalog::gpu::Segment::ALL
            .iter()
            .flat_map(|seg| c.gpus.iter().filter(move |g| g.segment == *seg))
            .map(|g| crate::views::GpuPick {
                id: g.id.clone(),
                label: g.name.clone(),
                group: g.segment.label().into(),
                facts: gpu_facts(c, g),
            })
            .collect(),
        engines: std::iter::once(Choice {
            id: "auto".into(),
            label: "auto (the engine that suits each format)".into(),
        })
        .chain(std::iter::once(Choice {
            id: "all".into(),
            label: "all engines".into(),
        }))
        .chain(c.engines.iter().map(|e| Choice {
            id: e.id.clone(),
            label: e.name.clone(),
        }))
        .collect(),
        providers: std::iter::once(Choice {
            id: "cheapest".into(),
            label: "cheapest on-demand offer".into(),
        })
        .chain(providers.into_iter().map(|p| Choice {
            id: p.clone(),
            label: p,
        }))
        .collect(),
        benchmarks: {
            let mut counts: Vec<(String, usize)> = Vec::new();
            for b in c.models.iter().flat_map(|m| {
                let mut own: Vec<&str> = m.benchmarks().collect();
                own.sort_unstable();
                own.dedup();
                own
            }) {
                match counts.iter_mut().find(|(x, _)| x == b) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((b.to_string(), 1)),
                }
            }
            counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            counts
                .into_iter()
                .map(|(b, n)| Choice {
                    label: format!("{b} ({n} models)"),
                    id: b,
                })
                .collect()
        },
        kv_formats: c
            .kv_formats
            .iter()
            .map(|k| Choice {
                id: k.id.clone(),
                label: match k.bytes {
                    1.0 => format!("{} (1 byte per value)", k.id),
                    b => format!("{} ({b} bytes per value)", k.id),
                },
            })
            .collect(),
        defaults: crate::ssr::query::defaults(),
    })
}

/// A GPU's memory, bandwidth and prices in one line, for the picker.
#[cfg(feature = "ssr")]
fn gpu_facts(c: &planner::Catalog, g: &planner::catalog::gpu::Gpu) -> String {
    let memory = if g.unified {
        format!("{:.0} GB unified", g.memory_gb)
    } else {
        format!("{:.0} GB", g.memory_gb)
    };
    let rent = (c.offers_for(&g.id))
        .filter(|o| o.is_on_demand())
        .map(|o| o.usd_per_gpu_hour())
        .min_by(f64::total_cmp)
        .map_or("no rental price".into(), |h| {
            format!("from {}/GPU-hour", crate::usd(h))
        });
    let buy = g.price.as_ref().map_or("no purchase price".into(), |p| {
        format!("{} to buy", crate::usd(p.usd))
    });
    format!(
        "{memory} · {:.2} TB/s · {rent} · {buy}",
        g.bandwidth_gbps / 1000.0
    )
}

type PlanResource = Resource<Result<PlanView, ServerFnError>>;

#[component]
pub fn PlannerPage() -> impl IntoView {
    let location = use_location();
    let search = location.search;
    let plan: PlanResource = Resource::new(move || search.get(), run_plan);
    let choices = Resource::new(|| (), |_| load_form_choices());
    // While a new plan loads the old results stay, marked as stale.
    let (pending, set_pending) = signal(false);
    crate::changes::Changes::provide();
    view! {
        <Title text="Planner — LLM Deployment Planner"/>
        <a class="skip-link" href="#results">"Skip to the results"</a>
        <h1>"Which open model, in which format, on which hardware, at what cost — for your load"</h1>
        // Wide screens: the inputs in a sticky column beside the results; phones: the inputs
        // first, folded away with one tap once set.
        <div class="planner-layout">
            <details class="edit-scenario" open>
                <summary>"Edit the scenario"</summary>
                <Presets/>
                <Suspense fallback=|| view! { <p>"Loading the form…"</p> }>
                    {move || Suspend::new(async move {
                        match choices.await {
                            Ok(c) => view! { <ScenarioForm choices=c plan=plan/> }.into_any(),
                            Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </details>
            <div class="results-col" aria-busy=move || pending.get().then_some("true")>
                <p class="updating" role="status">{move || pending.get().then_some("Updating the results…")}</p>
                <Transition set_pending=set_pending fallback=|| view! { <p aria-live="polite">"Planning…"</p> }>
                    {move || Suspend::new(async move {
                        match plan.await {
                            Ok(v) => view! { <Results view=v/> }.into_any(),
                            Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
        </div>
    }
}

#[component]
fn Presets() -> impl IntoView {
    let search = use_location().search;
    view! {
        <section class="presets" aria-label="use-case presets">
            <h2>"Start from a use case"</h2>
            <ul>
                {PRESETS.iter().map(|p| {
                    let href = move || {
                        let mut q = search.get();
                        for (k, v) in p.values {
                            q = qs::with(&q, k, v);
                        }
                        crate::links::planner(&q)
                    };
                    view! {
                        <li><a href=href data-preset=p.id title=p.assumption>{p.label}</a><span class="assumption">{p.assumption}</span></li>
                    }
                }).collect_view()}
            </ul>
            <p class="muted">"Preset values are our stated assumptions for each use case, not measurements; change any field."</p>
        </section>
    }
}

/// The peak and the monthly volume the workload implies, from the last plan.
#[component]
fn DemandSummary(plan: PlanResource) -> impl IntoView {
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let lines = plan.await.map(|v| v.demand).unwrap_or_default();
                (!lines.is_empty()).then(|| view! {
                    <p class="derived" id="demand-derived" aria-live="polite">
                        {lines.into_iter().map(|l| view! { <span>{l}</span> }).collect_view()}
                    </p>
                })
            })}
        </Transition>
    }
}

/// The message beside a field, from the last plan.
#[component]
fn FieldMessage(key: &'static str, plan: PlanResource) -> impl IntoView {
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let msg = plan
                    .await
                    .ok()
                    .and_then(|v| v.errors.into_iter().find(|e| e.field == key))
                    .map(|e| e.message);
                msg.map(|m| view! { <span class="field-error" id=format!("{key}-error") role="alert">{m}</span> })
            })}
        </Transition>
    }
}

/// "All · none" for a list of checkboxes: links that set the list (plain navigation, so they
/// work without JavaScript; hydrated, the router follows them).
fn select_links(key: &'static str, ids: Vec<String>, search: Memo<String>) -> impl IntoView {
    let all = ids.join(",");
    let href = move |v: String| move || crate::links::planner(&qs::with(&search.get(), key, &v));
    view! {
        <p class="select-links">
            "Select " <a href=href(all) data-select=format!("{key}-all")>"all"</a>
            " · " <a href=href(String::new()) data-select=format!("{key}-none")>"none"</a>
        </p>
    }
}

/// The picker: a group per segment (open when one of its boxes is ticked), a line per GPU with
/// its facts and a box per count. The boxes are `gpus` values, so the URL keeps `id:count`.
fn gpu_groups<F, C>(choices: &FormChoices, picked: F) -> impl IntoView
where
    F: Fn(String) -> C + Clone + 'static,
    C: Fn() -> bool + Send + Sync + 'static,
{
    let mut groups: Vec<(String, Vec<crate::views::GpuPick>)> = Vec::new();
    for g in &choices.gpus {
        match groups.iter_mut().find(|(name, _)| *name == g.group) {
            Some((_, members)) => members.push(g.clone()),
            None => groups.push((g.group.clone(), vec![g.clone()])),
        }
    }
    groups
        .into_iter()
        .map(|(name, members)| {
            let open = {
                let picked = picked.clone();
                let values: Vec<String> = (members.iter())
                    .flat_map(|g| PICKER_COUNTS.map(|n| format!("{}:{n}", g.id)))
                    .collect();
                let checks: Vec<C> = values.into_iter().map(&picked).collect();
                move || checks.iter().any(|c| c())
            };
            let count = members.len();
            view! {
                <details class="gpu-group" open=open>
                    <summary>{name.clone()} " " <span class="unit">"(" {count} ")"</span></summary>
                    <ul>
                        {members.into_iter().map(|g| {
                            let boxes = PICKER_COUNTS.map(|n| {
                                let value = format!("{}:{n}", g.id);
                                let checked = picked(value.clone());
                                let prop_checked = picked(value.clone());
                                view! {
                                    <label class="count">
                                        <input type="checkbox" name="gpus" value=value
                                            prop:checked=prop_checked checked=checked
                                            aria-label=format!("{} ×{n}", g.label)/>
                                        {n} "×"
                                    </label>
                                }
                            });
                            view! {
                                <li data-gpu=g.id.clone()>
                                    <span class="gpu-name">{g.label.clone()}</span>
                                    <small class="gpu-facts">{g.facts.clone()}</small>
                                    <span class="counts" role="group" aria-label=format!("{}: GPUs per replica", g.label)>{boxes.into_iter().collect_view()}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </details>
            }
        })
        .collect_view()
}

#[component]
fn ScenarioForm(choices: FormChoices, plan: PlanResource) -> impl IntoView {
    let search = use_location().search;
    // What the user typed (kept as typed, even when invalid), else the default.
    let current = move |key: &'static str, default: String| {
        move || {
            let pairs = qs::parse(&search.get());
            qs::get(&pairs, key)
                .map(str::to_string)
                .unwrap_or_else(|| default.clone())
        }
    };
    let listed = move |key: &'static str, id: String, default: String| {
        move || {
            let pairs = qs::parse(&search.get());
            let list = qs::get(&pairs, key)
                .map(str::to_string)
                .unwrap_or_else(|| default.clone());
            list.split(',').any(|x| x.trim() == id)
        }
    };
    // `aria-invalid` on a field the last plan rejected.
    let invalid = move |key: &'static str| {
        move || {
            plan.with(|r| {
                r.as_ref()
                    .and_then(|r| r.as_ref().ok())
                    .is_some_and(|v| v.errors.iter().any(|e| e.field == key))
                    .then_some("true")
            })
        }
    };
    let number = move |f: &'static NumberField, choices: &FormChoices| {
        let default = choices.default_of(f.key);
        view! {
            <div class="field">
                <label for=f.key>{f.label} " " <span class="unit">"(" {f.unit} ")"</span></label>
                <input type="number" id=f.key name=f.key inputmode="decimal"
                    min=f.min.to_string() max=f.max.to_string() step=f.step
                    prop:value=current(f.key, default.clone()) value=current(f.key, default)
                    aria-invalid=invalid(f.key)
                    aria-describedby=format!("{}-error {}-help", f.key, f.key)/>
                {(!f.help.is_empty()).then(|| view! { <small id=format!("{}-help", f.key)>{f.help}</small> })}
                <FieldMessage key=f.key plan=plan/>
            </div>
        }
    };

    let navigate = use_navigate();
    let timer = StoredValue::new(None::<TimeoutHandle>);
    // Hydrated: follow the form (debounced), URL via replaceState. Checkboxes, selects and
    // numbers are followed as they change; free text (the GPU list, the split, a config.json)
    // only once the user leaves the field or presses Enter, so a half-typed id never blanks
    // the results.
    #[cfg(feature = "hydrate")]
    let follow = move |form: web_sys::HtmlFormElement| {
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        let Ok(params) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data) else {
            return;
        };
        let mut pairs = qs::parse(&String::from(params.to_string()));
        // Keep table settings the form does not carry.
        let old = qs::parse(&search.get_untracked());
        for k in crate::views::TABLE_KEYS {
            if let Some(v) = qs::get(&old, k) {
                pairs.push((k.to_string(), v.to_string()));
            }
        }
        let url = crate::links::planner(&qs::to_string(&pairs));
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        let navigate = navigate.clone();
        let handle = set_timeout_with_handle(
            move || {
                navigate(
                    &url,
                    leptos_router::NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    },
                )
            },
            std::time::Duration::from_millis(300),
        );
        timer.set_value(handle.ok());
    };
    // The form an event happened in, and whether its target is free text.
    #[cfg(feature = "hydrate")]
    fn form_of(ev: &leptos::ev::Event) -> Option<(web_sys::HtmlFormElement, bool)> {
        use wasm_bindgen::JsCast;
        let form = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())?;
        let target = ev.target();
        let text = target.as_ref().is_some_and(|t| {
            t.dyn_ref::<web_sys::HtmlTextAreaElement>().is_some()
                || t.dyn_ref::<web_sys::HtmlInputElement>()
                    .is_some_and(|i| i.type_() == "text")
        });
        Some((form, text))
    }
    #[cfg(feature = "hydrate")]
    let on_input = {
        let follow = follow.clone();
        move |ev: leptos::ev::Event| {
            if let Some((form, false)) = form_of(&ev) {
                follow(form);
            }
        }
    };
    #[cfg(feature = "hydrate")]
    let on_change = {
        let follow = follow.clone();
        move |ev: leptos::ev::Event| {
            if let Some((form, true)) = form_of(&ev) {
                follow(form);
            }
        }
    };
    #[cfg(feature = "hydrate")]
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        // Hydrated, the page follows the form itself; without JS the GET submit does the work.
        ev.prevent_default();
        use wasm_bindgen::JsCast;
        if let Some(form) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        {
            follow(form);
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let (on_input, on_change, on_submit) = {
        let _ = (&navigate, timer, search);
        (
            |_: leptos::ev::Event| {},
            |_: leptos::ev::Event| {},
            |_: leptos::ev::SubmitEvent| {},
        )
    };

    let gpus_default = choices.default_of("gpus");
    let models_default = choices.default_of("models");
    let quants_default = choices.default_of("quants");
    let engine_default = choices.default_of("engine");
    let basis_default = choices.default_of("price_basis");
    let kv_default = choices.default_of("kv_format");
    let benchmark_default = choices.default_of("quality_benchmark");
    // The GPU list splits between the picker's boxes and the text field (what no box holds).
    let gpu_ids: Vec<String> = choices.gpus.iter().map(|g| g.id.clone()).collect();
    // Read once per query, not once per box (180 of them).
    let gpus_now = {
        let read = current("gpus", gpus_default.clone());
        Memo::new(move |_| {
            (read().split(','))
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(String::from)
                .collect::<Vec<_>>()
        })
    };
    let picked = move |value: String| move || gpus_now.with(|l| l.contains(&value));
    let others = move || {
        gpus_now.with(|l| {
            (l.iter())
                .filter(|x| !crate::views::in_picker(x, &gpu_ids))
                .cloned()
                .collect::<Vec<_>>()
                .join(",")
        })
    };
    view! {
        <form method="get" action="/" class="scenario" on:input=on_input on:change=on_change on:submit=on_submit aria-label="scenario">
            <fieldset>
                <legend>"Workload"</legend>
                {WORKLOAD.iter().map(|f| number(f, &choices)).collect_view()}
                <DemandSummary plan=plan/>
            </fieldset>
            <fieldset>
                <legend>"Models"</legend>
                {select_links("models", choices.models.iter().map(|m| m.id.clone()).collect(), search)}
                <input type="hidden" name="models" value=""/>
                {choices.models.iter().map(|m| {
                    let id = m.id.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" name="models" value=id.clone()
                                prop:checked=listed("models", id.clone(), models_default.clone())
                                checked=listed("models", id.clone(), models_default.clone())/>
                            {m.label.clone()}
                        </label>
                    }
                }).collect_view()}
                <FieldMessage key="models" plan=plan/>
            </fieldset>
            <fieldset>
                <legend>"Quality"</legend>
                <div class="field">
                    <label for="quality_benchmark">"Compare models on"</label>
                    <select id="quality_benchmark" name="quality_benchmark" aria-invalid=invalid("quality_benchmark") aria-describedby="quality_benchmark-error">
                        {choices.benchmarks.iter().map(|b| {
                            let id = b.id.clone();
                            let selected = current("quality_benchmark", benchmark_default.clone());
                            let id2 = id.clone();
                            view! { <option value=id prop:selected={let (s, i) = (selected.clone(), id2.clone()); move || s() == i} selected=move || selected() == id2>{b.label.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage key="quality_benchmark" plan=plan/>
                </div>
                {QUALITY.iter().map(|f| number(f, &choices)).collect_view()}
                <div class="field wide">
                    <label for="split">"Traffic split " <span class="unit">"(model:share, comma-separated; empty: none)"</span></label>
                    <input type="text" id="split" name="split" spellcheck="false" placeholder="gpt-oss-20b:0.7,gpt-oss-120b:0.3"
                        prop:value=current("split", String::new()) value=current("split", String::new())
                        aria-invalid=invalid("split") aria-describedby="split-error split-help"/>
                    <small id="split-help">"Route a share of the requests to each chosen model, priced as one deployment beside the pure fleets; with a quality floor, the cheapest split clearing it is found."</small>
                    <FieldMessage key="split" plan=plan/>
                </div>
            </fieldset>
            <fieldset>
                <legend>"Formats"</legend>
                {select_links("quants", choices.quants.iter().map(|q| q.id.clone()).collect(), search)}
                <input type="hidden" name="quants" value=""/>
                {choices.quants.iter().map(|q| {
                    let id = q.id.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" name="quants" value=id.clone()
                                prop:checked=listed("quants", id.clone(), quants_default.clone())
                                checked=listed("quants", id.clone(), quants_default.clone())/>
                            <code>{id.clone()}</code> " " {q.label.clone()}
                        </label>
                    }
                }).collect_view()}
                <FieldMessage key="quants" plan=plan/>
            </fieldset>
            <fieldset>
                <legend>"Hardware and engine"</legend>
                <div class="field wide gpu-picker">
                    <p class="label" id="gpu-picker-label">"GPU options " <span class="unit">"(tick the GPUs per replica to plan; each box is one option)"</span></p>
                    {gpu_groups(&choices, picked)}
                    <label for="gpus">"Other GPU options " <span class="unit">"(id:count, comma-separated: other counts, or ids typed by hand)"</span></label>
                    <input type="text" id="gpus" name="gpus" list="gpu-ids" spellcheck="false" placeholder="h100-sxm:3"
                        prop:value=others.clone() value=others
                        aria-invalid=invalid("gpus") aria-describedby="gpus-error"/>
                    <datalist id="gpu-ids">{choices.gpus.iter().map(|g| view! { <option value=format!("{}:1", g.id)>{g.label.clone()}</option> }).collect_view()}</datalist>
                    <FieldMessage key="gpus" plan=plan/>
                </div>
                <div class="field">
                    <label for="engine">"Engine"</label>
                    <select id="engine" name="engine" aria-invalid=invalid("engine") aria-describedby="engine-error">
                        {choices.engines.iter().map(|e| {
                            let id = e.id.clone();
                            let selected = current("engine", engine_default.clone());
                            let id2 = id.clone();
                            view! { <option value=id prop:selected={let (s, i) = (selected.clone(), id2.clone()); move || s() == i} selected=move || selected() == id2>{e.label.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage key="engine" plan=plan/>
                </div>
                <div class="field">
                    <label for="price_basis">"Cloud price basis"</label>
                    <select id="price_basis" name="price_basis" aria-invalid=invalid("price_basis") aria-describedby="price_basis-error">
                        {choices.providers.iter().map(|p| {
                            let id = p.id.clone();
                            let selected = current("price_basis", basis_default.clone());
                            let id2 = id.clone();
                            view! { <option value=id prop:selected={let (s, i) = (selected.clone(), id2.clone()); move || s() == i} selected=move || selected() == id2>{p.label.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage key="price_basis" plan=plan/>
                </div>
                <div class="field">
                    <label for="kv_format">"KV-cache format"</label>
                    <select id="kv_format" name="kv_format" aria-invalid=invalid("kv_format") aria-describedby="kv_format-error kv_format-help">
                        {choices.kv_formats.iter().map(|k| {
                            let id = k.id.clone();
                            let selected = current("kv_format", kv_default.clone());
                            let id2 = id.clone();
                            view! { <option value=id prop:selected={let (s, i) = (selected.clone(), id2.clone()); move || s() == i} selected=move || selected() == id2>{k.label.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <small id="kv_format-help">"How the cache of past tokens is stored: fp8 (vLLM, SGLang, TensorRT-LLM) or q8_0/q4_0 (llama.cpp) halve it or more, so more users fit per replica."</small>
                    <FieldMessage key="kv_format" plan=plan/>
                </div>
            </fieldset>
            <fieldset class="own">
                <legend>"Your own GPU or model"</legend>
                <p class="hint">"For hardware or a model the catalog lacks: a GPU needs its memory and bandwidth, a model its Hugging Face config.json. They are planned beside the choices above and marked as your figures wherever they show."</p>
                <div class="field">
                    <label for="custom_gpu_name">"GPU name"</label>
                    <input type="text" id="custom_gpu_name" name="custom_gpu_name" maxlength="80"
                        prop:value=current("custom_gpu_name", String::new()) value=current("custom_gpu_name", String::new())
                        aria-invalid=invalid("custom_gpu_name") aria-describedby="custom_gpu_name-error"/>
                    <FieldMessage key="custom_gpu_name" plan=plan/>
                </div>
                {CUSTOM_GPU.iter().map(|f| number(f, &choices)).collect_view()}
                <div class="field wide">
                    <label for="custom_model_config">"Model: its config.json"</label>
                    <textarea id="custom_model_config" name="custom_model_config" rows="4" spellcheck="false"
                        prop:value=current("custom_model_config", String::new())
                        aria-invalid=invalid("custom_model_config") aria-describedby="custom_model_config-error">{current("custom_model_config", String::new())()}</textarea>
                    <FieldMessage key="custom_model_config" plan=plan/>
                </div>
            </fieldset>
            <fieldset>
                <legend>"Economics"</legend>
                {ECONOMICS.iter().map(|f| number(f, &choices)).collect_view()}
            </fieldset>
            <noscript><p>"Without JavaScript, press Plan to update the results."</p></noscript>
            <button type="submit">"Plan"</button>
        </form>
    }
}

fn band_text(b: Option<BandView>, digits: usize) -> String {
    match b {
        Some(b) => format!(
            "{:.*} ({:.*}–{:.*})",
            digits, b.expected, digits, b.low, digits, b.high
        ),
        None => "—".into(),
    }
}

fn money(v: Option<f64>) -> String {
    v.map_or("—".into(), usd)
}

/// The table's filters by model, GPU and engine: a GET form (it works without JavaScript)
/// carrying the scenario and the table's sort, with one select each; none when every row has
/// the same model, GPU and engine.
fn table_filter(view: &PlanView, query: &str) -> AnyView {
    let c = &view.filter_choices;
    if c.models.len() < 2 && c.gpus.len() < 2 && c.engines.len() < 2 {
        return ().into_any();
    }
    let mut hidden = qs::parse(query);
    hidden.extend(
        [
            ("sort", &view.sort),
            ("dir", &view.dir),
            ("show", &view.show),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone())),
    );
    let select = |name: &'static str,
                  label: &'static str,
                  every: &'static str,
                  choices: &[Choice],
                  current: &str| {
        let id = format!("table-{name}");
        view! {
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="" selected=current.is_empty()>{every}</option>
                {choices.iter().map(|ch| view! {
                    <option value=ch.id.clone() selected=ch.id == current>{ch.label.clone()}</option>
                }).collect_view()}
            </select>
        }
    };
    view! {
        <form class="table-filter" method="get" action="/" aria-label="filter the table">
            {hidden.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
            {select("only_model", "Model", "every model", &c.models, &view.only.model)}
            {select("only_gpu", "GPU", "every GPU", &c.gpus, &view.only.gpu)}
            {select("only_engine", "Engine", "every engine", &c.engines, &view.only.engine)}
            <button type="submit">"Filter"</button>
        </form>
    }
    .into_any()
}

/// A chart's figures as a table folded under it (its text alternative): column heads, then
/// one row a line, point or model, its name first and then its cells.
fn chart_table(
    summary: &'static str,
    caption: &'static str,
    heads: Vec<String>,
    rows: Vec<(String, Vec<String>)>,
) -> impl IntoView {
    (!rows.is_empty()).then(|| {
        view! {
            <details class="chart-table">
                <summary>{summary}</summary>
                <div class="scroll">
                    <table>
                        <caption>{caption}</caption>
                        <thead><tr>
                            {heads.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|(name, cells)| view! {
                                <tr>
                                    <th scope="row">{name}</th>
                                    {cells.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        }
    })
}

/// The quality charts' figures: each scored model's score and cheapest cost of each mark, per
/// M output tokens and a month.
fn quality_table(points: Vec<crate::views::QualityPointView>) -> impl IntoView {
    let cell = |v: Option<f64>| v.map_or("—".to_string(), usd);
    let heads = ["model", "score", "meets / M", "API / M", "misses / M"]
        .into_iter()
        .chain(["meets / month", "API / month", "misses / month"])
        .map(String::from)
        .collect();
    let rows = (points.into_iter())
        .map(|p| {
            let costs = p.per_m.into_iter().chain(p.monthly).map(cell);
            let cells = std::iter::once(format!("{:.1}", p.quality)).chain(costs);
            (p.model, cells.collect())
        })
        .collect();
    chart_table(
        "The quality charts' figures",
        "Each model's score and cheapest cost (USD): per M output tokens, and a month at this load",
        heads,
        rows,
    )
}

/// The cost chart's figures: each line's monthly cost at the table's usage hours.
fn cost_table(lines: Vec<crate::views::CostLineView>) -> impl IntoView {
    let hours = crate::views::COST_TABLE_HOURS
        .iter()
        .map(|h| format!("{h} h"));
    let heads = std::iter::once("line".to_string()).chain(hours).collect();
    let rows = (lines.into_iter())
        .map(|l| {
            let costs = crate::views::COST_TABLE_HOURS
                .iter()
                .map(|h| l.at(*h).map_or("—".to_string(), usd));
            (l.label.clone(), costs.collect())
        })
        .collect();
    chart_table(
        "The chart's figures",
        "Monthly cost (USD) at usage hours a day",
        heads,
        rows,
    )
}

/// The plan: verdict, charts, table, APIs; on the planner page also the Save form and the
/// exports of the unsaved scenario.
#[component]
pub fn Results(view: PlanView, #[prop(optional)] saved: bool) -> impl IntoView {
    if let Some(busy) = view.busy.clone() {
        #[cfg(feature = "ssr")]
        if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
            r.set_status(http::StatusCode::SERVICE_UNAVAILABLE);
            r.insert_header(
                http::header::RETRY_AFTER,
                http::HeaderValue::from(crate::ssr::work::RETRY_AFTER_S),
            );
        }
        return view! {
            <section class="errors" role="alert" aria-label="busy">
                <h2>"Busy"</h2>
                <p>{busy}</p>
            </section>
        }
        .into_any();
    }
    #[cfg(feature = "ssr")]
    if !view.errors.is_empty() {
        if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
            r.set_status(http::StatusCode::UNPROCESSABLE_ENTITY);
        }
    }
    if !view.errors.is_empty() {
        return view! {
            <section class="errors" role="alert" aria-label="input errors">
                <h2>"Some fields need fixing"</h2>
                <ul>{view.errors.iter().map(|e| view! { <li><a href=format!("#{}", e.field)>{e.field.clone()}</a> ": " {e.message.clone()}</li> }).collect_view()}</ul>
            </section>
        }
        .into_any();
    }
    crate::changes::Changes::begin();
    let query = view.query.clone();
    // A link to the table with its state (sort, direction, filters) on top of the scenario
    // and `changes` applied: every sort and filter link keeps the rest.
    let table_link = {
        let query = query.clone();
        let state: Vec<(&'static str, String)> = vec![
            ("sort", view.sort.clone()),
            ("dir", view.dir.clone()),
            ("show", view.show.clone()),
            ("only_model", view.only.model.clone()),
            ("only_gpu", view.only.gpu.clone()),
            ("only_engine", view.only.engine.clone()),
        ];
        move |changes: &[(&str, &str)]| {
            let mut q = query.clone();
            for (k, v) in &state {
                let v = (changes.iter().find(|(c, _)| c == k)).map_or(v.as_str(), |(_, v)| *v);
                if !v.is_empty() {
                    q = qs::with(&q, k, v);
                }
            }
            crate::links::planner(&q)
        }
    };
    let sort_link = {
        let table_link = table_link.clone();
        let current = view.sort.clone();
        let dir = view.dir.clone();
        move |key: &str| {
            let next_dir = if current == key && dir == "asc" {
                "desc"
            } else {
                "asc"
            };
            table_link(&[("sort", key), ("dir", next_dir)])
        }
    };
    let header = {
        let current = view.sort.clone();
        let dir = view.dir.clone();
        move |key: &'static str, label: &'static str| {
            if key.is_empty() {
                return view! { <th scope="col">{label}</th> }.into_any();
            }
            let aria = crate::views::aria_sort(&current, &dir, key);
            let arrow = match aria {
                "ascending" => " ▲",
                "descending" => " ▼",
                _ => "",
            };
            view! { <th scope="col" aria-sort=aria><a href=sort_link(key)>{label}<span aria-hidden="true">{arrow}</span></a></th> }.into_any()
        }
    };
    let show_link = {
        let table_link = table_link.clone();
        move |show: &str| table_link(&[("show", show)])
    };
    let filter_form = table_filter(&view, &query);
    let shown = view.options.len();
    let details_base = view.details_base.clone();
    let total = view.total_options;
    let matched = view.matched_options;
    let bottom_line = view! {
        <crate::bottom_line::BottomLine view=view.bottom_line.clone() details_base=details_base.clone()/>
    }
    .into_any();
    let verdict = view! {
        <section class="verdict" aria-label="verdict">
            <h2>"Verdict for this scenario"</h2>
            <div class="cards">
                {view.verdict.iter().map(|v| view! {
                    <article class="card">
                        <h3>{v.category.clone()}</h3>
                        <p class=format!("winner{}", crate::changes::Changes::mark(format!("verdict|{}", v.category), &v.winner))>{v.winner.clone()}</p>
                        <p class="reason">{v.reason.clone()}</p>
                    </article>
                }).collect_view()}
            </div>
            <p class="muted">
                {format!("{:.1} M output + {:.1} M input tokens a month. ", view.monthly_output_tokens / 1e6, view.monthly_input_tokens / 1e6)}
                "Speeds are bands (low–high) from calibration residuals; see "
                <a href="/catalog#engines">"fitted factors"</a> " and " <a href="/catalog">"sources"</a> "."
            </p>
        </section>
    }
    .into_any();
    let charts = view! {
        <section class="charts" aria-label="charts">
            <figure>
                <crate::quality_chart::QualityChart chart=view.quality_chart.clone() monthly=false/>
                <figcaption>"Quality per dollar: each model's score against its cheapest cost per M output tokens — blue circles rent or buy within the targets, orange triangles an API, grey circles options that fit but miss the targets. The green line is the Pareto front; the ringed points are the bottom line's answers. Models reporting no score on the benchmark are not drawn. Hover a mark for its figures."</figcaption>
            </figure>
            <figure>
                <crate::quality_chart::QualityChart chart=view.quality_chart.clone() monthly=true/>
                <figcaption>"The same against what this load costs a month: fleets are sized in whole replicas, so a small load can cost more a month than its cost per token suggests."</figcaption>
                {quality_table(view.quality_chart.points.clone())}
            </figure>
            <figure>
                <crate::cost_chart::CostChart chart=view.cost_chart.clone()/>
                <figcaption>"Monthly cost of the leading options as usage hours change: solid lines rent (billed per usage hour), dashed lines buy (amortized + power); where they cross is the break-even. Each option has one colour, the API its own grey; the vertical grey line marks your hours. Options costing the same at every hour are drawn once. Hover a point for its figure."</figcaption>
                {cost_table(view.cost_chart.lines.clone())}
            </figure>
            <crate::memory_bars::MemoryBars bars=view.memory_bars.clone()/>
        </section>
    }
    .into_any();
    let table = view! {
        <section class="options" aria-label="options">
            <h2>"Every option"</h2>
            <p class="filters">
                "Show: "
                <a href=show_link("all") aria-current=(view.show == "all").then_some("true")>"all"</a> " · "
                <a href=show_link("fits") aria-current=(view.show == "fits").then_some("true")>"fits"</a> " · "
                <a href=show_link("meets") aria-current=(view.show == "meets").then_some("true")>"meets targets"</a>
                {if matched > shown {
                    format!(" — showing the first {shown} of {matched} ({total} in all): the table stops at {MAX_ROWS} rows; filter, narrow the selection or download the report below for every option")
                } else {
                    format!(" — showing {shown} of {total}")
                }}
            </p>
            {filter_form}
            <p class="legend"><small>"A solid green edge: meets the targets at its bands' pessimistic ends (how every option is judged and sized). Dashed amber: at risk, meets them on its expected figures only. Solid amber: misses them (the last column says by how much). Grey: does not fit, or below the quality floor."</small></p>
            <div class="scroll">
            <table class="plan">
                <thead><tr>
                    {COLUMNS.iter().map(|&(key, label)| header(key, label)).collect_view()}
                </tr></thead>
                {option_groups(view.options, &view.sort).into_iter().map(|(hardware, rows)| view! {
                    <tbody>
                        {hardware.map(|h| view! { <tr class="group"><th scope="rowgroup" colspan=COLUMNS.len().to_string()>{h}</th></tr> })}
                        {rows.into_iter().map(|o| option_row(o, &details_base)).collect_view()}
                    </tbody>
                }).collect_view()}
            </table>
            </div>
        </section>
    }
    .into_any();
    let api = view! {
        <section class="api" aria-label="hosted API prices">
            <h2>"Hosted APIs for the same tokens"</h2>
            <div class="scroll">
            <table>
                <thead><tr><th scope="col">"Model"</th><th scope="col">"Provider"</th><th scope="col">"$/month"</th><th scope="col">"$ / M output (input included)"</th><th scope="col">"In / out $ per M"</th><th scope="col">"Price date"</th><th scope="col">"Source"</th></tr></thead>
                <tbody>
                    {view.api.into_iter().map(|a| view! {
                        <tr class="api-row">
                            <td>{a.model}</td><td>{a.provider}</td><td class="num api-monthly">{usd(a.monthly)}</td>
                            <td class="num">{format!("${:.3}", a.per_m_output)}</td>
                            <td class="num">{format!("{} / {}", a.input_price, a.output_price)}</td>
                            <td>{a.date}</td><td class="source">{a.source}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
    }
    .into_any();
    let parent = {
        let search = use_location().search;
        move || {
            qs::get(&qs::parse(&search.get()), "parent")
                .unwrap_or("")
                .to_string()
        }
    };
    let save = (!saved).then(|| {
        let q = query.clone();
        view! {
            <section class="save" aria-label="save and export">
                <form method="post" action="/scenarios" class="save-form">
                    <input type="hidden" name="query" value=q.clone()/>
                    <input type="hidden" name="parent" prop:value=parent value=parent/>
                    <label for="scenario-name">"Name"</label>
                    <input id="scenario-name" name="name" required maxlength="200" placeholder="e.g. Support bot, Q3 budget"/>
                    <button type="submit">"Save and share"</button>
                </form>
                <p class="exports">
                    "Export this unsaved scenario: "
                    <a href=crate::links::report("report.csv", &q) download="">"CSV"</a> " · "
                    <a href=crate::links::report("report.json", &q) download="">"JSON"</a> " · "
                    <a href=crate::links::report("report.md", &q) download="">"Markdown"</a> " · "
                    <a href=crate::links::report("report.html", &q)>"Print report"</a>
                </p>
            </section>
        }
    });
    let about = view! {
        <details class="about">
            <summary>"How these numbers are made"</summary>
            <ul>
                {view.calibration.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                {view.skipped.into_iter().map(|s| view! { <li>"not planned — " {s}</li> }).collect_view()}
                <li>"Catalog snapshot " <code>{view.catalog_snapshot}</code></li>
            </ul>
        </details>
    }
    .into_any();
    view! { {save} {bottom_line} {verdict} {charts} {table} {api} {about} }.into_any()
}

/// The options table's columns: the sort key (empty: not sortable) and the heading, which a
/// phone shows beside each figure of a row's card.
const COLUMNS: [(&str, &str); 13] = [
    ("rank", "#"),
    ("model", "Model / format"),
    ("hardware", "Hardware"),
    ("", "Fits"),
    ("replicas", "Replicas"),
    ("decode", "Decode tok/s per user"),
    ("ttft", "TTFT p95 ms"),
    ("cloud", "Cloud / month"),
    ("local", "Local one-time"),
    ("", "Break-even"),
    ("usd_per_m", "$ / M output"),
    ("", "API / month"),
    ("", "What binds"),
];

/// The table's rows in groups: one per hardware, under its name, when sorted by hardware;
/// otherwise one group without a heading.
fn option_groups(options: Vec<OptionView>, sort: &str) -> Vec<(Option<String>, Vec<OptionView>)> {
    if sort != "hardware" {
        return vec![(None, options)];
    }
    let mut groups: Vec<(Option<String>, Vec<OptionView>)> = Vec::new();
    for o in options {
        match groups.last_mut() {
            Some((Some(h), rows)) if *h == o.hardware => rows.push(o),
            _ => groups.push((Some(o.hardware.clone()), vec![o])),
        }
    }
    groups
}

fn option_row(o: OptionView, details_base: &str) -> AnyView {
    let class = if !o.fits {
        "nofit"
    } else if o.below_floor {
        "below-floor"
    } else if o.at_risk {
        "at-risk"
    } else if o.meets_targets {
        "meets"
    } else {
        "misses"
    };
    let replicas = if o.meets_targets {
        format!(
            "{} ({} {} each)",
            o.replicas,
            o.users_per_replica,
            if o.users_per_replica == 1 {
                "user"
            } else {
                "users"
            }
        )
    } else {
        "—".into()
    };
    let details = format!("{details_base}&key={}", qs::encode_value(&o.key));
    // A figure cell's class and text: `base`, marked when a live update changed the figure.
    let cell = |base: &str, column: &str, text: String| {
        let mark = crate::changes::Changes::mark(format!("{}|{column}", o.key), &text);
        (format!("{base}{mark}"), text)
    };
    let num = |column: &str, text: String| cell("num", column, text);
    let (replicas_class, replicas) = cell("", "replicas", replicas);
    let (decode_class, decode) = num("decode", band_text(o.decode, 0));
    let (ttft_class, ttft) = num("ttft", band_text(o.ttft_ms, 0));
    let (cloud_class, cloud) = num("cloud", money(o.cloud_monthly));
    let (local_class, local) = num("local", money(o.local_one_time));
    let (even_class, even) = num(
        "break_even",
        o.break_even_month
            .map_or("—".into(), |m| format!("{m:.1} mo")),
    );
    let (per_m_class, per_m) = num("usd_per_m", money(o.usd_per_m));
    let (api_class, api) = num("api", money(o.api_monthly));
    view! {
        <tr class=class data-key=o.key.clone() data-model=o.model.clone()>
            <td data-label=COLUMNS[0].1>{o.rank.map_or(String::new(), |r| r.to_string())}{o.pareto.then(|| view! { <span class="pareto" title="on the Pareto front: nothing is cheaper, better and faster at once">" ★"</span> })}</td>
            <td data-label=COLUMNS[1].1><strong>{o.model.clone()}</strong> " " <code>{o.quant.clone()}</code> <br/><small>{o.engine.clone()}</small></td>
            <td data-label=COLUMNS[2].1>{o.hardware.clone()}</td>
            <td data-label=COLUMNS[3].1>{if o.fits { "yes" } else { "no" }}</td>
            <td data-label=COLUMNS[4].1 class=replicas_class>{replicas}</td>
            <td data-label=COLUMNS[5].1 class=decode_class>{decode}</td>
            <td data-label=COLUMNS[6].1 class=ttft_class>{ttft}</td>
            <td data-label=COLUMNS[7].1 class=format!("{cloud_class} cloud-monthly") title=o.cloud_label.clone().unwrap_or_default()
                data-usd=o.cloud_monthly.map(|v| format!("{v:.4}")).unwrap_or_default()>{cloud}</td>
            <td data-label=COLUMNS[8].1 class=local_class>{local}</td>
            <td data-label=COLUMNS[9].1 class=even_class>{even}</td>
            <td data-label=COLUMNS[10].1 class=per_m_class>{per_m}</td>
            <td data-label=COLUMNS[11].1 class=api_class>{api}</td>
            <td data-label=COLUMNS[12].1>{o.limit.clone()} " " <a class="details-link" href=details aria-label=format!("details of {} {} on {}", o.model, o.quant, o.hardware)>"details"</a></td>
        </tr>
    }
    .into_any()
}
