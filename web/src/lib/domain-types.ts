/**
 * The shared contract types, re-exported for the web app from one place.
 * Type-only: nothing from `domain/` (zod, normalization) enters the bundle.
 */
export type {
  Profile,
  IdentityValue,
  FieldSource,
  IdentityLinkExplanation,
  OriginalField,
  OriginalValue,
  OrderSummary,
  TicketSummary,
  NoteSummary,
  ContractSummary,
  ConsentState,
  Kpis,
  SearchItem,
  SearchAnswer,
  FacetBucket,
} from '../../../domain/src/profile';
export type {
  Role,
  LoginAnswer,
  MeAnswer,
  TimelineAnswer,
  IngestStatus,
  DashboardAnswer,
  ErrorBody,
  DataQualityAnswer,
  DuplicateSide,
  SuspectedDuplicate,
  DuplicateStatus,
  DuplicatesPage,
  DuplicateDecisionResult,
  IdentityAction,
  ComparedField,
  MatchExplanation,
  MatchingStatus,
  MatchRunView,
} from '../../../domain/src/api';
export type { MatchField } from '../../../domain/src/matching';
export type { StoredTouchpoint, TouchpointType } from '../../../domain/src/contract';
