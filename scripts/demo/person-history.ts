/**
 * Writes the three-year history of one demo person as touchpoints of every
 * source system, with the inconsistencies real systems have: the shop knows an
 * e-mail but no customer number, the helpdesk only a phone number written its
 * own way, orders arrive as several versions, a few records are deleted or
 * delivered twice.
 */
import type { Address, CustomerRef, Touchpoint } from '../../domain/src/contract';
import { DAY, HISTORY_MS, HOUR, MINUTE } from './demo-person';
import type { DemoPerson, TimedValue } from './demo-person';
import {
  abbreviateStreet,
  hasUmlaut,
  phoneE164,
  transliterate,
  writeEmail,
  writePhone,
} from './identity-writings';
import type { DemoPhone } from './identity-writings';
import { catalogue, contractProducts, productsByCategory } from './product-catalogue';
import type { CatalogueProduct, ContractProduct } from './product-catalogue';
import type { SeededRandom } from './seeded-random';
import {
  agents,
  appointmentSubjects,
  callReasons,
  inboundMails,
  inboundOutcomes,
  outboundMails,
  outboundOutcomes,
  pinnedNotes,
  plainNotes,
  surveyComments,
  ticketTopics,
} from './service-texts';
import type { DemoCampaign, TicketTopic } from './service-texts';

/**
 * Running numbers shared by all persons of one generation run, so order,
 * ticket and contract numbers are unique and grow like in real systems.
 */
export interface DemoCounters {
  order: number;
  ticket: number;
  contract: number;
  note: number;
  appointment: number;
  consent: number;
  survey: number;
}

export function createCounters(): DemoCounters {
  return {
    order: 100_000,
    ticket: 480_000,
    contract: 0,
    note: 10_000,
    appointment: 5_000,
    consent: 1_000,
    survey: 20_000,
  };
}

export interface HistoryContext {
  now: number;
  campaigns: readonly DemoCampaign[];
  counters: DemoCounters;
}

type OrderStatus = 'placed' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'returned';
type TicketStatus = 'open' | 'pending' | 'solved' | 'closed';

interface OrderFact {
  orderNumber: string;
  placedAt: number;
  channel: 'web' | 'store' | 'phone' | 'app';
  /** When the parcel went missing, if it did. */
  lostAt: number | null;
  shippedAt: number | null;
  trackingNumber: string | null;
  carrier: string | null;
}

interface ContractFact {
  contractNumber: string;
  product: ContractProduct;
  startAt: number;
  cancellationRequestedAt: number | null;
}

interface Step<T> {
  at: number;
  data: T;
}

const CARRIERS_BY_COUNTRY: Record<string, readonly (readonly [string, number])[]> = {
  DE: [
    ['DHL', 45],
    ['DPD', 15],
    ['Hermes', 20],
    ['UPS', 8],
    ['GLS', 12],
  ],
  AT: [
    ['Post.at', 50],
    ['DPD', 20],
    ['GLS', 15],
    ['DHL', 15],
  ],
  CH: [
    ['Swiss Post', 70],
    ['DPD', 15],
    ['DHL', 15],
  ],
};
const INTERNATIONAL_CARRIERS: readonly (readonly [string, number])[] = [
  ['UPS', 50],
  ['DHL', 50],
];

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** ISO-8601 in UTC without milliseconds, e.g. `2025-03-01T09:12:44Z`. */
export function isoTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function addMonths(ms: number, months: number): number {
  const date = new Date(ms);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.getTime();
}

function valueAt<T>(timeline: readonly TimedValue<T>[], at: number): T {
  let current = timeline[0].value;
  for (const entry of timeline) if (entry.validFrom <= at) current = entry.value;
  return current;
}

/** Builds the touchpoints of one person; use once per person. */
export class PersonHistory {
  private readonly emissions: { at: number; seq: number; touchpoint: Touchpoint }[] = [];
  private readonly now: number;
  private readonly tenure: number;
  /** Whether some touchpoint ties the mobile number to a stronger identity, so phone-only records can be resolved. */
  private mobileAnchored = false;
  private readonly orders: OrderFact[] = [];
  private readonly contracts: ContractFact[] = [];
  private complaints = 0;
  private emailConsent: { grantedAt: number; revokedAt: number | null } | null = null;
  private postConsent = false;
  private webSessions = 0;
  /** Visitor id of people without a shop account; drawn on their first session. */
  private webVisitorId: string | null = null;

  constructor(
    private readonly person: DemoPerson,
    private readonly rng: SeededRandom,
    private readonly context: HistoryContext,
  ) {
    this.now = context.now;
    // Share of the three-year window the person has been around: scales every count.
    this.tenure = Math.max(0.02, (context.now - person.since) / HISTORY_MS);
    // The CRM profile always carries the mobile number, whenever it is written.
    this.mobileAnchored = person.customerNumber !== null;
  }

  /** All touchpoints of the person, in the order a source system would deliver them. */
  build(): Touchpoint[] {
    this.writeContracts();
    this.writeOrders();
    this.writeTickets();
    this.writeCalls();
    this.writeMails();
    this.writeMarketing();
    this.writeWebSessions();
    this.writeSurveys();
    this.writeNotesAndAppointments();
    this.writeProfile();
    // Everyone left at least one trace, or they would not be in the demo at all.
    if (this.emissions.length === 0) this.writeWebSession(this.randomTime(), false);
    this.emissions.sort((a, b) => a.at - b.at || a.seq - b.seq);
    return this.emissions.map((e) => e.touchpoint);
  }

