import { test, expect } from "@playwright/test";
import { hydrated } from "./hydration";
import * as fs from "fs";

// RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks.
function parseCsv(text: string): string[][] {
  const rows: string[][] = [[]];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { rows[rows.length - 1].push(field); field = ""; }
    else if (ch === "\n") { rows[rows.length - 1].push(field); field = ""; rows.push([]); }
    else if (ch !== "\r") field += ch;
  }
  rows[rows.length - 1].push(field);
  return rows.filter((r) => r.length > 1 || r[0] !== "");
}

async function save(page: any, name: string, query: string): Promise<string> {
  await page.goto(`/?${query}`);
  await page.locator("#scenario-name").fill(name);
  await Promise.all([page.waitForURL(/\/s\/[A-Za-z0-9_-]+\?new=1$/), page.locator("form.save-form button").click()]);
  const url = new URL(page.url());
  return url.pathname.split("/")[2];
}

test("save from the planner, open the share link in a fresh context, see the same numbers", async ({ page, browser }) => {
  const id = await save(page, "E2E support bot", "hours_per_day=10&models=gpt-oss-120b&quants=mxfp4&gpus=a100-80gb-sxm:1");
  await expect(page.locator(".owner-link")).toBeVisible();
  const key = "gpt-oss-120b|mxfp4|a100-80gb-sxm|1|vllm";
  const ownerCost = await page.locator(`tr[data-key="${key}"] td.cloud-monthly`).textContent();
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const r = await other.goto(`/s/${id}`);
  expect(r?.status()).toBe(200);
  await expect(other.locator("h1.saved-name")).toHaveText("E2E support bot");
  await expect(other.locator(`tr[data-key="${key}"] td.cloud-monthly`)).toHaveText(ownerCost ?? "");
  await expect(other.locator(".owner")).toHaveCount(0); // the share link is read-only
  await fresh.close();
});

test("compare two saved scenarios", async ({ page }) => {
  await save(page, "E2E eight hours", "hours_per_day=8&models=gpt-oss-20b&quants=mxfp4&gpus=a100-80gb-sxm:1");
  await save(page, "E2E sixteen hours", "hours_per_day=16&models=gpt-oss-20b&quants=mxfp4&gpus=a100-80gb-sxm:1");
  await page.goto("/scenarios");
  await expect(page.locator("tr.my-scenario")).toHaveCount(2);
  await page.locator("tr.my-scenario").nth(0).locator('input[name="b"]').check();
  await page.locator("tr.my-scenario").nth(1).locator('input[name="a"]').check();
  await Promise.all([page.waitForURL(/\/compare\?/), page.locator("form.compare-pick button").click()]);
  await expect(page.locator("table.compare-inputs tr.differs")).toContainText("Usage hours per day");
  await expect(page.locator(".compare-headline .card")).toHaveCount(2);
  await expect(page.locator("table.compare td.delta-cloud").first()).toContainText("+$");
});

test("download each export and parse it", async ({ page }) => {
  const id = await save(page, "=HYPERLINK(\"x\")", "models=gpt-oss-20b&quants=mxfp4&gpus=rtx-3090:1");
  for (const [link, check] of [
    ["CSV", (text: string) => {
      const lines = text.trim().split("\n");
      expect(lines[0]).toContain("cloud_monthly_usage_usd");
      expect(lines[1].startsWith("'=HYPERLINK") || lines[1].startsWith("\"'=HYPERLINK")).toBeTruthy();
    }],
    ["JSON", (text: string) => {
      const v = JSON.parse(text);
      expect(v.schema_version).toBe(1);
      expect(v.currency).toBe("USD");
      expect(v.id).toBe(id);
      expect(v.options.length).toBeGreaterThan(0);
    }],
    ["Markdown", (text: string) => {
      expect(text).toContain("| Category | Winner | Why |");
    }],
  ] as const) {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator(".saved-actions a", { hasText: link }).click(),
    ]);
    const path = await download.path();
    (check as (t: string) => void)(fs.readFileSync(path!, "utf8"));
  }
  const print = await page.request.get(`/s/${id}/report`);
  expect(print.status()).toBe(200);
  expect(await print.text()).toContain("@page");
});

test("the figures on the page equal those in the Markdown and CSV reports", async ({ page }) => {
  const query = "models=gpt-oss-20b,gpt-oss-120b&quants=mxfp4&gpus=a100-80gb-sxm:1,rtx-4090:1,h100-sxm:2";
  await page.goto(`/?${query}`);
  const md = await (await page.request.get(`/report.md?${query}`)).text();
  const csv = parseCsv(await (await page.request.get(`/report.csv?${query}`)).text());
  const column = (name: string) => csv[0].indexOf(name);
  const rows = page.locator("table.plan tbody tr[data-key]");
  const count = await rows.count();
  expect(count).toBeGreaterThan(3);
  let compared = 0;
  for (let i = 0; i < count; i++) {
    const row = rows.nth(i);
    const key = (await row.getAttribute("data-key"))!;
    const [model, quant, , , engine] = key.split("|");
    const cells = await row.locator("td").allTextContents();
    const hardware = cells[2].trim();
    // The Markdown's options table: the same text in each of its columns.
    const line = md.split("\n").find((l) => l.includes(`| ${model} | ${quant} | ${hardware} | ${engine} |`));
    expect(line, key).toBeTruthy();
    const mdCells = line!.split("|").map((c) => c.trim());
    // | # | Model | Format | Hardware | Engine | Fits | Replicas | Decode | Cloud | Local | $/M |
    expect(mdCells[8], `${key} decode`).toBe(cells[5].trim());
    expect(mdCells[9], `${key} cloud`).toBe(cells[7].trim());
    expect(mdCells[10], `${key} local`).toBe(cells[8].trim());
    expect(mdCells[11], `${key} $/M`).toBe(cells[10].trim());
    // The CSV: the figure itself, unrounded.
    const rec = csv.find((r) => r[column("option")] === key);
    expect(rec, key).toBeTruthy();
    const usd = await row.locator("td.cloud-monthly").getAttribute("data-usd");
    if (usd) {
      expect(Number(rec![column("cloud_monthly_usage_usd")])).toBeCloseTo(Number(usd), 3);
      compared++;
    }
    const decode = cells[5].trim().split(" ")[0];
    if (decode !== "—") expect(Math.round(Number(rec![column("decode_tps_expected")]))).toBe(Number(decode));
  }
  expect(compared).toBeGreaterThan(2);
  // The bottom line's figures, each as "label: value" in the Markdown.
  const figures = page.locator(".bottom-line dl.figures");
  for (let i = 0; i < (await figures.count()); i++) {
    const labels = await figures.nth(i).locator("dt").allTextContents();
    const values = await figures.nth(i).locator("dd").allTextContents();
    labels.forEach((l, j) => expect(md).toContain(`${l}: ${values[j]}`));
  }
});

