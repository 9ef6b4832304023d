// The playground page: asks the server for what the chosen persona sees, and sends their
// steps. Everything from Slack's side arrives as HTML already made safe by the server's
// Block Kit renderer; stored rows arrive as JSON and are put in the page as text only.
"use strict";
let persona = "U0ANNA";
let labels = {};
let replyTo = null;
let busy = false;

const $ = (id) => document.getElementById(id);

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  return response.json();
}

async function act(path, body) {
  if (busy) return;
  busy = true;
  document.body.classList.add("busy");
  try {
    const answer = await api(path, {persona, ...body});
    if (answer && answer.persona) persona = answer.persona;
    await refresh();
  } finally {
    busy = false;
    document.body.classList.remove("busy");
  }
}

function text(id, value) { $(id).textContent = value || ""; }

function note(words) {
  const line = document.createElement("p");
  line.className = "context";
  line.textContent = words;
  return line;
}

function item(who, html, ref, extra) {
  const box = document.createElement("div");
  box.className = "msg" + (extra ? " " + extra : "");
  box.dataset.ref = ref;
  const name = document.createElement("div");
  name.className = "who";
  name.textContent = who;
  const body = document.createElement("div");
  body.innerHTML = html;  // rendered and escaped by the server
  box.append(name, body);
  return box;
}

function renderChannel(state) {
  const channel = $("channel");
  channel.replaceChildren();
  for (const message of state.channel) {
    const box = item(message.who, message.html, message.ref, message.bot ? "bot" : "");
    const replies = document.createElement("div");
    replies.className = "replies";
    for (const reply of message.replies) {
      replies.append(item(reply.who, reply.html, reply.ref, reply.bot ? "bot" : ""));
    }
    const answer = document.createElement("button");
    answer.className = "link reply";
    answer.textContent = labels.reply;
    answer.addEventListener("click", () => startReply(message.ts));
    box.append(replies, answer);
    channel.append(box);
  }
  channel.scrollTop = channel.scrollHeight;
}

function startReply(ts) {
  replyTo = ts;
  $("replying").hidden = false;
  $("text").focus();
}

function renderPrivate(state) {
  const box = $("private");
  box.replaceChildren();
  if (!state.private.length) box.append(note(labels.private_empty));
  for (const shown of state.private) box.append(item(shown.kind, shown.html, shown.ref, "private"));
  $("home").innerHTML = state.home || "";
  $("home").dataset.ref = "home";
  const back = $("modal-back");
  back.hidden = !state.modal;
  $("modal").innerHTML = state.modal || "";
  $("modal").dataset.ref = "modal";
  for (const [blockId, error] of Object.entries(state.modal_errors || {})) {
    const field = $("modal").querySelector(`[data-block-id="${CSS.escape(blockId)}"]`);
    if (field) {
      const note = document.createElement("div");
      note.className = "error";
      note.textContent = error;
      field.after(note);
    }
  }
  if (state.modal) {
    const close = document.createElement("button");
    close.className = "btn close";
    close.textContent = labels.close;
    close.addEventListener("click", () => act("/api/close", {}));
    $("modal").append(close);
  }
}

function renderPanels(state) {
  const decisions = $("decisions");
  decisions.replaceChildren();
  if (!state.decisions.length) decisions.append(note(labels.decided_empty));
  for (const html of state.decisions) {
    const box = document.createElement("div");
    box.className = "decision";
    box.innerHTML = html;  // rendered and escaped by the server
    decisions.append(box);
  }
  const stored = $("stored");
  stored.replaceChildren();
  for (const [table, rows] of Object.entries(state.stored)) {
    const block = document.createElement("details");
    if (rows.length) block.open = ["failures", "scans", "nudges", "reviews"].includes(table);
    const summary = document.createElement("summary");
    summary.textContent = `${table} (${rows.length || labels.empty_table})`;
    block.append(summary);
    if (rows.length) {
      const grid = document.createElement("table");
      const head = document.createElement("tr");
      for (const column of Object.keys(rows[0])) {
        const th = document.createElement("th");
        th.textContent = column;
        head.append(th);
      }
      grid.append(head);
      for (const row of rows) {
        const tr = document.createElement("tr");
        for (const value of Object.values(row)) {
          const td = document.createElement("td");
          td.textContent = value === null ? "" : String(value);
          tr.append(td);
        }
        grid.append(tr);
      }
      block.append(grid);
    }
    stored.append(block);
  }
}

