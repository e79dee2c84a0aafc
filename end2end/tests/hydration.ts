import { Page } from "@playwright/test";

// Waits until the wasm has hydrated the page: the frontend sets this marker after hydration.
// Input typed before it reaches no handler, so every test that expects live updates calls this
// first.
export async function hydrated(page: Page) {
  await page.waitForFunction(() => (window as any).__planner_hydrated === true, null, { timeout: 30_000 });
}
