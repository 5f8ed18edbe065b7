/**
 * What contracts contribute: active contracts, the next end, monthly revenue,
 * cancellations and the contract list.
 *
 * Billing systems send a touchpoint per change of a contract, so touchpoints
 * are grouped by (normalized) contract number and the latest is the state.
 */
import { normalizeNumber } from '../normalize';
import type { ContractSummary } from '../profile';
import {
  compareStrings,
  endOfDateMs,
  roundMoney,
  startOfDateMs,
  trimmedOrNull,
  uniqueSorted,
  withinTwelveMonths,
  type FoldContext,
  type TypedTouchpoint,
} from './fold-context';

export interface ContractPart {
  contracts: ContractSummary[];
  activeContracts: number;
  nextContractEnd: string | null;
  /** Sum of the monthly fees of active contracts (currencies are not converted). */
  monthlyRevenue: number;
  cancellations12m: number;
  /** Contract products, for products and the search text. */
  products: string[];
  /** Normalized contract numbers, for search. */
  numbers: string[];
}

const statusRank: Record<string, number> = { active: 0, cancelled: 1, expired: 2 };

/** `contracts` must be in chronological order. */
export function foldContracts(
  contracts: readonly TypedTouchpoint<'contract'>[],
  ctx: FoldContext,
): ContractPart {
  const byNumber = new Map<string, TypedTouchpoint<'contract'>[]>();
  for (const c of contracts) {
    const number = normalizeNumber(c.data.contractNumber);
    const history = byNumber.get(number);
    if (history) history.push(c);
    else byNumber.set(number, [c]);
  }

  const summaries: ContractSummary[] = [];
  let cancellations12m = 0;
  let nextEnd: { ms: number; value: string } | null = null;
  for (const history of byNumber.values()) {
    const latest = history[history.length - 1];
    const d = latest.data;
    const summary: ContractSummary = {
      key: latest.key,
      contractNumber: d.contractNumber,
      product: d.product,
      status: d.status,
      startDate: d.startDate ?? null,
      endDate: d.endDate ?? null,
      monthlyFee: d.monthlyFee ?? null,
      currency: d.currency ? d.currency.toUpperCase() : null,
      options: uniqueSorted((d.options ?? []).map((o) => trimmedOrNull(o))),
      cancellationRequestedAt: d.cancellationRequestedAt ?? null,
    };
    summaries.push(summary);

    if (d.status === 'active' && d.endDate) {
      const ms = endOfDateMs(d.endDate);
      if (ms >= ctx.asOfMs && (!nextEnd || ms < nextEnd.ms)) nextEnd = { ms, value: d.endDate };
    }

    // A cancellation happened when it was requested; without that date, when
    // the contract was first reported cancelled in its latest run of
    // "cancelled" states. Each contract counts once.
    let cancelledAt: number | null = d.cancellationRequestedAt
      ? startOfDateMs(d.cancellationRequestedAt)
      : null;
    if (cancelledAt === null && d.status === 'cancelled') {
      let i = history.length - 1;
      while (i > 0 && history[i - 1].data.status === 'cancelled') i -= 1;
      cancelledAt = history[i].at;
    }
    if (cancelledAt !== null && withinTwelveMonths(cancelledAt, ctx)) cancellations12m += 1;
  }

  const active = summaries.filter((c) => c.status === 'active');
  return {
    contracts: summaries.sort(
      (a, b) =>
        (statusRank[a.status] ?? 9) - (statusRank[b.status] ?? 9) ||
        compareStrings(a.contractNumber, b.contractNumber),
    ),
    activeContracts: active.length,
    nextContractEnd: nextEnd?.value ?? null,
    monthlyRevenue: roundMoney(active.reduce((sum, c) => sum + (c.monthlyFee ?? 0), 0)),
    cancellations12m,
    products: uniqueSorted(summaries.map((c) => trimmedOrNull(c.product))),
    numbers: [...byNumber.keys()].sort(compareStrings),
  };
}
