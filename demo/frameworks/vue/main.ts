/**
 * The Vue page's entry: the element first, then the app. Its template was compiled ahead of time
 * with `isCustomElement` (see ../vue-plugin.ts), so the runtime needs no compiler option.
 * @module
 */
import '../shared/element.js';
import { createApp } from 'vue';
import App from './App.vue';

createApp(App).mount('#app');
