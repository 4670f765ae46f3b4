/// <reference lib="dom" />
/**
 * The self-contained execution report: the data (DescribeStateMachine, DescribeExecution, the history) and
 * the graph's layout are embedded in the file, so it opens offline, anywhere, without the local service.
 */
import type { GraphLayout } from '../graph-layout';
import { h } from './dom';
import { type ExecutionData, renderExecutionScreen } from './execution-screen';
import { STYLES } from './styles';

interface EmbeddedReport extends ExecutionData {
  readonly layout: GraphLayout;
  readonly generatedAt: string;
}

const data = JSON.parse(document.getElementById('execution-data')!.textContent ?? '{}') as EmbeddedReport;
document.head.append(h('style', {}, STYLES));
const content = h('section', { class: 'content' });
document.body.append(
  h(
    'header',
    { class: 'top' },
    h('h1', {}, 'rds-ops execution report'),
    h('span', {}, `generated ${data.generatedAt}`),
  ),
  h('main', { class: 'report' }, content),
);
renderExecutionScreen(content, data, data.layout);
document.body.dataset.view = 'execution';
