/**
 * The React page's entry: the element first, then the app under `<StrictMode>`, whose
 * development double-invoking of effects and refs the element must survive with one frame.
 * @module
 */
import '../shared/element.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { readConfig } from '../shared/config.js';
import { App } from './App.js';

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <App config={readConfig()} />
  </StrictMode>,
);
