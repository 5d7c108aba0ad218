/**
 * What a framework page is told by the server that renders it: where its token endpoint and its
 * dashboard host are, and the choices its filter controls offer. Read once at start-up from a
 * JSON script in the page, so one bundle serves every origin (the demo's, a test's).
 * @module
 */

/** A dashboard the page offers in its picker. */
export interface DashboardChoice {
  id: number;
  title: string;
}

/** A user the page offers in its user picker (`id` '' = all users). */
export interface UserChoice {
  id: string;
  name: string;
}

/** The page's configuration, as the server writes it. */
export interface FrameworkPageConfig {
  /** The token endpoint the element `POST`s to: `/embed-token`. */
  tokenEndpoint: string;
  /** The dashboard host's dashboards, without the id: `http://127.0.0.1:8081/d`. */
  dashboardBase: string;
  dashboards: DashboardChoice[];
  users: UserChoice[];
  /** The date range the page starts with: `['2015-01-01', '2015-12-31']`. */
  dateRange: [string, string];
}

/** The id of the JSON script that carries the configuration. */
export const CONFIG_ELEMENT_ID = 'chartio-framework-config';

/**
 * Reads the page's configuration.
 * @example
 * const { tokenEndpoint, dashboards } = readConfig();
 */
export function readConfig(): FrameworkPageConfig {
  const text = document.getElementById(CONFIG_ELEMENT_ID)?.textContent;
  if (!text) throw new Error(`The page has no #${CONFIG_ELEMENT_ID} script`);
  return JSON.parse(text) as FrameworkPageConfig;
}
