// Small conveniences on top of pages that work without JavaScript:
// "Use my location" (asks the browser only when pressed) and the viewer's time zone.
(function () {
  "use strict";

  function browserZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
    } catch (error) { return null; }  /* older browsers: meetings show in the place's zone */
  }

  // The reader's zone wins over one in the address: a link shared from another zone
  // carries the sender's, and the next search should show the reader's own times.
  function setViewerTimeZone(form) {
    var field = form.querySelector("[data-viewer-tz]");
    var zone = browserZone();
    if (field && zone) { field.value = zone; }
  }

  function offsetOf(start) {
    var minutes = -start.getTimezoneOffset();
    var sign = minutes >= 0 ? "+" : "-";
    return sign + String(Math.floor(Math.abs(minutes) / 60)).padStart(2, "0") + ":" +
      String(Math.abs(minutes) % 60).padStart(2, "0");
  }

  // Results: each next meeting in the reader's own zone, whatever zone the page was made in
  // (a home-page link has none; a shared link has the sender's). Only the words change:
  // the datetime attribute is the same moment.
  function showViewerTimes(list) {
    var zone = browserZone();
    if (!zone || list.getAttribute("data-zone") === zone) { return; }
    var format;
    try {
      format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        weekday: "long", month: "long", day: "numeric", hour: "numeric", minute: "2-digit",
        timeZone: zone, timeZoneName: "short"
      });
    } catch (error) { return; }
    Array.prototype.forEach.call(list.querySelectorAll("time[datetime]"), function (time) {
      var value = time.getAttribute("datetime");
      var start = new Date(value);
      if (isNaN(start.getTime()) || value.slice(-6) === offsetOf(start)) { return; }
      time.textContent = format.format(start);
      time.setAttribute("data-zone", zone);
    });
  }

  // "Narrow the results" jumps to the filters; on a phone they are folded: open them.
  function setUpFilterLinks() {
    var filters = document.querySelector(".filters-disclosure");
    if (!filters) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-open-filters]"), function (link) {
      link.addEventListener("click", function () { filters.open = true; });
    });
    if (window.location.hash === "#filters") { filters.open = true; }
  }

  function geoFields(form) {
    return {
      lat: form.querySelector("[data-geo='lat']"),
      lon: form.querySelector("[data-geo='lon']"),
      near: form.querySelector("input[name='near']")
    };
  }

  function setUpNearMe(form) {
    var button = form.querySelector("[data-near-me]");
    var status = form.querySelector("[data-near-me-status]");
    var fields = geoFields(form);
    if (!button || !fields.lat || !("geolocation" in navigator)) { return; }
    button.hidden = false;

    // Typing a place replaces a location found earlier.
    if (fields.near) {
      fields.near.addEventListener("input", function () {
        fields.lat.value = "";
        fields.lon.value = "";
      });
    }

    button.addEventListener("click", function () {
      status.textContent = button.getAttribute("data-locating");
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          // Two decimals (about a kilometre) is enough to find nearby groups.
          fields.lat.value = position.coords.latitude.toFixed(2);
          fields.lon.value = position.coords.longitude.toFixed(2);
          if (fields.near) { fields.near.value = ""; }
          setViewerTimeZone(form);
          form.submit();
        },
        function () {
          button.disabled = false;
          status.textContent = button.getAttribute("data-denied");
          if (fields.near) { fields.near.focus(); }
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
      );
    });
  }

  // Online meetings: add the start in the viewer's own time zone when it is not the group's.
  function addLocalTimes(list) {
    var label = list.getAttribute("data-your-time");
    // The nearest language: a referral sheet may be in another language than the site.
    var marked = list.closest("[lang]");
    var language = (marked && marked.lang) || undefined;
    Array.prototype.forEach.call(list.querySelectorAll("time[datetime]"), function (time) {
      var value = time.getAttribute("datetime");
      var start = new Date(value);
      var offset = value.slice(-6);  // "+HH:MM" of the group's zone
      if (isNaN(start.getTime()) || offsetOf(start) === offset) { return; }
      var text = new Intl.DateTimeFormat(language, {
        weekday: "long", hour: "numeric", minute: "2-digit", timeZoneName: "short"
      }).format(start);
      var extra = document.createElement("span");
      extra.className = "local-time";
      extra.textContent = " (" + text + ", " + label + ")";
      time.parentNode.appendChild(extra);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-local-times]"), addLocalTimes);
    Array.prototype.forEach.call(document.querySelectorAll("[data-viewer-times]"), showViewerTimes);
    setUpFilterLinks();
    var forms = document.querySelectorAll("form[role='search']");
    Array.prototype.forEach.call(forms, function (form) {
      setViewerTimeZone(form);
      setUpNearMe(form);
    });
  });
})();
