// ECharts from its core, with only what the screens draw registered: horizontal and vertical bar
// charts on a grid, with a tooltip. Imported by the chart component only, so that the library is
// downloaded with the routes that show charts (the dashboard and the demand list), never with the
// login page or the ledger.
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export { default as VChart } from 'vue-echarts';
export type { ComposeOption } from 'echarts/core';
export type { BarSeriesOption } from 'echarts/charts';
export type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
