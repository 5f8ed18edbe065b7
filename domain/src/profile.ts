/**
 * The unified customer profile: the document in the `customers` index and
 * (without `search`) the answer of `GET /api/v1/customers/{id}`.
 *
 * It is the output of `fold(touchpoints)` (see `fold/index.ts`): a pure,
 * deterministic, order-independent function of the customer's touchpoints.
 */

/** An identifier value with where it was seen. */
export interface IdentityValue {
  /** Normalized value: lower-case email, E.164 phone, normalized number. */
  value: string;
  /** The value as the source system wrote it (the most recent writing). */
  original: string;
  /** False once a newer value of the same kind replaced it in the same source. */
  current: boolean;
  /** Touchpoint keys (`source:id`) that carried it, at most 10. */
  seenIn: string[];
  lastSeenAt: string;
  /** False when the value could not be standardized (e.g. a phone that is not a number). */
  valid: boolean;
}

/** Where a displayed master-data value came from. */
export interface FieldSource {
  source: string;
  /** Touchpoint key (`source:id`). */
  key: string;
  occurredAt: string;
}

/** Master-data fields whose writing is standardized for display, with the original kept, so a tidied value never hides what the source wrote. */
export type OriginalField = 'firstName' | 'lastName' | 'street' | 'postalCode' | 'city' | 'country';

/** A displayed master-data value as its source wrote it. */
export interface OriginalValue {
  /** As the source wrote it (trimmed): `MÜLLER`, `d-80331`, `Deutschland`. */
  original: string;
  /**
   * False when the value could not be standardized (a postal code without its
   * country's form, an unknown country): the profile then shows it as written,
   * flagged, never dropped.
   */
  valid: boolean;
}

/** One identifier and the source records it joined. */
export interface IdentityLinkExplanation {
  /** `email`, `phone`, `cnum` (customer number), `ext` (external id). */
  kind: string;
  /** The normalized value (`anna@example.de`, `+491701234567`, `K102934`, `shop:u-88812`). */
  value: string;
  /** Source records (`source:id`) that carried it, at most 10. */
  records: string[];
  sources: string[];
  /** False for an email or phone the customer no longer uses (former): it still joins the records it was seen in. */
  current: boolean;
}

export interface ProfileQuality {
  emailValid: boolean;
  phoneValid: boolean;
  addressValid: boolean;
  /** Values that could not be standardized, e.g. `email`, `phone`, `postalCode`, `country`. */
  invalid: string[];
  /** Sources that sent at least one invalid value for this customer. */
  invalidSources: string[];
  /** Keys under which suspected duplicates meet: same folded name + birth date (`nb:`), or + postal code and street (`na:`). */
  duplicateKeys: string[];
  /**
   * Blocking keys of probabilistic matching (domain/src/matching): customers
   * sharing one are compared. Absent on profiles folded before matching.
   */
  matchKeys?: string[];
  /** The folded first name, last name and city matching compares, counted for its term frequencies. */
  matchNames?: { first: string | null; last: string | null; city: string | null };
}

export interface ProfileAddress {
  street: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  source: string;
}

export interface OrderSummary {
  key: string;
  orderNumber: string;
  occurredAt: string;
  status: string | null;
  total: number;
  currency: string;
  channel: string | null;
  itemCount: number;
  items: { sku: string | null; name: string | null; category: string | null; quantity: number }[];
  shipping: { carrier: string | null; trackingNumber: string | null; status: string | null } | null;
}

export interface TicketSummary {
  key: string;
  ticketNumber: string;
  subject: string;
  status: string;
  priority: string | null;
  category: string | null;
  channel: string | null;
  complaint: boolean;
  openedAt: string;
  updatedAt: string;
}

export interface NoteSummary {
  key: string;
  text: string;
  author: string | null;
  occurredAt: string;
}

export interface ContractSummary {
  key: string;
  contractNumber: string;
  product: string;
  status: string;
  startDate: string | null;
  endDate: string | null;
  monthlyFee: number | null;
  currency: string | null;
  options: string[];
  cancellationRequestedAt: string | null;
}

export interface ConsentState {
  channel: string;
  purpose: string | null;
  granted: boolean;
  since: string;
  source: string;
}

