import { outcomeLabel, outcomeTone } from '../format.js';

export function OutcomeBadge({ outcome, testId = 'stay-outcome' }: { outcome: string; testId?: string }) {
  return (
    <span className={`badge badge-${outcomeTone(outcome)}`} data-testid={testId} data-outcome={outcome}>
      {outcomeLabel(outcome)}
    </span>
  );
}
