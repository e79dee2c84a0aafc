import { test, expect } from "@playwright/test";
import { hydrated } from "./hydration";

// Issue 14: no page is wider than the screen, on a phone (390×844) or a laptop (1366×900):
// the planner, a saved scenario, a compare of two, the catalog and the article.

async function savedId(request: any, hoursPerDay = 8): Promise<string> {
  const r = await request.post("/api/v1/scenarios", {
    data: { name: "E2E layout", hours_per_day: hoursPerDay, models: ["gpt-oss-20b", "gpt-oss-120b"], quants: ["mxfp4"], gpus: [{ id: "h100-sxm", count: 1 }] },
  });
  expect(r.status()).toBe(201);
  return (await r.json()).id;
}

for (const [width, height] of [[390, 844], [1366, 900]]) {
  test(`no sideways scrolling at ${width}×${height}`, async ({ browser, request }) => {
    const id = await savedId(request);
    const other = await savedId(request, 16);
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    for (const path of ["/", `/s/${id}`, `/compare?a=${id}&b=${other}`, "/catalog", "/article", "/?split=gpt-oss-20b:0.5,gpt-oss-120b:0.5&total_users=500&requests_per_day=9000"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      await page.waitForLoadState("load");
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(wide, `${path} is ${wide} px wide at ${width}`).toBeLessThanOrEqual(width);
    }
    await context.close();
  });
}

test("on a phone each option is a card with its figures under their headings", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto("/?models=gpt-oss-20b&quants=mxfp4&gpus=a100-80gb-sxm:1");
  const row = page.locator('tr[data-key="gpt-oss-20b|mxfp4|a100-80gb-sxm|1|vllm"]');
  const box = await row.boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  const heading = await row.locator("td.cloud-monthly").evaluate((td) => getComputedStyle(td, "::before").content);
  expect(heading).toBe('"Cloud / month"');
  await context.close();
});

test("typing a GPU slowly never removes the results; leaving the field plans it", async ({ page }) => {
  await page.goto("/?gpus=a100-80gb-sxm:1");
  await expect(page.locator(".bottom-line")).toBeVisible();
  await hydrated(page);
  // A count the picker has a box for is ticked there; the text field holds the rest.
  await expect(page.getByRole("checkbox", { name: "A100 80GB SXM4 ×1" })).toBeChecked();
  const gpus = page.locator("#gpus");
  await expect(gpus).toHaveValue("");
  await gpus.click();
  // An id typed loosely goes in the text field and is matched to the catalog's.
  for (const ch of "RTX-4090:2") {
    await page.keyboard.type(ch);
    await page.waitForTimeout(350); // past the form's debounce
    await expect(page.locator(".bottom-line")).toBeVisible();
    await expect(page.locator("section.errors")).toHaveCount(0);
  }
  await gpus.blur();
  await expect(page).toHaveURL(/gpus=a100-80gb-sxm(:|%3A)1(,|%2C)RTX-4090(:|%3A)2/);
  await expect(page.locator('tr[data-key^="gpt-oss-20b|mxfp4|rtx-4090|2|"]')).toHaveCount(1);
  await expect(gpus).toHaveValue("RTX-4090:2");
});

test("the GPU picker: groups with each GPU's memory and prices, a box per count, all or none of the models", async ({ page }) => {
  await page.goto("/?gpus=a100-80gb-sxm:1");
  await expect(page.locator(".bottom-line")).toBeVisible();
  await hydrated(page);
  const consumer = page.locator("details.gpu-group", { hasText: "Consumer" });
  await expect(consumer).not.toHaveAttribute("open", "");
  await consumer.locator("summary").click();
  const line = consumer.locator('li[data-gpu="rtx-4090"]');
  await expect(line).toContainText("24 GB");
  await expect(line).toContainText("TB/s");
  await line.getByRole("checkbox", { name: "GeForce RTX 4090 ×2" }).check();
  await expect(page).toHaveURL(/rtx-4090(:|%3A)2/);
  await expect(page.locator('tr[data-key*="|rtx-4090|2|"]').first()).toBeVisible();
  // Unticking the A100 leaves the 4090 alone.
  await page.getByRole("checkbox", { name: "A100 80GB SXM4 ×1" }).uncheck();
  await expect(page).not.toHaveURL(/a100-80gb-sxm/);
  await expect(page.locator('tr[data-key*="|a100-80gb-sxm|"]')).toHaveCount(0);
  // All models, then none (which the plan refuses, naming the field).
  await page.locator('a[data-select="models-all"]').click();
  await expect(page.getByRole("checkbox", { name: /Llama-3.1-8B/ }).first()).toBeChecked();
  await page.locator('a[data-select="models-none"]').click();
  await expect(page.locator("#models-error")).toBeVisible();
});

test("on a wide screen the inputs stay beside the results; while a plan loads the old one is marked stale", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.locator(".bottom-line")).toBeVisible();
  await hydrated(page);
  const form = page.locator("form.scenario");
  const results = page.locator(".results-col");
  const f = (await form.boundingBox())!;
  const r = (await results.boundingBox())!;
  expect(r.x, "the results start right of the inputs").toBeGreaterThanOrEqual(f.x + f.width);
  // Scrolled deep into the results, the inputs are still on screen.
  await page.mouse.move(r.x + 50, 400);
  await page.evaluate(() => window.scrollTo(0, 2500));
  const column = (await page.locator(".edit-scenario").boundingBox())!;
  expect(column.y).toBeGreaterThanOrEqual(-1);
  expect(column.y).toBeLessThan(50);

  // Hold the next plan back for a second: the results stay, marked busy, with a status line.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.route("**/api/run_plan*", async (route) => {
    await new Promise((done) => setTimeout(done, 1500));
    await route.continue();
  });
  await page.locator("#peak_users").fill("25");
  await expect(results).toHaveAttribute("aria-busy", "true");
  await expect(page.locator(".updating")).toHaveText(/Updating/);
  await expect(page.locator(".bottom-line")).toBeVisible();
  await expect(results).not.toHaveAttribute("aria-busy", "true", { timeout: 10000 });
  await expect(page.locator(".updating")).toHaveText("");
  await expect(page).toHaveURL(/peak_users=25/);
  await context.close();
});

test("on a phone the scenario folds away", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.locator("form.scenario")).toBeVisible();
  await page.locator(".edit-scenario > summary").click();
  await expect(page.locator("form.scenario")).toBeHidden();
  await expect(page.locator(".bottom-line")).toBeVisible();
  await context.close();
});

test("the memory chart labels every bar, says each one's figures, and marks what does not fit", async ({ page }) => {
  await page.goto("/?peak_users=1&gpus=rtx-4090:1");
  const bars = page.locator("figure.memory-bars li");
  const n = await bars.count();
  expect(n).toBeGreaterThan(1);
  for (let i = 0; i < n; i++) {
    await expect(bars.nth(i).locator(".what")).toContainText("on 1x GeForce RTX 4090");
    await expect(bars.nth(i).locator(".figures")).toContainText(/GB of [\d.]+ GB usable/);
  }
  // gpt-oss-120b needs more than a 24 GB card: its bar is marked and says by how much.
  const big = bars.filter({ hasText: "gpt-oss-120b" }).first();
  await expect(big).toHaveClass(/over/);
  await expect(big.locator(".figures")).toContainText(/does not fit, [\d.]+ GB over/);
  await expect(bars.filter({ hasText: "gpt-oss-20b mxfp4" }).first()).not.toHaveClass(/over/);
});
