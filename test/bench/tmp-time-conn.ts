import { sumFareRevenue } from '../../apps/agency-node/src/connectors/fare-revenue-sum.js';
const path = process.argv[2];
const dates = process.argv.slice(3);
const routes = new Map<string, number>();
const cellOf = (route: string, hour: number): number => {
  if (hour > 23) return -1;
  let r = routes.get(route);
  if (r === undefined) { if (routes.size >= 2000) return -1; routes.set(route, (r = routes.size)); }
  return r * 24 + hour;
};
const timer = setInterval(() => { const m = process.memoryUsage(); console.log("rss", (m.rss/1e6).toFixed(0), "ab", (m.arrayBuffers/1e6).toFixed(0), "heap", (m.heapUsed/1e6).toFixed(0)); }, 3000);
const t = performance.now();
const cpu0 = process.cpuUsage();
const fast = await sumFareRevenue(path, dates, { total: 500, rows: 8 }, cellOf, 2000 * 24);
const cpu = process.cpuUsage(cpu0);
console.log('rows', fast.rowsRead, fast.rowsUsed, 'wall', ((performance.now() - t) / 1000).toFixed(1), 's cpu', ((cpu.user + cpu.system) / 1e6).toFixed(1), 's sum', fast.values.reduce((a, b) => a + b, 0));
clearInterval(timer);
