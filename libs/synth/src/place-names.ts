/** Street and station names for generated stops and routes (purely decorative). */

const CROSS_STREETS = [
  'Maple',
  'Oak',
  'Cedar',
  'Elm',
  'Pine',
  'Walnut',
  'Chestnut',
  'Willow',
  'Birch',
  'Aspen',
  'Magnolia',
  'Juniper',
  'Sycamore',
  'Hickory',
  'Poplar',
  'Spruce',
  'Laurel',
  'Cypress',
  'Alder',
  'Holly',
];
const SUFFIXES = ['Ave', 'Blvd', 'Rd', 'Dr', 'Ln', 'Pkwy'];
const STATIONS = [
  'Civic Center "Old Town"',
  'Union',
  'Riverside',
  'University',
  'Market',
  'Fairgrounds',
  'Airport',
  'Medical Center',
  'Harbor',
  'Lakeview',
  'Mill Creek',
  'Capitol',
  'Arts District',
  'Stadium',
  'Heights',
  'Junction',
  'Park & Ride',
  'Westgate',
  'Eastgate',
  'Northgate',
  'Southgate',
  'Foundry',
  'Depot',
  'Crossroads',
];
const COMPASS = [
  'East',
  'Northeast',
  'North',
  'Northwest',
  'West',
  'Southwest',
  'South',
  'Southeast',
];

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** "E 5th St & N Maple Ave" for lattice cell (ix, iy). */
export function intersectionName(ix: number, iy: number): string {
  const ns = `${ix >= 0 ? 'E' : 'W'} ${ordinal(Math.abs(ix) + 1)} St`;
  const k = Math.abs(iy);
  const ew = `${iy >= 0 ? 'N' : 'S'} ${CROSS_STREETS[k % CROSS_STREETS.length]} ${
    SUFFIXES[Math.floor(k / CROSS_STREETS.length) % SUFFIXES.length]
  }`;
  return `${ns} & ${ew}`;
}

export function stationName(line: number, station: number): string {
  const base = STATIONS[station % STATIONS.length];
  const cycle = Math.floor(station / STATIONS.length);
  const suffix = cycle > 0 ? ` ${cycle + 1}` : '';
  return line === 0 ? `${base}${suffix} Station` : `${base}${suffix} Station (Line ${line + 1})`;
}

/** Compass word for an angle in radians (0 = east, counter-clockwise). */
export function compassName(angle: number): string {
  const sector = Math.round(((angle % (2 * Math.PI)) + 2 * Math.PI) / (Math.PI / 4)) % 8;
  return COMPASS[sector];
}

export const RAIL_LINE_COLOURS = ['Red', 'Blue', 'Green', 'Orange', 'Silver', 'Gold', 'Purple'];
