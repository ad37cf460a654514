import { useEffect, useState } from 'react';
import type { DepartureAlert } from '../api.js';
import { openEventStream, type StreamState } from '../event-stream.js';
import { CHANNEL_LABELS } from '../format.js';
import { purposeHeaders, usePurpose } from '../purpose.js';
import { Link } from '../router.js';
import { offered, useUser } from '../session.js';

/** Alerts not yet dismissed, kept for the browser tab (a reload keeps them: the server says each once). */
const storageKey = (userId: string) => `imos.departure-alerts.${userId}`;

function stored(userId: string): DepartureAlert[] {
  try {
    const raw = sessionStorage.getItem(storageKey(userId));
    return raw ? (JSON.parse(raw) as DepartureAlert[]) : [];
  } catch {
    return [];
  }
}

function store(userId: string, alerts: readonly DepartureAlert[]): void {
  try {
    if (alerts.length === 0) sessionStorage.removeItem(storageKey(userId));
    else sessionStorage.setItem(storageKey(userId), JSON.stringify(alerts));
  } catch {
    // storage full or refused: the alerts still show until the page is left
  }
}

/**
 * Alerts for the persons the user follows (officers, supervisors): "Person N was confirmed departed on
 * DATE (channel)", from `GET /api/follows/events`. The stream is personal (each alert is an audit entry
 * with the stream's purpose), so it names the purpose chosen in the header and starts only once one is;
 * a new purpose opens it again. EventSource cannot send that header: the stream is read with fetch().
 */
export function DepartureAlerts() {
  const user = useUser();
  const purpose = usePurpose();
  const userId = user?.id ?? '';
  const enabled = offered(user, 'follow') && purpose !== null;
  const [alerts, setAlerts] = useState<DepartureAlert[]>(() => (userId ? stored(userId) : []));
  const [state, setState] = useState<StreamState | 'off'>('off');

  useEffect(() => {
    if (!enabled) {
      setState('off');
      return;
    }
    return openEventStream('/api/follows/events', purposeHeaders, {
      onState: (s) => setState(s),
      onEvent: (e) => {
        if (e.event !== 'departure-confirmed') return;
        let alert: DepartureAlert;
        try {
          alert = JSON.parse(e.data) as DepartureAlert;
        } catch {
          return;
        }
        setAlerts((list) => {
          if (list.some((a) => a.observationId === alert.observationId && a.personId === alert.personId))
            return list;
          const next = [...list, alert];
          store(userId, next);
          return next;
        });
      },
    });
  }, [enabled, userId, purpose?.code, purpose?.reference]);

  const dismiss = (a: DepartureAlert) =>
    setAlerts((list) => {
      const next = list.filter((x) => x !== a);
      store(userId, next);
      return next;
    });

  if (!offered(user, 'follow')) return null;
  return (
    <section
      className={alerts.length > 0 ? 'departure-alerts' : 'departure-alerts empty'}
      aria-label="Departure alerts"
      aria-live="polite"
      data-testid="departure-alerts"
      data-state={state}
    >
      {alerts.length > 0 ? (
        <ul>
          {alerts.map((a) => (
            <li
              key={`${a.personId}:${a.observationId}`}
              className="departure-alert"
              data-testid="departure-alert"
              data-person-id={a.personId}
              data-departed-on={a.departedOn}
              data-channel={a.channel ?? ''}
            >
              <span>
                <Link to={`/persons/${a.personId}`} data-testid="departure-alert-link">
                  Person {a.personId}
                </Link>{' '}
                was confirmed departed on {a.departedOn}
                {a.channel ? ` (${CHANNEL_LABELS[a.channel] ?? a.channel})` : ''}.
              </span>
              <button
                type="button"
                onClick={() => dismiss(a)}
                aria-label={`Dismiss the alert about person ${a.personId}`}
                data-testid="departure-alert-dismiss"
              >
                Dismiss
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
