import type { Explanation } from '../api.js';
import { formatBits, formatProbability } from '../format.js';

/** The model's fields (src/core/linkage/person-link.ts) as a reader says them. */
const FIELD_LABELS: Record<string, string> = {
  given_name: 'Given names',
  family_name: 'Family names',
  birth_date: 'Birth date',
  sex: 'Sex',
  nationality: 'Citizenship',
  document_number: 'Document number',
};

/** Agreement levels (src/core/linkage/compare-fields.ts) in plain words; the others are plain already. */
const LEVEL_LABELS: Record<string, string> = {
  exact: 'agree exactly',
  else: 'disagree',
  missing: 'missing (counts neither way)',
};

export const fieldLabel = (field: string): string => FIELD_LABELS[field] ?? field.replace(/_/g, ' ');
const levelLabel = (level: string): string => LEVEL_LABELS[level] ?? level;

/**
 * The waterfall of a pair's match weight: the prior (the odds that two records picked at random are one
 * person), then what each field adds or takes away, in bits (log2 of the Bayes factor), ending at the
 * match weight and its probability. Each bar starts where the previous one ended: right and green adds
 * weight, left and red takes it away. The figures are in the table as text; the bars only draw them.
 */
export function MatchWaterfall({ explanation }: { explanation: Explanation }) {
  const { prior, fields, matchWeight, probability } = explanation;
  const steps: { from: number; to: number }[] = [];
  let at = prior;
  for (const f of fields) {
    steps.push({ from: at, to: at + f.weight });
    at += f.weight;
  }
  const points = [0, prior, matchWeight, ...steps.map((s) => s.to)];
  const lo = Math.min(...points);
  const hi = Math.max(...points);
  const span = hi - lo || 1;
  const pos = (w: number) => ((w - lo) / span) * 100;

  return (
    <div className="table-wrap">
      <table className="grid waterfall" data-testid="waterfall">
        <caption>
          How the model weighed the pair, in bits: every bit doubles (or halves) the odds that the two records
          are one person. Values are shown as the model compares them (normalised).
        </caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Agreement</th>
            <th scope="col">This record</th>
            <th scope="col">Candidate</th>
            <th scope="col" className="num">
              Weight (bits)
            </th>
            <th scope="col" className="wf-bar-cell">
              <span className="visually-hidden">Running match weight</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <tr data-testid="waterfall-prior" data-weight={prior}>
            <th scope="row">Prior</th>
            <td colSpan={3} className="muted">
              Starting odds that two records are one person, before any field is compared
            </td>
            <td className="num">{formatBits(prior)}</td>
            <td className="wf-bar-cell">
              <Bar from={0} to={prior} pos={pos} />
            </td>
          </tr>
          {fields.map((f, i) => (
            <tr
              key={f.field}
              data-testid="waterfall-row"
              data-field={f.field}
              data-level={f.level}
              data-weight={f.weight}
              data-tf-adjustment={f.termFrequencyAdjustment}
            >
              <th scope="row">{fieldLabel(f.field)}</th>
              <td data-column="level">{levelLabel(f.level)}</td>
              <td data-column="record">
                <code>{f.record ?? '—'}</code>
              </td>
              <td data-column="candidate">
                <code>{f.candidate ?? '—'}</code>
              </td>
              <td
                className={`num ${f.weight < 0 ? 'wf-down' : f.weight > 0 ? 'wf-up' : ''}`}
                data-column="weight"
              >
                {formatBits(f.weight)}
                {f.termFrequencyAdjustment !== 0 ? (
                  <span
                    className="tag"
                    data-testid="waterfall-tf"
                    title="Term-frequency adjustment: agreeing on a rare value counts more than on a common one."
                  >
                    {formatBits(f.termFrequencyAdjustment)} for how{' '}
                    {f.termFrequencyAdjustment > 0 ? 'rare' : 'common'} the value is
                  </span>
                ) : null}
              </td>
              <td className="wf-bar-cell">
                <Bar from={steps[i]!.from} to={steps[i]!.to} pos={pos} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid="waterfall-total" data-weight={matchWeight} data-probability={probability}>
            <th scope="row">Match weight</th>
            <td colSpan={3}>
              Probability that the two are one person:{' '}
              <strong data-testid="waterfall-probability">{formatProbability(probability)}</strong>
            </td>
            <td className="num">{formatBits(matchWeight)}</td>
            <td className="wf-bar-cell">
              <Bar from={0} to={matchWeight} pos={pos} total />
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function Bar({
  from,
  to,
  pos,
  total,
}: {
  from: number;
  to: number;
  pos: (w: number) => number;
  total?: boolean;
}) {
  const left = Math.min(pos(from), pos(to));
  const width = Math.abs(pos(to) - pos(from));
  const tone = total ? 'total' : to >= from ? 'up' : 'down';
  return (
    <div className="wf-track" aria-hidden="true">
      <div className="wf-zero" style={{ left: `${pos(0)}%` }} />
      <div className={`wf-bar ${tone}`} style={{ left: `${left}%`, width: `${width}%` }} />
    </div>
  );
}
