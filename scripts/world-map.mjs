// SPDX-License-Identifier: AGPL-3.0-or-later
// Converts Natural Earth's 1:110m countries (npm world-atlas, public domain)
// once into the two files the network's map is drawn from (web/map.c):
//   static/world-110m.svg       the land, projected (equirectangular, SCALE
//                               units a degree), served once and cached;
//   data/world-centroids.json   per ISO 3166 numeric code, the centroid of the
//                               country's largest part in the same units: where
//                               a city without coordinates is placed (and said so).
// Run from the repository root after `npm ci` in tests/browser:
//   node scripts/world-map.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/browser/', import.meta.url));
const { feature } = require('topojson-client');
const { geoCentroid, geoArea, geoEquirectangular, geoPath } = require('d3-geo');
const atlasPath = require.resolve('world-atlas/countries-110m.json');
const atlasVersion = JSON.parse(readFileSync(require.resolve('world-atlas/package.json'))).version;

// The map shows latitudes 84 N to 58 S: Antarctica and the empty far south are
// left out, which keeps the picture on the inhabited world.
const SCALE = 2.5; // SVG units per degree
const NORTH = 84;
const SOUTH = -58;
const W = 360 * SCALE;
const H = (NORTH - SOUTH) * SCALE;
const r1 = (v) => Math.round(v * 10) / 10;

const topo = JSON.parse(readFileSync(atlasPath));
const countries = feature(topo, topo.objects.countries).features;

// d3-geo projects and cuts at the antimeridian (Fiji, Chukotka) and at the band's edges.
const projection = geoEquirectangular()
  .scale((SCALE * 180) / Math.PI)
  .translate([180 * SCALE, NORTH * SCALE])
  .clipExtent([[0, 0], [W, H]]);
const path = geoPath(projection).digits(1);

const out = [];
for (const f of countries) {
  if (f.id === undefined || f.id === '010') continue; // no code; Antarctica
  const d = path(f);
  if (!d) continue;
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  // The centroid of the largest part: France's is in France, not in the Atlantic
  // between it and French Guiana.
  let best = null;
  for (const poly of polys) {
    const g = { type: 'Polygon', coordinates: poly };
    const a = geoArea(g);
    if (!best || a > best.a) best = { a, c: geoCentroid(g) };
  }
  const [cx, cy] = projection(best.c);
  out.push({ numeric: Number(f.id), name: f.properties.name, d, cx: r1(cx), cy: r1(cy) });
}
out.sort((a, b) => a.numeric - b.numeric);
const source = `Natural Earth 1:110m Admin 0 countries (public domain), through npm world-atlas ${atlasVersion}; converted by scripts/world-map.mjs`;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">` +
  `<!-- ${source} -->` +
  `<path fill="#cdd6da" stroke="#ffffff" stroke-width="0.6" stroke-linejoin="round" d="${out.map((c) => c.d).join('')}"/></svg>\n`;
writeFileSync('static/world-110m.svg', svg);
const centroids = {
  source, projection: 'equirectangular', scale: SCALE, north: NORTH, south: SOUTH, width: W, height: H,
  countries: Object.fromEntries(out.map((c) => [String(c.numeric), [c.cx, c.cy]])),
};
writeFileSync('data/world-centroids.json', JSON.stringify(centroids) + '\n');
console.log(`static/world-110m.svg: ${svg.length} bytes; data/world-centroids.json: ${out.length} countries`);
