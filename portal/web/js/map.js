// The portal's maps: every element with data-map-points becomes a Leaflet map of the
// GeoJSON points that URL answers (portal/web/maps.py), markers clustered, each with a
// popup (name, address, a link to the row). Bundled by esbuild into portal/web/static/map/
// (Makefile): nothing is loaded from a CDN; only the base map's tiles come from their host.
import L from "leaflet";
import "leaflet.markercluster";
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster/dist/MarkerCluster.css";
import "./map.css";
import { nearMe } from "./near-me.js";

const JAPAN = [36.2, 138.25];
const LISTED = 200; // points the list beside a map names (the map draws them all)

function element(tag, text, className) {
  const made = document.createElement(tag);
  if (text) made.textContent = text;
  if (className) made.className = className;
  return made;
}

function link(href, text) {
  const a = element("a", text);
  a.href = href;
  return a;
}

// The popup's content, built as DOM nodes: a row's values are text, never markup.
function popup(props, labels) {
  const box = element("div", "", "map-popup");
  box.append(element("strong", props.name || labels.unnamed, "map-popup-name"));
  if (props.address) box.append(element("span", props.address, "map-popup-address"));
  const links = element("span", "", "map-popup-links");
  if (props.url) links.append(link(props.url, labels.row));
  if (labels.page && props.page) links.append(link(props.page, labels.page));
  box.append(links);
  return box;
}

const pin = L.divIcon({ className: "map-pin", iconSize: [20, 20], iconAnchor: [10, 10], popupAnchor: [0, -10] });

function clusterIcon(labels) {
  return (cluster) => {
    const count = cluster.getChildCount();
    const html = element("span");
    html.append(element("span", String(count)));
    html.firstChild.setAttribute("aria-hidden", "true");
    html.append(element("span", labels.cluster.replace("{count}", count), "visually-hidden"));
    const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return L.divIcon({ html, className: `map-cluster map-cluster-${size}`, iconSize: L.point(40, 40) });
  };
}

function labelsOf(box) {
  const d = box.dataset;
  return { row: d.labelRow, page: d.labelPage, cluster: d.labelCluster, unnamed: d.labelUnnamed,
           shown: d.labelShown, truncated: d.labelTruncated, failed: d.labelFailed,
           zoomIn: d.labelZoomIn, zoomOut: d.labelZoomOut };
}

function listPoints(target, features, labels) {
  if (!target) return;
  const list = element("ol");
  for (const f of features.slice(0, LISTED)) {
    const p = f.properties;
    const item = element("li");
    item.append(link(p.url || p.page, p.name || labels.unnamed));
    if (p.address) item.append(" ", element("span", p.address, "meta"));
    list.append(item);
  }
  target.replaceChildren(list);
}

function draw(box, data) {
  const labels = labelsOf(box);
  const map = L.map(box, { center: JAPAN, zoom: 5, zoomControl: false });
  L.control.zoom({ zoomInTitle: labels.zoomIn, zoomOutTitle: labels.zoomOut }).addTo(map);
  L.tileLayer(data.map.tiles, { attribution: data.map.attribution, maxZoom: 18 }).addTo(map);
  const group = L.markerClusterGroup({ iconCreateFunction: clusterIcon(labels), chunkedLoading: true });
  const markers = data.features.map((f) => {
    const [lon, lat] = f.geometry.coordinates;
    return L.marker([lat, lon], { icon: pin, title: f.properties.name || labels.unnamed, keyboard: true })
      .bindPopup(() => popup(f.properties, labels));
  });
  group.addLayers(markers);
  map.addLayer(group);
  const center = box.dataset.center ? box.dataset.center.split(",").map(Number) : null;
  if (center) {
    L.circle(center, { radius: Number(box.dataset.distance || 0), className: "map-area", interactive: false }).addTo(map);
    L.circleMarker(center, { radius: 8, className: "map-here", interactive: false }).addTo(map);
  }
  if (markers.length) map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 16 });
  else if (center) map.setView(center, 14);
  const status = document.getElementById(box.dataset.status || "");
  if (status) {
    status.textContent = labels.shown.replace("{count}", markers.length) + (data.truncated ? " " + labels.truncated : "");
  }
  listPoints(document.getElementById(box.dataset.list || ""), data.features, labels);
  box.dataset.drawn = String(markers.length);
  return map;
}

async function start(box) {
  try {
    const answer = await fetch(box.dataset.mapPoints, { headers: { Accept: "application/geo+json" } });
    if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
    draw(box, await answer.json());
  } catch (failure) {
    const status = document.getElementById(box.dataset.status || "");
    if (status) status.textContent = labelsOf(box).failed;
    box.dataset.drawn = "failed";
    console.error("map:", failure);
  }
}

document.querySelectorAll("[data-map-points]").forEach(start);
document.querySelectorAll("[data-near-me]").forEach(nearMe);
