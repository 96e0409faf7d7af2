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
