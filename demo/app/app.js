// The demo app's own script: the page's filters are the source of truth; they are written to
// the element's filter-* attributes, and the element turns them into signed tokens.
const embed = document.getElementById('dashboard-embed');
const from = document.getElementById('date-from');
const to = document.getElementById('date-to');
const user = document.getElementById('user');
const dashboard = document.getElementById('dashboard');
const products = document.getElementById('products');
const status = document.getElementById('status');

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

embed.addEventListener('chartio-token', (event) => {
  status.textContent = event.detail.reused ? 'Token reused: no new query run.' : 'New token signed.';
});
embed.addEventListener('chartio-load', () => status.setAttribute('data-loaded', 'true'));
embed.addEventListener('chartio-error', (event) => {
  status.textContent = `Could not load the dashboard: ${event.detail.message}`;
});
