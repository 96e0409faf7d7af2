import { useEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';
import { themedLayout } from '../model/plot-theme';
import { usePrefersDark } from './use-prefers-dark';
import type { PlotlyStatic } from 'plotly.js-basic-dist-min';
import { browserIdleScheduler, stepWhenIdle } from '../model/idle-steps';
import type { IdleSteps } from '../model/idle-steps';
import type * as PlotlySteps from 'virtual:plotly-stepper';

/** What plotly adds to the element it draws into. */
export interface PlotlyElement extends HTMLDivElement {
  on?: (event: string, listener: (data: Record<string, unknown>) => void) => void;
  removeAllListeners?: (event: string) => void;
}

type PlotlyStepper = typeof PlotlySteps;

let stepperPromise: Promise<PlotlyStepper> | null = null;
let plotlyPromise: Promise<PlotlyStatic> | null = null;

/**
 * plotly's chunk: fetched and compiled (off the main thread), its modules defined but not run.
 * A failed load is forgotten, so the next need tries again.
 */
function loadStepper(): Promise<PlotlyStepper> {
  stepperPromise ??= import('virtual:plotly-stepper').catch((error: unknown) => {
    stepperPromise = null;
    throw error;
  });
  return stepperPromise;
}

/**
 * plotly is big; it is not loaded with the app but on first need or, a module at a time, when
 * the page is idle (preloadPlotlyWhenIdle). Every figure of the app is a `scatter` trace (SVG
 * lines and markers; parallel coordinates are our own SVG), so the basic bundle (scatter, bar,
 * pie: 1.2 MB) is enough; the full one was 4.6 MB. Whatever the idle time has not run yet runs
 * here, in one go: the user is waiting for the figure.
 */
export function loadPlotly(): Promise<PlotlyStatic> {
  // In a task of its own: the effects that asked for plotly also send the figure's data
  // requests, which go out first and are answered while plotly finishes.
  plotlyPromise ??= loadStepper().then(
    (stepper) =>
      new Promise<PlotlyStatic>((resolve, reject) => {
        setTimeout(() => {
          try {
            resolve(stepper.finish());
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        }, 0);
      }),
  );
  return plotlyPromise;
}

let preloadStarted = false;
let preload: IdleSteps | null = null;
let hurryAsked = false;

/**
 * Gets plotly ready while the user reads the table, so the session's first plot does not wait
 * for it: the chunk is fetched and compiled off the main thread, then its ~400 modules run in
 * idle periods, a few milliseconds at a time, stopping as soon as input is pending
 * (model/idle-steps.ts). Its evaluation in one piece was ~300 ms of main thread here (seconds
 * on a loaded machine), and a click that came meanwhile waited for all of it (issue 13); now a
 * click waits for one module at most. Called when the first rows are in (earlier, the idle time
 * is the wait for those rows). A failed preload is forgotten; the first plot then loads (and
 * reports) it.
 */
export function preloadPlotlyWhenIdle(): void {
  if (preloadStarted || plotlyPromise !== null) return;
  preloadStarted = true;
  browserIdleScheduler.whenIdle(() => {
    loadStepper().then(
      (stepper) => {
        preload = stepWhenIdle(stepper.step, browserIdleScheduler, () => plotlyPromise !== null);
        if (hurryAsked) preload.hurry();
      },
      () => undefined,
    );
  });
}

/**
 * A plot is on its way (its view opened, its runs being fetched): plotly's remaining modules
 * run now, in slices, while that data is fetched, rather than all at once when the figure is
 * drawn.
 */
export function hurryPlotly(): void {
  hurryAsked = true;
  if (preload !== null) preload.hurry();
  else preloadPlotlyWhenIdle();
}

interface Figure {
  traces: object[];
  layout: Record<string, unknown>;
  /** Plotly keeps zoom and selections while this stays the same. */
  uirevision: string;
  config: Record<string, unknown>;
  /** Plotly events to pass on; the handlers may change between renders. */
  events: Record<string, (data: Record<string, unknown>) => void>;
}

/**
 * Draws (and redraws) a plotly figure into the element, marks it `drawn` once plotly is done,
 * wires the events once, and purges the figure when the component goes away. Returns the
 * message of a figure that could not be drawn, or null.
 */
export function usePlotlyFigure(
  ref: RefObject<PlotlyElement | null>,
  figure: Figure,
): string | null {
  const [failure, setFailure] = useState<string | null>(null);
  const eventsRef = useRef(figure.events);
  eventsRef.current = figure.events;
  const eventNames = Object.keys(figure.events).join(',');
  const { traces, layout, uirevision, config } = figure;
  const dark = usePrefersDark();

  useEffect(() => {
    let current = true;
    const element = ref.current;
    if (element === null) return undefined;
    // classList, not className: plotly adds its own classes to this div.
    element.classList.remove('drawn');
    loadPlotly()
      .then((Plotly) => {
        if (!current) return undefined;
        return Plotly.react(
          element,
          traces,
          { ...themedLayout(layout, dark), uirevision },
          {
            displaylogo: false,
            responsive: true,
            ...config,
          },
        );
      })
      .then(
        () => {
          if (!current) return;
          setFailure(null);
          element.classList.add('drawn');
          if (element.dataset.listening !== 'yes' && element.on !== undefined) {
            element.dataset.listening = 'yes';
            for (const name of eventNames.split(',').filter(Boolean)) {
              element.on(name, (data) => eventsRef.current[name]?.(data));
            }
          }
        },
        (error: unknown) => {
          if (current) setFailure(error instanceof Error ? error.message : String(error));
        },
      );
    return () => {
      current = false;
    };
    // config is built by the caller each render; its content never changes for one figure.
  }, [ref, traces, layout, uirevision, eventNames, dark]);

  useEffect(() => {
    const element = ref.current;
    return () => {
      if (element !== null && plotlyPromise !== null) {
        void plotlyPromise.then((Plotly) => Plotly.purge(element));
      }
    };
  }, [ref]);

  return failure;
}
