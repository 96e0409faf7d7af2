import { useEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';
import { themedLayout } from '../model/plot-theme';
import { usePrefersDark } from './use-prefers-dark';
import type { PlotlyStatic } from 'plotly.js-basic-dist-min';

/** What plotly adds to the element it draws into. */
export interface PlotlyElement extends HTMLDivElement {
  on?: (event: string, listener: (data: Record<string, unknown>) => void) => void;
  removeAllListeners?: (event: string) => void;
}

let plotlyPromise: Promise<PlotlyStatic> | null = null;

/**
 * plotly is big; it is not loaded with the app but on first need or when idle. Every figure
 * of the app is a `scatter` trace (SVG lines and markers; parallel coordinates are our own
 * SVG), so the basic bundle (scatter, bar, pie: 1.2 MB) is enough; the full one was 4.6 MB,
 * and its evaluation was the first plot's wait (issue 13).
 */
export function loadPlotly(): Promise<PlotlyStatic> {
  plotlyPromise ??= import('plotly.js-basic-dist-min').then((module) => module.default);
  return plotlyPromise;
}

let preloadScheduled = false;

/** The user has not scrolled, clicked or typed for this long: a good moment for plotly. */
const QUIET_MS = 1000;
const INPUT_EVENTS = ['pointerdown', 'keydown', 'wheel', 'scroll'] as const;

/**
 * Loads plotly once the user pauses, so the session's first plot does not wait for the plotly
 * chunk. Called when the first rows are in (earlier, the idle time is the wait for those rows).
 * Evaluating plotly is one long main-thread task (~0.5 s here, seconds on a busy machine)
 * that cannot be split: it waits for QUIET_MS without input and then an idle callback, so it
 * does not land in the middle of a fling. A failed preload is forgotten; the first plot then
 * loads (and reports) it as before.
 */
export function preloadPlotlyWhenIdle(): void {
  if (preloadScheduled || plotlyPromise !== null) return;
  preloadScheduled = true;
  let lastInput = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onInput = (): void => {
    lastInput = performance.now();
  };
  const stop = (): void => {
    clearTimeout(timer);
    for (const name of INPUT_EVENTS) document.removeEventListener(name, onInput, true);
  };
  const load = (): void => {
    if (plotlyPromise !== null) {
      stop();
      return;
    }
    const quietFor = performance.now() - lastInput;
    if (quietFor < QUIET_MS) {
      wait(QUIET_MS - quietFor);
      return;
    }
    stop();
    loadPlotly().catch(() => {
      plotlyPromise = null;
    });
  };
  const wait = (ms: number): void => {
    timer = setTimeout(() => {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(load, { timeout: 1000 });
      else load();
    }, ms);
  };
  for (const name of INPUT_EVENTS) {
    document.addEventListener(name, onInput, { capture: true, passive: true });
  }
  wait(QUIET_MS);
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
