import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { setPurpose, usePurpose } from '../purpose.js';
import { useApi } from '../use-api.js';

/**
 * The purpose the user works under, chosen from the configured list, with the case or ticket reference
 * a purpose needs. Sent with every request; the server refuses personal data without one.
 */
export function PurposePicker() {
  const purposes = useApi('purposes', (signal) => api.purposes(signal));
  const chosen = usePurpose();
  const [reference, setReference] = useState(chosen?.reference ?? '');
  useEffect(() => setReference(chosen?.reference ?? ''), [chosen?.reference]);
  if (purposes.status !== 'ok') return null;
  const list = purposes.data.purposes;
  const needsReference = list.find((p) => p.code === chosen?.code)?.needsReference ?? false;
  return (
    <div className="purpose-picker">
      <label htmlFor="purpose-select">Purpose</label>
      <select
        id="purpose-select"
        data-testid="purpose-select"
        value={chosen?.code ?? ''}
        onChange={(e) => setPurpose(e.target.value ? { code: e.target.value, reference } : null)}
      >
        <option value="">Choose…</option>
        {list.map((p) => (
          <option key={p.code} value={p.code}>
            {p.label}
          </option>
        ))}
      </select>
      {needsReference ? (
        <input
          aria-label="Case or ticket reference"
          placeholder="Case or ticket reference"
          data-testid="purpose-reference"
          value={reference}
          maxLength={100}
          onChange={(e) => setReference(e.target.value)}
          onBlur={() => chosen && setPurpose({ code: chosen.code, reference })}
        />
      ) : null}
    </div>
  );
}