test("a name with markup shows as text", async ({ page }) => {
  await save(page, "<script>window.__pwned=1</script>", "models=gpt-oss-20b&quants=mxfp4&gpus=rtx-3090:1");
  await expect(page.locator("h1.saved-name")).toHaveText("<script>window.__pwned=1</script>");
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
});

test("your own GPU and a pasted config.json plan, save and come back from the share link", async ({ page, browser }) => {
  await page.goto("/?models=gpt-oss-20b&quants=bf16,mxfp4&gpus=rtx-4090:1");
  await hydrated(page);
  const config = JSON.stringify({
    model_type: "llama", hidden_size: 2048, num_hidden_layers: 16, num_attention_heads: 32,
    num_key_value_heads: 8, head_dim: 64, intermediate_size: 8192, vocab_size: 128256,
    tie_word_embeddings: true, max_position_embeddings: 131072,
  });
  await page.locator("#custom_gpu_name").fill("Lab card");
  await page.locator("#custom_gpu_memory_gb").fill("48");
  await page.locator("#custom_gpu_bandwidth_gbps").fill("900");
  await page.locator("#custom_gpu_bf16_tflops").fill("150");
  await page.locator("#custom_model_config").fill(config);
  // Free text is planned once the user leaves the field (never while half typed).
  await page.locator("#custom_model_config").blur();
  // Live: the address follows the form and the plan gains your model on your GPU.
  await expect(page).toHaveURL(/custom_gpu_memory_gb=48/);
  await expect(page.locator('table.plan tr[data-model="custom-model"]').first()).toBeVisible();
  await expect(page.locator("table.plan")).toContainText("Lab card (your figures)");
  await page.locator("#scenario-name").fill("E2E own hardware");
  await Promise.all([page.waitForURL(/\/s\/[A-Za-z0-9_-]+\?new=1$/), page.locator("form.save-form button").click()]);
  const id = new URL(page.url()).pathname.split("/")[2];
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  expect((await other.goto(`/s/${id}`))?.status()).toBe(200);
  await expect(other.locator('table.plan tr[data-model="custom-model"]').first()).toBeVisible();
  await expect(other.locator("table.plan")).toContainText("Lab card (your figures)");
  await fresh.close();
  // A config.json missing a key gets a 422 naming it.
  const broken = config.replace('"hidden_size":2048,', "");
  const r = await page.request.get(`/?models=gpt-oss-20b&custom_model_config=${encodeURIComponent(broken)}`);
  expect(r.status()).toBe(422);
  expect(await r.text()).toContain("hidden_size");
});

test("after save the address bar holds no owner token; the owner renames, and delete asks first", async ({ page }) => {
  const id = await save(page, "E2E safe sharing", "models=gpt-oss-20b&quants=mxfp4&gpus=rtx-3090:1");
  expect(page.url()).not.toContain("owner=");
  // The owner link is shown once, whole, to copy; this browser keeps the token in its cookie.
  await expect(page.locator("#owner-url")).toHaveValue(new RegExp(`^https?://[^/]+/s/${id}\\?owner=`));
  await expect(page.locator("#share-url")).toHaveValue(new RegExp(`^https?://[^/]+/s/${id}$`));
  await page.goto(`/s/${id}`);
  await expect(page.locator("#owner-url")).toHaveCount(0);
  await page.locator("#rename").fill("E2E renamed");
  await Promise.all([page.waitForURL(new RegExp(`/s/${id}$`)), page.locator("section.owner form").first().locator("button").click()]);
  await expect(page.locator("h1.saved-name")).toHaveText("E2E renamed");
  await expect(page).toHaveTitle(/E2E renamed/);
  // Delete asks first; keeping it goes back, confirming deletes.
  await page.locator("section.owner button.danger").click();
  await expect(page.locator("h1")).toContainText("Delete “E2E renamed”?");
  expect(page.url()).not.toContain("owner=");
  await page.locator("a", { hasText: "Keep it" }).click();
  await expect(page.locator("h1.saved-name")).toHaveText("E2E renamed");
  await page.locator("section.owner button.danger").click();
  await Promise.all([page.waitForURL(/\/scenarios$/), page.locator("button", { hasText: "Delete it" }).click()]);
  const gone = await page.goto(`/s/${id}`);
  expect(gone?.status()).toBe(404);
});
