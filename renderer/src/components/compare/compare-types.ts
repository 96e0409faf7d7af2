import type { RunDetail } from '../../../../shared/contract';

/** A run of the compare view: its detail, key string, short label and its colour. */
export interface ComparedRun {
  key: string;
  run: RunDetail;
  label: string;
  /** The run's own colour (run-colours.ts), the one it has in every plot of the same runs. */
  colour: string;
}
