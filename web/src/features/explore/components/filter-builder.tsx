import {
  analyticsFields,
  coarsenedFields,
  type AnalyticsFieldName,
} from '../../../../../domain/src/analytics/fields';
import { useSession } from '../../../lib/auth-session';
import { seesPseudonymized } from '../../../lib/authorization';
import {
  defaultOp,
  kindOf,
  newCondition,
  newGroup,
  updateNode,
  type ConditionNode,
  type EditorNode,
  type GroupNode,
} from '../utils/filter-editor';

const fieldNames = Object.keys(analyticsFields) as AnalyticsFieldName[];

interface FilterBuilderProps {
  root: GroupNode;
  onChange: (root: GroupNode) => void;
}

/** AND / OR groups with NOT on every condition and group, nested as deep as needed. */
export function FilterBuilder({ root, onChange }: FilterBuilderProps) {
  const update = (id: string, change: (node: EditorNode) => EditorNode | null) =>
    onChange(updateNode(root, id, change));
  return (
    <div className="filter-builder" aria-label="Filter builder">
      <GroupEditor group={root} depth={0} update={update} />
    </div>
  );
}

type Update = (id: string, change: (node: EditorNode) => EditorNode | null) => void;

function NotToggle({ node, update }: { node: EditorNode; update: Update }) {
  return (
    <label className="not-toggle" title="Negate: customers that do NOT match">
      <input
        type="checkbox"
        checked={node.negate}
        onChange={(e) => update(node.id, (n) => ({ ...n, negate: e.target.checked }))}
        aria-label="NOT"
      />
      NOT
    </label>
  );
}

function GroupEditor({
  group,
  depth,
  update,
}: {
  group: GroupNode;
  depth: number;
  update: Update;
}) {
  const add = (child: EditorNode) =>
    update(group.id, (g) => ({
      ...(g as GroupNode),
      children: [...(g as GroupNode).children, child],
    }));
  return (
    <fieldset
      className={`filter-group depth-${Math.min(depth, 3)}${group.negate ? ' negated' : ''}`}
      data-testid="filter-group"
    >
      <legend>
        {depth > 0 && <NotToggle node={group} update={update} />}
        <select
          aria-label="Combine with"
          value={group.op}
          onChange={(e) =>
            update(group.id, (g) => ({ ...(g as GroupNode), op: e.target.value as 'and' | 'or' }))
          }
        >
          <option value="and">ALL of (AND)</option>
          <option value="or">ANY of (OR)</option>
        </select>
        {depth > 0 && (
          <button
            type="button"
            className="link-button small"
            onClick={() => update(group.id, () => null)}
            aria-label="Remove group"
          >
            remove group
          </button>
        )}
      </legend>
      {group.children.length === 0 && (
        <p className="muted small">No conditions: every customer matches.</p>
      )}
      {group.children.map((child) =>
        child.type === 'group' ? (
          <GroupEditor key={child.id} group={child} depth={depth + 1} update={update} />
        ) : (
          <ConditionEditor key={child.id} condition={child} update={update} />
        ),
      )}
      <div className="filter-group-actions">
        <button type="button" className="button small" onClick={() => add(newCondition())}>
          + Condition
        </button>
        <button
          type="button"
          className="button small"
          onClick={() => add(newGroup(group.op === 'and' ? 'or' : 'and', [newCondition()]))}
        >
          + Group
        </button>
      </div>
    </fieldset>
  );
}

function ConditionEditor({ condition: c, update }: { condition: ConditionNode; update: Update }) {
  const set = (patch: Partial<ConditionNode>) =>
    update(c.id, (n) => ({ ...(n as ConditionNode), ...patch }));
  const kind = kindOf(c.field);
  // Fields shown coarsened (birth year, postal region, company initials) cannot be filtered by pseudonymized roles.
  const offered = seesPseudonymized(useSession()?.role)
    ? fieldNames.filter((f) => !(f in coarsenedFields) || f === c.field)
    : fieldNames;
  return (
    <div className={`filter-condition${c.negate ? ' negated' : ''}`} data-testid="filter-condition">
      <NotToggle node={c} update={update} />
      <select
        aria-label="Field"
        value={c.field}
        onChange={(e) => {
          const field = e.target.value as AnalyticsFieldName;
          set({ field, op: defaultOp(field), values: '', min: '', max: '', from: '', to: '' });
        }}
      >
        {offered.map((f) => (
          <option key={f} value={f}>
            {analyticsFields[f].label}
          </option>
        ))}
      </select>
      <select
        aria-label="Operator"
        value={c.op}
        onChange={(e) => set({ op: e.target.value as ConditionNode['op'] })}
      >
        <option value={defaultOp(c.field)}>
          {kind === 'keyword'
            ? 'has any of'
            : kind === 'number'
              ? 'between'
              : 'between (days from today)'}
        </option>
        <option value="exists">has a value</option>
      </select>
      {c.op === 'terms' && (
        <input
          aria-label="Values"
          placeholder="values, comma-separated"
          value={c.values}
          onChange={(e) => set({ values: e.target.value })}
        />
      )}
      {c.op === 'range' && (
        <>
          <input
            aria-label="Minimum"
            className="short"
            inputMode="decimal"
            placeholder="min"
            value={c.min}
            onChange={(e) => set({ min: e.target.value })}
          />
          <input
            aria-label="Maximum"
            className="short"
            inputMode="decimal"
            placeholder="max"
            value={c.max}
            onChange={(e) => set({ max: e.target.value })}
          />
        </>
      )}
      {c.op === 'dateRange' && (
        <>
          <input
            aria-label="From"
            className="short"
            placeholder="-30 or 2026-01-01"
            value={c.from}
            onChange={(e) => set({ from: e.target.value })}
          />
          <input
            aria-label="To"
            className="short"
            placeholder="60 or 2026-12-31"
            value={c.to}
            onChange={(e) => set({ to: e.target.value })}
          />
        </>
      )}
      <button
        type="button"
        className="link-button small"
        aria-label="Remove condition"
        onClick={() => update(c.id, () => null)}
      >
        ×
      </button>
    </div>
  );
}
