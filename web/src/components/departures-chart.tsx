import { useEffect, useMemo, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { api } from '../api.js';
import { CHANNEL_LABELS, formatCount } from '../format.js';
import { useApi } from '../use-api.js';
import { ErrorMessage, Loading } from './status.js';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, SVGRenderer]);

type Series = { month: string; channel: string; departures: number }[];

/** Departures per month by channel, stacked; the same figures are in a table for screen readers. */
export default function DeparturesChart({ from, to }: { from: string; to: string }) {
  const stats = useApi(`departures:${from}:${to}`, (signal) => api.departures({ from, to }, signal));
  return (
    <section aria-labelledby="departures-heading" className="chart-section">
      <h2 id="departures-heading">
        Departures per month by channel, {from} to {to}
      </h2>
      {stats.status === 'loading' ? <Loading what="departures" /> : null}
      {stats.status === 'error' ? <ErrorMessage error={stats.error} retry={stats.reload} /> : null}
      {stats.status === 'ok' ? <Chart series={stats.data.series} from={from} to={to} /> : null}
    </section>
  );
}

/** Every month from `from` to `to` (YYYY-MM), so a month without departures shows as zero, not as a gap. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  for (let i = 0; i < 1200; i++) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > end) break;
    out.push(month);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

function pivot(series: Series, from: string, to: string) {
  const months = [...new Set([...monthsBetween(from, to), ...series.map((s) => s.month)])].sort();
  const channels = [...new Set(series.map((s) => s.channel))].sort();
  const value = new Map(series.map((s) => [`${s.month}|${s.channel}`, s.departures]));
  return { months, channels, cell: (m: string, c: string) => value.get(`${m}|${c}`) ?? 0 };
}

function Chart({ series, from, to }: { series: Series; from: string; to: string }) {
  const el = useRef<HTMLDivElement>(null);
  const table = useMemo(() => pivot(series, from, to), [series, from, to]);

  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, null, { renderer: 'svg' });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 56, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: table.months },
      yAxis: { type: 'value', name: 'Departures' },
      series: table.channels.map((c) => ({
        name: CHANNEL_LABELS[c] ?? c,
        type: 'bar',
        stack: 'departures',
        emphasis: { focus: 'series' },
        data: table.months.map((m) => table.cell(m, c)),
      })),
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el.current);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [table]);

  if (series.length === 0) return <p className="status">No departures recorded in this period.</p>;
  return (
    <>
      <div
        ref={el}
        className="chart"
        data-testid="departures-chart"
        role="img"
        aria-label="Stacked bars: departures per month, by channel"
      />
      <details>
        <summary>The figures as a table</summary>
        <div className="table-wrap">
          <table className="grid" data-testid="departures-table">
            <thead>
              <tr>
                <th scope="col">Month</th>
                {table.channels.map((c) => (
                  <th scope="col" className="num" key={c}>
                    {CHANNEL_LABELS[c] ?? c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.months.map((m) => (
                <tr key={m}>
                  <th scope="row">{m}</th>
                  {table.channels.map((c) => (
                    <td className="num" key={c}>
                      {formatCount(table.cell(m, c))}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
