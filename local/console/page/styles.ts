/** The page's one stylesheet (inlined: the console and the reports load nothing from anywhere). */
export const STYLES = `
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 14px; color: #202124; }
body { margin: 0; background: #f8f9fa; }
header.top { background: #232f3e; color: #fff; padding: 8px 16px; display: flex; gap: 16px; align-items: baseline; }
header.top h1 { font-size: 16px; margin: 0; }
header.top a { color: #fff; }
main { display: grid; grid-template-columns: 260px 1fr; min-height: calc(100vh - 38px); }
main.report { grid-template-columns: 1fr; }
nav.machines { background: #fff; border-right: 1px solid #dadce0; padding: 8px 0; overflow: auto; }
nav.machines a { display: block; padding: 6px 16px; color: #1a73e8; text-decoration: none; word-break: break-all; }
nav.machines a.selected { background: #e8f0fe; font-weight: 600; }
nav.machines .type { color: #5f6368; font-size: 12px; }
section.content { padding: 16px; min-width: 0; }
h2 { font-size: 18px; margin: 0 0 8px; word-break: break-all; }
h3 { font-size: 15px; margin: 16px 0 8px; }
.summary { display: flex; flex-wrap: wrap; gap: 4px 24px; margin-bottom: 12px; }
.summary div span { color: #5f6368; margin-right: 6px; }
.workspace { display: grid; grid-template-columns: minmax(0, 1fr) 380px; gap: 12px; align-items: start; }
.graph-frame { background: #fff; border: 1px solid #dadce0; border-radius: 6px; overflow: auto; max-height: 75vh; }
.panel { background: #fff; border: 1px solid #dadce0; border-radius: 6px; padding: 12px; max-height: 75vh; overflow: auto; }
.panel pre, .execution-data pre { background: #f1f3f4; padding: 8px; border-radius: 4px; white-space: pre-wrap; word-break: break-word; max-height: 320px; overflow: auto; font-size: 12px; }
table.list { border-collapse: collapse; width: 100%; background: #fff; }
table.list th, table.list td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #eee; font-size: 13px; }
table.list a { color: #1a73e8; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; }
.status-SUCCEEDED, .badge.succeeded { background: #e6f4ea; color: #137333; }
.status-FAILED, .status-TIMED_OUT, .badge.failed { background: #fce8e6; color: #c5221f; }
.status-ABORTED { background: #f1f3f4; color: #5f6368; }
.status-RUNNING, .badge.running { background: #e8f0fe; color: #1967d2; }
.badge.caught { background: #fef1e0; color: #b06000; }
.badge.retried { background: #fff8c5; color: #7a5d00; }
.badge.not-taken { background: #f1f3f4; color: #5f6368; }
.legend { display: flex; gap: 8px; flex-wrap: wrap; margin: 8px 0; }
svg.workflow { display: block; }
svg.workflow .node rect, svg.workflow .node circle { fill: #fff; stroke: #9aa0a6; stroke-width: 1.2; }
svg.workflow .node { cursor: pointer; }
svg.workflow .node text { font-size: 12px; fill: #202124; pointer-events: none; }
svg.workflow .node.selected rect { stroke-width: 3; }
svg.workflow .container > rect { fill: #fafafa; stroke: #bdc1c6; stroke-dasharray: 4 3; }
svg.workflow .container > text { font-weight: 600; fill: #5f6368; }
svg.workflow .node.succeeded rect { fill: #e6f4ea; stroke: #1e8e3e; }
svg.workflow .node.failed rect { fill: #fce8e6; stroke: #d93025; }
svg.workflow .node.caught rect { fill: #fef1e0; stroke: #e37400; }
svg.workflow .node.retried rect { fill: #fff8c5; stroke: #b08800; }
svg.workflow .node.running rect { fill: #e8f0fe; stroke: #1a73e8; }
svg.workflow.has-execution .node.not-taken rect { stroke-dasharray: 3 3; opacity: 0.65; }
svg.workflow .terminal circle { fill: #5f6368; stroke: none; }
svg.workflow .terminal text { fill: #fff; font-size: 9px; }
svg.workflow .edge path { fill: none; stroke: #9aa0a6; stroke-width: 1.3; }
svg.workflow .edge.catch path { stroke-dasharray: 5 4; stroke: #e37400; }
svg.workflow.has-execution .edge path { stroke: #dadce0; }
svg.workflow.has-execution .edge.taken path { stroke: #1e8e3e; stroke-width: 2.4; }
svg.workflow.has-execution .edge.catch.taken path { stroke: #e37400; }
svg.workflow .edge text { font-size: 10px; fill: #5f6368; }
svg.workflow .retry-badge { font-size: 11px; fill: #7a5d00; }
.muted { color: #5f6368; }
.error-text { color: #c5221f; }
@media (max-width: 1000px) { main { grid-template-columns: 1fr; } .workspace { grid-template-columns: 1fr; } }
`;
