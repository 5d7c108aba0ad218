/**
 * The Angular page's entry: Angular's own compiler first (the component's template is compiled
 * just in time, in the page), then the element, then a zoneless standalone bootstrap.
 * @module
 */
import '@angular/compiler';
import '../shared/element.js';
import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { AppComponent } from './app.component.js';

bootstrapApplication(AppComponent, { providers: [provideZonelessChangeDetection()] }).catch((error: unknown) => {
  console.error('The Angular page did not start:', error);
});
