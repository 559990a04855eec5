// The provider's list, in place. Without JavaScript every "Add to list", "Remove", "Move up"
// and "Move down" is a link to the same page with the list's ids changed in its address;
// here the same links change the page without reloading it. The list is still only the
// address's id values: nothing is stored in the browser or sent anywhere else.
(function () {
  "use strict";

  var PARAM = "id";
  var MAX = 20;

  function currentIds() {
    var ids = [];
    new URLSearchParams(window.location.search).getAll(PARAM).forEach(function (value) {
      var number = value.trim();
      if (/^[0-9]{1,10}$/.test(number) && Number(number) > 0 && ids.indexOf(number) < 0 &&
          ids.length < MAX) {
        ids.push(String(Number(number)));
      }
    });
    return ids;
  }

  // The same address with the list's ids replaced; relative links stay relative.
  function withIds(href, ids, anchor) {
    var url = new URL(href, window.location.href);
    var kept = [];
    var placed = false;
    function place() {
      if (!placed) { ids.forEach(function (id) { kept.push([PARAM, id]); }); placed = true; }
    }
    // The ids go where the list was in the address (else at its end), as the server does.
    url.searchParams.forEach(function (value, key) {
      if (key === PARAM) { place(); } else { kept.push([key, value]); }
    });
    place();
    url.search = new URLSearchParams(kept).toString();
    if (anchor !== undefined) { url.hash = anchor; }
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) { return url.href; }
    return url.pathname + url.search + url.hash;
  }

  // Same-site links that carry the list: searches, group pages, the sheet and its files.
  // Not a link within the page (the skip link), nor the sheet's own links, which a patient
  // follows and which the server writes without the list.
  function carriesList(link) {
    var href = link.getAttribute("href");
    if (href.charAt(0) === "#" || link.closest("[data-list-id], .sheet") ||
        link.hasAttribute("data-share")) { return false; }
    var url = new URL(href, window.location.href);
    if (url.origin !== window.location.origin) { return false; }
    return link.hasAttribute("data-list-carry") || url.pathname === window.location.pathname ||
      /\/search$/.test(url.pathname) || /\/groups\/[0-9]+$/.test(url.pathname);
  }

  function announce(template, name) {
    var status = document.querySelector("[data-list-status]");
    if (status && template) { status.textContent = template.replace("{name}", name); }
  }

  function updateAddButtons(ids) {
    document.querySelectorAll(".add-to-list[data-list-id]").forEach(function (block) {
      var id = block.getAttribute("data-list-id");
      var onList = ids.indexOf(id) >= 0;
      var full = ids.length >= MAX;
      var add = block.querySelector("[data-list-add]");
      var remove = block.querySelector("[data-list-remove]");
      add.hidden = onList || full;
      block.querySelector("[data-list-on]").hidden = !onList;
      block.querySelector("[data-list-full]").hidden = onList || !full;
      add.setAttribute("href", withIds(add.getAttribute("href"), onList ? ids : ids.concat([id]),
        "list-" + id));
      remove.setAttribute("href", withIds(remove.getAttribute("href"),
        ids.filter(function (kept) { return kept !== id; }), "list-" + id));
    });
  }

  function updateMyList(ids) {
    document.querySelectorAll("[data-my-list]").forEach(function (bar) {
      bar.hidden = ids.length === 0;
      var link = bar.querySelector("[data-list-link]");
      link.setAttribute("href", withIds(link.getAttribute("href"), ids));
      bar.querySelector("[data-list-count]").textContent = String(ids.length);
    });
  }

  function updateSearchForms(ids) {
    document.querySelectorAll("form[role='search']").forEach(function (form) {
      form.querySelectorAll("[data-list-field]").forEach(function (field) { field.remove(); });
      ids.forEach(function (id) {
        var field = document.createElement("input");
        field.type = "hidden";
        field.name = PARAM;
        field.value = id;
        field.setAttribute("data-list-field", "");
        form.appendChild(field);
      });
    });
  }

  function updateSharing(ids) {
    var input = document.querySelector("[data-share-link]");
    if (!input) { return; }
    input.value = withIds(input.value, ids);
    var links = document.querySelector("[data-share-body]");
    var body = links.getAttribute("data-share-body").replace("{url}", input.value);
    var subject = links.getAttribute("data-share-subject");
    links.querySelector("[data-share='mailto']").setAttribute("href",
      "mailto:?subject=" + encodeURIComponent(subject) + "&body=" + encodeURIComponent(body));
    links.querySelector("[data-share='sms']").setAttribute("href",
      "sms:?&body=" + encodeURIComponent(body));
    var code = document.querySelector(".sheet-qr img");
    if (code) { code.setAttribute("src", withIds(code.getAttribute("src"), ids)); }
    var address = document.querySelector(".sheet-url");
    if (address) { address.textContent = input.value; }
  }

  // The sheet's own order: its list of names with their links, and the sheet's sections.
  function updateSheetOrder(ids) {
    var items = document.querySelector("[data-list-items]");
    if (!items) { return; }
    var sheet = document.querySelector(".sheet");
    var foot = sheet && sheet.querySelector(".sheet-foot");
    ids.forEach(function (id, index) {
      var item = items.querySelector("li[data-list-id='" + id + "']");
      items.appendChild(item);
      var up = item.querySelector("[data-list-move='-1']");
      var down = item.querySelector("[data-list-move='1']");
      up.hidden = index === 0;
      down.hidden = index === ids.length - 1;
      up.setAttribute("href", withIds(up.getAttribute("href"), moved(ids, id, -1)));
      down.setAttribute("href", withIds(down.getAttribute("href"), moved(ids, id, 1)));
      var remove = item.querySelector("[data-list-remove]");
      remove.setAttribute("href", withIds(remove.getAttribute("href"),
        ids.filter(function (kept) { return kept !== id; })));
      var section = sheet && sheet.querySelector("[data-sheet-id='" + id + "']");
      if (section) { sheet.insertBefore(section, foot); }
    });
  }

  function moved(ids, id, step) {
    var copy = ids.slice();
    var here = copy.indexOf(id);
    var there = Math.min(Math.max(here + step, 0), copy.length - 1);
    copy.splice(there, 0, copy.splice(here, 1)[0]);
    return copy;
  }

  function apply(ids) {
    window.history.replaceState(null, "", withIds(window.location.href, ids, ""));
    updateAddButtons(ids);
    updateMyList(ids);
    updateSearchForms(ids);
    updateSharing(ids);
    updateSheetOrder(ids);
    document.querySelectorAll("a[href]").forEach(function (link) {
      if (carriesList(link)) { link.setAttribute("href", withIds(link.getAttribute("href"), ids)); }
    });
  }

  function nameOf(element) {
    var holder = element.closest("[data-list-name]");
    return holder ? holder.getAttribute("data-list-name") : "";
  }

  function onClick(event) {
    var link = event.target.closest("[data-list-add], [data-list-remove], [data-list-move]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey ||
        event.ctrlKey || event.shiftKey || event.altKey) { return; }
    var holder = link.closest("[data-list-id]");
    if (!holder) { return; }
    var id = holder.getAttribute("data-list-id");
    var ids = currentIds();
    var status = document.querySelector("[data-list-status]");
    var template = null;
    if (link.hasAttribute("data-list-add")) {
      if (ids.indexOf(id) < 0 && ids.length < MAX) { ids.push(id); }
      template = status && status.getAttribute("data-added");
    } else if (link.hasAttribute("data-list-remove")) {
      ids = ids.filter(function (kept) { return kept !== id; });
      template = status && status.getAttribute("data-removed");
      if (holder.matches("li")) {
        if (ids.length === 0) { return; }  // the page's own link shows the empty list
        holder.remove();
        var section = document.querySelector("[data-sheet-id='" + id + "']");
        if (section) { section.remove(); }
      }
    } else {
      ids = moved(ids, id, Number(link.getAttribute("data-list-move")));
    }
    event.preventDefault();
    apply(ids);
    announce(template, nameOf(link));
    refocus(holder, link);
  }

  // Keep the keyboard where the person was: on the link that undoes what they just did.
  function refocus(holder, link) {
    var target = null;
    if (!document.body.contains(holder)) {
      target = document.getElementById("order-heading");
    } else if (link.hasAttribute("data-list-add")) {
      target = holder.querySelector("[data-list-remove]");
    } else if (link.hasAttribute("data-list-remove")) {
      target = holder.querySelector("[data-list-add]");
    } else {
      target = link.hidden ? holder.querySelector("[data-list-move]:not([hidden])") : link;
    }
    if (target && !target.closest("[hidden]")) { target.focus(); }
  }

  function setUpCopy() {
    var button = document.querySelector("[data-copy]");
    var input = document.querySelector("[data-share-link]");
    var status = document.querySelector("[data-copy-status]");
    if (!button || !input) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      function done() { status.textContent = button.getAttribute("data-copied"); }
      function failed() {
        input.select();
        status.textContent = button.getAttribute("data-copy-failed");
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, failed);
      } else {
        input.select();
        try { if (document.execCommand("copy")) { done(); } else { failed(); } }
        catch (error) { failed(); }
      }
    });
  }

  function setUpPrint() {
    var button = document.querySelector("[data-print]");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.addEventListener("click", onClick);
    setUpCopy();
    setUpPrint();
  });
})();
