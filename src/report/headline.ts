/** The label budget the papers report. */
export const HEADLINE_LABELS = 100;

/**
 * The budget a report dwells on (confusion matrices, error against steps and time): 100 labels,
 * or the numeric budget nearest to it by ratio; 'all' only when the sweep has nothing else.
 */
export function headlineBudget(labels: (number | 'all')[]): number | 'all' | null {
  const nums = labels.filter((l): l is number => typeof l === 'number');
  if (!nums.length) return labels.length ? 'all' : null;
  const dist = (l: number) => Math.abs(Math.log(l / HEADLINE_LABELS));
  return nums.reduce((a, b) => (dist(b) < dist(a) || (dist(b) === dist(a) && b > a) ? b : a));
}
