import { HighlightedText, markedTerms, markWords } from '../../../components/highlighted-text';
import type { SearchItem } from '../../../lib/domain-types';

/** "search.phoneSuffixes" → "phone": what a person calls the field that matched. */
export function highlightLabel(field: string): string {
  const name = field.replace(/^search\./, '').split('.')[0];
  const labels: Record<string, string> = {
    names: 'name',
    name: 'name',
    emails: 'email',
    emailText: 'email',
    email: 'email',
    phones: 'phone',
    phoneSuffixes: 'phone',
    phone: 'phone',
    numbers: 'number',
    customerNumber: 'customer number',
    customerNumbers: 'customer number',
    text: 'text',
    cities: 'city',
    city: 'city',
    postalCodes: 'postal code',
    streets: 'street',
  };
  return labels[name] ?? name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

interface RowProps {
  item: SearchItem;
  id: string;
  selected: boolean;
  onOpen: (id: string) => void;
  onHover: () => void;
}

export function SearchResultRow({ item, id, selected, onOpen, onHover }: RowProps) {
  const nameFields = ['name', 'search.names', 'names'];
  const nameFragments = nameFields.flatMap((f) => item.highlight?.[f] ?? []);
  // The real name with the matched words marked; when the index matched another
  // writing of the name (a former name, a typo), that writing is listed below.
  const markedName = markWords(item.name, markedTerms(nameFragments));
  // Why it matched: every highlighted field, each once.
  const reasons = Object.entries(item.highlight ?? {})
    .filter(
      ([field, fragments]) => fragments.length > 0 && !(markedName && nameFields.includes(field)),
    )
    .map(([field, fragments]) => ({ label: highlightLabel(field), fragment: fragments[0] }))
    .filter(
      (r, i, all) => all.findIndex((o) => o.label === r.label && o.fragment === r.fragment) === i,
    )
    .slice(0, 3);

  return (
    <li
      id={id}
      role="option"
      aria-selected={selected}
      className={`result-row${selected ? ' selected' : ''}`}
      data-testid="search-result"
      data-customer-id={item.id}
      onMouseDown={(e) => e.preventDefault() /* keep focus in the search box */}
      onClick={() => onOpen(item.id)}
      onMouseMove={onHover}
    >
      <div className="result-main">
        <span className="result-name">{markedName ?? item.name}</span>
        {item.customerNumber && <span className="result-number mono">{item.customerNumber}</span>}
        {item.segment && <span className="badge segment">{item.segment}</span>}
      </div>
      <div className="result-fields">
        <span className="field email">{item.email ?? '—'}</span>
        <span className="field phone mono">{item.phone ?? '—'}</span>
        <span className="field city">{item.city ?? '—'}</span>
      </div>
      {reasons.length > 0 && (
        <div className="result-reasons" data-testid="search-result-highlight">
          {reasons.map((r) => (
            <span key={`${r.label}:${r.fragment}`} className="reason">
              <span className="reason-label">{r.label}</span>{' '}
              <HighlightedText fragment={r.fragment} />
            </span>
          ))}
        </div>
      )}
    </li>
  );
}
