// The web chat's location picker on a tiled map: a click (or Enter, for the map's centre)
// sends the point, in WGS-84 whatever the tiles use.
import { districtMap } from './leaflet-map.js';

export async function setupLeafletPicker(frame, readout, tiles, onPick) {
  const el = document.createElement('div');
  el.className = 'leaflet-frame';
  frame.replaceChildren(el);
  const m = await districtMap(el, tiles);
  let dot = null;
  const pick = (p) => {
    dot?.remove();
    dot = m.dot(p);
    readout.textContent = `所选位置：北纬 ${p.lat.toFixed(5)}，东经 ${p.lng.toFixed(5)}`;
    onPick(p);
  };
  m.onPick(pick);
  frame.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    ev.preventDefault();
    pick(m.toStored(m.map.getCenter()));
  });
  // The panel was hidden while the map was built: measure again once it shows.
  return { refresh: () => m.map.invalidateSize() };
}
