// The monitoring dashboard in a real browser: Debian's Chromium, headless, driven by
// playwright-core (which downloads no browser). Signs in with a role token, reads a table,
// drills down Kent -> East Kent -> Thanet, downloads a CSV, checks keyboard focus, and saves a
// screenshot. Prints what it saw as one JSON object; pytest makes the assertions.
//
//   MONITORING_URL=http://127.0.0.1:8005 MONITORING_TOKEN=... ARTIFACTS=test-artifacts \
//     node dashboard.mjs
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const base = process.env.MONITORING_URL;
const token = process.env.MONITORING_TOKEN;
const artifacts = process.env.ARTIFACTS ?? "test-artifacts";
const year = process.env.MONITORING_YEAR ?? "2026-27";
mkdirSync(artifacts, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const seen = {};
try {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(String(error)));

  const cells = async (tableId, row) =>
    page.locator(`#${tableId} tr[data-row="${row}"] td`).allTextContents();

  // Not signed in: the dashboard sends the browser to sign in.
  await page.goto(`${base}/dashboard?year=${year}`);
  seen.signInUrl = new URL(page.url()).pathname;
  await page.getByLabel("Role token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/dashboard/);
  seen.cookie = (await context.cookies()).map((c) => ({
    name: c.name, secure: c.secure, httpOnly: c.httpOnly, sameSite: c.sameSite,
  }));
  seen.heading = await page.locator("h1").textContent();
  seen.kentEast = await cells("table-funding-applications", "east-kent");
  seen.kentTotal = await cells("table-funding-applications", "total");
  seen.tables = await page.locator("table").count();
  seen.headerScopes = await page
    .locator("#table-funding-applications th")
    .evaluateAll((ths) => ths.map((th) => th.getAttribute("scope")));

  // Keyboard: the first Tab reaches the skip link, with a visible focus outline.
  await page.keyboard.press("Tab");
  seen.firstFocus = await page.evaluate(() => document.activeElement.textContent.trim());
  seen.focusOutline = await page.evaluate(
    () => getComputedStyle(document.activeElement).outlineStyle,
  );

  // Drill down: Kent -> East Kent -> Thanet, by the links in the table's first column.
  await page.locator("#table-funding-applications").getByRole("link", { name: "East Kent" }).click();
  await page.waitForURL(/scope=area%3Aeast-kent/);
  seen.areaHeading = await page.locator("h1").textContent();
  await page.locator("#table-funding-applications").getByRole("link", { name: "Thanet" }).click();
  await page.waitForURL(/scope=district%3Athanet/);
  seen.districtHeading = await page.locator("h1").textContent();
  seen.breadcrumbs = await page.locator("nav.breadcrumbs li").allTextContents();
  seen.smallCommunity = await cells("table-funding-applications", "cos-thanet-2");
  seen.suppressedCells = await page.locator("td.symbol", { hasText: /^c$/ }).count();

  // The CSV of the table on screen.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "CSV of Funding applications received" }).click(),
  ]);
  const saved = join(artifacts, download.suggestedFilename());
  await download.saveAs(saved);
  seen.csvName = download.suggestedFilename();
  seen.csv = readFileSync(saved, "utf8");

  // The method page the figure links to.
  await page.getByRole("link", { name: "How this is computed (Funding applications received)" }).click();
  seen.methodHeading = await page.locator("h1").textContent();
  await page.goBack();

  await page.screenshot({ path: join(artifacts, "monitoring-dashboard.png"), fullPage: true });
  seen.screenshot = join(artifacts, "monitoring-dashboard.png");
  seen.problems = problems;
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
