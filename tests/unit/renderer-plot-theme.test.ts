import { describe, expect, it } from 'vitest';
import { themedLayout } from '../../renderer/src/model/plot-theme';

const light = {
  paper_bgcolor: '#ffffff',
  plot_bgcolor: '#ffffff',
  font: { family: 'system-ui', size: 12 },
  xaxis: { title: { text: 'step' } },
  yaxis2: { type: 'log' },
};

describe('plots follow the dark theme', () => {
  it('leave the light layout as it is', () => {
    expect(themedLayout(light, false)).toEqual(light);
  });

  it('paint background, text and every axis dark, keeping what the layout set', () => {
    const dark = themedLayout(light, true);
    expect(dark.paper_bgcolor).toBe('#0d1117');
    expect(dark.plot_bgcolor).toBe('#0d1117');
    expect(dark.font).toEqual({ family: 'system-ui', size: 12, color: '#e6edf3' });
    expect(dark.xaxis).toMatchObject({ title: { text: 'step' }, gridcolor: '#30363d' });
    expect(dark.yaxis2).toMatchObject({ type: 'log', gridcolor: '#30363d' });
    expect(dark.yaxis).toMatchObject({ gridcolor: '#30363d' });
    expect(light.paper_bgcolor).toBe('#ffffff');
  });
});
