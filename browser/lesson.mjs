// Opens a lesson in Debian's Jupyter Notebook server with the Lanes kernel,
// runs all cells in headless Chromium, and checks that a timeline was
// rendered, every Markdown cell is rendered and no cell failed. A
// screenshot is kept as an artifact.
//
// Usage: node lesson.mjs URL SCREENSHOT.png
// (the Go test TestBrowserLesson in cmd/lanes starts the server and passes
// the URL of the notebook, token included).
import { chromium } from "playwright-core";

const [url, shot] = process.argv.slice(2);
if (!url || !shot) {
  console.error("usage: node lesson.mjs URL SCREENSHOT.png");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 2000 } });
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(url, { waitUntil: "load", timeout: 60000 });
  // Classic Notebook: wait for the kernel, then run everything.
  await page.waitForFunction(
    () => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected(),
    null, { timeout: 60000 });
  await page.evaluate(() => Jupyter.notebook.execute_all_cells());
  // Done when no code cell is queued or running and the kernel is idle.
  await page.waitForFunction(() => {
    const cells = Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code");
    const pending = cells.some((c) => c.input_prompt_number === "*" || c.input_prompt_number === undefined || c.input_prompt_number === null);
    return !pending && document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null;
  }, null, { timeout: 240000, polling: 500 });

  const report = await page.evaluate(() => {
    const cells = Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code");
    const md = Jupyter.notebook.get_cells().filter((c) => c.cell_type === "markdown");
    const expected = (c) => ((c.metadata && c.metadata.tags) || []).includes("raises-exception");
    const errored = cells.filter((c) => !expected(c)).flatMap((c) => Array.from(c.element[0].querySelectorAll(".output_error")));
    return {
      cells: cells.length,
      // Every Markdown cell must be rendered, not left as source.
      markdown: md.length,
      markdownRendered: md.filter((c) => c.rendered && c.element.find(".rendered_html").text().trim() !== "").length,
      // An error counts unless its cell is tagged raises-exception (a cell
      // that shows a failure on purpose, such as a race report), and every
      // code cell with source must have run: an error that stopped Run
      // All would leave the cells after it without a prompt number.
      errors: errored.length,
      errorText: errored.map((e) => e.innerText.slice(0, 300)),
      unrun: cells.filter((c) => c.get_text().trim() !== "" && typeof c.input_prompt_number !== "number").length,
      // A timeline renders as an SVG, alone or inside the HTML of a run or
      // comparison (the richest form the classic Notebook knows; it has no
      // Vega-Lite renderer), or as a PNG; its legend names "compute".
      timelines: Array.from(document.querySelectorAll(".output_area svg, .output_area img"))
        .filter((e) => e.tagName === "IMG" || e.outerHTML.includes("compute")).length,
    };
  });
  console.log(JSON.stringify(report));
  const first = await page.$(".output_area svg, .output_area img");
  if (first) await first.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot, fullPage: false });
  if (report.errors > 0) {
    console.error("cells failed:", report.errorText.join("\n---\n"));
    failed = true;
  }
  if (report.unrun > 0) {
    console.error(`${report.unrun} of ${report.cells} code cells did not run`);
    failed = true;
  }
  if (report.markdownRendered !== report.markdown) {
    console.error(`${report.markdown - report.markdownRendered} of ${report.markdown} Markdown cells not rendered`);
    failed = true;
  }
  if (report.timelines === 0) {
    console.error("no rendered timeline found");
    failed = true;
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
