/**
 * What orders contribute: order KPIs, recent orders, products, categories and
 * the preferred sales channel.
 *
 * Each order touchpoint (`source:id`) is one order record: resending an order
 * under the same key replaces it before the fold (upstream and in `fold`), so
 * nothing here groups by `orderNumber`.
 */
import type { OrderSummary } from '../profile';
import { normalizeNumber } from '../normalize';
import {
  channelsOf,
  iso,
  mostFrequent,
  roundMoney,
  trimmedOrNull,
  uniqueSorted,
  type TypedTouchpoint,
} from './fold-context';

export interface OrderPart {
  orderCount: number;
  lifetimeValue: number;
  averageOrderValue: number | null;
  currency: string | null;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  returnCount: number;
  recentOrders: OrderSummary[];
  /** Item names and SKUs of orders that were not cancelled. */
  products: string[];
  /** Item names only, for the search text. */
  productNames: string[];
  categories: string[];
  preferredSalesChannel: string | null;
  /** Normalized order and tracking numbers, for search. */
  numbers: string[];
  channels: string[];
}

const recentOrderCount = 5;

function toSummary(o: TypedTouchpoint<'order'>): OrderSummary {
  const items = (o.data.items ?? []).map((item) => ({
    sku: trimmedOrNull(item.sku),
    name: trimmedOrNull(item.name),
    category: trimmedOrNull(item.category),
    // A line without a quantity is one piece in every shop system we read.
    quantity: item.quantity ?? 1,
  }));
  const shipping = o.data.shipping
    ? {
        carrier: trimmedOrNull(o.data.shipping.carrier),
        trackingNumber: trimmedOrNull(o.data.shipping.trackingNumber),
        status: trimmedOrNull(o.data.shipping.status),
      }
    : null;
  return {
    key: o.key,
    orderNumber: o.data.orderNumber,
    occurredAt: iso(o.at),
    status: o.data.status ?? null,
    total: o.data.total,
    currency: o.data.currency.toUpperCase(),
    channel: o.data.channel ?? null,
    itemCount: items.reduce((sum, item) => sum + item.quantity, 0),
    items,
    shipping,
  };
}

/** `orders` must be in chronological order. */
export function foldOrders(orders: readonly TypedTouchpoint<'order'>[]): OrderPart {
  // A cancelled order never happened for the customer: it is not counted,
  // not valued and its items are not products the customer has.
  const placed = orders.filter((o) => o.data.status !== 'cancelled');
  const currency = mostFrequent(placed.map((o) => o.data.currency.toUpperCase()));
  // Lifetime value is what the customer kept: returned orders are excluded
  // (their money went back), and so are orders in other currencies than the
  // profile's, because adding CHF to EUR gives a number that means nothing.
  const valued = placed.filter(
    (o) => o.data.status !== 'returned' && o.data.currency.toUpperCase() === currency,
  );
  const lifetimeValue = roundMoney(valued.reduce((sum, o) => sum + o.data.total, 0));
  const items = placed.flatMap((o) => o.data.items ?? []);
  const productNames = uniqueSorted(items.map((i) => trimmedOrNull(i.name)));

  return {
    orderCount: placed.length,
    lifetimeValue,
    averageOrderValue: valued.length ? roundMoney(lifetimeValue / valued.length) : null,
    currency,
    firstOrderAt: placed.length ? iso(placed[0].at) : null,
    lastOrderAt: placed.length ? iso(placed[placed.length - 1].at) : null,
    returnCount: orders.filter((o) => o.data.status === 'returned').length,
    recentOrders: orders.slice(-recentOrderCount).reverse().map(toSummary),
    products: uniqueSorted([...productNames, ...items.map((i) => trimmedOrNull(i.sku))]),
    productNames,
    categories: uniqueSorted(items.map((i) => trimmedOrNull(i.category))),
    preferredSalesChannel: mostFrequent(placed.map((o) => o.data.channel)),
    numbers: uniqueSorted(
      orders.flatMap((o) =>
        [o.data.orderNumber, o.data.shipping?.trackingNumber ?? ''].map((n) => normalizeNumber(n)),
      ),
    ),
    channels: channelsOf(orders),
  };
}