  // ── helpers ────────────────────────────────────────────────────────────

  private emit(at: number, touchpoint: Touchpoint): void {
    this.emissions.push({ at, seq: this.emissions.length, touchpoint });
  }

  private randomTime(from = this.person.since, to = this.now): number {
    return this.rng.float(
      Math.max(from, this.person.since),
      Math.max(Math.max(from, this.person.since), to),
    );
  }

  private count(perThreeYears: number): number {
    return this.rng.poisson(perThreeYears * this.person.activity * this.tenure);
  }

  private emailAt(at: number): string {
    return valueAt(this.person.emails, at);
  }

  private addressAt(at: number): Address {
    return valueAt(this.person.addresses, at);
  }

  private phone(phone: DemoPhone, addressCountry: string | null): string {
    return writePhone(this.rng, phone, addressCountry);
  }

  /**
   * Writings for one record: a system keeps what it stored across the
   * versions of a record and only rewrites a field when its value changes.
   */
  private recordWriter(): {
    email: (email: string) => string;
    phone: (phone: DemoPhone, addressCountry: string | null) => string;
  } {
    const cache = new Map<string, string>();
    const remember = (key: string, write: () => string): string => {
      let written = cache.get(key);
      if (written === undefined) {
        written = write();
        cache.set(key, written);
      }
      return written;
    };
    return {
      email: (email) => remember(`email:${email}`, () => writeEmail(this.rng, email)),
      phone: (phone, country) =>
        remember(`phone:${phoneE164(phone)}:${country}`, () => this.phone(phone, country)),
    };
  }

  /** The name as the shop stores it: some shops cannot keep umlauts. */
  private shopName(name: string): string {
    return this.person.shopTransliterates && hasUmlaut(name) ? transliterate(name) : name;
  }

  /** Phone-only records are written only once the number is tied to the person elsewhere. */
  private phoneOnlyAllowed(): boolean {
    return this.mobileAnchored;
  }

  private pickCarrier(): string {
    return this.rng.weighted(CARRIERS_BY_COUNTRY[this.person.country] ?? INTERNATIONAL_CARRIERS);
  }

  private trackingNumber(carrier: string): string {
    const r = this.rng;
    switch (carrier) {
      case 'DHL':
        return `00340434${r.digits(12)}`;
      case 'DPD':
        return `0${r.digits(13)}`;
      case 'Hermes':
        return `H10${r.digits(17)}`;
      case 'UPS':
        return `1Z${r.nextUint32().toString(36).toUpperCase().padStart(6, '0').slice(0, 6)}${r.digits(10)}`;
      case 'GLS':
        return r.digits(12);
      case 'Post.at':
        return `10${r.digits(20)}`;
      default:
        return `99.${r.digits(2)}.${r.digits(6)}.${r.digits(8)}`;
    }
  }

  /**
   * Emits the steps of a record that changes over time as versions of the
   * same (source, id). Some systems send every change, others only a nightly
   * snapshot of the latest state, so `fullHistory` decides which.
   */
  private emitVersions<T>(
    steps: Step<T>[],
    fullHistory: boolean,
    make: (step: Step<T>, version: number) => Touchpoint,
  ): Touchpoint | null {
    const visible = steps.filter((s) => s.at <= this.now);
    if (visible.length === 0) return null;
    let last: Touchpoint | null = null;
    for (let i = fullHistory ? 0 : visible.length - 1; i < visible.length; i++) {
      last = make(visible[i], i + 1);
      this.emit(visible[i].at, last);
    }
    return last;
  }

  /** At-least-once delivery: a few records arrive twice, or an old version arrives late. */
  private maybeRedeliver(touchpoint: Touchpoint, at: number): void {
    if (this.rng.chance(0.015)) this.emit(Math.min(this.now, at + HOUR), { ...touchpoint });
  }

  private maybeDelete(touchpoint: Touchpoint, at: number, probability: number): void {
    if (!this.rng.chance(probability)) return;
    const deletedAt = at + this.rng.float(1, 20) * DAY;
    if (deletedAt > this.now) return;
    this.emit(deletedAt, {
      source: touchpoint.source,
      id: touchpoint.id,
      type: touchpoint.type,
      occurredAt: isoTime(deletedAt),
      version: (touchpoint.version ?? 0) + 1,
      deleted: true,
      customer: touchpoint.customer,
      data: {},
    });
  }

  // ── billing ────────────────────────────────────────────────────────────

