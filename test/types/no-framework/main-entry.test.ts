/**
 * `import 'chartio-embed'` compiles, with library checking on, where no framework is installed,
 * and types the element through the DOM's own maps (no framework typing needed).
 */
import { ChartioEmbedElement, type ChartioErrorDetail } from 'chartio-embed';

const element = document.createElement('chartio-embed');
element satisfies ChartioEmbedElement;
element.addEventListener('chartio-error', (event) => {
  event.detail satisfies ChartioErrorDetail;
});
