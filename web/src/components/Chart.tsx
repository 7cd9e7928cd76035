/**
 * ECharts wrapper. Only the chart types binku draws are registered (tree
 * shaking), and this module is imported only by lazy pages, so ECharts stays
 * out of the login/shell bundle.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart, ScatterChart, CustomChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, TitleComponent, DatasetComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([BarChart, LineChart, PieChart, ScatterChart, CustomChart, GridComponent, LegendComponent, TooltipComponent, TitleComponent, DatasetComponent, MarkLineComponent, CanvasRenderer]);

export type ChartOption = EChartsCoreOption;

export function Chart({ option, height = 300, testId }: { option: ChartOption; height?: number; testId?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current);
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, textStyle: { fontFamily: "'PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif" }, ...option }, true);
  }, [option]);
  return <div ref={el} style={{ width: '100%', height }} data-testid={testId} />;
}

/** Colours of the three categories, the same on every page. */
export const CATEGORY_COLORS = { II: '#5470c6', III: '#fac858', IV: '#91cc75' } as const;
export const CATEGORY_NAMES = { II: '仅防返贫监测（II类）', III: '仅低收入人口（III类）', IV: '两系统均有（IV类）' } as const;
