import { test, expect, Page } from "@playwright/test";
import { hydrated } from "./hydration";

function dollars(text: string | null): number {
  return Number((text ?? "").replace(/[$,]/g, ""));
}

// The exact monthly cloud cost of an option (the cell shows it rounded).
async function cloudUsd(page: Page, key: string): Promise<number> {
  return Number(await page.locator(`tr[data-key="${key}"] td.cloud-monthly`).getAttribute("data-usd"));
}

test("the default page lists both gpt-oss models with costs", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  for (const model of ["gpt-oss-20b", "gpt-oss-120b"]) {
    const rows = page.locator(`table.plan tr[data-model="${model}"]`);
    expect(await rows.count()).toBeGreaterThan(0);
  }
  const key = "gpt-oss-120b|mxfp4|a100-80gb-sxm|1|vllm";
  const cost = page.locator(`tr[data-key="${key}"] td.cloud-monthly`);
  expect(dollars(await cost.textContent())).toBeGreaterThan(0);
  await expect(page.locator(".verdict .card")).toHaveCount(4);
  // Four charts drawn in the page; each mark of the three SVG ones says its figure on hover.
  const charts = page.locator(".charts svg.chart");
  await expect(charts).toHaveCount(3);
  await expect(charts.nth(2).locator("circle title").first()).toHaveText(/\$[\d,.]+ a month at 1 h a day$/);
  await expect(page.locator(".charts figure.memory-bars li").first()).toBeVisible();
  // The cost chart's text alternative: a row per line, a dollar figure per hour column.
  const costTable = page.locator("details.chart-table", { hasText: "The chart's figures" });
  await costTable.locator("summary").click();
  const line = costTable.locator("tbody tr").first();
  await expect(line.locator("th")).toContainText("gpt-oss");
  await expect(line.locator("td")).toHaveCount(6);
  await expect(line.locator("td").first()).toContainText("$");
  // The quality charts' text alternative: a row per scored model with its score.
  const qualityTable = page.locator("details.chart-table", { hasText: "The quality charts' figures" });
  await qualityTable.locator("summary").click();
  await expect(qualityTable.locator("tbody tr")).toHaveCount(2);
  await expect(qualityTable.locator("tbody tr").first().locator("th")).toHaveText("gpt-oss-120b");
  for (const chart of await charts.all()) {
    const box = await chart.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(200);
  }
  expect(await page.locator("tr.api-row").count()).toBeGreaterThan(0);
  // Each option's details page shows the arithmetic and the sources.
  await page.locator(`tr[data-key="${key}"] a.details-link`).click();
  await expect(page.locator("ul.arithmetic")).toContainText("decode ceiling");
  await expect(page.locator("ul.sources")).toContainText("2026");
});

test("doubling hours/day doubles the billed-hours cloud cost live, and the URL follows", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  const key = "gpt-oss-120b|mxfp4|a100-80gb-sxm|1|vllm";
  const before = await cloudUsd(page, key);
  expect(before).toBeGreaterThan(0);
  await page.locator("#hours_per_day").fill("16");
  // Only the hydrated page reacts to typing: no submit here.
  await expect(page).toHaveURL(/hours_per_day=16/);
  await expect.poll(async () => (await cloudUsd(page, key)) / before).toBeCloseTo(2, 6);
});

test("a live edit highlights the figures it changed and no others", async ({ page }) => {
  await page.goto("/?models=gpt-oss-120b&quants=mxfp4&gpus=a100-80gb-sxm:1");
  await hydrated(page);
  const row = page.locator('tr[data-key="gpt-oss-120b|mxfp4|a100-80gb-sxm|1|vllm"]');
  // The page as first served marks nothing.
  await expect(page.locator(".changed")).toHaveCount(0);
  const decode = await row.locator("td").nth(5).textContent();
  await page.locator("#hours_per_day").fill("16");
  await expect(page).toHaveURL(/hours_per_day=16/);
  // Billed hours double the cloud bill; the speed does not move.
  await expect(row.locator("td.cloud-monthly")).toHaveClass(/changed/);
  await expect(row.locator("td").nth(5)).toHaveText(decode ?? "");
  await expect(row.locator("td").nth(5)).not.toHaveClass(/changed/);
  expect(await page.locator(".bottom-line dd.changed").count()).toBeGreaterThan(0);
});

