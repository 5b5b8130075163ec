import type { BarSeriesOption, ComposeOption, GridComponentOption, TooltipComponentOption } from './echarts';

export type BarOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

/** One bar: `key` is what a click on it selects (a district code, a status). */
export interface Bar {
  key: string;
  name: string;
  value: number;
}

const BAR_COLOR = '#409eff';

/**
 * The chart's option for a list of bars. Horizontal bars keep long Chinese names (industries)
 * readable; the first item is drawn at the top, as in the table beside it.
 */
export function barOption(bars: readonly Bar[], horizontal: boolean, unit: string): BarOption {
  const names = bars.map((bar) => bar.name);
  const values = bars.map((bar) => ({ value: bar.value, itemStyle: { color: BAR_COLOR } }));
  const category = {
    type: 'category' as const,
    data: horizontal ? [...names].reverse() : names,
    // Clicking a name does what clicking its bar does (a short bar is a small target).
    triggerEvent: true,
    axisTick: { show: false },
    axisLabel: horizontal ? { width: 120, overflow: 'truncate' as const } : { interval: 0 },
  };
  const value = { type: 'value' as const, minInterval: 1 };
  return {
    animation: false,
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item', formatter: (p: unknown) => tooltipText(p as { name: string; value: number }, unit) },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? category : value,
    series: [
      {
        type: 'bar',
        data: horizontal ? [...values].reverse() : values,
        barMaxWidth: 28,
        label: { show: true, position: horizontal ? 'right' : 'top' },
        cursor: 'pointer',
      },
    ],
  };
}

function tooltipText(point: { name: string; value: number }, unit: string): string {
  // Names come from the reference lists, but the tooltip is HTML: escape anyway.
  const name = point.name.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `${name}：${new Intl.NumberFormat('zh-CN').format(point.value)} ${unit}`;
}

/** The bar at a data index of the drawn series (drawn bottom-up when horizontal). */
export function barAt(bars: readonly Bar[], dataIndex: number, horizontal: boolean): Bar | undefined {
  return bars[horizontal ? bars.length - 1 - dataIndex : dataIndex];
}
