import { CopyValue } from '../../../components/copy-value';
import { formatDate, formatMoney } from '../../../lib/format';
import type { OrderSummary } from '../../../lib/domain-types';

export function RecentOrders({ orders }: { orders: OrderSummary[] }) {
  if (orders.length === 0) return <p className="muted">No orders.</p>;
  return (
    <table className="data-table" aria-label="Recent orders table">
      <thead>
        <tr>
          <th>Order</th>
          <th>Date</th>
          <th>Status</th>
          <th className="num">Total</th>
          <th>Carrier</th>
          <th>Tracking</th>
          <th>Shipping</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => (
          <tr key={o.key} data-testid="recent-order">
            <td className="mono">
              <CopyValue value={o.orderNumber} />
            </td>
            <td>{formatDate(o.occurredAt)}</td>
            <td>{o.status ?? '—'}</td>
            <td className="num" title={o.items.map((i) => `${i.quantity}× ${i.name ?? i.sku ?? '?'}`).join('\n')}>
              {formatMoney(o.total, o.currency)}
              <span className="muted"> · {o.itemCount} items</span>
            </td>
            <td>{o.shipping?.carrier ?? '—'}</td>
            <td className="mono">{o.shipping?.trackingNumber ? <CopyValue value={o.shipping.trackingNumber} /> : '—'}</td>
            <td>{o.shipping?.status ? <span className={`badge ship-${o.shipping.status}`}>{o.shipping.status}</span> : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
