// The demo app's own script: the page's filters are the source of truth; they are written to
// the element's filter-* attributes, and the element turns them into signed tokens. The app bar's
// theme and number-format switches set the element's `theme` and `locale` (no token, no query),
// and a click on a product in the dashboard sets the product filter.
const embed = document.getElementById('dashboard-embed');
const from = document.getElementById('date-from');
const to = document.getElementById('date-to');
const user = document.getElementById('user');
const dashboard = document.getElementById('dashboard');
const products = document.getElementById('products');
const status = document.getElementById('status');
const theme = document.getElementById('theme');
const locale = document.getElementById('locale');

function applyFilters() {
  if (from.value && to.value && from.value <= to.value) {
    embed.setAttribute('filter-date-range', JSON.stringify([from.value, to.value]));
  }
  // No user chosen: the Hidden Variable is left out and the dashboard shows every user.
  if (user.value) embed.setAttribute('filter-user-id', user.value);
  else embed.removeAttribute('filter-user-id');
  // A list filter: a JSON array of strings. None ticked: every product.
  const picked = [...products.querySelectorAll('input:checked')].map((box) => box.value);
  if (picked.length > 0) embed.setAttribute('filter-products', JSON.stringify(picked));
  else embed.removeAttribute('filter-products');
}

for (const control of [from, to, user, products]) control.addEventListener('change', applyFilters);
dashboard.addEventListener('change', () => {
  const option = dashboard.selectedOptions[0];
  const base = embed.getAttribute('base-url').replace(/\/\d+$/, `/${dashboard.value}`);
  embed.setAttribute('base-url', base);
  embed.setAttribute('dashboard', dashboard.value);
  embed.setAttribute('title', option.textContent);
});
document.getElementById('account').addEventListener('change', () => document.getElementById('session-form').submit());

// The look: the app's own (app.css) and the dashboard's, together. Changing it asks for no token.
theme.addEventListener('change', () => {
  document.documentElement.dataset.theme = theme.value;
  embed.setAttribute('theme', theme.value);
});
locale.addEventListener('change', () => {
  if (locale.value) embed.setAttribute('locale', locale.value);
  else embed.removeAttribute('locale');
});
document.getElementById('fullscreen').addEventListener('click', () => embed.fullscreen());

// Drill-through: ticks exactly these products, and shows the dashboard they filter (Product
// mix; "Sales at a glance", whose donut has a slice per product, stays on show, filtered).
function pickProducts(picked) {
  for (const box of products.querySelectorAll('input')) box.checked = picked.includes(box.value);
  applyFilters();
  if (!['38728', '38729'].includes(embed.getAttribute('dashboard'))) {
    dashboard.value = '38728';
    dashboard.dispatchEvent(new Event('change'));
  }
}

// A click on a product's bar, slice (or row) filters the app by that product.
embed.addEventListener('chartio-click', (event) => {
  const product = event.detail.row.product;
  if (product) pickProducts([product]);
});

embed.addEventListener('chartio-token', (event) => {
  status.textContent = event.detail.reused ? 'Token reused: no new query run.' : 'New token signed.';
});
embed.addEventListener('chartio-load', () => status.setAttribute('data-loaded', 'true'));
embed.addEventListener('chartio-error', (event) => {
  status.textContent = `Could not load the dashboard: ${event.detail.message}`;
});
