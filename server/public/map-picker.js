// The district map of the web chat: a click, or arrow keys and Enter, picks a point; the point
// goes back to WGS-84 with the projection the server wrote on the <svg> (street-map-fns.ts).

const STEP = 12; // SVG units per arrow press (about 100 m); with Shift a quarter of that

export function setupMapPicker(frame, readout, onPick) {
  const svg = frame.querySelector('svg');
  const marker = svg.querySelector('.marker');
  const d = svg.dataset;
  const proj = { minLng: Number(d.minLng), maxLat: Number(d.maxLat), kx: Number(d.kx), ky: Number(d.ky) };
  const box = svg.viewBox.baseVal;
  let cursor = { x: box.width / 2, y: box.height / 2 };
  let selected = null;

  const toLatLng = (pt) => ({ lat: proj.maxLat - pt.y / proj.ky, lng: proj.minLng + pt.x / proj.kx });

  function streetAt(pt) {
    for (const path of svg.querySelectorAll('path.street')) {
      if (path.isPointInFill?.(new DOMPoint(pt.x, pt.y))) return path;
    }
    return null;
  }

  function show(pt) {
    cursor = { x: Math.min(box.width, Math.max(0, pt.x)), y: Math.min(box.height, Math.max(0, pt.y)) };
    marker.setAttribute('transform', `translate(${cursor.x.toFixed(1)} ${cursor.y.toFixed(1)})`);
    marker.classList.add('on');
    const path = streetAt(cursor);
    selected?.classList.remove('selected');
    selected = path;
    path?.classList.add('selected');
    const { lat, lng } = toLatLng(cursor);
    const name = path ? path.dataset.street : '江汉区范围外';
    readout.textContent = `十字位置：${name}（北纬 ${lat.toFixed(5)}，东经 ${lng.toFixed(5)}）`;
    return name;
  }

  function pick() {
    const street = show(cursor);
    onPick({ ...toLatLng(cursor), street });
  }

  svg.addEventListener('click', (ev) => {
    const ctm = svg.getScreenCTM();
    if (!ctm) return;
    const pt = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(ctm.inverse());
    cursor = { x: pt.x, y: pt.y };
    pick();
  });

  // The crosshair appears with the first arrow key, so a mouse user never sees a point they did not choose.
  const active = () => marker.classList.contains('on');
  frame.addEventListener('keydown', (ev) => {
    const step = ev.shiftKey ? STEP / 4 : STEP;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[ev.key]) {
      ev.preventDefault();
      show(active() ? { x: cursor.x + moves[ev.key][0], y: cursor.y + moves[ev.key][1] } : cursor);
    } else if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      if (active()) pick();
      else show(cursor);
    }
  });
}
