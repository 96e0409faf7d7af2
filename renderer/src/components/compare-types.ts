import type { RunDetail } from '../../../shared/contract';

/** A run of the compare view: its detail, key string and short label. */
export interface ComparedRun {
  key: string;
  run: RunDetail;
  label: string;
}
