import { useCallback, useEffect, useState } from 'react';
import { HttpError } from './api.js';
import { usePurpose } from './purpose.js';

export type Loadable<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ok'; readonly data: T }
  | { readonly status: 'error'; readonly error: HttpError };

/**
 * Loads data for a page; a new key cancels the request in flight (so a fast click through periods
 * never shows a stale answer). `reload` fetches again with the same key.
 */
export function useApi<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
): Loadable<T> & { reload: () => void } {
  const [state, setState] = useState<{ key: string; value: Loadable<T> }>({
    key,
    value: { status: 'loading' },
  });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  // A new purpose of use asks again: what was refused for want of one may now be answered.
  const purpose = usePurpose();

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => (s.key === key && s.value.status === 'ok' ? s : { key, value: { status: 'loading' } }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ key, value: { status: 'ok', data } });
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        const error = HttpError.from(err);
        setState({ key, value: { status: 'error', error } });
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure on every render; `key` names what it loads, so only `key` re-runs it.
  }, [key, generation, purpose?.code, purpose?.reference]);

  const value: Loadable<T> = state.key === key ? state.value : { status: 'loading' };
  return { ...value, reload };
}
