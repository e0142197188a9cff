// /public: open and closed cases at ~100 m (the rounded points the page lists), over the
// configured tiles or the street outlines alone.
import { districtMap, readJson } from './leaflet-map.js';

const boot = readJson('public-map-boot');
const el = document.getElementById('public-map');
if (boot && el) {
  const m = await districtMap(el, boot.tiles);
  for (const p of boot.points) {
    const colour = p.open ? '#d97706' : '#2f855a';
    const popup = document.createElement('p');
    popup.textContent = `${p.number} · ${p.matter ?? '其他事项'} · ${p.state}`; // text, never markup
    m.dot(p.at, { className: `case-marker ${p.open ? 'open' : 'closed'}`, radius: 6, fillColor: colour }).bindPopup(
      popup,
    );
  }
}
