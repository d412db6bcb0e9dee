// The monitoring dashboard in a real browser: Debian's Chromium, headless, driven by
// playwright-core (which downloads no browser). Signs in with a role token, reads a table,
// drills down Kent -> East Kent -> Thanet, downloads a CSV, checks keyboard focus, reads a
// trend chart three ways (its SVG, its data table, its CSV), filters by place, runs axe-core on
// every page it opens, and saves screenshots. Prints what it saw as one JSON object; pytest
// makes the assertions.
//
//   MONITORING_URL=http://127.0.0.1:8005 MONITORING_TOKEN=... ARTIFACTS=test-artifacts \
//     node dashboard.mjs
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

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

  // axe-core on the page as it stands (evaluated through the DevTools protocol, so the page's
  // Content-Security-Policy still holds for the page itself): serious and critical findings.
  seen.accessibility = {};
  const axeCheck = async (name) => {
    await page.evaluate(axeSource);
    const result = await page.evaluate(() =>
      axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] }),
    );
    seen.accessibility[name] = {
      passes: result.passes.length,
      violations: result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) })),
    };
  };

  // One chart read three ways: the points drawn (and gaps), its data table, its CSV.
  const readChart = async (chartId) => {
    const chart = page.locator(`#chart-${chartId}`);
    const svg = chart.locator("svg[role=img]");
    const drawn = await svg.locator("g.series").evaluateAll((groups) =>
      groups.map((g) => ({
        series: g.dataset.series,
        points: [...g.querySelectorAll("[data-period]")].map((p) => [p.dataset.period, p.dataset.value]),
        gaps: [...g.querySelectorAll("text.gap")].map((t) => t.dataset.period),
        runs: g.querySelectorAll("polyline").length,
      })),
    );
    const table = await chart.locator("table").evaluate((t) => ({
      head: [...t.querySelectorAll("thead th")].map((th) => th.textContent.trim()),
      rows: [...t.querySelectorAll("tbody tr")].map((tr) => [
        tr.dataset.row,
        ...[...tr.querySelectorAll("td")].map((td) => td.textContent.trim()),
      ]),
    }));
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      chart.getByRole("link", { name: /Download this chart's figures as CSV/ }).click(),
    ]);
    const saved = join(artifacts, download.suggestedFilename());
    await download.saveAs(saved);
    return {
      title: await svg.locator("title").textContent(),
      description: await svg.locator("desc").textContent(),
      labelledBy: await svg.getAttribute("aria-labelledby"),
      caption: await chart.locator("figcaption").innerText(),
      drawn,
      table,
      csvName: download.suggestedFilename(),
      csv: readFileSync(saved, "utf8"),
    };
  };

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
  seen.charts = await page.locator("figure.trend").evaluateAll((fs) => fs.map((f) => f.dataset.chart));
  await axeCheck("kent dashboard");
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
  await axeCheck("district dashboard");
  seen.twentyWeeks = await readChart("twenty-week-plans");
  await page.locator("section[aria-labelledby=trends]").screenshot({ path: join(artifacts, "monitoring-trends.png") });

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
  await axeCheck("method page");
  await page.goBack();

  // The figure's own page: its trend by term, as a table and a chart.
  await page.getByRole("link", { name: "Trend by term and details for EHC plans issued within 20 weeks, with and without exceptions" }).click();
  await page.waitForURL(/\/figures\/placements-assessments/);
  seen.figureChart = await page.locator("#chart-trend-placements-assessments g.point").evaluateAll(
    (points) => points.map((p) => [p.dataset.period, p.dataset.value]),
  );
  await axeCheck("figure page");
  await page.goBack();

  await page.screenshot({ path: join(artifacts, "monitoring-dashboard.png"), fullPage: true });

  // The place filter: choosing Dover shows Dover, and the downloads follow it.
  await page.locator("select#scope").selectOption("district:dover");
  await page.waitForURL(/scope=district%3Adover/);
  seen.filteredHeading = await page.locator("h1").textContent();
  seen.filteredCsvLink = await page
    .locator("#chart-twenty-week-plans")
    .getByRole("link", { name: /Download this chart's figures as CSV/ })
    .getAttribute("href");
  seen.screenshot = join(artifacts, "monitoring-dashboard.png");
  seen.problems = problems;
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