  private writeContracts(): void {
    const p = this.person;
    if (!p.hasContracts || !p.customerNumber) return;
    const count = 1 + (this.rng.chance(0.35) ? 1 : 0) + (p.company && this.rng.chance(0.4) ? 1 : 0);
    const products = this.rng.sample(contractProducts, count);
    for (const product of products) {
      const startAt = this.randomTime(p.since, this.now - DAY);
      const year = new Date(startAt).getUTCFullYear();
      const contractNumber = `V-${year}-${String(++this.context.counters.contract).padStart(6, '0')}`;
      const fact: ContractFact = {
        contractNumber,
        product,
        startAt,
        cancellationRequestedAt: null,
      };
      this.contracts.push(fact);

      interface ContractState {
        status: 'active' | 'cancelled' | 'expired';
        options: string[];
        endAt: number;
        cancellationRequestedAt: number | null;
      }
      const options = this.rng
        .sample(product.options, this.rng.int(0, Math.min(2, product.options.length)))
        .map((o) => o.name);
      const fixedTerm = this.rng.chance(0.05);
      let endAt = addMonths(startAt, product.termMonths);
      // Contracts renew by a year unless cancelled: spreads end dates over the coming year.
      if (!fixedTerm) while (endAt <= this.now) endAt = addMonths(endAt, 12);
      const steps: Step<ContractState>[] = [
        { at: startAt, data: { status: 'active', options, endAt, cancellationRequestedAt: null } },
      ];

      if (this.rng.chance(0.3) && options.length < product.options.length) {
        const added = product.options.find((o) => !options.includes(o.name));
        const at = this.randomTime(startAt + 20 * DAY, this.now);
        if (added && at > startAt)
          steps.push({ at, data: { ...steps[0].data, options: [...options, added.name] } });
      }
      const latest = (): ContractState => steps[steps.length - 1].data;
      if (fixedTerm && endAt <= this.now) {
        steps.push({ at: endAt, data: { ...latest(), status: 'expired' } });
      } else if (this.now - startAt > 45 * DAY && this.rng.chance(0.18)) {
        const requestedAt = this.randomTime(startAt + 30 * DAY, this.now);
        // Three months' notice to the end of a term year.
        let effective = addMonths(startAt, product.termMonths);
        while (effective < requestedAt + 90 * DAY) effective = addMonths(effective, 12);
        fact.cancellationRequestedAt = requestedAt;
        steps.push({
          at: requestedAt,
          data: { ...latest(), endAt: effective, cancellationRequestedAt: requestedAt },
        });
        steps.push({ at: effective, data: { ...latest(), status: 'cancelled' } });
      }
      steps.sort((a, b) => a.at - b.at);

      const phone = p.landline ?? p.mobile;
      const withEmail = this.rng.chance(0.4);
      const writer = this.recordWriter();
      const last = this.emitVersions(steps, true, (step, version) => {
        const address = this.addressAt(step.at);
        const fee =
          product.monthlyFee +
          product.options
            .filter((o) => step.data.options.includes(o.name))
            .reduce((sum, o) => sum + o.monthlyFee, 0);
        return {
          source: 'billing',
          id: contractNumber,
          type: 'contract',
          occurredAt: isoTime(step.at),
          version,
          customer: {
            customerNumber: p.customerNumber,
            firstName: p.firstName,
            lastName: p.lastName,
            company: p.company,
            email: withEmail ? writer.email(this.emailAt(step.at)) : null,
            phone: writer.phone(phone, address.country ?? null),
            address,
          },
          data: {
            contractNumber,
            product: product.product,
            status: step.data.status,
            startDate: isoDay(startAt),
            endDate: isoDay(step.data.endAt),
            monthlyFee: round2(fee),
            currency: p.currency,
            options: step.data.options,
            cancellationRequestedAt:
              step.data.cancellationRequestedAt === null
                ? null
                : isoTime(step.data.cancellationRequestedAt),
          },
        };
      });
      if (last && phone === p.mobile) this.mobileAnchored = true;
    }
  }

  // ── shop ───────────────────────────────────────────────────────────────

  private pickProduct(): CatalogueProduct {
    if (this.rng.chance(0.6)) {
      const products = productsByCategory.get(this.rng.pick(this.person.favouriteCategories));
      if (products && products.length > 0) return this.rng.pick(products);
    }
    return this.rng.pick(catalogue);
  }

