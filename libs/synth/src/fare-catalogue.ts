import {
  type FareMediaRecord,
  type FareProductRecord,
  type RiderCategoryRecord,
} from './city-records.js';
import { type FareParams } from './params.js';

export type RiderCategory = 'adult' | 'reduced' | 'youth' | 'low_income';

export type FareMediaId = 'cash' | 'agency_card' | 'cemv' | 'mobile' | 'limited_use_paper';

/** Product ids; single rides are pay-as-you-go, passes make later taps free. */
export type FareProductId =
  | 'adult_single'
  | 'reduced_single'
  | 'youth_single'
  | 'low_income_single'
  | 'adult_day_pass'
  | 'adult_7_day_pass'
  | 'adult_30_day_pass'
  | 'reduced_30_day_pass';

export const FARE_MEDIA: readonly FareMediaRecord[] = [
  { fareMediaId: 'cash', fareMediaName: 'Cash', fareMediaType: 0 },
  { fareMediaId: 'limited_use_paper', fareMediaName: 'Limited-use paper ticket', fareMediaType: 1 },
  { fareMediaId: 'agency_card', fareMediaName: 'Concord Card', fareMediaType: 2 },
  { fareMediaId: 'cemv', fareMediaName: 'Contactless bank card', fareMediaType: 3 },
  { fareMediaId: 'mobile', fareMediaName: 'Concord Mobile', fareMediaType: 4 },
];

export const RIDER_CATEGORIES: readonly RiderCategoryRecord[] = [
  { riderCategoryId: 'adult', riderCategoryName: 'Adult', isDefaultFareCategory: 1 },
  { riderCategoryId: 'reduced', riderCategoryName: 'Senior / disabled', isDefaultFareCategory: 0 },
  { riderCategoryId: 'youth', riderCategoryName: 'Youth', isDefaultFareCategory: 0 },
  { riderCategoryId: 'low_income', riderCategoryName: 'Low income', isDefaultFareCategory: 0 },
];

interface ProductSpec {
  id: FareProductId;
  name: string;
  category: RiderCategory;
  /** Price as a multiple of the base fare. */
  multiple: number;
  media: FareMediaId[];
  pass: boolean;
}

const PRODUCTS: readonly ProductSpec[] = [
  {
    id: 'adult_single',
    name: 'Adult single ride',
    category: 'adult',
    multiple: 1,
    media: ['cash', 'limited_use_paper', 'agency_card', 'cemv', 'mobile'],
    pass: false,
  },
  {
    id: 'reduced_single',
    name: 'Reduced single ride',
    category: 'reduced',
    multiple: 0.5,
    media: ['agency_card', 'mobile'],
    pass: false,
  },
  {
    id: 'youth_single',
    name: 'Youth single ride',
    category: 'youth',
    multiple: 0.5,
    media: ['agency_card', 'mobile'],
    pass: false,
  },
  {
    id: 'low_income_single',
    name: 'Low-income single ride',
    category: 'low_income',
    multiple: 0.5,
    media: ['agency_card', 'mobile'],
    pass: false,
  },
  {
    id: 'adult_day_pass',
    name: 'Adult day pass',
    category: 'adult',
    multiple: 2.5,
    media: ['agency_card', 'mobile'],
    pass: true,
  },
  {
    id: 'adult_7_day_pass',
    name: 'Adult 7-day pass',
    category: 'adult',
    multiple: 11,
    media: ['agency_card', 'mobile'],
    pass: true,
  },
  {
    id: 'adult_30_day_pass',
    name: 'Adult 30-day pass',
    category: 'adult',
    multiple: 36,
    media: ['agency_card', 'mobile'],
    pass: true,
  },
  {
    id: 'reduced_30_day_pass',
    name: 'Reduced 30-day pass',
    category: 'reduced',
    multiple: 18,
    media: ['agency_card', 'mobile'],
    pass: true,
  },
];

/** Every product id, in catalogue order. */
export const FARE_PRODUCT_IDS: readonly FareProductId[] = PRODUCTS.map((p) => p.id);

/** GTFS-Fares v2 fare_products rows: one per (product, medium). */
export function fareProductRecords(fares: FareParams): FareProductRecord[] {
  return PRODUCTS.flatMap((p) =>
    p.media.map((m) => ({
      fareProductId: p.id,
      fareProductName: p.name,
      riderCategoryId: p.category,
      fareMediaId: m,
      amountCents: Math.round(fares.baseCents * p.multiple),
    })),
  );
}

export function isPassProduct(id: FareProductId): boolean {
  return PRODUCTS.find((p) => p.id === id)?.pass ?? false;
}

/** The single-ride fare of a category (what a pay-as-you-go tap costs before transfers/caps). */
export function singleFareCents(fares: FareParams, category: RiderCategory): number {
  return category === 'adult'
    ? fares.baseCents
    : Math.round(fares.baseCents * fares.concessionFactor);
}

export function singleProductOf(category: RiderCategory): FareProductId {
  return `${category}_single` as FareProductId;
}
