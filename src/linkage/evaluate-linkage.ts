import type { PairList } from '../core/linkage/train-model.js';

export interface PairwiseQuality {
  readonly truePositives: number;
  readonly predictedPairs: number;
  readonly truePairs: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

const pairsIn = (k: number) => (k * (k - 1)) / 2;

function quality(truePositives: number, predictedPairs: number, truePairs: number): PairwiseQuality {
  const precision = predictedPairs === 0 ? 1 : truePositives / predictedPairs;
  const recall = truePairs === 0 ? 1 : truePositives / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePositives, predictedPairs, truePairs, precision, recall, f1 };
}

function countPairs(labels: Iterable<string>): number {
  const sizes = new Map<string, number>();
  for (const l of labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  let n = 0;
  for (const k of sizes.values()) n += pairsIn(k);
  return n;
}

/** Pairwise precision, recall and F1 of clusters against the true person of each record. */
export function clusterQuality(cluster: ArrayLike<number>, truth: readonly string[]): PairwiseQuality {
  const predicted = Array.from(cluster, String);
  const both = predicted.map((p, i) => `${p}\u001f${truth[i]}`);
  return quality(countPairs(both), countPairs(predicted), countPairs(truth));
}

/** Share of the true pairs that blocking made candidates (pair completeness). */
export function blockingRecall(candidates: PairList, truth: readonly string[]): number {
  let found = 0;
  for (let k = 0; k < candidates.left.length; k++)
    if (truth[candidates.left[k]!] === truth[candidates.right[k]!]) found++;
  const all = countPairs(truth);
  return all === 0 ? 1 : found / all;
}

/** Quality of linking every candidate pair at or above each threshold (no clustering). */
export function qualityByThreshold(
  candidates: PairList,
  probability: ArrayLike<number>,
  truth: readonly string[],
  thresholds: readonly number[],
): (PairwiseQuality & { threshold: number })[] {
  const all = countPairs(truth);
  return thresholds.map((threshold) => {
    let predicted = 0;
    let tp = 0;
    for (let k = 0; k < candidates.left.length; k++) {
      if (probability[k]! < threshold) continue;
      predicted++;
      if (truth[candidates.left[k]!] === truth[candidates.right[k]!]) tp++;
    }
    return { threshold, ...quality(tp, predicted, all) };
  });
}

/** A precision-recall curve as an SVG image (recall across, precision up). */
export function precisionRecallSvg(
  points: readonly { threshold: number; precision: number; recall: number }[],
): string {
  const W = 480;
  const H = 360;
  const pad = 48;
  // Each axis runs from just below its lowest value to 1: good linkages crowd into the top corner.
  const floorOf = (xs: number[]) => Math.min(0.9, Math.floor(Math.min(1, ...xs) * 20) / 20);
  const rLo = floorOf(points.map((p) => p.recall));
  const pLo = floorOf(points.map((p) => p.precision));
  const x = (r: number) => pad + ((r - rLo) / (1 - rLo)) * (W - 2 * pad);
  const y = (p: number) => H - pad - ((p - pLo) / (1 - pLo)) * (H - 2 * pad);
  const sorted = [...points].sort((a, b) => a.recall - b.recall);
  const path = sorted
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.recall).toFixed(1)},${y(p.precision).toFixed(1)}`)
    .join(' ');
  const ticks = (lo: number) => [0, 0.25, 0.5, 0.75, 1].map((t) => lo + t * (1 - lo));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<title>Precision-recall curve</title>
<rect width="${W}" height="${H}" fill="white"/>
<line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="black"/>
<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${H - pad}" stroke="black"/>
${ticks(rLo)
  .map((t) => `<text x="${x(t)}" y="${H - pad + 16}" text-anchor="middle">${+t.toFixed(4)}</text>`)
  .join('\n')}
${ticks(pLo)
  .map((t) => `<text x="${pad - 8}" y="${y(t) + 4}" text-anchor="end">${+t.toFixed(4)}</text>`)
  .join('\n')}
<text x="${W / 2}" y="${H - 10}" text-anchor="middle">recall</text>
<text x="14" y="${H / 2}" text-anchor="middle" transform="rotate(-90 14 ${H / 2})">precision</text>
<path d="${path}" fill="none" stroke="#1f5fa8" stroke-width="2"/>
${sorted.map((p) => `<circle cx="${x(p.recall).toFixed(1)}" cy="${y(p.precision).toFixed(1)}" r="2.5" fill="#1f5fa8"><title>threshold ${p.threshold}: precision ${p.precision.toFixed(4)}, recall ${p.recall.toFixed(4)}</title></circle>`).join('\n')}
</svg>
`;
}