  private writeOrders(): void {
    const p = this.person;
    if (p.shopRole === 'none') return;
    const count = 1 + this.count(p.shopRole === 'account' ? 5 : 1.2);
    const times: number[] = [];
    // An account is usually opened with the first purchase.
    times.push(
      p.shopRole === 'account'
        ? Math.min(this.now - HOUR, p.since + this.rng.float(0, 3) * DAY)
        : this.randomTime(),
    );
    for (let i = 1; i < count; i++) times.push(this.randomTime());
    // After an e-mail change the account orders with the new mailbox: that order is what ties old and new together.
    const emailChangedAt = p.emails.length > 1 ? p.emails[p.emails.length - 1].validFrom : null;
    const linkingOrderAt =
      emailChangedAt === null
        ? null
        : Math.min(this.now - HOUR, emailChangedAt + this.rng.float(0.1, 30) * DAY);
    if (linkingOrderAt !== null) times.push(linkingOrderAt);
    times.sort((a, b) => a - b);

    times.forEach((placedAt, i) => {
      const orderNumber = `A-${(this.context.counters.order += this.rng.int(1, 4))}`;
      const channel = this.rng.weighted([
        ['web', 60],
        ['app', 15],
        ['store', 15],
        ['phone', 10],
      ] as const);
      const lines = new Map<string, { product: CatalogueProduct; quantity: number }>();
      const lineCount = this.rng.weighted([
        [1, 50],
        [2, 28],
        [3, 14],
        [4, 8],
      ] as const);
      for (let l = 0; l < lineCount; l++) {
        const product = this.pickProduct();
        const existing = lines.get(product.sku);
        if (existing) existing.quantity++;
        else
          lines.set(product.sku, {
            product,
            quantity: this.rng.chance(0.85) ? 1 : this.rng.int(2, 4),
          });
      }
      const items = [...lines.values()].map(({ product, quantity }) => ({
        sku: product.sku,
        name: product.name,
        category: product.category,
        quantity,
        unitPrice: product.price,
      }));
      const subtotal = items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
      const total = round2(subtotal + (channel !== 'store' && subtotal < 49 ? 4.95 : 0));

      const outcome = this.rng.weighted([
        ['normal', 85],
        ['cancelled', 5],
        ['returned', 8],
        ['lost', 2],
      ] as const);
      interface OrderState {
        status: OrderStatus;
        shipping: { carrier: string; trackingNumber: string; status: string } | null;
      }
      const steps: Step<OrderState>[] = [];
      const fact: OrderFact = {
        orderNumber,
        placedAt,
        channel,
        lostAt: null,
        shippedAt: null,
        trackingNumber: null,
        carrier: null,
      };
      if (channel === 'store') {
        // Bought at the counter: paid and handed over at once, nothing to ship.
        steps.push({
          at: placedAt,
          data: { status: outcome === 'returned' ? 'delivered' : 'paid', shipping: null },
        });
        if (outcome === 'returned')
          steps.push({
            at: placedAt + this.rng.float(2, 14) * DAY,
            data: { status: 'returned', shipping: null },
          });
      } else {
        steps.push({ at: placedAt, data: { status: 'placed', shipping: null } });
        if (outcome === 'cancelled') {
          steps.push({
            at: placedAt + this.rng.float(0.2, 30) * HOUR,
            data: { status: 'cancelled', shipping: null },
          });
        } else {
          const paidAt = placedAt + this.rng.float(2, 180) * MINUTE;
          steps.push({ at: paidAt, data: { status: 'paid', shipping: null } });
          const carrier = this.pickCarrier();
          const trackingNumber = this.trackingNumber(carrier);
          const shippedAt = paidAt + this.rng.float(8, 60) * HOUR;
          fact.shippedAt = shippedAt;
          fact.carrier = carrier;
          fact.trackingNumber = trackingNumber;
          steps.push({
            at: shippedAt,
            data: {
              status: 'shipped',
              shipping: { carrier, trackingNumber, status: 'in_transit' },
            },
          });
          if (outcome === 'lost') {
            const lostAt = shippedAt + this.rng.float(3, 8) * DAY;
            fact.lostAt = lostAt <= this.now ? lostAt : null;
            steps.push({
              at: lostAt,
              data: {
                status: 'shipped',
                shipping: {
                  carrier,
                  trackingNumber,
                  status: this.rng.chance(0.5) ? 'lost' : 'delivery_failed',
                },
              },
            });
          } else {
            const deliveredAt = shippedAt + this.rng.float(18, 100) * HOUR;
            steps.push({
              at: deliveredAt,
              data: {
                status: 'delivered',
                shipping: { carrier, trackingNumber, status: 'delivered' },
              },
            });
            if (outcome === 'returned')
              steps.push({
                at: deliveredAt + this.rng.float(3, 20) * DAY,
                data: {
                  status: 'returned',
                  shipping: { carrier, trackingNumber, status: 'delivered' },
                },
              });
          }
        }
      }
      this.orders.push(fact);

      const guest = p.shopRole === 'guest';
      const withPhone = i === 0 || this.rng.chance(0.35);
      const withCustomerNumber = p.shopKnowsCustomerNumber && this.rng.chance(0.7);
      const lastName = this.shopName(p.lastName);
      const firstName = this.shopName(p.firstName);
      const abbreviate = this.rng.chance(0.5);
      const writer = this.recordWriter();
      const last = this.emitVersions(steps, this.rng.chance(0.35), (step, version) => {
        const home = this.addressAt(step.at);
        const address: Address = {
          ...home,
          street: home.street && abbreviate ? abbreviateStreet(home.street) : home.street,
        };
        const customer: CustomerRef = {
          externalId: guest ? null : p.shopAccountId,
          customerNumber: withCustomerNumber ? p.customerNumber : null,
          email: writer.email(this.emailAt(placedAt)),
          phone: withPhone ? writer.phone(p.mobile, address.country ?? null) : null,
          firstName,
          lastName,
          company: p.company,
          address,
        };
        return {
          source: 'shop',
          id: orderNumber,
          type: 'order',
          occurredAt: isoTime(step.at),
          version,
          customer,
          data: {
            orderNumber,
            status: step.data.status,
            total,
            currency: p.currency,
            channel,
            items,
            shipping: step.data.shipping,
          },
        };
      });
      if (!last) return;
      if (withPhone) this.mobileAnchored = true;
      const lastAt = Date.parse(last.occurredAt);
      this.maybeRedeliver(last, lastAt);
      // Orders that are the only link between identities are never deleted, or the ground truth would be unreachable.
      if (i !== 0 && placedAt !== linkingOrderAt) this.maybeDelete(last, lastAt, 0.004);

      // Shipping confirmations are what customers quote when they call.
      if (fact.shippedAt !== null && fact.shippedAt <= this.now && this.rng.chance(0.25)) {
        this.writeMail(
          fact.shippedAt + 5 * MINUTE,
          'outbound',
          `Ihre Bestellung ${orderNumber} ist unterwegs`,
          `Sendungsnummer ${fact.trackingNumber} (${fact.carrier}).`,
        );
      }
      if ((channel === 'web' || channel === 'app') && this.rng.chance(0.3)) {
        this.writeWebSession(placedAt - this.rng.float(2, 40) * MINUTE, true);
      }
    });
  }

  // ── helpdesk ───────────────────────────────────────────────────────────

