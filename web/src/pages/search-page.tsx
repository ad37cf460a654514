import { useMemo } from 'react';
import { createColumnHelper } from '@tanstack/react-table';
import { api, type PersonHit } from '../api.js';
import { countryLabel } from '../country-names.js';
import { DataTable } from '../components/data-table.js';
import { ErrorMessage, Loading } from '../components/status.js';
import { Link, useLocation } from '../router.js';
import { useApi } from '../use-api.js';

const MATCHED_ON: Record<PersonHit['matchedOn'], string> = {
  document: 'Document number',
  'admission-number': 'Admission number',
  name: 'Family name',
  particulars: 'Name and particulars (fuzzy)',
};

export function SearchPage() {
  const { search } = useLocation();
  const q = (search.get('q') ?? '').trim();
  return (
    <>
      <h1>Find a person</h1>
      {q.length < 2 ? (
        <p>
          Type a travel document number, an admission number or a family name (at least two characters) in the
          search box above.
        </p>
      ) : (
        <Results q={q} />
      )}
    </>
  );
}

const col = createColumnHelper<PersonHit>();

function Results({ q }: { q: string }) {
  const result = useApi(`search:${q}`, (signal) => api.searchPersons(q, signal));
  const columns = useMemo(
    () => [
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
      col.accessor('matchedOn', { header: 'Matched on', cell: (c) => MATCHED_ON[c.getValue()] }),
    ],
    [],
  );
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
