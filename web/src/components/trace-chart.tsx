/**
 * One ECharts canvas for the overview and the trace explorer. Only the charts and components they use
 * are registered (`echarts/core`), and only pages import this module, so ECharts stays in its own
 * chunk (web/vite.config.ts) and out of the first load. The chart follows its box's size.
 */
import { BarChart, GraphChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, MarkPointComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { type CSSProperties, useEffect, useRef } from 'react';

echarts.use([BarChart, GraphChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, MarkPointComponent, TooltipComponent, DataZoomComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export interface ChartClick {
  readonly dataType?: string;
  readonly data?: unknown;
  readonly name?: string;
}

interface Props {
  readonly option: ChartOption;
  /** What the chart shows, for screen readers (the canvas itself says nothing). */
  readonly label: string;
  readonly height?: number;
  readonly onClick?: (event: ChartClick) => void;
  readonly style?: CSSProperties;
  readonly testId?: string;
}

export function Chart({ option, label, height = 320, onClick, style, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const instance = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (e) => clickRef.current?.(e as ChartClick));
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} role="img" aria-label={label} data-testid={testId} style={{ width: '100%', height, ...style }} />;
}