  private writeTickets(): void {
    for (const order of this.orders) {
      if (order.lostAt !== null && this.rng.chance(0.8)) {
        const topic = ticketTopics[0];
        this.writeTicket(order.lostAt + this.rng.float(2, 48) * HOUR, topic, order);
      }
    }
    for (const contract of this.contracts) {
      if (contract.cancellationRequestedAt !== null && this.rng.chance(0.5)) {
        const topic = ticketTopics.find((t) => t.subject === 'Vertrag kündigen') ?? ticketTopics[0];
        this.writeTicket(
          contract.cancellationRequestedAt - this.rng.float(1, 120) * MINUTE,
          topic,
          null,
        );
      }
    }
    const count = this.count(1.2);
    for (let i = 0; i < count; i++) {
      const at = this.randomTime();
      const ordersBefore = this.orders.filter((o) => o.placedAt < at);
      const hasContract = this.contracts.some((c) => c.startAt < at);
      const topics = ticketTopics.filter(
        (t) =>
          t.needs === 'any' ||
          (t.needs === 'order' && ordersBefore.length > 0) ||
          (t.needs === 'contract' && hasContract),
      );
      const topic = this.rng.pick(topics);
      this.writeTicket(
        at,
        topic,
        topic.needs === 'order' ? this.rng.pick(ordersBefore.slice(-3)) : null,
      );
    }
  }

  private writeTicket(openedAt: number, topic: TicketTopic, order: OrderFact | null): void {
    if (openedAt > this.now || openedAt < this.person.since) return;
    const p = this.person;
    const ticketNumber = `T-${(this.context.counters.ticket += this.rng.int(1, 3))}`;
    const complaint = this.rng.chance(topic.complaintProbability);
    if (complaint) this.complaints++;

    const mode = this.rng.weighted<'email' | 'phone' | 'number'>([
      ['email', 40],
      ['phone', this.phoneOnlyAllowed() ? 35 : 0],
      ['number', p.customerNumber ? 25 : 0],
    ]);
    const channel =
      mode === 'phone'
        ? 'phone'
        : this.rng.weighted<'email' | 'web' | 'chat'>([
            ['email', 60],
            ['web', 25],
            ['chat', 15],
          ]);
    const steps: Step<TicketStatus>[] = [{ at: openedAt, data: 'open' }];
    if (!this.rng.chance(0.06)) {
      let at = openedAt;
      if (this.rng.chance(0.45))
        steps.push({ at: (at += this.rng.float(2, 72) * HOUR), data: 'pending' });
      steps.push({ at: (at += this.rng.float(4, 120) * HOUR), data: 'solved' });
      if (this.rng.chance(0.7))
        steps.push({ at: at + this.rng.float(3, 14) * DAY, data: 'closed' });
    }
    const withName = this.rng.chance(0.6);
    const writer = this.recordWriter();
    const priority = complaint
      ? this.rng.pick(['high', 'urgent'] as const)
      : this.rng.weighted<'low' | 'normal' | 'high'>([
          ['low', 25],
          ['normal', 65],
          ['high', 10],
        ]);
    const description = order
      ? `${topic.description} Bestellung ${order.orderNumber}${order.trackingNumber ? `, Sendung ${order.trackingNumber}` : ''}.`
      : topic.description;
    const last = this.emitVersions(steps, this.rng.chance(0.7), (step, version) => {
      const email = this.emailAt(step.at);
      return {
        source: 'helpdesk',
        id: ticketNumber,
        type: 'ticket',
        occurredAt: isoTime(step.at),
        version,
        customer: {
          email: mode === 'phone' ? null : writer.email(email),
          phone: mode === 'phone' ? writer.phone(p.mobile, null) : null,
          customerNumber: mode === 'number' ? p.customerNumber : null,
          firstName: withName ? p.firstName : null,
          lastName: withName ? p.lastName : null,
        },
        data: {
          ticketNumber,
          subject: topic.subject,
          description,
          status: step.data,
          priority,
          category: topic.category,
          channel,
          complaint,
          ...(order ? { orderNumber: order.orderNumber } : {}),
        },
      };
    });
    if (!last) return;
    this.maybeRedeliver(last, Date.parse(last.occurredAt));
    this.maybeDelete(last, Date.parse(last.occurredAt), 0.005);

    // The contact that opened the ticket, in the system it came through.
    if (channel === 'phone')
      this.writeCall(
        openedAt - this.rng.float(1, 8) * MINUTE,
        'inbound',
        topic.callReason,
        'Ticket erstellt',
      );
    else if (channel === 'email')
      this.writeMail(
        openedAt - this.rng.float(1, 30) * MINUTE,
        'inbound',
        topic.subject,
        topic.description,
      );

    const solved = steps.find((s) => s.data === 'solved');
    if (solved && this.rng.chance(0.3)) {
      const at = solved.at + this.rng.float(1, 48) * HOUR;
      const score = complaint
        ? this.rng.int(1, 3)
        : this.rng.weighted([
            [5, 45],
            [4, 30],
            [3, 15],
            [2, 6],
            [1, 4],
          ] as const);
      this.writeSurvey(at, 'csat', score);
    }
  }

  // ── telephony ──────────────────────────────────────────────────────────

  private writeCalls(): void {
    if (!this.phoneOnlyAllowed()) return;
    const count = this.count(2);
    for (let i = 0; i < count; i++) {
      const direction = this.rng.chance(0.7) ? 'inbound' : 'outbound';
      const outcome = this.rng.weighted(
        direction === 'inbound' ? inboundOutcomes : outboundOutcomes,
      );
      this.writeCall(this.randomTime(), direction, this.rng.pick(callReasons), outcome);
    }
  }

