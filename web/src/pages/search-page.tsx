import { useMemo, useState, type FormEvent } from 'react';
import { createColumnHelper } from '@tanstack/react-table';
import { api, withQuery, type Particulars, type SearchHit } from '../api.js';
import { countryLabel } from '../country-names.js';
import { DataTable } from '../components/data-table.js';
import { ErrorMessage, Loading } from '../components/status.js';
import { formatProbability } from '../format.js';
import { Link, navigate, useLocation } from '../router.js';
import { useApi } from '../use-api.js';

const MATCHED_ON: Record<SearchHit['matchedOn'], string> = {
  document: 'Document number',
  'admission-number': 'Admission number',
  name: 'Family name',
  particulars: 'Name and particulars (fuzzy)',
};

/** The particulars of an advanced search, from the page address (empty ones left out). */
function particularsOf(search: URLSearchParams): Particulars | null {
  const p: Particulars = {};
  for (const k of ['name', 'birthDate', 'document'] as const) {
    const v = search.get(k)?.trim();
    if (v) p[k] = v;
  }
  return Object.keys(p).length > 0 ? p : null;
}

export function SearchPage() {
  const { search } = useLocation();
  const q = (search.get('q') ?? '').trim();
  const particulars = particularsOf(search);
  return (
    <>
      <h1>Find a person</h1>
      {particulars ? null : q.length < 2 ? (
        <p>
          Type a travel document number, an admission number or a family name (at least two characters) in the
          search box above, or search by name and particulars below.
        </p>
      ) : (
        <Results q={q} />
      )}
      <AdvancedSearch key={search.toString()} initial={particulars ?? {}} />
      {particulars ? <RankedResults particulars={particulars} /> : null}
    </>
  );
}

/**
 * Search by particulars: a name in any order (fuzzy: sound, typos, transliteration), a birth date, a
 * document number. The persons found are ranked by the linkage model's probability.
 */
function AdvancedSearch({ initial }: { initial: Particulars }) {
  const [name, setName] = useState(initial.name ?? '');
  const [birthDate, setBirthDate] = useState(initial.birthDate ?? '');
  const [document, setDocument] = useState(initial.document ?? '');
  const enough = name.trim().length >= 2 || document.trim().length >= 2;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!enough) return;
    navigate(
      withQuery('/search', { name: name.trim(), birthDate: birthDate.trim(), document: document.trim() }),
    );
  };
  return (
    <form className="period advanced-search" onSubmit={submit} data-testid="advanced-search-form">
      <h2 className="visually-hidden">Search by particulars</h2>
      <div className="field">
        <label htmlFor="advanced-name">Name (any order, spelling may vary)</label>
        <input
          id="advanced-name"
          data-testid="advanced-name"
          value={name}
          minLength={2}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="advanced-birth-date">Birth date</label>
        <input
          id="advanced-birth-date"
          data-testid="advanced-birth-date"
          type="date"
          value={birthDate}
          onChange={(e) => setBirthDate(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="advanced-document">Document number</label>
        <input
          id="advanced-document"
          data-testid="advanced-document"
          value={document}
          minLength={2}
          maxLength={40}
          onChange={(e) => setDocument(e.target.value)}
        />
      </div>
      <button type="submit" data-testid="advanced-submit" disabled={!enough}>
        Search by particulars
      </button>
      <p className="hint">Give a name or a document number; a birth date narrows them.</p>
    </form>
  );
}

const col = createColumnHelper<SearchHit>();

function hitColumns(ranked: boolean) {
  return [
    col.accessor('name', {
      header: 'Name',
      cell: (c) => (
        <Link to={`/persons/${c.row.original.personId}`} data-testid="search-hit-link">
          {c.getValue() || `Person ${c.row.original.personId}`}
        </Link>
      ),
    }),
    col.accessor('birthDate', { header: 'Born', cell: (c) => c.getValue() ?? '—' }),
    col.accessor('nationality', {
      header: 'Citizenship',
      cell: (c) => (c.getValue() ? countryLabel(c.getValue()!) : '—'),
    }),
    col.accessor('document', { header: 'Document', cell: (c) => c.getValue() ?? '—' }),
    ...(ranked
      ? [
          col.accessor('probability', {
            header: 'Probability',
            meta: { numeric: true },
            cell: (c) => (c.getValue() === null ? '—' : formatProbability(c.getValue()!)),
          }),
        ]
      : [col.accessor('matchedOn', { header: 'Matched on', cell: (c) => MATCHED_ON[c.getValue()] })]),
  ];
}

function Results({ q }: { q: string }) {
  const result = useApi(`search:${q}`, (signal) => api.searchPersons(q, signal));
  const columns = useMemo(() => hitColumns(false), []);
  if (result.status === 'loading') return <Loading what="matching persons" />;
  if (result.status === 'error') return <ErrorMessage error={result.error} retry={result.reload} />;
  const hits = result.data.hits;
  return (
    <>
      <p data-testid="search-count" role="status">
        {hits.length === 0
          ? `No person matches “${q}”.`
          : `${hits.length} ${hits.length === 1 ? 'person matches' : 'persons match'} “${q}”.`}
      </p>
      {hits.length > 0 ? (
        <DataTable
          data={hits}
          columns={columns}
          testId="search-results"
          caption="Exact matches on document number, admission number or family name."
          rowAttributes={(h) => ({ 'data-testid': 'search-hit', 'data-person-id': h.personId })}
        />
      ) : null}
    </>
  );
}

function RankedResults({ particulars }: { particulars: Particulars }) {
  const key = JSON.stringify(particulars);
  const result = useApi(`search-particulars:${key}`, (signal) =>
    api.searchByParticulars(particulars, signal),
  );
  const columns = useMemo(() => hitColumns(true), []);
  if (result.status === 'loading') return <Loading what="matching persons" />;
  if (result.status === 'error') return <ErrorMessage error={result.error} retry={result.reload} />;
  const hits = result.data.hits;
  const described = [
    particulars.name,
    particulars.birthDate && `born ${particulars.birthDate}`,
    particulars.document,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <>
      <p data-testid="search-count" role="status">
        {hits.length === 0
          ? `No person matches “${described}”.`
          : `${hits.length} ${hits.length === 1 ? 'person' : 'persons'} found for “${described}”, most likely first.`}
      </p>
      {hits.length > 0 ? (
        <DataTable
          data={hits}
          columns={columns}
          testId="search-results"
          caption="Ranked by the linkage model's probability that the person is the one described."
          rowAttributes={(h) => ({
            'data-testid': 'search-hit',
            'data-person-id': h.personId,
            'data-probability': h.probability ?? '',
          })}
        />
      ) : null}
    </>
  );
}
