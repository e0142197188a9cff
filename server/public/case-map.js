// A case page's map over the configured tiles: the exact point (staff only reach this page)
// with its address, in place of the drawn street map.
import { districtMap, readJson } from './leaflet-map.js';

const boot = readJson('case-map-boot');
const el = document.getElementById('case-map');
if (boot && el) {
  el.replaceChildren();
  const m = await districtMap(el, boot.tiles);
  if (boot.point) {
    const popup = document.createElement('p');
    popup.textContent = boot.label; // the address is what a resident typed: text, never markup
    m.dot(boot.point, { className: 'case-marker' }).bindPopup(popup).openPopup();
    m.map.setView(m.toScreen(boot.point), 16, { animate: false });
  }
}