  private writeCall(
    at: number,
    direction: 'inbound' | 'outbound',
    reason: string,
    outcome: string,
  ): void {
    if (at > this.now || at < this.person.since || !this.phoneOnlyAllowed()) return;
    const p = this.person;
    const unreached = outcome === 'nicht erreicht' || outcome === 'Mailbox';
    const durationSec = unreached
      ? this.rng.int(0, 35)
      : Math.round(Math.min(3600, Math.exp(5.2 + 0.8 * this.rng.normal())));
    const phone = p.landline && this.rng.chance(0.4) ? p.landline : p.mobile;
    this.emit(at, {
      source: 'telephony',
      id: `call-${this.rng.hex64()}`,
      type: 'call',
      occurredAt: isoTime(at),
      customer: { phone: this.phone(phone, null) },
      data: { direction, durationSec, reason, outcome, agent: this.rng.pick(agents) },
    });
  }

  // ── mail ───────────────────────────────────────────────────────────────

  private writeMails(): void {
    const count = this.count(1.8);
    for (let i = 0; i < count; i++) {
      const inbound = this.rng.chance(0.45);
      const [subject, snippet] = this.rng.pick(inbound ? inboundMails : outboundMails);
      this.writeMail(this.randomTime(), inbound ? 'inbound' : 'outbound', subject, snippet);
    }
  }

  private writeMail(
    at: number,
    direction: 'inbound' | 'outbound',
    subject: string,
    snippet: string,
  ): void {
    if (at > this.now || at < this.person.since) return;
    this.emit(at, {
      source: 'mail',
      id: `msg-${this.rng.hex64()}`,
      type: 'email',
      occurredAt: isoTime(at),
      customer: { email: writeEmail(this.rng, this.emailAt(at)) },
      data: { direction, subject, snippet },
    });
  }

  // ── marketing ──────────────────────────────────────────────────────────

  private writeMarketing(): void {
    const p = this.person;
    const consentSpecs: {
      channel: 'email' | 'sms' | 'phone' | 'post';
      purpose: string;
      grant: number;
      decline: number;
    }[] = [
      { channel: 'email', purpose: 'newsletter', grant: 0.65, decline: 0.1 },
      { channel: 'sms', purpose: 'angebote', grant: 0.15, decline: 0.05 },
      { channel: 'phone', purpose: 'beratung', grant: p.company ? 0.4 : 0.12, decline: 0.08 },
      { channel: 'post', purpose: 'katalog', grant: 0.25, decline: 0.03 },
    ];
    for (const spec of consentSpecs) {
      const roll = this.rng.next();
      const granted = roll < spec.grant;
      if (!granted && roll >= spec.grant + spec.decline) continue;
      const grantedAt = Math.min(this.now, p.since + this.rng.float(0, 2) * HOUR);
      const steps: Step<boolean>[] = [{ at: grantedAt, data: granted }];
      let revokedAt: number | null = null;
      if (granted && this.rng.chance(0.12)) {
        revokedAt = this.randomTime(grantedAt + 7 * DAY, this.now);
        if (revokedAt > grantedAt) steps.push({ at: revokedAt, data: false });
        else revokedAt = null;
      }
      if (spec.channel === 'email' && granted) this.emailConsent = { grantedAt, revokedAt };
      if (spec.channel === 'post' && granted) this.postConsent = true;
      const id = `CNS-${++this.context.counters.consent}`;
      const writer = this.recordWriter();
      this.emitVersions(steps, true, (step, version) => ({
        source: 'marketing',
        id,
        type: 'consent',
        occurredAt: isoTime(step.at),
        version,
        customer: { email: writer.email(this.emailAt(step.at)) },
        data: { channel: spec.channel, granted: step.data, purpose: spec.purpose },
      }));
    }

    for (const campaign of this.context.campaigns) {
      if (campaign.sentAt < p.since || campaign.sentAt > this.now) continue;
      if (campaign.channel === 'post') {
        if (this.postConsent && this.rng.chance(0.8)) this.writeCampaignFlow(campaign);
        continue;
      }
      const consent = this.emailConsent;
      if (
        !consent ||
        campaign.sentAt < consent.grantedAt ||
        (consent.revokedAt !== null && campaign.sentAt > consent.revokedAt)
      )
        continue;
      if (this.rng.chance(0.75)) this.writeCampaignFlow(campaign);
    }
    if (this.emailConsent?.revokedAt) {
      const lastCampaign = this.context.campaigns
        .filter((c) => c.sentAt < (this.emailConsent?.revokedAt ?? 0) && c.channel === 'email')
        .pop();
      if (lastCampaign)
        this.writeCampaignResponse(lastCampaign, 'unsubscribed', this.emailConsent.revokedAt);
    }
  }

  private writeCampaignFlow(campaign: DemoCampaign): void {
    const start = campaign.sentAt + this.rng.float(0, 6) * HOUR;
    if (campaign.channel === 'post') {
      this.writeCampaignResponse(campaign, 'sent', start);
      if (this.rng.chance(0.08))
        this.writeCampaignResponse(campaign, 'converted', start + this.rng.float(2, 20) * DAY);
      return;
    }
    if (this.rng.chance(0.02)) {
      this.writeCampaignResponse(campaign, 'bounced', start);
      return;
    }
    this.writeCampaignResponse(campaign, 'delivered', start);
    const engagement = Math.min(0.8, 0.3 + 0.1 * this.person.activity);
    if (!this.rng.chance(engagement)) return;
    const openedAt = start + this.rng.float(0.2, 48) * HOUR;
    this.writeCampaignResponse(campaign, 'opened', openedAt);
    if (!this.rng.chance(0.35)) return;
    const clickedAt = openedAt + this.rng.float(0.2, 10) * MINUTE;
    this.writeCampaignResponse(campaign, 'clicked', clickedAt);
    if (this.rng.chance(0.25))
      this.writeCampaignResponse(
        campaign,
        'converted',
        clickedAt + this.rng.float(5, 120) * MINUTE,
      );
  }

