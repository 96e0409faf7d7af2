// The few plotly.js calls this app makes; plotly.js-basic-dist-min ships no types.
declare module 'plotly.js-basic-dist-min' {
  export interface PlotlyStatic {
    react(element: HTMLElement, data: object[], layout?: object, config?: object): Promise<unknown>;
    purge(element: HTMLElement): void;
    Plots: { resize(element: HTMLElement): unknown };
  }
  const Plotly: PlotlyStatic;
  export default Plotly;
}

// plotly's bundle as a module that runs in steps (build/plotly-stepper.ts).
declare module 'virtual:plotly-stepper' {
  import type { PlotlyStatic } from 'plotly.js-basic-dist-min';
  /** Runs plotly's modules one at a time until `shouldStop()`; true when none is left. */
  export function step(shouldStop: () => boolean): boolean;
  /** Runs what is left and returns plotly. */
  export function finish(): PlotlyStatic;
}
