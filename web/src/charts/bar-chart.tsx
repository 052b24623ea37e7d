import ReactEChartsCore from 'echarts-for-react/lib/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// Only the parts used, so the chart chunk stays small; it loads with the pages that draw charts.
echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface BarSeries {
  name: string;
  values: readonly (number | null)[];
}

/** A bar chart of a few series over labelled categories (horizontal when labels are long). */
export function BarChartView({
  categories,
  series,
  height = 280,
  horizontal = false,
  testId,
}: {
  categories: readonly string[];
  series: readonly BarSeries[];
  height?: number;
  horizontal?: boolean;
  testId?: string;
}) {
  const categoryAxis = {
    type: 'category' as const,
    data: [...categories],
    axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 },
  };
  const valueAxis = { type: 'value' as const };
  return (
    <div data-testid={testId} role="img" aria-label={series.map((s) => s.name).join(', ')}>
      <ReactEChartsCore
        echarts={echarts}
        style={{ height }}
        notMerge
        option={{
          tooltip: { trigger: 'axis' },
          legend: series.length > 1 ? {} : undefined,
          grid: {
            left: horizontal ? 140 : 40,
            right: 16,
            bottom: horizontal ? 24 : 80,
            top: series.length > 1 ? 32 : 16,
          },
          xAxis: horizontal ? valueAxis : categoryAxis,
          yAxis: horizontal ? categoryAxis : valueAxis,
          series: series.map((s) => ({ type: 'bar', name: s.name, data: [...s.values] })),
        }}
      />
    </div>
  );
}
