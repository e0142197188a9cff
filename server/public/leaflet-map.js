// The Leaflet maps of the web chat, the case pages and the public page. Leaflet comes from
// node_modules (/vendor/leaflet/), never a CDN. Everything stored is WGS-84; with a GCJ-02 tile
// source (高德, 腾讯) every point and outline is shifted for display and every click shifted
// back, with the server's own formulas (/vendor/coord-transform.js is core/geo/coord-transform-fns.ts).
import * as L from '/vendor/leaflet/leaflet-src.esm.js';
import { gcj02ToWgs84, wgs84ToGcj02 } from '/vendor/coord-transform.js';

export function readJson(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : null;
}

/** A map of the district in `el`: tiles when configured, the street outlines always. */
export async function districtMap(el, tiles) {
  const gcj = tiles?.crs === 'gcj02';
  const toScreen = (p) => {
    const q = gcj ? wgs84ToGcj02({ lat: p.lat, lng: p.lng }) : p;
    return L.latLng(q.lat, q.lng);
  };
  const toStored = (ll) => (gcj ? gcj02ToWgs84({ lat: ll.lat, lng: ll.lng }) : { lat: ll.lat, lng: ll.lng });
  const map = L.map(el, { zoomSnap: 0.25 });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  if (tiles) {
    L.tileLayer(tiles.url, { subdomains: tiles.subdomains, attribution: tiles.attribution, maxZoom: 18 }).addTo(map);
  }
  const res = await fetch('/api/map/streets.geojson');
  const streets = L.geoJSON(await res.json(), {
    coordsToLatLng: (c) => toScreen({ lng: c[0], lat: c[1] }),
    style: {
      className: 'street-outline',
      color: '#5b6b7b',
      weight: 1.5,
      fillColor: '#0b4f9c',
      fillOpacity: tiles ? 0.03 : 0.08,
    },
  }).addTo(map);
  streets.eachLayer((layer) => layer.bindTooltip(layer.feature.properties.name, { sticky: true }));
  map.fitBounds(streets.getBounds());
  el.leafletMap = map; // lets the browser tests read the view
  return {
    map,
    toScreen,
    toStored,
    /** A dot at a stored (WGS-84) point. */
    dot(p, options = {}) {
      return L.circleMarker(toScreen(p), {
        radius: 7,
        color: '#ffffff',
        weight: 2,
        fillColor: '#c8102e',
        fillOpacity: 1,
        ...options,
      }).addTo(map);
    },
    /** Calls back with the stored (WGS-84) form of every click on the map. */
    onPick(cb) {
      map.on('click', (ev) => cb(toStored(ev.latlng)));
    },
  };
}
