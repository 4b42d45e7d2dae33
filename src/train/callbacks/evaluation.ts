import { accuracyOf, predict } from '../../eval/evaluate.ts';
import type { Callback } from '../callback.ts';

/**
 * Test accuracy at every epoch end, for reading only: nothing is ever chosen on the test set.
 * Validation accuracy too, where a validation split was asked for (what choices may use).
 */
export function evaluation(): Callback {
  return {
    name: 'evaluation',
    onEpochEnd(ctx) {
      const { ds, split, method } = ctx;
      const classify = method.classify.bind(method);
      ctx.row.testAccuracy = accuracyOf(predict(classify, ds.test), ds.test);
      if (split.validation.length)
        ctx.row.validationAccuracy = accuracyOf(
          predict(classify, ds.train, split.validation),
          ds.train,
          split.validation,
        );
    },
  };
}
