// Drives the policy playground of `payerlex-serve` in headless Chromium (Debian's, through
// playwright-core): the page's own example decides; a broken policy shows its diagnostic
// (code and place); the fixed policy shows a decision with its explanation; editing the claim
// changes the decision. Screenshots go to OUT. Exits non-zero on any failed check.
//
// node browser-tests/playground.mjs URL OUT
import { chromium } from "playwright-core";

const [url, out] = process.argv.slice(2);
const checks = [];
function check(name, ok, detail = "") {
  checks.push(ok);
  console.log((ok ? "ok   " : "FAIL ") + name + (ok || !detail ? "" : `: ${detail}`));
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const external = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(url.replace(/\/playground$/, ""))) external.push(request.url());
  });
  // Waits for the page to show an answer newer than the one it had.
  const answered = async (before) => {
    await page.waitForFunction((n) => Number(document.body.dataset.answered || 0) > n, before, { timeout: 15000 });
    return Number(await page.evaluate(() => document.body.dataset.answered));
  };
  await page.goto(url);
  let seen = await answered(0);
  const original = await page.inputValue("#policy");

  check("the example policy decides the example claim",
        (await page.textContent("#outcome")) === "deny");
  check("the example finding names its rule",
        (await page.textContent("#decision")).includes("playground.example/base-study-required"));

  // A typo in a reason code: the diagnostic appears with its code and place.
  await page.fill("#policy", original.replace("deny carc B15", "deny carc B15x"));
  seen = await answered(seen);
  const diagnostic = page.locator('#diagnostics .diag[data-code="PLX-C016"]');
  check("a broken policy shows its diagnostic", (await diagnostic.count()) === 1,
        await page.textContent("#diagnostics"));
  const where = await diagnostic.locator(".where").textContent().catch(() => "");
  check("the diagnostic says where", /playground\.policy:\d+:\d+/.test(where), where);
  check("no decision while the policy is broken", (await page.locator("#outcome").count()) === 0);
  await diagnostic.click();
  const selected = await page.evaluate(() => {
    const p = document.getElementById("policy");
    return p.value.slice(p.selectionStart, p.selectionEnd);
  });
  check("clicking the diagnostic selects its line", selected.includes("B15x"), selected);
  await page.screenshot({ path: `${out}/playground-broken.png`, fullPage: true });

  // Fixed: a decision with its explanation.
  await page.fill("#policy", original);
  seen = await answered(seen);
  check("the fixed policy has no diagnostic", (await page.locator("#diagnostics .diag").count()) === 0);
  check("the fixed policy decides again", (await page.textContent("#outcome")) === "deny");
  const clauses = await page.locator(".explanation li").allTextContents();
  check("the decision carries its explanation",
        clauses.some((c) => c.includes("line.code in three_d")) &&
        clauses.some((c) => c.includes("no line in claim on same date where code in base_study")),
        JSON.stringify(clauses));
  await page.screenshot({ path: `${out}/playground.png`, fullPage: true });

  // The claim is edited: with its base study on the same date, the 3D line is paid.
  const claim = JSON.parse(await page.inputValue("#claim"));
  claim.lines.unshift({ number: 2, code: "72125", units: 1, date: claim.lines[0].date });
  await page.fill("#claim", JSON.stringify(claim, null, 1));
  seen = await answered(seen);
  check("editing the claim changes the decision", (await page.textContent("#outcome")) === "allow");

  // A claim that is not JSON says so.
  await page.fill("#claim", "{");
  seen = await answered(seen);
  check("a malformed claim is reported", (await page.locator("#claim-error").count()) === 1);

  check("the page fetched nothing from elsewhere", external.length === 0, external.join(", "));
} finally {
  await browser.close();
}
const failed = checks.filter((ok) => !ok).length;
console.log(`${checks.length - failed}/${checks.length} checks passed`);
process.exit(failed ? 1 : 0);
