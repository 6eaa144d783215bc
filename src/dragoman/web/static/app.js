// Progressive enhancement for the dashboard; every page works without it.
(function () {
  "use strict";

  // Article: hovering an event card or a trigger lights up the trigger and its arguments.
  function linkEvents() {
    var text = document.getElementById("article-text");
    if (!text) return;
    function mark(id, on) {
      text.querySelectorAll("[data-event]").forEach(function (el) {
        if (el.getAttribute("data-event") === id) el.classList.toggle("active", on);
      });
      document.querySelectorAll(".event-card").forEach(function (card) {
        if (card.getAttribute("data-event") === id) card.classList.toggle("active", on);
      });
    }
    document.querySelectorAll(".event-card").forEach(function (card) {
      var id = card.getAttribute("data-event");
      card.addEventListener("mouseenter", function () { mark(id, true); });
      card.addEventListener("mouseleave", function () { mark(id, false); });
    });
    text.addEventListener("click", function (ev) {
      var el = ev.target.closest ? ev.target.closest("[data-event]") : null;
      if (!el) return;
      var card = document.getElementById(el.getAttribute("data-event"));
      if (card) card.scrollIntoView({ behavior: "smooth", block: "center" });
    });
  }

  // Article brief: a statement lights up the sentences it rests on in the article text.
  function briefEvidence() {
    var panel = document.getElementById("brief");
    var text = document.getElementById("article-text");
    if (!panel || !text) return;
    function light(stmt, ids) {
      text.querySelectorAll(".evidence-on").forEach(function (el) { el.classList.remove("evidence-on"); });
      panel.querySelectorAll(".stmt.active").forEach(function (el) { el.classList.remove("active"); });
      var first = null;
      ids.split(/\s+/).forEach(function (id) {
        if (!/^s-\d+-\d+$/.test(id)) return;
        text.querySelectorAll('[data-evidence~="' + id + '"]').forEach(function (el) {
          el.classList.add("evidence-on");
          if (!first) first = el;
        });
      });
      stmt.classList.add("active");
      if (first) first.scrollIntoView({ behavior: "smooth", block: "center" });
    }
    function choose(ev) {
      var link = ev.target.closest ? ev.target.closest("a") : null;
      if (link && link.classList.contains("event-link")) return;  // jumps to the event card
      var stmt = ev.target.closest ? ev.target.closest(".stmt") : null;
      if (!stmt) return;
      var ids = link && link.classList.contains("evidence-link") ? link.getAttribute("data-evidence")
        : stmt.getAttribute("data-evidence");
      if (!ids) return;
      ev.preventDefault();
      light(stmt, ids);
    }
    panel.addEventListener("click", choose);
    panel.addEventListener("keydown", function (ev) { if (ev.key === "Enter") choose(ev); });
  }

  // Network: hovering an actor fades everything not linked to it.
  function focusNetwork() {
    var svg = document.getElementById("network");
    if (!svg) return;
    var edges = svg.querySelectorAll(".edge");
    svg.querySelectorAll(".node").forEach(function (node) {
      var key = node.getAttribute("data-key");
      node.addEventListener("mouseenter", function () {
        var near = {};
        near[key] = true;
        edges.forEach(function (e) {
          var s = e.getAttribute("data-source"), t = e.getAttribute("data-target");
          var hit = s === key || t === key;
          e.classList.toggle("near", hit);
          if (hit) { near[s] = true; near[t] = true; }
        });
        svg.querySelectorAll(".node").forEach(function (n) {
          n.classList.toggle("near", !!near[n.getAttribute("data-key")]);
        });
        svg.classList.add("focus");
      });
      node.addEventListener("mouseleave", function () { svg.classList.remove("focus"); });
    });
  }

  // Filters: a changed select applies at once; blank fields are left out of the address.
  function tidyFilters() {
    document.querySelectorAll("form.filters").forEach(function (form) {
      form.querySelectorAll("select").forEach(function (sel) {
        sel.addEventListener("change", function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
      });
      form.addEventListener("submit", function () {
        form.querySelectorAll("input, select").forEach(function (el) {
          if (el.name && el.value === "") el.disabled = true;
        });
      });
    });
  }

  // Analyse: show that work is under way (the analysis takes a moment).
  function analyseBusy() {
    var form = document.getElementById("analyse-form");
    if (!form) return;
    form.addEventListener("submit", function () {
      var busy = form.querySelector(".busy");
      if (busy) busy.hidden = false;
      var btn = form.querySelector("button[type=submit]");
      if (btn) btn.disabled = true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    linkEvents();
    briefEvidence();
    focusNetwork();
    tidyFilters();
    analyseBusy();
  });
})();
