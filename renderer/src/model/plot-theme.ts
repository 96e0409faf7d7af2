/**
 * Plotly draws with colours of its own, not CSS: in the dark theme a figure's background,
 * text, grid and axis lines are set here so plots follow the OS setting like the page does.
 */
const DARK = {
  background: '#0d1117',
  text: '#e6edf3',
  grid: '#30363d',
  line: '#484f58',
};

export function themedLayout(
  layout: Readonly<Record<string, unknown>>,
  dark: boolean,
): Record<string, unknown> {
  if (!dark) return { ...layout };
  const themed: Record<string, unknown> = {
    ...layout,
    paper_bgcolor: DARK.background,
    plot_bgcolor: DARK.background,
    font: { ...(layout.font as object | undefined), color: DARK.text },
  };
  for (const [key, value] of Object.entries(layout)) {
    if (!/^[xy]axis\d*$/u.test(key) || typeof value !== 'object' || value === null) continue;
    themed[key] = {
      ...value,
      gridcolor: DARK.grid,
      linecolor: DARK.line,
      zerolinecolor: DARK.line,
    };
  }
  // Axes the layout leaves to Plotly's defaults get the dark lines too.
  for (const key of ['xaxis', 'yaxis']) {
    if (!(key in themed))
      themed[key] = { gridcolor: DARK.grid, linecolor: DARK.line, zerolinecolor: DARK.line };
  }
  return themed;
}
