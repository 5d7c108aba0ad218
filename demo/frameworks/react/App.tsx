/**
 * The React 19 page: hooks for state, controlled inputs, `{shown && …}` to mount and unmount the
 * element. React 19 passes `filters` to the element as a property (it is one on the element),
 * `filter-user-id` as an attribute (removed when `undefined`), and `onchartio-load` as a
 * listener for `chartio-load`.
 * @module
 */
import { useMemo, useState } from 'react';
import type { ChartioErrorDetail, ChartioTokenDetail } from '../../../src/element/index.js';
// The package's JSX typing (`chartio-embed/react`): types <chartio-embed>'s props and events.
import type {} from '../../../src/element/types/react.js';
import type { FrameworkPageConfig } from '../shared/config.js';
import { dashboardUrl, dateRangeFilters, describeError } from '../shared/filters.js';

/**
 * The page: filter controls, a toggle, the dashboard and what the element reported.
 * @example
 * createRoot(document.getElementById('app')!).render(<StrictMode><App config={readConfig()} /></StrictMode>);
 */
export function App({ config }: { config: FrameworkPageConfig }) {
  const [shown, setShown] = useState(true);
  const [dashboard, setDashboard] = useState(config.dashboards[0]!.id);
  const [userId, setUserId] = useState('');
  const [from, setFrom] = useState(config.dateRange[0]);
  const [to, setTo] = useState(config.dateRange[1]);
  // What the element told us, through React's custom-element event props.
  const [loads, setLoads] = useState(0);
  const [token, setToken] = useState({ count: 0, last: 'none' });
  const [error, setError] = useState({ count: 0, last: 'none' });

  // Memoized: a new object each render would be a new property value each render.
  const filters = useMemo(() => dateRangeFilters(from, to), [from, to]);
  const title = config.dashboards.find((choice) => choice.id === dashboard)?.title ?? '';

  const onToken = (event: CustomEvent<ChartioTokenDetail>) =>
    setToken((previous) => ({ count: previous.count + 1, last: event.detail.reused ? 'reused' : 'new' }));
  const onError = (event: CustomEvent<ChartioErrorDetail>) =>
    setError((previous) => ({ count: previous.count + 1, last: describeError(event.detail) }));

  return (
    <>
      <form id="filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Dashboard{' '}
          <select id="dashboard" value={dashboard} onChange={(event) => setDashboard(Number(event.target.value))}>
            {config.dashboards.map((choice) => (
              <option key={choice.id} value={choice.id}>{choice.title}</option>
            ))}
          </select>
        </label>
        <label>From <input type="date" id="date-from" value={from} onChange={(event) => setFrom(event.target.value)} /></label>
        <label>To <input type="date" id="date-to" value={to} onChange={(event) => setTo(event.target.value)} /></label>
        <label>
          User{' '}
          <select id="user" value={userId} onChange={(event) => setUserId(event.target.value)}>
            {config.users.map((user) => (
              <option key={user.id} value={user.id}>{user.name}</option>
            ))}
          </select>
        </label>
        <label><input type="checkbox" id="show" checked={shown} onChange={(event) => setShown(event.target.checked)} /> Show dashboard</label>
      </form>

      {shown && (
        <chartio-embed
          id="embed"
          dashboard={dashboard}
          title={title}
          base-url={dashboardUrl(config.dashboardBase, dashboard)}
          token-endpoint={config.tokenEndpoint}
          filter-user-id={userId || undefined}
          filters={filters}
          onchartio-load={() => setLoads((count) => count + 1)}
          onchartio-token={onToken}
          onchartio-error={onError}
        />
      )}

      <dl id="events">
        <dt>chartio-load</dt><dd id="load-count">{loads}</dd>
        <dt>chartio-token</dt><dd><span id="token-count">{token.count}</span> (last: <span id="last-token">{token.last}</span>)</dd>
        <dt>chartio-error</dt><dd><span id="error-count">{error.count}</span> (last: <span id="last-error">{error.last}</span>)</dd>
      </dl>
    </>
  );
}
