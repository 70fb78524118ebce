export { type CalibrationCheck, type CalibrationReport, calibrateCity } from './calibration.js';
export { type CityBase } from './city-base.js';
export { type CityFacts, cityFacts } from './city-facts.js';
export {
  type AgencyRecord,
  type BoardAlightRecord,
  type CalendarDateRecord,
  type CalendarRecord,
  type EnrolmentRecord,
  type FareAction,
  type FareMediaRecord,
  type FareProductRecord,
  type FareTransactionRecord,
  type RiderCategoryRecord,
  type RiderKind,
  type RouteCostRecord,
  type RouteKind,
  type RouteRecord,
  type StopEquityRecord,
  type StopPattern,
  type StopRecord,
  type StopZoneRecord,
  type TripRecord,
  type TrueLeg,
  type ZoneRecord,
} from './city-records.js';
export {
  type CityStreamChunk,
  type StreamCityOptions,
  streamBase,
  streamCityDays,
} from './city-stream.js';
export {
  type City,
  type GenerateCityOptions,
  type GroundTruth,
  type PaymentsData,
  type PlanningData,
  type TransitData,
  generateCity,
} from './city.js';
export {
  CSV_LINE_END,
  CsvFileWriter,
  type CsvValue,
  type WrittenFile,
  csvField,
  csvLine,
  formatCents,
} from './csv.js';
export {
  type EnrolmentContext,
  MAX_TOKENS_PER_ENROLLEE,
  enrolledTokensOf,
  enrolmentRecords,
} from './enrolment.js';
export { ENROLMENT_RANGES, type EnrolmentOverlap, enrolmentOverlap } from './enrolment-overlap.js';
export { UNKNOWN_ROUTE_ID } from './fare-engine.js';
export {
  AGENCY_HEADER,
  BOARD_ALIGHT_HEADER,
  CALENDAR_DATES_HEADER,
  CALENDAR_HEADER,
  ENROLMENT_HEADER,
  FARE_MEDIA_HEADER,
  FARE_PRODUCTS_HEADER,
  FARE_TRANSACTIONS_HEADER,
  LODES_WAC_HEADER,
  RIDER_CATEGORIES_HEADER,
  ROUTE_COSTS_HEADER,
  ROUTES_HEADER,
  STOP_EQUITY_HEADER,
  STOP_TIMES_HEADER,
  STOP_ZONE_HEADER,
  STOPS_HEADER,
  TRIPS_HEADER,
  ZONES_HEADER,
  boardAlightRow,
  fareTransactionRow,
} from './file-schemas.js';
export {
  type CityManifest,
  MANIFEST_FORMAT,
  type ManifestFile,
  type ManifestSource,
} from './manifest.js';
export {
  type FareCappingImpactParams,
  type FareCappingImpactResult,
  fareCappingImpactOracle,
} from './oracle-fare-capping.js';
export { type OracleCity } from './oracle-inputs.js';
export { type JoinOracleCity } from './oracle-join-inputs.js';
export {
  type EnrolledOdFlowsParams,
  type EnrolledOdFlowsResult,
  allRidersOdFlowsOracle,
  enrolledOdFlowsOracle,
} from './oracle-od-flows.js';
export {
  type ReducedFareUseCells,
  type ReducedFareUseParams,
  type ReducedFareUseResult,
  reducedFareUseOracle,
} from './oracle-reduced-fare.js';
export {
  type RevenuePerBoardingParams,
  type RevenuePerBoardingResult,
  revenuePerBoardingOracle,
} from './oracle-revenue.js';
export {
  type RidershipPerCapitaParams,
  type RidershipPerCapitaResult,
  ridershipPerCapitaOracle,
} from './oracle-ridership.js';
export {
  EQUITY_GROUPS,
  type EquityGroup,
  type TitleViFareEquityParams,
  type TitleViFareEquityResult,
  titleViFareEquityOracle,
} from './oracle-title-vi.js';
export { type TransfersParams, type TransfersResult, transfersOracle } from './oracle-transfers.js';
export { paramsHash } from './params-hash.js';
export {
  type CityParams,
  type DemandParams,
  type EnrolmentParams,
  type FareParams,
  type HeadwayBands,
  type NetworkParams,
  type NoiseParams,
  type ParamOverrides,
  type RailLineParams,
  type RiderTypeParams,
  SCALE_NAMES,
  type ScaleName,
  WEEKDAY_PROFILE,
  WEEKEND_PROFILE,
  type ZoneParams,
  defaultParams,
  resolveParams,
} from './params.js';
export { zoneEquityFlags } from './planning-views.js';
export { Prng } from './prng.js';
export { type CitySeed, type Party, normalizeSeed, substream } from './substream.js';
export { SynthError, type SynthErrorCode } from './synth-error.js';
export {
  AGENCY_FOLDERS,
  type FileWritten,
  type WriteCityOptions,
  writeCity,
} from './write-city.js';
export { type StreamWriteProgress, writeCityStream } from './write-city-stream.js';
export { writeCityStreamParallel } from './write-city-parallel.js';
