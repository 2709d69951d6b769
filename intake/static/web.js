// The clerk's pages: upload with progress (XHR) and drag and drop; a dossier page follows its screening.
// No inline script anywhere: the CSP is script-src 'self'.
"use strict";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") : "";
}

function setupUpload() {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("files");
  const drop = document.getElementById("drop");
  const chosen = document.getElementById("chosen");
  const progress = document.getElementById("progress");
  const progressText = document.getElementById("progress-text");
  const error = document.getElementById("upload-error");
  const limit = Number(form.dataset.limit || "0");
  let files = null;

  function show(list) {
    files = list;
    chosen.textContent = Array.from(list).map((f) => f.name).join(", ");
  }
  function fail(message) {
    error.textContent = message;
    error.hidden = false;
    progress.hidden = true;
  }
  input.addEventListener("change", () => show(input.files));
  ["dragenter", "dragover"].forEach((name) =>
    drop.addEventListener(name, (e) => { e.preventDefault(); drop.classList.add("over"); }));
  ["dragleave", "drop"].forEach((name) =>
    drop.addEventListener(name, (e) => { e.preventDefault(); drop.classList.remove("over"); }));
  drop.addEventListener("drop", (e) => { if (e.dataTransfer && e.dataTransfer.files.length) show(e.dataTransfer.files); });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const list = files || input.files;
    if (!list || !list.length) return;
    const size = Array.from(list).reduce((n, f) => n + f.size, 0);
    if (limit && size > limit) { fail(document.getElementById("too-large").textContent); return; }
    const data = new FormData();
    Array.from(list).forEach((f) => data.append("files", f, f.name));
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-CSRF-Token", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    progress.hidden = false;
    error.hidden = true;
    xhr.upload.addEventListener("progress", (ev) => {
      if (ev.lengthComputable) {
        progress.value = Math.round((100 * ev.loaded) / ev.total);
        progressText.textContent = progress.value + " %";
      }
    });
    xhr.addEventListener("load", () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (_) { body = {}; }
      if (xhr.status >= 200 && xhr.status < 300 && body.url) { window.location.assign(body.url); return; }
      fail(body.error || ("HTTP " + xhr.status));
    });
    xhr.addEventListener("error", () => fail("the connection was lost"));
    xhr.send(data);
  });
}

function followScreening() {
  const el = document.getElementById("screening");
  if (!el) return;
  const url = el.dataset.statusUrl;
  const status = document.getElementById("job-status");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => r.json())
      .then((body) => {
        if (body.status === "done" || body.status === "dead") { window.location.reload(); return; }
        status.textContent = body.label || body.status;
        window.setTimeout(poll, 1000);
      })
      .catch(() => window.setTimeout(poll, 3000));
  }
  window.setTimeout(poll, 1000);
}

document.addEventListener("DOMContentLoaded", () => { setupUpload(); followScreening(); });
