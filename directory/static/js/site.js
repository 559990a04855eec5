// Small conveniences on top of pages that work without JavaScript:
// "Use my location" (asks the browser only when pressed) and the viewer's time zone.
(function () {
  "use strict";

  function setViewerTimeZone(form) {
    var field = form.querySelector("[data-viewer-tz]");
    if (!field || field.value) { return; }
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone) { field.value = zone; }
    } catch (error) { /* older browsers: meetings show in the place's own time zone */ }
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
    var language = document.documentElement.lang || undefined;
    Array.prototype.forEach.call(list.querySelectorAll("time[datetime]"), function (time) {
      var value = time.getAttribute("datetime");
      var start = new Date(value);
      var offset = value.slice(-6);  // "+HH:MM" of the group's zone
      var minutes = -start.getTimezoneOffset();
      var sign = minutes >= 0 ? "+" : "-";
      var local = sign + String(Math.floor(Math.abs(minutes) / 60)).padStart(2, "0") + ":" +
        String(Math.abs(minutes) % 60).padStart(2, "0");
      if (isNaN(start.getTime()) || local === offset) { return; }
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
    var forms = document.querySelectorAll("form[role='search']");
    Array.prototype.forEach.call(forms, function (form) {
      setViewerTimeZone(form);
      setUpNearMe(form);
    });
  });
})();
