import { test, expect } from "@playwright/test";
import * as fs from "fs";

async function save(page: any, name: string, query: string): Promise<string> {
  await page.goto(`/?${query}`);
  await page.locator("#scenario-name").fill(name);
  await Promise.all([page.waitForURL(/\/s\/[A-Za-z0-9_-]+\?owner=/), page.locator("form.save-form button").click()]);
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
  await expect(page.locator("table.compare-inputs tr.differs")).toContainText("hours_per_day");
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

test("a name with markup shows as text", async ({ page }) => {
  await save(page, "<script>window.__pwned=1</script>", "models=gpt-oss-20b&quants=mxfp4&gpus=rtx-3090:1");
  await expect(page.locator("h1.saved-name")).toHaveText("<script>window.__pwned=1</script>");
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
});
