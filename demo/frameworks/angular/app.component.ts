/**
 * The Angular page: a standalone component with signals, zoneless. `CUSTOM_ELEMENTS_SCHEMA` lets
 * the template use `<chartio-embed>` and bind its properties: `[filters]` sets the `filters`
 * property, `[attr.filter-user-id]` the attribute (removed when `null`), and `(chartio-load)`
 * listens to the event. `@if` mounts and unmounts the element.
 * @module
 */
import { CUSTOM_ELEMENTS_SCHEMA, Component, computed, signal } from '@angular/core';
import type { ChartioErrorDetail, ChartioTokenDetail } from '../../../src/element/index.js';
import { readConfig } from '../shared/config.js';
import { dashboardUrl, dateRangeFilters, describeError } from '../shared/filters.js';

/**
 * The page's root component.
 * @example
 * await bootstrapApplication(AppComponent, { providers: [provideZonelessChangeDetection()] });
 */
@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <form id="filters" (submit)="$event.preventDefault()">
      <label>Dashboard
        <select id="dashboard" #picker (change)="dashboard.set(+picker.value)">
          @for (choice of config.dashboards; track choice.id) {
            <option [value]="choice.id" [selected]="choice.id === dashboard()">{{ choice.title }}</option>
          }
        </select>
      </label>
      <label>From <input type="date" id="date-from" #fromInput [value]="from()" (change)="from.set(fromInput.value)"></label>
      <label>To <input type="date" id="date-to" #toInput [value]="to()" (change)="to.set(toInput.value)"></label>
      <label>User
        <select id="user" #user (change)="userId.set(user.value)">
          @for (choice of config.users; track choice.id) {
            <option [value]="choice.id" [selected]="choice.id === userId()">{{ choice.name }}</option>
          }
        </select>
      </label>
      <label><input type="checkbox" id="show" #toggle [checked]="shown()" (change)="shown.set(toggle.checked)"> Show dashboard</label>
    </form>

    @if (shown()) {
      <chartio-embed
        id="embed"
        [dashboard]="dashboard()"
        [title]="title()"
        [attr.base-url]="baseUrl()"
        [attr.token-endpoint]="config.tokenEndpoint"
        [attr.filter-user-id]="userId() || null"
        [filters]="filters()"
        (chartio-load)="loads.set(loads() + 1)"
        (chartio-token)="onToken($event)"
        (chartio-error)="onError($event)"
      ></chartio-embed>
    }

    <dl id="events">
      <dt>chartio-load</dt><dd id="load-count">{{ loads() }}</dd>
      <dt>chartio-token</dt><dd><span id="token-count">{{ tokens() }}</span> (last: <span id="last-token">{{ lastToken() }}</span>)</dd>
      <dt>chartio-error</dt><dd><span id="error-count">{{ errors() }}</span> (last: <span id="last-error">{{ lastError() }}</span>)</dd>
    </dl>
  `,
})
export class AppComponent {
  readonly config = readConfig();
  readonly shown = signal(true);
  readonly dashboard = signal(this.config.dashboards[0]!.id);
  readonly userId = signal('');
  readonly from = signal(this.config.dateRange[0]);
  readonly to = signal(this.config.dateRange[1]);
  // What the element told us, through Angular's event bindings.
  readonly loads = signal(0);
  readonly tokens = signal(0);
  readonly lastToken = signal('none');
  readonly errors = signal(0);
  readonly lastError = signal('none');

  readonly filters = computed(() => dateRangeFilters(this.from(), this.to()));
  readonly baseUrl = computed(() => dashboardUrl(this.config.dashboardBase, this.dashboard()));
  readonly title = computed(() => this.config.dashboards.find((choice) => choice.id === this.dashboard())?.title ?? '');

  // Angular types a custom element's events as plain `Event`.
  onToken(event: Event): void {
    this.tokens.update((count) => count + 1);
    this.lastToken.set((event as CustomEvent<ChartioTokenDetail>).detail.reused ? 'reused' : 'new');
  }

  onError(event: Event): void {
    this.errors.update((count) => count + 1);
    this.lastError.set(describeError((event as CustomEvent<ChartioErrorDetail>).detail));
  }
}