export interface Kpis {
  lifetimeValue: number;
  currency: string | null;
  orderCount: number;
  averageOrderValue: number | null;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  returnCount: number;
  /** Most recent inbound or outbound contact (call, email, ticket, note excluded). */
  lastContactAt: string | null;
  openTickets: number;
  complaints12m: number;
  activeContracts: number;
  nextContractEnd: string | null;
  monthlyRevenue: number;
  cancellations12m: number;
  lastNps: number | null;
  lastNpsComment: string | null;
  lastCsat: number | null;
  touchpointCount: number;
}

export interface Profile {
  id: string;
  /** Display name: "Anna Schmidt", or the company, or the email. */
  name: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  birthDate: string | null;
  address: ProfileAddress | null;
  /**
   * Per displayed value, the source and touchpoint it came from, so every value can be explained:
   * `firstName`, `lastName`, `company`, `birthDate`, `address`, `segment`,
   * `status`, `language`, `tags`, and per identifier `customerNumber:<as
   * shown>` and `externalId:<source:id>` (the most recent record carrying it).
   */
  fieldSources?: Record<string, FieldSource>;
  /**
   * The original writing beside each standardized master-data value shown
   * (names capitalized, street and city tidied, postal code in its country's
   * form, ISO country); emails and phones keep theirs in `original`.
   */
  originals?: Partial<Record<OriginalField, OriginalValue>>;
  /** Which identifier joined which source records: why these records are one customer. */
  identityLinks?: IdentityLinkExplanation[];
  /** Invalid values flagged, not dropped; keys for suspected duplicates. */
  quality?: ProfileQuality;
  emails: IdentityValue[];
  phones: IdentityValue[];
  customerNumbers: string[];
  /** `source:externalId`. */
  externalIds: string[];
  segment: string | null;
  status: string | null;
  language: string | null;
  tags: string[];
  kpis: Kpis;
  /** Channels the customer used: web, store, phone, app, email, chat, sms, … */
  channels: string[];
  /** Contacts per channel and direction, e.g. {"phone:inbound": 3}. */
  contacts: Record<string, number>;
  products: string[];
  categories: string[];
  preferredSalesChannel: string | null;
  recentOrders: OrderSummary[];
  openTickets: TicketSummary[];
  pinnedNotes: NoteSummary[];
  contracts: ContractSummary[];
  consents: ConsentState[];
  campaigns: Record<string, number>;
  /** Saved segments the customer is a member of. */
  segments: string[];
  /** Flat copy of the granted consents for filters: `email` and `email:newsletter` for a granted email consent with purpose newsletter (purposes lower-cased, however written). */
  consentGranted?: string[];
  /** Priorities of the open tickets, flat for filters. */
  openTicketPriorities?: string[];
  sources: string[];
  mergedFrom: string[];
  firstSeenAt: string;
  lastSeenAt: string;
  /** When this profile was last folded. */
  updatedAt: string;
}

/**
 * Flat, normalized search keys written next to the profile in the `customers`
 * index (never shown): see mappings/customers.json.
 */
export interface ProfileSearchKeys {
  /** Folded full names, all writings seen ("anna schmidt"). */
  names: string[];
  emails: string[];
  /** Local parts and domains of the emails, as words. */
  emailText: string;
  phones: string[];
  /** The last 4..10 digits of every phone. */
  phoneSuffixes: string[];
  /** Normalized customer, order, tracking, ticket and contract numbers and external ids. */
  numbers: string[];
  /** Ticket subjects, product names, categories, company (folded). */
  text: string;
  cities: string[];
  postalCodes: string[];
  streets: string[];
}

export interface CustomerDocument extends Profile {
  search: ProfileSearchKeys;
}

/** One row of a search answer. */
export interface SearchItem {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  city: string | null;
  customerNumber: string | null;
  segment: string | null;
  score: number;
  highlight: Record<string, string[]>;
}

export interface FacetBucket {
  value: string;
  count: number;
}

export interface SearchAnswer {
  total: number;
  tookMs: number;
  items: SearchItem[];
  facets: Record<string, FacetBucket[]>;
}
