/**
 * `chartio-embed/react`: `<chartio-embed>` in React 19 JSX, compiled with `jsx: react-jsx`.
 */
import 'chartio-embed';
import type {} from 'chartio-embed/react';
import { useRef } from 'react';
import type { ChartioEmbedElement } from 'chartio-embed';

export function Dashboard({ userId }: { userId: string }) {
  const ref = useRef<ChartioEmbedElement>(null);
  return (
    <chartio-embed
      ref={ref}
      dashboard={38727}
      token-endpoint="/embed-token"
      base-url="https://dashboards.example.com/d/38727"
      filter-user-id={userId}
      filter-date-range='["2014-02-11","2015-02-11"]'
      refreshMode="proactive"
      loading="lazy"
      sizing="auto"
      max-height="2000"
      maxHeight={2000}
      timeout={15_000}
      frameTimeout={30_000}
      theme="dark"
      locale="de-DE"
      credentials="include"
      title="Executive summary"
      className="dashboard"
      filters={{ REGION: ['EU', 'US'] }}
      fetchToken={async ({ dashboard, filters }) => ({ token: `${dashboard}.${JSON.stringify(filters)}.sig` })}
      onchartio-token={(event) => console.log(event.detail.expiresAt, event.detail.reused)}
      onchartio-load={(event) => console.log(event.detail.dashboard, event.detail.inPlace)}
      onchartio-error={(event) => console.warn(event.detail.phase, event.detail.code)}
      onchartio-click={(event) => console.log(event.detail.label, event.detail.row)}
    >
      <p slot="loading">Loading the dashboard…</p>
    </chartio-embed>
  );
}

export function Wrong() {
  const divRef = useRef<HTMLDivElement>(null);
  return (
    <>
      {/* @ts-expect-error -- 'big' is not a sizing */}
      <chartio-embed sizing="big" />
      {/* @ts-expect-error -- React sets `timeout` as the number property, not the attribute text */}
      <chartio-embed timeout="5000" />
      {/* @ts-expect-error -- `max-height` is a number of px */}
      <chartio-embed max-height={true} />
      {/* @ts-expect-error -- `token-endpoint` is a URL */}
      <chartio-embed token-endpoint={new URL('https://example.com/embed-token')} />
      {/* @ts-expect-error -- a filter value is a string or a list of strings */}
      <chartio-embed filters={{ USER_ID: 1 }} />
      {/* @ts-expect-error -- React would assign this to the element's refresh() method: use refreshMode */}
      <chartio-embed refresh="proactive" />
      {/* @ts-expect-error -- a dashboard id is a number or its text */}
      <chartio-embed dashboard={true} />
      {/* @ts-expect-error -- a fetchToken resolves to a { token } answer */}
      <chartio-embed fetchToken={async () => ({ jwt: 'a.b.c' })} />
      {/* @ts-expect-error -- the chartio-token detail is { expiresAt, reused }, not a string */}
      <chartio-embed onchartio-token={(event: CustomEvent<string>) => event.detail.length} />
      {/* @ts-expect-error -- credentials are same-origin or include */}
      <chartio-embed credentials="omit" />
      {/* @ts-expect-error -- the chartio-load detail has no `expiresAt` */}
      <chartio-embed onchartio-load={(event) => event.detail.expiresAt} />
      {/* @ts-expect-error -- the chartio-error detail has no `reason` */}
      <chartio-embed onchartio-error={(event) => event.detail.reason} />
      {/* @ts-expect-error -- not a theme */}
      <chartio-embed theme="sepia" />
      {/* @ts-expect-error -- the chartio-click detail has no `point` */}
      <chartio-embed onchartio-click={(event) => event.detail.point} />
      {/* @ts-expect-error -- the ref is the element, not a div */}
      <chartio-embed ref={divRef} />
    </>
  );
}
