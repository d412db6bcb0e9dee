// The event catalogue in a real browser: Debian's Chromium, headless, driven by playwright-core.
// Opens the page, follows the contents to one event, opens its example, and tabs to the first
// link. Prints what it saw as one JSON object; pytest makes the assertions.
//
//   CATALOGUE=docs/events/index.html EVENT=placements.placement.offer-made.v1 node catalogue.mjs
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const page_url = pathToFileURL(resolve(process.env.CATALOGUE)).href;
const event = process.env.EVENT;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const seen = { problems: [] };
try {
  const page = await browser.newPage();
  page.on("console", (m) => m.type() === "error" && seen.problems.push(m.text()));
  page.on("pageerror", (e) => seen.problems.push(String(e)));
  await page.goto(page_url);
  seen.title = await page.title();
  seen.heading = await page.locator("h1").innerText();
  seen.events = await page.locator("article h3").count();
  seen.subscribeSteps = await page.locator("#subscribe + ol > li").count();
  await page.locator(`nav a[href="#${event}"]`).click();
  seen.hash = new URL(page.url()).hash;
  const article = page.locator(`article[aria-labelledby="${event}"]`);
  seen.visible = await article.isVisible();
  seen.publishedBy = await article.locator("tr", { hasText: "Published by" }).locator("td").innerText();
  seen.topic = await article.locator("tr", { hasText: "Topic" }).locator("td").innerText();
  seen.fields = await article.locator("caption + thead + tbody tr").count();
  await article.locator("summary").click();
  seen.example = JSON.parse(await article.locator("details pre").innerText());
  await page.keyboard.press("Tab");
  seen.firstFocus = await page.evaluate(() => document.activeElement?.textContent ?? "");
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