test("sorted by hardware, the options sit in one group per hardware", async ({ page }) => {
  await page.goto("/?models=gpt-oss-20b&quants=mxfp4&gpus=a100-80gb-sxm:1,rtx-3090:2&sort=hardware");
  const groups = page.locator("table.plan tr.group th");
  await expect(groups).toHaveCount(2);
  for (const [i, gpu] of [[0, "a100-80gb-sxm|1"], [1, "rtx-3090|2"]] as const) {
    const body = page.locator("table.plan tbody").nth(i);
    const keys = await body.locator("tr[data-key]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).toContain(`|${gpu}|`);
  }
});

test("the same query works with JavaScript disabled", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const response = await page.goto("/?hours_per_day=16&models=gpt-oss-120b&quants=mxfp4&gpus=a100-80gb-sxm:1");
  expect(response?.status()).toBe(200);
  const key = "gpt-oss-120b|mxfp4|a100-80gb-sxm|1|vllm";
  const sixteen = await cloudUsd(page, key);
  await page.locator("#hours_per_day").fill("8");
  await Promise.all([page.waitForURL(/hours_per_day=8/), page.locator("form.scenario button[type=submit]").click()]);
  const eight = await cloudUsd(page, key);
  expect(eight).toBeGreaterThan(0);
  expect(sixteen / eight).toBeCloseTo(2, 6);
  await context.close();
});

test("the table narrows to one GPU with JavaScript disabled, and keeps its sort", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/?gpus=a100-80gb-sxm:1,rtx-3090:2&sort=decode&dir=desc");
  const all = await page.locator("table.plan tbody tr[data-key]").count();
  await page.locator("#table-only_gpu").selectOption("rtx-3090");
  await Promise.all([page.waitForURL(/only_gpu=rtx-3090/), page.locator("form.table-filter button[type=submit]").click()]);
  const keys = await page.locator("table.plan tbody tr[data-key]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")));
  expect(keys.length).toBeGreaterThan(0);
  expect(keys.length).toBeLessThan(all);
  for (const key of keys) expect(key).toContain("|rtx-3090|2|");
  await expect(page).toHaveURL(/sort=decode/);
  await expect(page.locator('table.plan th[aria-sort]:not([aria-sort="none"])')).toHaveCount(1);
  await context.close();
});

test("an invalid field shows its message, keeps what was typed and answers 422", async ({ page }) => {
  const response = await page.goto("/?hours_per_day=30&peak_users=abc&models=gpt-oss-20b");
  expect(response?.status()).toBe(422);
  await expect(page.locator("#hours_per_day-error")).toContainText("between 0.5 and 24");
  await expect(page.locator("#peak_users-error")).toContainText("not a number");
  await expect(page.locator("#hours_per_day")).toHaveValue("30");
  await expect(page.locator("table.plan")).toHaveCount(0);
});

test("/article and /catalog render", async ({ page }) => {
  let r = await page.goto("/article");
  expect(r?.status()).toBe(200);
  expect(await page.locator("table.claims tbody tr").count()).toBeGreaterThanOrEqual(12);
  await expect(page.locator("table.claims")).toContainText("gpt-oss-120b");
  r = await page.goto("/catalog");
  expect(r?.status()).toBe(200);
  await expect(page.locator("#gpus-a100-80gb-sxm")).toContainText("2039");
  await expect(page.locator("#models-gpt-oss-120b")).toContainText("arXiv:2508.10925");
});

test("/article and /catalog load no wasm; the planner does, and a link from it renders the catalog in place", async ({ page }) => {
  const wasm: string[] = [];
  page.on("request", (r) => { if (r.url().endsWith(".wasm")) wasm.push(r.url()); });
  for (const path of ["/article", "/catalog"]) {
    await page.goto(path);
    await expect(page.locator("main h1").first()).toBeVisible();
    expect(await page.locator('script[src*="/pkg/"], link[href$=".wasm"]').count(), path).toBe(0);
  }
  expect(wasm).toHaveLength(0);
  await page.goto("/");
  await hydrated(page);
  expect(wasm.length).toBeGreaterThan(0);
  await page.locator("nav a", { hasText: "Catalog & sources" }).click();
  await expect(page.locator("#gpus-a100-80gb-sxm")).toContainText("2039");
  expect(await page.evaluate(() => (window as any).__planner_hydrated)).toBe(true);
});

test("the site's files and pages are gzipped; the files are revalidated", async ({ request }) => {
  for (const path of ["/pkg/planner-web.wasm", "/pkg/planner-web.js", "/pkg/planner-web.css"]) {
    const r = await request.get(path, { headers: { "accept-encoding": "gzip" } });
    expect(r.status(), path).toBe(200);
    expect(r.headers()["content-encoding"], path).toBe("gzip");
    expect(r.headers()["cache-control"], path).toBe("no-cache");
  }
  const wasm = await request.get("/pkg/planner-web.wasm", { headers: { "accept-encoding": "identity" } });
  expect(wasm.headers()["content-encoding"]).toBeUndefined();
  const page = await request.get("/", { headers: { "accept-encoding": "gzip" } });
  expect(page.headers()["content-encoding"]).toBe("gzip");
  expect(await page.text()).toContain("<h1>");
});
