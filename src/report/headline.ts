/**
 * The budget a report dwells on (confusion matrices, error against steps and time): 100 labels,
 * the setting the papers report, or the numeric budget nearest to it by ratio; 'all' only when
 * the sweep has nothing else.
 */
export const HEADLINE_LABELS = 100;

export function headlineBudget(labels: (number | 'all')[]): number | 'all' | null {
  const nums = labels.filter((l): l is number => typeof l === 'number');
  if (!nums.length) return labels.length ? 'all' : null;
  const dist = (l: number) => Math.abs(Math.log(l / HEADLINE_LABELS));
  return nums.reduce((a, b) => (dist(b) < dist(a) || (dist(b) === dist(a) && b > a) ? b : a));
}