  private writeCampaignResponse(
    campaign: DemoCampaign,
    action: 'sent' | 'delivered' | 'opened' | 'clicked' | 'converted' | 'unsubscribed' | 'bounced',
    at: number,
  ): void {
    if (at > this.now) return;
    this.emit(at, {
      source: 'marketing',
      id: `${campaign.campaignId}:${this.rng.hex64()}:${action}`,
      type: 'campaign_response',
      occurredAt: isoTime(at),
      customer: { email: writeEmail(this.rng, this.emailAt(at)) },
      data: {
        campaignId: campaign.campaignId,
        campaignName: campaign.campaignName,
        channel: campaign.channel,
        action,
      },
    });
  }

  // ── web ────────────────────────────────────────────────────────────────

  private writeWebSessions(): void {
    const count = this.count(this.person.shopRole === 'none' ? 2 : 3);
    for (let i = 0; i < count; i++) this.writeWebSession(this.randomTime(), false);
  }

  private writeWebSession(at: number, converted: boolean): void {
    if (at > this.now || at < this.person.since) return;
    const p = this.person;
    const visitor = p.shopAccountId ?? (this.webVisitorId ??= `w-${this.rng.hex64()}`);
    // The first session of a visitor carries both ids, which links later anonymous-ish sessions by visitor id alone.
    const mode =
      this.webSessions === 0
        ? 'both'
        : this.rng.weighted<'both' | 'visitor' | 'email'>([
            ['both', 50],
            ['visitor', 30],
            ['email', 20],
          ]);
    this.webSessions++;
    this.emit(at, {
      source: 'web',
      id: `s-${this.rng.hex64()}`,
      type: 'web_session',
      occurredAt: isoTime(at),
      customer: {
        externalId: mode === 'email' ? null : visitor,
        email: mode === 'visitor' ? null : writeEmail(this.rng, this.emailAt(at)),
      },
      data: {
        pages: converted ? this.rng.int(4, 25) : this.rng.int(1, 15),
        durationSec: this.rng.int(15, 1800),
        device: this.rng.weighted([
          ['mobile', 55],
          ['desktop', 38],
          ['tablet', 7],
        ] as const),
        utmSource: this.rng.weighted<string | null>([
          [null, 35],
          ['google', 25],
          ['newsletter', 12],
          ['facebook', 8],
          ['instagram', 8],
          ['idealo', 7],
          ['tiktok', 5],
        ]),
        converted,
      },
    });
  }

  // ── surveys ────────────────────────────────────────────────────────────

  private writeSurveys(): void {
    const count = this.count(0.6) + (this.rng.chance(0.15 * this.tenure) ? 1 : 0);
    for (let i = 0; i < count; i++) {
      const score =
        this.complaints > 0 && this.rng.chance(0.6)
          ? this.rng.int(0, 6)
          : this.rng.weighted([
              [10, 22],
              [9, 24],
              [8, 18],
              [7, 12],
              [6, 8],
              [5, 5],
              [4, 3],
              [3, 3],
              [2, 2],
              [1, 1],
              [0, 2],
            ] as const);
      this.writeSurvey(this.randomTime(), 'nps', score);
    }
  }

  private writeSurvey(at: number, kind: 'nps' | 'csat', score: number): void {
    if (at > this.now || at < this.person.since) return;
    const p = this.person;
    const mood =
      kind === 'nps'
        ? score <= 6
          ? 'bad'
          : score <= 8
            ? 'neutral'
            : 'good'
        : score <= 2
          ? 'bad'
          : score === 3
            ? 'neutral'
            : 'good';
    const byNumber = p.customerNumber !== null && this.rng.chance(0.35);
    this.emit(at, {
      source: 'survey',
      id: `${kind.toUpperCase()}-${++this.context.counters.survey}`,
      type: 'survey',
      occurredAt: isoTime(at),
      customer: byNumber
        ? { customerNumber: p.customerNumber }
        : { email: writeEmail(this.rng, this.emailAt(at)) },
      data: {
        kind,
        score,
        comment: this.rng.chance(0.4) ? this.rng.pick(surveyComments[mood]) : null,
      },
    });
  }

  // ── CRM ────────────────────────────────────────────────────────────────

