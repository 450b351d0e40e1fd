// The map page: Leaflet (vendored) draws hotspots, establishments and
// service providers with popups, the contacts made at each in the period,
// and each province's numbers. Without configured tiles it draws the
// outline of Vietnam from /static/map, so it works offline. Every text
// comes from the page (data-l-*), so the catalogue stays the one source;
// popups are built from text nodes, never from HTML.
document.addEventListener('DOMContentLoaded', () => {
  const el = document.getElementById('map');
  if (!el || !window.L) return;
  const d = el.dataset;
  const status = document.getElementById('map-status');
  const num = (n) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, d.lDecimal || '.');
  const map = L.map(el, { zoomSnap: 0.5, attributionControl: Boolean(d.tiles) }).setView([16.2, 106.3], 5);
  if (d.tiles) {
    L.tileLayer(d.tiles, { maxZoom: 18, attribution: d.attribution || '' }).addTo(map);
  } else if (d.outlines) {
    fetch(d.outlines).then((r) => r.json()).then((gj) => {
      L.geoJSON(gj, { interactive: false, style: { color: '#7a8591', weight: 1.2, fillColor: '#fbfbf7', fillOpacity: 1 } }).addTo(map).bringToBack();
    }).catch(() => {});
  }
  const colours = { hotspot: '#b5485d', establishment: '#e0a030', provider: '#5b8fd6', contacts: '#0f5c4d', province: '#0f5c4d' };
  const groups = {
    hotspot: L.featureGroup(), establishment: L.featureGroup(), provider: L.featureGroup(), contacts: L.featureGroup(), province: L.featureGroup(),
  };
  const names = { hotspot: d.lHotspot, establishment: d.lEstablishment, provider: d.lProvider, contacts: d.lContactsLayer, province: d.lProvince };
  // popup builds a popup's content from lines of [label, value].
  const popup = (title, lines) => {
    const box = document.createElement('div');
    box.className = 'map-popup';
    const b = document.createElement('b');
    b.textContent = title;
    box.appendChild(b);
    for (const [label, value] of lines) {
      if (value === undefined || value === null || value === '') continue;
      const line = document.createElement('div');
      line.textContent = label ? `${label}: ${value}` : String(value);
      box.appendChild(line);
    }
    return box;
  };
  const point = (f) => L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
  const load = (url) => fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then((r) => {
    if (!r.ok) throw new Error(String(r.status));
    return r.json();
  });
  const jobs = [];
  if (d.places) {
    jobs.push(load(d.places).then((fc) => {
      for (const f of fc.features) {
        const p = f.properties;
        const layer = p.layer in groups ? p.layer : 'hotspot';
        const lines = [['', p.address]];
        if (layer === 'provider') lines.push([d.lServices, (p.services || []).join(', ')], ['', p.contact], ['', p.opening_hours]);
        else lines.push([d.lContacts, num(p.contacts || 0)], [d.lWorkers, p.estimated_workers ? num(p.estimated_workers) : '']);
        L.circleMarker(point(f), { radius: 6, color: '#fff', weight: 1.5, fillColor: colours[layer], fillOpacity: 0.95 })
          .bindPopup(popup(p.name, lines)).addTo(groups[layer]);
        if (layer !== 'provider' && p.contacts > 0) {
          L.circleMarker(point(f), { radius: 6 + 2.2 * Math.sqrt(p.contacts), color: colours.contacts, weight: 1, fillColor: colours.contacts, fillOpacity: 0.25 })
            .bindPopup(popup(p.name, [[d.lContacts, num(p.contacts)]])).addTo(groups.contacts);
        }
      }
    }));
  }
  if (d.provinces) {
    jobs.push(load(d.provinces).then((fc) => {
      const most = Math.max(1, ...fc.features.map((f) => f.properties.contacts || 0));
      for (const f of fc.features) {
        const p = f.properties;
        const shown = (v, hidden) => (hidden ? d.lHidden : num(v));
        L.circleMarker(point(f), { radius: 5 + 18 * Math.sqrt((p.contacts || 0) / most), color: colours.province, weight: 1.5, fillColor: colours.province, fillOpacity: 0.35 })
          .bindPopup(popup(p.name, [[d.lContacts, shown(p.contacts, p.contacts_suppressed)], [d.lPeople, shown(p.people, p.people_suppressed)]]))
          .bindTooltip(p.name, { direction: 'right', permanent: !d.tiles && fc.features.length <= 40, className: 'map-label' })
          .addTo(groups.province);
      }
    }));
  }
  Promise.all(jobs).then(() => {
    const overlays = {};
    let bounds = null;
    for (const [key, g] of Object.entries(groups)) {
      if (g.getLayers().length === 0) continue;
      overlays[names[key]] = g;
      g.addTo(map);
      const b = g.getBounds();
      if (key !== 'province' || !bounds) bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
    }
    if (Object.keys(overlays).length > 0) L.control.layers(null, overlays, { collapsed: true }).addTo(map);
    if (bounds && bounds.isValid()) map.fitBounds(bounds.pad(0.2), { maxZoom: 13 });
    if (Object.keys(overlays).length === 0 && status) status.textContent = d.lNone;
  }).catch(() => { if (status) status.textContent = d.lError; });
});
