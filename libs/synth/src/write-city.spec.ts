import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { cityFacts } from './city-facts.js';
import { generateCity } from './city.js';
import { FARE_TRANSACTIONS_HEADER, ZONES_HEADER } from './file-schemas.js';
import { writeCity } from './write-city.js';

const root = mkdtempSync(join(tmpdir(), 'synth-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const city = generateCity({ seed: 7, scale: 'small' });
const outA = join(root, 'a');
const manifest = writeCity(city, outA);

const read = (relative: string): Buffer => readFileSync(join(outA, relative));
const header = (relative: string): string => read(relative).toString('utf8').split('\r\n')[0];

describe('writeCity', () => {
  it('writes one folder per agency plus the public feed and a manifest', () => {
    expect(readdirSync(outA).sort()).toEqual([
      'manifest.json',
      'payments',
      'planning',
      'public',
      'transit',
    ]);
    expect(readdirSync(join(outA, 'transit')).sort()).toEqual([
      'agency.txt',
      'board_alight.txt',
      'calendar.txt',
      'calendar_dates.txt',
      'fare_media.txt',
      'fare_products.txt',
      'rider_categories.txt',
      'route_costs.csv',
      'routes.txt',
      'stop_times.txt',
      'stops.txt',
      'trips.txt',
    ]);
    expect(readdirSync(join(outA, 'payments'))).toEqual(['fare_transactions.csv']);
    expect(readdirSync(join(outA, 'planning')).sort()).toEqual([
      'enrolment.csv',
      'lodes_wac.csv',
      'stop_equity.csv',
      'stop_zone.csv',
      'zones.csv',
    ]);
    expect(readdirSync(join(outA, 'public')).sort()).toEqual([
      'fare_products.txt',
      'routes.txt',
      'stop_zone.csv',
      'stops.txt',
      'zones.csv',
    ]);
  });

  it('uses the specified headers', () => {
    expect(header('payments/fare_transactions.csv')).toBe(
      'transaction_id,service_date,event_timestamp,token_id,fare_action,stop_id,route_id,vehicle_id,device_id,amount,nominal_amount,fare_product,rider_category,fare_media,fare_capped,transfer_flag,balance',
    );
    expect(header('payments/fare_transactions.csv')).toBe(FARE_TRANSACTIONS_HEADER.join(','));
    expect(header('transit/board_alight.txt')).toBe(
      'trip_id,stop_id,stop_sequence,record_use,schedule_relationship,boardings,alightings,current_load,load_type,service_date,service_arrival_time,service_departure_time,source',
    );
    expect(header('planning/zones.csv')).toBe(
      'GEOID,B01003_001E,B19013_001E,B03002_001E,B03002_003E,C17002_001E,C17002_002E,C17002_003E,C17002_004E,C17002_005E,C17002_006E,C17002_007E,C17002_008E,B08201_002E,B08301_010E',
    );
    expect(header('planning/zones.csv')).toBe(ZONES_HEADER.join(','));
    expect(header('planning/stop_zone.csv')).toBe('stop_id,GEOID');
    expect(header('public/stop_zone.csv')).toBe('stop_id,GEOID');
    // The public geographies carry the zone ids only; the ACS estimates stay planning's.
    expect(read('public/zones.csv').toString('utf8').split('\r\n')).toEqual([
      'GEOID',
      ...city.planning.zones.map((z) => z.geoid),
      '',
    ]);
    expect(header('planning/stop_equity.csv')).toBe('stop_id,low_income,minority');
    expect(header('planning/enrolment.csv')).toBe('token_id,home_geoid,income_band');
    expect(header('transit/route_costs.csv')).toBe('route_id,revenue_hours,cost_per_rev_hour');
    expect(header('transit/stops.txt')).toBe(
      'stop_id,stop_code,stop_name,stop_lat,stop_lon,zone_id,location_type,parent_station',
    );
    expect(
      header('transit/stop_times.txt').startsWith(
        'trip_id,arrival_time,departure_time,stop_id,stop_sequence',
      ),
    ).toBe(true);
  });

  it('records every file in the manifest with its real hash, size and row count', () => {
    const onDisk = JSON.parse(read('manifest.json').toString('utf8')) as typeof manifest;
    expect(onDisk).toEqual(manifest);
    expect(manifest.seed).toBe('7');
    expect(manifest.scale).toBe('small');
    expect(manifest.paramsHash).toMatch(/^[0-9a-f]{64}$/);
    const facts = cityFacts(city);
    expect(Object.keys(manifest.files)).toEqual(Object.keys(facts.rows).sort());
    for (const [name, f] of Object.entries(manifest.files)) {
      const bytes = read(name);
      expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(f.bytes).toBe(bytes.length);
      expect(f.rows).toBe(facts.rows[name]);
    }
    expect(manifest.files['public/stops.txt'].sha256).toBe(
      manifest.files['transit/stops.txt'].sha256,
    );
    expect(manifest.files['public/stop_zone.csv'].sha256).toBe(
      manifest.files['planning/stop_zone.csv'].sha256,
    );
  });

  it('parses back (RFC 4180) to exactly the records', () => {
    const rows = parse<Record<string, string>>(read('payments/fare_transactions.csv'), {
      columns: true,
    });
    expect(rows).toHaveLength(city.payments.fareTransactions.length);
    city.payments.fareTransactions.forEach((tx, i) => {
      const r = rows[i];
      expect(r.transaction_id).toBe(tx.transactionId);
      expect(r.event_timestamp).toBe(tx.eventTimestamp);
      expect(r.event_timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      expect(r.service_date).toMatch(/^\d{8}$/);
      expect(r.amount).toMatch(/^\d+\.\d{2}$/);
      expect(Math.round(Number(r.amount) * 100)).toBe(tx.amountCents);
      expect(['tap-on', 'tap-off', 'denied']).toContain(r.fare_action);
      if (r.fare_action === 'denied') expect(r.amount).toBe('0.00');
    });
    const stops = parse<Record<string, string>>(read('transit/stops.txt'), { columns: true });
    expect(stops.map((s) => s.stop_name)).toEqual(city.transit.stops.map((s) => s.stopName));
    const quoted = read('transit/stops.txt').toString('utf8');
    expect(quoted).toContain('"Civic Center ""Old Town"" Station"');
  });

  it('is byte-for-byte deterministic per seed, and differs across seeds', () => {
    const again = writeCity(generateCity({ seed: 7, scale: 'small' }), join(root, 'b'));
    expect(again).toEqual(manifest);
    const other = writeCity(generateCity({ seed: 8, scale: 'small' }), join(root, 'c'));
    expect(other.paramsHash).toBe(manifest.paramsHash);
    expect(other.files['payments/fare_transactions.csv'].sha256).not.toBe(
      manifest.files['payments/fare_transactions.csv'].sha256,
    );
    expect(other.files['planning/zones.csv'].sha256).not.toBe(
      manifest.files['planning/zones.csv'].sha256,
    );
  });

  it('changes the parameter hash when a parameter changes', () => {
    const tweaked = generateCity({
      seed: 7,
      scale: 'small',
      params: { fares: { baseCents: 250 } },
    });
    expect(tweaked.paramsHash).not.toBe(city.paramsHash);
  });
});
