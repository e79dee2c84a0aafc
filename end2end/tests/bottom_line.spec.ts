import { test, expect } from "@playwright/test";
import { hydrated } from "./hydration";

// Issue 13's three personas: the bottom line names an API, a rent and a buy answer with
// figures, marks one as the answer, and never recommends hardware that does not fit.

const card = (page: any, route: string) => page.locator(`.bottom-line article[data-route="${route}"]`);

test("the CTO: 200 users chatting 8 h a day get an API, a rent and a buy answer with numbers, one marked", async ({ page }) => {
  await page.goto("/?total_users=200&active_share=0.1&requests_per_day=6000&hours_per_day=8&gpus=h100-sxm:1,h100-sxm:2,l40s:1,rtx-4090:1");
  await expect(page.locator("#demand-derived")).toContainText("20 requests in flight at the peak");
  await expect(page.locator(".bottom-line .summary")).toContainText("$");
  for (const route of ["api", "rent", "buy"]) {
    await expect(card(page, route).locator(".winner")).toContainText("gpt-oss");
    await expect(card(page, route).locator("dl.figures")).toContainText("$");
  }
  await expect(page.locator(".bottom-line .badge")).toHaveCount(1);
  await expect(card(page, "buy").locator("dl.figures")).toContainText("once");
  // The self-hosted answers link to their option's details, whose figures are the table's.
  await card(page, "rent").locator("a", { hasText: "details" }).click();
  await expect(page.locator("h1")).toContainText("gpt-oss");
});

test("the hobbyist: on one RTX 4090 the rent and buy answers are the model that fits", async ({ page }) => {
  await page.goto("/?peak_users=1&hours_per_day=4&gpus=rtx-4090:1");
  for (const route of ["rent", "buy"]) {
    await expect(card(page, route).locator(".winner")).toContainText("gpt-oss-20b");
    await expect(card(page, route).locator(".winner")).not.toContainText("gpt-oss-120b");
    await expect(card(page, route).locator(".alternatives")).toContainText("does not fit this hardware");
  }
  // The 120b is still offered — through an API.
  await expect(card(page, "api").locator(".winner")).toContainText("gpt-oss-120b");
});

test("the infra engineer without JavaScript: 2,000 users on H100/H200/B200 fleets", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const gpus = ["h100-sxm", "h200", "b200"].flatMap((g) => [1, 2, 4, 8].map((n) => `${g}:${n}`)).join(",");
  const r = await page.goto(`/?peak_users=2000&hours_per_day=12&gpus=${gpus}`);
  expect(r?.status()).toBe(200);
  for (const route of ["api", "rent", "buy"]) {
    await expect(card(page, route).locator("dl.figures")).toContainText("$");
  }
  await expect(card(page, "rent").locator(".hardware")).toContainText("replicas of");
  await expect(page.locator(".bottom-line .summary")).toContainText("M output tokens a day");
  await context.close();
});

test("a quality floor changes the answer live: above it cost decides, below it never", async ({ page }) => {
  await page.goto("/?models=gpt-oss-20b,gpt-oss-120b&quants=mxfp4&gpus=h100-sxm:1&peak_users=4");
  // No floor: quality first, gpt-oss-120b (GPQA Diamond 80.1) by every route.
  await expect(card(page, "api").locator(".winner")).toContainText("gpt-oss-120b");
  await hydrated(page);
  // Hydrated, the results follow the form. A floor of 70 both models clear: the cheaper API wins.
  await page.locator("#min_quality").fill("70");
  await expect(page).toHaveURL(/min_quality=70/);
  await expect(card(page, "api").locator(".winner")).toContainText("gpt-oss-20b");
  // 75 leaves only gpt-oss-120b; gpt-oss-20b's rows are greyed and say why.
  await page.locator("#min_quality").fill("75");
  await expect(page).toHaveURL(/min_quality=75/);
  await expect(card(page, "api").locator(".winner")).toContainText("gpt-oss-120b");
  const row = page.locator('tr[data-model="gpt-oss-20b"]').first();
  await expect(row).toHaveClass(/below-floor/);
  await expect(row).toContainText("below the quality floor");
});

test("a traffic-split link renders, and the split costs between the two pure fleets", async ({ page }) => {
  await page.goto("/?models=gpt-oss-20b,gpt-oss-120b&quants=mxfp4&gpus=h100-sxm:1,l40s:1&peak_users=40&split=gpt-oss-20b:0.7,gpt-oss-120b:0.3");
  const dollars = (t: string | null) => Number((t ?? "").match(/\$([\d,.]+)/)?.[1].replace(/,/g, ""));
  const total = dollars(await page.locator(".split .total").textContent());
  const pure = await page.locator(".split .pure li").allTextContents();
  expect(pure).toHaveLength(2);
  const [a, b] = pure.map(dollars);
  expect(total).toBeGreaterThanOrEqual(Math.min(a, b));
  expect(total).toBeLessThanOrEqual(Math.max(a, b));
  await expect(page.locator(".split .parts li").first()).toContainText("70% of requests → gpt-oss-20b");
});
