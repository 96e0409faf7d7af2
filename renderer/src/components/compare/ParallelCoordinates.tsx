import { useEffect, useRef, useState } from 'react';
import type { PointerEvent } from 'react';
import type { CompareAxis, ConstraintRange } from '../../model/compare-axes';
import { VIRIDIS } from '../../model/colour-scale';
import type { ColourScale } from '../../model/colour-scale';

const TOP = 56;
const BOTTOM = 28;
/** Room left of the first axis for its tick labels, right of the last for the labels too. */
const SIDE = 64;
const MIN_WIDTH = 320;
const MIN_HEIGHT = 300;
/** Label text is ~7 px a character at 12 px. */
const CHAR_PX = 7;

interface Props {
  axes: CompareAxis[];
  labels: string[];
  constraints: ConstraintRange[];
  /** A new constraint for one axis (null clears it). */
  onConstraint: (axis: number, range: ConstraintRange) => void;
  /** Index per run: whether it lies inside every brushed range. */
  inside: boolean[];
  /** The colour of each run's line (by a metric's scale, or the run's own colour). */
  colours: string[];
  /** The scale the colours come from, shown as a legend; null when lines wear run colours. */
  legend: { title: string; scale: ColourScale } | null;
}

function extent(axis: CompareAxis): [number, number] {
  if (axis.ticktext !== undefined) return [0, Math.max(1, axis.ticktext.length - 1)];
  const finite = axis.values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

function short(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

function clip(text: string, chars: number): string {
  const room = Math.max(4, chars);
  return text.length > room ? `…${text.slice(-(room - 1))}` : text;
}

/** The element's size in CSS pixels, followed as the panel resizes. */
function useSize(element: HTMLElement | null): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    if (element === null) return undefined;
    const measure = (): void =>
      setSize({ width: element.clientWidth, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return size;
}

/**
 * Parallel coordinates drawn as SVG at the panel's own size (one SVG unit is one CSS pixel,
 * so labels stay 12 px at any width): plotly's `parcoords` needs WebGL shaders that regl
 * compiles with `new Function`, which the app's Content-Security-Policy (no unsafe-eval)
 * forbids. Drag along an axis to brush a range; a click on an axis clears its range.
 */
export function ParallelCoordinates({
  axes,
  labels,
  constraints,
  onConstraint,
  inside,
  colours,
  legend,
}: Props) {
  const [frame, setFrame] = useState<HTMLDivElement | null>(null);
  const size = useSize(frame);
  const W = Math.max(MIN_WIDTH, size.width);
  const H = Math.max(MIN_HEIGHT, size.height);
  const svgRef = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ axis: number; y0: number; y1: number } | null>(null);
  const spacing = axes.length <= 1 ? W - 2 * SIDE : (W - 2 * SIDE) / (axes.length - 1);
  const labelChars = Math.floor(Math.min(spacing, 260) / CHAR_PX);
  const xOf = (i: number): number => (axes.length === 1 ? W / 2 : SIDE + i * spacing);
  const extents = axes.map(extent);
  const yOf = (i: number, v: number): number => {
    const [lo, hi] = extents[i] ?? [0, 1];
    return TOP + (1 - (v - lo) / (hi - lo)) * (H - TOP - BOTTOM);
  };
  const valueOf = (i: number, y: number): number => {
    const [lo, hi] = extents[i] ?? [0, 1];
    return lo + (1 - (y - TOP) / (H - TOP - BOTTOM)) * (hi - lo);
  };
  const svgY = (event: PointerEvent): number => {
    const rect = svgRef.current?.getBoundingClientRect();
    if (rect === undefined || rect.height === 0) return 0;
    return Math.min(H - BOTTOM, Math.max(TOP, ((event.clientY - rect.top) / rect.height) * H));
  };
  const runCount = axes[0]?.values.length ?? 0;
  const legendWidth = 160;

  return (
    <div className="parcoords-frame" ref={setFrame} data-testid="parcoords-frame">
      <svg
        ref={svgRef}
        className="parcoords"
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
        role="img"
        aria-label="Parallel coordinates"
      >
        {legend !== null && legend.scale.domain !== null && (
          <g
            className="pc-legend"
            data-testid="parcoords-legend"
            transform={`translate(${W - legendWidth - 8}, 6)`}
          >
            <defs>
              <linearGradient id="pc-legend-gradient">
                {VIRIDIS.map((colour, i) => (
                  <stop
                    key={colour}
                    offset={`${(i / (VIRIDIS.length - 1)) * 100}%`}
                    stopColor={colour}
                  />
                ))}
              </linearGradient>
            </defs>
            <text x={0} y={10} className="pc-tick">
              {legend.title}
            </text>
            <rect x={0} y={14} width={legendWidth} height={8} fill="url(#pc-legend-gradient)" />
            <text x={0} y={34} className="pc-tick" data-testid="parcoords-legend-low">
              {short(legend.scale.domain[0])}
            </text>
            <text
              x={legendWidth}
              y={34}
              textAnchor="end"
              className="pc-tick"
              data-testid="parcoords-legend-high"
            >
              {short(legend.scale.domain[1])}
            </text>
          </g>
        )}
        {Array.from({ length: runCount }, (_, run) => {
          const segments: string[] = [];
          for (let i = 0; i + 1 < axes.length; i++) {
            const a = axes[i]?.values[run] ?? NaN;
            const b = axes[i + 1]?.values[run] ?? NaN;
            if (Number.isFinite(a) && Number.isFinite(b)) {
              segments.push(`M${xOf(i)},${yOf(i, a)}L${xOf(i + 1)},${yOf(i + 1, b)}`);
            }
          }
          const on = inside[run] ?? true;
          const colour = colours[run] ?? '#4e79a7';
          return (
            <path
              key={run}
              d={segments.join('')}
              fill="none"
              stroke={on ? colour : '#bbb'}
              strokeOpacity={on ? 0.9 : 0.35}
              strokeWidth={on ? 2 : 1}
              data-run-index={run}
              data-colour={colour}
              data-inside={on ? 'yes' : 'no'}
            >
              <title>{labels[run] ?? ''}</title>
            </path>
          );
        })}
        {axes.map((axis, i) => {
          const x = xOf(i);
          const [lo, hi] = extents[i] ?? [0, 1];
          const ticks =
            axis.ticktext !== undefined
              ? axis.ticktext.map((text, n) => ({ v: n, text: clip(text, 14) }))
              : [lo, (lo + hi) / 2, hi].map((v) => ({ v, text: short(v) }));
          const constraint = constraints[i] ?? null;
          const ranges: [number, number][] =
            constraint === null || constraint.length === 0
              ? []
              : Array.isArray(constraint[0])
                ? (constraint as [number, number][])
                : [constraint as [number, number]];
          const dragging = drag !== null && drag.axis === i ? drag : null;
          return (
            <g key={axis.label} className="pc-axis" data-axis={axis.label}>
              <line x1={x} x2={x} y1={TOP} y2={H - BOTTOM} stroke="currentColor" />
              <text x={x} y={TOP - 14} textAnchor="middle" className="pc-label">
                <title>{axis.label}</title>
                {clip(axis.label, labelChars)}
              </text>
              {ticks.map((tick) => (
                <text
                  key={tick.v}
                  x={x - 6}
                  y={yOf(i, tick.v) + 4}
                  textAnchor="end"
                  className="pc-tick"
                >
                  {tick.text}
                </text>
              ))}
              {ranges.map(([a, b], n) => (
                <rect
                  key={n}
                  x={x - 6}
                  width={12}
                  y={Math.min(yOf(i, a), yOf(i, b))}
                  height={Math.abs(yOf(i, a) - yOf(i, b))}
                  className="pc-brush"
                />
              ))}
              {dragging !== null && (
                <rect
                  x={x - 6}
                  width={12}
                  y={Math.min(dragging.y0, dragging.y1)}
                  height={Math.abs(dragging.y1 - dragging.y0)}
                  className="pc-brush"
                />
              )}
              <rect
                x={x - 14}
                width={28}
                y={TOP}
                height={H - TOP - BOTTOM}
                fill="transparent"
                style={{ cursor: 'crosshair' }}
                data-testid="parcoords-axis-hit"
                onPointerDown={(event) => {
                  event.currentTarget.setPointerCapture(event.pointerId);
                  const y = svgY(event);
                  setDrag({ axis: i, y0: y, y1: y });
                }}
                onPointerMove={(event) => {
                  if (drag?.axis === i) setDrag({ ...drag, y1: svgY(event) });
                }}
                onPointerUp={(event) => {
                  if (drag?.axis !== i) return;
                  const y1 = svgY(event);
                  setDrag(null);
                  if (Math.abs(y1 - drag.y0) < 3) onConstraint(i, null);
                  else
                    onConstraint(i, [
                      valueOf(i, Math.max(drag.y0, y1)),
                      valueOf(i, Math.min(drag.y0, y1)),
                    ]);
                }}
              />
            </g>
          );
        })}
      </svg>
    </div>
  );
}
