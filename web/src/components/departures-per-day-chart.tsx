import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { CHANNEL_LABELS } from '../format.js';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, SVGRenderer]);

/** One colour per channel, so a channel keeps its colour when another appears or goes. */
const CHANNEL_COLOURS: Record<string, string> = {
  air: '#0b5cad',
  sea: '#1a7f8e',
  land: '#b35900',
  'self-report': '#7a3fb5',
  removal: '#a40e26',
  unknown: '#8c959f',
};

export interface PerDayTable {
  readonly days: readonly string[];
  readonly channels: readonly string[];
  readonly cell: (day: string, channel: string) => number;
}

/**
 * Departures per day by channel, stacked bars (ECharts, SVG). The chart stays mounted while the figures
 * change: a refresh on a server-sent event redraws the bars in place instead of building a new chart.
 */
export default function DeparturesPerDayChart({ table }: { table: PerDayTable }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, null, { renderer: 'svg' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        aria: { enabled: true },
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 40, bottom: 32 },
        xAxis: { type: 'category', data: table.days.map((d) => d.slice(5)) },
        yAxis: { type: 'value', name: 'Departures', minInterval: 1 },
        series: table.channels.map((ch) => ({
          name: CHANNEL_LABELS[ch] ?? ch,
          type: 'bar',
          stack: 'departures',
          emphasis: { focus: 'series' },
          ...(CHANNEL_COLOURS[ch] ? { itemStyle: { color: CHANNEL_COLOURS[ch] } } : {}),
          data: table.days.map((d) => table.cell(d, ch)),
        })),
      },
      { notMerge: true },
    );
  }, [table]);

  return (
    <div
      ref={el}
      className="chart"
      data-testid="live-chart"
      role="img"
      aria-label="Stacked bars: departures per day, by channel"
    />
  );
}
