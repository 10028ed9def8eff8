import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

/** Settings every generated dashboard shares. */
export const baseDashboard = (title: string, uid: string, tags: string[]): dashboard.DashboardBuilder =>
  new dashboard.DashboardBuilder(title)
    .uid(uid)
    .tags(tags)
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser');
