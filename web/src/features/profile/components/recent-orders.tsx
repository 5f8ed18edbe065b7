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
          <th>Status</th>
          <th className="num">Total</th>
          <th>Shipping</th>
          <th>Tracking number</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => (
          <tr key={o.key} data-testid="recent-order">
            <td className="nowrap">
              <span className="mono">
                <CopyValue value={o.orderNumber} />
              </span>
              <div className="muted small">
                {formatDate(o.occurredAt)}
                {o.channel ? ` · ${o.channel}` : ''}
              </div>
            </td>
            <td>{o.status ?? '—'}</td>
            <td
              className="num"
              title={o.items.map((i) => `${i.quantity}× ${i.name ?? i.sku ?? '?'}`).join('\n')}
            >
              {formatMoney(o.total, o.currency)}
              <div className="muted small">
                {o.itemCount} {o.itemCount === 1 ? 'item' : 'items'}
              </div>
            </td>
            <td data-testid="order-shipping">
              {o.shipping ? (
                <>
                  <span className="carrier">{o.shipping.carrier ?? '—'}</span>{' '}
                  {o.shipping.status && (
                    <span className={`badge ship-${o.shipping.status}`}>
                      {o.shipping.status.replace(/_/g, ' ')}
                    </span>
                  )}
                </>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
            <td className="mono small" data-testid="order-tracking">
              {o.shipping?.trackingNumber ? (
                <CopyValue value={o.shipping.trackingNumber} />
              ) : (
                <span className="muted">—</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
