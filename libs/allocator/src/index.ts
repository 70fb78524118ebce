export { HUGE_PAGE_TUNABLE, withAllocatorTunables } from './allocator-tunables.js';
export {
  currentHugePageStatus,
  type HugePageFacts,
  type HugePageStatus,
  hugePageStatus,
  logHugePageStatus,
} from './huge-page-status.js';
