// Open the rendered report in headless Chromium (Debian package) through playwright-core,
// take a full-page screenshot, and report as JSON: requests to non-file URLs (blocked), every
// image's decoded size and pixel variance, axe-core violations, heading levels, header cells per
// table and the lang attribute. Usage: node check_report.js report.html screenshot.png
const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const LOCAL = /^(file|data|blob|about):/;

async function main() {
  const [htmlPath, shotPath] = process.argv.slice(2);
  const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "impleval-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    viewport: { width: 1280, height: 900 },
  });
  const external = [];
  try {
    context.on("request", (req) => { if (!LOCAL.test(req.url())) external.push(req.url()); });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      return LOCAL.test(url) ? route.continue() : route.abort();
    });
    const page = await context.newPage();
    await page.goto("file://" + path.resolve(htmlPath), { waitUntil: "load" });
    await page.screenshot({ path: shotPath, fullPage: true });
    const images = await page.evaluate(() => Array.from(document.images).map((img) => {
      const out = { alt: img.alt, naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight,
                    width: img.clientWidth, height: img.clientHeight, variance: 0 };
      if (img.naturalWidth > 0) {
        const canvas = document.createElement("canvas");
        canvas.width = Math.min(img.naturalWidth, 400);
        canvas.height = Math.min(img.naturalHeight, 400);
        const ctx = canvas.getContext("2d");
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let sum = 0, sq = 0, n = 0;
        for (let i = 0; i < d.length; i += 4) {
          const v = (d[i] + d[i + 1] + d[i + 2]) / 3;
          sum += v; sq += v * v; n += 1;
        }
        out.variance = n ? sq / n - (sum / n) ** 2 : 0;
      }
      return out;
    }));
    await page.addScriptTag({ content: axeSource });
    const axe = await page.evaluate(async () => {
      const r = await window.axe.run(document, {
        resultTypes: ["violations"],
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
    });
    const facts = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      headings: Array.from(document.querySelectorAll("h1,h2,h3,h4,h5,h6")).map((h) => Number(h.tagName[1])),
      tables: Array.from(document.querySelectorAll("table")).map((t) => t.querySelectorAll("th").length),
      renderer: (document.querySelector("meta[name=impleval-renderer]") || {}).content || null,
    }));
    // Phone width: the page itself must not scroll sideways; wide tables scroll in their box.
    await page.setViewportSize({ width: 390, height: 844 });
    const phone = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      tablesOutsideScrollBox: Array.from(document.querySelectorAll("table"))
        .filter((t) => !t.closest(".table-scroll")).length,
      overflowing: Array.from(document.querySelectorAll("body *"))
        .filter((el) => !el.closest(".table-scroll") && el.getBoundingClientRect().right > 392)
        .slice(0, 5).map((el) => el.tagName + "." + el.className),
    }));
    await page.setViewportSize({ width: 1280, height: 900 });
    // Print: A4 PDF, and the rules that keep figures and tables whole.
    await page.emulateMedia({ media: "print" });
    const print = await page.evaluate(() => {
      const avoid = (el) => ["avoid", "avoid-page"].includes(getComputedStyle(el).breakInside);
      return {
        figuresSplittable: Array.from(document.querySelectorAll("figure")).filter((f) => !avoid(f)).length,
        tablesSplittable: Array.from(document.querySelectorAll(".table-scroll")).filter((t) => !avoid(t)).length,
        captionsOutsideTables: Array.from(document.querySelectorAll("caption"))
          .filter((c) => c.parentElement.tagName !== "TABLE").length,
        headingsBreakAfter: Array.from(document.querySelectorAll("h2,h3,h4"))
          .filter((h) => !["avoid", "avoid-page"].includes(getComputedStyle(h).breakAfter)).length,
      };
    });
    const pdfPath = shotPath.replace(/\.png$/, ".pdf");
    await page.pdf({ path: pdfPath, format: "A4", printBackground: true });
    print.pdfBytes = fs.statSync(pdfPath).size;
    console.log(JSON.stringify({ external, images, axe, phone, print, pdfPath, ...facts }));
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
