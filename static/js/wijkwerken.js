/* wijkwerken: the little JavaScript our pages need, in one file. The Content-Security-Policy allows no inline
   script, no event-handler attributes and no style attributes, so pages mark elements with data attributes and
   this file does the rest. Without JavaScript every page still works (all fields stay visible). */
(function () {
  "use strict";

  // <form data-confirm="Question?">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);

  // <input type="checkbox" data-select-all="name">: (un)ticks every checkbox called `name`.
  document.addEventListener("change", function (event) {
    var all = event.target.closest("input[data-select-all]");
    if (all) {
      document.querySelectorAll("input[name='" + all.dataset.selectAll + "']").forEach(function (box) {
        box.checked = all.checked;
      });
    }
  });

  // <div class="progress-bar" data-width="37">: the bar's width in percent.
  function widths(root) {
    root.querySelectorAll("[data-width]").forEach(function (bar) {
      var percent = parseFloat(String(bar.dataset.width).replace(",", "."));
      bar.style.width = (isNaN(percent) ? 0 : Math.max(0, Math.min(100, percent))) + "%";
    });
  }

  // Registration and identity forms: only the fields of the chosen kind of client ([data-for]).
  function clientCategory(root) {
    var select = root.querySelector("select#id_category");
    if (!select || !document.querySelector("[data-for]")) {
      return;
    }
    function update() {
      var isPrivate = select.value === "particulier";
      document.querySelectorAll("[data-for]").forEach(function (el) {
        el.hidden = (el.dataset.for === "particulier") !== isPrivate;
      });
    }
    select.addEventListener("change", update);
    update();
  }

  // Request form: the days of a recurring request, and the other address, only when asked for.
  function requestSchedule(root) {
    var radios = root.querySelectorAll("input[name=schedule]");
    var other = root.querySelector("#id_other_address");
    if (!radios.length || !other) {
      return;
    }
    function update() {
      var checked = document.querySelector("input[name=schedule]:checked");
      var recurring = checked && checked.value === "recurring";
      document.querySelectorAll("[data-schedule=recurring]").forEach(function (el) { el.hidden = !recurring; });
      document.querySelectorAll("[data-address]").forEach(function (el) { el.hidden = !other.checked; });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    other.addEventListener("change", update);
    update();
  }

  // <table class="table-cards">: on a phone each row is a card (static/css); each data cell gets its column's
  // header as data-label, so the card says what each value is. A cell that has a data-label keeps it.
  function tableCards(root) {
    var tables = Array.prototype.slice.call(root.querySelectorAll("table.table-cards"));
    var around = root.closest && root.closest("table.table-cards");  // htmx swapped in a table or a row
    if (around) {
      tables.push(around);
    }
    tables.forEach(function (table) {
      var headerRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!headerRow) {
        return;
      }
      var headers = [];
      Array.prototype.forEach.call(headerRow.cells, function (th) {
        // A header only screen readers hear (an actions column) gives no label: the buttons say what they do.
        var visible = th.cloneNode(true);
        visible.querySelectorAll(".visually-hidden").forEach(function (hidden) { hidden.remove(); });
        for (var i = 0; i < th.colSpan; i += 1) {
          headers.push(visible.textContent.replace(/\s+/g, " ").trim());
        }
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (cell.tagName === "TD" && cell.colSpan === 1 && !cell.hasAttribute("data-label")) {
              cell.dataset.label = headers[column] || "";
            }
            column += cell.colSpan;
          });
        });
      });
    });
  }

  function enhance(root) {
    widths(root);
    tableCards(root);
    clientCategory(root);
    requestSchedule(root);
  }

  // htmx calls this for the page and for every piece of content it swaps in.
  if (window.htmx) {
    window.htmx.onLoad(enhance);
  } else {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  }
})();
