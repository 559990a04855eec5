// The results map: opt-in. Leaflet (served by this site) and any map images load only after
// the person presses "Show map". Without a tile server the markers show on a plain background.
(function () {
  "use strict";

  var map = null;

  function loadOnce(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) { element[name] = attributes[name]; });
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function loadLeaflet(container) {
    if (window.L) { return Promise.resolve(); }
    return Promise.all([
      loadOnce("link", { rel: "stylesheet", href: container.getAttribute("data-leaflet-css") }),
      loadOnce("script", { src: container.getAttribute("data-leaflet-js") })
    ]);
  }

  function popupFor(item) {
    // Built from DOM nodes, never from HTML strings, so listing text cannot inject markup.
    var link = item.querySelector("h3 a");
    var box = document.createElement("div");
    var title = document.createElement("a");
    title.href = link.getAttribute("href");
    title.textContent = link.textContent;
    box.appendChild(title);
    var when = item.querySelector(".when");
    if (when) {
      var line = document.createElement("p");
      line.textContent = when.textContent;
      box.appendChild(line);
    }
    return box;
  }

  function build(container) {
    var items = document.querySelectorAll(".hit[data-lat]");
    map = L.map(container, { scrollWheelZoom: false, zoomSnap: 0.25 });
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", container.getAttribute("data-label"));
    var tiles = container.getAttribute("data-tile-url");
    if (tiles) {
      L.tileLayer(tiles, {
        maxZoom: 18,
        attribution: container.getAttribute("data-tile-attribution") || ""
      }).addTo(map);
    }
    var bounds = [];
    Array.prototype.forEach.call(items, function (item) {
      var point = [parseFloat(item.getAttribute("data-lat")), parseFloat(item.getAttribute("data-lon"))];
      var name = item.querySelector("h3 a").textContent;
      L.marker(point, { title: name, alt: name, keyboard: true })
        .bindPopup(popupFor(item))
        .addTo(map);
      bounds.push(point);
    });
    var centerLat = container.getAttribute("data-center-lat");
    var radius = container.getAttribute("data-radius-miles");
    if (centerLat !== null) {
      var center = [parseFloat(centerLat), parseFloat(container.getAttribute("data-center-lon"))];
      bounds.push(center);
      if (radius !== null) {
        // The searched area, so the markers have a sense of scale even without map images.
        var meters = parseFloat(radius) * 1609.344;
        L.circle(center, {
          radius: meters, color: "#1d4f91", weight: 2, fillOpacity: 0.06, interactive: false
        }).addTo(map);
        var box = L.latLng(center).toBounds(meters * 2);
        bounds.push([box.getSouth(), box.getWest()], [box.getNorth(), box.getEast()]);
      }
    }
    if (bounds.length === 1) {
      map.setView(bounds[0], 11);
    } else if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
    } else {
      map.setView([39.8, -98.6], 4);  // the contiguous United States
    }
  }

  function setUp(panel) {
    var button = panel.querySelector("[data-map-toggle]");
    var container = panel.querySelector("#map");
    panel.hidden = false;
    button.addEventListener("click", function () {
      var showing = container.hidden;
      container.hidden = !showing;
      button.setAttribute("aria-expanded", String(showing));
      button.textContent = button.getAttribute(showing ? "data-hide" : "data-show");
      if (!showing) { return; }
      if (map) { map.invalidateSize(); return; }
      button.disabled = true;
      loadLeaflet(container).then(function () {
        build(container);
        container.setAttribute("data-ready", "true");
      }).finally(function () { button.disabled = false; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.querySelector("[data-map-panel]");
    if (panel && document.querySelector(".hit")) { setUp(panel); }
  });
})();