  private writeNotesAndAppointments(): void {
    const p = this.person;
    if (!p.customerNumber) return;
    const customer = { customerNumber: p.customerNumber };
    const notes = this.count(0.6);
    const pinned = this.rng.chance(p.company ? 0.35 : 0.08);
    for (let i = 0; i < notes + (pinned ? 1 : 0); i++) {
      const at = this.randomTime();
      const isPinned = pinned && i === notes;
      const touchpoint: Touchpoint = {
        source: 'crm',
        id: `N-${(this.context.counters.note += this.rng.int(1, 3))}`,
        type: 'note',
        occurredAt: isoTime(at),
        version: 1,
        customer,
        data: {
          text: this.rng.pick(isPinned ? pinnedNotes : plainNotes),
          author: this.rng.pick(agents),
          pinned: isPinned,
        },
      };
      this.emit(at, touchpoint);
      if (!isPinned) this.maybeDelete(touchpoint, at, 0.03);
    }

    if (!p.hasContracts && !p.company) return;
    const appointments = this.count(0.35) + (p.company ? 1 : 0);
    for (let i = 0; i < appointments; i++) {
      const bookedAt = this.randomTime();
      const day = Math.floor((bookedAt + this.rng.int(1, 21) * DAY) / DAY) * DAY;
      const startsAt = day + this.rng.int(8, 17) * HOUR + (this.rng.chance(0.5) ? 30 * MINUTE : 0);
      const id = `APT-${(this.context.counters.appointment += this.rng.int(1, 3))}`;
      const subject = this.rng.pick(appointmentSubjects);
      const final = this.rng.weighted([
        ['done', 80],
        ['cancelled', 10],
        ['no_show', 10],
      ] as const);
      const steps: Step<string>[] = [
        { at: bookedAt, data: 'scheduled' },
        { at: startsAt + HOUR, data: final },
      ];
      this.emitVersions(steps, true, (step, version) => ({
        source: 'crm',
        id,
        type: 'appointment',
        occurredAt: isoTime(step.at),
        version,
        customer,
        data: { startsAt: isoTime(startsAt), subject, status: step.data },
      }));
    }
  }

  private writeProfile(): void {
    const p = this.person;
    const customerNumber = p.customerNumber;
    if (!customerNumber) return;
    const segments = ['Basic', 'Standard', 'Premium', 'VIP'] as const;
    let segmentIndex = p.company
      ? -1
      : segments.indexOf(
          this.rng.weighted([
            ['Standard', 45],
            ['Basic', 30],
            ['Premium', 18],
            ['VIP', 7],
          ] as const),
        );
    const segmentName = (): string => (segmentIndex < 0 ? 'Business' : segments[segmentIndex]);
    const buying = this.orders.length > 0 || this.contracts.length > 0;

    const finalTags: string[] = [];
    if (p.company) finalTags.push('B2B');
    if (this.emailConsent && !this.emailConsent.revokedAt) finalTags.push('Newsletter');
    if (this.orders.length >= 10) finalTags.push('Vielbesteller');
    if (this.contracts.some((c) => c.product.line === 'telco')) finalTags.push('Mobilfunk/DSL');
    if (this.contracts.some((c) => c.product.line === 'insurance')) finalTags.push('Versicherung');
    if (this.complaints > 0) finalTags.push('Reklamation');
    if (this.tenure > 0.9) finalTags.push('Stammkunde');
    if (this.rng.chance(0.03)) finalTags.push('Zahlungsverzug');

    interface ProfileState {
      segment: string;
      status: string;
      tags: string[];
    }
    const steps: Step<ProfileState>[] = [
      {
        at: p.since,
        data: {
          segment: segmentName(),
          status: buying ? 'active' : 'prospect',
          tags: finalTags.filter((t) => t === 'B2B' || t === 'Newsletter'),
        },
      },
    ];
    const changes: number[] = [];
    for (const email of p.emails.slice(1)) changes.push(email.validFrom);
    for (const address of p.addresses.slice(1)) changes.push(address.validFrom);
    const segmentChange =
      this.tenure > 0.2 && this.rng.chance(0.3)
        ? this.randomTime(p.since + 30 * DAY, this.now)
        : null;
    if (segmentChange !== null) changes.push(segmentChange);
    const inactiveAt =
      buying && this.tenure > 0.5 && this.rng.chance(0.05)
        ? this.randomTime(this.now - 120 * DAY, this.now)
        : null;
    if (inactiveAt !== null) changes.push(inactiveAt);
    changes.push(this.randomTime(p.since + DAY, this.now)); // tags refreshed at least once
    changes.sort((a, b) => a - b);
    for (const at of changes) {
      const previous = steps[steps.length - 1].data;
      let segment = previous.segment;
      if (at === segmentChange && segmentIndex >= 0) {
        segmentIndex = Math.max(
          0,
          Math.min(segments.length - 1, segmentIndex + (this.rng.chance(0.65) ? 1 : -1)),
        );
        segment = segmentName();
      }
      steps.push({
        at,
        data: {
          segment,
          status:
            at === inactiveAt
              ? 'inactive'
              : previous.status === 'prospect' && buying
                ? 'active'
                : previous.status,
          tags: finalTags,
        },
      });
    }

    // Most CRMs store what the customer typed; some keep a stray capital or space.
    const writer = this.recordWriter();
    const emailWriting = this.rng.chance(0.8)
      ? (email: string): string => email
      : (email: string): string => writer.email(email);
    this.emitVersions(steps, true, (step, version) => {
      const address = this.addressAt(step.at);
      return {
        source: 'crm',
        id: customerNumber,
        type: 'profile',
        occurredAt: isoTime(step.at),
        version,
        customer: {
          customerNumber,
          email: emailWriting(this.emailAt(step.at)),
          phone: writer.phone(p.mobile, address.country ?? null),
          firstName: p.firstName,
          lastName: p.lastName,
          company: p.company,
          birthDate: p.birthDate,
          address,
        },
        data: {
          segment: step.data.segment,
          status: step.data.status,
          language: p.language,
          tags: step.data.tags,
        },
      };
    });
    this.mobileAnchored = true;
  }
}
