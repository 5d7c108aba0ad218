/**
 * The Svelte page's entry: the element first, then the app, mounted with Svelte 5's `mount`.
 * @module
 */
import '../shared/element.js';
import { mount } from 'svelte';
import App from './App.svelte';

mount(App, { target: document.getElementById('app')! });
