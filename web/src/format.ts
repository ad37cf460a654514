import type { ReportCell } from './api.js';

const integer = new Intl.NumberFormat('en-US');
export const formatCount = (n: number): string => integer.format(n);
export const formatRate = (pct: number): string => `${pct.toFixed(2)}%`;

/** Report cells, in the words of the DHS Entry/Exit Overstay Report. */
export const CELL_LABELS: Record<ReportCell, string> = {
  'departed-on-time': 'Departed on time',
  'departed-date-unknown': 'Departed, date unknown',
  'out-of-country-overstay': 'Out-of-country overstays',
  'suspected-in-country-overstay': 'Suspected in-country overstays',
  unresolved: 'Unresolved',
};

/** One stay's place in the report, in the singular. */
export const CELL_SINGULAR: Record<ReportCell, string> = {
  'departed-on-time': 'Departed on time',
  'departed-date-unknown': 'Departed, date unknown',
  'out-of-country-overstay': 'Out-of-country overstay',
  'suspected-in-country-overstay': 'Suspected in-country overstay',
  unresolved: 'Unresolved',
};

/** Stay outcomes (src/core/stays/stay.ts) as a reader says them. */
export const OUTCOME_LABELS: Record<string, string> = {
  'departed-on-time': 'Departed on time',
  'departed-late': 'Out-of-country overstay (departed late)',
  'suspected-in-country-overstay': 'Suspected in-country overstay',
  'within-period': 'Within authorized period',
  'extension-pending': 'Extension pending',
  'status-changed': 'Status changed',
  'duration-of-status-open': 'Duration of status (open)',
  'departed-date-unknown': 'Departed, date unknown',
  unresolved: 'Unresolved',
};

export const outcomeLabel = (outcome: string): string => OUTCOME_LABELS[outcome] ?? outcome;

/** The badge tone of an outcome: overstays stand out, open periods are neutral. */
export function outcomeTone(outcome: string): 'bad' | 'warn' | 'good' | 'neutral' {
  if (outcome === 'suspected-in-country-overstay') return 'bad';
  if (outcome === 'departed-late' || outcome === 'unresolved') return 'warn';
  if (outcome === 'departed-on-time') return 'good';
  return 'neutral';
}

export const CHANNEL_LABELS: Record<string, string> = {
  air: 'Air',
  sea: 'Sea',
  land: 'Land',
  'self-report': 'Self-reported',
  removal: 'Removal',
};

/** A probability as a percentage, with the digits it takes to tell it from 0 % or 100 %. */
export function formatProbability(p: number): string {
  if (!Number.isFinite(p)) return '—';
  const pct = p * 100;
  if (pct >= 99.95) {
    const s = pct.toFixed(4);
    return s === '100.0000' ? '> 99.9999%' : `${s}%`;
  }
  if (pct < 0.05) {
    const s = pct.toFixed(4);
    return s === '0.0000' ? '< 0.0001%' : `${s}%`;
  }
  return `${pct.toFixed(1)}%`;
}

/** A match weight in bits, always signed (− is a true minus sign). */
export const formatBits = (w: number): string => `${w < 0 ? '−' : '+'}${Math.abs(w).toFixed(2)}`;

/** An ISO timestamp as "YYYY-MM-DD HH:MM UTC". */
export const formatInstant = (iso: string): string =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
