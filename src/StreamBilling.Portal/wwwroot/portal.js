// StreamBilling portal: a client of the /v1 usage API. The API key lives in this tab's sessionStorage and goes out as
// the bearer header; the API decides what the key may see, so the portal never holds another account's data. Every
// text from the API is set with textContent (never innerHTML): the page must not run anything the data contains.
"use strict";

const KEY_STORAGE = "streambilling.apiKey";
const SERVICES = ["Ec2", "ReservedInstance", "S3", "DynamoDb", "Cdn", "MediaPackage", "CloudFront", "MediaLive", "MediaConvert", "S3Recording", "ElasticIp"];
const COLORS = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#84cc16", "#ec4899", "#64748b", "#d97706", "#0f766e", "#9333ea"];
const charts = {};

const $ = (id) => document.getElementById(id);

/** A failed API call: status and the problem details' title and detail. */
class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
  }
}

async function api(path, body) {
  let response;
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(KEY_STORAGE)}`, Accept: "application/json" };
  const request = body === undefined ? { headers } : { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body) };
  try {
    response = await fetch(path, request);
  } catch (e) {
    throw new ApiError(0, "The usage API cannot be reached", String(e.message || e));
  }
  if (response.ok) {
    return response.json();
  }
  let title = `HTTP ${response.status}`;
  let detail = "";
  try {
    const problem = await response.json();
    title = problem.title || title;
    detail = problem.detail || "";
  } catch {
    // Kestrel answers some malformed requests with an empty body: the status is all there is.
  }
  throw new ApiError(response.status, title, detail);
}

// Numbers: money and quantities as the API gives them (decimals), grouped, at least two and at most six decimals.
const number = (value) => value === null || value === undefined ? "" : Number(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 });
const money = (value, currency) => `${currency} ${number(value)}`;

function element(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (className) e.className = className;
  return e;
}

/** Fills a table: columns are [header, value(row), numeric?]. */
function fillTable(table, columns, rows, rowClass) {
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const [header, , numeric] of columns) head.appendChild(element("th", header, numeric ? "num" : ""));
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    if (rowClass) tr.className = rowClass(row);
    for (const [, value, numeric] of columns) {
      const cell = value(row);
      const td = tr.insertCell();
      if (cell instanceof Node) td.appendChild(cell); else td.textContent = cell ?? "";
      if (numeric) td.className = "num";
    }
  }
}

function show(id, visible) { $(id).hidden = !visible; }

function message(id, text) {
  $(id).textContent = text;
  show(id, true);
}

function drawChart(name, config) {
  if (charts[name]) charts[name].destroy();
  charts[name] = new Chart($(`${name}-chart`), config);
}

/** A stacked bar chart: one bar per barOf(item), one stack segment per stackOf(item), sized by the summed valueOf(item). */
function drawStackedBars(name, items, barOf, stackOf, valueOf, { indexAxis = "x", valueTitle }) {
  const bars = [...new Set(items.map(barOf))].sort();
  const stacks = [...new Set(items.map(stackOf))].sort();
  const valueAxis = { stacked: true, beginAtZero: true, title: { display: true, text: valueTitle } };
  drawChart(name, {
    type: "bar",
    data: {
      labels: bars,
      datasets: stacks.map((stack, i) => ({
        label: stack,
        backgroundColor: COLORS[i % COLORS.length],
        data: bars.map((bar) => items.filter((item) => barOf(item) === bar && stackOf(item) === stack).reduce((sum, item) => sum + valueOf(item), 0)),
      })),
    },
    options: {
      indexAxis, maintainAspectRatio: false, animation: false,
      scales: indexAxis === "y" ? { x: valueAxis, y: { stacked: true } } : { x: { stacked: true }, y: valueAxis },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 10, font: { size: 10 } } } },
    },
  });
}

/** Replaces a panel's chart with words (an empty state or an error), never a blank box. */
function chartMessage(name, text) {
  if (charts[name]) charts[name].destroy();
  delete charts[name];
  show(`${name}-chart-box`, false);
  message(`${name}-message`, text);
}

// ---- state in the URL: ?account=&month=&daily=&weekly= (so a view can be linked and reloaded) ----

function params() { return new URLSearchParams(location.search); }

function navigate(changes) {
  const p = params();
  for (const [k, v] of Object.entries(changes)) { if (v) p.set(k, v); else p.delete(k); }
  history.pushState(null, "", `${location.pathname}?${p}`);
  render();
}

window.addEventListener("popstate", () => render());

// ---- sign-in ----

$("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const key = $("api-key").value.trim();
  $("api-key").value = "";
  sessionStorage.setItem(KEY_STORAGE, key);
  $("sign-in-error").textContent = "";
  await render();
});

$("sign-out").addEventListener("click", () => {
  sessionStorage.removeItem(KEY_STORAGE);
  history.pushState(null, "", location.pathname);
  render();
});

$("account-picker").addEventListener("change", (e) => navigate({ account: e.target.value, month: "" }));
$("month-picker").addEventListener("change", (e) => navigate({ month: e.target.value }));
$("daily-service").addEventListener("change", (e) => navigate({ daily: e.target.value }));
$("weekly-service").addEventListener("change", (e) => navigate({ weekly: e.target.value }));

function showSignIn(error) {
  show("loading", false);
  show("portal", false);
  show("sign-out", false);
  show("account-picker-label", false);
  $("who").textContent = "";
  $("sign-in-error").textContent = error || "";
  show("sign-in", true);
  setState("sign-in");
}

let rendering = 0;

// body[data-state]: loading, sign-in, error or ready (all panels drawn) — what a test or a screen reader can wait for.
function setState(state) { document.body.dataset.state = state; }

async function render() {
  const run = ++rendering;
  setState("loading");
  if (!sessionStorage.getItem(KEY_STORAGE)) {
    showSignIn();
    return;
  }

  let caller;
  try {
    caller = await api("/v1/caller");
  } catch (e) {
    if (e.status === 401) {
      sessionStorage.removeItem(KEY_STORAGE);
      showSignIn("Sign-in refused: the usage API does not accept this key (unknown, revoked or mistyped).");
    } else {
      showSignIn(`Sign-in failed. ${e.message}`);
    }
    return;
  }
  if (run !== rendering) return;

  show("loading", false);
  show("sign-in", false);
  show("portal", true);
  show("sign-out", true);
  const isOperator = caller.role === "operator";
  $("who").textContent = isOperator ? "Signed in as operator" : `Signed in as customer ${caller.accountId}`;

  let account = params().get("account") || caller.accountId;
  if (isOperator) {
    // Only operators get the picker: a customer key sees one account, and its page never names another.
    let customers = [];
    try {
      customers = (await api("/v1/customers")).customers;
    } catch (e) {
      accountError(`Accounts cannot be listed. ${e.message}`);
      return;
    }
    if (run !== rendering) return;
    const picker = $("account-picker");
    picker.replaceChildren(...customers.map((c) => element("option", c)));
    account = account || customers[0];
    if (account && !customers.includes(account)) picker.prepend(element("option", account));
    picker.value = account || "";
    show("account-picker-label", customers.length > 0);
    if (!account) {
      accountError("No accounts yet: the store holds no invoice.");
      return;
    }
  } else {
    show("account-picker-label", false);
  }

  await renderAccount(run, account, isOperator);
}

function accountError(text) {
  show("account-view", false);
  $("account-error").textContent = text;
  show("account-error", true);
  setState("error");
}

// ---- one account ----

async function renderAccount(run, account, isOperator) {
  const id = encodeURIComponent(account);
  let list;
  try {
    list = await api(`/v1/customers/${id}/invoices`);
  } catch (e) {
    // A customer naming another account gets 404 from the API: nothing of that account is shown.
    accountError(e.status === 404 ? e.message : `The account cannot be shown. ${e.message}`);
    return;
  }
  if (run !== rendering) return;

  show("account-error", false);
  show("account-view", true);
  $("account-title").textContent = `Account ${list.customerId}`;

  const invoices = list.invoices;
  const months = invoices.map((i) => i.billingMonth);
  // The latest month billed is the current one: the simulated usage is dated in the past, not this calendar month.
  const month = months.includes(params().get("month")) ? params().get("month") : months[months.length - 1];
  const picker = $("month-picker");
  picker.replaceChildren(...[...months].reverse().map((m) => element("option", m)));
  picker.value = month || "";
  picker.disabled = months.length === 0;

  renderInvoiceList(invoices, month);
  const scope = isOperator ? `&customerId=${id}` : "";
  await Promise.all([
    renderInvoice(id, month),
    renderCdn(id, isOperator),
    month ? renderDaily(run, scope, month, invoices) : noMonth("daily"),
    month ? renderWeekly(run, scope, month, list.customerId) : noMonth("weekly"),
  ]);
  if (run === rendering) setState("ready");
}

function noMonth(name) {
  chartMessage(name, "No usage: the account has no invoice yet, so no month to show.");
  show(name === "daily" ? "daily-figures" : "weekly-table", false);
  if (name === "weekly") show("weekly-note", false);
}

function renderInvoiceList(invoices, current) {
  if (invoices.length === 0) {
    $("invoices-table").replaceChildren();
    message("invoices-message", "No invoices yet.");
    return;
  }
  show("invoices-message", false);
  fillTable($("invoices-table"), [
    ["Month", (i) => {
      const a = element("a", i.billingMonth);
      a.href = `?${new URLSearchParams({ ...Object.fromEntries(params()), month: i.billingMonth })}`;
      a.addEventListener("click", (e) => { e.preventDefault(); navigate({ month: i.billingMonth }); });
      return a;
    }],
    ["Status", (i) => i.status],
    ["Revision", (i) => i.revision, true],
    ["Total", (i) => money(i.totalAmount, i.currency), true],
    ["Discount", (i) => money(i.totalDiscount, i.currency), true],
    ["To pay", (i) => money(i.actualAmount, i.currency), true],
  ], [...invoices].reverse(), (i) => i.billingMonth === current ? "current" : "");
}

const LINE_COLUMNS = [
  ["Service", (l) => l.service],
  ["Region", (l) => l.region],
  ["Resource", (l) => l.resourceType],
  ["Description", (l) => l.description],
  ["Quantity", (l) => `${number(l.quantity)} ${l.unit}`, true],
  ["Rate", (l) => number(l.rate), true],
  ["Amount", (l) => number(l.amount), true],
  ["Discount", (l) => number(l.discount), true],
  ["To pay", (l) => number(l.actualAmount), true],
];

async function renderInvoice(id, month) {
  const box = $("invoice");
  $("invoice-month").textContent = month || "";
  $("services-month").textContent = month || "";
  if (!month) {
    box.replaceChildren(element("p", "No invoice yet: no usage has been billed to this account.", "message"));
    renderServices(null, "No invoice yet, so no cost to chart.");
    return;
  }
  let invoice;
  try {
    invoice = await api(`/v1/customers/${id}/invoices/${month}`);
  } catch (e) {
    box.replaceChildren(element("p", `The invoice of ${month} cannot be shown. ${e.message}`, "error"));
    renderServices(null, `No chart: the invoice of ${month} cannot be read.`);
    return;
  }
  renderServices(invoice);
  const totals = element("div", null, "totals");
  for (const [label, value, field] of [
    ["Status", `${invoice.status} (revision ${invoice.revision})`, "invoice-status"],
    ["Issued at (stream time)", invoice.issuedAt, "invoice-issued"],
    ["Total", money(invoice.totalAmount, invoice.currency), "invoice-total"],
    ["Discount", money(invoice.totalDiscount, invoice.currency), "invoice-discount"],
    ["To pay", money(invoice.actualAmount, invoice.currency), "invoice-actual"],
  ]) {
    const d = element("div");
    d.append(element("span", label));
    const strong = element("strong", value);
    strong.dataset.testid = field;
    d.append(strong);
    totals.append(d);
  }

  const lines = element("table");
  lines.dataset.testid = "invoice-lines";
  fillTable(lines, LINE_COLUMNS, invoice.lines);
  const linesBox = element("div", null, "scroll");
  linesBox.append(lines);
  const parts = [totals, element("h3", `Lines (${invoice.lines.length})`), invoice.lines.length ? linesBox : element("p", "No lines.", "message")];

  parts.push(element("h3", `Corrections (${invoice.corrections.length})`));
  if (invoice.corrections.length === 0) {
    const none = element("p", "No corrections: no late usage of an earlier, closed month was billed on this invoice.", "message");
    none.dataset.testid = "invoice-corrections";
    parts.push(none);
  } else {
    const corrections = element("table");
    corrections.dataset.testid = "invoice-corrections";
    fillTable(corrections, [["Corrects", (l) => l.correctsMonth], ...LINE_COLUMNS], invoice.corrections);
    parts.push(corrections);
  }
  box.replaceChildren(...parts);
}

/** The invoice's amounts (before discounts) per service, stacked by region: what the month's bill is made of. */
function renderServices(invoice, emptyText) {
  const lines = invoice ? [...invoice.lines, ...invoice.corrections] : [];
  if (lines.length === 0) {
    chartMessage("services", emptyText || "No lines on this invoice yet, so no cost to chart.");
    return;
  }
  show("services-message", false);
  show("services-chart-box", true);
  drawStackedBars("services", lines, (l) => l.service, (l) => l.region || "no region", (l) => l.amount, {
    indexAxis: "y",
    valueTitle: `amount before discounts (${invoice.currency})`,
  });
}

async function renderCdn(id, isOperator) {
  const box = $("cdn");
  let status;
  try {
    status = await api(`/v1/customers/${id}/cdn`);
  } catch (e) {
    box.replaceChildren(e.status === 404
      ? element("p", "Enabled: no cap has ever disabled this account's CDN distribution (the store holds no status for it).", "message")
      : element("p", `The CDN status cannot be shown. ${e.message}`, "error"));
    return;
  }
  const badge = element("span", status.status, `status ${status.status}`);
  badge.dataset.testid = "cdn-status";
  const facts = element("dl");
  for (const [term, value, field] of [
    ["Since", status.changedAt, "cdn-changed"],
    ["Decision", status.reason, "cdn-reason"],
    ["Decision id", status.causeId, "cdn-cause"],
    ["Distribution", status.distributionId, "cdn-distribution"],
  ]) {
    facts.append(element("dt", term));
    const dd = element("dd", value);
    dd.dataset.testid = field;
    facts.append(dd);
  }
  const why = status.status === "Disabled"
    ? "A usage cap decision disabled the distribution; it stays disabled until an operator re-enables it."
    : "Enabled by the decision below.";
  box.replaceChildren(badge, element("p", why, "note"), facts);
  if (isOperator && status.status === "Disabled") box.append(enableForm(id));
}

/** The operator's re-enable: POST …/cdn/enable with a reason, then the account is drawn again from the API. */
function enableForm(id) {
  const form = element("form", null, "enable");
  const reason = element("input");
  reason.name = "reason";
  reason.maxLength = 500;
  reason.placeholder = "reason, e.g. ticket 42";
  const button = element("button", "Re-enable CDN");
  button.type = "submit";
  const outcome = element("p", null, "error");
  outcome.dataset.testid = "cdn-enable-error";
  form.append(reason, button, outcome);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      await api(`/v1/customers/${id}/cdn/enable`, reason.value ? { reason: reason.value } : {});
      await render();
    } catch (e) {
      outcome.textContent = `Not re-enabled. ${e.message}`;
      button.disabled = false;
    }
  });
  return form;
}

function monthRange(month) {
  const [y, m] = month.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  return { first: `${month}-01`, last: `${month}-${String(last).padStart(2, "0")}`, nextFirst: `${next}-01` };
}

function fillServices(select, chosen, preferred) {
  select.replaceChildren(...SERVICES.map((s) => element("option", s)));
  const service = SERVICES.includes(chosen) ? chosen : preferred;
  select.value = service;
  return service;
}

async function renderDaily(run, scope, month, invoices) {
  const service = fillServices($("daily-service"), params().get("daily"), "Cdn");
  const range = monthRange(month);
  show("daily-message", false);
  let usage;
  try {
    usage = await api(`/v1/usage?service=${service}&from=${range.first}&to=${range.last}${scope}`);
  } catch (e) {
    show("daily-figures", false);
    chartMessage("daily", e.status === 404
      ? `No daily usage data for ${service} in ${month} (the usage API has none: ${e.message}).`
      : `Daily usage cannot be shown. ${e.message}`);
    return;
  }
  if (run !== rendering) return;
  const days = usage.days || [];
  if (days.length === 0) {
    show("daily-figures", false);
    chartMessage("daily", `No daily usage data for ${service} in ${month}.`);
    return;
  }
  show("daily-chart-box", true);
  const unit = days.find((d) => d.unit)?.unit || "";
  drawChart("daily", {
    data: {
      labels: days.map((d) => d.date),
      datasets: [
        { type: "bar", label: `Quantity (${unit})`, data: days.map((d) => d.quantity), yAxisID: "quantity",
          backgroundColor: days.map((d) => d.costBasis === "Estimate" ? "#f59e0b" : "#2563eb") },
        { type: "line", label: `Cost (${usage.currency})`, data: days.map((d) => d.cost), yAxisID: "cost", borderColor: "#10b981", backgroundColor: "#10b981" },
      ],
    },
    options: {
      maintainAspectRatio: false, animation: false,
      scales: { quantity: { position: "left", beginAtZero: true, title: { display: true, text: unit } },
                cost: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: usage.currency } } },
      plugins: { subtitle: { display: true, text: "Bars: blue = authoritative figure, orange = estimate (not yet reconciled)" } },
    },
  });
  fillTable($("daily-table"), [
    ["Day", (d) => d.date],
    ["Quantity", (d) => `${number(d.quantity)} ${d.unit}`, true],
    ["Cost", (d) => money(d.cost, usage.currency), true],
    ["Basis", (d) => d.costBasis],
    ["Reconciled", (d) => d.reconciled ? (d.difference ? `yes, differs by ${number(d.difference.quantity)} ${d.unit} / ${money(d.difference.cost, usage.currency)}` : "yes") : "no"],
  ], days);
  show("daily-figures", true);
}

async function renderWeekly(run, scope, month, account) {
  const service = fillServices($("weekly-service"), params().get("weekly"), "Ec2");
  const range = monthRange(month);
  show("weekly-message", false);
  show("weekly-note", false);
  let report;
  try {
    report = await api(`/v1/usage/weekly-cost?service=${service}&from=${range.first}&to=${range.nextFirst}${scope}`);
  } catch (e) {
    show("weekly-table", false);
    chartMessage("weekly", `Weekly cost is not available here. ${e.message}`);
    return;
  }
  if (run !== rendering) return;
  const rows = report.rows || [];
  if (!("customerId" in report)) {
    // An API whose rollups are not split by account answers for every account at once: say so.
    message("weekly-note", "These rows cover every account: this usage API does not split the weekly rollups by account.");
  } else if (report.customerId && report.customerId !== account) {
    message("weekly-note", `These rows are for account ${report.customerId}.`);
  }
  if (rows.length === 0) {
    show("weekly-table", false);
    chartMessage("weekly", `No ${service} cost in ${month}.`);
    return;
  }
  show("weekly-chart-box", true);
  drawStackedBars("weekly", rows, (r) => r.isoWeek, (r) => `${r.region} / ${r.role}`, (r) => r.cost, { valueTitle: "cost" });
  fillTable($("weekly-table"), [
    ["Week", (r) => r.isoWeek],
    ["Region", (r) => r.region],
    ["Role", (r) => r.role],
    ["Usage", (r) => number(r.usageQuantity), true],
    ["Cost", (r) => number(r.cost), true],
    ["Hours", (r) => r.hours, true],
  ], rows);
  show("weekly-table", true);
}

render();