function renderPersonas(state) {
  const nav = $("personas");
  nav.replaceChildren();
  for (const p of state.personas) {
    const button = document.createElement("button");
    button.className = "btn persona" + (p.id === persona ? " chosen" : "");
    button.dataset.persona = p.id;
    button.textContent = `${p.name} · ${p.role}`;
    button.addEventListener("click", () => { persona = p.id; refresh(); });
    nav.append(button);
  }
  const demo = $("demo");
  demo.disabled = !state.demo.next;
  const next = state.demo.next ? `${labels.next} ${state.demo.next}` : "";
  text("demo-next", next || (state.demo.position ? labels.demo_done : ""));
}

async function refresh() {
  const state = await api(`/api/state?persona=${encodeURIComponent(persona)}`);
  document.documentElement.lang = state.lang;
  labels = await api("/api/labels");
  text("title", labels.title);
  text("intro", labels.intro);
  text("you-are", labels.you_are);
  text("channel-title", `#${state.channel_name}`);
  text("private-title", labels.private);
  text("home-title", labels.home);
  text("open-home", labels.open_home);
  text("decided-title", labels.decided);
  text("stored-title", labels.stored);
  text("stored-intro", labels.stored_intro);
  text("demo", labels.demo);
  text("lang", labels.language);
  text("send", labels.send);
  text("replying-text", labels.replying);
  text("cancel-reply", labels.cancel_reply);
  text("active-label", labels.active);
  $("active").checked = state.active;
  $("text").placeholder = labels.compose;
  renderPersonas(state);
  renderChannel(state);
  renderPrivate(state);
  renderPanels(state);
}

function refOf(element) {
  const holder = element.closest("[data-ref]");
  return holder ? holder.dataset.ref : "";
}

function modalValues() {
  const values = {};
  for (const field of $("modal").querySelectorAll("[data-block-id][data-kind]")) {
    if (field.value) values[field.dataset.blockId] = field.value;
  }
  return values;
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  if (button.classList.contains("submit")) {
    act("/api/submit", {values: modalValues()});
  } else if (button.dataset.actionId) {
    act("/api/click", {ref: refOf(button), action_id: button.dataset.actionId});
  }
});

document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-action-id]");
  if (select && select.dataset.kind === "static_select" && !select.closest("#modal")) {
    act("/api/click", {ref: refOf(select), action_id: select.dataset.actionId, option: select.value});
  }
});

window.addEventListener("DOMContentLoaded", () => {
  $("compose").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("text").value;
    if (!value.trim()) return;
    $("text").value = "";
    const threadTs = replyTo;
    replyTo = null;
    $("replying").hidden = true;
    act("/api/say", {text: value, thread_ts: threadTs});
  });
  $("text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("compose").requestSubmit();
    }
  });
  $("cancel-reply").addEventListener("click", () => { replyTo = null; $("replying").hidden = true; });
  $("open-home").addEventListener("click", () => act("/api/home", {}));
  $("active").addEventListener("change", () => act("/api/presence", {active: $("active").checked}));
  $("demo").addEventListener("click", () => act("/api/demo", {}));
  $("lang").addEventListener("click", async () => {
    const state = await api(`/api/state?persona=${encodeURIComponent(persona)}`);
    act("/api/lang", {lang: state.lang === "nl" ? "en" : "nl"});
  });
  refresh();
});
